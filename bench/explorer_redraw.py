"""How long the explorer takes to load and to redraw its views, in headless Chromium (Debian's, with selenium).

    .venv/bin/python bench/explorer_redraw.py --store fakes [--times 10] [--store ...]

For each store (the seeds, built into a temporary folder, when none is named), and for a copy of it with every
event and person repeated ``--times`` times (new IRIs, the same places, actors, dates and articles: ten times
the rows of every query the page reads), it serves the store, opens the page, and applies a fixed series of
filters through the page's own code (``kgExplorer.setFilters``, ``setPeriod`` as brushing does). Printed: the load
time, and per view the median and the largest redraw time the page measured (its synchronous work), and the time
from the change to the second animation frame after it (what a reader waits for, drawing included). The target:
no view takes more than a second.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_explorer_browser import Page, chrome  # noqa: E402  (the test's browser and page helpers)

from kg.serve import make_server  # noqa: E402
from kg.vocab import CKG, PREFIXES, RDF  # noqa: E402

STEPS = [  # (what, JavaScript that changes the view)
    ("everything", "kgExplorer.setFilters({actor: null, place: null, types: new Set(), since: null, until: null})"),
    ("actor", "kgExplorer.setFilters({actor: 'actor/islamic-state'})"),
    ("actor+type", "kgExplorer.setFilters({types: new Set(['AirStrike'])})"),
    ("reset", "kgExplorer.setFilters({actor: null, types: new Set()})"),
    ("place", "kgExplorer.setFilters({place: 'place/sy/gov/aleppo'})"),
    ("place+year", "kgExplorer.setFilters({since: '2016', until: '2016'})"),
    ("brush 1", "kgExplorer.setFilters({place: null}); kgExplorer.setPeriod('2015-01-01', '2015-06-30', {live: true})"),
    ("brush 2", "kgExplorer.setPeriod('2015-01-01', '2015-12-31', {live: true})"),
    ("brush end", "kgExplorer.setPeriod('2015-01-01', '2016-06-30', {live: false})"),
    ("people folded", "kgExplorer.setFilters({since: null, until: null, people: 'folded'})"),
    ("top 500", "kgExplorer.setFilters({people: 'shown', top: 500})"),
    ("size killed", "kgExplorer.setFilters({top: 100, size: 'killed'})"),
    ("everything", "kgExplorer.setFilters({size: 'events'})"),
]


def multiply(source: Path, target: Path, times: int) -> Path:
    """A copy of the store at ``source`` in which every event and every person is there ``times`` times."""
    store = ox.Store.read_only(str(source))
    union = {"use_default_graph_as_union": True, "prefixes": PREFIXES}
    events = {row[0] for row in store.query("SELECT DISTINCT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf+ ckg:Event }", **union)}
    people = {row[0] for row in store.query("SELECT DISTINCT ?p WHERE { ?p a ckg:Person }", **union)}
    copies = events | people
    out = ox.Store(str(target))
    out.bulk_extend(store.quads_for_pattern(None, None, None, None))
    for k in range(1, times):
        def again(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode:
            return ox.NamedNode(f"{term.value}/copy-{k}")  # type: ignore[union-attr]
        added = []
        for quad in store.quads_for_pattern(None, None, None, None):
            if quad.subject in copies:
                obj = again(quad.object) if quad.object in copies else quad.object
                added.append(ox.Quad(again(quad.subject), quad.predicate, obj, quad.graph_name))
        out.bulk_extend(added)
    out.flush()
    del out
    assert CKG and RDF  # the vocabulary the queries above name
    return target


def measure(store: Path) -> dict[str, object]:
    server = make_server(store, port=0, workers=4)
    server.start()
    driver = chrome()
    try:
        page = Page(driver, server)
        started = time.perf_counter()
        page.open()
        loaded = page.js("return kgExplorer.loadedIn")
        wall = time.perf_counter() - started
        page.js("kgExplorer.timings.records = []")
        waits = []
        for _, script in STEPS:
            waits.append(driver.execute_async_script(
                "const done = arguments[0]; const t = performance.now();" + script +
                "; requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)))"))
        records = page.js("return kgExplorer.timings.records")
        errors = page.errors()
        events = page.js("return kgExplorer.model.events.length")
    finally:
        driver.quit()
        server.close()
    views: dict[str, list[float]] = {}
    for record in records:
        views.setdefault(record["view"], []).append(record["ms"])
    return {"events": events, "loaded": loaded, "wall": wall, "views": views, "waits": waits, "errors": errors}


def report(name: str, result: dict[str, object]) -> None:
    views = result["views"]
    assert isinstance(views, dict)
    waits = result["waits"]
    assert isinstance(waits, list)
    print(f"{name}: {result['events']:,} events, loaded in {result['loaded']:.1f} s (page open {result['wall']:.1f} s)")
    for view in ("map", "timeline", "network", "all"):
        times = views.get(view, [])
        if times:
            print(f"  {view:<9} median {statistics.median(times):7.1f} ms   largest {max(times):7.1f} ms   ({len(times)} redraws)")
    print(f"  to paint  median {statistics.median(waits):7.1f} ms   largest {max(waits):7.1f} ms   ({len(waits)} changes)")
    if result["errors"]:
        print(f"  console errors: {result['errors']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="append", type=Path, help="a store to measure (repeat for more)")
    parser.add_argument("--times", type=int, default=10, help="also measure each store with every event this many times")
    args = parser.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("explorer_redraw: needs chromium and chromium-driver (apt-get install chromium chromium-driver)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        stores = args.store or []
        if not stores:
            seeds = Path(tmp) / "seeds"
            subprocess.run([Path(sys.executable).with_name("kg"), "build", ROOT / "seeds", "--store", seeds,
                            "--no-progress"], check=True, stdout=subprocess.DEVNULL)
            stores = [seeds]
        for store in stores:
            copy = Path(tmp) / f"{store.name}-copy"
            shutil.copytree(store, copy)  # serving locks a store: measure a copy
            report(store.name, measure(copy))
            if args.times > 1:
                started = time.perf_counter()
                bigger = multiply(copy, Path(tmp) / f"{store.name}-x{args.times}", args.times)
                print(f"  ({args.times}x copy made in {time.perf_counter() - started:.0f} s)")
                report(f"{store.name} x{args.times}", measure(bigger))
    return 0


if __name__ == "__main__":
    sys.exit(main())
