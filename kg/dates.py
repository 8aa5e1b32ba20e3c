"""Relative and partial dates in news text -> dated values with a precision.

An article says "on Tuesday", "last May" or "in spring 2013"; :func:`resolve`
reads such an expression against the article's publication date and returns a
:class:`DateValue`: a day, a month or a year (``xsd:date``, ``xsd:gYearMonth``,
``xsd:gYear``). The precision comes from the words of the expression, never
from a parser's filled-in defaults: "March 2011" is ``2011-03``, not
``2011-03-01``.

Where English is loose, these are the choices:

* A weekday or a month and day without a year is the most recent one on or
  before publication; the publication day itself counts. "last Tuesday" is
  strictly before it; "Tuesday last week" is in the Monday-to-Sunday week
  before. A February 29 more than 366 days back is None. A month alone
  ("June", "in June") is the most recent one on or before the publication
  month; "last June" is strictly before it.
* Qualifiers that stay inside their unit are dropped and do not refine it:
  "mid-2012", "early 2013", "spring 2013" and "late 2015" are years, "early
  June" is a month, "late Tuesday" and "Tuesday night" are the Tuesday.
  "winter 2013" is 2013, but "last winter" straddles two years: None.
* The night of Tuesday to Wednesday is the Tuesday, the day the night began;
  "last night" is the day before publication. "N days ago" is a day, "N months
  ago" the month that many calendar months back, "N years ago" a year.
* "the next day", "a day earlier", "that year" count from ``anchor``, the
  date of the event told before; with no anchor, from publication.
* A range ("7-9 November", "between March and May 2014") is the most precise
  value true of both ends: ``2014-11``, ``2014``.
* The ontology has no week precision, and a day is never invented: a span
  of days up to publication ("earlier this week", "last week", "the past two
  weeks") is the month it lies in (else its year), "the past 24 hours" the
  publication day, and other week-level expressions ("two weeks ago", "the
  weekend") are None. So are durations ("three and a half years"),
  decades, ages ("70-year-old"), vague words ("now", "recently", "once"),
  bounds ("since 2011", "before May") and anything in the future ("next
  month", "this coming Tuesday").
* Relative expressions need ``published`` and never land after it (a value
  lands after it when its first day does); absolute ones resolve without it.
* Numeric dates are day first ("3/4/2014" is 3 April) unless only month first
  is a valid date.

Common forms are read by regular expressions; dateparser is only a fallback
for odd forms that name a month or a year, and what it fills in is checked.
Results are cached, so resolving the same mention again costs a dict lookup.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from kg.date_specs import (NOTHING, AnchorDays, AnchorMonths, AnchorYears, DayOfMonth, DaysAgo, Fixed, Month, MonthDay,
                           MonthsAgo, Night, Range, Season, Spec, Weekday, WeekdayLastWeek, Window, YearsAgo,
                           valid_day)
from kg.datevalue import MONTH_NUMBERS, DateValue, Precision

__all__ = ["DateValue", "Precision", "resolve"]


def resolve(expression: str, *, published: dt.date | None, anchor: DateValue | None = None) -> DateValue | None:
    """The date an expression from a news text stands for, or None.

    Args:
        expression: a date expression as found in the text ("on Tuesday",
            "last May", "Nov 25, 2014", "a day earlier").
        published: the article's publication date; relative expressions
            need it and never resolve to a later date.
        anchor: the date of the event told just before, for "a day earlier",
            "the next day", "the same day"; the publication date when None.

    Returns:
        A DateValue whose precision is what the expression says, or None for
        durations, vague expressions and the future; a span of days up to publication is the month (or
        year) it lies in.

    >>> wed = dt.date(2014, 11, 26)
    >>> [str(resolve(e, published=wed)) for e in ("on Tuesday", "September 6", "last year")]
    ['2014-11-25', '2014-09-06', '2013']
    >>> print(resolve("last week", published=wed)), print(resolve("two weeks ago", published=wed))
    2014-11
    None
    (None, None)
    >>> resolve("a day earlier", published=wed, anchor=DateValue(2014, 11, 25)).lexical()
    '2014-11-24'
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    key = _normalise(expression)
    if not key or len(key) > _LONGEST:
        return None
    if key in _VERBS and not expression.strip()[:1].isupper():
        return None  # "may", "march": a verb, not a month
    return _resolve_key(key, published, anchor)


# ---------------------------------------------------------------- resolving

