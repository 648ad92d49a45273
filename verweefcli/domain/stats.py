"""The database as a whole: what it holds (``db info``) and whether it is sound (``db check``)."""

from __future__ import annotations

from typing import Any

from verweefcli.migrations import LATEST, schema_version
from verweefcli.storage import Store

TABLES = {"regions": "region", "sites": "site", "contacts": "contact", "activities": "activity"}


def database_info(store: Store) -> dict[str, Any]:
    size = store.path.stat().st_size if store.exists and store.path is not None else 0
    return {
        "exists": store.exists,
        "schema_version": schema_version(store.conn) if store.exists else None,
        "schema_latest": LATEST,
        "size_bytes": size,
        "journal_mode": store.value("PRAGMA journal_mode") if store.exists else None,
        "counts": {noun: store.db[table].count for noun, table in TABLES.items()},
        "first_activity": store.value("SELECT min(date) FROM activity"),
        "last_activity": store.value("SELECT max(date) FROM activity"),
    }


# Facts that follow from others; a difference means something wrote around verweef.
_DERIVED = {
    "sites whose stage is not the last one in their history": """
        SELECT count(*) FROM site s WHERE s.stage != coalesce(
            (SELECT stage FROM site_stage WHERE site_id = s.id ORDER BY since DESC, id DESC LIMIT 1), s.stage)
    """,
    "sites without a stage history": "SELECT count(*) FROM site s WHERE NOT EXISTS "
    "(SELECT 1 FROM site_stage WHERE site_id = s.id)",
    "contact links whose date is not their activity's": """
        SELECT count(*) FROM activity_contact x JOIN activity a ON a.id = x.activity_id
        WHERE x.date IS NOT a.date
    """,
}


def check_database(store: Store) -> list[str]:
    """Every problem found (empty when the database is sound)."""
    problems = [f"integrity: {row[0]}" for row in store.rows("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _ in store.rows("PRAGMA foreign_key_check"):
        problems.append(f"foreign key: {table} row {rowid} refers to a missing {parent}")
    if problems:  # the checks below assume the tables are readable
        return problems
    for what, sql in _DERIVED.items():
        count = store.value(sql)
        if count:
            problems.append(f"{count} {what}")
    version = schema_version(store.conn)
    if version != LATEST:
        problems.append(f"schema version {version}, expected {LATEST}")
    return problems
