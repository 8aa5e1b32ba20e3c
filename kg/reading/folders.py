"""Folders: their article files in sorted order, and the metadata.csv files that describe them."""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from kg.furniture import parse_date
from kg.limits import display_path
from kg.reading.decoding import read_whole_text
from kg.reading.documents import HTML_SUFFIXES, TEXT_SUFFIXES
from kg.reading.files import SUFFIXES, read_file
from kg.reading.records import FileMeta, Item, ReadOptions, ReadProblem, isolated, one_line

METADATA_NAME = "metadata.csv"
METADATA_COLUMNS = ("id", "published", "source", "title", "url")


def _walk(root: Path, errors: list[OSError]) -> list[Path]:
    """Files under ``root`` with a supported extension, hidden ones left out, in sorted order."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder, name) for name in files
                     if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


class _FolderMetadata:
    """The metadata.csv files of a folder tree, read when first needed; a file uses the nearest one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tables: dict[Path, dict[str, FileMeta]] = {}
        self.used: set[tuple[Path, str]] = set()

    def lookup(self, path: Path) -> tuple[FileMeta | None, list[ReadProblem]]:
        problems: list[ReadProblem] = []
        folder = path.parent
        while True:
            if folder not in self.tables:
                self.tables[folder] = _load_metadata(folder / METADATA_NAME, problems)
            meta = self.tables[folder].get(path.stem)
            if meta is not None:
                self.used.add((folder, path.stem))
                return meta, problems
            if folder == self.root or folder.parent == folder:
                return None, problems
            folder = folder.parent

    def unused(self) -> Iterator[ReadProblem]:
        for folder, table in self.tables.items():
            for key, meta in table.items():
                if (folder, key) not in self.used:
                    yield ReadProblem(meta.origin, f"metadata for id {key!r} but no such .txt, .md or .html file",
                                      skipped=False)


def _load_metadata(path: Path, problems: list[ReadProblem]) -> dict[str, FileMeta]:
    """The rows of one metadata.csv by id (empty if there is none); problems are appended to ``problems``."""
    if not path.is_file():
        return {}
    origin = display_path(path)
    text = read_whole_text(path, problems)
    if text is None:
        return {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error) as exc:
        problems.append(ReadProblem(origin, f"cannot read the header: {one_line(exc or 'no lines')}"))
        return {}
    if "id" not in header:
        problems.append(ReadProblem(origin, f"no 'id' column, metadata ignored; expected columns: "
                                            f"{', '.join(METADATA_COLUMNS)}"))
        return {}
    unknown = [name for name in header if name not in METADATA_COLUMNS]
    if unknown:
        problems.append(ReadProblem(origin, f"unknown column(s) ignored: {', '.join(unknown)}; expected columns: "
                                            f"{', '.join(METADATA_COLUMNS)}", skipped=False))
    table: dict[str, FileMeta] = {}
    while True:
        where = f"{origin}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ReadProblem(where, f"malformed CSV row, ignored: {one_line(exc)}", skipped=False))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(ReadProblem(where, f"expected {len(header)} fields as in the header, found {len(row)}; "
                                               f"row ignored", skipped=False))
            continue
        values = {name: cell.strip() for name, cell in zip(header, row)}
        key = values["id"]
        if not key:
            problems.append(ReadProblem(where, "row has no id; ignored", skipped=False))
            continue
        published = None
        if values.get("published"):
            published = parse_date(values["published"])
            if published is None:
                problems.append(ReadProblem(where, f"bad published date {values['published'][:80]!r} for {key!r} "
                                                   f"(expected YYYY-MM-DD); using the date in the text, if any",
                                            skipped=False))
        if key in table:
            problems.append(ReadProblem(where, f"id {key!r} appears again; this row replaces the one at "
                                               f"{table[key].origin}", skipped=False))
        table[key] = FileMeta(where, values.get("title") or None, published, values.get("source") or None,
                              values.get("url") or None)
    return table


def read_folder(root: Path, options: ReadOptions) -> Iterator[Item]:
    errors: list[OSError] = []
    files = [p for p in _walk(root, errors) if p.name.lower() != METADATA_NAME]
    for error in errors:
        yield ReadProblem(display_path(error.filename or root), f"cannot read folder: {one_line(error)}")
    if not files and not errors:
        yield ReadProblem(display_path(root), f"no article files in folder (looked for {', '.join(SUFFIXES)})")
    metadata = _FolderMetadata(root)
    for path in files:
        yield from isolated(_read_in_folder(path, metadata, options), display_path(path), "reading")
    yield from metadata.unused()


def _read_in_folder(path: Path, metadata: _FolderMetadata, options: ReadOptions) -> Iterator[Item]:
    meta = None
    if path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES:
        meta, problems = metadata.lookup(path)
        yield from problems
    yield from read_file(path, options, meta)
