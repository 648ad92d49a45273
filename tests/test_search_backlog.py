"""A bulk import leaves its activities' search index rows for the first search, which writes them.

Writing the index of a big import costs as much as the rest of the import; so a
bulk import records which ids wait (``search_backlog``), and every search, list
``--search``, ``web`` and ``db check --repair`` writes them first, with the same
query as a one-by-one write: no search misses a record.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import Lock, Run, dump

from verweefcli.domain import activity_bulk
from verweefcli.domain.search import search
from verweefcli.domain.search_index import IncompleteIndex
from verweefcli.storage import _open_read_only

ROWS = 60


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports of 20 rows or more into a small table are bulk imports (as 50,000 are for real)."""
    monkeypatch.setattr(activity_bulk, "BULK_ROWS", 20)


def activities_csv(path: Path, rows: int = ROWS) -> Path:
    lines = ["date,kind,title,sites,contacts,notes"]
    for i in range(1, rows + 1):
        site = "Brouwerij De Zwaan" if i % 2 else "Oude Weverij"
        contact = "An Peeters" if i % 3 == 0 else ""
        lines.append(f"2020-07-{1 + i % 28:02d},dossier,Overleg {i},{site},{contact},Geluid en laden nummer{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def totals(run: Run, *words: str) -> dict[str, int]:
    return dict(json.loads(run("search", *words, "-f", "json").stdout)["totals"])


@pytest.mark.usefixtures("bulk")
def test_the_first_search_writes_what_a_bulk_import_left(gent: Run, db_file: Path, tmp_path: Path) -> None:
    summary = json.loads(gent("import", "activities", activities_csv(tmp_path / "a.csv"), "--summary", "json").stdout)
    assert summary["inserted"] == ROWS and summary["search_deferred"] == ROWS
    assert table(db_file, "SELECT tbl, first_id, last_id FROM search_backlog") == [("activity", 1, ROWS)]
    assert table(db_file, "SELECT count(*) FROM activity_fts") == [(0,)]
    check = gent("db", "check").stdout
    assert f"{ROWS} activity record(s) imported in bulk wait for the search index" in check
    assert check.splitlines()[-1] == "ok"

    assert totals(gent, "zwaan", "geluid")["activity"] == ROWS // 2  # the site's name and the notes
    assert totals(gent, "nummer7", "laden")["activity"] == 1
    assert table(db_file, "SELECT count(*) FROM search_backlog") == [(0,)]
    assert table(db_file, "SELECT count(*) FROM activity_fts") == [(ROWS,)]
    assert gent("db", "check").stdout == "ok\n"


def test_the_rows_written_later_are_those_written_at_once(
    gent: Run, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = activities_csv(tmp_path / "a.csv")
    at_once = tmp_path / "at-once.db"
    shutil.copyfile(db_file, at_once)
    gent("--db", at_once, "import", "activities", source)  # 60 rows: not a bulk import
    monkeypatch.setattr(activity_bulk, "BULK_ROWS", 20)
    assert "written by the first search" in gent("import", "activities", source).stdout
    gent("search", "geluid")
    rows = "SELECT rowid, * FROM activity_fts ORDER BY rowid"
    assert table(db_file, rows) == table(at_once, rows)
    assert len(table(db_file, rows)) == ROWS


@pytest.mark.usefixtures("bulk")
def test_a_list_search_and_db_check_repair_write_it_too(gent: Run, db_file: Path, tmp_path: Path) -> None:
    source = activities_csv(tmp_path / "a.csv")
    other = tmp_path / "other.db"
    shutil.copyfile(db_file, other)
    gent("import", "activities", source)
    listed = json.loads(gent("activity", "list", "--search", "weverij geluid", "-f", "json").stdout)
    assert len(listed) == ROWS // 2
    assert table(db_file, "SELECT count(*) FROM search_backlog") == [(0,)]

    gent("--db", other, "import", "activities", source)
    repaired = gent("--db", other, "db", "check", "--repair").stdout
    assert f"Indexed for search: {ROWS} activity record(s) imported in bulk." in repaired
    assert table(other, "SELECT count(*) FROM search_backlog") == [(0,)]
    assert table(other, "SELECT count(*) FROM activity_fts") == [(ROWS,)]


@pytest.mark.usefixtures("bulk")
def test_records_changed_or_removed_before_the_first_search_are_found_as_they_are(gent: Run, tmp_path: Path) -> None:
    gent("import", "activities", activities_csv(tmp_path / "a.csv"))
    gent("activity", "edit", "5", "--notes", "Kwakkel besproken")  # its own write indexes it
    gent("activity", "remove", "6", "--yes")
    assert gent("db", "check").stdout.splitlines()[-1] == "ok"
    assert totals(gent, "kwakkel")["activity"] == 1
    assert totals(gent, "nummer5", "geluid")["activity"] == 0
    assert totals(gent, "nummer6", "geluid")["activity"] == 0
    assert totals(gent, "geluid")["activity"] == ROWS - 2
    assert gent("db", "check").stdout == "ok\n"


@pytest.mark.usefixtures("bulk")
def test_a_dry_run_or_a_failed_bulk_import_leaves_nothing_waiting(
    gent: Run, cli: Run, db_file: Path, tmp_path: Path
) -> None:
    source = activities_csv(tmp_path / "a.csv")
    before = dump(db_file)
    gent("import", "activities", source, "--dry-run")
    with source.open("a", encoding="utf-8") as out:
        out.write("2020-08-01,dossier,Fout,Geen Site,,\n")
    assert cli("import", "activities", source).exit_code == 1
    assert dump(db_file) == before


@pytest.mark.usefixtures("bulk")
def test_a_read_only_file_is_searched_with_a_warning(
    gent: Run,
    cli: Run,
    db_file: Path,
    tmp_path: Path,
    lock: Lock,
) -> None:
    gent("import", "activities", activities_csv(tmp_path / "a.csv"))
    gent("site", "add", "Geluidsmuur", "--region", "Gent")  # typed: indexed at once
    before = dump(db_file)
    store = _open_read_only(db_file, None, None)
    try:
        with pytest.warns(IncompleteIndex, match=f"{ROWS} activity record"):
            found = search(store, "geluid")
    finally:
        store.close()
    assert found.totals["activity"] == 0 and found.totals["site"] == 1

    lock(db_file)
    result = cli("search", "geluid")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"Warning: {ROWS} activity record(s) imported in bulk are not in the search index")
    assert "Geluidsmuur" in result.stdout
    assert dump(db_file) == before


@pytest.mark.usefixtures("bulk")
def test_a_copy_to_publish_is_indexed(gent: Run, db_file: Path, tmp_path: Path) -> None:
    gent("import", "activities", activities_csv(tmp_path / "a.csv"))
    folder = tmp_path / "site"
    folder.mkdir()
    gent("web", "--publish", folder)
    copy = folder / "verweef.db"
    assert table(copy, "SELECT count(*) FROM activity_fts WHERE activity_fts MATCH 'geluid'") == [(ROWS,)]
    assert not table(copy, "SELECT name FROM sqlite_master WHERE name = 'search_backlog'")
    assert table(db_file, "SELECT count(*) FROM search_backlog") == [(1,)]  # the file itself was only read


@pytest.mark.usefixtures("bulk")
def test_a_search_says_what_it_writes_first_and_then_nothing(gent: Run, db_file: Path, tmp_path: Path) -> None:
    from verweefcli.domain.search_index import ready
    from verweefcli.storage import open_store

    gent("import", "activities", activities_csv(tmp_path / "a.csv"))
    told: list[dict[str, int]] = []
    store = open_store(db_file)
    try:
        ready(store, announce=told.append)
        ready(store, announce=told.append)
    finally:
        store.close()
    assert told == [{"activity": ROWS}]
