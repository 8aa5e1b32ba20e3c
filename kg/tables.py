"""Query results as text: an aligned table, JSON rows or CSV (``kg query --format``).

>>> from kg.queries import QueryResult
>>> print(format_result(QueryResult(("ask",), ({"ask": False},), kind="ask")))
false
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import QueryError
from kg.terms import Term, to_python
from kg.vocab import ID_NS, PREFIXES

if TYPE_CHECKING:
    from kg.queries import QueryResult

RESULT_FORMATS = ("table", "json", "csv")
"""The formats :func:`format_result` writes."""

_MAX_CELL = 60


def _short(term: Term | None) -> str:
    """A cell for the table: instance IRIs as keys (``event/…``), vocabulary IRIs as prefixed names."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID_NS):
            return term.value[len(ID_NS):]
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and re.fullmatch(r"[\w.-]*", term.value[len(namespace):]):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    return _text(to_python(term))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def _json_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text: an aligned ``table``, ``json`` (a list of row objects) or ``csv``.

    An ASK query's table is just ``true`` or ``false``. Tables shorten IRIs (``event/airstrike/…``, which ``-p`` accepts back;
    ``ckg:AirStrike``) and cut cells other than the last at 60 characters;
    JSON and CSV keep every value whole.

    >>> from kg.queries import QueryResult
    >>> print(format_result(QueryResult(("n", "word"), ({"n": 1, "word": "one"}, {"n": 22, "word": None}))))
    n   word
    --  ----
    1   one
    22
    (2 rows)
    """
    if fmt == "json":
        rows = [{c: _json_value(v) for c, v in row.items()} for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_text(row[c]) if not isinstance(row[c], str) else row[c] for c in result.columns]
                         for row in result.rows)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(RESULT_FORMATS)}")
    if result.kind == "ask":
        return _text(result.rows[0]["ask"])
    if result.terms:
        cells = [[_short(t) for t in row] for row in result.terms]
    else:
        cells = [[_text(row[c]) for c in result.columns] for row in result.rows]
    last = len(result.columns) - 1
    cells = [[c if i == last or len(c) <= _MAX_CELL else c[:_MAX_CELL - 1] + "…" for i, c in enumerate(row)]
             for row in cells]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(result.columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


__all__ = ["RESULT_FORMATS", "format_result"]
