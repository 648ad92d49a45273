"""Merging the coaches' files into one: records by uuid, the newest change kept, removals honoured.

A record (with what belongs to it: a site's recorded stage changes, an activity's
links, a request's moves...) is matched by its uuid; integer ids stay local and
links travel as uuids. For each record both files hold:

- the same content: nothing to do;
- changed in one file only since the last merge of that file (``merge_seen``):
  that change is taken;
- changed in both (or never merged before and different): the one changed last
  (``updated_at``) is kept, and the conflict is logged with both values
  (``merge_log``).

A record the other file removed (its tombstone) goes here too unless it changed
here after the removal (then it stays, logged); a record removed here never comes
back. Taking a record takes its ``updated_at``, so merging A then B gives the
same records as B then A, and merging a file twice changes nothing. Derived facts
(stage histories, links' dates, tags, a request's stage, a measure's status, the
search index) are recomputed by their owners for what changed. All of it in one
transaction: a failed or killed merge leaves the file as it was.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verweefcli.errors import Conflict, DatabaseProblem
from verweefcli.storage import Store, now_stamp, open_store


@dataclass(frozen=True)
class Kind:
    """A kind of record: its table, its links to others (column -> table) and what belongs to it."""

    table: str
    links: tuple[tuple[str, str], ...] = ()
    #: (child table, its column naming the record, its links, its own columns)
    children: tuple[tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = ()


#: in the order a record's links are there before it
KINDS = (
    Kind("region"),
    Kind("site", (("region_id", "region"),), (("stage_change", "site_id", (), ("stage", "since", "recorded_at")),)),
    Kind("contact", (("region_id", "region"),), (("contact_site", "contact_id", (("site_id", "site"),), ("role",)),)),
    Kind(
        "company",
        (("site_id", "site"), ("region_id", "region")),
        (("company_contact", "company_id", (("contact_id", "contact"),), ()),),
    ),
    Kind(
        "request",
        (("company_id", "company"), ("site_id", "site"), ("outcome_site_id", "site")),
        (("request_move", "request_id", (), ("stage", "date", "outcome", "recorded_at")),),
    ),
    Kind(
        "activity",
        (("region_id", "region"), ("request_id", "request")),
        (
            ("activity_site", "activity_id", (("site_id", "site"),), ("position",)),
            ("activity_contact", "activity_id", (("contact_id", "contact"),), ("position",)),
        ),
    ),
    Kind("nuisance", (("site_id", "site"), ("company_id", "company"), ("reported_by", "contact"))),
    Kind(
        "measure",
        (("nuisance_id", "nuisance"),),
        (("measure_move", "measure_id", (), ("status", "date", "effect", "recorded_at")),),
    ),
)
_KIND = {k.table: k for k in KINDS}
#: columns a record's content leaves out: local, or derived and recomputed here
_LOCAL = {"id", "created_at", "updated_at"}
_DERIVED = {
    "site": {"stage"},
    "request": {"stage", "closed_on"},
    "measure": {"status", "effect"},
}


@dataclass
class Counts:
    added: int = 0
    taken: int = 0
    kept: int = 0
    removed: int = 0


@dataclass
class Report:
    """What one merge did, per file and kind."""

    sources: list[tuple[str, str]] = field(default_factory=list)  # (path, its last change)
    counts: dict[str, Counts] = field(default_factory=lambda: {k.table: Counts() for k in KINDS})
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unknown_terms: set[tuple[str, str]] = field(default_factory=set)


# -- reading a file -------------------------------------------------------------------------


@dataclass
class Snapshot:
    """Every record of a file, with links as uuids: what a merge reads from it."""

    identity: str
    path: str
    last_change: str
    records: dict[str, dict[str, dict[str, Any]]]  # table -> uuid -> content (with 'updated_at')
    tombstones: dict[str, tuple[str, str]]  # uuid -> (kind, removed_at)


def read_file(path: Path) -> Snapshot:
    """A file's records as a snapshot; an older file is upgraded on a private copy, never in place."""
    if not path.is_file():
        raise DatabaseProblem(f"{path}: no such file")
    with tempfile.TemporaryDirectory(prefix="verweef-merge-") as folder:
        copy = Path(folder) / "source.db"
        shutil.copyfile(path, copy)
        store = open_store(copy, create=False)
        try:
            return _snapshot(store, str(path))
        finally:
            store.close()


