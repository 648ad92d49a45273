"""``verweef region``: add, list, show, edit, remove; the coach's term."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, dump


def test_add_derives_status_and_three_year_term(ok: Run) -> None:
    result = ok(
        "region",
        "add",
        "Sint-Truiden",
        "--coach",
        "Hanne Moors",
        "--appointed-on",
        "17/02/2020",
        "-f",
        "json",
    )
    region = json.loads(result.stdout)
    assert region["coach_status"] == "ended"  # today, from the dates
    assert region["appointed_on"] == "2020-02-17"
    assert region["ends_on"] == "2023-02-17"


def test_selecting_region_without_coach(ok: Run) -> None:
    ok("region", "add", "Vilvoorde", "--status", "selecting", "-m", "Vilvoorde, Machelen")
    region = json.loads(ok("region", "show", "vilvoorde", "-f", "json").stdout)
    assert region["coach"] is None
    assert region["coach_status"] == "selecting"
    assert region["municipalities"] == ["Vilvoorde", "Machelen"]
    assert region["counts"] == {"sites": 0, "contacts": 0, "activities": 0}


def test_appointed_needs_a_date(cli: Run, db_file: Path) -> None:
    result = cli("region", "add", "Gent", "--status", "appointed")
    assert result.exit_code == 1
    assert "appointed_on" in result.stderr
    assert not db_file.exists() or "Gent" not in dump(db_file)


@pytest.mark.usefixtures("gent")
def test_duplicate_name_ignoring_case_and_accents(cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("region", "add", "GÉNT")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert dump(db_file) == before


def test_unknown_status_lists_the_known_ones(cli: Run) -> None:
    result = cli("region", "add", "Gent", "--status", "busy")
    assert result.exit_code == 1
    assert "unknown coach status 'busy'" in result.stderr
    assert "appointed" in result.stderr


def test_list_filters(ok: Run) -> None:
    ok("region", "add", "Gent", "--appointed-on", "2020-06-01")
    ok("region", "add", "Sint-Truiden", "--appointed-on", "2020-02-17")
    ok("region", "add", "Vilvoorde", "--status", "selecting")

    def names(*args: str) -> list[str]:
        return [r["name"] for r in json.loads(ok("region", "list", "-f", "json", *args).stdout)]

    assert names() == ["Gent", "Sint-Truiden", "Vilvoorde"]
    assert names("--status", "selecting") == ["Vilvoorde"]
    assert names("--quarter", "2020Q1") == ["Sint-Truiden"]
    assert names("--since", "01/03/2020") == ["Gent"]
    assert names("--search", "truiden") == ["Sint-Truiden"]
    assert names("--search", "truiden sint") == ["Sint-Truiden"]  # every word, in any order
    assert names("--search", "truiden gent") == []
    assert names("--limit", "1") == ["Gent"]


def test_edit_moves_the_default_end_of_term(gent: Run) -> None:
    region = json.loads(gent("region", "edit", "gent", "--appointed-on", "2020-07-01", "-f", "json").stdout)
    assert region["ends_on"] == "2023-07-01"
    region = json.loads(gent("region", "edit", "gent", "--ends-on", "2024-01-01", "-f", "json").stdout)
    assert region["ends_on"] == "2024-01-01"
    region = json.loads(gent("region", "edit", "gent", "--appointed-on", "2020-08-01", "-f", "json").stdout)
    assert region["ends_on"] == "2024-01-01"  # an explicit end stays


def test_edit_municipalities_and_clear_notes(gent: Run) -> None:
    gent("region", "edit", "Gent", "--notes", "iets")
    region = json.loads(
        gent(
            "region",
            "edit",
            "Gent",
            "-m",
            "Merelbeke",
            "--remove-municipality",
            "gent",
            "--notes",
            "",
            "-f",
            "json",
        ).stdout
    )
    assert region["municipalities"] == ["Merelbeke"]
    assert region["notes"] is None


def test_edit_status_selecting_to_appointed(ok: Run) -> None:
    ok("region", "add", "Vilvoorde", "--status", "selecting")
    region = json.loads(
        ok("region", "edit", "Vilvoorde", "--appointed-on", "2021-01-04", "--coach", "X", "-f", "json").stdout
    )
    assert region["coach_status"] == "ended"  # appointed, and the term (to 2024-01-04) is over by now
    assert region["ends_on"] == "2024-01-04"


@pytest.mark.usefixtures("gent")
def test_remove_refuses_while_sites_hang_on_it(cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("region", "remove", "Gent", "--yes")
    assert result.exit_code == 1
    assert "still has 2 site(s)" in result.stderr
    assert dump(db_file) == before


def test_remove_empty_region(ok: Run) -> None:
    ok("region", "add", "Turnhout")
    result = ok("region", "remove", "turnhout", "--yes")
    assert "Removed region" in result.stdout
    assert json.loads(ok("region", "list", "-f", "json").stdout) == []


@pytest.mark.usefixtures("gent")
def test_show_unknown_suggests(cli: Run) -> None:
    result = cli("region", "show", "Gen")
    assert result.exit_code == 1
    assert "no region named 'Gen'" in result.stderr
    assert "'Gent'" in result.stderr
    result = cli("region", "show", "#99")
    assert result.exit_code == 1
    assert "no region with id 99" in result.stderr
