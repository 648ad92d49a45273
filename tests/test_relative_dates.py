"""Relative dates as people type them (+2w, morgen, dinsdag...): one day each, never a guess."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import Run
from hypothesis import given
from hypothesis import strategies as st

from verweefcli.dates import parse_date
from verweefcli.errors import InvalidValue
from verweefcli.relative import add_months, relative_date

FRIDAY = dt.date(2026, 11, 27)
TUESDAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", FRIDAY),
        ("today", FRIDAY),
        ("morgen", dt.date(2026, 11, 28)),
        ("overmorgen", dt.date(2026, 11, 29)),
        ("gisteren", dt.date(2026, 11, 26)),
        ("eergisteren", dt.date(2026, 11, 25)),
        ("+3d", dt.date(2026, 11, 30)),
        ("+2w", dt.date(2026, 12, 11)),
        ("+1m", dt.date(2026, 12, 27)),
        ("+ 3 dagen", dt.date(2026, 11, 30)),
        ("in 3 days", dt.date(2026, 11, 30)),
        ("over 2 weken", dt.date(2026, 12, 11)),
        ("Over  1  maand", dt.date(2026, 12, 27)),
        ("volgende week", dt.date(2026, 12, 4)),
        ("next week", dt.date(2026, 12, 4)),
        ("dinsdag", TUESDAY),
        ("di", TUESDAY),
        ("Tuesday", TUESDAY),
        ("tue", TUESDAY),
        ("vrijdag", dt.date(2026, 12, 4)),  # today is a Friday: the next one, a week on
        ("za", dt.date(2026, 11, 28)),
    ],
)
def test_each_form_is_one_day(text: str, expected: dt.date) -> None:
    assert parse_date(text, FRIDAY) == expected


@pytest.mark.parametrize("text", ["volgende dinsdag", "next tuesday", "Volgende  vrijdag"])
def test_next_weekday_is_refused_rather_than_guessed(text: str) -> None:
    with pytest.raises(InvalidValue, match="this week's or next week's"):
        parse_date(text, FRIDAY)


@pytest.mark.parametrize("text", ["+3x", "over 2 jaren", "in 5 fortnights"])
def test_an_unknown_unit_says_which_units_there_are(text: str) -> None:
    with pytest.raises(InvalidValue, match="days, weeks or months"):
        parse_date(text, FRIDAY)


def test_a_month_later_is_the_same_day_or_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def test_plain_dates_are_no_relative_form() -> None:
    assert relative_date("2026-03-01", FRIDAY) is None
    assert relative_date("01/03/2026", FRIDAY) is None
    assert relative_date("maandag 3", FRIDAY) is None


@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.sampled_from(list(range(7))))
def test_a_weekday_is_always_within_the_coming_seven_days_and_never_today(today: dt.date, weekday: int) -> None:
    name = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"][weekday]
    day = parse_date(name, today)
    assert day.weekday() == weekday
    assert 1 <= (day - today).days <= 7


@given(st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)), st.integers(0, 400), st.sampled_from("dwm"))
def test_counted_forms_move_forward_by_their_unit(today: dt.date, number: int, unit: str) -> None:
    day = parse_date(f"+{number}{unit}", today)
    if unit == "d":
        assert (day - today).days == number
    elif unit == "w":
        assert (day - today).days == 7 * number
    else:
        assert (day.year * 12 + day.month) - (today.year * 12 + today.month) == number
        assert day.day == min(today.day, day.day) and (day.day == today.day or day.day >= 28)


def test_a_visit_follow_up_typed_relatively(gent: Run) -> None:
    record = gent(
        "visit", "add", "Brouwerij De Zwaan", "--date", "vandaag", "--follow-up", "+2w", "--follow-up-note", "Plannen"
    )
    assert record.exit_code == 0
    shown = gent("activity", "show", "1", "-f", "json").stdout
    assert '"follow_up_note": "Plannen"' in shown
    today = dt.date.today()
    assert f'"follow_up": "{(today + dt.timedelta(weeks=2)).isoformat()}"' in shown


@pytest.mark.usefixtures("gent")
def test_an_ambiguous_date_on_the_command_line_is_one_line_and_exit_1(cli: Run) -> None:
    result = cli("visit", "add", "Brouwerij De Zwaan", "--follow-up", "volgende dinsdag")
    assert result.exit_code == 1
    assert "this week's or next week's" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("gent")
def test_a_file_needs_real_dates(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("datum;soort;regio\nmorgen;dossier;Gent\n", encoding="utf-8")
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert f"{path}:2: datum: 'morgen' is a day counted from today" in result.stderr