@lru_cache(maxsize=1 << 17)
def _resolve_key(key: str, published: dt.date | None, anchor: DateValue | None) -> DateValue | None:
    spec = _analyse(key)
    if spec is None:
        return _fallback(key, published)
    try:
        value = spec.value(published, anchor)
    except (OverflowError, ValueError):  # arithmetic past year 1 or 9999
        return None
    if value is not None and spec.relative and published is not None and value.first_day() > published:
        return None
    return value


def _window(m: re.Match[str]) -> Spec:
    if m["n"] is None and m["u"].endswith("s"):
        return NOTHING  # "the past days": how many is not said
    n, unit = _number(m["n"] or "one"), m["u"].rstrip("s")
    days = {"hour": n / 24, "day": n, "week": 7 * n}.get(unit)
    if days is None:
        return NOTHING  # "the past two months" names no single month
    return DaysAgo(0) if days <= 1 else Window(days=int(days))


# ---------------------------------------------------------------- reading

_WEEKDAYS = {name: n for n, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_NUMBERS = {word: n for n, word in enumerate(
    ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
     "fifteen sixteen seventeen eighteen nineteen twenty").split())}
_NUMBERS.update(a=1, an=1, thirty=30)
_VERBS = frozenset({"may", "march"})
_LONGEST = 80  # a date expression is a few words; longer text is not one

_MON = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_WD = "|".join(_WEEKDAYS)
_NUM = "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r"|\d{1,4}"
_TH = r"(?:st|nd|rd|th)?"
_YEAR = r"\d{4}"
_BACK = r"(?P<back>last|this past|past)"  # strictly before publication
_FUTURE = r"(?P<future>next|coming|this coming|upcoming)"

# Normalising: lower case, plain quotes and dashes, no possessive tail, no
# abbreviation dots, no clock times, no punctuation, single spaces.
_DASHES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "})
_POSSESSIVE = re.compile(r"(?<=[a-z0-9])'s?(?:\s.*)?$")
_BARE_POSSESSIVE = re.compile(r"^((?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)s(?:\s.*)?$")
_ABBREVIATION_DOT = re.compile(r"(?<=[a-z])\.")
_ISO_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[t ]\d.*$")
_CLOCK = re.compile(r"\b(?:(?:at|around|about|by) )?\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)\b"
                    r"|\b(?:(?:at|around|about|by) )?\d{1,2}:\d{2}\b|\b(?:gmt|utc|local time)\b")
_PUNCTUATION = re.compile(r"[^\w/.'\- ]+|(?<!\d)\.|\.(?!\d)|'(?!\d0s)")

# Qualifiers stripped one at a time when nothing matches: prepositions, and
# parts of a unit that do not change its precision ("early", "the end of").
_LEADING = re.compile(
    r"^(?:(?:on|in|at|during|around|about|circa|ca|approximately|roughly|sometime in|some time in|the|of) "
    r"|(?:the )?(?:very )?(?:(?:(?:early|late|small|wee) hours|early|late|mid|middle|end|start|beginning|close"
    r"|morning|afternoon|evening|night|dawn|daybreak|dusk)(?: (?:half|part|days|weeks|months|hours))?"
    r"|(?:first|second|third|fourth|last|final|latter|first few|last few) (?:half|quarter|part|week|weeks"
    r"|days|few days|months|hours)) of "
    r"|(?:very )?(?:early|late|earlier|later|mid|middle|overnight|dawn|dusk|midnight|noon|midday)(?: |-)(?:on )?)")
_TRAILING = re.compile(
    r" (?:morning|afternoon|evening|night|overnight|midday|noon|at (?:dawn|dusk|night|noon|midday)"
    r"|in the (?:morning|afternoon|evening)|(?:before|after) (?:dawn|dusk|midnight|noon))$")

