"""``verweef import``: Belgian Excel first, all or nothing, idempotent, clear about every bad row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import Run, Templates, dump

FIXTURES = Path(__file__).parent / "fixtures"
EXCEL_BE = Path(__file__).parents[1] / "examples" / "excel-be"
PROFILE = EXCEL_BE / "profile.yaml"


def add_regions(ok: Run) -> None:
    for name in ("Gent", "Sint-Truiden", "Zuid-West-Vlaanderen", "Turnhout", "Vilvoorde"):
        ok("region", "add", name)


@pytest.fixture
def regions(ok: Run, db_file: Path, templates: Templates) -> Run:
    """The five regions of the example data (``add_regions``)."""
    templates.copy("regions", add_regions, ok, db_file)
    return ok


def names(run: Run, noun: str) -> list[str]:
    return [r["name"] for r in json.loads(run(noun, "list", "-f", "json").stdout)]


@pytest.mark.parametrize("fixture", ["sites-excel-be.csv", "sites-utf8-bom.csv", "sites-tabs.csv"])
def test_dialects_are_detected(regions: Run, fixture: str) -> None:
    result = regions("import", "sites", FIXTURES / fixture)
    assert "3 row(s) were: 3 inserted" in result.stdout
    sites = {s["name"]: s for s in json.loads(regions("site", "list", "-f", "json").stdout)}
    assert set(sites) == {"Brouwerij De Zwaan", "Oude Weverij", "Café Één"}  # accents intact
    zwaan = sites["Brouwerij De Zwaan"]
    assert zwaan["floor_area_m2"] == 1234.5  # 1.234,5 in Belgian Excel
    assert (zwaan["lat"], zwaan["lon"]) == (51.05, 3.72)
    assert zwaan["kind"] == "company-site"  # the Dutch label 'bedrijfssite'
    assert zwaan["notes"] == 'Geurhinder; "vrachtverkeer"'
    assert sites["Café Één"]["notes"] == "Naïef plan – zie nota"


def test_quoted_newlines_and_day_first_dates(regions: Run) -> None:
    regions("import", "sites", FIXTURES / "sites-excel-be.csv")
    regions("contact", "add", "An Peeters", "--region", "Gent")
    result = regions("import", "activities", FIXTURES / "activities-quoted-newlines.csv", "--region", "Gent")
    assert "3 inserted" in result.stdout
    activities = json.loads(regions("activity", "list", "-f", "json").stdout)
    visit = next(a for a in activities if a["kind"] == "visit")
    assert visit["date"] == "2026-03-05"
    assert visit["notes"] == 'Regel één\nRegel twee; met "quotes"'
    assert visit["follow_up"] == "2026-04-01"
    assert visit["contacts"] == ["An Peeters"]
    assert visit["region"] == "Gent"  # from its site
    assert {a["kind"] for a in activities} == {"visit", "consultation", "dossier"}
    site = json.loads(regions("site", "show", "Brouwerij De Zwaan", "-f", "json").stdout)
    assert site["stage"] == "visited"  # an imported visit moves the site on too
    assert site["stages"][0]["since"] == "2026-03-05"


def test_the_shipped_excel_profile_imports_all_three_files(regions: Run, db_file: Path) -> None:
    for noun, rows in (("sites", 40), ("contacts", 60), ("activities", 250)):
        result = regions("import", noun, EXCEL_BE / f"{noun}.csv", "--mapping", PROFILE)
        assert f"{rows} row(s) were: {rows} inserted, 0 updated, 0 skipped, 0 rejected" in result.stdout
    before = dump(db_file)
    for noun, rows in (("sites", 40), ("contacts", 60), ("activities", 250)):
        result = regions("import", noun, EXCEL_BE / f"{noun}.csv", "--mapping", PROFILE)
        assert f"0 inserted, 0 updated, {rows} skipped" in result.stdout
    assert dump(db_file) == before  # the second time changes nothing
    sites = {s["name"]: s for s in json.loads(regions("site", "list", "-f", "json").stdout)}
    kortemark = sites["Project Hoge Akker Kortemark"]
    assert kortemark["stage"] == "woven" and kortemark["kind"] == "mixed-project"
    assert kortemark["floor_area_m2"] == 24372.7 and kortemark["lat"] == 50.881695
    assert kortemark["tags"] == ["klimaat", "ondernemerschap"]
    contacts = {c["name"]: c for c in json.loads(regions("contact", "list", "-f", "json").stdout)}
    assert contacts["Françoise Van Dyck"]["role"] == "lokaal-bestuur"
    activities = json.loads(regions("activity", "list", "-f", "json").stdout)
    assert {a["kind"] for a in activities} <= {
        "visit",
        "consultation",
        "communication",
        "dossier",
        "plan-review",
        "request",
        "network",
    }
    multiline = [a for a in activities if a["notes"] and "\n" in a["notes"]]
    assert any("Coördinatie met VLAIO" in a["notes"] for a in multiline)
    report = regions("report", "quarterly", "-q", "2025Q4", "-f", "json")
    assert json.loads(report.stdout)["totals"]["activities"] > 0


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("bad_line", [2, 4, 6])
@pytest.mark.usefixtures("regions")
def test_bad_rows_first_middle_last_change_nothing(cli: Run, db_file: Path, tmp_path: Path, bad_line: int) -> None:
    rows = [f"Site {i},Gent,Gent,business-zone,{i * 100}" for i in range(1, 6)]
    rows[bad_line - 2] = f"Site {bad_line - 1},Gent,Gent,kasteel,{bad_line}"
    path = _write(tmp_path / "sites.csv", "name,municipality,region,kind,floor_area_m2\n" + "\n".join(rows) + "\n")
    before = dump(db_file)
    result = cli("import", "sites", path)
    assert result.exit_code == 1
    assert f"{path}:{bad_line}: kind: unknown site kind 'kasteel'" in result.stderr
    assert "nothing imported: 1 bad row(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db_file) == before


@pytest.mark.usefixtures("regions")
def test_every_problem_is_reported_with_file_line_and_column(cli: Run, tmp_path: Path, db_file: Path) -> None:
    path = _write(
        tmp_path / "activities.csv",
        "datum;soort;site;duur;opvolging\n"
        "31/02/2026;dossier;;30;\n"
        "01/03/2026;lunch;;30;\n"
        "02/03/2026;visit;Nergens;30;\n"
        "03/03/2026;dossier;;veel;\n"
        "04/03/2026;dossier;;30;13/31/2026\n"
        "05/03/2026;dossier;;30;;extra\n",
    )
    before = dump(db_file)
    result = cli("import", "activities", path, "--region", "Gent")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert (
        lines[0] == f"{path}:2: datum: not a date: '31/02/2026': day 31 does not exist in 2026-02 (dates are day first)"
    )
    assert lines[1].startswith(f"{path}:3: soort: unknown activity kind 'lunch'")
    assert lines[2] == f"{path}:4: site: no site named 'Nergens' (--create-missing adds it)"
    assert lines[3] == f"{path}:5: duur: not a number: 'veel'"
    assert lines[4].startswith(f"{path}:6: opvolging: not a date: '13/31/2026'")
    assert lines[5] == f"{path}:7: the row has 6 cells but the header only 5 columns"
    assert dump(db_file) == before


def test_skip_invalid_writes_good_rows_and_rejects_the_bad(regions: Run, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "sites.csv",
        "naam;gemeente;regio;soort\nGoed;Gent;Gent;pand\nSlecht;Gent;Brussel;pand\nOok goed;Gent;Gent;\n",
        "cp1252",
    )
    rejects = tmp_path / "rejects.csv"
    result = regions("import", "sites", path, "--skip-invalid", "--rejects", rejects)
    assert "2 inserted, 0 updated, 0 skipped, 1 rejected" in result.stdout
    assert names(regions, "site") == ["Goed", "Ook goed"]
    assert rejects.stat().st_mode & 0o077 == 0
    rows = list(csv.reader(io.StringIO(rejects.read_text(encoding="cp1252")), delimiter=";"))
    assert rows[0] == ["naam", "gemeente", "regio", "soort", "error"]
    assert rows[1][:4] == ["Slecht", "Gent", "Brussel", "pand"]
    assert rows[1][4] == "regio: no region named 'Brussel' (--create-missing adds it)"


@pytest.mark.usefixtures("regions")
def test_skip_invalid_needs_rejects(cli: Run) -> None:
    result = cli("import", "sites", FIXTURES / "sites-tabs.csv", "--skip-invalid")
    assert result.exit_code == 2
    assert "--rejects" in result.stderr


def test_dry_run_writes_nothing_and_shows_the_first_rows(regions: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = regions("import", "sites", FIXTURES / "sites-excel-be.csv", "--dry-run")
    assert "Dry run: nothing was written." in result.stdout
    assert "3 row(s) would be: 3 inserted" in result.stdout
    assert "insert line 2: Brouwerij De Zwaan (Gent)" in result.stdout
    assert dump(db_file) == before
    regions("import", "sites", FIXTURES / "sites-excel-be.csv")
    result = regions("import", "sites", FIXTURES / "sites-utf8-bom.csv", "--dry-run", "--on-conflict", "update")
    assert "0 inserted, 0 updated, 3 skipped" in result.stdout  # same values: nothing to update


def test_duplicate_rows_in_one_file(regions: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "name,region\nA,Gent\nB,Gent\na,gent\n")
    assert "2 inserted, 0 updated, 1 skipped" in regions("import", "sites", path).stdout
    # two equal activities in one file are two activities (two dossiers read that day), and
    # importing the file again matches each to its own record: the k-th row to the k-th activity
    path = _write(tmp_path / "a.csv", "date,kind,title,region\n2026-03-01,dossier,X,Gent\n2026-03-01,dossier,X,Gent\n")
    assert "2 inserted, 0 updated, 0 skipped" in regions("import", "activities", path).stdout
    assert "0 inserted, 0 updated, 2 skipped" in regions("import", "activities", path).stdout
    three = _write(tmp_path / "b.csv", path.read_text() + "2026-03-01,dossier,X,Gent\n")
    assert "1 inserted, 0 updated, 2 skipped" in regions("import", "activities", three).stdout


def test_on_conflict_update_and_fail(regions: Run, cli: Run, tmp_path: Path, db_file: Path) -> None:
    regions("import", "sites", FIXTURES / "sites-excel-be.csv")
    changed = _write(tmp_path / "s.csv", "name;municipality;owner\nOude Weverij;Gent;Stad Gent\n")
    assert "0 inserted, 1 updated" in regions("import", "sites", changed, "--on-conflict", "update").stdout
    site = json.loads(regions("site", "show", "Oude Weverij", "-f", "json").stdout)
    assert site["owner"] == "Stad Gent"
    assert site["notes"] == "Eigenaar wil verkopen"  # empty cells never erase what is known
    before = dump(db_file)
    result = cli("import", "sites", changed, "--on-conflict", "fail")
    assert result.exit_code == 1
    assert "Oude Weverij (Gent) is already in the database (#2)" in result.stderr
    assert dump(db_file) == before


def test_create_missing(ok: Run, cli: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "date,kind,region,sites,contacts\n2026-03-01,visit,Gent,Kazerne,Jan Smet\n")
    result = cli("import", "activities", path)
    assert result.exit_code == 1 and "no region named 'Gent'" in result.stderr
    result = ok("import", "activities", path, "--create-missing")
    assert "Created missing: region 'Gent', site 'Kazerne', contact 'Jan Smet'." in result.stdout
    site = json.loads(ok("site", "show", "Kazerne", "-f", "json").stdout)
    assert site["region"] == "Gent" and site["stage"] == "visited"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV file"),
        (b"name,colour\nA,red\n", "unknown column 'colour' for sites"),
        (b"municipality,region\nGent,Gent\n", "missing column 'name' for sites"),
        (b"name,naam\nA,B\n", "columns 'name' and 'naam' are both 'name'"),
        (b'name,region\n"A,Gent\n', "not valid CSV"),
        (b"name,region\nCaf\xe9,Gent\n\xff\xfe\xfa,Gent\n" + b"x" * 10, None),
    ],
)
@pytest.mark.usefixtures("regions")
def test_files_that_are_not_what_they_should_be(
    cli: Run, tmp_path: Path, db_file: Path, content: bytes, message: str | None
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = dump(db_file)
    result = cli("import", "sites", path)
    if message is None:
        assert result.exit_code in (0, 1)
    else:
        assert result.exit_code == 1, result.output
        assert message in result.stderr
        assert dump(db_file) == before
    assert len(result.stderr.strip().splitlines()) <= 3


def test_header_only_imports_nothing(regions: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "naam;gemeente;regio\r\n")
    assert "0 row(s) were: 0 inserted" in regions("import", "sites", path).stdout


def test_from_standard_input(regions: Run) -> None:
    data = (FIXTURES / "sites-excel-be.csv").read_bytes()
    result = regions("import", "sites", "-", input=data)  # cp1252 and ';' detected on the stream
    assert "3 inserted" in result.stdout
    assert "Café Één" in names(regions, "site")


@pytest.mark.usefixtures("regions")
def test_missing_file_and_bad_options(cli: Run, tmp_path: Path) -> None:
    result = cli("import", "sites", tmp_path / "nope.csv")
    assert result.exit_code == 1 and "no such file" in result.stderr
    result = cli("import", "sites", FIXTURES / "sites-tabs.csv", "--encoding", "klingon")
    assert result.exit_code == 2 and "unknown encoding" in result.stderr
    result = cli("import", "sites", FIXTURES / "sites-tabs.csv", "--delimiter", "ab")
    assert result.exit_code == 2 and "one character" in result.stderr
    result = cli("import", "sites", FIXTURES / "sites-tabs.csv", "--date-format", "dd/mm/yyyy")
    assert result.exit_code == 1 and "not a date format" in result.stderr
    result = cli("import", "things", FIXTURES / "sites-tabs.csv")
    assert result.exit_code == 2


def test_forced_dialect(regions: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "s.txt", "name|region|floor_area_m2\nA|Gent|1,5\n", "cp1252")
    regions("import", "sites", path, "--delimiter", "|", "--decimal", "comma", "--encoding", "cp1252")
    assert json.loads(regions("site", "show", "A", "-f", "json").stdout)["floor_area_m2"] == 1.5


@pytest.mark.usefixtures("regions")
def test_mapping_profile_errors_name_file_and_line(cli: Run, tmp_path: Path) -> None:
    profile = _write(tmp_path / "p.yaml", "sites:\n  columns:\n    kleur: colour\n")
    result = cli("import", "sites", FIXTURES / "sites-tabs.csv", "--mapping", profile)
    assert result.exit_code == 1
    assert f"{profile}:3: sites.columns: 'kleur' maps to unknown field 'colour'" in result.stderr
    profile = _write(tmp_path / "p.yaml", "sitez: {}\n")
    assert (
        f"{profile}:1: unknown key 'sitez'"
        in cli("import", "sites", FIXTURES / "sites-tabs.csv", "--mapping", profile).stderr
    )


def test_profile_constants_values_and_ignore(ok: Run, tmp_path: Path) -> None:
    ok("region", "add", "Turnhout")
    profile = _write(
        tmp_path / "p.yaml",
        "sites:\n  columns: {Fase: stage}\n  values:\n    stage: {Bezig: studied}\n"
        "  constants: {region: Turnhout, kind: brownfield}\n  ignore: [Kleur]\n",
    )
    path = _write(tmp_path / "s.csv", "Naam,Fase,Kleur\nKazerne,bezig,rood\n")
    ok("import", "sites", path, "--mapping", profile)
    site = json.loads(ok("site", "show", "Kazerne", "-f", "json").stdout)
    assert (site["region"], site["stage"], site["kind"]) == ("Turnhout", "studied", "brownfield")


def test_formula_cells_come_back_as_they_were(regions: Run, tmp_path: Path) -> None:
    regions("site", "add", "Hal", "--region", "Gent", "--notes", "=1+2 en -3")
    out = tmp_path / "sites.csv"
    regions("export", "sites", "-o", out)
    assert "'=1+2 en -3" in out.read_text(encoding="utf-8")
    regions("site", "remove", "Hal", "--yes")
    regions("import", "sites", out)
    assert json.loads(regions("site", "show", "Hal", "-f", "json").stdout)["notes"] == "=1+2 en -3"


@pytest.mark.usefixtures("gent")
def test_cells_with_spaces_around_them_read_as_the_same_value(cli: Run, tmp_path: Path) -> None:
    """Each distinct cell is checked once and remembered as it is in the file: the same name with
    spaces around it is the same site, and a bad cell is reported on every line it is on."""
    path = tmp_path / "a.csv"
    path.write_text(
        "date,kind,sites,contacts\n"
        "2020-07-01,visit,Oude Weverij,An Peeters\n"
        "2020-07-02, visit ,  Oude Weverij ,An Peeters \n"
        "2020-07-03,dossier,Geen Site,\n"
        "2020-07-04,dossier, Geen Site ,\n",
        encoding="utf-8",
    )
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert f"{path}:4: sites: no site named 'Geen Site'" in result.stderr
    assert f"{path}:5: sites: no site named 'Geen Site'" in result.stderr
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert cli("import", "activities", path).exit_code == 0
    listed = json.loads(cli("activity", "list", "-f", "json").stdout)
    assert sorted((a["date"], a["kind"], a["sites"]) for a in listed) == [
        ("2020-07-01", "visit", ["Oude Weverij"]),
        ("2020-07-02", "visit", ["Oude Weverij"]),
    ]
