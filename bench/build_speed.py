"""Build speed against bare spaCy on the same texts, with 1 and N processes, on Dask, and re-run.

    .venv/bin/python bench/build_speed.py [CSV] [--limit N] [--processes N] [--rounds R]

Prints one table, every figure from this one run. Each of R rounds (default 5) runs every step once, in
this order in the even rounds (the first is round 0) and all but the re-run in the reverse order in the odd
ones, each into a fresh on-disk store:

- bare spaCy: ``spacy.load`` of the English model, then ``nlp.pipe`` over the texts the build parses
  (title and body), batches of 64;
- the same with the model's matrix products through numpy's BLAS on one thread, as the build's pipeline runs
  them (``kg.matrix_ops``; spaCy as installed runs them through BLIS, which on a processor it has no kernel
  for falls back to a generic one): the part of the build that is spaCy's, so that build1/bare on this
  BLAS is the rest of the build in proportion, where build1/bare also counts what the BLAS saves;
- ``kg build`` with 1 process (read, parse, extract, write, resolve; the pipeline's load included);
- ``kg build --processes N`` (default: the cores available) and ``--engine dask`` on a LocalCluster of N
  workers (its start included);
- a re-run of the 1-process build over the same input (nothing changed);

then the ratios: build1/bare, build1/bare on numpy's BLAS and buildN/build1 (speed), dask/embedded with N
processes (speed), and re-run/first build (time), each by wall time and by CPU time (this process's and its
ended children's: the workers', Dask's). Each ratio is the median of the rounds' own ratios: on a virtual
machine the speed of the same build drifts by 10% and more from one minute to the next (seen here: 61 s and
74 s for one build, on an idle machine; three runs of one 1-process build 56 s to 69 s within half an hour,
its CPU time with it), so a ratio of two steps run once, minutes apart, says as much about the drift as
about the code. The order alternates so that a step that runs after the other in one round runs before it in the next
(a drift within rounds then pulls the two ways). The rounds' seconds are printed too, and the ratio of the
best times of the two steps (as ``timeit`` reads its runs: the machine's interference only adds time). The
machine's load average is printed before and after. The default input is the FA-KES corpus in
../shared/corpora/fa-kes/.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
DEFAULT_CSV = BENCH.parents[1] / "shared" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"


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


def _step(step: str, source: Path, store_path: Path, processes: int) -> dict[str, float]:
    """Run one step in this (fresh) process: its articles, wall seconds and CPU seconds, from the import of
    spaCy (bare) or of the build on, after the bare step's untimed read of the texts."""
    if step in ("bare", "bare_numpy"):
        from kg.extraction import analysed_text
        from kg.nlp import MODEL
        from kg.reading import Article, read_articles

        # the texts the build parses (each title as its lead line); it keeps the last article per id
        texts = list({a.id: analysed_text(a) for a in read_articles([source]) if isinstance(a, Article)}.values())
        started, cpu = time.perf_counter(), _cpu()
        import spacy

        nlp = spacy.load(MODEL)
        if step == "bare_numpy":
            from kg.matrix_ops import use_numpy_blas

            use_numpy_blas(nlp)
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        return {"articles": len(texts), "wall": time.perf_counter() - started, "cpu": _cpu() - cpu}
    started, cpu = time.perf_counter(), _cpu()
    from kg.build import build
    from kg.store import GraphStore

    options = {"processes": 1} if step in ("one", "rerun") else {"processes": processes}
    if step == "dask":
        options["engine"] = "dask"
    store = GraphStore.open(store_path)
    try:
        report = build([source], store=store, progress=False, **options)  # type: ignore[arg-type]
    finally:
        store.close()
    if report.problems:
        print(f"bench: {len(report.problems)} problem(s), e.g. {report.problems[0]}", file=sys.stderr)
    return {"articles": report.articles, "wall": time.perf_counter() - started, "cpu": _cpu() - cpu}


