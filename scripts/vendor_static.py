"""Vendor the explorer's JavaScript libraries into ``kg/static/vendor/``, and draw its base map.

Each package is fetched from the npm registry with ``npm pack NAME@VERSION`` (the ordinary client, so its
configured registry), checked against the integrity pinned below, and only the files listed are copied, byte for
byte, with the package's licence. ``kg/static/vendor/manifest.json`` records every file's sha256 and
``kg/static/vendor/README.md`` says what came from where. The base map, ``kg/static/basemap.geojson``, is made
here too: country outlines from the Natural Earth data that the npm package ``world-atlas`` redistributes
(1:50m around Syria, 1:110m elsewhere), plus the governorate centroids of ``kg/data/admin1.tsv`` as points for
labels. Nothing is fetched at run time: ``kg serve`` serves these files from the package.

    python scripts/vendor_static.py            # fetch, check, copy (needs npm and the registry)
    python scripts/vendor_static.py --check    # the committed files match the manifest (no network)

YASGUI (``kg/static/yasgui``) is listed too, so ``--check`` covers every vendored file; its LICENSE and README
there are written by hand (the package ships no licence file).
"""
from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "kg" / "static"
VENDOR = STATIC / "vendor"
MANIFEST = VENDOR / "manifest.json"
BASEMAP = STATIC / "basemap.geojson"
ADMIN1 = ROOT / "kg" / "data" / "admin1.tsv"


@dataclass(frozen=True)
class Vendored:
    """One npm package: its pinned version and integrity, the folder it goes to, and the files taken from it."""

    name: str
    version: str
    integrity: str  # the registry's sha512 of the tarball
    folder: str  # under kg/static
    files: dict[str, str]  # path in the package (under package/) -> path under folder
    licence: str  # its SPDX identifier
    purpose: str
    extra: tuple[str, ...] = field(default=())  # further files under folder, written by hand


PACKAGES = (
    Vendored("leaflet", "1.9.4",
             "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
             "vendor/leaflet", {"dist/leaflet.js": "leaflet.js", "dist/leaflet.css": "leaflet.css",
                                "dist/images/layers.png": "images/layers.png",
                                "dist/images/layers-2x.png": "images/layers-2x.png",
                                "dist/images/marker-icon.png": "images/marker-icon.png",
                                "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
                                "dist/images/marker-shadow.png": "images/marker-shadow.png",
                                "LICENSE": "LICENSE"},
             "BSD-2-Clause", "the map"),
    Vendored("leaflet.markercluster", "1.5.3",
             "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
             "vendor/leaflet.markercluster", {"dist/leaflet.markercluster.js": "leaflet.markercluster.js",
                                              "dist/MarkerCluster.css": "MarkerCluster.css",
                                              "MIT-LICENCE.txt": "LICENSE"},
             "MIT", "clusters of the map's markers"),
    Vendored("vis-timeline", "8.5.4",
             "sha512-Xt7RNrRvOkQiSyk6vFTXSRwTunT0y9MzDgHY8N8H9nPuebJ6Vg+u3xnv0Swbxna/Pa2E3HjaBblEIQiK74E01Q==",
             "vendor/vis-timeline", {"standalone/umd/vis-timeline-graph2d.min.js": "vis-timeline-graph2d.min.js",
                                     "styles/vis-timeline-graph2d.min.css": "vis-timeline-graph2d.min.css",
                                     "LICENSE.md": "LICENSE", "LICENSE.MIT.txt": "LICENSE.MIT.txt",
                                     "LICENSE.Apache-2.0.txt": "LICENSE.Apache-2.0.txt"},
             "Apache-2.0 OR MIT", "the timeline (its standalone build bundles vis-data and moment)"),
    Vendored("cytoscape", "3.34.4",
             "sha512-msY99tMY8iWTg+sIPGfSqDcPNOt4xcj+v/K/7qUFaCUxxlqnMkUYLBjRUzn9W5CU/R2hrmtJa5+UtovrEM2ctg==",
             "vendor/cytoscape", {"dist/cytoscape.min.js": "cytoscape.min.js", "LICENSE": "LICENSE"},
             "MIT", "the network"),
    Vendored("world-atlas", "2.0.2",
             "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
             "vendor/world-atlas", {"LICENSE": "LICENSE"},
             "ISC (Natural Earth data: public domain)",
             "country outlines of the base map (../basemap.geojson, converted from countries-50m.json and "
             "countries-110m.json)"),
    Vendored("@zazuko/yasgui", "4.6.2",
             "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==",
             "yasgui", {"build/yasgui.min.js": "yasgui.min.js", "build/yasgui.min.css": "yasgui.min.css"},
             "MIT", "the SPARQL page at /sparql", extra=("LICENSE", "README.md")),
)