def _snapshot(store: Store, path: str) -> Snapshot:
    uuids = {k.table: dict(store.tuples(f"SELECT id, uuid FROM {k.table}")) for k in KINDS}
    records = {k.table: _records(store, k, uuids) for k in KINDS}
    tombstones = {r[0]: (r[1], r[2]) for r in store.tuples("SELECT uuid, kind, removed_at FROM tombstone")}
    last = store.value(
        "SELECT max(updated_at) FROM (SELECT updated_at FROM activity UNION ALL SELECT updated_at FROM site)"
    )
    return Snapshot(_identity(store), path, last or "", records, tombstones)


def _identity(store: Store) -> str:
    return str(store.value("SELECT value FROM meta WHERE key = 'database_uuid'"))


def _records(store: Store, kind: Kind, uuids: dict[str, dict[int, str]]) -> dict[str, dict[str, Any]]:
    rows = store.rows(f"SELECT * FROM {kind.table}")
    children = {child[0]: _children(store, child, uuids) for child in kind.children}
    out = {}
    for row in rows:
        leave = _LOCAL | _DERIVED.get(kind.table, set())
        content = {key: row[key] for key in row.keys() if key not in leave}  # noqa: SIM118 -- a Row yields values
        for column, table in kind.links:
            content[column] = uuids[table].get(row[column]) if row[column] is not None else None
        for name, by_owner in children.items():
            content[name] = by_owner.get(row["id"], [])
        content["updated_at"] = row["updated_at"]
        content["created_at"] = row["created_at"]
        out[row["uuid"]] = content
    return out


def _children(
    store: Store, child: tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]], uuids: dict[str, dict[int, str]]
) -> dict[int, list[list[Any]]]:
    table, owner, links, columns = child
    chosen = [owner, *(c for c, _ in links), *columns]
    by_owner: dict[int, list[list[Any]]] = {}
    for row in store.tuples(f"SELECT {', '.join(chosen)} FROM {table}"):
        values = list(row[1:])
        for index, (_, target) in enumerate(links):
            values[index] = uuids[target].get(values[index])
        by_owner.setdefault(row[0], []).append(values)
    for values in by_owner.values():
        values.sort(key=lambda v: json.dumps(v, default=str))
    return by_owner


# -- merging ------------------------------------------------------------------------------------


def merge(store: Store, paths: Sequence[Path], *, dry_run: bool = False) -> Report:
    """Merge these files into the store, all of them or nothing (``dry_run``: say what it would do)."""
    snapshots = [read_file(path) for path in paths]
    own = _identity(store)
    for snapshot in snapshots:
        if snapshot.identity == own:
            raise Conflict(f"{snapshot.path} is this very database (or a copy of it): nothing to merge")
    report = Report()
    context = store.trial() if dry_run else store.write()
    with context, store.write():
        for snapshot in snapshots:
            _Merge(store, snapshot, report).run()
    return report


