"""``verweef site``: records, references by name, stage history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump


def site(run: Run, ref: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(run("site", "show", ref, "-f", "json").stdout)
    return shown


def test_add_with_every_field(gent: Run) -> None:
    record = json.loads(
        gent(
            "site",
            "add",
            "Metaal Vandaele",
            "--region",
            "gent",
            "--address",
            "Nijverheidsstraat 5, 9000 Gent",
            "-m",
            "Gent",
            "--kind",
            "Bedrijfssite",
            "--floor-area",
            "1.234,5",
            "--owner",
            "Vandaele nv",
            "--zoning",
            "KMO-zone",
            "--rup",
            "RUP Oude Dokken",
            "--lat",
            "51,05",
            "--lon",
            "3.72",
            "--tag",
            "metaal",
            "--tag",
            "lawaai, groei",
            "--notes",
            "Wil uitbreiden",
            "-f",
            "json",
        ).stdout
    )
    assert record["kind"] == "company-site"
    assert record["floor_area_m2"] == 1234.5
    assert (record["lat"], record["lon"]) == (51.05, 3.72)
    assert record["tags"] == ["metaal", "lawaai", "groei"]
    assert record["stage"] == "identified"
    assert record["region"] == "Gent"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lat", "91", "--lon", "3"], "lat: '91' is above 90"),
        (["--lat", "51"], "give both lat and lon"),
        (["--floor-area", "veel"], "floor_area_m2: not a number"),
        (["--floor-area", "-5"], "is below 0"),
        (["--kind", "kasteel"], "unknown site kind 'kasteel'"),
        (["--stage", "half"], "unknown site stage 'half'"),
        (["--region", "Brussel"], "no region named 'Brussel'"),
        (["--date", "32/01/2020"], "day 32 does not exist"),
    ],
)
@pytest.mark.usefixtures("gent")
def test_bad_values_change_nothing(cli: Run, db_file: Path, args: list[str], message: str) -> None:
    before = dump(db_file)
    full = ["site", "add", "Nieuwe site", *args]
    if "--region" not in args:
        full += ["--region", "Gent"]
    result = cli(*full)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert dump(db_file) == before


def test_same_name_in_another_municipality_is_ambiguous(gent: Run, cli: Run) -> None:
    gent("site", "add", "Brouwerij De Zwaan", "--region", "Gent", "-m", "Merelbeke")
    result = cli("site", "show", "brouwerij de zwaan")
    assert result.exit_code == 1
    assert "matches 2 sites" in result.stderr
    assert "(Gent)" in result.stderr and "(Merelbeke)" in result.stderr
    assert site(gent, "1")["municipality"] == "Gent"


@pytest.mark.usefixtures("gent")
def test_duplicate_in_same_municipality_is_refused(cli: Run) -> None:
    result = cli("site", "add", "BROUWERIJ de zwaan", "--region", "Gent", "-m", "gent")
    assert result.exit_code == 1
    assert "already exists (#1)" in result.stderr


def test_show_has_links_and_timeline_newest_first(gent: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--contact", "An Peeters")
    gent(
        "activity",
        "add",
        "--kind",
        "request",
        "--site",
        "Brouwerij De Zwaan",
        "--date",
        "2020-07-01",
        "--title",
        "Extra opslag",
    )
    record = site(gent, "Brouwerij De Zwaan")
    assert [a["kind"] for a in record["activities"]] == ["request", "visit"]
    assert record["contacts"] == [{"id": 1, "name": "An Peeters", "organisation": "Stad Gent", "role": "neighbour"}]
    assert record["stages"] == [
        {"stage": "identified", "since": "2020-06-02", "visit": None},
        {"stage": "visited", "since": "2020-06-10", "visit": 1},
    ]
    assert record["stage_changes"] == [{"stage": "identified", "since": "2020-06-02"}]
    table = gent("site", "show", "Brouwerij De Zwaan").stdout
    timeline = table[table.index("Activities (newest first)") :]
    assert timeline.index("Extra opslag") < timeline.index("2020-06-10")


def test_stage_change_is_dated(gent: Run) -> None:
    gent("site", "edit", "Oude Weverij", "--stage", "studied", "--date", "2020-08-01")
    record = site(gent, "Oude Weverij")
    assert record["stage"] == "studied"
    assert record["stages"][-1] == {"stage": "studied", "since": "2020-08-01", "visit": None}


def test_edit_fields_and_tags(gent: Run) -> None:
    record = json.loads(
        gent(
            "site",
            "edit",
            "1",
            "--name",
            "Brouwerij Zwaan",
            "--remove-tag",
            "GEUR",
            "--tag",
            "water",
            "--lat",
            "51",
            "--lon",
            "3.7",
            "-f",
            "json",
        ).stdout
    )
    assert record["name"] == "Brouwerij Zwaan"
    assert record["tags"] == ["verkeer", "water"]
    assert record["lat"] == 51.0


def test_list_filters(gent: Run) -> None:
    gent("region", "add", "Turnhout", "--appointed-on", "2020-06-01")
    gent("site", "add", "Kazerne", "--region", "Turnhout", "--kind", "brownfield", "--date", "2020-09-01")

    def names(*a: str) -> list[str]:
        return [s["name"] for s in json.loads(gent("site", "list", "-f", "json", *a).stdout)]

    assert names() == ["Brouwerij De Zwaan", "Kazerne", "Oude Weverij"]
    assert names("--region", "gent") == ["Brouwerij De Zwaan", "Oude Weverij"]
    assert names("--kind", "brownfield") == ["Kazerne"]
    assert names("--tag", "Geur") == ["Brouwerij De Zwaan"]
    assert names("--search", "weverij") == ["Oude Weverij"]
    assert names("--quarter", "2020Q3") == ["Kazerne"]
    assert names("--until", "2020-06-02") == ["Brouwerij De Zwaan"]
    assert names("--stage", "identified", "--limit", "1") == ["Brouwerij De Zwaan"]
    gent("visit", "add", "Kazerne", "--date", "2020-09-02")
    assert names("--stage", "visited") == ["Kazerne"]


def test_remove_says_what_goes(gent: Run, cli: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10")
    refused = cli("site", "remove", "Brouwerij De Zwaan", "--yes")  # a visit cannot lose its only site
    assert refused.exit_code == 1
    assert "the only site of 1 visit(s) (#1)" in refused.stderr
    gent("activity", "edit", "1", "--kind", "consultation")
    result = gent("site", "remove", "Brouwerij De Zwaan", "--yes")
    assert "1 activity no longer names this site" in result.stdout
    assert "1 contact link(s)" in result.stdout
    activities = json.loads(gent("activity", "list", "-f", "json").stdout)
    assert activities[0]["sites"] == []
    assert json.loads(gent("contact", "show", "An Peeters", "-f", "json").stdout)["sites"] == []


def test_lambert_72_positions_become_wgs84_and_wrong_ones_are_named(gent: Run, cli: Run) -> None:
    """Geopunt gives Gent's Charles de Kerchovelaan 191A as x 104751.84, y 192389.4 (see test_geo.py)."""
    site = json.loads(
        gent("site", "add", "Geo", "--region", "Gent", "--x", "104751.84", "--y", "192389.4", "-f", "json").stdout
    )
    assert (round(site["lat"], 4), round(site["lon"], 4)) == (51.0399, 3.7236)
    for args, message in (
        (["--x", "3.7", "--y", "51.05"], "look like WGS84 degrees"),
        (["--lat", "3.72", "--lon", "51.05"], "lat and lon are swapped"),
        (["--x", "103857"], "give both x and y"),
        (["--x", "103857", "--y", "192389", "--lat", "51", "--lon", "3.7"], "not both"),
    ):
        result = cli("site", "add", "Geo2", "--region", "Gent", *args)
        assert result.exit_code == 1 and message in result.output, result.output


def test_an_import_reads_lambert_72_columns(gent: Run, tmp_path: Path) -> None:
    source = tmp_path / "sites.csv"
    source.write_text("naam;regio;Lambert X;Lambert Y\nGeo;Gent;104.751,84;192.389,4\n", encoding="utf-8")
    gent("import", "sites", source)
    site = json.loads(gent("site", "show", "Geo", "-f", "json").stdout)
    assert (round(site["lat"], 4), round(site["lon"], 4)) == (51.0399, 3.7236)


def test_a_site_with_nuisance_cases_is_not_removed(gent: Run, cli: Run, db_file: Path) -> None:
    gent("nuisance", "add", "Oude Weverij", "--type", "noise", "--date", "2020-06-20")
    before = dump(db_file)
    result = cli("site", "remove", "Oude Weverij", "--yes")
    assert result.exit_code == 1 and "has 1 nuisance case(s) (#1)" in result.output
    assert "verweef nuisance edit CASE --site OTHER" in result.output
    assert dump(db_file) == before
