"""Build time against input size: long articles and many tiny records.

    .venv/bin/python bench/hostile_input.py [--uncut] [--records 1000,10000[,100000]]

Builds, each into a fresh on-disk store (the model is loaded once, before the
clock starts): one article of 10 KB, 100 KB and 1 MB made by repeating real
sentences from seeds/ (the 1 MB one is cut to the default ``--max-chars``;
with ``--uncut`` it is also built whole, with ``--max-chars 1000000``), and
JSONL files of 1,000 and 10,000 one-sentence records. Prints wall-clock and CPU
seconds, the cost per character or record, and each row's CPU time as a
multiple of the last smaller input's (CPU time, so that other work on a shared
machine counts less). Cost is linear when the multiple follows the size (10x
the input, ~10x the time); a cut text costs less.
"""
from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from kg.build import build
from kg.limits import MAX_CHARS
from kg.nlp import load_pipeline
from kg.reading import Article, read_articles
from kg.store import GraphStore

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_sentences() -> list[str]:
    """The sentences of the seed articles (their text as built), in order."""
    texts = [a.text for a in read_articles([SEEDS]) if isinstance(a, Article)]
    return [s for t in texts for line in t.split("\n") for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
            if len(s.split()) >= 6 and s.endswith((".", '"'))]


def long_article(sentences: list[str], size: int) -> str:
    """A headline, then paragraphs of five seed sentences each, repeated until ``size`` characters."""
    lines, n, length = ["Air strikes hit Raqqa as talks begin", ""], 0, 40
    while length < size:
        paragraph = " ".join(sentences[(n + k) % len(sentences)] for k in range(5))
        lines += [paragraph, ""]
        length += len(paragraph) + 2
        n += 5
    return "\n".join(lines)[:size].rsplit(" ", 1)[0] + "\n"


def tiny_records(sentences: list[str], count: int) -> str:
    return "".join(json.dumps({"id": f"r{i}", "text": sentences[i % len(sentences)]}) + "\n" for i in range(count))


def timed_build(path: Path, folder: Path, **options: int) -> tuple[float, float, int]:
    """(wall-clock seconds, CPU seconds, articles built) of a build of ``path`` into a new store."""
    store = GraphStore.open(folder / f"store-{path.stem}-{options.get('max_chars', 0)}")
    started, cpu = time.perf_counter(), time.process_time()
    report = build([path], store=store, progress=False, **options)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    return elapsed, cpu, report.articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uncut", action="store_true", help="also build the 1 MB article whole (--max-chars 1000000)")
    parser.add_argument("--records", default="1000,10000", help="JSONL record counts, comma-separated")
    args = parser.parse_args()
    sentences = seed_sentences()
    load_pipeline()
    rows: list[tuple[str, int, str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = folder / "warm.txt"
        warm.write_text(long_article(sentences, 2_000), encoding="utf-8")
        timed_build(warm, folder)  # first use of the pipeline and the store
        runs = [(size, {}) for size in (10_000, 100_000, 1_000_000)]
        if args.uncut:
            runs.append((1_000_000, {"max_chars": 1_000_000}))
        for size, options in runs:
            path = folder / f"article-{size}.txt"
            path.write_text(long_article(sentences, size), encoding="utf-8")
            seconds, cpu, _ = timed_build(path, folder, **options)
            chars = min(size, options.get("max_chars", MAX_CHARS))
            label = f"article {size // 1000:,} KB" + (f" (cut to {chars:,})" if chars < size else "")
            rows.append((label, size, "chars", seconds, cpu, f"{cpu / size * 1e6:8.1f} us/char"))
        for count in (int(n) for n in args.records.split(",")):
            path = folder / f"records-{count}.jsonl"
            path.write_text(tiny_records(sentences, count), encoding="utf-8")
            seconds, cpu, built = timed_build(path, folder)
            assert built == count, (built, count)
            rows.append((f"JSONL {count:,} records", count, "records", seconds, cpu,
                         f"{cpu / count * 1e3:8.2f} ms/record"))
    print(f"{'input':34} {'wall s':>8} {'CPU s':>8}  {'CPU cost':>18}  CPU time x smaller input")
    for i, (label, size, unit, seconds, cpu, cost) in enumerate(rows):
        smaller = next((r for r in reversed(rows[:i]) if r[2] == unit and r[1] < size), None)
        ratio = f"{cpu / smaller[4]:6.1f} ({size // smaller[1]}x input)" if smaller else ""
        print(f"{label:34} {seconds:8.2f} {cpu:8.2f}  {cost:>18}  {ratio}")


if __name__ == "__main__":
    main()
