"""``verweef export``: CSV that Excel and ``verweef import`` read back, JSON, GeoJSON."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest
from conftest import Run

from verweefcli.domain import activities, sites
from verweefcli.render.serialize import neutralise, restore


@pytest.fixture
def data(gent: Run) -> Run:
    gent(
        "site",
        "edit",
        "Brouwerij De Zwaan",
        "--lat",
        "51.0543",
        "--lon",
        "3.7174",
        "--floor-area",
        "1234,5",
        "--notes",
        '=HYPERLINK("x")',
    )
    gent("visit", "add", "Brouwerij De Zwaan", "--contact", "An Peeters", "--date", "2026-03-05", "--highlight")
    return gent


def test_csv_has_the_stable_header_and_reads_back(data: Run) -> None:
    text = data("export", "sites").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(sites.FIELDS)
    zwaan = next(r for r in rows if r["name"] == "Brouwerij De Zwaan")
    assert zwaan["floor_area_m2"] == "1234.5"
    assert zwaan["notes"] == '\'=HYPERLINK("x")'  # neutralised for spreadsheets
    activity = next(csv.DictReader(io.StringIO(data("export", "activities").stdout)))
    assert list(activity) == list(activities.FIELDS)
    assert activity["sites"] == "Brouwerij De Zwaan" and activity["highlight"] == "yes"
    contact = next(csv.DictReader(io.StringIO(data("export", "contacts").stdout)))
    assert contact["sites"] == "Brouwerij De Zwaan (neighbour)"
    assert next(csv.DictReader(io.StringIO(data("export", "regions").stdout)))["name"] == "Gent"


def test_excel_flavour(data: Run, tmp_path: Path) -> None:
    target = tmp_path / "sites.csv"
    data("export", "sites", "--excel", "-o", target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(sites.FIELDS)
    assert "1234,5" in text and "51,0543" in text and "\r\n" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_ambiguous_names_are_written_as_uuids(data: Run) -> None:
    data("site", "add", "Brouwerij De Zwaan", "--region", "Gent", "--municipality", "Merelbeke")
    data("activity", "add", "--kind", "request", "--site", "1", "--date", "2026-03-06")
    text = data("export", "activities").stdout
    uuid = json.loads(data("site", "show", "1", "-f", "json").stdout)["uuid"]
    assert uuid in text


def test_geojson(data: Run) -> None:
    collection = json.loads(data("export", "sites", "--format", "geojson").stdout)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 1  # only sites with coordinates
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.7174, 51.0543]}
    assert feature["properties"]["name"] == "Brouwerij De Zwaan"
    assert "lat" not in feature["properties"]


EVERY_KIND = ("regions", "sites", "contacts", "companies", "requests", "activities", "nuisance", "measures")


def test_json_and_all(data: Run, tmp_path: Path) -> None:
    assert [s["name"] for s in json.loads(data("export", "sites", "-f", "json").stdout)] == [
        "Brouwerij De Zwaan",
        "Oude Weverij",
    ]
    everything = json.loads(data("export", "all", "-f", "json").stdout)
    assert list(everything) == [
        "regions", "sites", "contacts", "companies", "requests", "activities", "nuisance", "measures",
    ]  # fmt: skip
    data("export", "all", "-o", tmp_path)
    for noun in everything:
        assert (tmp_path / f"{noun}.csv").exists()
    assert json.loads(data("export", "activities", "-f", "json").stdout)[0]["sites"] == ["Brouwerij De Zwaan"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("contacts", "-f", "geojson"), 2, "geojson is for sites only"),
        (("all",), 2, "give a folder with --output"),
        (("sites", "--excel", "-f", "json"), 2, "--excel is a kind of CSV"),
        (("sites", "-o", "/nonexistent/x.csv"), 1, "does not exist"),
    ],
)
def test_bad_export_options(cli: Run, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_neutralise_round_trip() -> None:
    for text in ("=1+1", "+32 2 123", "-5", "@x", "'=x", "''+y", "'plain", "plain", "\tx"):
        assert restore(neutralise(text)) == text
        assert not neutralise(text).lstrip("'").startswith(("=", "+", "-", "@")) or neutralise(text).startswith("'")


def test_round_trip_of_the_example_data(ok: Run, tmp_path: Path) -> None:
    original, copy, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "out"
    folder.mkdir()
    ok("--db", original, "examples", "load")
    ok("--db", original, "export", "all", "-o", folder)
    for noun in EVERY_KIND:  # in this order: what a row names comes before it
        ok("--db", copy, "import", noun, folder / f"{noun}.csv")
    for noun in EVERY_KIND:
        before = json.loads(ok("--db", original, "export", noun, "-f", "json").stdout)
        after = json.loads(ok("--db", copy, "export", noun, "-f", "json").stdout)
        assert after == before, noun


def test_one_coachs_export_reads_into_another_coachs_file(ok: Run, tmp_path: Path) -> None:
    """Ids are each file's own: another file's records, with their uuids, get ids of their own here."""
    mine, theirs, folder = tmp_path / "mine.db", tmp_path / "theirs.db", tmp_path / "out"
    folder.mkdir()
    ok("--db", theirs, "examples", "load")
    ok("--db", theirs, "export", "all", "-o", folder)
    ok("--db", mine, "region", "add", "Antwerpen")
    ok("--db", mine, "site", "add", "Eigen site", "--region", "Antwerpen")
    ok("--db", mine, "visit", "add", "Eigen site", "--date", "2020-05-05")
    for noun in EVERY_KIND:
        assert "rejected" in ok("--db", mine, "import", noun, folder / f"{noun}.csv", "--dry-run").stdout
        ok("--db", mine, "import", noun, folder / f"{noun}.csv")
    mine_sites = [s["name"] for s in json.loads(ok("--db", mine, "site", "list", "-f", "json").stdout)]
    assert "Eigen site" in mine_sites and len(mine_sites) == 27
    report = json.loads(ok("--db", mine, "report", "quarterly", "-q", "2020Q2", "-f", "json").stdout)
    assert report["totals"]["activities"] == 61  # the example's 60 and my own visit
    assert ok("--db", mine, "db", "check").stdout == "ok\n"
