"""Companies, requests and nuisance cases at their edges: imports read twice, removals, history kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Run, dump


def as_json(run: Run, *args: str) -> Any:
    return json.loads(run(*args, "-f", "json").stdout)


def test_importing_a_belgian_file_twice_changes_nothing(gent: Run, db_file: Path, tmp_path: Path) -> None:
    gent("company", "add", "Brouwerij De Zwaan bv", "--site", "Brouwerij De Zwaan")
    requests, cases, measures = tmp_path / "r.csv", tmp_path / "n.csv", tmp_path / "m.csv"
    requests.write_text("bedrijf;type;ontvangen\nBrouwerij De Zwaan bv;uitbreiding ter plaatse;04/05/2020\n")
    cases.write_text("site;soort hinder;gemeld op;ernst\nBrouwerij De Zwaan;geur, geluid;10/05/2020;3\n")
    measures.write_text("hinderdossier;kind;notes\n1;technisch;Een nabrander\n")
    for path, noun in ((requests, "requests"), (cases, "nuisance"), (measures, "measures")):
        assert "1 inserted" in gent("import", noun, path).stdout
    before = dump(db_file)
    for path, noun in ((requests, "requests"), (cases, "nuisance"), (measures, "measures")):
        assert "1 skipped" in gent("import", noun, path).stdout, noun
    assert dump(db_file) == before
    case = as_json(gent, "nuisance", "show", "1")
    assert (case["types"], case["reported_on"], case["severity"]) == (["smell", "noise"], "2020-05-10", 3)


def test_create_missing_makes_no_company_from_a_name(gent: Run, cli: Run, tmp_path: Path) -> None:
    cases = tmp_path / "n.csv"
    cases.write_text("site;types;company\nBrouwerij De Zwaan;noise;Onbekend bv\n")
    result = cli("import", "nuisance", cases, "--create-missing")
    assert result.exit_code == 1 and "no company named 'Onbekend bv'" in result.output
    assert "--create-missing makes regions, sites, contacts" in result.output
    assert as_json(gent, "contact", "list") == as_json(gent, "contact", "list")  # nothing was made
    assert [c["name"] for c in as_json(gent, "contact", "list")] == ["An Peeters"]


def test_removing_a_companys_site_keeps_it_in_the_sites_region(gent: Run, cli: Run) -> None:
    gent("company", "add", "Weverij bv", "--site", "Oude Weverij")
    gent("site", "remove", "Oude Weverij", "--yes")
    company = as_json(gent, "company", "show", "Weverij bv")
    assert (company["site"], company["region"]) == (None, "Gent")
    assert as_json(gent, "company", "edit", "Weverij bv", "--staff", "4")["staff"] == 4
    result = cli("region", "remove", "Gent", "--yes")
    assert result.exit_code == 1 and "1 company(ies)" in " ".join(result.output.split())


def test_a_past_quarter_keeps_how_a_request_ended_then(gent: Run) -> None:
    gent("company", "add", "Zwaan bv", "--site", "Brouwerij De Zwaan")
    gent("request", "add", "Zwaan bv", "--type", "relocation", "--date", "2020-04-01")
    gent("request", "close", "1", "--outcome", "no-solution", "--date", "2020-06-01")
    gent("request", "move", "1", "analysis", "--back", "--date", "2020-08-01")  # taken up again later
    q2 = as_json(gent, "report", "quarterly", "-q", "2020Q2")["regions"][0]["requests"]
    assert q2["closed_by_outcome"]["no-solution"] == 1 and q2["listed"][0]["outcome"] == "no-solution"
    q3 = as_json(gent, "report", "quarterly", "-q", "2020Q3")["regions"][0]["requests"]
    assert (q3["open_by_stage"]["analysis"], q3["closed"]) == (1, 0)
    exported = gent("export", "requests").stdout
    assert "received 2020-04-01; closed 2020-06-01 no-solution; analysis 2020-08-01" in exported


def test_a_measure_moved_back_is_open_again_in_the_agenda(gent: Run) -> None:
    gent("nuisance", "add", "Oude Weverij", "--type", "noise", "--date", "2020-05-01")
    gent("measure", "add", "1", "--kind", "technical", "--date", "2020-05-02", "--due", "2020-06-01")
    gent("measure", "move", "1", "implemented", "--date", "2020-05-20")

    def group() -> str:
        items = as_json(gent, "agenda", "--all")
        return next(str(i["group"]) for i in items if i["type"] == "measure")

    assert group() == "done"
    gent("measure", "move", "1", "agreed", "--back", "--date", "2020-05-25")
    assert group() == "overdue"


def test_work_on_a_request_takes_its_region_and_a_company_its_number(gent: Run) -> None:
    gent("company", "add", "Zwaan bv", "--site", "Brouwerij De Zwaan", "--kbo", "0403.170.701")
    gent("request", "add", "BE 0403 170 701", "--type", "permit")  # the company by its enterprise number
    activity = as_json(gent, "activity", "add", "--kind", "request", "--title", "Bellen", "--request", "1")
    assert (activity["region"], activity["request"]) == ("Gent", 1)
    added = gent("activity", "add", "--kind", "request", "--title", "Mail", "--request", "1").stdout
    assert added.startswith("Added activity #2 (request) on ")