_FIXED: dict[str, Spec] = {
    **dict.fromkeys(("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today",
                     "later today"), DaysAgo(0)),
    **dict.fromkeys(("yesterday", "last night", "last evening"), DaysAgo(1)),
    "the day before yesterday": DaysAgo(2),
    **dict.fromkeys(("this month", "earlier this month", "later this month"), MonthsAgo(0)),
    "last month": MonthsAgo(1),
    **dict.fromkeys(("this year", "earlier this year", "later this year"), YearsAgo(0)),
    "last year": YearsAgo(1),
    **dict.fromkeys(("the same day", "that day", "that same day", "the same night", "that night", "that morning",
                     "that afternoon", "that evening", "the same morning", "the same evening"), AnchorDays(0)),
    **dict.fromkeys(("the day before", "the previous day", "the day earlier", "the night before",
                     "the previous night", "the previous evening", "the evening before", "the eve"),
                    AnchorDays(-1)),
    **dict.fromkeys(("the next day", "the following day", "the day after", "the next morning",
                     "the following morning", "the next night", "the following night"), AnchorDays(1)),
    **dict.fromkeys(("the same month", "that month", "that same month"), AnchorMonths(0)),
    **dict.fromkeys(("the previous month", "the month before"), AnchorMonths(-1)),
    **dict.fromkeys(("the following month", "the next month", "the month after"), AnchorMonths(1)),
    **dict.fromkeys(("the same year", "that year", "that same year"), AnchorYears(0)),
    **dict.fromkeys(("the previous year", "the year before"), AnchorYears(-1)),
    **dict.fromkeys(("the following year", "the next year", "the year after"), AnchorYears(1)),
    # A week before publication: the month (or year) it lies in, if it lies in one.
    **dict.fromkeys(("this week", "earlier this week"), Window(week=0)),
    "last week": Window(week=1),
    **dict.fromkeys(("the past week", "the last week", "the past few days", "the last few days"), Window(days=7)),
    **dict.fromkeys(("later in the day", "earlier in the day", "later that day", "earlier that day"), AnchorDays(0)),
    # Named no single day, month or year: recognised, so no fallback is tried.
    **dict.fromkeys(("later this week", "next week", "the previous week", "the next week", "the following week",
                     "the same week", "that week", "this weekend", "last weekend", "the weekend",
                     "next month", "next year", "now", "recently", "once", "tomorrow", "the past",
                     "overnight", "earlier", "later", "then"), NOTHING),
}


def _month_day(month: int, day: int, year: str | None, rel: str | None) -> Spec:
    if year is not None:
        y = int(year)
        return Fixed(DateValue(y, month, day)) if valid_day(y, month, day) else NOTHING
    if not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        return NOTHING
    return MonthDay(month, day, None if rel is None else {"this": 0, "last": 1}[rel])


def _numeric(first: str, second: str, year: str) -> Spec:
    d, m, y = int(first), int(second), int(year)
    if m > 12 and d <= 12:
        d, m = m, d  # only month first fits
    if valid_day(y, m, d):
        return Fixed(DateValue(y, m, d))
    return NOTHING


def _iso(m: re.Match[str]) -> Spec:
    y, mo, d = (int(g) for g in m.group(1, 2, 3))
    return Fixed(DateValue(y, mo, d)) if valid_day(y, mo, d) else NOTHING


def _weekday(m: re.Match[str]) -> Spec:
    if m["future"]:
        return NOTHING
    return Weekday(_WEEKDAYS[m["wd"]], strict=m["back"] is not None)


def _date(m: re.Match[str]) -> Spec:
    month = MONTH_NUMBERS[m["m1"] or m["m2"]]
    return _month_day(month, int(m["d1"] or m["d2"]), m["y"], m["rel"])


def _month(m: re.Match[str]) -> Spec:
    month = MONTH_NUMBERS[m["m"]]
    if m["y"]:
        return Fixed(DateValue(int(m["y"]), month))
    if m["future"] or m["rel"] == "next":
        return NOTHING
    if m["rel"]:
        return Month(month, years_back={"this": 0, "last": 1}[m["rel"]])
    if m["this"]:
        return Month(month, years_back=0)
    return Month(month, strict=m["back"] is not None)


def _season(m: re.Match[str]) -> Spec:
    first, last = _SEASONS[m["s"]]
    if m["y"]:
        return Fixed(DateValue(int(m["y"])))
    if m["future"] or m["rel"] == "next":
        return NOTHING
    if m["rel"]:
        return YearsAgo({"this": 0, "last": 1}[m["rel"]])
    if m["back"] or m["this"]:
        return Season(first, last, strict=m["back"] is not None)
    return NOTHING  # "spring": which one?


def _number(word: str) -> int:
    return _NUMBERS[word] if word in _NUMBERS else int(word)


def _ago(m: re.Match[str]) -> Spec:
    n, unit = _number(m["n"]), m["u"].rstrip("s")
    if unit == "day":
        return DaysAgo(n)
    if unit == "month":
        return MonthsAgo(n)
    return YearsAgo(n) if unit == "year" else NOTHING  # weeks, decades


def _relative_to_anchor(m: re.Match[str]) -> Spec:
    n, unit = _number(m["n"]), m["u"].rstrip("s")
    if m["dir"] in ("earlier", "before", "previously", "prior"):
        n = -n
    if unit == "day":
        return AnchorDays(n)
    if unit == "month":
        return AnchorMonths(n)
    return AnchorYears(n) if unit == "year" else NOTHING  # weeks


