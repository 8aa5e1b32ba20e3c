"""One file, read by its extension."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.limits import display_path, valid_unicode
from kg.reading.csvfiles import read_csv_file
from kg.reading.documents import HTML_SUFFIXES, TEXT_SUFFIXES, read_html_file, read_text_file
from kg.reading.jsonfiles import read_json_file, read_jsonl_file
from kg.reading.records import FileMeta, Item, ReadOptions, ReadProblem, isolated

SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv")


def read_file(path: Path, options: ReadOptions, meta: FileMeta | None) -> Iterator[Item]:
    """What one file holds, read as its extension says; ``meta`` (from a metadata.csv) is for one-article files."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        items = read_text_file(path, meta, options)
    elif suffix in HTML_SUFFIXES:
        items = read_html_file(path, meta, options)
    elif suffix == ".jsonl":
        items = read_jsonl_file(path, options)
    elif suffix == ".json":
        items = read_json_file(path, options)
    elif suffix == ".csv":
        items = read_csv_file(path, options)
    else:
        yield ReadProblem(display_path(path), f"unsupported file type {valid_unicode(suffix) or '(no extension)'!r}; "
                                              f"expected one of {', '.join(SUFFIXES)} or a folder")
        return
    yield from isolated(items, display_path(path), "reading")
