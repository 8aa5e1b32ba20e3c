"""Where the build's parse spends its time: each component of its pipeline, timed alone over a corpus.

    .venv/bin/python bench/pipeline_parts.py [CSV] [--limit N] [--batch N]

Reads the articles as the build does (each title as its lead line, the last article per id), tokenises them
in batches (default 64, as the build's), and runs the batch through each component of the build's pipeline
in turn (``kg.nlp.load_pipeline``: the model's and conflict-kg's own), timing each component on its own;
then the extraction of every parsed article (``kg.claims.article_record``). Prints the seconds of each.
The default input is the FA-KES corpus in ../shared/corpora/fa-kes/.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from build_speed import DEFAULT_CSV  # noqa: E402  # the benchmarks' one default corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch", type=int, default=64, help="articles per batch (default 64)")
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"bench: no corpus at {args.csv}")
    from kg.analysis import pipeline
    from kg.claims import article_record
    from kg.extraction import analysed_text
    from kg.limits import MAX_CHARS
    from kg.reading import Article, read_articles

    articles = list({a.id: a for a in read_articles([args.csv]) if isinstance(a, Article)}.values())[:args.limit]
    texts = [analysed_text(a) for a in articles]
    nlp = pipeline(MAX_CHARS)
    seconds: Counter[str] = Counter()
    docs = []
    for start in range(0, len(texts), args.batch):
        began = time.perf_counter()
        batch = [nlp.tokenizer(text) for text in texts[start:start + args.batch]]
        seconds["tokenizer"] += time.perf_counter() - began
        for name, component in nlp.pipeline:
            began = time.perf_counter()
            batch = list(component.pipe(batch, batch_size=args.batch)) if hasattr(component, "pipe") \
                else [component(doc) for doc in batch]
            seconds[name] += time.perf_counter() - began
        docs += batch
    began = time.perf_counter()
    for article, doc in zip(articles, docs):
        article_record(article, doc, "0")
    extraction = time.perf_counter() - began
    print(f"articles: {len(articles)}   batch: {args.batch}")
    for name, spent in seconds.items():
        print(f"{name:24} {spent:7.2f} s")
    print(f"{'parse, all components':24} {sum(seconds.values()):7.2f} s")
    print(f"{'extraction':24} {extraction:7.2f} s")


if __name__ == "__main__":
    main()