def _day_range(m: re.Match[str]) -> Spec:
    month, year = MONTH_NUMBERS[m["m"] or m["n"]], m["y"] or m["z"]
    start, end = int(m["d1"] or m["e1"]), int(m["d2"] or m["e2"])
    return Range(_month_day(month, start, year, None), _month_day(month, end, year, None))


def _general_range(start: str, end: str) -> Spec | None:
    year = _END_YEAR.search(end)
    if year and not _END_YEAR.search(start):
        start = f"{start} {year[1]}"  # "March to May 2014": March 2014
    a, b = _analyse(start), _analyse(end)
    if a is None or b is None:
        return None
    if a is NOTHING or b is NOTHING:
        return NOTHING
    return Range(a, b)


_END_YEAR = re.compile(r"\b(\d{4})$")
_SEP = r"(?: ?- ?| to | and | until | till | through | into )"

# Tried in order on the whole normalised expression; a handler may return
# None to let later patterns and qualifier stripping have a go.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Spec | None]]] = [
    (re.compile(rf"(?:{_BACK} |this |{_FUTURE} )?(?P<wd>{_WD})"), _weekday),
    (re.compile(rf"(?:on )?({_WD}) (?:of )?last week"), lambda m: WeekdayLastWeek(_WEEKDAYS[m[1]])),
    (re.compile(rf"(?:(?:{_WD}) )?(?:the )?(?:(?P<d1>\d{{1,2}}){_TH}(?: of)? (?P<m1>{_MON})"
                rf"|(?P<m2>{_MON})(?: the)? (?P<d2>\d{{1,2}}){_TH})"
                rf"(?: (?:of )?(?P<y>{_YEAR})| (?:of )?(?P<rel>this|last) year)?"), _date),
    (re.compile(rf"(?:{_BACK} |(?P<this>this) |{_FUTURE} )?(?P<m>{_MON})"
                rf"(?: (?:of )?(?P<y>{_YEAR})| (?:of )?(?P<rel>this|last|next) year)?"), _month),
    (re.compile(rf"(?:the year )?({_YEAR})"), lambda m: Fixed(DateValue(int(m[1])))),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})/(\d{1,2})/(\d{1,2})"),
     lambda m: _iso(m) if m[1] else _numeric(m[6], m[5], m[4])),
    (re.compile(rf"(?:(?:{_WD}) )?(\d{{1,2}})([/.-])(\d{{1,2}})\2({_YEAR})"), lambda m: _numeric(m[1], m[3], m[4])),
    (re.compile(rf"(?P<n>{_NUM}) (?P<u>days?|weeks?|months?|years?|decades?) ago"), _ago),
    (re.compile(rf"(?:over |during |in |within )?(?:the )?(?:past|last|previous) (?:(?P<n>{_NUM}) )?"
                rf"(?P<u>hours?|days?|weeks?|months?)"), _window),
    (re.compile(rf"(?P<n>{_NUM}) (?P<u>days?|weeks?|months?|years?) (?P<dir>earlier|before|later|after|previously"
                r"|prior)"), _relative_to_anchor),
    (re.compile(rf"(?:(?:{_BACK}|(?P<this>this)|{_FUTURE}) )?(?:the )?(?P<s>spring|summer|autumn|fall|winter)"
                rf"(?: (?:of )?(?P<y>{_YEAR})| (?:of )?(?P<rel>this|last|next) year)?"), _season),
    (re.compile(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)"), lambda m: DayOfMonth(int(m[1])) if 1 <= int(m[1]) <= 31
     else NOTHING),
    (re.compile(rf"(?:the )?(?:night|overnight) (?:of |from )?(?P<a>{_WD}){_SEP}(?P<b>{_WD})(?: night)?"
                rf"|(?:overnight )?(?P<a2>{_WD})(?: ?- ?| to | into )(?P<b2>{_WD}) night"),
     lambda m: Night(_WEEKDAYS[m["a"] or m["a2"]], _WEEKDAYS[m["b"] or m["b2"]])),
    (re.compile(rf"(?:between |from )?(?P<m>{_MON}) (?P<d1>\d{{1,2}}){_TH}{_SEP}(?:(?P=m) )?(?P<d2>\d{{1,2}}){_TH}"
                rf"(?: (?P<y>{_YEAR}))?"
                rf"|(?:between |from )?(?:the )?(?P<e1>\d{{1,2}}){_TH}{_SEP}(?:the )?(?P<e2>\d{{1,2}}){_TH}"
                rf" (?:of )?(?P<n>{_MON})(?: (?P<z>{_YEAR}))?"),
     _day_range),
    (re.compile(r"(\d{1,2}|\d{4})s|the (?:\d0s|'\d0s|\w+ies)|decades?|centur(?:y|ies)"), lambda m: NOTHING),
]
# Tried last, once no qualifier is left to strip: "between March and May 2014".
_RANGE = re.compile(r"(?:between|from) (?P<a>.+?) (?:and|to|until|till|through) (?P<b>.+)"
                    r"|(?P<a2>.+?)(?: to | and | until | till | through | - |-)(?P<b2>.+)")


