"""Dates written in text: finding them, and reading a value that is exactly one date."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.datevalue import MONTH_NUMBERS

MONTH_NAME = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
              r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
WEEKDAY = (r"\b(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
           r"|sat(?:urday)?|sun(?:day)?)\b\.?,?")
_ORD = r"(?:st|nd|rd|th)?"
# Each pattern yields named groups d, m (number or month name) and y.
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<m>{MONTH_NAME})\s+(?P<d>\d{{1,2}}){_ORD},?\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{MONTH_NAME}),?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)"),
]
TIME = re.compile(
    r"(?:\bat\s+)?(?:\b\d{1,2}[:.h]\d\d(?::\d\d)?(?:\s*[ap]\.?m\b\.?)?|(?<=at )\d{4}\b"
    r"|\b\d{3,4}(?=\s*(?:GMT|UTC)))"
    r"(?:\s*\(?(?-i:GMT|UTC|[A-Z]{2,4}T?)\b\)?(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?)?", re.I)
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


@dataclass(frozen=True)
class _DateMatch:
    start: int
    end: int
    date: dt.date | None  # None: a date, but ambiguous or impossible


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTH_NUMBERS[value[:3].lower()]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iter_dates(text: str, order: str | None) -> Iterator[_DateMatch]:
    """Every date written in ``text``, in text order (overlaps removed)."""
    found: list[_DateMatch] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            groups = m.groupdict()
            year = int(groups["y"])
            if "a" in groups:  # all-numeric, day and month in either order
                a, b, sep = int(groups["a"]), int(groups["b"]), groups["sep"]
                if sep == "." or a > 12 >= b or (a != b and order == "DMY" and b <= 12):
                    date = _make_date(year, b, a)
                elif b > 12 >= a or (order == "MDY" and a <= 12):
                    date = _make_date(year, a, b)
                elif a == b:
                    date = _make_date(year, a, a)
                else:
                    date = None
            else:
                date = _make_date(year, _month(groups["m"]), int(groups["d"]))
            found.append(_DateMatch(m.start(), m.end(), date))
    yield from sorted(found, key=lambda f: f.start)


_LONGEST_DATE = 200
"""A longer value is no date (and finding dates in it would take time quadratic in its length)."""


def parse_date(value: str, *, order: str | None = None) -> dt.date | None:
    """The calendar date that ``value`` is, or None if it is not exactly one date.

    Accepts ISO dates and datetimes, month names ("Nov 26, 2014",
    "Wednesday 26 November 2014 10:07") and numbers ("14/10/2017",
    "26.11.2014"). A numeric date whose day and month could be swapped is
    read in ``order`` ("DMY" or "MDY"), and is None without one.

    >>> parse_date("2014-11-26"), parse_date("Wed Nov 26 2014")
    (datetime.date(2014, 11, 26), datetime.date(2014, 11, 26))
    >>> parse_date("14/10/2017"), parse_date("4/5/2017"), parse_date("4/5/2017", order="MDY")
    (datetime.date(2017, 10, 14), None, datetime.date(2017, 4, 5))
    >>> parse_date("next week") is None
    True
    """
    value = value.strip()
    if len(value) > _LONGEST_DATE:
        return None
    if _ISO_DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            pass
    matches = list(iter_dates(value, order))
    if len(matches) != 1 or matches[0].date is None:
        return None
    m = matches[0]
    rest = value[:m.start] + " " + value[m.end:]
    rest = TIME.sub(" ", re.sub(WEEKDAY, " ", rest, flags=re.I))
    if re.search(r"[^\W_]", rest):
        return None
    return m.date
