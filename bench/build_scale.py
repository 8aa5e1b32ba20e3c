"""Whether a build stays linear as the store grows: per-article cost at 1x, 2x, 4x and 8x FA-KES.

    .venv/bin/python bench/build_scale.py [CSV] [--limit N] [--factors 1,2,4,8] [--keep DIR] [-- BUILD OPTIONS]

For each factor F the corpus is written F times over into one CSV: copy k gets new ids (``k-<id>``) and every
year in its title, text and date moved on by 10k, so that no event of one copy can merge with one of another
and the store holds F times the events, places met and claims. Each corpus is built by `kg build` into a fresh
store, and the build's CPU time (the `kg` process and its children: spaCy and extraction included, as a user
pays it) is divided by its articles, once as it is and once less the CPU time of loading the model alone (a
fixed cost that would flatter the larger builds). CPU time, not wall time, so that other work on the machine
weighs little. The ratio is that of the second figure to the 1x build's (target: within 1.15x at 8x).

``--keep DIR`` leaves the store of the largest factor there (for bench/query_speed.py --store DIR).
Arguments after ``--`` go to `kg build` (e.g. ``-- --processes 2``).
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
KG = Path(sys.executable).with_name("kg")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def shifted(text: str, years: int) -> str:
    """``text`` with every year from 1950 to 2099 moved on by ``years``.

    >>> shifted("Wed 05 Apr 2017, 12 killed in 1999", 10)
    'Wed 05 Apr 2027, 12 killed in 2009'
    """
    return YEAR.sub(lambda m: str(int(m.group()) + years), text)


def write_corpus(source: Path, target: Path, factor: int, limit: int | None) -> int:
    """``factor`` shifted copies of the first ``limit`` rows of ``source`` in ``target``; the rows written."""
    csv.field_size_limit(sys.maxsize)
    with source.open(encoding="utf-8", errors="replace", newline="") as src:
        reader = csv.reader(src)
        header = next(reader)
        rows = [row for n, row in enumerate(reader) if limit is None or n < limit]
    ident = header.index("unit_id")
    texts = [i for i, name in enumerate(header) if name in ("article_title", "article_content", "date")]
    with target.open("w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(header)
        for k in range(factor):
            for row in rows:
                copy = list(row)
                copy[ident] = f"{k}-{row[ident]}" if k else row[ident]
                for i in texts:
                    copy[i] = shifted(row[i], 10 * k)
                writer.writerow(copy)
    return len(rows) * factor


def _run(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """(the finished ``command``, its CPU seconds with its children's, its wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def build_cpu(corpus: Path, store: Path, options: list[str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, summary line) of one `kg build` of ``corpus`` into ``store``."""
    done, cpu, wall = _run([str(KG), "build", str(corpus), "--store", str(store), "--no-progress", *options])
    if done.returncode not in (0, 3):
        sys.exit(f"bench: kg build failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    summary = next((line for line in done.stdout.splitlines() if line.startswith("store:")), "")
    return cpu, wall, summary


def model_load_cpu() -> float:
    """CPU seconds of a process that only loads the pipeline the build uses."""
    done, cpu, _ = _run([sys.executable, "-c", "from kg.nlp import load_pipeline; load_pipeline()"])
    if done.returncode:
        sys.exit(f"bench: loading the pipeline failed: {done.stderr.strip()[-500:]}")
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows of the corpus")
    parser.add_argument("--factors", default="1,2,4,8", help="copies of the corpus to build (default 1,2,4,8)")
    parser.add_argument("--keep", type=Path, default=None, help="leave the largest factor's store here")
    args, options = parser.parse_known_args()  # what follows -- goes to kg build
    options = [o for o in options if o != "--"]
    factors = sorted({int(f) for f in args.factors.split(",")})
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    load = model_load_cpu()
    print(f"model load alone: {load:.1f} s CPU")
    print(f"{'factor':>6} {'articles':>8} {'CPU s':>8} {'wall s':>8} {'ms/article':>10} {'less load':>10} {'vs 1x':>6}  store")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            corpus = Path(tmp) / f"fakes-x{factor}.csv"
            rows = write_corpus(args.csv, corpus, factor, args.limit)
            store = Path(tmp) / f"store-x{factor}"
            cpu, wall, summary = build_cpu(corpus, store, options)
            articles = int(summary.split()[1]) if summary else rows
            per_article, marginal = cpu / articles * 1000, (cpu - load) / articles * 1000
            first = first or marginal
            print(f"{factor:>5}x {articles:>8} {cpu:8.1f} {wall:8.1f} {per_article:10.1f} {marginal:10.1f} "
                  f"{marginal / first:6.2f}  "
                  f"{summary.removeprefix('store: ')}", flush=True)
            if args.keep is not None and factor == factors[-1]:
                shutil.rmtree(args.keep, ignore_errors=True)
                shutil.copytree(store, args.keep)
            shutil.rmtree(store, ignore_errors=True)
            corpus.unlink()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
