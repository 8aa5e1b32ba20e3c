"""Records in CSV: the FA-KES layout, columns named like our fields, or any layout mapped by ``columns``."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kg.limits import display_path
from kg.reading.decoding import DecodedLines, open_stream
from kg.reading.records import FIELDS, Item, ReadOptions, ReadProblem, isolated, one_line, record_article

FAKES_COLUMNS = {"id": "unit_id", "title": "article_title", "text": "article_content", "source": "source",
                 "published": "date"}


def _csv_layout(header: list[str], columns: dict[str, str] | None,
                origin: str) -> tuple[dict[str, int], str | None, ReadProblem | None]:
    """Which column holds each field, the numeric date order, or the problem with the header."""
    names = [name.strip() for name in header]
    position: dict[str, int] = {}
    for i, name in enumerate(names):
        position.setdefault(name.lower(), i)
    found = ", ".join(names)
    fakes = {"unit_id", "article_title", "article_content"} <= position.keys()
    missing = [column for column in (columns or {}).values() if column.lower() not in position]
    if columns and not (missing and fakes):
        mapping = {field: field for field in FIELDS if field in position}
        mapping.update(columns)
        if missing:
            return {}, None, ReadProblem(origin, f"column(s) {', '.join(missing)} given in columns are not in the "
                                                 f"header; it has: {found}")
        if "id" not in mapping or "text" not in mapping:
            return {}, None, ReadProblem(origin, f"no column for {'id' if 'id' not in mapping else 'text'}: map it "
                                                 f"with columns (e.g. --columns id=...,text=...); the header has: "
                                                 f"{found}")
        return {field: position[column.lower()] for field, column in mapping.items()}, None, None
    if fakes:
        return ({field: position[column] for field, column in FAKES_COLUMNS.items() if column in position},
                "MDY", None)
    if {"id", "text"} <= position.keys():
        return {field: position[field] for field in FIELDS if field in position}, None, None
    return {}, None, ReadProblem(origin, f"not an article CSV: expected columns id, text (and optionally title, "
                                         f"published, source, url), the FA-KES columns unit_id, article_title, "
                                         f"article_content, source, date, or a mapping with --columns "
                                         f"FIELD=COLUMN,...; the header has: {found}")


def read_csv_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    origin = display_path(path)
    stream = open_stream(path)
    if isinstance(stream, ReadProblem):
        yield stream
        return
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with stream:
        lines = DecodedLines(stream)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as exc:
            yield ReadProblem(origin, f"cannot read the CSV header: {one_line(exc or 'no lines')}")
            return
        index, order, problem = _csv_layout(header, options.columns, origin)
        if problem:
            yield problem
            return
        records = 0
        while True:
            lines.mark()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield ReadProblem(f"{origin}:{lines.first_content or lines.number}",
                                  f"malformed CSV row: {one_line(exc)}")
                continue
            where = f"{origin}:{lines.first_content or lines.number}"
            warning = lines.utf8_warning(origin)
            if warning:
                yield warning
            if not any(cell.strip() for cell in row):
                continue
            records += 1
            if len(row) != len(header):
                yield ReadProblem(where, f"expected {len(header)} fields as in the header, found {len(row)}")
                continue
            yield from isolated(record_article({field: row[i] for field, i in index.items()}, where, options,
                                               date_order=order), where, "reading")
        if records == 0:
            yield ReadProblem(origin, "no records after the header")
