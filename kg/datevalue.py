"""A date known to the day, the month or only the year, and the month names every reader of dates shares.

>>> DateValue.parse("2014-11").precision, MONTH_NUMBERS["sept"]
('month', 9)
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["MONTH_NAMES", "MONTH_NUMBERS", "DateValue", "Precision"]

Precision = Literal["day", "month", "year"]

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
"""The months in order, as the one table every reader of dates uses."""
MONTH_NUMBERS: dict[str, int] = {name: n for n, name in enumerate(MONTH_NAMES, start=1)}
MONTH_NUMBERS.update({name[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)}, sept=9)
"""Month names and their abbreviations ("sep", "sept") -> the month's number."""

_LEXICAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_XSD: dict[str, str] = {"day": "date", "month": "gYearMonth", "year": "gYear"}


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date known to the day, the month or only the year.

    >>> DateValue(2014, 11, 25).precision, DateValue(2014, 11).xsd
    ('day', 'gYearMonth')
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1..9999, got {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
        elif not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")
        elif self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise ValueError(f"{self.year:04d}-{self.month:02d} has no day {self.day}")

    @classmethod
    def from_date(cls, date: dt.date) -> DateValue:
        """The day ``date``.

        >>> DateValue.from_date(dt.date(2014, 11, 25))
        DateValue(year=2014, month=11, day=25)
        """
        return cls(date.year, date.month, date.day)

    @classmethod
    def parse(cls, lexical: str) -> DateValue:
        """Read the lexical form written by :meth:`lexical`.

        Raises:
            ValueError: ``lexical`` is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> DateValue.parse("2014-11")
        DateValue(year=2014, month=11, day=None)
        """
        match = _LEXICAL.fullmatch(lexical.strip())
        if match is None:
            raise ValueError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {lexical!r}")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @property
    def precision(self) -> Precision:
        """``"day"``, ``"month"`` or ``"year"``.

        >>> DateValue(2014).precision
        'year'
        """
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    @property
    def xsd(self) -> str:
        """The local name of the XSD datatype: ``date``, ``gYearMonth`` or ``gYear``.

        >>> DateValue(2014, 11, 25).xsd
        'date'
        """
        return _XSD[self.precision]

    def lexical(self) -> str:
        """The XSD lexical form: ``2014-11-25``, ``2014-11`` or ``2014``.

        >>> DateValue(2014, 3).lexical()
        '2014-03'
        """
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.lexical()

    def first_day(self) -> dt.date:
        """The first day the value covers.

        >>> DateValue(2014).first_day()
        datetime.date(2014, 1, 1)
        """
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The last day the value covers.

        >>> DateValue(2016, 2).last_day()
        datetime.date(2016, 2, 29)
        """
        if self.month is None:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])

    def compatible(self, other: DateValue) -> bool:
        """True when both agree at the coarser of their two precisions.

        >>> DateValue(2014, 11).compatible(DateValue(2014, 11, 25))
        True
        >>> DateValue(2014, 11, 25).compatible(DateValue(2014, 11, 24))
        False
        """
        if self.year != other.year:
            return False
        if self.month is None or other.month is None:
            return True
        if self.month != other.month:
            return False
        return self.day is None or other.day is None or self.day == other.day
