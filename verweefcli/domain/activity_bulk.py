"""Many new activities at once (imports): the bulk path beside :func:`activities.insert`.

Same drafts, same rules, same derived facts; only the writing differs. Ids and
uuids are handed out up front, rows go in by batches, and when the table grows
a lot its secondary indexes are dropped and built once at the end, inside the
caller's transaction (all or nothing). What the new activities do to their sites
is recomputed once, by the same owner as for one activity. Such an import leaves
the new rows' search index for the first search (:func:`search_index.defer`):
writing it would take as long as the rest of the import.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from verweefcli.domain import search_index
from verweefcli.domain.activities import Draft
from verweefcli.domain.common import tag_keys
from verweefcli.domain.derived import Touched, settle
from verweefcli.domain.stages import CHUNK, refresh_stages
from verweefcli.errors import DatabaseProblem
from verweefcli.storage import Store, now_stamp

BATCH = 5000
#: a bulk insert of at least this many rows, and more than the table holds, rebuilds indexes at the end
BULK_ROWS = 50_000
_TABLES = ("activity", "activity_site", "activity_contact", "activity_tag")
_INSERT = (
    "INSERT INTO activity (id, uuid, date, kind, title, notes, region_id, minutes, follow_up, highlight, tags,"
    " follow_up_note, follow_up_done, follow_up_done_notes, request_id, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


#: the variant (0b10) in the top bits of a random hex digit
_VARIANT = {f"{n:x}": f"{8 | n & 3:x}" for n in range(16)}


def _uuids() -> Iterator[str]:
    """Version 7 uuids, as :func:`uuid7_text` makes them (a test checks the bits), put together
    from random hex digits read a thousand uuids at a time: a third of the time per uuid."""
    while True:
        ms = f"{time.time_ns() // 1_000_000 & 0xFFFFFFFFFFFF:012x}"
        head = f"{ms[:8]}-{ms[8:12]}-7"
        block = os.urandom(10 * 1000).hex()  # 19 of every 20 digits used: 3 + 1 (variant) + 15
        for at in range(0, len(block), 20):
            rand_a, variant, rand_b = block[at : at + 3], _VARIANT[block[at + 3]], block[at + 4 : at + 19]
            yield f"{head}{rand_a}-{variant}{rand_b[:3]}-{rand_b[3:]}"


class BulkInsert:
    """New activities written in batches, in the caller's transaction; call :meth:`finish` at the end."""

    def __init__(
        self,
        store: Store,
        expected_rows: int = 0,
        *,
        keep_indexes: tuple[str, ...] = (),
        on_flush: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.on_flush = on_flush
        self.first_id = int(store.value("SELECT coalesce(max(id), 0) + 1 FROM activity"))
        self.next_id = self.first_id
        self.rows: list[tuple[Any, ...]] = []
        self.site_links: list[tuple[int, int, int, str, str]] = []
        self.contact_links: list[tuple[int, int, int, str]] = []
        self.tags: list[tuple[int, str]] = []
        self.regions: set[int] = set()
        self.requests: set[int] = set()
        #: activities with an id below ``first_id`` (given in the file): their derived facts, one by one
        self.earlier = Touched()
        self.below: list[int] = []
        self.uuids = _uuids()
        self.stamp = now_stamp()
        self.dropped = self._drop_indexes(expected_rows, keep_indexes)
        #: a big import into a small table: its search index rows are left for the first search
        self.bulk = bool(self.dropped)

    def _drop_indexes(self, expected_rows: int, keep: tuple[str, ...]) -> list[str]:
        """A big import into a small table: build the secondary indexes once at the end instead of
        row by row (measured: 15 % faster on a million rows, and less memory than a bigger page cache)."""
        if expected_rows < max(self.first_id - 1, BULK_ROWS):
            return []
        marks = ", ".join("?" for _ in _TABLES)
        found = self.store.rows(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            _TABLES,
        )
        dropped = [(name, sql) for name, sql in found if name not in keep]
        for name, _ in dropped:
            self.store.execute(f"DROP INDEX {name}")
        return [sql for _, sql in dropped]

    def add(self, draft: Draft) -> int:
        """Queue one activity; returns its id (the draft's own, or the next free one).

        A million calls per big import: attributes are read once, a single site or contact
        (the usual row) skips the loop."""
        activity_id = draft.id
        if activity_id is not None:
            self.next_id = max(self.next_id, activity_id + 1)
            if activity_id < self.first_id:  # a free id below the table's last (rare): settled one by one
                self.earlier.add(stages=draft.site_ids, activity=[activity_id])
                self.below.append(activity_id)
        else:
            activity_id = self.next_id
            self.next_id = activity_id + 1
        day, kind, tags, request, stamp = draft.date, draft.kind, draft.tags, draft.request_id, self.stamp
        rows = self.rows
        rows.append(
            (
                activity_id,
                draft.uuid or next(self.uuids),
                day,
                kind,
                draft.title,
                draft.notes,
                draft.region_id,
                draft.minutes,
                draft.follow_up,
                draft.highlight,
                tags,
                draft.follow_up_note,
                draft.follow_up_done,
                draft.follow_up_done_notes,
                request,
                stamp,
                stamp,
            )
        )
        sites, contacts = draft.site_ids, draft.contact_ids
        if len(sites) == 1:
            self.site_links.append((activity_id, sites[0], 0, day, kind))
        else:
            self.site_links.extend((activity_id, site, at, day, kind) for at, site in enumerate(sites))
        if len(contacts) == 1:
            self.contact_links.append((activity_id, contacts[0], 0, day))
        else:
            self.contact_links.extend((activity_id, contact, at, day) for at, contact in enumerate(contacts))
        self.regions.add(draft.region_id)
        if request is not None:
            self.requests.add(request)
        if tags != "[]":
            self.tags.extend((activity_id, tag) for tag in tag_keys(tags))
        if len(rows) >= BATCH:
            self.flush()
        return activity_id

    def flush(self) -> None:
        """Write what is queued (before anything reads the tables)."""
        if not self.rows:
            return
        self.store.executemany(_INSERT, self.rows)
        self.store.executemany(
            "INSERT INTO activity_site (activity_id, site_id, position, date, kind) VALUES (?, ?, ?, ?, ?)",
            self.site_links,
        )
        self.store.executemany(
            "INSERT INTO activity_contact (activity_id, contact_id, position, date) VALUES (?, ?, ?, ?)",
            self.contact_links,
        )
        self.store.executemany("INSERT INTO activity_tag (activity_id, tag) VALUES (?, ?)", self.tags)
        self.rows.clear()
        self.site_links.clear()
        self.contact_links.clear()
        self.tags.clear()
        if self.on_flush is not None:
            self.on_flush()

    def finish(self) -> None:
        """The last batch, the indexes, and the stage of every site the new activities are about."""
        self.flush()
        for sql in self.dropped:
            self.store.execute(sql)
        self.dropped = []
        for sites in self._linked("site"):
            refresh_stages(self.store, sites)
        if self.bulk:
            search_index.defer(self.store, "activity", self.first_id, self.next_id - 1)
        else:
            search_index.refresh_from(self.store, "activity", self.first_id)
        settle(self.store, self.earlier)

    def _distinct(self, table: str, chunked: bool = False) -> str:
        """The distinct sites (or contacts) the new rows link to, as SQL (``:first``; ``chunked``: those
        after ``:last``, ``:chunk`` of them): through the links' own index when the new rows are most of
        the table (one pass, in order), else through their key, reading only the new links ('+' keeps
        SQLite from walking the whole index instead)."""
        column = f"{table}_id"
        key = column if self.next_id - self.first_id > self.first_id else f"+{column}"
        after = f" AND {key} > :last" if chunked else ""
        order = f" ORDER BY {column} LIMIT :chunk" if chunked else ""
        return f"SELECT {column} FROM activity_{table} WHERE activity_id >= :first{after} GROUP BY {key}{order}"

    def _linked(self, table: str) -> Iterator[list[int]]:
        """The distinct sites (or contacts) the new rows link to, a chunk at a time: read from the
        links once written rather than kept row by row (memory stays flat)."""
        last, sql = 0, self._distinct(table, chunked=True)
        while ids := [r[0] for r in self.store.tuples(sql, {"first": self.first_id, "last": last, "chunk": CHUNK})]:
            yield ids
            last = ids[-1]

    def check_links(self) -> None:
        """Prove that every new activity's region, sites, contacts and request exist: the caller may have
        written with SQLite's foreign-key checks off. One lookup per distinct id proves it (a
        million links: 0.1 s; SQLite's own check looks up every link: 7 s)."""
        params = {
            "first": self.first_id,
            "regions": json.dumps(sorted(self.regions)),
            "requests": json.dumps(sorted(self.requests)),
            "below": json.dumps(self.below),
        }
        below = "SELECT {0}_id FROM activity_{0} WHERE activity_id IN (SELECT value FROM json_each(:below))"
        for table, column, distinct in (
            ("site", "site_id", self._distinct("site")),
            ("contact", "contact_id", self._distinct("contact")),
            ("site", "site_id", below.format("site")),
            ("contact", "contact_id", below.format("contact")),
            ("region", "value", "SELECT value FROM json_each(:regions)"),
            ("request", "value", "SELECT value FROM json_each(:requests)"),
        ):
            missing = self.store.value(
                f"SELECT {column} FROM ({distinct}) WHERE {column} NOT IN (SELECT id FROM {table}) LIMIT 1", params
            )
            if missing is not None:
                raise DatabaseProblem(f"an imported activity links to {table} #{missing}, which does not exist")
