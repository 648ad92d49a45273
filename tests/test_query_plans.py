"""Query plans that do not depend on size or luck (issue "Fast at every size").

1. Every statement the domain and the importer run per record (typing, showing, editing,
   removing, importing rows and matching them) finds its rows through an index: no SCAN of a
   table. The statements are caught as they run (SQLite's trace callback), then explained.
2. Every statement of the quarterly report has the same plan with and without SQLite's
   statistics (here: the statistics of the 1,000,000-activity benchmark database), and with
   and without follow-ups.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from verweefcli import storage
from verweefcli.report import queries

# ANALYZE of benchmarks/generate.py's database (1M activities, 50k sites, 20k contacts).
BIG_STATS = [
    ("activity", "activity_follow_up", "99695 38 8 1"),
    ("activity", "activity_region_date", "1000000 200000 79"),
    ("activity", "activity_region_follow_up", "99695 19939 8"),
    ("activity", "activity_report", "1000000 392 79 8 2 2"),
    ("activity", "sqlite_autoindex_activity_1", "1000000 1"),
    ("activity_contact", "activity_contact", "849730 2 1"),
    ("activity_contact", "activity_contact_met", "849730 43 1"),
    ("activity_site", "activity_site", "841676 2 1"),
    ("activity_site", "activity_site_site", "841676 17 1"),
    ("activity_site", "activity_site_visit", "207952 5 1"),
    ("contact", "contact_email", "20000 1"),
    ("contact", "contact_natural_key", "20000 1 1"),
    ("contact", "contact_recorded", "20000 8"),
    ("contact", "sqlite_autoindex_contact_1", "20000 1"),
    ("region", "sqlite_autoindex_region_1", "5 1"),
    ("region", "sqlite_autoindex_region_2", "5 1"),
    ("site", "site_natural_key", "50000 1 1"),
    ("site", "site_region_stage", "50000 10000 2000"),
    ("site", "sqlite_autoindex_site_1", "50000 1"),
    ("site_stage", "site_stage_since", "115935 46"),
    ("site_stage", "site_stage_site", "115935 3 2"),
    ("stage_change", "stage_change_site", "96139 2 1"),
    # companies, requests and nuisance cases as a programme might hold them after years
    ("contact", "contact_organisation", "20000 3"),
    ("activity", "activity_request", "60000 6"),
    ("company", "company_enterprise_number", "4000 1"),
    ("company", "company_name", "5000 1"),
    ("company", "company_site", "5000 2"),
    ("company", "company_region", "5000 1000"),
    ("company", "sqlite_autoindex_company_1", "5000 1"),
    ("company_contact", "company_contact", "8000 2 1"),
    ("company_contact", "company_contact_contact", "8000 1"),
    ("request", "request_company", "10000 2 1"),
    ("request", "request_received", "10000 5"),
    ("request", "request_site", "6000 2"),
    ("request", "sqlite_autoindex_request_1", "10000 1"),
    ("request_move", "request_move_request", "40000 4 2"),
    ("nuisance", "nuisance_site", "3000 2 1"),
    ("nuisance", "nuisance_company", "2000 2"),
    ("nuisance", "nuisance_reported", "3000 3"),
    ("nuisance", "sqlite_autoindex_nuisance_1", "3000 1"),
    ("measure", "measure_nuisance", "6000 2"),
    ("measure", "sqlite_autoindex_measure_1", "6000 1"),
    ("measure_move", "measure_move_measure", "15000 3 2"),
]
# FTS5 reads its own small configuration table whole: not a record table
_SCAN = re.compile(r"^SCAN (?!json_each|CONSTANT ROW|\()(?!.*VIRTUAL TABLE)(?!main\.\w+_fts_config$)(\S+)")
_NOT_A_QUERY = re.compile(
    r"^\s*(INSERT INTO \w+ \(|PRAGMA|BEGIN|COMMIT|SAVEPOINT|RELEASE|ROLLBACK|CREATE|DROP|ANALYZE|--)"
)


def plan(conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[str]:
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def with_big_stats(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1
    conn.execute("DELETE FROM sqlite_stat1")
    conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", BIG_STATS)
    conn.commit()
    conn.close()


@contextmanager
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement verweef's connections run, with its values in place."""
    seen: list[str] = []
    connect = storage._connect

    def tracing(target: str, *, uri: bool = False) -> sqlite3.Connection:
        conn = connect(target, uri=uri)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(storage, "_connect", tracing)
    yield seen


