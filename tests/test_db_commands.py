"""``verweef db backup`` and ``verweef db check``."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from conftest import Run, dump


def test_backup_is_a_consistent_private_copy(gent: Run, db_file: Path, tmp_path: Path, cli: Run) -> None:
    target = tmp_path / "copy.db"
    assert "Backed up to" in gent("db", "backup", target).stdout
    assert dump(target) == dump(db_file)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    result = cli("db", "backup", target)
    assert result.exit_code == 1 and "already exists" in result.stderr
    gent("region", "add", "Turnhout")
    gent("db", "backup", target, "--force")
    assert "Turnhout" in dump(target)
    result = cli("db", "backup", db_file, "--force")
    assert result.exit_code == 1 and "cannot replace the database itself" in result.stderr
    result = cli("db", "backup", tmp_path / "no" / "x.db")
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_backup_without_a_database(cli: Run, tmp_path: Path) -> None:
    result = cli("db", "backup", tmp_path / "x.db")
    assert result.exit_code == 1 and "no database yet" in result.stderr


def test_check_a_sound_database(gent: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--contact", "An Peeters")
    assert gent("db", "check").stdout.strip() == "ok"


def test_check_finds_what_was_written_around_verweef(gent: Run, cli: Run, db_file: Path) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--contact", "An Peeters", "--date", "2020-06-05")
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE site SET stage = 'woven' WHERE id = 1")
    conn.execute("UPDATE activity_contact SET date = '1999-01-01'")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO activity_site VALUES (1, 999, 1)")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "foreign key: activity_site row" in result.stdout
    assert "1 problem(s) found" in result.stderr
    conn = sqlite3.connect(db_file)
    conn.execute("DELETE FROM activity_site WHERE site_id = 999")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "1 sites whose stage is not the last one in their history" in result.stdout
    assert "1 contact links whose date is not their activity's" in result.stdout
