"""``verweef activity`` and ``verweef visit``: recording the work."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump

from verweefcli.domain.activities import FIELDS


def activities(run: Run, *args: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(run("activity", "list", "-f", "json", *args).stdout)
    return listed


def test_visit_add_moves_identified_site_to_visited(gent: Run) -> None:
    result = gent(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--contact",
        "An Peeters",
        "--notes",
        "Geurhinder besproken",
        "--minutes",
        "90",
        "--date",
        "10/06/2020",
    )
    assert "Recorded visit #1 on 2020-06-10 at Brouwerij De Zwaan." in result.stdout
    visit = activities(gent)[0]
    assert visit["kind"] == "visit"
    assert visit["region"] == "Gent"
    assert visit["contacts"] == ["An Peeters"]
    assert visit["minutes"] == 90
    site = json.loads(gent("site", "show", "Brouwerij De Zwaan", "-f", "json").stdout)
    assert site["stage"] == "visited"


def test_visit_default_date_is_today(gent: Run) -> None:
    gent("visit", "add", "Oude Weverij")
    assert activities(gent)[0]["date"] == dt.date.today().isoformat()


def test_visit_does_not_move_a_site_back(gent: Run) -> None:
    gent("site", "edit", "Oude Weverij", "--stage", "candidate", "--date", "2020-07-01")
    gent("visit", "add", "Oude Weverij", "--date", "2020-07-02")
    site = json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)
    assert site["stage"] == "candidate"


def test_removing_a_visit_undoes_its_stage_change(gent: Run) -> None:
    gent("visit", "add", "Oude Weverij", "--date", "2020-06-20")
    result = gent("activity", "remove", "1", "--yes")
    assert "site 'Oude Weverij' goes from visited to identified" in result.stdout
    site = json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)
    assert site["stage"] == "identified"
    assert [s["stage"] for s in site["stages"]] == ["identified"]


def test_backdated_activity_moves_identification_back(gent: Run) -> None:
    gent("visit", "add", "Oude Weverij", "--date", "2020-05-01")
    site = json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)
    assert site["stages"] == [
        {"stage": "identified", "since": "2020-05-01", "visit": None},
        {"stage": "visited", "since": "2020-05-01", "visit": 1},
    ]


def test_activity_add_all_fields(gent: Run) -> None:
    record = json.loads(
        gent(
            "activity",
            "add",
            "--kind",
            "Doornemen plan/RUP",
            "--date",
            "2020-06-15",
            "--title",
            "RUP Oude Dokken",
            "--notes",
            "Bouwhoogte",
            "--minutes",
            "120",
            "--site",
            "Brouwerij De Zwaan",
            "--site",
            "Oude Weverij",
            "--contact",
            "an peeters",
            "--follow-up",
            "01/09/2020",
            "--highlight",
            "--tag",
            "rup",
            "-f",
            "json",
        ).stdout
    )
    assert list(record) == list(FIELDS)
    assert record["kind"] == "plan-review"
    assert record["sites"] == ["Brouwerij De Zwaan", "Oude Weverij"]
    assert record["follow_up"] == "2020-09-01"
    assert record["highlight"] is True
    assert record["tags"] == ["rup"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "lunch"], "unknown activity kind 'lunch'"),
        (["--kind", "visit"], "a site visit needs the site"),
        (["--kind", "dossier", "--date", "2020-13-01"], "there is no month 13"),
        (["--kind", "dossier", "--site", "Nergens"], "no site named 'Nergens'"),
        (["--kind", "dossier", "--contact", "Niemand"], "no contact named 'Niemand'"),
        (["--kind", "dossier", "--follow-up", "soon"], "follow_up: not a date"),
    ],
)
@pytest.mark.usefixtures("gent")
def test_bad_activity_changes_nothing(cli: Run, db_file: Path, args: list[str], message: str) -> None:
    before = dump(db_file)
    result = cli("activity", "add", "--region", "Gent", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert dump(db_file) == before


@pytest.mark.usefixtures("gent")
def test_region_is_required_when_nothing_gives_one(cli: Run) -> None:
    result = cli("activity", "add", "--kind", "dossier")
    assert result.exit_code == 1
    assert "give the region" in result.stderr


def test_region_default_from_config(gent: Run, home: Path) -> None:
    (home / "config.yaml").write_text("region: Gent\n", encoding="utf-8")
    gent("activity", "add", "--kind", "dossier", "--date", "2020-06-01")
    assert activities(gent)[0]["region"] == "Gent"


@pytest.mark.usefixtures("gent")
def test_minutes_out_of_range_is_a_usage_error(cli: Run) -> None:
    result = cli("activity", "add", "--kind", "dossier", "--minutes", "-5")
    assert result.exit_code == 2


def test_list_filters(gent: Run) -> None:
    gent(
        "activity",
        "add",
        "--kind",
        "dossier",
        "--region",
        "Gent",
        "--date",
        "2020-06-01",
        "--title",
        "Synthesenota",
    )
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--highlight", "--tag", "geur")
    gent(
        "activity",
        "add",
        "--kind",
        "communication",
        "--region",
        "Gent",
        "--date",
        "2020-07-03",
        "--contact",
        "An Peeters",
        "--follow-up",
        "2020-08-01",
    )

    def ids(*a: str) -> list[int]:
        return [x["id"] for x in activities(gent, *a)]

    assert ids() == [3, 2, 1]
    assert ids("--kind", "visit") == [2]
    assert ids("--category", "knowledge") == [1]
    assert ids("--category", "local") == [2]
    assert ids("--site", "Brouwerij De Zwaan") == [2]
    assert ids("--contact", "An Peeters") == [3]
    assert ids("--tag", "geur") == [2]
    assert ids("--search", "synthese") == [1]
    assert ids("--highlight") == [2]
    assert ids("--quarter", "2020-Q2") == [2, 1]
    assert ids("--since", "2020-06-05", "--until", "2020-07-03") == [3, 2]
    assert ids("--limit", "1") == [3]
    assert [v["id"] for v in json.loads(gent("visit", "list", "-f", "json").stdout)] == [2]


@pytest.mark.usefixtures("gent")
def test_activity_reference_must_be_an_id(cli: Run) -> None:
    result = cli("activity", "show", "Synthesenota")
    assert result.exit_code == 1
    assert "by its id" in result.stderr
    result = cli("activity", "show", "42")
    assert result.exit_code == 1
    assert "no activity with id 42" in result.stderr


def test_edit_activity(gent: Run) -> None:
    gent(
        "activity",
        "add",
        "--kind",
        "dossier",
        "--region",
        "Gent",
        "--date",
        "2020-06-01",
        "--follow-up",
        "2020-07-01",
    )
    record = json.loads(
        gent(
            "activity",
            "edit",
            "1",
            "--kind",
            "visit",
            "--site",
            "Oude Weverij",
            "--follow-up",
            "none",
            "--no-highlight",
            "--tag",
            "a,b",
            "--remove-tag",
            "a",
            "-f",
            "json",
        ).stdout
    )
    assert record["kind"] == "visit"
    assert record["follow_up"] is None
    assert record["tags"] == ["b"]
    assert json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)["stage"] == "visited"
    # changing it back to a dossier undoes the visit's stage change
    gent("activity", "edit", "1", "--kind", "dossier")
    assert json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)["stage"] == "identified"


def test_visit_list_table(gent: Run) -> None:
    gent(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--date",
        "2020-06-10",
        "--title",
        "Eerste bezoek",
        "--highlight",
    )
    table = gent("visit", "list").stdout
    assert "★ Eerste bezoek" in table
    assert "1 activity" in table


def test_contact_links_follow_the_activity_date(gent: Run, db_file: Path) -> None:
    import sqlite3

    gent("activity", "add", "--kind", "introduction", "--contact", "An Peeters", "--date", "2020-06-05")
    gent("activity", "edit", "1", "--date", "2020-06-07")
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT date FROM activity_contact").fetchall() == [("2020-06-07",)]
    conn.close()
