"""Facts about a database as a whole, for ``db info``."""

from __future__ import annotations

from typing import Any

from verweefcli.migrations import LATEST, schema_version
from verweefcli.storage import Store

TABLES = ("region", "site", "contact", "activity")


def database_info(store: Store) -> dict[str, Any]:
    counts = {f"{t}s" if t != "activity" else "activities": store.value(f"SELECT count(*) FROM {t}") for t in TABLES}
    size = store.path.stat().st_size if store.exists and store.path is not None else 0
    return {
        "exists": store.exists,
        "schema_version": schema_version(store.conn) if store.exists else None,
        "schema_latest": LATEST,
        "size_bytes": size,
        "journal_mode": store.value("PRAGMA journal_mode") if store.exists else None,
        "counts": counts,
        "first_activity": store.value("SELECT min(date) FROM activity"),
        "last_activity": store.value("SELECT max(date) FROM activity"),
    }