# Around Syria the outlines are drawn at 1:50m, elsewhere at 1:110m (west, south, east, north in degrees).
DETAILED = (25.0, 25.0, 60.0, 45.0)
DECIMALS = 2  # about 1 km, finer than 1:50m draws


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_pack(spec: str, into: Path) -> tuple[Path, str]:
    """``npm pack spec`` into ``into``: the tarball and the integrity the registry gave."""
    done = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(into)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"vendor_static: npm pack {spec} failed: {done.stderr.strip()[-500:]}")
    info = json.loads(done.stdout)[0]
    return into / info["filename"], info["integrity"]


def check_integrity(tarball: Path, pinned: str) -> None:
    """The tarball's sha512 must be the one pinned in PACKAGES."""
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != pinned:
        sys.exit(f"vendor_static: {tarball.name}: integrity {digest} is not the pinned {pinned}")


def members(tarball: Path, wanted: list[str]) -> dict[str, bytes]:
    """The files ``wanted`` (paths under ``package/``) of an npm tarball; nothing else is read out."""
    found: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if name in wanted and member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None
                found[name] = handle.read()
    missing = sorted(set(wanted) - set(found))
    if missing:
        sys.exit(f"vendor_static: {tarball.name} has no {', '.join(missing)}")
    return found


# --------------------------------------------------------------------------- the base map


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """A TopoJSON topology's arcs as lists of (lon, lat): quantized, delta-encoded positions made absolute."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[list[float]]:
    """One ring from arc indexes (``~i`` is arc ``i`` reversed), points rounded, repeats dropped."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    ring: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def _bbox(rings: list[list[list[float]]]) -> tuple[float, float, float, float]:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _overlaps(box: tuple[float, float, float, float], area: tuple[float, float, float, float]) -> bool:
    return box[0] <= area[2] and box[2] >= area[0] and box[1] <= area[3] and box[3] >= area[1]


