"""Date expressions from news text resolve to the day, month or year they name, and to nothing else."""
from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from kg.dates import DateValue, resolve

WED_2014 = dt.date(2014, 11, 26)  # seeds 000-002: AFP on the Raqa air strikes
THU_2016 = dt.date(2016, 3, 24)  # seed 003: Palmyra
SAT_2017 = dt.date(2017, 10, 14)  # seed 004: Raqqa
SUN_2014 = dt.date(2014, 1, 5)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _check(expression: str, published: dt.date | None, expected: str | None,
           anchor: DateValue | None = None) -> None:
    value = resolve(expression, published=published, anchor=anchor)
    assert (None if value is None else value.lexical()) == expected, expression


# ------------------------------------------------------------------ seeds

@pytest.mark.parametrize(("published", "expression", "expected"), [
    (WED_2014, "on Tuesday", "2014-11-25"),
    (WED_2014, "yesterday", "2014-11-25"),
    (WED_2014, "today", "2014-11-26"),
    (WED_2014, "November 7", "2014-11-07"),
    (WED_2014, "September 6", "2014-09-06"),
    (WED_2014, "last year", "2013"),
    (WED_2014, "Last September", "2014-09"),
    (WED_2014, "spring 2013", "2013"),
    (WED_2014, "three and a half years", None),
    (WED_2014, "recent months", None),
    (THU_2016, "last May", "2015-05"),
    (THU_2016, "last week", "2016-03"),
    (THU_2016, "Thursday", "2016-03-24"),
    (THU_2016, "Tuesday's bombings", "2016-03-22"),
    (THU_2016, "19 May 2015", "2015-05-19"),
    (SAT_2017, "on Saturday", "2017-10-14"),
    (SAT_2017, "Friday", "2017-10-13"),
    (SAT_2017, "in June", "2017-06"),
    (SAT_2017, "in 2014", "2014"),
    (SAT_2017, "14/10/2017", "2017-10-14"),
    (SAT_2017, "the past days", None),
    (SAT_2017, "hours", None),
    (SAT_2017, "days", None),
    (SAT_2017, "weeks", None),
    (SAT_2017, "mid-2012", "2012"),
    (SAT_2017, "March 2011", "2011-03"),
])
def test_seed_phrases(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


def test_a_day_earlier_counts_from_the_anchor() -> None:
    _check("a day earlier", SAT_2017, "2017-10-13", anchor=DateValue(2017, 10, 14))


# ------------------------------------------------------------------ days

@pytest.mark.parametrize(("published", "expression", "expected"), [
    (SAT_2017, "Saturday", "2017-10-14"),  # the publication day counts
    (SAT_2017, "Sunday", "2017-10-08"),
    (WED_2014, "Tuesday night", "2014-11-25"),
    (WED_2014, "late Tuesday", "2014-11-25"),
    (WED_2014, "early on Tuesday", "2014-11-25"),
    (WED_2014, "Monday morning", "2014-11-24"),
    (WED_2014, "in the early hours of Tuesday", "2014-11-25"),
    (WED_2014, "TUESDAY", "2014-11-25"),
    (WED_2014, "last Wednesday", "2014-11-19"),  # "last": strictly before
    (WED_2014, "this past Monday", "2014-11-24"),
    (WED_2014, "this Wednesday", "2014-11-26"),
    (WED_2014, "next Tuesday", None),
    (WED_2014, "this coming Friday", None),
    (WED_2014, "on the night of Tuesday to Wednesday", "2014-11-25"),  # the night's first day
    (WED_2014, "the night of Monday-Tuesday", "2014-11-24"),
    (WED_2014, "overnight Tuesday to Wednesday", "2014-11-25"),
    (WED_2014, "the night of Monday to Wednesday", None),
    (WED_2014, "today", "2014-11-26"),
    (WED_2014, "this morning", "2014-11-26"),
    (WED_2014, "tonight", "2014-11-26"),
    (WED_2014, "earlier today", "2014-11-26"),
    (WED_2014, "yesterday afternoon", "2014-11-25"),
    (WED_2014, "last night", "2014-11-25"),
    (WED_2014, "the day before yesterday", "2014-11-24"),
    (WED_2014, "two days ago", "2014-11-24"),
    (WED_2014, "10 days ago", "2014-11-16"),
    (WED_2014, "a day ago", "2014-11-25"),
    (WED_2014, "tomorrow", None),
    (WED_2014, "the 25th", "2014-11-25"),
    (WED_2014, "the 28th", "2014-10-28"),
    (SUN_2014, "the 31st", "2013-12-31"),
])
def test_days_relative_to_publication(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


@pytest.mark.parametrize(("published", "expression", "expected"), [
    (WED_2014, "6 September", "2014-09-06"),
    (WED_2014, "Nov. 7", "2014-11-07"),
    (WED_2014, "Sept. 6", "2014-09-06"),
    (WED_2014, "7th of November", "2014-11-07"),
    (WED_2014, "November 7th", "2014-11-07"),
    (WED_2014, "on November 26", "2014-11-26"),
    (WED_2014, "November 27", "2013-11-27"),  # not yet this year: last year's
    (SUN_2014, "December 30", "2013-12-30"),
    (WED_2014, "Tuesday, November 25", "2014-11-25"),
    (WED_2014, "November 7 last year", "2013-11-07"),
    (WED_2014, "Nov 26, 2014", "2014-11-26"),
    (WED_2014, "February 30", None),
    (WED_2014, "February 29", None),  # no leap day in the year before
    (dt.date(2016, 6, 1), "February 29", "2016-02-29"),
    (dt.date(2017, 3, 1), "February 29", "2016-02-29"),  # 366 days back
    (dt.date(2017, 3, 2), "February 29", None),
])
def test_month_and_day_without_a_year(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


@pytest.mark.parametrize(("expression", "expected"), [
    ("14 October 2017", "2017-10-14"),
    ("Nov 25, 2014", "2014-11-25"),
    ("November 25 2014", "2014-11-25"),
    ("25th of November, 2014", "2014-11-25"),
    ("Tuesday, 25 November 2014", "2014-11-25"),
    ("2014-11-25", "2014-11-25"),
    ("2014-11-25T10:00:00Z", "2014-11-25"),
    ("2014/11/25", "2014-11-25"),
    ("25/11/2014", "2014-11-25"),
    ("25.11.2014", "2014-11-25"),
    ("11/25/2014", "2014-11-25"),  # only month first fits
    ("3/4/2014", "2014-04-03"),  # day first when both fit
    ("Nov 25th 2014 at 10am", "2014-11-25"),
    ("31 November 2014", None),
    ("2014 November 25", "2014-11-25"),  # dateparser fallback, checked
])
def test_full_dates_need_no_publication_date(expression: str, expected: str | None) -> None:
    _check(expression, None, expected)
    _check(expression, WED_2014, expected)


# ------------------------------------------------------------------ months and years

@pytest.mark.parametrize(("published", "expression", "expected"), [
    (SAT_2017, "June", "2017-06"),
    (SAT_2017, "October", "2017-10"),  # the publication month counts
    (SAT_2017, "last October", "2016-10"),  # "last": strictly before
    (SAT_2017, "November", "2016-11"),
    (SAT_2017, "early June", "2017-06"),
    (SAT_2017, "mid-June", "2017-06"),
    (SAT_2017, "the end of June", "2017-06"),
    (SAT_2017, "May last year", "2016-05"),
    (WED_2014, "September this year", "2014-09"),
    (SAT_2017, "in May this year", "2017-05"),
    (SAT_2017, "this November", None),
    (SAT_2017, "next June", None),
    (SAT_2017, "this month", "2017-10"),
    (SAT_2017, "earlier this month", "2017-10"),
    (SAT_2017, "last month", "2017-09"),
    (SUN_2014, "last month", "2013-12"),
    (SAT_2017, "three months ago", "2017-07"),
    (SAT_2017, "next month", None),
    (SAT_2017, "March of 2011", "2011-03"),
    (SAT_2017, "early March 2011", "2011-03"),
    (SAT_2017, "may", None),  # lower-case "may" is the verb
    (SAT_2017, "May", "2017-05"),
])
def test_months(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


@pytest.mark.parametrize(("published", "expression", "expected"), [
    (SAT_2017, "this year", "2017"),
    (SAT_2017, "earlier this year", "2017"),
    (SAT_2017, "late last year", "2016"),
    (SAT_2017, "the end of last year", "2016"),
    (SAT_2017, "a year ago", "2016"),
    (SAT_2017, "two years ago", "2015"),
    (SAT_2017, "next year", None),
    (SAT_2017, "2014", "2014"),
    (SAT_2017, "the year 2014", "2014"),
    (SAT_2017, "2014's", "2014"),
    (SAT_2017, "early 2013", "2013"),
    (SAT_2017, "late 2015", "2015"),
    (SAT_2017, "the first half of 2014", "2014"),
    (SAT_2017, "the summer of 2013", "2013"),
    (SAT_2017, "autumn 2016", "2016"),
    (SAT_2017, "last summer", "2017"),
    (WED_2014, "late this summer", "2014"),
    (dt.date(2017, 7, 1), "last summer", "2016"),
    (SAT_2017, "this spring", "2017"),
    (dt.date(2017, 2, 1), "this spring", None),
    (SAT_2017, "last winter", None),  # December to February: which year?
    (SAT_2017, "spring", None),
])
def test_years(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


@pytest.mark.parametrize(("published", "expression", "expected"), [
    (WED_2014, "November 7-9", "2014-11"),
    (WED_2014, "7 to 9 November", "2014-11"),
    (WED_2014, "between March and May 2014", "2014"),
    (WED_2014, "from Monday to Tuesday", "2014-11"),
    (WED_2014, "November 25 and 26", "2014-11"),
    (WED_2014, "2013-2014", None),
    (WED_2014, "2014-15", None),
    (WED_2014, "December 2013 to January 2014", None),
])
def test_ranges_give_what_both_ends_share(published: dt.date, expression: str, expected: str | None) -> None:
    _check(expression, published, expected)


# ------------------------------------------------------------------ anchors

@pytest.mark.parametrize(("expression", "anchor", "expected"), [
    ("a day earlier", DateValue(2017, 10, 14), "2017-10-13"),
    ("the day before", DateValue(2017, 10, 1), "2017-09-30"),
    ("the previous day", DateValue(2017, 1, 1), "2016-12-31"),
    ("two days earlier", DateValue(2017, 10, 10), "2017-10-08"),
    ("the next day", DateValue(2017, 10, 10), "2017-10-11"),
    ("a day later", DateValue(2017, 10, 14), None),  # after publication
    ("the same day", DateValue(2017, 10, 10), "2017-10-10"),
    ("later that day", DateValue(2017, 10, 10), "2017-10-10"),
    ("the same day", DateValue(2016, 5), "2016-05"),
    ("a day earlier", DateValue(2016, 5), None),  # no day to count from
    ("a year earlier", DateValue(2016, 5), "2015"),
    ("the following month", DateValue(2016, 5), "2016-06"),
    ("that year", DateValue(2013), "2013"),
    ("a week earlier", DateValue(2017, 10, 10), None),
    ("hours later", DateValue(2017, 10, 10), None),
])
def test_anchored(expression: str, anchor: DateValue, expected: str | None) -> None:
    _check(expression, SAT_2017, expected, anchor=anchor)


@pytest.mark.parametrize(("published", "expression", "expected"), [
    (WED_2014, "earlier this week", "2014-11"),  # Monday 24 to Wednesday 26 November
    (WED_2014, "this week", "2014-11"),
    (dt.date(2014, 12, 2), "earlier this week", "2014-12"),  # Monday 1 to Tuesday 2 December
    (dt.date(2014, 12, 2), "last week", "2014-11"),  # Monday 24 to Sunday 30 November
    (dt.date(2014, 12, 3), "the past week", "2014"),  # 26 November to 3 December: only the year is sure
    (dt.date(2014, 8, 17), "during the past two weeks", "2014-08"),
    (dt.date(2014, 8, 10), "the past two weeks", "2014"),  # from 27 July
    (SAT_2017, "over the past 24 hours", "2017-10-14"),
    (SAT_2017, "the past 10 days", "2017-10"),
    (SAT_2017, "the past two months", None),
])
def test_spans_of_days_up_to_publication_are_the_month_they_lie_in(published: dt.date, expression: str,
                                                                   expected: str | None) -> None:
    _check(expression, published, expected)


def test_anchored_without_anchor_counts_from_publication() -> None:
    _check("a day earlier", SAT_2017, "2017-10-13")
    _check("the same day", SAT_2017, "2017-10-14")
    _check("the previous year", THU_2016, "2015")


# ------------------------------------------------------------------ not dates

@pytest.mark.parametrize("expression", [
    "three and a half years", "three and a half years ago", "years", "the past days", "hours", "weeks",
    "decades", "the 1990s", "the '90s", "1990s", "the sixties", "once", "now", "recently", "recent months",
    "in recent months", "the past", "the weekend", "this weekend", "70-year-old", "70 years old", "a 10-day truce",
    "two weeks ago", "the past year", "hours or days",
    "since 2011", "before May", "until 2015", "", "   ", "later", "overnight", "a few days ago", "several days",
    # DATE entities en_core_web_sm finds in seeds/
    "many months", "another year", "12-month", "Christmas", "thousands of years", "the final day", "years-old",
])
def test_not_a_date(expression: str) -> None:
    _check(expression, WED_2014, None)


@pytest.mark.parametrize("expression", ["Tuesday", "yesterday", "November 7", "last May", "in June", "last year",
                                        "this month", "two days ago", "a day earlier", "the 25th"])
def test_relative_needs_publication_date(expression: str) -> None:
    assert resolve(expression, published=None) is None


def test_datetime_publication_is_read_as_its_date() -> None:
    _check("yesterday", dt.datetime(2014, 11, 26, 23, 59), "2014-11-25")


# ------------------------------------------------------------------ DateValue

@pytest.mark.parametrize(("value", "lexical", "xsd", "first", "last"), [
    (DateValue(2014, 11, 25), "2014-11-25", "date", dt.date(2014, 11, 25), dt.date(2014, 11, 25)),
    (DateValue(2016, 2), "2016-02", "gYearMonth", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
    (DateValue(987), "0987", "gYear", dt.date(987, 1, 1), dt.date(987, 12, 31)),
])
def test_date_value_forms(value: DateValue, lexical: str, xsd: str, first: dt.date, last: dt.date) -> None:
    assert (value.lexical(), value.xsd, value.first_day(), value.last_day()) == (lexical, xsd, first, last)
    assert DateValue.parse(lexical) == value


@pytest.mark.parametrize("args", [(2014, None, 3), (2014, 13), (2014, 2, 29), (0,), (2014, 4, 31)])
def test_date_value_rejects_impossible_dates(args: tuple[int | None, ...]) -> None:
    with pytest.raises(ValueError):
        DateValue(*args)


@pytest.mark.parametrize("text", ["14", "2014-1", "2014-11-25T00:00", "25/11/2014", "2014-13", "x"])
def test_parse_rejects_other_forms(text: str) -> None:
    with pytest.raises(ValueError):
        DateValue.parse(text)


def test_compatible_at_the_coarser_precision() -> None:
    assert DateValue(2014, 11).compatible(DateValue(2014, 11, 25))
    assert DateValue(2014).compatible(DateValue(2014, 11, 25))
    assert not DateValue(2014, 11, 25).compatible(DateValue(2014, 11, 24))
    assert not DateValue(2014, 10).compatible(DateValue(2014, 11, 25))
    assert not DateValue(2013).compatible(DateValue(2014))


# ------------------------------------------------------------------ properties

publication_dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def date_values(draw: st.DrawFn) -> DateValue:
    year = draw(st.integers(1, 9999))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "year":
        return DateValue(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return DateValue(year, month)
    day = draw(st.integers(1, DateValue(year, month).last_day().day))
    return DateValue(year, month, day)


RELATIVE = st.one_of(
    st.sampled_from(WEEKDAYS).map(lambda w: f"on {w}"),
    st.sampled_from(WEEKDAYS).map(lambda w: f"last {w}"),
    st.sampled_from(MONTHS),
    st.sampled_from(MONTHS).map(lambda m: f"last {m}"),
    st.sampled_from(MONTHS).map(lambda m: f"this {m}"),
    st.builds(lambda m, d: f"{m} {d}", st.sampled_from(MONTHS), st.integers(1, 31)),
    st.builds(lambda d: f"the {d}th", st.integers(4, 20)),
    st.builds(lambda n, u: f"{n} {u} ago", st.integers(0, 40), st.sampled_from(["days", "months", "years"])),
    st.sampled_from(WEEKDAYS).map(lambda w: f"{w} last week"),
    st.sampled_from(["spring", "summer", "autumn", "winter"]).map(lambda s: f"last {s}"),
    st.sampled_from(["spring", "summer", "autumn", "winter"]).map(lambda s: f"this {s}"),
    st.builds(lambda d: f"the {d}st", st.sampled_from([1, 21, 31])),
    st.sampled_from(["today", "yesterday", "this month", "last month", "this year", "last year", "this summer",
                     "last spring", "the next day", "a day later", "the following year", "November 7-9",
                     "from Monday to Friday", "the night of Saturday to Sunday", "May this year"]),
)


@given(RELATIVE, publication_dates, st.none() | date_values())
def test_relative_dates_never_after_publication(expression: str, published: dt.date,
                                                anchor: DateValue | None) -> None:
    value = resolve(expression, published=published, anchor=anchor)
    assert value is None or value.first_day() <= published


@given(st.integers(0, 6), publication_dates, st.sampled_from(["{}", "on {}", "{} night", "late {}", "{}'s"]))
def test_weekday_lands_on_that_weekday_in_the_week_before(weekday: int, published: dt.date, form: str) -> None:
    value = resolve(form.format(WEEKDAYS[weekday]), published=published)
    assert value is not None and value.precision == "day"
    assert value.first_day().weekday() == weekday
    assert 0 <= (published - value.first_day()).days < 7


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 12, 31)), publication_dates,
       st.sampled_from(["{m} {d}", "{d} {m}", "{m}. {d}", "{d}th of {m}", "on {m} {d}"]))
@example(dt.date(2000, 2, 29), dt.date(2001, 3, 1), "{m} {d}")
@example(dt.date(2000, 2, 29), dt.date(2001, 3, 2), "{m} {d}")
@example(dt.date(2000, 12, 31), dt.date(2015, 12, 30), "{d} {m}")
def test_month_day_lands_within_the_year_before(day: dt.date, published: dt.date, form: str) -> None:
    name = MONTHS[day.month - 1]
    value = resolve(form.format(m=name[:3] if "." in form else name, d=day.day), published=published)
    if value is None:  # only February 29 may have no date in the year before
        assert (day.month, day.day) == (2, 29)
        return
    assert value.precision == "day" and (value.month, value.day) == (day.month, day.day)
    assert 0 <= (published - value.first_day()).days <= 366  # 366: 2000-02-29 read on 2001-03-01


@given(publication_dates)
def test_leap_day_is_missing_only_without_one_in_the_year_before(published: dt.date) -> None:
    reachable = [dt.date(y, 2, 29) for y in (published.year, published.year - 1) if calendar.isleap(y)]
    reachable = [d for d in reachable if 0 <= (published - d).days <= 366]
    value = resolve("February 29", published=published)
    assert (None if value is None else value.first_day()) == (max(reachable) if reachable else None)


@given(st.integers(1, 12), publication_dates)
def test_month_alone_is_the_latest_up_to_publication(month: int, published: dt.date) -> None:
    value = resolve(MONTHS[month - 1], published=published)
    assert value is not None and value.precision == "month" and value.month == month
    assert value.first_day() <= published < DateValue(value.year + 1, month).first_day()


@given(date_values())
def test_lexical_round_trips(value: DateValue) -> None:
    assert DateValue.parse(value.lexical()) == value
    assert value.first_day() <= value.last_day()


@given(date_values(), date_values())
def test_compatible_is_symmetric(a: DateValue, b: DateValue) -> None:
    assert a.compatible(b) == b.compatible(a)
    assert a.compatible(b) == (a.first_day() <= b.last_day() and b.first_day() <= a.last_day())


@given(date_values())
def test_compatible_is_reflexive(value: DateValue) -> None:
    assert value.compatible(value)


@given(date_values().filter(lambda v: v.precision == "day" and v.year > 1))
def test_full_dates_resolve_to_themselves(value: DateValue) -> None:
    day = value.first_day()
    assume(day.year >= 1000)
    for text in (value.lexical(), f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                 f"{MONTHS[day.month - 1][:3]} {day.day}, {day.year}"):
        assert resolve(text, published=None) == value


@pytest.mark.parametrize(("expression", "expected"), [
    ("Tuesday last week", "2014-11-18"),
    ("on Monday last week", "2014-11-17"),
    ("Wednesday of last week", "2014-11-19"),
    ("Sunday last week", None),  # the week may start on Sunday or Monday
])
def test_weekday_last_week(expression: str, expected: str | None) -> None:
    _check(expression, WED_2014, expected)


def test_explicit_anchor_needs_no_publication_date() -> None:
    _check("a day earlier", None, "2013-12-31", anchor=DateValue(2014, 1, 1))
    _check("the next day", None, "2014-01-02", anchor=DateValue(2014, 1, 1))


@pytest.mark.parametrize("expression", ["0000", "March 0000", "at dawn on Tuesday"])
def test_odd_input_does_not_raise(expression: str) -> None:
    resolve(expression, published=WED_2014)


@given(st.integers(0, 5), publication_dates)
def test_weekday_last_week_lands_in_the_week_before(weekday: int, published: dt.date) -> None:
    value = resolve(f"{WEEKDAYS[weekday]} last week", published=published)
    assert value is not None and value.first_day().weekday() == weekday
    monday = published - dt.timedelta(days=published.weekday())
    assert monday - dt.timedelta(days=7) <= value.first_day() < monday


def test_long_text_is_not_a_date_expression() -> None:
    assert resolve("on Tuesday " * 50, published=WED_2014) is None
