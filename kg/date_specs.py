"""What a date expression means, independent of any article: a spec, read against a publication date.

Each spec's ``value(published, anchor)`` gives the :class:`~kg.datevalue.DateValue` it stands for in an
article published that day, the event told before being ``anchor`` ("a day earlier"), or None.

>>> Weekday(1).value(dt.date(2014, 11, 26), None).lexical()  # Tuesday, read on Wednesday 26 November 2014
'2014-11-25'
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from kg.datevalue import DateValue

def shift_month(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def base_value(published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
    if anchor is not None:
        return anchor
    return None if published is None else DateValue.from_date(published)


def common_value(a: DateValue, b: DateValue) -> DateValue | None:
    """The most precise value true of both ``a`` and ``b``."""
    if a.year != b.year:
        return None
    if a.month is None or a.month != b.month:
        return DateValue(a.year)
    if a.day is None or a.day != b.day:
        return DateValue(a.year, a.month)
    return a


# Each spec is what an expression means, independent of any article; value()
# reads it against a publication date and an anchor.

@dataclass(frozen=True, slots=True)
class Fixed:
    """An absolute value, or None for an expression known to name no date."""

    date: DateValue | None
    relative = False

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        return self.date


NOTHING = Fixed(None)


@dataclass(frozen=True, slots=True)
class DaysAgo:
    days: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        return None if published is None else DateValue.from_date(published - dt.timedelta(days=self.days))


@dataclass(frozen=True, slots=True)
class Weekday:
    weekday: int  # Monday is 0
    strict: bool = False  # "last Tuesday": not the publication day itself
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        back = (published.weekday() - self.weekday) % 7
        if self.strict and back == 0:
            back = 7
        return DateValue.from_date(published - dt.timedelta(days=back))


@dataclass(frozen=True, slots=True)
class WeekdayLastWeek:
    """That weekday in the Monday-to-Sunday week before publication's: "Tuesday last week"."""

    weekday: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None or self.weekday == 6:  # Sunday: weeks starting Sunday disagree
            return None
        return DateValue.from_date(published - dt.timedelta(days=published.weekday() + 7 - self.weekday))


@dataclass(frozen=True, slots=True)
class Night:
    """The night of one weekday to the next: the first of the two days."""

    first: int
    second: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if (self.second - self.first) % 7 != 1:
            return None
        end = Weekday(self.second).value(published, anchor)
        return None if end is None else DateValue.from_date(end.first_day() - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class MonthDay:
    month: int
    day: int
    years_back: int | None = None  # None: the most recent; 0: this year; 1: last year
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        if self.years_back is not None:
            year = published.year - self.years_back
            return DateValue(year, self.month, self.day) if valid_day(year, self.month, self.day) else None
        for year in (published.year, published.year - 1):
            if not valid_day(year, self.month, self.day):
                continue
            if 0 <= (published - dt.date(year, self.month, self.day)).days <= 366:
                return DateValue(year, self.month, self.day)
        return None  # February 29 with no leap day in the 366 days before


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """The most recent 25th (or other day) of a month: "the 25th"."""

    day: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        for back in range(12):
            year, month = shift_month(published.year, published.month, -back)
            if valid_day(year, month, self.day) and dt.date(year, month, self.day) <= published:
                return DateValue(year, month, self.day)
        return None


@dataclass(frozen=True, slots=True)
class Month:
    month: int
    strict: bool = False  # "last May": not the publication month itself
    years_back: int | None = None  # "May last year"
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        if self.years_back is not None:
            return DateValue(published.year - self.years_back, self.month)
        this_year = self.month < published.month if self.strict else self.month <= published.month
        return DateValue(published.year if this_year else published.year - 1, self.month)


@dataclass(frozen=True, slots=True)
class MonthsAgo:
    months: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        return DateValue(*shift_month(published.year, published.month, -self.months))


@dataclass(frozen=True, slots=True)
class YearsAgo:
    years: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        return None if published is None else DateValue(published.year - self.years)


@dataclass(frozen=True, slots=True)
class Season:
    """The year of a season: "last summer", "this spring"."""

    first: int
    last: int
    strict: bool  # "last" (True) or "this" (False)
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None or self.first > self.last:  # winter straddles two years
            return None
        if self.strict:
            return DateValue(published.year if published.month > self.last else published.year - 1)
        return DateValue(published.year) if published.month >= self.first else None


@dataclass(frozen=True, slots=True)
class AnchorDays:
    days: int  # negative: earlier
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        base = base_value(published, anchor)
        if base is None or self.days == 0:
            return base
        if base.day is None:
            return None
        return DateValue.from_date(base.first_day() + dt.timedelta(days=self.days))


@dataclass(frozen=True, slots=True)
class AnchorMonths:
    months: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        base = base_value(published, anchor)
        if base is None or base.month is None:
            return None
        return DateValue(*shift_month(base.year, base.month, self.months))


@dataclass(frozen=True, slots=True)
class AnchorYears:
    years: int
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        base = base_value(published, anchor)
        return None if base is None else DateValue(base.year + self.years)


@dataclass(frozen=True, slots=True)
class Range:
    """From ``start`` to ``end``: the most precise value true of both ends."""

    start: Spec
    end: Spec

    @property
    def relative(self) -> bool:
        return self.start.relative or self.end.relative

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        end = self.end.value(published, anchor)
        if end is None:
            return None
        # "between Tuesday and Thursday": the Tuesday before that Thursday
        reference = end.last_day() if published is None else min(published, end.last_day())
        start = self.start.value(reference, anchor)
        if start is None or start.first_day() > end.last_day():
            return None
        return common_value(start, end)


@dataclass(frozen=True, slots=True)
class Window:
    """Days up to publication ("the past two weeks"), or a calendar week ("earlier this week", "last week").

    The value is the most precise one true of every day in it: its month, else its year.
    """

    days: int = 0  # the last ``days`` days up to publication
    week: int | None = None  # 0: Monday of the publication week to publication; 1: the Monday-to-Sunday week before
    relative = True

    def value(self, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
        if published is None:
            return None
        if self.week is None:
            first, last = published - dt.timedelta(days=self.days), published
        else:
            monday = published - dt.timedelta(days=published.weekday())
            first, last = (monday, published) if self.week == 0 else (monday - dt.timedelta(days=7),
                                                                      monday - dt.timedelta(days=1))
        return common_value(DateValue.from_date(first), DateValue.from_date(last))


Spec = (Fixed | DaysAgo | Weekday | WeekdayLastWeek | Night | MonthDay | DayOfMonth | Month | MonthsAgo
         | YearsAgo | Season | AnchorDays | AnchorMonths | AnchorYears | Range | Window)