def countries(topology: dict) -> dict[str, list[list[list[list[float]]]]]:
    """Country name -> its polygons (rings of [lon, lat]) from a world-atlas topology."""
    arcs = _decode_arcs(topology)
    shapes: dict[str, list[list[list[list[float]]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name") or geometry.get("id") or "?"
        polygons = [[_ring(arcs, ring) for ring in polygon] for polygon in _polygons(geometry)]
        polygons = [[ring for ring in polygon if len(ring) >= 4] for polygon in polygons]
        shapes.setdefault(name, []).extend(polygon for polygon in polygons if polygon)
    return shapes


def governorates(path: Path = ADMIN1) -> list[dict]:
    """Point features for the first-level divisions of ``kg/data/admin1.tsv``, for labels on the map."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    features = []
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
        features.append({"type": "Feature", "properties": {"kind": "governorate", "name": row["name"],
                                                            "country": row["country_code"]},
                         "geometry": {"type": "Point",
                                      "coordinates": [float(row["longitude"]), float(row["latitude"])]}})
    return features


def basemap(fine: dict, coarse: dict) -> dict:
    """The base map: every country at 1:110m, replaced by its 1:50m outline where it lies near Syria."""
    detailed = {name: polygons for name, polygons in countries(fine).items()
                if polygons and _overlaps(_bbox([ring for polygon in polygons for ring in polygon]), DETAILED)}
    features = []
    for name, polygons in sorted(countries(coarse).items()):
        polygons = detailed.pop(name, polygons)
        if polygons:
            features.append({"type": "Feature", "properties": {"kind": "country", "name": name},
                             "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    for name, polygons in sorted(detailed.items()):  # small countries that 1:110m leaves out
        features.append({"type": "Feature", "properties": {"kind": "country", "name": name},
                         "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    return {"type": "FeatureCollection", "features": features + governorates()}


# --------------------------------------------------------------------------- writing and checking


def vendored_files() -> list[Path]:
    """Every file the manifest covers, relative to kg/static."""
    paths = [Path(p.folder) / target for p in PACKAGES for target in p.files.values()]
    return sorted(paths + [Path(BASEMAP.name)])


def write_readme(manifest: dict) -> None:
    lines = ["# Vendored files", "",
             "Written by `scripts/vendor_static.py` (`make vendor`): each package fetched with `npm pack NAME@VERSION`,",
             "checked against the integrity pinned in the script, and only these files copied, byte for byte. The page",
             "loads nothing from anywhere else. `python scripts/vendor_static.py --check` compares the files with",
             "`manifest.json` (sha256) without the network; `tests/test_explorer.py` runs it.", "",
             "| package | version | licence | for | files (under kg/static) |", "| --- | --- | --- | --- | --- |"]
    for p in PACKAGES:
        files = ", ".join(f"`{p.folder}/{t}`" for t in p.files.values())
        lines.append(f"| `{p.name}` | {p.version} | {p.licence} | {p.purpose} | {files} |")
    lines += ["", "Integrity (sha512 of each npm tarball):", ""]
    lines += [f"- `{p.name}@{p.version}`: `{p.integrity}`" for p in PACKAGES]
    lines += ["", "Not copied: source maps (the last line of some bundles names one, so a browser's developer tools",
              "ask for it and get a 404), ES-module and unminified builds, the packages' sources and tests.", "",
              "`../basemap.geojson` is made by the script, not copied: country outlines converted from world-atlas's",
              "TopoJSON (Natural Earth 4.1.0, public domain; 1:50m for the countries near Syria, 1:110m elsewhere;",
              f"coordinates rounded to {DECIMALS} decimals) and the governorate centroids of `kg/data/admin1.tsv`",
              "(GeoNames, CC BY 4.0) as points for labels. There are no map tiles: the map draws these outlines on",
              "a plain background.", "",
              f"sha256 of every file: `manifest.json` ({len(manifest['files'])} files)."]
    (VENDOR / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def vendor() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    topologies: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            tarball, integrity = npm_pack(f"{package.name}@{package.version}", Path(tmp))
            if integrity != package.integrity:
                sys.exit(f"vendor_static: the registry gives {package.name}@{package.version} the integrity "
                         f"{integrity}, not the pinned {package.integrity}")
            check_integrity(tarball, package.integrity)
            wanted = list(package.files)
            if package.name == "world-atlas":
                wanted += ["countries-50m.json", "countries-110m.json"]
            contents = members(tarball, wanted)
            for source, target in package.files.items():
                path = STATIC / package.folder / target
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(contents[source])
            if package.name == "world-atlas":
                topologies = {name: json.loads(contents[name]) for name in ("countries-50m.json", "countries-110m.json")}
            print(f"{package.name}@{package.version}: {len(package.files)} files -> kg/static/{package.folder}")
    geojson = basemap(topologies["countries-50m.json"], topologies["countries-110m.json"])
    BASEMAP.write_text(json.dumps(geojson, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"basemap: {len(geojson['features'])} features, {BASEMAP.stat().st_size:,} bytes -> kg/static/{BASEMAP.name}")
    manifest = {"packages": [{"name": p.name, "version": p.version, "integrity": p.integrity, "licence": p.licence,
                              "folder": p.folder} for p in PACKAGES],
                "files": {str(path): sha256((STATIC / path).read_bytes()) for path in vendored_files()}}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    write_readme(manifest)


def check() -> list[str]:
    """What differs between the files under kg/static and the manifest (empty when they match)."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    expected = {str(path) for path in vendored_files()}
    if set(manifest["files"]) != expected:
        problems.append(f"the manifest lists {sorted(set(manifest['files']) ^ expected)} unlike the script")
    for name, digest in manifest["files"].items():
        path = STATIC / name
        if not path.is_file():
            problems.append(f"kg/static/{name}: missing")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"kg/static/{name}: sha256 differs from the manifest")
    pinned = {(p.name, p.version, p.integrity) for p in PACKAGES}
    if {(p["name"], p["version"], p["integrity"]) for p in manifest["packages"]} != pinned:
        problems.append("the manifest's packages are not those pinned in the script: run it again")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the committed files with the manifest")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(f"vendor_static: {problem}", file=sys.stderr)
        if not problems:
            print(f"vendor_static: {len(json.loads(MANIFEST.read_text())['files'])} files match the manifest")
        return 1 if problems else 0
    vendor()
    return 0


if __name__ == "__main__":
    sys.exit(main())