def _run_step(step: str, source: Path, store_path: Path, processes: int) -> dict[str, float]:
    """:func:`_step` in a fresh interpreter, as a user's ``kg build`` runs: no model, cache or import from
    an earlier step is left to it."""
    command = [sys.executable, __file__, str(source), "--step", step, "--store", str(store_path),
               "--processes", str(processes)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: step {step} failed: {done.stderr.strip()[-500:]}")
    for line in done.stderr.splitlines():  # each step of each round meets the same problems: said once
        if line not in _SAID:
            _SAID.add(line)
            print(line, file=sys.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


_SAID: set[str] = set()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


STEPS = ("bare", "bare_numpy", "one", "many", "dask", "rerun")
"""The steps of a round, in the order they run in an even round (see :func:`round_order`)."""


def round_order(n: int) -> tuple[str, ...]:
    """The order of the steps in round ``n``: :data:`STEPS` in an even round, all but the last reversed in an odd
    one (the re-run last in both: it runs over the 1-process build's store).

    >>> round_order(0), round_order(1)[:-1]
    (('bare', 'bare_numpy', 'one', 'many', 'dask', 'rerun'), ('dask', 'many', 'one', 'bare_numpy', 'bare'))
    """
    first = STEPS[:-1] if n % 2 == 0 else STEPS[-2::-1]
    return (*first, STEPS[-1])


RATIOS = (("build1/bare (speed)", "bare", "one"), ("build1/bare on numpy's BLAS (speed)", "bare_numpy", "one"),
          ("buildN/build1 (speed)", "one", "many"),
          ("dask(N)/embedded(N) (speed)", "many", "dask"), ("re-run/first build (time)", "rerun", "one"))
"""Each ratio's name and the two steps it divides, numerator first (a speed: the slower step's time on top)."""


def measure(source: Path, processes: int, folder: Path, rounds: int = 1) -> tuple[int, dict[str, list[tuple[float, float]]]]:
    """(articles, step -> [(wall s, CPU s) of each round]) of bare spaCy and of the builds of ``source``.

    Each round runs every step once, in :func:`round_order`, each in a fresh interpreter and (but the re-run)
    a fresh store in ``folder`` (removed after the round), so the two sides of each ratio run minutes apart,
    not a whole benchmark apart.
    """
    times: dict[str, list[tuple[float, float]]] = {step: [] for step in STEPS}
    articles = 0
    for n in range(rounds):
        stores = folder / f"round{n}"
        for step in round_order(n):
            store = stores / ("one" if step == "rerun" else step)
            measured = _run_step(step, source, store, processes)
            times[step].append((measured["wall"], measured["cpu"]))
            articles = int(measured["articles"]) if step == "bare" else articles
        shutil.rmtree(stores, ignore_errors=True)
    return articles, times


def ratio(times: dict[str, list[tuple[float, float]]], top: str, bottom: str, *, cpu: bool = False) -> float:
    """The median over rounds of step ``top``'s time over step ``bottom``'s in the same round (wall, or CPU).

    >>> ratio({"a": [(2.0, 1.0), (9.0, 1.0), (3.0, 1.0)], "b": [(1.0, 1.0), (3.0, 1.0), (1.0, 1.0)]}, "a", "b")
    3.0
    """
    column = 1 if cpu else 0
    return statistics.median(a[column] / b[column] for a, b in zip(times[top], times[bottom], strict=True))


def best_ratio(times: dict[str, list[tuple[float, float]]], top: str, bottom: str) -> float:
    """Step ``top``'s best wall time over step ``bottom``'s, over the rounds.

    >>> best_ratio({"a": [(2.0, 1.0), (9.0, 1.0)], "b": [(1.0, 1.0), (3.0, 1.0)]}, "a", "b")
    2.0
    """
    return min(wall for wall, _ in times[top]) / min(wall for wall, _ in times[bottom])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    parser.add_argument("--processes", type=int, default=None, help="N (default: the cores available)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of every step (default 5; medians are shown)")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)  # one step, run by _run_step
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(_step(args.step, args.csv, args.store, args.processes)))
        return
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    from kg.engines import available_cores

    n = args.processes or available_cores()
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        articles, times = measure(_slice(args.csv, args.limit, Path(tmp)), n, Path(tmp), args.rounds)
    print(f"articles: {articles}   cores available: {available_cores()}   rounds: {args.rounds}   "
          f"load average before: {load_before}   after: {_load()}")
    names = {"bare": "bare spaCy (load + nlp.pipe)", "bare_numpy": "bare spaCy on numpy's BLAS",
             "one": "kg build, 1 process", "many": f"kg build, {n} processes",
             "dask": f"kg build, dask LocalCluster({n})", "rerun": "kg build re-run, 1 process"}
    print(f"{'step (median of the rounds)':40} {'seconds':>8} {'articles/s':>11} {'CPU s':>8}   each round's seconds")
    for step, runs in times.items():
        seconds, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{names[step]:40} {seconds:8.2f} {articles / seconds:11.1f} {cpu:8.2f}   "
              + " ".join(f"{w:.2f}" for w, _ in runs))
    print(f"{'ratio (median of the rounds)':40} {'wall':>8} {'':>11} {'CPU':>8}   {'best times':>10}")
    for name, top, bottom in RATIOS:
        name = name.replace("N", str(n))
        digits = 3 if top == "rerun" else 2
        print(f"{name:40} {ratio(times, top, bottom):8.{digits}f} {'':>11} {ratio(times, top, bottom, cpu=True):8.{digits}f}"
              f"   {best_ratio(times, top, bottom):10.{digits}f}")


if __name__ == "__main__":
    main()
