"""``verweef contact``: people, their roles and their sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, dump


def test_add_with_role_label_and_site_links(gent: Run) -> None:
    record = json.loads(
        gent(
            "contact",
            "add",
            "Luc Ceulemans",
            "--organisation",
            "Brouwerij De Zwaan bv",
            "--role",
            "Ondernemer",
            "--phone",
            "09  00 12 34",
            "--site",
            "Brouwerij De Zwaan (eigenaar)",
            "--site",
            "Oude Weverij",
            "-f",
            "json",
        ).stdout
    )
    assert record["role"] == "ondernemer"
    assert record["phone"] == "09 00 12 34"
    assert record["region"] == "Gent"  # from its first site
    assert record["sites"] == [
        {"id": 1, "name": "Brouwerij De Zwaan", "role": "owner"},
        {"id": 2, "name": "Oude Weverij", "role": None},
    ]


def test_role_buurtcomite_with_accent(gent: Run) -> None:
    record = json.loads(gent("contact", "add", "Marleen Jacobs", "--role", "buurtcomité", "-f", "json").stdout)
    assert record["role"] == "buurtcomite"
    assert record["region"] is None


@pytest.mark.usefixtures("gent")
def test_bad_email_and_duplicates(cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("contact", "add", "Jan", "--email", "jan-at-gent")
    assert result.exit_code == 1 and "not an e-mail address" in result.stderr
    result = cli("contact", "add", "Someone Else", "--email", "AN.PEETERS@gent.example")
    assert result.exit_code == 1 and "already exists" in result.stderr
    result = cli("contact", "add", "an peeters", "--organisation", "stad gent")
    assert result.exit_code == 1 and "already exists" in result.stderr
    result = cli("contact", "add", "Jan", "--site", "Nergens (owner)")
    assert result.exit_code == 1 and "no site named 'Nergens'" in result.stderr
    assert dump(db_file) == before


def test_same_name_other_organisation_is_fine_but_ambiguous(gent: Run, cli: Run) -> None:
    gent("contact", "add", "An Peeters", "--organisation", "VLAIO")
    result = cli("contact", "show", "an peeters")
    assert result.exit_code == 1
    assert "(Stad Gent)" in result.stderr and "(VLAIO)" in result.stderr


def test_list_table_does_not_show_email_or_phone(gent: Run) -> None:
    gent("contact", "edit", "An Peeters", "--phone", "09 266 00 00")
    table = gent("contact", "list").stdout
    assert "An Peeters" in table
    assert "@" not in table and "266" not in table
    shown = gent("contact", "show", "An Peeters").stdout
    assert "an.peeters@gent.example" in shown


def test_list_filters(gent: Run) -> None:
    gent("contact", "add", "Tom Vermeulen", "--role", "projectontwikkelaar", "--region", "Gent")

    def names(*a: str) -> list[str]:
        return [c["name"] for c in json.loads(gent("contact", "list", "-f", "json", *a).stdout)]

    assert names() == ["An Peeters", "Tom Vermeulen"]
    assert names("--role", "Projectontwikkelaar") == ["Tom Vermeulen"]
    assert names("--site", "Brouwerij De Zwaan") == ["An Peeters"]
    assert names("--search", "PEETERS") == ["An Peeters"]
    assert names("--since", "today") == ["An Peeters", "Tom Vermeulen"]
    assert names("--until", "yesterday") == []


def test_edit_links(gent: Run) -> None:
    record = json.loads(
        gent(
            "contact",
            "edit",
            "An Peeters",
            "--site",
            "Oude Weverij (owner)",
            "--remove-site",
            "Brouwerij De Zwaan",
            "--role",
            "stadsdienst",
            "-f",
            "json",
        ).stdout
    )
    assert record["sites"] == [{"id": 2, "name": "Oude Weverij", "role": "owner"}]
    assert record["role"] == "stadsdienst"


def test_remove_keeps_activities(gent: Run) -> None:
    gent("activity", "add", "--kind", "introduction", "--contact", "An Peeters", "--date", "2020-06-05")
    result = gent("contact", "remove", "An Peeters", "--yes")
    assert "1 activity no longer names this contact" in result.stdout
    activity = json.loads(gent("activity", "show", "1", "-f", "json").stdout)
    assert activity["contacts"] == []
    assert activity["region"] == "Gent"
