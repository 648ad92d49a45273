"""Is the database sound? (``db check``) And putting derived facts right (``db check --repair``).

Every derived fact is recomputed by the function that owns it and compared
with what is stored: a site's stage history and stage
(:mod:`verweefcli.domain.stages`), an activity's region
(:func:`verweefcli.domain.activities.misplaced`), the date a contact was met
(the activity's date on its contact link), and the stored coach status
(:func:`verweefcli.domain.regions.settle_coach`: nothing the dates contradict),
the tag index (an activity's folded tags) and the search index
(:mod:`verweefcli.domain.search_index`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from verweefcli.domain import search_index, stages
from verweefcli.domain.activities import follow_sites, misplaced
from verweefcli.domain.common import tag_keys
from verweefcli.migrations import LATEST, schema_version
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold


@dataclass(frozen=True)
class Finding:
    """One problem: what kind, which record, what is wrong."""

    kind: str
    record: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.record}: {self.detail}"


def _history(entries: list[stages.Entry]) -> str:
    return ", ".join(f"{stage} {since}" for stage, since, _ in entries) or "none"


def _names(store: Store, table: str, ids: list[int]) -> dict[int, str]:
    import json

    return {
        r[0]: f"{table} #{r[0]} {r[1]!r}"
        for r in store.rows(
            f"SELECT id, name FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        )
    }


def _stage_findings(store: Store) -> list[Finding]:
    found = stages.differences(store)
    names = _names(store, "site", [d.site_id for d in found])
    return [
        Finding(
            "stage history",
            names[d.site_id],
            f"stored {_history(d.stored)} (stage {d.stored_stage}); from its events {_history(d.expected)}",
        )
        for d in found
    ]


def _region_findings(store: Store) -> list[Finding]:
    regions = {r[0]: r[1] for r in store.rows("SELECT id, name FROM region")}
    return [
        Finding(
            "activity region",
            f"activity #{activity_id}",
            f"region {regions.get(stored)!r} is none of its sites' regions (its first site is in "
            f"{regions.get(expected)!r})",
        )
        for activity_id, stored, expected in misplaced(store)
    ]


_LINK_DATES = """
    SELECT x.activity_id, x.contact_id, x.date, a.date FROM activity_contact x
    JOIN activity a ON a.id = x.activity_id WHERE x.date IS NOT a.date
"""
_SITE_LINKS = """
    SELECT x.activity_id, x.site_id, x.date, x.kind, a.date, a.kind FROM activity_site x
    JOIN activity a ON a.id = x.activity_id WHERE x.date IS NOT a.date OR x.kind IS NOT a.kind
"""
_COACH = """
    SELECT id, name, coach_status, appointed_on FROM region
    WHERE (appointed_on IS NOT NULL AND coach_status != 'appointed')
       OR (appointed_on IS NULL AND coach_status NOT IN ('planned', 'selecting'))
