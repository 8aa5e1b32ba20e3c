"""What the read side adds to a query: name lookups, the query guard, and HTTP.

    .venv/bin/python bench/query_speed.py [--store DIR] [--runs N]

On a store (default: the seeds, built into a temporary folder first; for a real figure name a FA-KES store,
or the 8x store that bench/build_scale.py leaves with --keep), prints, as medians of N runs (default 31; the
two sides of each ratio run in turn, the ratio the median of the turns' own ratios):

* each named query with a name parameter, run by name with the name as a user gives it (as written, and in
  lower case), against the same SPARQL run directly on pyoxigraph with the node's IRI bound: the ratio is what
  resolving the name costs (target: within 1.2x);
* the query guard (``kg.guard.check_query``, its cache emptied first) on every named query's text and on an
  ad-hoc query that names SERVICE in a string (the slow path: both parsers run); target < 5 ms;
* HTTP: a small SELECT through `kg serve` on 127.0.0.1 (one client, keep-alive off) against the same query
  on pyoxigraph in this process; the difference is the endpoint's cost per request.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg.guard  # noqa: E402
from kg.queries import list_queries, load_query, run_query  # noqa: E402
from kg.serve import make_server  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.terms import find  # noqa: E402
from kg.vocab import PREFIXES  # noqa: E402

NAMED = (("events_by_actor", "actor", "Islamic State"), ("events_in_place", "place", "Aleppo"),
         ("places_attacked_by", "actor", "Islamic State"), ("control_history", "place", "Aleppo"))
SMALL = "SELECT ?event ?label WHERE { ?event a ckg:AirStrike ; rdfs:label ?label } LIMIT 10"
WITH_SERVICE_WORD = 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(?l != "customer service") } LIMIT 10'


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``action``, in milliseconds (after one warm-up call)."""
    return paired_ms(action, None, runs)[0]


def paired_ms(first: Callable[[], object], second: Callable[[], object] | None, runs: int) -> tuple[float, float]:
    """Median milliseconds of ``first`` and ``second`` run in turn ``runs`` times (after a warm-up), so that
    a load that comes and goes weighs on both alike; 0.0 for a missing ``second``."""
    medians, _ = _paired(first, second, runs)
    return medians[0], medians[1] if len(medians) > 1 else 0.0


def paired_ratio(first: Callable[[], object], second: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """:func:`paired_ms` of the two, and the median of the ratios of each turn's two times: on a machine whose
    speed drifts from one second to the next, the two medians may come from slower and faster moments, the
    two times of one turn from the same moment."""
    medians, times = _paired(first, second, runs)
    return medians[0], medians[1], statistics.median(a / b for a, b in zip(*times, strict=True))


def _paired(first: Callable[[], object], second: Callable[[], object] | None,
            runs: int) -> tuple[list[float], list[list[float]]]:
    """(median ms of each action, the seconds of each of its runs), the actions run in turn."""
    actions = [a for a in (first, second) if a is not None]
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, spent in zip(actions, times):
            started = time.perf_counter()
            action()
            spent.append(time.perf_counter() - started)
    return [statistics.median(t) * 1000 for t in times], times


def named_rows(store: GraphStore, runs: int) -> list[tuple[str, float, float, float]]:
    """(query and name, named ms, direct ms, median of the turns' ratios) for each named query with a name
    parameter and each spelling."""
    out = []
    for name, param, value in NAMED:
        query = load_query(name)
        kind = next(p.type for p in query.parameters if p.name == param)
        nodes = find(store, value, kind)
        if len(nodes) != 1:
            print(f"  ({name}: {value!r} names {len(nodes)} nodes here; left out)")
            continue
        def direct() -> object:
            return list(store.store.query(query.text, prefixes=PREFIXES, use_default_graph_as_union=True,
                                          substitutions={ox.Variable(param): nodes[0]}))

        for spelling in (value, value.lower()):
            named, direct_ms, ratio = paired_ratio(lambda: run_query(store, name, {param: spelling}), direct, runs)
            out.append((f"{name} {param}={spelling!r}", named, direct_ms, ratio))
    return out


def guard_ms(runs: int) -> list[tuple[str, float]]:
    """(query, median ms of the guard with its cache emptied) for the named queries and the slow path."""
    def checked(text: str) -> Callable[[], None]:
        def check() -> None:
            kg.guard._cached_refusal.cache_clear()
            kg.guard.check_query(text)
        return check

    texts = {q.name: q.text for q in list_queries()}
    texts["ad hoc, 'service' in a string (both parsers)"] = WITH_SERVICE_WORD
    return [(name, median_ms(checked(text), runs)) for name, text in texts.items()]


def http_ms(store_dir: Path, store: GraphStore, runs: int) -> tuple[float, float]:
    """(ms per small SELECT over HTTP, ms for the same query on pyoxigraph directly)."""
    with make_server(store_dir, port=0, workers=2) as server:
        server.start()
        url = f"{server.url}sparql?query={quote(SMALL)}"
        return paired_ms(lambda: urllib.request.urlopen(url, timeout=30).read(), lambda: list(store.query(SMALL)), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=None, help="a built store (default: the seeds, built first)")
    parser.add_argument("--runs", type=int, default=31, help="runs of each measurement (the median is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = args.store
        if store_dir is None:
            from kg.build import build

            store_dir = Path(tmp) / "store"
            built = GraphStore.open(store_dir)
            build([ROOT / "seeds"], store=built, progress=False)
            built.close()
        store = GraphStore.open(store_dir, read_only=True)
        print(f"store: {store_dir} ({len(store.store)} quads)")
        print(f"{'named query, name as given':58} {'named ms':>9} {'direct ms':>9} {'ratio':>6}")
        for label, named, direct, ratio in named_rows(store, args.runs):
            print(f"{label:58} {named:9.2f} {direct:9.2f} {ratio:6.2f}")
        rows = guard_ms(args.runs)
        worst = max(rows, key=lambda r: r[1])
        fast = max(ms for name, ms in rows if name != worst[0]) if len(rows) > 1 else worst[1]
        print(f"query guard: at most {fast:.3f} ms on a named query; {worst[1]:.1f} ms on {worst[0]}")
        store.close()  # the server opens it read-only in its workers
        store = GraphStore.open(store_dir, read_only=True)
        over_http, direct = http_ms(store_dir, store, args.runs)
        print(f"HTTP: {over_http:.2f} ms per small SELECT against {direct:.2f} ms on pyoxigraph "
              f"({over_http - direct:.2f} ms per request)")
        store.close()


if __name__ == "__main__":
    main()
