"""A site's timeline, an untitled activity in a table, and the report's singular and plural forms."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from verweefcli.report.i18n import Words


def visits(gent: Run) -> None:
    """Three visits to Brouwerij De Zwaan: titled, untitled (notes from an empty line), with two contacts."""
    gent("contact", "add", "Bart Claes", "--organisation", "Buurtcomité Dok", "--email", "bart@dok.example")
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--title", "Kennismaking", "--minutes", 60)
    gent(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--date",
        "2020-06-20",
        "--notes",
        "\n\nGeurhinder besproken\nLaat op de avond",
    )
    gent(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--date",
        "2020-06-25",
        "--title",
        "Rondgang met de buren",
        "--contact",
        "An Peeters",
        "--contact",
        "Bart Claes",
        "--minutes",
        90,
    )


def rows_of(out: str) -> list[str]:
    """The rows of a table of activities (``#  date ...``), as shown."""
    return [line.strip() for line in out.splitlines() if re.match(r"\s*\d+\s+\d{4}-\d\d-\d\d ", line)]


def timeline(out: str) -> list[str]:
    """The rows of the site's activities, as shown."""
    return rows_of(out[out.index("Activities (newest first)") :])


def test_site_show_is_a_timeline_newest_first(gent: Run) -> None:
    visits(gent)
    out = gent("site", "show", "Brouwerij De Zwaan").stdout
    header = out[out.index("Activities (newest first)") :].splitlines()[2].split()
    assert header == ["#", "Date", "Kind", "Title", "Contacts", "Min"]
    rows = timeline(out)
    assert [row.split()[:3] for row in rows] == [
        ["3", "2020-06-25", "visit"],
        ["2", "2020-06-20", "visit"],
        ["1", "2020-06-10", "visit"],
    ]
    assert "Rondgang met de buren" in rows[0] and "An Peeters; Bart Claes" in rows[0] and rows[0].endswith("90")
    # untitled: the first line with words of its notes, no more
    assert "Geurhinder besproken" in rows[1] and "Laat op de avond" not in out
    assert "Kennismaking" in rows[2] and rows[2].endswith("60")
    # contacts are people: their names only
    assert "bart@dok.example" not in out and "Buurtcomité Dok" not in out


def test_site_show_json_keeps_its_fields_and_adds_summary_and_contacts(gent: Run) -> None:
    visits(gent)
    record: dict[str, Any] = json.loads(gent("site", "show", "Brouwerij De Zwaan", "-f", "json").stdout)
    assert record["activities"] == [
        {
            "id": 3,
            "date": "2020-06-25",
            "kind": "visit",
            "title": "Rondgang met de buren",
            "minutes": 90,
            "summary": "Rondgang met de buren",
            "contacts": ["An Peeters", "Bart Claes"],
        },
        {
            "id": 2,
            "date": "2020-06-20",
            "kind": "visit",
            "title": None,
            "minutes": None,
            "summary": "Geurhinder besproken",
            "contacts": [],
        },
        {
            "id": 1,
            "date": "2020-06-10",
            "kind": "visit",
            "title": "Kennismaking",
            "minutes": 60,
            "summary": "Kennismaking",
            "contacts": [],
        },
    ]


def test_notes_stored_with_leading_empty_lines_show_their_first_line(gent: Run, db_file: Path) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-20", "--notes", "tijdelijk")
    # as an older version or another program may have stored them: not stripped
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE activity SET notes = ?", ("\n   \n  Geurhinder besproken  \nLaat op de avond",))
    conn.close()
    for args in (("site", "show", "Brouwerij De Zwaan"), ("activity", "list"), ("visit", "list")):
        out = gent(*args).stdout
        assert "Geurhinder besproken" in out and "Laat op de avond" not in out, args
    record = json.loads(gent("site", "show", "Brouwerij De Zwaan", "-f", "json").stdout)
    assert record["activities"][0]["summary"] == "Geurhinder besproken"


def test_activity_list_shows_an_untitled_activitys_first_line_dimmed(gent: Run) -> None:
    visits(gent)
    for noun in ("activity", "visit"):
        rows = rows_of(gent(noun, "list").stdout)
        assert [row.split()[0] for row in rows] == ["3", "2", "1"]
        assert "Geurhinder besproken" in rows[1] and "Laat op de avond" not in rows[1]
        coloured = gent(noun, "list", env={"FORCE_COLOR": "1"}).stdout
        assert "\x1b[2mGeurhinder besproken\x1b[0m" in coloured
        assert "\x1b[2mKennismaking" not in coloured  # a title is not dimmed
    # scripts get the title as stored
    listed = json.loads(gent("activity", "list", "-f", "json").stdout)
    assert [a["title"] for a in listed] == ["Rondgang met de buren", None, "Kennismaking"]
    csv_rows = gent("activity", "list", "-f", "csv").stdout.splitlines()
    assert csv_rows[2].split(",")[4] == ""  # the untitled visit's title cell


def test_the_first_line_is_shown_safe_for_a_terminal(gent: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-20", "--notes", "\x1b[2J\x1b]0;pwned\x07Geur\nrest")
    for args in (("site", "show", "Brouwerij De Zwaan"), ("activity", "list")):
        for env in (None, {"FORCE_COLOR": "1"}):
            out = gent(*args, env=env).stdout
            assert "\\x1b[2J\\x1b]0;pwned\\x07Geur" in out
            assert "\x1b[2J" not in out and "\x07" not in out


# -- the report's singular and plural forms ------------------------------------------------

REPORT = ("report", "quarterly", "-q", "2020Q2", "--as-of", "2020-07-01")


def one_of_each(ok: Run) -> None:
    """One region, one site, one visit of an hour with one contact, one follow-up."""
    ok("region", "add", "Gent", "--coach", "Jonas De Meester", "--appointed-on", "2020-01-01", "-m", "Gent")
    ok("site", "add", "Brouwerij De Zwaan", "--region", "Gent", "-m", "Gent", "--date", "2020-04-02")
    ok("contact", "add", "An Peeters", "--region", "Gent")
    ok(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--date",
        "2020-05-10",
        "--contact",
        "An Peeters",
        "--minutes",
        60,
        "--follow-up",
        "2020-07-10",
    )


def two_of_each(ok: Run) -> None:
    one_of_each(ok)
    ok("region", "add", "Turnhout", "--coach", "Els Wouters", "--appointed-on", "2020-01-01", "-m", "Turnhout")
    ok("site", "add", "Oude Weverij", "--region", "Turnhout", "-m", "Turnhout", "--date", "2020-04-03")
    ok("contact", "add", "Bart Claes", "--region", "Turnhout")
    ok(
        "visit",
        "add",
        "Oude Weverij",
        "--date",
        "2020-05-11",
        "--contact",
        "Bart Claes",
        "--minutes",
        60,
        "--follow-up",
        "2020-07-11",
    )


SINGULAR = {
    "nl": [
        "1 regio",
        "Een verweefcoach is aan de slag in 1 van de 1 regio.",
        "1 activiteit (1 uur); vorig kwartaal 0.",
        "1 plaatsbezoek aan 1 site; 1 nieuwe site in kaart gebracht.",
        "1 contact bereikt, waarvan 1 nieuw.",
        "1 opvolging gepland in 2020Q3; 0 achterstallig.",
    ],
    "en": [
        "1 region",
        "A verweefcoach is at work in 1 of the 1 region.",
        "1 activity (1 hour); previous quarter 0.",
        "1 site visit to 1 site; 1 new site mapped.",
        "1 contact reached, 1 of them new.",
        "1 follow-up due in 2020Q3; 0 overdue.",
    ],
}
PLURAL = {
    "nl": [
        "2 regio's",
        "Een verweefcoach is aan de slag in 2 van de 2 regio's.",
        "2 activiteiten (2 uur); vorig kwartaal 0.",
        "2 plaatsbezoeken aan 2 sites; 2 nieuwe sites in kaart gebracht.",
        "2 contacten bereikt, waarvan 2 nieuw.",
        "2 opvolgingen gepland in 2020Q3; 0 achterstallig.",
    ],
    "en": [
        "2 regions",
        "A verweefcoach is at work in 2 of the 2 regions.",
        "2 activities (2 hours); previous quarter 0.",
        "2 site visits to 2 sites; 2 new sites mapped.",
        "2 contacts reached, 2 of them new.",
        "2 follow-ups due in 2020Q3; 0 overdue.",
    ],
}


@pytest.mark.parametrize("fmt", ["markdown", "terminal", "html"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_visit_to_one_site_in_one_region_is_singular(ok: Run, lang: str, fmt: str) -> None:
    one_of_each(ok)
    out = ok(*REPORT, "--lang", lang, "-f", fmt).stdout
    for sentence in SINGULAR[lang]:
        assert sentence in out, sentence


@pytest.mark.parametrize("fmt", ["markdown", "terminal", "html"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_two_visits_to_two_sites_in_two_regions_are_plural(ok: Run, lang: str, fmt: str) -> None:
    two_of_each(ok)
    out = ok(*REPORT, "--lang", lang, "-f", fmt).stdout
    if fmt == "html":
        out = out.replace("&#x27;", "'")
    for sentence in PLURAL[lang]:
        assert sentence in out, sentence


def test_the_json_report_is_only_numbers(ok: Run) -> None:
    one_of_each(ok)
    totals = json.loads(ok(*REPORT, "-f", "json").stdout)["totals"]
    assert totals["activities"] == 1 and totals["sites"]["visited"] == 1 and totals["contacts"]["met"] == 1


@pytest.mark.parametrize(
    ("lang", "key", "values", "text"),
    [
        (
            "nl",
            "sum_next",
            {"due": 0, "next": "2020Q3", "overdue": 0},
            "0 opvolgingen gepland in 2020Q3; 0 achterstallig.",
        ),
        ("en", "sum_next", {"due": 0, "next": "2020Q3", "overdue": 1}, "0 follow-ups due in 2020Q3; 1 overdue."),
        ("nl", "sum_work", {"n": 1, "hours": 1.5, "prev": 1}, "1 activiteit (1,5 uur); vorig kwartaal 1."),
        ("en", "sum_work", {"n": 1, "hours": 1.5, "prev": 1}, "1 activity (1.5 hours); previous quarter 1."),
        ("en", "sum_work", {"n": 1234, "hours": 1.0, "prev": 0}, "1,234 activities (1 hour); previous quarter 0."),
        (
            "nl",
            "sum_planned",
            {"n": 1, "date": "1 juli 2020"},
            "1 activiteit na 1 juli 2020 is gepland en niet meegeteld.",
        ),
        (
            "en",
            "sum_planned",
            {"n": 3, "date": "1 July 2020"},
            "3 activities dated after 1 July 2020 are planned and not counted.",
        ),
        ("nl", "regions_line", {"n": 0}, "0 regio's"),
        ("en", "regions_line", {"n": 0}, "0 regions"),
    ],
)
def test_zero_and_fractions_take_the_plural(lang: str, key: str, values: dict[str, object], text: str) -> None:
    assert Words(lang)(key, **values) == text


def test_a_number_written_out_cannot_choose_a_form() -> None:
    with pytest.raises(TypeError, match="must be a number"):
        Words("nl")("regions_line", n="1")
