"""Build speed against bare spaCy on the same texts.

    .venv/bin/python bench/build_speed.py [CSV] [--limit N]

Prints articles/s of a full `kg build` (read, parse, extract, resolve, write
to a fresh on-disk store) and of bare `nlp.pipe` with the same English model
over the same texts the build parses (title and body), and the ratio of the two. The default input is
the FA-KES corpus in ../shared/corpora/fa-kes/.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import spacy

from kg.build import build
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    with tempfile.TemporaryDirectory() as tmp:
        source = _slice(args.csv, args.limit, Path(tmp))
        # the texts the build parses (each title as its lead line); it keeps the last article per id
        latest = {a.id: analysed_text(a) for a in read_articles([source]) if isinstance(a, Article)}
        texts = list(latest.values())

        nlp = spacy.load(MODEL)
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        bare = len(texts) / (time.perf_counter() - started)

        store = GraphStore.open(Path(tmp) / "store")
        started = time.perf_counter()
        report = build([source], store=store, progress=False)
        full = report.articles / (time.perf_counter() - started)
        store.close()

    print(f"articles:            {len(texts)}")
    print(f"bare nlp.pipe:       {bare:7.1f} articles/s")
    print(f"full kg build:       {full:7.1f} articles/s (model load included)")
    print(f"ratio build/bare:    {full / bare:7.2f}")


if __name__ == "__main__":
    main()