def _records(ok: Run) -> None:
    """A small database whose shapes are the big one's: a few regions, sites, contacts, activities."""
    for region in ("Gent", "Turnhout"):
        ok("region", "add", region, "--coach", "C", "--appointed-on", "2026-01-05")
    for number in range(8):
        ok("site", "add", f"Brouwerij Zwâan {number}", "--region", "Gent" if number % 2 else "Turnhout")
        ok("contact", "add", f"Persoon {number}", "--email", f"p{number}@example.be", "--region", "Gent")
    for number in range(20):
        site = f"Brouwerij Zwâan {number % 8}"
        ok("visit", "add", site, "--date", f"2026-02-{number + 1:02d}", "--contact", f"Persoon {number % 8}")


def _per_record_work(ok: Run, tmp_path: Path) -> None:
    """What a coach and a script do one record at a time, every kind of reference included."""
    uuid = ok("site", "show", "#3", "-f", "json").stdout.split('"uuid": "')[1].split('"')[0]
    ok("site", "show", uuid, "-f", "json")
    ok("site", "show", "brouwerij zwaan 1")  # a name without its accent
    ok("contact", "show", "persoon 2")
    ok("visit", "add", "Brouwerij Zwâan 2", "--date", "2026-03-01", "--contact", "Persoon 1", "--tag", "geur")
    ok("activity", "edit", "3", "--date", "2026-02-28", "--site", "Brouwerij Zwâan 4", "--tag", "lawaai")
    ok("activity", "list", "--tag", "geur", "--region", "Gent", "--limit", "5")
    ok("site", "edit", "Brouwerij Zwâan 5", "--stage", "studied", "--date", "2026-02-10")
    ok("activity", "remove", "7", "--yes")
    ok("contact", "edit", "Persoon 3", "--phone", "09 123 45 67")
    contacts = tmp_path / "c.csv"
    contacts.write_text("naam;e-mail;rol\nPersoon 4;P4@example.be;ondernemer\nNieuw;n@example.be;\n", encoding="utf-8")
    ok("import", "contacts", contacts, "--on-conflict", "update")
    sites = tmp_path / "s.csv"
    sites.write_text("naam;regio;fase\nBrouwerij Zwâan 6;Turnhout;candidate\nNieuwe site;Gent;\n", encoding="utf-8")
    ok("import", "sites", sites, "--on-conflict", "update")
    ok("import", "activities", tmp_path / "activities.csv")  # every row matched by its uuid (exported before)
    plain = tmp_path / "p.csv"
    plain.write_text(
        "datum;soort;sites;regio\n01/02/2026;visit;Brouwerij Zwâan 1;Gent\n02/02/2026;dossier;;Gent\n", encoding="utf-8"
    )
    ok("import", "activities", plain)
    ok("import", "activities", plain)  # the second time each row is matched on all its fields
    _cases_work(ok, tmp_path)


def _cases(ok: Run) -> None:
    """A company with a request, a nuisance case and a measure, typed."""
    ok("contact", "add", "Jo Smet", "--organisation", "Weverij Smet", "--region", "Gent")
    ok(
        "company",
        "add",
        "Weverij Smet",
        "--site",
        "Brouwerij Zwâan 1",
        "--kbo",
        "0403.170.701",
        "--contact",
        "Persoon 1",
    )
    ok("request", "add", "Weverij Smet", "--type", "expansion", "--date", "2026-02-01")
    ok("nuisance", "add", "Brouwerij Zwâan 1", "--type", "noise", "--company", "Weverij Smet", "--date", "2026-02-02")
    ok("measure", "add", "1", "--kind", "technical", "--date", "2026-02-03", "--due", "2026-04-01")