@lru_cache(maxsize=1 << 16)
def _normalise(expression: str) -> str:
    s = expression.strip().lower().translate(_DASHES)
    s = _ISO_TIME.sub(r"\1", s)  # "2014-11-25T10:00:00Z"
    s = _POSSESSIVE.sub("", s)  # "Tuesday's bombings" -> "tuesday"
    s = _BARE_POSSESSIVE.sub(r"\1", s)  # "Saturdays blast", its apostrophe lost -> "saturday"
    s = _ABBREVIATION_DOT.sub("", s)  # "Nov." -> "nov", "a.m." -> "am"
    s = _CLOCK.sub(" ", s)
    return " ".join(_PUNCTUATION.sub(" ", s).split()).strip(" -")


def _match(s: str) -> Spec | None:
    spec = _FIXED.get(s)
    if spec is not None:
        return spec
    for pattern, handler in _PATTERNS:
        m = pattern.fullmatch(s)
        if m is not None:
            try:
                spec = handler(m)
            except ValueError:  # "0000", "March 0000": no such date
                return NOTHING
            if spec is not None:
                return spec
    return None


@lru_cache(maxsize=1 << 15)
def _analyse(s: str) -> Spec | None:
    """What a normalised expression means; None when it is not understood."""
    while s:
        spec = _match(s)
        if spec is not None:
            return spec
        stripped = _LEADING.sub("", s, count=1)
        if stripped == s:
            stripped = _TRAILING.sub("", s, count=1)
        if stripped == s:
            m = _RANGE.fullmatch(s)
            return None if m is None else _general_range(m["a"] or m["a2"], m["b"] or m["b2"])
        s = stripped.strip()
    return None


# ---------------------------------------------------------------- fallback

_GATE = re.compile(rf"\b(?:{_MON}|\d{{4}})\b")
_VETO = re.compile(r"\b(?:\d+s|decades?|centur(?:y|ies)|years?|months?|weeks?|weekends?|days?|hours?|minutes?|ago"
                   r"|since|until|till|before|after|by|between|from|to|and|or|through|next|coming|following"
                   r"|upcoming|old|aged|age)\b|-(?:year|month|week|day)|\d ?[-/] ?\d")
_YEARS = re.compile(r"\b(\d{4})\b")
_DAYS = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}\b")
_MONTH_NAMES = re.compile(rf"\b({_MON})\b")


def _dateparse(text: str, base: dt.datetime, prefer: str) -> dt.datetime | None:
    import dateparser  # slow to import; only needed for odd forms

    return dateparser.parse(text, languages=["en"], settings={
        "PREFER_DATES_FROM": "past", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": prefer, "PREFER_MONTH_OF_YEAR": prefer})


def _fallback(s: str, published: dt.date | None) -> DateValue | None:
    """dateparser on an odd form that names a month or a year, its fill-ins checked.

    Parsing twice, preferring first and then last days and months, shows which
    fields dateparser invented; a field is kept only when both parses agree on
    it and the expression itself spells it.
    """
    if len(s) > 60 or not _GATE.search(s) or _VETO.search(s):
        return None
    years = {int(y) for y in _YEARS.findall(s)}
    if not years and published is None:
        return None
    base = dt.datetime.combine(published or dt.date(2000, 7, 15), dt.time(12))
    first, last = _dateparse(s, base, "first"), _dateparse(s, base, "last")
    if first is None or last is None or first.year != last.year or (years and first.year not in years):
        return None
    named = {MONTH_NUMBERS[name] for name in _MONTH_NAMES.findall(s)}
    if named and first.month not in named:
        return None
    has_month = bool(named) or _NUMERIC_DATE.search(s) is not None
    month_known = has_month and first.month == last.month
    day_known = month_known and first.day == last.day and first.day in {int(d) for d in _DAYS.findall(s)}
    value = DateValue(first.year, first.month if month_known else None, first.day if day_known else None)
    if not years and published is not None and value.first_day() > published:
        return None
    return value