class _Merge:
    def __init__(self, store: Store, snapshot: Snapshot, report: Report) -> None:
        self.store, self.theirs, self.report = store, snapshot, report
        self.stamp = now_stamp()
        self.touched: dict[str, set[int]] = {k.table: set() for k in KINDS}
        #: their records that are ours under another uuid (the same name or e-mail recorded in both files)
        self.alias: dict[str, dict[str, int]] = {k.table: {} for k in KINDS}
        report.sources.append((snapshot.path, snapshot.last_change))

    def run(self) -> None:
        self.store.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (
                f"merged:{self.theirs.identity}",
                json.dumps({"file": self.theirs.path, "last_change": self.theirs.last_change}),
            ),
        )
        buried = {r[0] for r in self.store.tuples("SELECT uuid FROM tombstone")}
        for kind in KINDS:
            ours = self._ours(kind)
            for uuid, theirs in self.theirs.records[kind.table].items():
                if uuid in buried:
                    continue
                if uuid not in ours:
                    self._add(kind, theirs)
                else:
                    self._meet(kind, uuid, ours[uuid], theirs)
        self._removals()
        self._settle()
        self._unknown_terms()

    def _unknown_terms(self) -> None:
        """Vocabulary keys the records hold that this file's vocabulary does not know: kept, and reported."""
        vocab = self.store.vocab
        for table, column, vocabulary in _VOCABULARY_COLUMNS:
            known = set(vocab.terms(vocabulary))
            for (value,) in self.store.tuples(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"):
                if value not in known:
                    self.report.unknown_terms.add((vocabulary, str(value)))

    def _ours(self, kind: Kind) -> dict[str, dict[str, Any]]:
        uuids = {k.table: dict(self.store.tuples(f"SELECT id, uuid FROM {k.table}")) for k in KINDS}
        return _records(self.store, kind, uuids)

    def _id(self, table: str, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        if uuid in self.alias[table]:
            return self.alias[table][uuid]
        found = self.store.value(f"SELECT id FROM {table} WHERE uuid = ?", (uuid,))
        return int(found) if found is not None else None

    def _columns(self, kind: Kind, content: dict[str, Any]) -> dict[str, Any]:
        """The record's own columns, its links as local ids (a link to a record not here: none)."""
        names = {c[0] for c in kind.children}
        record = {key: value for key, value in content.items() if key not in names}
        for column, table in kind.links:
            record[column] = self._id(table, content[column])
        return record

    def _add(self, kind: Kind, theirs: dict[str, Any]) -> None:
        record = self._columns(kind, theirs)
        if kind.table == "measure" and record["nuisance_id"] is None:
            return  # its case was removed here: it goes with it
        record.update(_DEFAULTS.get(kind.table, {}))  # derived: settled below
        columns = ", ".join(record)
        try:
            with self.store.write():  # a savepoint: a name or e-mail this file has under another uuid undoes it
                cursor = self.store.execute(
                    f"INSERT INTO {kind.table} ({columns}) VALUES ({', '.join('?' for _ in record)})",
                    list(record.values()),
                )
        except sqlite3.IntegrityError:
            existing = self._same(kind.table, record)
            if existing is None:
                raise
            self.alias[kind.table][theirs["uuid"]] = existing
            self._log(kind.table, theirs["uuid"], "recorded in both files: ours kept (the same name)", None, theirs)
            return
        self._write_children(kind, int(cursor.lastrowid or 0), theirs)
        self.report.counts[kind.table].added += 1
        self._seen(theirs["uuid"], theirs["updated_at"], theirs["updated_at"])

    def _write_children(self, kind: Kind, record_id: int, content: dict[str, Any]) -> None:
        for table, owner, links, columns in kind.children:
            self.store.execute(f"DELETE FROM {table} WHERE {owner} = ?", (record_id,))
            names = [owner, *(c for c, _ in links), *columns]
            for values in content[table]:
                row = list(values)
                for index, (_, target) in enumerate(links):
                    row[index] = self._id(target, row[index])
                if any(v is None for v in row[: len(links)]):
                    continue  # a link to a record removed here
                self.store.execute(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                    [record_id, *row],
                )
        self.touched[kind.table].add(record_id)

    def _meet(self, kind: Kind, uuid: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        if _content(ours) == _content(theirs):  # the same record: it keeps the later stamp, in any order
            stamps = (max(ours["updated_at"], theirs["updated_at"]), min(ours["created_at"], theirs["created_at"]))
            if stamps != (ours["updated_at"], ours["created_at"]):
                self.store.execute(
                    f"UPDATE {kind.table} SET updated_at = ?, created_at = ? WHERE uuid = ?", (*stamps, uuid)
                )
            self._seen(uuid, stamps[0], theirs["updated_at"])
            return
        seen = self.store.row(
            "SELECT ours_at, theirs_at FROM merge_seen WHERE source = ? AND uuid = ?", (self.theirs.identity, uuid)
        )
        ours_changed = seen is None or ours["updated_at"] > seen["ours_at"]
        theirs_changed = seen is None or theirs["updated_at"] > seen["theirs_at"]
        take = theirs_changed and (not ours_changed or _later(theirs, ours))
        if ours_changed and theirs_changed:
            self._log(kind.table, uuid, "conflict: theirs kept" if take else "conflict: ours kept", ours, theirs)
        if take:
            self._take(kind, ours, theirs)
        else:
            self.report.counts[kind.table].kept += 1
            self._seen(uuid, ours["updated_at"], theirs["updated_at"])

    def _take(self, kind: Kind, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        record_id = self._id(kind.table, theirs["uuid"])
        assert record_id is not None
        record = self._columns(kind, theirs)
        record["created_at"] = min(ours["created_at"], theirs["created_at"])
        sets = ", ".join(f"{key} = ?" for key in record)
        self.store.execute(f"UPDATE {kind.table} SET {sets} WHERE id = ?", [*record.values(), record_id])
        self._write_children(kind, record_id, theirs)
        self.report.counts[kind.table].taken += 1
        self._seen(theirs["uuid"], theirs["updated_at"], theirs["updated_at"])

    def _seen(self, uuid: str, ours_at: str, theirs_at: str) -> None:
        self.store.execute(
            "INSERT OR REPLACE INTO merge_seen (source, uuid, ours_at, theirs_at) VALUES (?, ?, ?, ?)",
            (self.theirs.identity, uuid, ours_at, theirs_at),
        )

    def _same(self, table: str, record: dict[str, Any]) -> int | None:
        """Our record with the natural key of theirs (a region's or site's name, a contact's e-mail...)."""
        for sql, keys in _NATURAL.get(table, ()):
            if all(record.get(k) is not None for k in keys):
                found = self.store.value(sql, [record[k] for k in keys])
                if found is not None:
                    return int(found)
        return None

    def _log(self, kind: str, uuid: str, what: str, ours: Any, theirs: Any) -> None:
        values = (
            json.dumps(ours, default=str, ensure_ascii=False),
            json.dumps(theirs, default=str, ensure_ascii=False),
        )
        if self.store.value(  # the same finding of the same file once: merging it again logs nothing new
            "SELECT 1 FROM merge_log WHERE source = ? AND uuid = ? AND what = ? AND ours IS ? AND theirs IS ?",
            (self.theirs.identity, uuid, what, *values),
        ):
            return
        self.store.execute(
            "INSERT INTO merge_log (merged_at, source, source_path, kind, uuid, what, ours, theirs) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.stamp, self.theirs.identity, self.theirs.path, kind, uuid, what, *values),
        )
        self.report.conflicts.append({"kind": kind, "uuid": uuid, "what": what, "ours": ours, "theirs": theirs})

    def _removals(self) -> None:
        """The other file's removals: a record removed there goes here, unless it changed here since."""
        from verweefcli.domain.tombstones import bury

        for uuid, (kind, removed_at) in sorted(self.theirs.tombstones.items()):
            record_id = self._id(kind, uuid)
            if record_id is None:
                bury(self.store, kind, [uuid])
                continue
            changed = str(self.store.value(f"SELECT updated_at FROM {kind} WHERE id = ?", (record_id,)))
            if changed > removed_at:
                self._log(kind, uuid, "kept: changed here after it was removed there", changed, removed_at)
                continue
            try:
                _REMOVE[kind](self.store, record_id)
            except Conflict as exc:
                self._log(kind, uuid, f"kept: {exc}", None, removed_at)
                continue
            self.report.counts[kind].removed += 1

    def _settle(self) -> None:
        """The derived facts of what changed, by their owners."""
        from verweefcli.domain import activities, measures, requests, stages
        from verweefcli.domain.derived import touch

        touched = self.touched
        self.store.execute(
            "UPDATE activity_site SET (date, kind) = (SELECT date, kind FROM activity WHERE id = activity_id) "
            "WHERE activity_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(touched["activity"])),),
        )
        self.store.execute(
            "UPDATE activity_contact SET date = (SELECT date FROM activity WHERE id = activity_id) "
            "WHERE activity_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(touched["activity"])),),
        )
        for activity_id, tags in self.store.tuples(
            "SELECT id, tags FROM activity WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(touched["activity"])),),
        ):
            activities.write_tags(self.store, activity_id, tags)
        sites = touched["site"] | {
            r[0]
            for r in self.store.tuples(
                "SELECT site_id FROM activity_site WHERE activity_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(touched["activity"])),),
            )
        }
        stages.refresh_stages(self.store, sites)
        requests.settle(self.store, sorted(touched["request"]))
        measures.settle_measures(self.store, sorted(touched["measure"]))
        touch(self.store, None, **{t: ids for t, ids in touched.items() if t in _INDEXED and ids})


_INDEXED = ("site", "contact", "activity", "company", "request", "nuisance")
#: how a record recorded in two files under two uuids is recognised: (SQL, the columns it takes)
_NATURAL: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "region": (("SELECT id FROM region WHERE name_key = ?", ("name_key",)),),
    "site": (("SELECT id FROM site WHERE name_key = ? AND municipality_key = ?", ("name_key", "municipality_key")),),
    "contact": (
        ("SELECT id FROM contact WHERE lower(email) = lower(?) AND email IS NOT NULL", ("email",)),
        ("SELECT id FROM contact WHERE name_key = ? AND organisation_key = ?", ("name_key", "organisation_key")),
    ),
    "company": (("SELECT id FROM company WHERE enterprise_number = ?", ("enterprise_number",)),),
}
#: columns that hold a vocabulary's keys (a coach's config file may add terms the programme's does not know)
_VOCABULARY_COLUMNS = (
    ("activity", "kind", "activity_kinds"),
    ("site", "kind", "site_kinds"),
    ("contact", "role", "contact_roles"),
    ("company", "sector", "company_sectors"),
    ("request", "type", "request_types"),
    ("measure", "kind", "measure_kinds"),
)
#: the derived columns of a record added, until their owners settle them
_DEFAULTS: dict[str, dict[str, Any]] = {
    "site": {"stage": "identified"},
    "request": {"stage": "received", "closed_on": None},
    "measure": {"status": "proposed", "effect": None},
}


def _content(record: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in record.items() if k not in ("updated_at", "created_at")}, sort_keys=True, default=str
    )


def _later(theirs: dict[str, Any], ours: dict[str, Any]) -> bool:
    """Whether their change is the later one (a tie goes to the larger content: the same in any order)."""
    return (theirs["updated_at"], _content(theirs)) > (ours["updated_at"], _content(ours))


def _remover(module: str, function: str) -> Any:
    def remove(store: Store, record_id: int) -> Any:
        import importlib

        return getattr(importlib.import_module(f"verweefcli.domain.{module}"), function)(store, record_id)

    return remove


_REMOVE = {
    "region": _remover("regions", "remove_region"),
    "site": _remover("sites", "remove_site"),
    "contact": _remover("contacts", "remove_contact"),
    "activity": _remover("activities", "remove_activity"),
    "company": _remover("companies", "remove_company"),
    "request": _remover("requests", "remove_request"),
    "nuisance": _remover("nuisance", "remove_case"),
    "measure": _remover("measures", "remove_measure"),
}
