"""Build time with the store on a SPARQL server (`oxigraph serve` on loopback) against the embedded store.

    .venv/bin/python bench/remote_store.py [CSV] [--limit 100]

Builds the seeds, then the first LIMIT rows of the CSV (default: FA-KES in ../shared/corpora/fa-kes/), into a
fresh embedded store and into a fresh store on a fresh `oxigraph serve`, in one process (the spaCy model is
loaded before any timing), and prints the wall time of each step, with the ratio remote / embedded: the build, a
re-run of the same input (nothing to write), resolution forced over the built store (every claim read back,
the canonical graph compared; nothing changes), and an N-Quads export.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the oxigraph server the tests start

from build_speed import DEFAULT_CSV, _slice  # noqa: E402
from oxigraph_server import OXIGRAPH, OxigraphServer  # noqa: E402

from kg.build import build  # noqa: E402
from kg.canonical import resolve_store  # noqa: E402
from kg.nlp import load_pipeline  # noqa: E402
from kg.store import GraphStore  # noqa: E402


def _seconds(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _measure(source: Path, location: str) -> dict[str, float]:
    """Seconds to build ``source`` into the (fresh) store at ``location``, to build it again, and to export it."""
    store = GraphStore.open(location)
    try:
        first = _seconds(lambda: build([source], store=store, progress=False))
        again = _seconds(lambda: build([source], store=store, progress=False))
        resolve = _seconds(lambda: resolve_store(store, force=True))
        dump = _seconds(lambda: store.dump(io.BytesIO(), "nquads"))
        articles = store.counts().articles
    finally:
        store.close()
    return {"build": first, "re-run": again, "resolve": resolve, "export": dump, "articles": articles}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=100, help="rows of the CSV to build (default: 100)")
    args = parser.parse_args()
    if OXIGRAPH is None:
        sys.exit("bench: no `oxigraph` executable; run `make setup` (or pip install 'conflict-kg[remote]')")
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    load_pipeline()
    print("input       articles  step     embedded s  remote s  remote/embedded")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = {"seeds": ROOT / "seeds", f"csv {args.limit}": _slice(args.csv, args.limit, folder)}
        for n, (name, source) in enumerate(inputs.items()):
            embedded = _measure(source, str(folder / f"embedded{n}"))
            server = OxigraphServer(folder / f"oxigraph{n}")
            try:
                remote = _measure(source, server.url)
            finally:
                server.stop()
            assert remote["articles"] == embedded["articles"], (remote, embedded)
            for step in ("build", "re-run", "resolve", "export"):
                print(f"{name:<10}  {embedded['articles']:>8.0f}  {step:<7}  {embedded[step]:>10.2f}  "
                      f"{remote[step]:>8.2f}  {remote[step] / embedded[step]:>15.2f}")


if __name__ == "__main__":
    main()
