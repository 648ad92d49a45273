"""Tombstones: the uuids of removed records, so that what was removed stays removed.

Every removal writes one per record it removes (:func:`bury`), in the same
transaction: a record removed here and still present in another coach's file
is not brought back by a merge, and a person forgotten (``contact forget``)
does not come back either. A tombstone holds no more than the uuid, the kind
of record and when.
"""

from __future__ import annotations

from collections.abc import Iterable

from verweefcli.storage import Store, now_stamp

KINDS = ("region", "site", "contact", "activity", "company", "request", "nuisance", "measure")


def bury(store: Store, kind: str, uuids: Iterable[str]) -> None:
    """Record the removal of these records (their uuids), now; a uuid buried twice keeps its first day."""
    assert kind in KINDS, kind
    stamp = now_stamp()
    store.executemany(
        "INSERT OR IGNORE INTO tombstone (uuid, kind, removed_at) VALUES (?, ?, ?)",
        [(uuid, kind, stamp) for uuid in uuids],
    )


def bury_rows(store: Store, table: str, where: str, params: tuple[object, ...]) -> None:
    """Bury the records of ``table`` that ``where`` selects (before they are deleted)."""
    uuids = [r[0] for r in store.tuples(f"SELECT uuid FROM {table} WHERE {where}", params)]
    bury(store, table, uuids)


def buried(store: Store, uuid: str) -> bool:
    return store.value("SELECT 1 FROM tombstone WHERE uuid = ?", (uuid,)) is not None
