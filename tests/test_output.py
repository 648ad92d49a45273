"""Output for scripts (JSON, CSV) and for people (tables without colour off a terminal)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import Run

from verweefcli.domain import activities, contacts, regions, sites

FIELDS = {
    "region": regions.FIELDS,
    "site": sites.FIELDS,
    "contact": contacts.FIELDS,
    "activity": activities.FIELDS,
}


def test_documented_field_names() -> None:
    assert FIELDS["region"] == (
        "id",
        "uuid",
        "name",
        "municipalities",
        "coach",
        "coach_status",
        "appointed_on",
        "ends_on",
        "notes",
    )
    assert FIELDS["site"] == (
        "id",
        "uuid",
        "name",
        "address",
        "municipality",
        "region",
        "kind",
        "stage",
        "floor_area_m2",
        "owner",
        "zoning",
        "rup",
        "lat",
        "lon",
        "tags",
        "notes",
        "stage_changes",
    )
    assert FIELDS["contact"] == (
        "id",
        "uuid",
        "name",
        "organisation",
        "role",
        "email",
        "phone",
        "region",
        "sites",
        "notes",
        "recorded_on",
    )
    assert FIELDS["activity"] == (
        "id",
        "uuid",
        "date",
        "kind",
        "title",
        "notes",
        "region",
        "minutes",
        "sites",
        "contacts",
        "follow_up",
        "highlight",
        "tags",
        "follow_up_note",
        "follow_up_done",
        "follow_up_done_notes",
        "request",
    )


@pytest.mark.parametrize("noun", ["region", "site", "contact", "activity"])
def test_json_list_is_an_array_of_objects_with_the_field_names(gent: Run, noun: str) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10")
    result = gent(noun, "list", "--format", "json")
    data = json.loads(result.stdout)  # nothing else on stdout
    assert isinstance(data, list) and data
    for item in data:
        assert list(item) == list(FIELDS[noun])
    assert result.stderr == ""


@pytest.mark.parametrize("noun", ["region", "site", "contact", "activity"])
def test_csv_list_has_the_field_names_as_header(gent: Run, noun: str) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10")
    rows = list(csv.reader(io.StringIO(gent(noun, "list", "--format", "csv").stdout)))
    assert rows[0] == list(FIELDS[noun])
    assert len(rows) > 1


def test_csv_neutralises_formulas(gent: Run) -> None:
    gent("site", "edit", "Oude Weverij", "--notes", '=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(gent("site", "list", "--format", "csv").stdout)))
    weverij = next(r for r in rows if r["name"] == "Oude Weverij")
    assert weverij["notes"].startswith("'=")


def test_empty_list(ok: Run) -> None:
    assert json.loads(ok("site", "list", "-f", "json").stdout) == []
    assert "No sites found." in ok("site", "list").stdout


def test_no_colour_off_a_terminal(gent: Run) -> None:
    result = gent("visit", "add", "Brouwerij De Zwaan", "--highlight")
    for args in (["site", "list"], ["visit", "list"], ["site", "show", "1"], ["region", "list"]):
        assert "\x1b[" not in gent(*args).stdout
    assert "\x1b[" not in result.stdout


def test_no_colour_with_no_color_even_when_forced(gent: Run) -> None:
    result = gent("site", "list", env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert "\x1b[" not in result.stdout


def test_user_text_is_not_markup(gent: Run) -> None:
    gent("site", "add", "[bold]Hal[/bold] [red]", "--region", "Gent")
    assert "[bold]Hal[/bold] [red]" in gent("site", "list").stdout


def test_errors_are_one_line_on_stderr(cli: Run) -> None:
    result = cli("site", "show", "x" * 300)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
