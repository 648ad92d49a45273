"""Follow-ups: the agenda, marking them done (kept, not deleted), --due, the calendar file, and the report's rule."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path

import pytest
from conftest import Run
from hypothesis import given
from hypothesis import strategies as st

from verweefcli import __version__
from verweefcli.domain.follow_ups import GROUPS, group_of

TODAY = dt.date.today()
GOLDEN = Path(__file__).parent / "golden"


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def agenda(run: Run, *args: str) -> list[dict[str, object]]:
    return json.loads(run("agenda", *args, "-f", "json").stdout)  # type: ignore[no-any-return]


@pytest.fixture
def promises(gent: Run) -> Run:
    """Follow-ups due 3 days ago, today, in 10 and in 40 days, and one done; activities dated 5 days ago."""
    for offset, note in ((-3, "Bellen over geur"), (0, "Plannen sturen"), (10, "RUP-opmerkingen"), (40, "Evaluatie")):
        gent(
            "visit", "add", "Brouwerij De Zwaan", "--date", day(-5), "--contact", "An Peeters",
            "--follow-up", day(offset), "--follow-up-note", note,
        )  # fmt: skip
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", day(-5), "--title", "Dossier lezen",
         "--follow-up", day(-1))  # fmt: skip
    gent("done", "5", "--date", day(-1), "--notes", "Gelezen")
    return gent


def test_the_agenda_lists_what_is_open_overdue_first(promises: Run) -> None:
    items = agenda(promises)
    assert [(i["what"], i["group"]) for i in items] == [
        ("Bellen over geur", "overdue"),
        ("Plannen sturen", "today"),
        ("RUP-opmerkingen", "this week" if TODAY.weekday() + 10 <= 6 else "next weeks"),
    ]
    first = items[0]
    assert (
        first["sites"] == ["Brouwerij De Zwaan"] and first["contacts"] == ["An Peeters"] and first["region"] == "Gent"
    )
    assert first["due"] == day(-3) and first["date"] == day(-5) and first["kind"] == "visit"
    assert [i["what"] for i in agenda(promises, "--days", "5")] == ["Bellen over geur", "Plannen sturen"]


def test_all_shows_later_and_done_ones(promises: Run) -> None:
    groups = [(i["what"], i["group"]) for i in agenda(promises, "--all")]
    assert groups[-2:] == [("Evaluatie", "later"), ("Dossier lezen", "done")]
    done = agenda(promises, "--all")[-1]
    assert done["done"] == day(-1) and done["done_notes"] == "Gelezen"


def test_the_table_for_people(promises: Run) -> None:
    text = promises("agenda").stdout
    assert text.index("overdue") < text.index("today") < text.index("RUP-opmerkingen")
    assert "Evaluatie" not in text and "\x1b" not in text
    assert "3 follow-up(s), 1 overdue. Mark one done: verweef done ID" in text


def test_the_table_fits_80_columns_with_words_whole(cli: Run) -> None:
    text = cli("--example", "agenda", "--all", env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Startoverleg communicatie- en" in text and "Schrijnwerkerij Vanderhoven ·" in text


def test_an_empty_agenda_says_how_to_add_one(gent: Run) -> None:
    text = gent("agenda").stdout
    assert "Nothing due in the next 28 days, and nothing overdue." in text
    assert "--follow-up" in text


def test_region_and_coach_choose_regions(promises: Run, cli: Run) -> None:
    promises("region", "add", "Turnhout", "--coach", "Sofie Peeters")
    promises("site", "add", "Kaasmakerij", "--region", "Turnhout")
    promises("visit", "add", "Kaasmakerij", "--date", day(-2), "--follow-up", day(1), "--follow-up-note", "Kaas")
    assert [i["what"] for i in agenda(promises, "--region", "Turnhout")] == ["Kaas"]
    assert [i["what"] for i in agenda(promises, "--coach", "sofie")] == ["Kaas"]
    assert len(agenda(promises, "--coach", "Jonas")) == 3
    result = cli("agenda", "--coach", "Nobody")
    assert result.exit_code == 1 and "no region has a coach named like 'Nobody'" in result.stderr


def test_done_is_kept_and_can_be_undone(promises: Run, cli: Run) -> None:
    record = json.loads(promises("done", "1", "--notes", "Gebeld", "-f", "json").stdout)
    assert record["follow_up_done"] == TODAY.isoformat() and record["follow_up_done_notes"] == "Gebeld"
    assert record["follow_up"] == day(-3) and record["follow_up_note"] == "Bellen over geur"  # history kept
    assert [i["what"] for i in agenda(promises)] == ["Plannen sturen", "RUP-opmerkingen"]
    again = cli("done", "1")
    assert again.exit_code == 1
    assert f"already done on {TODAY.isoformat()} (verweef done 1 --undo takes that back)" in again.stderr
    assert "open again (due" in promises("done", "1", "--undo").stdout
    assert agenda(promises)[0]["what"] == "Bellen over geur"
    shown = json.loads(promises("activity", "show", "1", "-f", "json").stdout)
    assert shown["follow_up_done"] is None and shown["follow_up_done_notes"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["done", "2", "--date", "+1d"], 1, "is in the future"),
        (["done", "2", "--date", day(-6)], 1, "before the activity"),
        (["done", "2", "--undo", "--notes", "x"], 2, "--undo takes no --date or --notes"),
        (["done", "99"], 1, "no activity with id 99"),
    ],
)
def test_done_refuses_with_one_line(promises: Run, cli: Run, args: list[str], code: int, message: str) -> None:
    del promises
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_done_needs_a_follow_up(gent: Run, cli: Run) -> None:
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", day(-1))
    result = cli("done", "1")
    assert result.exit_code == 1
    assert "has no follow-up to mark done (give it one: verweef activity edit 1 --follow-up DATE)" in result.stderr
    result = cli("activity", "edit", "1", "--follow-up-note", "zonder datum")
    assert result.exit_code == 1 and "give the follow-up's date too" in result.stderr


def test_activity_list_due(promises: Run, cli: Run) -> None:
    def ids(when: str) -> list[int]:
        return [a["id"] for a in json.loads(promises("activity", "list", "--due", when, "-f", "json").stdout)]

    assert ids("overdue") == [1]  # the done one (#5) is not overdue
    assert ids("today") == [1, 2]
    assert ids(day(10)) == [1, 2, 3]
    assert ids("+1m") == [1, 2, 3]  # a month is at most 31 days: not the one due in 40
    assert ids("week") == [1, 2] + ([3] if TODAY.weekday() + 10 <= 6 else [])
    bad = cli("activity", "list", "--due", "soon")
    assert bad.exit_code == 1 and "or overdue, today, week" in bad.stderr


def test_the_report_counts_what_was_open_on_its_reference_day(gent: Run) -> None:
    """A follow-up done after the quarter was still overdue in that quarter: a past report does not change."""
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-05-01", "--title", "Bellen",
         "--follow-up", "2020-05-15")  # fmt: skip
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-05-02", "--title", "Mailen",
         "--follow-up", "2020-05-20")  # fmt: skip
    gent("done", "1", "--date", "2020-05-16")
    gent("done", "2", "--date", "2020-08-03")

    def overdue(quarter: str, as_of: str) -> int:
        report = json.loads(gent("report", "quarterly", "-q", quarter, "--as-of", as_of, "-f", "json").stdout)
        return int(report["totals"]["follow_ups"]["overdue_total"])

    assert overdue("2020Q2", "2020-07-01") == 1  # Mailen: done in August
    assert overdue("2020Q3", "2020-10-01") == 0


def test_a_visit_sets_its_follow_up_in_one_go(gent: Run) -> None:
    gent("visit", "add", "Oude Weverij", "--follow-up", "+2w", "--follow-up-note", "Opmerkingen RUP sturen")
    item = agenda(gent)[0]
    assert item["what"] == "Opmerkingen RUP sturen" and item["due"] == day(14) and item["sites"] == ["Oude Weverij"]


# -- the calendar -------------------------------------------------------------------------


def test_ics_parses_back_and_its_uids_are_stable(promises: Run, tmp_path: Path) -> None:
    from icalendar import Calendar

    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    promises("agenda", "--all", "-f", "ics", "-o", first)
    promises("done", "2")
    promises("agenda", "--all", "-f", "ics", "-o", second)
    raw = first.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # contacts' names inside
    before, after = (Calendar.from_ical(path.read_bytes()) for path in (first, second))
    todos = {str(t["UID"]): t for t in before.walk("VTODO")}
    assert len(todos) == 5 and len(list(after.walk("VTODO"))) == 5
    assert set(todos) == {str(t["UID"]) for t in after.walk("VTODO")}
    overdue = next(t for t in before.walk("VTODO") if str(t["SUMMARY"]) == "Bellen over geur (Brouwerij De Zwaan)")
    assert overdue.decoded("DUE") == TODAY - dt.timedelta(days=3)
    assert str(overdue["STATUS"]) == "NEEDS-ACTION" and str(overdue["LOCATION"]) == "Brouwerij De Zwaan"
    assert "Contacts: An Peeters" in str(overdue["DESCRIPTION"])
    statuses = {str(t["SUMMARY"]): str(t["STATUS"]) for t in after.walk("VTODO")}
    assert statuses["Plannen sturen (Brouwerij De Zwaan)"] == "COMPLETED"


def test_ics_events_are_all_day(promises: Run) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical(promises("agenda", "-f", "ics", "--events").stdout)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3 and not list(cal.walk("VTODO"))
    start, end = events[0].decoded("DTSTART"), events[0].decoded("DTEND")
    assert isinstance(start, dt.date) and not isinstance(start, dt.datetime) and end - start == dt.timedelta(days=1)


def _normalised(text: str) -> str:
    """The calendar, lines unfolded, without what changes from run to run: stamps, uuids, dates relative to today."""
    text = text.replace("\r\n", "\n").replace("\n ", "").replace(f"verweef {__version__}", "verweef {version}")
    text = re.sub(r"(DTSTAMP|LAST-MODIFIED|COMPLETED):\d{8}T\d{6}Z", r"\1:STAMP", text)
    text = re.sub(r"follow-up-[0-9a-f-]{36}@verweef", "follow-up-UUID@verweef", text)
    for offset in range(-10, 45):
        text = text.replace((TODAY + dt.timedelta(days=offset)).strftime("%Y%m%d"), f"DAY{offset:+d}")
        text = text.replace(day(offset), f"DAY{offset:+d}")
    return text


def test_ics_golden(promises: Run) -> None:
    import os

    text = _normalised(promises("agenda", "--all", "-f", "ics").stdout)
    path = GOLDEN / "agenda.ics"
    if os.environ.get("VERWEEF_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(-30, 60))
def test_every_open_follow_up_is_in_exactly_one_group_in_order(today: dt.date, offset: int) -> None:
    due = today + dt.timedelta(days=offset)
    group = group_of(due.isoformat(), None, today, today + dt.timedelta(days=28))
    assert (group == "overdue") == (offset < 0)
    assert (group == "today") == (offset == 0)
    if group == "this week":
        assert due.isocalendar()[:2] == today.isocalendar()[:2]
    assert (group == "later") == (offset > 28)
    assert group in GROUPS and group != "done"
