"""The package as users install it: an sdist, a wheel built from it, installed into a fresh venv, run elsewhere.

It must build the seeds and answer as the checkout does: the ontology, the
shapes, the named queries, the data and the query page travel inside the
wheel (see kg/resources.py), and nothing is read from the source tree.

The fresh venv gets no packages of its own but the wheel: a ``.pth`` file in
its site-packages puts this interpreter's site-packages on its path, so the
dependencies import without a download. The ``.pth`` files *inside* that folder
(among them the editable install's finder, which would map ``kg`` to the
checkout) are not run, since site processes ``.pth`` files only in its own site
directories, not in folders a ``.pth`` line adds; the test checks that ``kg``,
its resources and the ``kg`` script all come from the fresh venv.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".hypothesis", "*.egg-info",
                                    "build", "dist", "kg-store")
RESOURCES = ("kg/_ontology/ckg.ttl", "kg/_ontology/shapes.ttl", "kg/_queries/events.rq", "kg/data/actors.toml",
             "kg/data/places.json.gz", "kg/static/index.html", "kg/static/yasgui/yasgui.min.js", "kg/py.typed",
             "kg/static/sparql.html", "kg/static/explorer/main.js", "kg/static/vendor/leaflet/leaflet.js",
             "kg/static/vendor/leaflet/images/layers.png", "kg/static/vendor/manifest.json", "kg/static/basemap.geojson")


def run(command: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run ``command``; its stdout, after checking it exited 0 (stderr goes into the failure message)."""
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def build_backend(hook: str, out: Path, *, cwd: Path) -> Path:
    """Call the project's PEP 517 backend (setuptools) ``hook`` in ``cwd``; the file it writes into ``out``."""
    code = f"import sys; from setuptools import build_meta; print(build_meta.{hook}(sys.argv[1]))"
    name = run([sys.executable, "-c", code, out], cwd=cwd).strip().splitlines()[-1]
    return out / name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from an sdist of a copy of the checkout (the checkout itself is left untouched)."""
    base = tmp_path_factory.mktemp("dist")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    sdist = build_backend("build_sdist", base, cwd=source)
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        archive.extractall(base / "unpacked", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    top = names[0].split("/")[0]
    assert {f"{top}/ontology/ckg.ttl", f"{top}/ontology/shapes.ttl", f"{top}/queries/events.rq"} <= set(names)
    return build_backend("build_wheel", base, cwd=base / "unpacked" / top)


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the wheel and nothing else; this interpreter's site-packages give it the dependencies."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    site = Path(run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=venv.parent).strip())
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "_dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-deps",
         "--no-index", "--disable-pip-version-check", wheel], cwd=venv.parent)
    return venv


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder outside the checkout."""
    return tmp_path_factory.mktemp("elsewhere")


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """The environment, less what could point the fresh venv at the checkout or at another store."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_STORE", "VIRTUAL_ENV", "PYTHONHOME")}


@pytest.fixture(scope="module")
def built(fresh: Path, elsewhere: Path, env: dict[str, str]) -> tuple[Path, str]:
    """(store, output) of the installed `kg build seeds`, run in a folder outside the checkout."""
    store = elsewhere / "store"
    return store, run([fresh / "bin" / "kg", "build", SEEDS, "--store", store, "--no-progress"], cwd=elsewhere, env=env)


def checkout(*args: object) -> str:
    """The output of `kg ARGS` from the checkout (the editable install), in this process."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_wheel_carries_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(RESOURCES) <= names
    queries = {n.removeprefix("kg/_queries/") for n in names if n.startswith("kg/_queries/") and n.endswith(".rq")}
    assert queries == {str(p.relative_to(ROOT / "queries")) for p in (ROOT / "queries").glob("**/*.rq")}
    assert any(name.startswith("internal/") for name in queries)  # the queries the package runs itself travel too
    assert not any(n.startswith(("ontology/", "queries/", "tests/", "seeds/")) for n in names)


def test_kg_comes_from_the_fresh_venv_not_the_checkout(fresh: Path, elsewhere: Path, env: dict[str, str]) -> None:
    code = ("import json, sys, kg, kg.resources as r; "
            "print(json.dumps({'kg': kg.__file__, 'ontology': str(r.resource_dir('ontology')), "
            "'queries': str(r.resource_dir('queries')), 'static': str(r.resource_dir('static')), "
            "'version': kg.__version__, 'finders': [repr(f) for f in sys.meta_path], "
            "'editable': [m for m in sys.modules if 'editable' in m]}))")
    seen = json.loads(run([fresh / "bin" / "python", "-c", code], cwd=elsewhere, env=env))
    site = (fresh / "lib").resolve()
    for key in ("kg", "ontology", "queries", "static"):
        assert Path(seen[key]).resolve().is_relative_to(site), (key, seen[key])
        assert not Path(seen[key]).resolve().is_relative_to(ROOT), (key, seen[key])
    assert not seen["editable"] and not any("editable" in f.lower() for f in seen["finders"])
    assert seen["version"] != "0.0.0"
    assert (fresh / "bin" / "kg").read_text(encoding="utf-8").startswith(f"#!{fresh / 'bin' / 'python'}")


def test_the_installed_kg_builds_the_seeds_as_the_checkout_does(built: tuple[Path, str], seeds_store: Path) -> None:
    _, output = built
    first, *counts = output.splitlines()
    assert first.endswith(", 0 inputs skipped") and not first.startswith("0 articles"), output
    assert counts == checkout("stats", "--store", seeds_store).splitlines()
    events = int(counts[0].split(" events, ")[0].rsplit(" ", 1)[1])
    assert events > 0, output


def test_the_installed_kg_answers_as_the_checkout_does(built: tuple[Path, str], fresh: Path, elsewhere: Path,
                                                       env: dict[str, str], seeds_store: Path) -> None:
    store, _ = built
    kg = fresh / "bin" / "kg"
    assert run([kg, "stats", "--store", store], cwd=elsewhere, env=env) == checkout("stats", "--store", seeds_store)
    events = json.loads(run([kg, "query", "events", "--store", store, "--format", "json"], cwd=elsewhere, env=env))
    assert events and events == json.loads(checkout("query", "events", "--store", seeds_store, "--format", "json"))
    assert "events" in run([kg, "queries"], cwd=elsewhere, env=env).split()
    run([kg, "export", "--store", store, "--format", "gexf", "-o", elsewhere / "graph.gexf"], cwd=elsewhere, env=env)
    checkout("export", "--store", seeds_store, "--format", "gexf", "-o", elsewhere / "checkout.gexf")
    gexf = (elsewhere / "graph.gexf").read_bytes()
    assert gexf.count(b"<node ") > len(events) and gexf == (elsewhere / "checkout.gexf").read_bytes()
    assert run([kg, "validate", "--store", store], cwd=elsewhere, env=env).endswith("0 violations\n")


def test_the_installed_query_page_is_served(fresh: Path, elsewhere: Path, env: dict[str, str]) -> None:
    code = ("from kg.serve import static_reply; r = static_reply('sparql.html'); "
            "assert r.status == 200 and b'yasgui' in r.body, r; r = static_reply('index.html'); "
            "assert r.status == 200 and b'explorer/main.js' in r.body, r; "
            "r = static_reply('vendor/vis-timeline/vis-timeline-graph2d.min.js'); assert r.status == 200, r")
    run([fresh / "bin" / "python", "-c", code], cwd=elsewhere, env=env)
