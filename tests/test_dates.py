"""Dates and quarters as people type them (property tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verweefcli.dates import (
    Period,
    Quarter,
    add_years,
    months_between,
    parse_date,
    parse_quarter,
    period_from_options,
)
from verweefcli.errors import InvalidValue

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates)
def test_iso_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@given(dates, st.sampled_from(["/", "-", "."]), st.booleans())
def test_day_first_round_trip(day: dt.date, sep: str, padded: bool) -> None:
    text = (
        f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}" if padded else f"{day.day}{sep}{day.month}{sep}{day.year}"
    )
    assert parse_date(text) == day


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2100))
def test_slash_dates_are_day_first_never_swapped(day: int, month: int, year: int) -> None:
    text = f"{day:02d}/{month:02d}/{year}"
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(InvalidValue):
            parse_date(text)
    else:
        assert parse_date(text) == expected


@given(st.integers(13, 99), st.integers(1, 31), st.integers(1900, 2100))
def test_month_above_twelve_is_an_error_not_a_swap(month: int, day: int, year: int) -> None:
    with pytest.raises(InvalidValue, match="no month"):
        parse_date(f"{day:02d}/{month}/{year}")


def test_examples_from_the_issue() -> None:
    assert parse_date("2026-03-05") == dt.date(2026, 3, 5)
    assert parse_date("05/03/2026") == dt.date(2026, 3, 5)
    assert parse_date("5-3-2026") == dt.date(2026, 3, 5)
    with pytest.raises(InvalidValue, match="no month 31"):
        parse_date("13/31/2026")
    with pytest.raises(InvalidValue, match="day 31 does not exist"):
        parse_date("31/02/2026")


@pytest.mark.parametrize(
    ("word", "offset"),
    [("today", 0), ("vandaag", 0), ("Yesterday", -1), ("gisteren", -1), ("tomorrow", 1), ("morgen", 1)],
)
def test_relative_words(word: str, offset: int) -> None:
    today = dt.date(2026, 3, 1)
    assert parse_date(word, today) == today + dt.timedelta(days=offset)


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_clear_error(text: str) -> None:
    try:
        result = parse_date(text)
    except InvalidValue as exc:
        assert "date" in str(exc)
        assert "\n" not in str(exc)
    else:
        assert isinstance(result, dt.date)


@given(
    st.integers(1900, 2100),
    st.integers(1, 4),
    st.sampled_from(["{y}Q{q}", "{y}-Q{q}", "Q{q} {y}", "q{q}-{y}", "{y}q{q}"]),
)
def test_quarter_spellings(year: int, number: int, pattern: str) -> None:
    quarter = parse_quarter(pattern.format(y=f"{year:04d}", q=number))
    assert quarter == Quarter(year, number)


@given(st.text(max_size=20))
def test_any_text_is_a_quarter_or_a_clear_error(text: str) -> None:
    try:
        parse_quarter(text)
    except InvalidValue as exc:
        assert "quarter" in str(exc)


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q2", "2026", "2026-06"])
def test_bad_quarters(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_quarter(text)


@given(st.integers(1, 9998), st.integers(1, 4))
def test_quarters_tile_the_year(year: int, number: int) -> None:
    quarter = Quarter(year, number)
    assert quarter.next().start == quarter.end + dt.timedelta(days=1)
    assert quarter.previous().next() == quarter
    assert Quarter.containing(quarter.start) == quarter
    assert Quarter.containing(quarter.end) == quarter
    assert [m for _, m in quarter.months()] == [quarter.start.month + i for i in range(3)]


def test_period_options() -> None:
    assert period_from_options("2020Q2", None, None) == Period.of_quarter(Quarter(2020, 2))
    period = period_from_options(None, "01/04/2020", None)
    assert period is not None and period.start == dt.date(2020, 4, 1) and period.end == dt.date.max
    assert period_from_options(None, None, None) is None
    with pytest.raises(InvalidValue, match="not both"):
        period_from_options("2020Q2", "2020-01-01", None)
    with pytest.raises(InvalidValue, match="empty period"):
        period_from_options(None, "2020-05-01", "2020-04-01")


def test_term_arithmetic() -> None:
    assert add_years(dt.date(2020, 2, 29), 3) == dt.date(2023, 2, 28)
    assert add_years(dt.date(2020, 6, 1), 3) == dt.date(2023, 6, 1)
    assert months_between(dt.date(2020, 2, 17), dt.date(2020, 6, 30)) == 4
    assert months_between(dt.date(2020, 6, 1), dt.date(2020, 6, 30)) == 0
    assert months_between(dt.date(2020, 6, 1), dt.date(2020, 5, 1)) == 0


@given(st.dates().filter(lambda d: not 1900 <= d.year <= 2100))
def test_dates_outside_1900_2100_are_an_error(day: dt.date) -> None:
    with pytest.raises(InvalidValue, match="outside 1900-2100"):
        parse_date(day.isoformat() if day.year >= 1000 else f"{day.day}/{day.month}/{day.year:04d}")


@pytest.mark.parametrize("text", ["0001Q1", "9999Q4", "1899Q4", "2101Q1"])
def test_quarters_outside_1900_2100_are_an_error(text: str) -> None:
    with pytest.raises(InvalidValue, match="outside 1900-2100"):
        parse_quarter(text)


def test_a_two_digit_year_names_the_way_out() -> None:
    with pytest.raises(InvalidValue, match=r"two-digit year.*17/02/2020\?.*--date-format %d/%m/%y"):
        parse_date("17/02/20")


def test_report_period() -> None:
    from verweefcli.dates import report_period
    from verweefcli.errors import UsageProblem

    today = dt.date(2026, 5, 10)
    assert report_period(None, None, None, today) == Period.of_quarter(Quarter(2026, 2))
    assert report_period("2026Q1", None, None, today).end == dt.date(2026, 3, 31)
    assert report_period(None, "01/01/2026", "30/06/2026", today) == Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    with pytest.raises(UsageProblem, match="go together"):
        report_period(None, "01/01/2026", None, today)
    with pytest.raises(UsageProblem, match="either"):
        report_period("2026Q1", "01/01/2026", "30/06/2026", today)
    with pytest.raises(InvalidValue, match="empty period"):
        report_period(None, "30/06/2026", "01/01/2026", today)
    with pytest.raises(InvalidValue, match="--as-of 2026-05-10 is before the period starts"):
        report_period("2026Q3", None, None, today)
