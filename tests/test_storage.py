"""The database file: created private, upgraded safely, refused when foreign."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import Run, dump

from verweefcli import migrations
from verweefcli.errors import DatabaseProblem
from verweefcli.schema import MIGRATIONS
from verweefcli.storage import open_store


def test_latest_matches_the_migrations() -> None:
    assert len(MIGRATIONS._migrations) == migrations.LATEST
    names = [m.name for m in MIGRATIONS._migrations]
    assert names == sorted(names)
    assert [int(n.split("_")[0]) for n in names] == list(range(1, len(names) + 1))


def test_created_on_first_write_readable_by_owner_only(cli: Run, db_file: Path) -> None:
    assert cli("region", "list").exit_code == 0
    assert not db_file.exists()  # reading creates nothing
    assert cli("region", "add", "Gent").exit_code == 0
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    conn = sqlite3.connect(db_file)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST


def test_private_even_with_a_permissive_umask(cli: Run, db_file: Path) -> None:
    old = os.umask(0)
    try:
        assert cli("region", "add", "Gent").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600


def test_default_folder_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Run) -> None:
    monkeypatch.setenv("VERWEEF_HOME", str(tmp_path / "new" / "home"))
    assert cli("region", "add", "Gent").exit_code == 0
    folder = tmp_path / "new" / "home"
    assert (folder / "verweef.db").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_db_option_beats_env_beats_config(cli: Run, home: Path, tmp_path: Path) -> None:
    (home / "config.yaml").write_text("db: from-config.db\n", encoding="utf-8")
    assert cli("db", "path").stdout.strip() == str(home / "from-config.db")
    env = {"VERWEEF_DB": str(tmp_path / "env.db")}
    assert cli("db", "path", env=env).stdout.strip() == str(tmp_path / "env.db")
    assert cli("--db", tmp_path / "opt.db", "db", "path", env=env).stdout.strip() == str(tmp_path / "opt.db")


def test_missing_folder_in_db_option(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "x.db"
    result = cli("--db", target, "region", "add", "Gent")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not target.parent.exists()


def test_not_a_database(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "notes.db"
    target.write_bytes(b"These are my notes, not a database.\n" * 100)
    before = target.read_bytes()
    for args in (["region", "list"], ["region", "add", "Gent"]):
        result = cli("--db", target, *args)
        assert result.exit_code == 1
        assert "not a verweef database" in result.stderr
    assert target.read_bytes() == before


def test_database_of_another_program(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "other.db"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = dump(target)
    result = cli("--db", target, "region", "add", "Gent")
    assert result.exit_code == 1
    assert "another program" in result.stderr
    assert dump(target) == before


@pytest.mark.usefixtures("gent")
def test_newer_database_is_refused(cli: Run, db_file: Path) -> None:
    conn = sqlite3.connect(db_file)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.commit()
    conn.close()
    before = dump(db_file)
    result = cli("region", "list")
    assert result.exit_code == 1
    assert "newer than this verweef knows" in result.stderr
    assert dump(db_file) == before


@pytest.mark.usefixtures("gent")
def test_read_only_file(cli: Run, db_file: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    db_file.chmod(0o400)
    try:
        assert cli("region", "list").exit_code == 0
        result = cli("region", "add", "Turnhout")
        assert result.exit_code == 1
        assert "read-only" in result.stderr
    finally:
        db_file.chmod(0o600)


def test_folder_instead_of_file(cli: Run, tmp_path: Path) -> None:
    result = cli("--db", tmp_path, "region", "list")
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


def test_empty_old_database_is_migrated(tmp_path: Path) -> None:
    target = tmp_path / "empty.db"
    target.touch()
    store = open_store(target)
    assert migrations.schema_version(store.conn) == migrations.LATEST
    store.close()


def test_write_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    with pytest.raises(RuntimeError), store.write():
        store.execute(
            "INSERT INTO region (uuid, name, name_key, created_at, updated_at) VALUES ('u', 'X', 'x', '', '')"
        )
        raise RuntimeError("boom")
    assert store.value("SELECT count(*) FROM region") == 0
    store.close()


def test_refuses_before_touching(tmp_path: Path) -> None:
    target = tmp_path / "newer.db"
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseProblem, match="999"):
        open_store(target)


# Records as each old schema held them, written with that schema's own SQL
# (the domain code always writes the latest schema). Add one per new migration.
OLD_DATA = {
    1: """
    INSERT INTO region VALUES (1, '00000000-0000-4000-8000-000000000001', 'Gent', 'gent', '["Gent"]', 'Jonas',
        'appointed', '2020-06-01', '2023-06-01', NULL, 't', 't');
    INSERT INTO site (id, uuid, name, name_key, municipality, municipality_key, region_id, stage, tags,
        created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000002', 'Brouwerij', 'brouwerij', 'Gent', 'gent', 1,
        'visited', '["geur"]', 't', 't');
    INSERT INTO site_stage VALUES (1, 1, 'identified', '2020-06-02', NULL, 't');
    INSERT INTO contact (id, uuid, name, name_key, email, region_id, created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000003', 'An', 'an', 'an@gent.example', 1, 't', 't');
    INSERT INTO contact_site VALUES (1, 1, 'owner');
    INSERT INTO activity (id, uuid, date, kind, region_id, created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000004', '2020-06-03', 'visit', 1, 't', 't');
    INSERT INTO site_stage VALUES (2, 1, 'visited', '2020-06-03', 1, 't');
    INSERT INTO activity_site VALUES (1, 1, 0);
    INSERT INTO activity_contact VALUES (1, 1, 0);
    """,
}
# schema 2 added the activity's date to contact links
OLD_DATA[2] = OLD_DATA[1].replace(
    "INSERT INTO activity_contact VALUES (1, 1, 0);", "INSERT INTO activity_contact VALUES (1, 1, 0, '2020-06-03');"
)
# schema 3 added an index only
OLD_DATA[3] = OLD_DATA[2]
# schema 4: recorded stage changes apart from the derived history; links keep date and kind; tags indexed
OLD_DATA[4] = """
    INSERT INTO region VALUES (1, '00000000-0000-4000-8000-000000000001', 'Gent', 'gent', '["Gent"]', 'Jonas',
        'appointed', '2020-06-01', '2023-06-01', NULL, 't', 't');
    INSERT INTO site (id, uuid, name, name_key, municipality, municipality_key, region_id, stage, tags,
        created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000002', 'Brouwerij', 'brouwerij', 'Gent', 'gent', 1,
        'visited', '["geur"]', 't', 't');
    INSERT INTO stage_change VALUES (1, 1, 'identified', '2020-06-02', 't');
    INSERT INTO site_stage VALUES (1, 1, 'identified', '2020-06-02', NULL);
    INSERT INTO contact (id, uuid, name, name_key, email, region_id, created_at, updated_at, recorded_on)
        VALUES (1, '00000000-0000-4000-8000-000000000003', 'An', 'an', 'an@gent.example', 1, 't', 't', '2020-06-01');
    INSERT INTO contact_site VALUES (1, 1, 'owner');
    INSERT INTO activity (id, uuid, date, kind, region_id, follow_up, tags, created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000004', '2020-06-03', 'visit', 1, '2020-07-01', '["Geur"]',
        't', 't');
    INSERT INTO site_stage VALUES (2, 1, 'visited', '2020-06-03', 1);
    INSERT INTO activity_site VALUES (1, 1, 0, '2020-06-03', 'visit');
    INSERT INTO activity_contact VALUES (1, 1, 0, '2020-06-03');
    INSERT INTO activity_tag VALUES (1, 'geur');
    """
# schema 5: follow-ups can be done; the search index (its rows as the upgrade to 5 wrote them)
OLD_DATA[5] = (
    OLD_DATA[4]
    + """
    INSERT INTO site_fts (rowid, name, municipality, tags) VALUES (1, 'brouwerij', 'gent', 'geur');
    INSERT INTO contact_fts (rowid, name, email) VALUES (1, 'an', 'an@gent.example');
    INSERT INTO activity_fts (rowid, tags, sites, contacts) VALUES (1, 'Geur', 'brouwerij', 'an');
    """
)
# schema 6: companies, requests, nuisance cases (rows as typed)
OLD_DATA[6] = (
    OLD_DATA[5]
    + """
    INSERT INTO company (id, uuid, name, name_key, site_id, created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000005', 'Brouwerij bv', 'brouwerij bv', 1, 't', 't');
    INSERT INTO request (id, uuid, company_id, type, received_on, created_at, updated_at)
        VALUES (1, '00000000-0000-4000-8000-000000000006', 1, 'expansion', '2020-06-04', 't', 't');
    INSERT INTO request_move (request_id, stage, date, recorded_at) VALUES (1, 'received', '2020-06-04', 't');
    """
)
# schema 7: tombstones and merges (a record removed, as its remove path wrote it)
OLD_DATA[7] = (
    OLD_DATA[6]
    + """
    INSERT INTO tombstone (uuid, kind, removed_at) VALUES ('00000000-0000-4000-8000-000000000009', 'site', 't');
    """
)
TABLES = (
    "region",
    "site",
    "site_stage",
    "contact",
    "contact_site",
    "activity",
    "activity_site",
    "activity_contact",
)


def test_every_old_schema_has_test_data() -> None:
    assert set(OLD_DATA) == set(range(1, migrations.LATEST))


@pytest.mark.parametrize("old", range(1, migrations.LATEST))
def test_old_schema_upgrades_with_nothing_lost(tmp_path: Path, cli: Run, old: int) -> None:
    target = tmp_path / "old.db"
    names = [m.name for m in MIGRATIONS._migrations]
    store = open_store(target, stop_before=names[old])
    assert migrations.schema_version(store.conn) == old
    with store.write():
        for statement in OLD_DATA[old].split(";"):
            store.execute(statement)
    before = {table: [tuple(r) for r in store.rows(f"SELECT * FROM {table} ORDER BY 1, 2")] for table in TABLES}
    store.close()
    old_dump = dump(target)

    result = cli("--db", target, "site", "list", "--format", "json")
    assert result.exit_code == 0
    assert f"from schema {old} to {migrations.LATEST}" in result.stderr
    assert json.loads(result.stdout)[0]["name"] == "Brouwerij"
    backup = target.with_name(f"old.db.v{old}.bak")
    assert dump(backup) == old_dump
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    for table, rows in before.items():
        assert rows, table
        now = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        if table == "site_stage":  # 0004: derived from the recorded changes and the visits, as it was
            assert now == [r[:5] for r in rows]
            continue
        assert [r[: len(rows[0])] for r in now] == rows  # new columns come last
    # 0004: the change people recorded is kept as such; the visit's is derived again
    assert conn.execute("SELECT site_id, stage, since FROM stage_change").fetchall() == [
        (1, "identified", "2020-06-02")
    ]
    if old < 2:  # 0002 copies the activity's date into its contact links
        assert conn.execute("SELECT date FROM activity_contact").fetchall() == [("2020-06-03",)]
    # 0005: the search index is filled from the records, an activity's row with its site's and contact's names
    assert conn.execute("SELECT rowid, sites, contacts FROM activity_fts").fetchall() == [(1, "brouwerij", "an")]
    assert conn.execute("SELECT rowid FROM site_fts WHERE site_fts MATCH 'geur'").fetchall() == [(1,)]
    # 0006: companies, requests and nuisance cases (there from schema 6 on); an activity is work on no request
    assert conn.execute("SELECT count(*) FROM company").fetchone() == ((1,) if old >= 6 else (0,))
    assert conn.execute("SELECT request_id FROM activity").fetchall() == [(None,)]
    # 0007: nothing was removed before it; what was removed since is kept
    assert conn.execute("SELECT count(*) FROM tombstone").fetchone() == ((1,) if old >= 7 else (0,))
    # 0008: no search index rows wait for a search
    assert conn.execute("SELECT count(*) FROM search_backlog").fetchone() == (0,)
    conn.close()
