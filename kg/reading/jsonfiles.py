"""Records in JSON (one record or a list, read whole) and JSONL (one record a line, streamed)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.limits import MAX_JSON_DEPTH, display_path, json_depth
from kg.reading.decoding import DecodedLines, open_stream, read_whole_text
from kg.reading.records import FIELDS, Item, ReadOptions, ReadProblem, isolated, one_line, record_article


def _json_record(record: Any, origin: str, options: ReadOptions) -> Iterator[Item]:
    if not isinstance(record, dict):
        yield ReadProblem(origin, f"expected a JSON object with id and text, found {type(record).__name__}")
        return
    values: dict[str, str | None] = {}
    for field in FIELDS:
        value = record.get(field)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            yield ReadProblem(origin, f"field {field!r} should be a string, found {type(value).__name__}")
            return
        values[field] = None if value is None else str(value)
    yield from record_article(values, origin, options)


def _too_deep(text: str, origin: str) -> ReadProblem | None:
    """The problem with JSON nested deeper than MAX_JSON_DEPTH, which is refused before it is parsed."""
    depth = json_depth(text)
    if depth <= MAX_JSON_DEPTH:
        return None
    return ReadProblem(origin, f"JSON nested {depth} deep; at most {MAX_JSON_DEPTH} levels are read")


def read_json_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    text = read_whole_text(path, problems)
    yield from problems
    if text is None:
        return
    origin = display_path(path)
    problem = _too_deep(text, origin)
    if problem:
        yield problem
        return
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        yield ReadProblem(f"{origin}:{line}" if line else origin,
                          f"not valid JSON: {one_line(getattr(exc, 'msg', exc))}")
        return
    if isinstance(data, list):
        if not data:
            yield ReadProblem(origin, "no records (an empty JSON list)")
        for i, record in enumerate(data):
            where = f"{origin}[{i}]"
            yield from isolated(_json_record(record, where, options), where, "reading")
    else:
        yield from _json_record(data, origin, options)


def read_jsonl_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    origin = display_path(path)
    stream = open_stream(path)
    if isinstance(stream, ReadProblem):
        yield stream
        return
    with stream:
        lines = DecodedLines(stream)
        records = 0
        for line in lines:
            where = f"{origin}:{lines.number}"
            warning = lines.utf8_warning(origin)
            if warning:
                yield warning
            if not line.strip():
                continue
            records += 1
            problem = _too_deep(line, where)
            if problem:
                yield problem
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield ReadProblem(where, f"not valid JSON: {getattr(exc, 'msg', exc)} "
                                         f"(column {getattr(exc, 'colno', '?')})")
                continue
            yield from isolated(_json_record(record, where, options), where, "reading")
        if records == 0:
            yield ReadProblem(origin, "no records")
