"""Bringing a database file to the schema this code expects.

The version check is the fast path of every command and needs no sqlite-utils;
the migrations themselves live in :mod:`verweefcli.schema`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from verweefcli.errors import DatabaseProblem

#: Number of migrations in :mod:`verweefcli.schema`; a test keeps them in step.
LATEST = 8
#: Upgrading a database older than this recomputes every derived fact (the rules changed).
RULES_CHANGED = 5


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did to an existing database, for the CLI to tell."""

    old: int
    new: int
    backup: Path | None


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def _foreign_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    return [r[0] for r in rows]


def upgrade(conn: sqlite3.Connection, path: Path | None, stop_before: str | None = None) -> Upgrade | None:
    """Apply pending migrations in one transaction, after a backup of the file.

    All pending migrations commit together or not at all, so a process killed
    half-way leaves the file exactly as it was.
    """
    version = schema_version(conn)
    if version == LATEST and stop_before is None:
        return None
    conn.execute("BEGIN")  # version and tables from one snapshot: another process may be migrating
    try:
        version = schema_version(conn)
        _refuse_unknown(conn, path, version)
    finally:
        conn.execute("COMMIT")
    backup = None
    if version > 0 and path is not None:
        backup = backup_before_upgrade(conn, path, version)
    done = None
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn)  # another process may have upgraded meanwhile
        _refuse_unknown(conn, path, version)
        if version < LATEST:
            import sqlite_utils

            from verweefcli.schema import MIGRATIONS

            db = sqlite_utils.Database(conn, execute_plugins=False)
            MIGRATIONS.apply(db, stop_before=stop_before)
            applied = len(MIGRATIONS.applied(db))
            conn.execute(f"PRAGMA user_version = {applied:d}")
            if 0 < version < RULES_CHANGED <= applied:
                _recompute_derived(conn, path)
            if version > 0:
                done = Upgrade(version, applied, backup)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if done is not None:  # new tables and indexes: let SQLite refresh its statistics (a sample)
        conn.execute("PRAGMA analysis_limit = 400")
        conn.execute("PRAGMA optimize")
    return done


def _recompute_derived(conn: sqlite3.Connection, path: Path | None) -> None:
    """Bring every derived fact in line with today's rules, inside the upgrade's transaction."""
    from verweefcli.domain.checks import repair
    from verweefcli.storage import Store

    repair(Store(conn, path))


def _refuse_unknown(conn: sqlite3.Connection, path: Path | None, version: int) -> None:
    where = str(path) if path else "the database"
    if version > LATEST:
        raise DatabaseProblem(
            f"{where} has schema version {version}, newer than this verweef knows "
            f"({LATEST}); upgrade verweef to use it (the file was not changed)"
        )
    if version == 0 and _foreign_tables(conn):
        raise DatabaseProblem(
            f"{where} is an SQLite database of another program, not a verweef database (the file was not changed)"
        )


def backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database next to itself before its schema changes."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.v{version}.{stamp}.bak")
    backup_to(conn, target, force=True)  # processes upgrading at once may each write it
    return target


def backup_to(conn: sqlite3.Connection, target: Path, *, force: bool = False) -> None:
    """Online backup (SQLite backup API) into a new file readable by its owner only.

    ``target`` follows the rules of :mod:`verweefcli.files` (``-`` is standard
    output, an existing file needs ``force``...). SQLite writes, by its name, the
    temporary file that module created; no journal file is made beside it.
    """
    from verweefcli.files import output_by_name

    with output_by_name(target, private=True, force=force) as temp:
        dest = sqlite3.connect(temp.path)
        try:
            temp.check()  # SQLite opened the file made for it, not something put in its place
            dest.execute("PRAGMA journal_mode = OFF")
            conn.backup(dest)
        finally:
            dest.close()
