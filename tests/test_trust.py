"""Trust the record: the same facts, whatever path the data took (issue "Trust the record").

One test per way v0.1 went wrong, each the way a user meets it: typed, imported,
exported and imported again, checked by ``db check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Run


def show(run: Run, site: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(run("site", "show", site, "-f", "json").stdout)
    return shown


def history(run: Run, site: str) -> list[tuple[str, str]]:
    return [(s["stage"], s["since"]) for s in show(run, site)["stages"]]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_keeps_different_rows_of_the_same_day(ok: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    ok("site", "add", "S", "--region", "Gent", "--date", "01/01/2020")
    path = write(
        tmp_path / "dup.csv",
        "datum;soort;titel;site;minuten;opmerkingen;regio\n"
        "02/03/2020;dossier;;;60;Dossier A;Gent\n02/03/2020;dossier;;;30;Dossier B;Gent\n"
        "05/03/2020;visit;;S;60;ochtend;Gent\n05/03/2020;visit;;S;45;namiddag;Gent\n",
    )
    assert "4 inserted, 0 updated, 0 skipped" in ok("import", "activities", path).stdout
    notes = sorted(a["notes"] for a in json.loads(ok("activity", "list", "-f", "json").stdout))
    assert notes == ["Dossier A", "Dossier B", "namiddag", "ochtend"]
    assert "0 inserted, 0 updated, 4 skipped" in ok("import", "activities", path).stdout  # again: nothing new


def test_visits_typed_out_of_date_order(ok: Run) -> None:
    ok("region", "add", "Gent", "--coach", "C", "--appointed-on", "01/01/2026")
    ok("site", "add", "S", "--region", "Gent", "--date", "05/01/2026")
    ok("visit", "add", "S", "--date", "20/05/2026")
    ok("visit", "add", "S", "--date", "10/02/2026")  # back-filled
    assert history(ok, "S") == [("identified", "2026-01-05"), ("visited", "2026-02-10")]
    data = json.loads(ok("report", "quarterly", "-q", "2026Q1", "-f", "json", "--as-of", "2026-04-01").stdout)
    sites = data["regions"][0]["sites"]
    assert sites["visited"] == 1 and sites["funnel"]["visited"] == 1
    assert sites["never_visited"] == 0 and sites["never_visited_names"] == []


def test_removing_one_of_two_visits_keeps_the_site_visited(ok: Run) -> None:
    ok("region", "add", "Gent")
    ok("site", "add", "S", "--region", "Gent", "--date", "05/01/2026")
    ok("visit", "add", "S", "--date", "10/02/2026")
    ok("visit", "add", "S", "--date", "20/05/2026")
    result = ok("activity", "remove", "1", "--yes")
    assert "goes from" not in result.stdout  # the other visit keeps it visited
    assert history(ok, "S") == [("identified", "2026-01-05"), ("visited", "2026-05-20")]
    assert ok("db", "check").stdout == "ok\n"
    ok("activity", "remove", "2", "--yes")
    assert history(ok, "S") == [("identified", "2026-01-05")]


def test_a_back_dated_stage_change_is_not_undone_by_a_later_visit(ok: Run) -> None:
    ok("region", "add", "Gent")
    ok("site", "add", "S", "--region", "Gent", "--date", "05/01/2026")
    ok("visit", "add", "S", "--date", "20/05/2026")
    record = json.loads(ok("site", "edit", "S", "--stage", "studied", "--date", "01/02/2026", "-f", "json").stdout)
    assert record["stage"] == "studied"
    assert history(ok, "S") == [("identified", "2026-01-05"), ("studied", "2026-02-01")]


def test_importing_and_typing_give_the_same_history(ok: Run, tmp_path: Path) -> None:
    for db in ("typed.db", "imported.db"):
        ok("--db", tmp_path / db, "region", "add", "Gent")
        ok("--db", tmp_path / db, "site", "add", "S", "--region", "Gent", "--date", "01/01/2020")
    ok("--db", tmp_path / "typed.db", "visit", "add", "S", "--date", "2020-05-04")
    ok("--db", tmp_path / "typed.db", "visit", "add", "S", "--date", "2020-03-02")
    path = write(tmp_path / "v.csv", "date,kind,sites\n2020-05-04,visit,S\n2020-03-02,visit,S\n")
    ok("--db", tmp_path / "imported.db", "import", "activities", path)
    typed = history(lambda *a: ok("--db", tmp_path / "typed.db", *a), "S")
    assert typed == history(lambda *a: ok("--db", tmp_path / "imported.db", *a), "S")
    assert typed == [("identified", "2020-01-01"), ("visited", "2020-03-02")]


def test_export_then_import_keeps_each_site_history(ok: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    ok("site", "add", "S", "--region", "Gent", "--date", "01/01/2020")
    ok("activity", "add", "--kind", "mapping", "--site", "S", "--date", "2019-11-05")  # known before
    ok("visit", "add", "S", "--date", "2020-03-02")
    ok("site", "edit", "S", "--stage", "candidate", "--date", "2020-09-01")
    before = history(ok, "S")
    assert before == [("identified", "2019-11-05"), ("visited", "2020-03-02"), ("candidate", "2020-09-01")]
    out = tmp_path / "backup"
    out.mkdir()
    ok("export", "all", "-o", out)
    copy = tmp_path / "copy.db"
    for noun in ("regions", "sites", "contacts", "activities"):
        ok("--db", copy, "import", noun, out / f"{noun}.csv")
    assert history(lambda *a: ok("--db", copy, *a), "S") == before
    assert show(ok, "S")["stage_changes"] == show(lambda *a: ok("--db", copy, *a), "S")["stage_changes"]


def test_coach_status_has_one_answer(ok: Run) -> None:
    ok("region", "add", "Gent", "--coach", "J", "--appointed-on", "01/06/2020")  # term ended 2023-06-01
    ok("region", "add", "Turnhout", "--status", "selecting")
    listed = {r["name"]: r["coach_status"] for r in json.loads(ok("region", "list", "-f", "json").stdout)}
    assert listed == {"Gent": "ended", "Turnhout": "selecting"}
    assert "ended" in ok("region", "list", "-f", "csv").stdout.splitlines()[1]
    assert json.loads(ok("region", "show", "Gent", "-f", "json").stdout)["coach_status"] == "ended"
    assert [r["name"] for r in json.loads(ok("region", "list", "--status", "ended", "-f", "json").stdout)] == ["Gent"]
    report = json.loads(ok("report", "quarterly", "-q", "2026Q1", "-f", "json").stdout)
    assert {r["name"]: r["coach_status"] for r in report["regions"]} == listed
    assert report["totals"]["regions_term_ended"] == ["Gent"]
    assert report["totals"]["regions_not_appointed"] == ["Turnhout"]
    text = ok("report", "quarterly", "-q", "2026Q1", "-f", "markdown").stdout
    assert "Termijn van de coach afgelopen in: Gent." in text
    assert "Nog geen coach aan de slag in: Turnhout." in text
    # in the report of a quarter during the term, the coach was at work
    old = json.loads(ok("report", "quarterly", "-q", "2021Q1", "-f", "json").stdout)
    assert old["regions"][0]["coach_status"] == "appointed"


def test_status_ended_ends_the_term_today(ok: Run, cli: Run) -> None:
    ok("region", "add", "Gent", "--coach", "J", "--appointed-on", "01/06/2025")
    region = json.loads(ok("region", "edit", "Gent", "--status", "ended", "-f", "json").stdout)
    assert region["coach_status"] == "appointed"  # its last day is today
    assert region["ends_on"] is not None
    result = cli("region", "edit", "Gent", "--status", "selecting")
    assert result.exit_code == 1
    assert "--appointed-on none" in result.stderr


def test_an_activity_region_follows_its_sites(ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    ok("region", "add", "Turnhout")
    ok("site", "add", "S", "--region", "Gent")
    ok("site", "add", "T", "--region", "Turnhout")
    result = cli("activity", "add", "--kind", "dossier", "--site", "S", "--region", "Turnhout")
    assert result.exit_code == 1
    assert "region: Turnhout is not the region of its site ('S' in Gent)" in result.stderr
    result = cli("activity", "add", "--kind", "dossier", "--site", "S", "--site", "T")
    assert result.exit_code == 1
    assert "several regions" in result.stderr
    ok("activity", "add", "--kind", "dossier", "--site", "S", "--site", "T", "--region", "Turnhout")
    path = write(tmp_path / "a.csv", "date,kind,sites,region\n2026-03-01,dossier,S,Turnhout\n")
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert "a.csv:2: region: Turnhout is not the region of its site ('S' in Gent)" in result.stderr
    # a site that moves takes its activities along
    ok("activity", "add", "--kind", "dossier", "--site", "S")
    ok("site", "edit", "S", "--region", "Turnhout")
    assert {a["region"] for a in json.loads(ok("activity", "list", "-f", "json").stdout)} == {"Turnhout"}
    assert ok("db", "check").stdout == "ok\n"


def test_belgian_numbers_are_read_as_belgian_excel_writes_them(ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    path = write(tmp_path / "s.csv", "naam;regio;oppervlakte\nA;Gent;1.200\nB;Gent;850,5\n", "cp1252")
    ok("import", "sites", path)
    areas = {s["name"]: s["floor_area_m2"] for s in json.loads(ok("site", "list", "-f", "json").stdout)}
    assert areas == {"A": 1200.0, "B": 850.5}
    mixed = write(tmp_path / "m.csv", "naam;regio;oppervlakte\nC;Gent;1.234,5\nD;Gent;850.5\n")
    result = cli("import", "sites", mixed)
    assert result.exit_code == 1
    assert "m.csv:3: oppervlakte: '850.5' is written with a decimal '.', but this file uses a decimal ','" in (
        result.stderr
    )
    result = cli("site", "add", "E", "--region", "Gent", "--floor-area", "1.200")
    assert result.exit_code == 1
    assert "'1.200' is ambiguous: write 1200 or 1,2" in result.stderr


def test_damaged_text_does_not_overwrite_what_is_stored(ok: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    ok("contact", "add", "Ayşe Yılmaz-Łukasz", "--email", "ayse@example.be", "--region", "Gent")
    damaged = "Ayşe Yılmaz-Łukasz".encode("cp1252", errors="replace").decode("cp1252")
    assert damaged == "Ay?e Y?lmaz-?ukasz"
    path = write(tmp_path / "c.csv", f"naam;e-mail;telefoon\n{damaged};ayse@example.be;09 123 45 67\n", "cp1252")
    result = ok("import", "contacts", path, "--on-conflict", "update")
    assert "1 updated" in result.stdout
    assert "Warning: " in result.stderr and "c.csv:2: naam: kept 'Ayşe Yılmaz-Łukasz'" in result.stderr
    contact = json.loads(ok("contact", "show", "1", "-f", "json").stdout)
    assert contact["name"] == "Ayşe Yılmaz-Łukasz" and contact["phone"] == "09 123 45 67"


def test_a_past_report_is_the_same_after_export_and_import(ok: Run, tmp_path: Path) -> None:
    original = tmp_path / "original.db"
    ok("--db", original, "examples", "load")
    out = tmp_path / "backup"
    out.mkdir()
    ok("--db", original, "export", "all", "-o", out)
    copy = tmp_path / "copy.db"
    for noun in ("regions", "sites", "contacts", "companies", "requests", "activities", "nuisance", "measures"):
        ok("--db", copy, "import", noun, out / f"{noun}.csv")
    for fmt in ("markdown", "json"):
        args = ("report", "quarterly", "-q", "2020Q2", "-f", fmt, "--as-of", "2020-07-01")
        assert ok("--db", copy, *args).stdout == ok("--db", original, *args).stdout
    assert ok("--db", copy, "db", "check").stdout == "ok\n"
