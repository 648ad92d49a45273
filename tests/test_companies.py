"""Companies: enterprise numbers, sites, people, and one timeline (``verweef company``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump


def company(run: Run, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run("company", *args, "-f", "json").stdout)
    return found


def test_add_show_and_list(gent: Run) -> None:
    added = company(
        gent,
        "add",
        "Brouwerij De Zwaan",
        "--kbo",
        "BE 0403 170 701",
        "--nace",
        "1105",
        "--nace",
        "46.34",
        "--sector",
        "voeding en dranken",
        "--staff",
        "45",
        "--site",
        "Brouwerij De Zwaan",
    )
    assert added["enterprise_number"] == "0403.170.701"  # one form, whatever was typed
    assert (added["nace"], added["sector"], added["staff"]) == (["11.05", "46.34"], "food", 45)
    assert (added["site"], added["region"]) == ("Brouwerij De Zwaan", "Gent")  # the site's region
    listed = json.loads(gent("company", "list", "-f", "json").stdout)
    assert [c["name"] for c in listed] == ["Brouwerij De Zwaan"]
    assert (
        gent("company", "list", "--sector", "food", "-f", "csv")
        .stdout.splitlines()[0]
        .startswith("id,uuid,name,enterprise_number,nace,sector,staff,site")
    )
    assert "Brouwerij De Zwaan" in gent("company", "show", "1").stdout


def test_a_company_without_site_needs_a_region(gent: Run, cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("company", "add", "Metaal Verhaeghe")
    assert result.exit_code == 1 and "a company needs a site or a region" in result.output
    assert dump(db_file) == before
    assert company(gent, "add", "Metaal Verhaeghe", "--region", "Gent")["region"] == "Gent"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kbo", "0403170702"], "fails its check (mod 97)"),
        (["--kbo", "12345"], "not an enterprise number"),
        (["--nace", "ab"], "is not a NACE code"),
        (["--staff", "12,5"], "not a whole number"),
        (["--sector", "bakery"], "sector"),
        (["--site", "Nergens"], "no site named 'Nergens'"),
    ],
)
@pytest.mark.usefixtures("gent")
def test_bad_values_are_one_line_and_change_nothing(cli: Run, db_file: Path, args: list[str], message: str) -> None:
    before = dump(db_file)
    result = cli("company", "add", "Firma X", "--region", "Gent", *args)
    assert result.exit_code == 1, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert dump(db_file) == before


def test_an_enterprise_number_is_unique(gent: Run, cli: Run) -> None:
    gent("company", "add", "Firma A", "--region", "Gent", "--kbo", "0403.170.701")
    result = cli("company", "add", "Firma B", "--region", "Gent", "--kbo", "BE0403170701")
    assert result.exit_code == 1 and "already 'Firma A'" in result.output


def test_people_linked_by_hand_and_by_their_organisation(gent: Run, cli: Run) -> None:
    gent("contact", "add", "Jo Smet", "--organisation", "weverij verhaeghe", "--region", "Gent")
    added = gent("company", "add", "Weverij Verhaeghe", "--region", "Gent")
    assert "Linked 1 contact(s) whose organisation is its name: Jo Smet." in added.stdout
    edited = company(gent, "edit", "Weverij Verhaeghe", "--contact", "An Peeters")
    assert edited["contacts"] == ["An Peeters", "Jo Smet"]
    assert company(gent, "edit", "Weverij Verhaeghe", "--remove-contact", "Jo Smet")["contacts"] == ["An Peeters"]
    # the organisation text stays; link-contacts offers the link again, and a name two companies share links nothing
    assert "Jo Smet -> Weverij Verhaeghe" in gent("company", "link-contacts", "--dry-run").stdout
    gent("company", "add", "Weverij Verhaeghe", "--region", "Gent", "--kbo", "0200.065.765")
    assert "No contact's organisation" in gent("company", "link-contacts").stdout
    contact = json.loads(gent("contact", "show", "Jo Smet", "-f", "json").stdout)
    assert contact["organisation"] == "weverij verhaeghe"
    assert cli("company", "show", "Weverij Verhaeghe").exit_code == 1  # two of that name: use the id


def test_show_gives_one_timeline_newest_first(gent: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--title", "Rondgang")
    gent("company", "add", "Brouwerij De Zwaan", "--site", "Brouwerij De Zwaan")
    shown = company(gent, "show", "Brouwerij De Zwaan")
    assert [(t["what"], t["date"]) for t in shown["timeline"]] == [("activity", "2020-06-10")]
    text = gent("company", "show", "Brouwerij De Zwaan").stdout
    assert "Timeline (newest first)" in text and "Rondgang" in text


def test_remove_takes_its_links_and_keeps_the_people(gent: Run) -> None:
    gent("company", "add", "Firma A", "--region", "Gent", "--contact", "An Peeters")
    removed = gent("company", "remove", "Firma A", "--yes")
    assert "1 contact link(s) go (the contacts stay)" in removed.stdout
    assert json.loads(gent("company", "list", "-f", "json").stdout) == []
    assert json.loads(gent("contact", "show", "An Peeters", "-f", "json").stdout)["name"] == "An Peeters"