CASE_KINDS = ("companies", "requests", "nuisance", "measures")


def _cases_work(ok: Run, tmp_path: Path) -> None:
    """Companies, requests, nuisance cases and measures, shown, changed and imported one at a time."""
    ok("company", "show", "weverij smet")
    ok("company", "edit", "Weverij Smet", "--staff", "12", "--remove-contact", "Persoon 1")
    ok("request", "move", "1", "analysis", "--date", "2026-02-10")
    ok("request", "close", "1", "--outcome", "grew-on-site", "--date", "2026-02-20")
    ok("visit", "add", "Brouwerij Zwâan 1", "--date", "2026-02-11", "--request", "1")
    ok("request", "show", "1")
    ok("measure", "move", "1", "implemented", "--date", "2026-02-15")
    ok("nuisance", "close", "1", "--result", "solved", "--date", "2026-02-25")
    ok("nuisance", "show", "1")
    for noun in CASE_KINDS:  # each row matched again (exported before)
        ok("import", noun, tmp_path / f"{noun}.csv", "--on-conflict", "update")
    rows = tmp_path / "r.csv"
    rows.write_text("bedrijf;type;ontvangen\nWeverij Smet;relocation;01/03/2026\n", encoding="utf-8")
    ok("import", "requests", rows)


@pytest.mark.parametrize("stats", [False, True], ids=["no statistics", "big statistics"])
def test_no_statement_scans_a_table_for_one_record(
    ok: Run, tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch, stats: bool
) -> None:
    _records(ok)
    _cases(ok)
    for noun in ("activities", *CASE_KINDS):  # whole-table reads: before the tracing
        ok("export", noun, "-o", tmp_path / f"{noun}.csv")
    if stats:
        with_big_stats(db_file)
    with traced(monkeypatch) as seen:
        _per_record_work(ok, tmp_path)
    # explained as named: the imports' PRAGMA optimize measured the test's tables of a few rows meanwhile
    if stats:
        with_big_stats(db_file)
    else:
        with sqlite3.connect(db_file) as dropping:
            dropping.execute("DROP TABLE IF EXISTS sqlite_stat1")
    conn = sqlite3.connect(db_file)
    conn.create_function("verweef_fold", 1, storage._sql_fold, deterministic=True)
    scans = {}
    for sql in dict.fromkeys(seen):
        if _NOT_A_QUERY.match(sql) or "temp." in sql:
            continue
        try:
            steps = plan(conn, sql)
        except sqlite3.OperationalError as exc:
            raise AssertionError(f"{exc}: {sql!r}") from None
        for step in steps:
            if _SCAN.match(step):
                scans[sql] = step
    conn.close()
    assert scans == {}, "\n".join(f"{step}: {sql}" for sql, step in scans.items())


def _report_plans(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    import datetime as dt

    params = queries.parameters(
        [1, 2],
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        dt.date(2026, 3, 31),
    )
    plans = {f"programme {name}": plan(conn, sql, params) for name, sql in queries.PROGRAMME.items()}
    plans["contacts first met"] = plan(conn, queries.CONTACTS_FIRST_MET, params)
    plans.update({f"per region {n}": plan(conn, sql, {**params, "region": 1}) for n, sql in queries.PER_REGION.items()})
    conn.close()
    return plans


def test_report_plans_do_not_depend_on_statistics_or_follow_ups(ok: Run, db_file: Path) -> None:
    _records(ok)
    ok("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2026-02-03", "--follow-up", "2026-05-01")
    bare = _report_plans(db_file)
    with_big_stats(db_file)
    assert _report_plans(db_file) == bare
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE activity SET follow_up = NULL")
    conn.commit()
    conn.close()
    assert _report_plans(db_file) == bare
    for name, steps in bare.items():  # and none walks a whole table
        assert not [s for s in steps if _SCAN.match(s) and "site s" not in s], (name, steps)
