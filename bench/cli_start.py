"""Start-up time of the `kg` command: commands that need no language processing should not pay for spaCy.

    .venv/bin/python bench/cli_start.py [--runs N] [--store DIR]

Prints the median wall time of N runs (default 7) of `python -c pass` (the
interpreter alone), `kg --help`, `kg stats` and `kg query events` on a store of
the seeds (built into a temporary folder first, unless --store names one).
Targets: `kg --help` well under 0.5 s, `kg query events` on the seeds under 1 s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")


def wall_time(command: list[str], runs: int) -> float:
    """The median wall time of ``runs`` runs of ``command``, in seconds (each must exit 0)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(store: Path, runs: int) -> list[tuple[str, float]]:
    """(command, median seconds) of each command measured."""
    on_store = ["--store", str(store)]
    commands = {"python -c pass": [sys.executable, "-c", "pass"], "kg --help": [str(KG), "--help"],
                "kg stats": [str(KG), "stats", *on_store], "kg query events": [str(KG), "query", "events", *on_store]}
    return [(name, wall_time(command, runs)) for name, command in commands.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (the median is shown)")
    parser.add_argument("--store", type=Path, default=None, help="a store to query (default: the seeds, built first)")
    args = parser.parse_args()
    if not KG.is_file():
        sys.exit(f"bench: no kg command next to {sys.executable}; run `make setup` first")
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            subprocess.run([str(KG), "build", str(ROOT / "seeds"), "--store", str(store), "--no-progress"],
                           check=True, stdout=subprocess.DEVNULL)
        rows = measure(store, args.runs)
    width = max(len(name) for name, _ in rows)
    print(f"{'command':<{width}}  median of {args.runs}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.3f} s")


if __name__ == "__main__":
    main()
