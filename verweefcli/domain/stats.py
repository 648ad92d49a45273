"""The database as a whole: what it holds (``db info``); whether it is sound is :mod:`checks`."""

from __future__ import annotations

from typing import Any

from verweefcli.migrations import LATEST, schema_version
from verweefcli.storage import Store

TABLES = {
    "regions": "region",
    "sites": "site",
    "contacts": "contact",
    "activities": "activity",
    "companies": "company",
    "requests": "request",
    "nuisance cases": "nuisance",
    "measures": "measure",
}


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
