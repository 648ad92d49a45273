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
    conn.execute("INSERT INTO activity_site (activity_id, site_id, position) VALUES (1, 999, 1)")
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
    assert (
        "stage history: site #1 'Brouwerij De Zwaan': stored identified 2020-06-02, visited 2020-06-05 (stage woven)"
        in (result.stdout)
    )
    assert "contact link: activity #1 contact #1: date '1999-01-01', the activity's is '2020-06-05'" in result.stdout
    assert "--repair fixes derived facts" in result.stderr
    result = cli("db", "check", "--repair")
    assert result.exit_code == 0, result.output
    repaired = (
        "Repaired: 1 stored facts, 0 name keys, 1 stage histories, 0 activity regions, 0 tag indexes, "
        "0 search index rows, 0 request stages, 0 measure statuses."
    )
    assert repaired in result.stdout
    assert result.stdout.endswith("ok\n")
    assert cli("db", "check").exit_code == 0
