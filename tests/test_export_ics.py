"""``export activities --format ics``: the follow-ups of the activities as a calendar.

Read back with icalendar, compared with golden files (to-dos, and --events), and checked to be the
agenda's calendar (one renderer): open follow-ups NEEDS-ACTION, done ones COMPLETED, by due day.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from verweefcli import __version__

GOLDEN = Path(__file__).parent / "golden"
STAMP = "2020-07-01T08:30:00.000000Z"
VISIT, DOSSIER, PLAN, INTRO = (f"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a6{n}" for n in range(1, 5))
ACTIVITIES = [
    {
        "uuid": VISIT,
        "date": "2020-06-05",
        "kind": "visit",
        "title": "Plaatsbezoek",
        "region": "Gent",
        "sites": "Brouwerij De Zwaan",
        "contacts": "An Peeters",
        "follow_up": "2020-06-20",
        "follow_up_note": "Plannen sturen",
        "follow_up_done": "",
        "follow_up_done_notes": "",
    },
    {
        "uuid": DOSSIER,
        "date": "2020-06-06",
        "kind": "dossier",
        "title": "Dossier lezen",
        "region": "Gent",
        "sites": "",
        "contacts": "",
        "follow_up": "2020-06-10",
        "follow_up_note": "",
        "follow_up_done": "2020-06-09",
        "follow_up_done_notes": "Gelezen, en doorgestuurd",
    },
    {
        "uuid": PLAN,
        "date": "2020-06-07",
        "kind": "plan-review",
        "title": "RUP Oude Dokken",
        "region": "Gent",
        "sites": "Oude Weverij",
        "contacts": "",
        "follow_up": "2020-07-01",
        "follow_up_note": "Opmerkingen; met komma, en een lange zin die over de regel van 75 tekens gaat",
        "follow_up_done": "",
        "follow_up_done_notes": "",
    },
    {
        "uuid": INTRO,
        "date": "2020-06-08",
        "kind": "introduction",
        "title": "Kennismaking zonder opvolging",
        "region": "Gent",
        "sites": "",
        "contacts": "",
        "follow_up": "",
        "follow_up_note": "",
        "follow_up_done": "",
        "follow_up_done_notes": "",
    },
]


@pytest.fixture
def follow_ups(gent: Run, db_file: Path, tmp_path: Path) -> Run:
    """The `gent` database with four activities of known uuids: two follow-ups open, one done, one none."""
    path = tmp_path / "activities.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(ACTIVITIES[0]))
        writer.writeheader()
        writer.writerows(ACTIVITIES)
    assert "4 inserted" in gent("import", "activities", path).stdout
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE activity SET updated_at = ?", (STAMP,))
    return gent


def calendar(text: str | bytes) -> Any:
    from icalendar import Calendar

    return Calendar.from_ical(text)


def uid(uuid: str) -> str:
    return f"follow-up-{uuid}@verweef"


def test_the_follow_ups_read_back_with_icalendar(follow_ups: Run) -> None:
    cal = calendar(follow_ups("export", "activities", "--format", "ics").stdout)
    assert str(cal["X-WR-CALNAME"]) == "verweef follow-ups"
    todos = list(cal.walk("VTODO"))
    assert [str(t["UID"]) for t in todos] == [uid(DOSSIER), uid(VISIT), uid(PLAN)]  # by due day; none for INTRO
    done, visit, plan = todos
    assert str(done["STATUS"]) == "COMPLETED" and int(done["PERCENT-COMPLETE"]) == 100
    assert done.decoded("COMPLETED").date() == dt.date(2020, 6, 9)
    assert "Done on 2020-06-09: Gelezen, en doorgestuurd" in str(done["DESCRIPTION"])
    assert str(visit["STATUS"]) == "NEEDS-ACTION" and "COMPLETED" not in visit
    assert visit.decoded("DUE") == dt.date(2020, 6, 20) and visit.decoded("DTSTART") == dt.date(2020, 6, 5)
    assert str(visit["SUMMARY"]) == "Plannen sturen (Brouwerij De Zwaan)"
    assert str(visit["LOCATION"]) == "Brouwerij De Zwaan" and "Contacts: An Peeters" in str(visit["DESCRIPTION"])
    assert str(plan["SUMMARY"]).startswith("Opmerkingen; met komma, en een lange zin")
    assert visit.decoded("LAST-MODIFIED") == dt.datetime(2020, 7, 1, 8, 30, tzinfo=dt.UTC)


def test_events_are_all_day_on_the_due_days(follow_ups: Run) -> None:
    cal = calendar(follow_ups("export", "activities", "-f", "ics", "--events").stdout)
    events = list(cal.walk("VEVENT"))
    assert not list(cal.walk("VTODO"))
    assert [(e.decoded("DTSTART"), e.decoded("DTEND") - e.decoded("DTSTART")) for e in events] == [
        (dt.date(2020, 6, 10), dt.timedelta(days=1)),
        (dt.date(2020, 6, 20), dt.timedelta(days=1)),
        (dt.date(2020, 7, 1), dt.timedelta(days=1)),
    ]


def _normalised(raw: bytes) -> str:
    """The calendar without what changes from run to run: the moment it was written, the version."""
    assert raw.count(b"\r\n") == raw.count(b"\n") > 0  # CRLF line ends, as RFC 5545 asks
    text = raw.decode("utf-8").replace("\r\n", "\n").replace(f"verweef {__version__}", "verweef {version}")
    return re.sub(r"DTSTAMP:\d{8}T\d{6}Z", "DTSTAMP:STAMP", text)


@pytest.mark.parametrize(
    ("args", "golden"), [((), "export-activities.ics"), (("--events",), "export-activities-events.ics")]
)
def test_golden(follow_ups: Run, args: tuple[str, ...], golden: str) -> None:
    text = _normalised(follow_ups("export", "activities", "-f", "ics", *args).stdout_bytes)
    path = GOLDEN / golden
    if os.environ.get("VERWEEF_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_it_is_the_agendas_calendar_with_every_follow_up(follow_ups: Run) -> None:
    def todos(*args: str) -> dict[str, dict[str, str]]:
        cal = calendar(follow_ups(*args, "-f", "ics").stdout)
        return {str(t["UID"]): {k: str(v) for k, v in t.items() if k != "DTSTAMP"} for t in cal.walk("VTODO")}

    exported = todos("export", "activities")
    assert exported == todos("agenda", "--all")  # the same renderer, the same to-dos
    # the agenda without --all: what is open now, up to 28 days ahead; the export: all of them
    assert set(todos("agenda")) < set(exported)


def test_a_file_is_private(follow_ups: Run, cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "opvolging.ics"
    result = follow_ups("export", "activities", "-f", "ics", "-o", target)
    assert "Wrote 3 follow-ups to" in result.stderr and result.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # names of people inside
    assert len(list(calendar(target.read_bytes()).walk("VTODO"))) == 3
    again = cli("export", "activities", "-f", "ics", "-o", target)
    assert again.exit_code == 1 and "already exists (--force replaces it)" in again.stderr


def test_no_follow_ups_is_an_empty_calendar(gent: Run) -> None:
    cal = calendar(gent("export", "activities", "-f", "ics").stdout)
    assert str(cal["VERSION"]) == "2.0" and not list(cal.walk("VTODO"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sites", "-f", "ics"), "--format ics is for activities only (their follow-ups, for calendars)"),
        (("all", "-f", "ics"), "--format ics is for activities only"),
        (("activities", "--events"), "--events goes with --format ics"),
        (("activities", "-f", "ics", "--excel"), "--excel is a kind of CSV"),
        (("activities", "-f", "ics", "--contact", "An Peeters"), "--contact goes with --format vcard"),
    ],
)
def test_options_that_do_not_fit_are_usage_errors(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""
