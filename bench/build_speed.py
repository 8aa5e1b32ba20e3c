"""Build speed against bare spaCy on the same texts, with 1 and N processes, on Dask, and re-run.

    .venv/bin/python bench/build_speed.py [CSV] [--limit N] [--processes N]

Prints one table, every figure from this one run, each step into a fresh on-disk store:

- bare spaCy: ``spacy.load`` of the English model, then ``nlp.pipe`` over the texts the build parses
  (title and body), batches of 64;
- ``kg build`` with 1 process (read, parse, extract, write, resolve; the pipeline's load included);
- ``kg build --processes N`` (default: the cores available) and ``--engine dask`` on a LocalCluster of N
  workers (its start included);
- a re-run of the 1-process build over the same input (nothing changed);

then the ratios: build1/bare and buildN/build1 (speed), dask/embedded with N processes (speed), and
re-run/first build (time), each by wall time and by CPU time (this process's and its ended children's: the
workers', Dask's), which other work on a shared machine changes less. The machine's load average is printed
before and after. The default input is the FA-KES corpus in ../shared/corpora/fa-kes/.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from kg.build import build
from kg.engines import available_cores
from kg.extraction import analysed_text
from kg.nlp import MODEL
from kg.reading import Article, read_articles
from kg.store import GraphStore

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"


def _slice(source: Path, limit: int | None, folder: Path) -> Path:
    """The first ``limit`` rows of a CSV (all of it when None), as a file in ``folder``."""
    if limit is None:
        return source
    target = folder / source.name
    csv.field_size_limit(sys.maxsize)
    with source.open(encoding="utf-8", errors="replace", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        for n, row in enumerate(reader):
            if n >= limit:
                break
            writer.writerow(row)
    return target


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (worker processes, Dask's)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _seconds(run: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``run``."""
    started, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - started, _cpu() - cpu


def _bare(texts: list[str]) -> None:
    nlp = spacy.load(MODEL)
    for _ in nlp.pipe(texts, batch_size=64):
        pass


def _build(source: Path, store_path: Path, **options: object) -> Callable[[], object]:
    def run() -> object:
        store = GraphStore.open(store_path)
        try:
            report = build([source], store=store, progress=False, **options)  # type: ignore[arg-type]
            if report.problems:
                print(f"bench: {len(report.problems)} problem(s), e.g. {report.problems[0]}", file=sys.stderr)
            return report
        finally:
            store.close()
    return run


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(source: Path, processes: int, folder: Path) -> tuple[int, dict[str, tuple[float, float]]]:
    """(articles, step -> (wall s, CPU s)) of bare spaCy and of the builds of ``source``, in fresh stores in ``folder``."""
    # the texts the build parses (each title as its lead line); it keeps the last article per id
    latest = {a.id: analysed_text(a) for a in read_articles([source]) if isinstance(a, Article)}
    texts = list(latest.values())
    n = processes
    times = {
        "bare spaCy (load + nlp.pipe)": _seconds(lambda: _bare(texts)),
        "kg build, 1 process": _seconds(_build(source, folder / "one", processes=1)),
        f"kg build, {n} processes": _seconds(_build(source, folder / "many", processes=n)),
        f"kg build, dask LocalCluster({n})": _seconds(_build(source, folder / "dask", processes=n, engine="dask")),
        "kg build re-run, 1 process": _seconds(_build(source, folder / "one", processes=1)),
    }
    return len(texts), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    parser.add_argument("--processes", type=int, default=available_cores(), help="N (default: the cores available)")
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    n = args.processes
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        articles, times = measure(_slice(args.csv, args.limit, Path(tmp)), n, Path(tmp))
    (bare, bare_cpu), (one, one_cpu), (many, many_cpu), (dask, dask_cpu), (rerun, _) = times.values()
    print(f"articles: {articles}   cores available: {available_cores()}   "
          f"load average before: {load_before}   after: {_load()}")
    print(f"{'step':40} {'seconds':>8} {'articles/s':>11} {'CPU s':>8}")
    for name, (seconds, cpu) in times.items():
        print(f"{name:40} {seconds:8.2f} {articles / seconds:11.1f} {cpu:8.2f}")
    print(f"{'ratio':40} {'wall':>8} {'':>11} {'CPU':>8}")
    print(f"{'build1/bare (speed)':40} {bare / one:8.2f} {'':>11} {bare_cpu / one_cpu:8.2f}")
    print(f"{f'build{n}/build1 (speed)':40} {one / many:8.2f} {'':>11} {one_cpu / many_cpu:8.2f}")
    print(f"{f'dask({n})/embedded({n}) (speed)':40} {many / dask:8.2f} {'':>11} {many_cpu / dask_cpu:8.2f}")
    print(f"{'re-run/first build (time)':40} {rerun / one:8.3f}")


if __name__ == "__main__":
    main()