"""
_UNIDENTIFIED = "SELECT id, name FROM site WHERE id NOT IN (SELECT site_id FROM stage_change)"
_UNRECORDED = "SELECT id, name FROM contact WHERE recorded_on IS NULL"
_SITELESS_VISITS = (
    "SELECT id FROM activity WHERE kind = 'visit' AND NOT EXISTS (SELECT 1 FROM activity_site WHERE activity_id = id)"
)


def _plain_findings(store: Store) -> list[Finding]:
    found = [
        Finding("contact link", f"activity #{a} contact #{c}", f"date {d!r}, the activity's is {ad!r}")
        for a, c, d, ad in store.rows(_LINK_DATES)
    ]
    found += [
        Finding("site link", f"activity #{a} site #{s}", f"date and kind {d!r} {k!r}, the activity's {ad!r} {ak!r}")
        for a, s, d, k, ad, ak in store.rows(_SITE_LINKS)
    ]
    found += [
        Finding("coach status", f"region #{i} {n!r}", f"stored {s!r} with date of appointment {d!r}")
        for i, n, s, d in store.rows(_COACH)
    ]
    found += [
        Finding("stage history", f"site #{i} {n!r}", "no recorded identification") for i, n in store.rows(_UNIDENTIFIED)
    ]
    found += [Finding("contact", f"contact #{i} {n!r}", "no day it was recorded") for i, n in store.rows(_UNRECORDED)]
    found += [
        Finding("activity", f"activity #{i}", "a visit without a site: link it to its site, or remove it")
        for (i,) in store.rows(_SITELESS_VISITS)
    ]
    return found


def _tag_differences(store: Store) -> dict[int, list[str]]:
    """Activities whose tag index is not their folded tags: id -> the tags it should hold."""
    expected = {i: tag_keys(tags) for i, tags in store.tuples("SELECT id, tags FROM activity WHERE tags != '[]'")}
    stored: dict[int, set[str]] = {}
    for activity_id, tag in store.tuples("SELECT activity_id, tag FROM activity_tag"):
        stored.setdefault(activity_id, set()).add(tag)
    return {
        i: expected.get(i, [])
        for i in sorted(expected.keys() | stored.keys())
        if set(expected.get(i, [])) != stored.get(i, set())
    }


def _tag_findings(store: Store) -> list[Finding]:
    return [
        Finding("tag index", f"activity #{i}", f"should hold {tags!r}") for i, tags in _tag_differences(store).items()
    ]


def _repair_tags(store: Store) -> int:
    wrong = _tag_differences(store)
    store.executemany("DELETE FROM activity_tag WHERE activity_id = ?", [(i,) for i in wrong])
    store.executemany(
        "INSERT INTO activity_tag (activity_id, tag) VALUES (?, ?)", [(i, t) for i, tags in wrong.items() for t in tags]
    )
    return len(wrong)


#: (table, column, its key): a key is the column folded (:func:`verweefcli.textnorm.fold`)
_KEYED = (
    ("region", "name", "name_key"),
    ("site", "name", "name_key"),
    ("site", "municipality", "municipality_key"),
    ("contact", "name", "name_key"),
    ("contact", "organisation", "organisation_key"),
)


def _key_differences(store: Store) -> list[tuple[str, int, str, str, str, str]]:
    """(table, id, name, key column, stored key, expected key) of every key that is not its column folded."""
    return [
        (table, record_id, value or "", key, stored, fold(value or ""))
        for table, column, key in _KEYED
        for record_id, value, stored in store.tuples(f"SELECT id, {column}, {key} FROM {table} ORDER BY id")
        if stored != fold(value or "")
    ]


def _key_findings(store: Store) -> list[Finding]:
    found = []
    for table, record_id, name, key, stored, expected in _key_differences(store):
        holder = store.value(f"SELECT id FROM {table} WHERE {key} = ? AND id != ? LIMIT 1", (expected, record_id))
        clash = f" ({table} #{holder} has it: rename one of them)" if holder is not None else ""
        found.append(
            Finding(
                "name key",
                f"{table} #{record_id} {name!r}",
                f"{key} is {stored!r}, its folded name {expected!r}{clash}",
            )
        )
    return found


def _repair_keys(store: Store) -> int:
    """Fold every key again (the folding learnt letters such as ``ø`` and ``ł``); a key that another
    record already holds stays as it is, and ``db check`` names both."""
    fixed = 0
    for table, record_id, _, key, _, expected in _key_differences(store):
        try:
            with store.write():  # a savepoint: a clash undoes this key only
                store.execute(f"UPDATE {table} SET {key} = ? WHERE id = ?", (expected, record_id))
            fixed += 1
        except sqlite3.IntegrityError:
            continue
    return fixed


def _search_findings(store: Store) -> list[Finding]:
    return [
        Finding("search index", f"{table} #{record_id}", "its searchable text is not the record's")
        for table in search_index.TABLES
        for record_id in search_index.differences(store, table)
    ]


def _pipeline_findings(store: Store) -> list[Finding]:
    """Requests whose stage or closing day, and measures whose status or effect, are not what their moves give."""
    found = [
        Finding("request stage", f"request #{record_id}", "its stage or closing day is not what its moves give")
        for record_id in _requests().differences(store)
    ]
    found += [
        Finding("measure status", f"measure #{record_id}", "its status or effect is not what its moves give")
        for record_id in _measures().differences(store)
    ]
    return found


def findings(store: Store) -> list[Finding]:
    """Every problem found (empty when the database is sound)."""
    found = [Finding("integrity", "database", row[0]) for row in store.rows("PRAGMA integrity_check") if row[0] != "ok"]
    for table, rowid, parent, _ in store.rows("PRAGMA foreign_key_check"):
        found.append(Finding("foreign key", f"{table} row {rowid}", f"refers to a missing {parent}"))
    if found:  # the checks below assume the tables are readable
        return found
    version = schema_version(store.conn)
    if version != LATEST:
        found.append(Finding("schema", "database", f"version {version}, expected {LATEST}"))
    checks = (
        _plain_findings, _key_findings, _stage_findings, _region_findings, _tag_findings, _search_findings,
        _pipeline_findings,
    )  # fmt: skip
    for check in checks:
        found += check(store)
    return found


def _repair_plain(store: Store) -> int:
    fixed = 0
    for sql in (
        "UPDATE activity_contact SET date = (SELECT date FROM activity WHERE id = activity_id) "
        "WHERE date IS NOT (SELECT date FROM activity WHERE id = activity_id)",
        "UPDATE activity_site SET (date, kind) = (SELECT date, kind FROM activity WHERE id = activity_id) "
        "WHERE (date, kind) IS NOT (SELECT date, kind FROM activity WHERE id = activity_id)",
        # as migration 0004 did: an 'ended' status without a past end date ends on the day it was set
        "UPDATE region SET ends_on = max(appointed_on, date(updated_at, 'localtime')) "
        "WHERE coach_status = 'ended' AND appointed_on IS NOT NULL "
        "AND (ends_on IS NULL OR ends_on > date(updated_at, 'localtime'))",
        "UPDATE region SET coach_status = 'appointed' WHERE appointed_on IS NOT NULL AND coach_status != 'appointed'",
        "UPDATE region SET coach_status = 'selecting' "
        "WHERE appointed_on IS NULL AND coach_status NOT IN ('planned', 'selecting')",
        "UPDATE contact SET recorded_on = coalesce(date(created_at, 'localtime'), date('now', 'localtime')) "
        "WHERE recorded_on IS NULL",
    ):
        fixed += store.execute(sql).rowcount
    fixed += store.execute(
        "INSERT INTO stage_change (site_id, stage, since, recorded_at) "
        "SELECT id, 'identified', coalesce(date(created_at, 'localtime'), date('now', 'localtime')), ? FROM site "
        "WHERE id NOT IN (SELECT site_id FROM stage_change)",
        (now_stamp(),),
    ).rowcount
    return fixed


REPAIRS: dict[str, Callable[[Store], int]] = {
    "stored facts": _repair_plain,
    "name keys": _repair_keys,
    "stage histories": lambda store: stages.refresh_stages(store, None),
    "activity regions": lambda store: follow_sites(store, None),
    "tag indexes": _repair_tags,
    "search index rows": search_index.repair,
    "request stages": lambda store: _requests().repair(store),
    "measure statuses": lambda store: _measures().repair(store),
}


def _requests() -> ModuleType:
    from verweefcli.domain import requests  # the owners of the pipelines' facts, when a check needs them

    return requests


def _measures() -> ModuleType:
    from verweefcli.domain import measures

    return measures


def repair(store: Store) -> dict[str, int]:
    """Recompute every derived fact through its owner, in one transaction: what changed, per kind."""
    with store.write():
        return {what: fix(store) for what, fix in REPAIRS.items()}
