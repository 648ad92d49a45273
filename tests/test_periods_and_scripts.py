"""Odd dates and periods, planned work, and imports driven by scripts (issue "Safe to run anywhere")."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run, dump


@pytest.mark.parametrize(
    "args",
    [
        ("report", "quarterly", "-q", "9999Q4"),
        ("report", "quarterly", "-q", "0001Q1"),
        ("report", "quarterly", "--from", "01/01/0001", "--to", "31/12/9999"),
        ("activity", "list", "--quarter", "9999Q4"),
        ("activity", "list", "--since", "01/01/0001"),
        ("visit", "add", "S", "--date", "01/01/0001"),
        ("visit", "add", "S", "--date", "31/12/9999"),
    ],
)
def test_dates_outside_1900_2100_are_one_clear_line(ok: Run, cli: Run, db_file: Path, args: tuple[str, ...]) -> None:
    ok("region", "add", "Gent")
    ok("site", "add", "S", "--region", "Gent")
    before = dump(db_file)
    result = cli(*args)
    assert result.exit_code == 1
    assert "outside 1900-2100" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(db_file) == before


def test_as_of_before_the_period_is_an_error(ok: Run, cli: Run) -> None:
    ok("region", "add", "Gent")
    result = cli("report", "quarterly", "-q", "2026Q3", "--as-of", "2026-05-01")
    assert result.exit_code == 1
    assert "--as-of 2026-05-01 is before the period starts (2026-07-01)" in result.stderr


def test_planned_activities_are_not_counted_as_work(ok: Run) -> None:
    ok("region", "add", "Gent", "--coach", "C", "--appointed-on", "01/01/2026")
    ok("site", "add", "S", "--region", "Gent", "--date", "01/01/2026")
    ok("visit", "add", "S", "--date", "2026-04-10")
    ok("visit", "add", "S", "--date", "2026-06-20")  # planned, seen from 1 May
    ok("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2026-06-21")
    data = json.loads(ok("report", "quarterly", "-q", "2026Q2", "--as-of", "2026-05-01", "-f", "json").stdout)
    gent = data["regions"][0]
    assert (gent["activities"], gent["planned"], data["totals"]["planned"]) == (1, 2, 2)
    assert gent["sites"]["visited"] == 1
    text = ok("report", "quarterly", "-q", "2026Q2", "--as-of", "2026-05-01", "--lang", "en", "-f", "markdown").stdout
    assert "2 activities dated after 1 May 2026 are planned and not counted." in text
    seen_later = json.loads(ok("report", "quarterly", "-q", "2026Q2", "--as-of", "2026-07-01", "-f", "json").stdout)
    assert (seen_later["regions"][0]["activities"], seen_later["regions"][0]["planned"]) == (3, 0)


def test_a_follow_up_before_its_activity_is_refused(ok: Run, cli: Run) -> None:
    ok("region", "add", "Gent")
    result = cli(
        "activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2026-03-05", "--follow-up", "2026-03-01"
    )
    assert result.exit_code == 1
    assert "follow_up: the follow-up (2026-03-01) is before the activity (2026-03-05)" in result.stderr


def test_contacts_recorded_after_midnight_in_belgium_count_in_the_local_day(tmp_path: Path) -> None:
    """An upgraded database turns the UTC time stamp into the local day (00:30 in Brussels is 22:30 UTC)."""
    from test_storage import OLD_DATA

    from verweefcli.schema import MIGRATIONS
    from verweefcli.storage import open_store

    target = tmp_path / "old.db"
    store = open_store(target, stop_before=[m.name for m in MIGRATIONS._migrations][3])
    with store.write():
        for statement in OLD_DATA[3].split(";"):
            store.execute(statement)
        store.execute("UPDATE contact SET created_at = '2026-03-31T22:30:00.000000Z'")
    store.close()
    env = {**os.environ, "TZ": "Europe/Brussels", "VERWEEF_HOME": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "verweefcli", "--db", str(target), "db", "info"],
        env=env,
        check=True,
        capture_output=True,
    )
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT recorded_on FROM contact").fetchone() == ("2026-04-01",)
    conn.close()


def test_new_contacts_are_dated_by_the_local_day(ok: Run) -> None:
    ok("region", "add", "Gent")
    contact = json.loads(ok("contact", "add", "An", "--region", "Gent", "-f", "json").stdout)
    assert contact["recorded_on"] == dt.date.today().isoformat()


def _bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "s.csv"
    path.write_text("naam;regio;oppervlakte\nA;Gent;12\nB;Gent;1,5\nC;Gent;x\n", encoding="utf-8")
    return path


def test_dry_run_exits_as_the_real_run_would(ok: Run, cli: Run, tmp_path: Path, db_file: Path) -> None:
    ok("region", "add", "Gent")
    path = _bad_file(tmp_path)
    before = dump(db_file)
    dry = cli("import", "sites", path, "--dry-run")
    real = cli("import", "sites", path)
    assert (dry.exit_code, real.exit_code) == (1, 1)
    assert "oppervlakte: not a number: 'x'" in dry.stdout
    assert "s.csv:4: oppervlakte: not a number: 'x'" in real.stderr
    assert dump(db_file) == before


def test_summary_json_for_scripts(ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    path = _bad_file(tmp_path)
    rejects = tmp_path / "rejects.csv"
    result = cli("import", "sites", path, "--skip-invalid", "--rejects", rejects, "--summary", "json")
    assert result.exit_code == 0  # the good rows are written; the bad ones are in the rejects file
    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["rejected"], summary["written"]) == (2, 1, True)
    assert summary["rejects_file"] == str(rejects)
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("C;Gent;x;")
    failed = cli("import", "sites", _bad_file(tmp_path), "--summary", "json")
    assert failed.exit_code == 1
    data = json.loads(failed.stdout)
    assert data["written"] is False and data["problem_count"] == 1
    assert data["problems"] == [f"{tmp_path / 's.csv'}:4: oppervlakte: not a number: 'x'"]


def test_messages_quote_the_cell_as_it_was_in_the_file(ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    path = tmp_path / "a.csv"
    path.write_text("datum;soort;minuten;regio\n01/03/2026;dossier;1,5;Gent\n", encoding="utf-8")
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert "a.csv:2: minuten: not a whole number: '1,5'" in result.stderr


def test_two_digit_years_name_the_way_out(ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("region", "add", "Gent")
    path = tmp_path / "a.csv"
    path.write_text("datum;soort;regio\n17/02/20;dossier;Gent\n", encoding="utf-8")
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert "has a two-digit year" in result.stderr and "--date-format %d/%m/%y" in result.stderr
    ok("import", "activities", path, "--date-format", "%d/%m/%y")
    assert json.loads(ok("activity", "list", "-f", "json").stdout)[0]["date"] == "2020-02-17"
