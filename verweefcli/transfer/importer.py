"""Importing CSV rows as regions, sites, contacts or activities.

Every row is validated with the same rules as the commands that add records.
By default the whole file is one transaction: one bad row and nothing is
written, and every problem is reported as ``FILE:LINE: column: what``. With
``skip_invalid`` the good rows are written and the bad ones are returned for
a rejects file. Rows are matched on ``uuid``, then ``id``, then the natural key
(region: name; site: name + municipality; contact: e-mail, else name +
organisation; activity: date + kind + title + first site), so importing the
same file twice changes nothing the second time.

Activities, which come by the million, are written in batches with ids given
up front; what a visit does to its site is applied once at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from verweefcli.domain import activities as activity_rules
from verweefcli.domain import contacts as contact_rules
from verweefcli.domain import regions as region_rules
from verweefcli.domain import sites as site_rules
from verweefcli.domain.common import FieldError, check_uuid, int_value, resolve, uuid7_text
from verweefcli.domain.links import parse_site_link, split_refs
from verweefcli.errors import Ambiguous, InvalidValue, NotFound, VerweefError
from verweefcli.render.serialize import restore
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold
from verweefcli.transfer.profile import VOCABULARY, Columns, NounProfile, map_header
from verweefcli.transfer.source import CsvProblem, Source, detect_decimal, parse_decimal, records

ACTIONS = ("insert", "update", "skip", "reject")
_NUMERIC = {"floor_area_m2", "lat", "lon", "minutes", "id"}
_DATES = {"date", "follow_up", "appointed_on", "ends_on"}
_TIME_PART = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_LOOKS_LIKE_ID = re.compile(r"#?\d+$|[0-9a-fA-F]{8}-")
BATCH = 5000
#: an import of at least this many rows, and more than the table holds, rebuilds indexes at the end
BULK_ROWS = 50_000


@dataclass
class Options:
    on_conflict: str = "skip"  # skip, update or fail
    dry_run: bool = False
    skip_invalid: bool = False
    create_missing: bool = False
    default_region: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    max_errors: int = 50
    #: with ``skip_invalid``: called with the cells of each bad row and what is wrong with it
    rejects: Callable[[list[str], str], None] | None = None


@dataclass
class Summary:
    source: str
    noun: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    examples: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    seconds: float = 0.0
    written: bool = False
    created: list[str] = field(default_factory=list)


class RowProblem(VerweefError):
    """A problem with one row, already phrased as ``column: what``."""


class _Rollback(Exception):
    pass


def import_rows(
    store: Store,
    noun: str,
    source: Source,
    profile: NounProfile,
    options: Options,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    summary = Summary(source=source.name, noun=noun)
    rows = records(source)
    try:
        _, header = next(rows)
    except StopIteration:
        raise CsvProblem(f"{source.name}: the file is empty (no header row)") from None
    source.header = header
    columns = map_header(noun, header, profile, source.name)
    buffered, rows = _peek(rows, 200)
    decimal = options.decimal or source.dialect.decimal
    if decimal is None:
        numeric = [i for i, f in enumerate(columns.fields) if f in _NUMERIC - {"id"}]
        cells = [cells[i] for _, cells in buffered for i in numeric if i < len(cells)]
        decimal = detect_decimal(cells, source.dialect.delimiter)
    converter = _Converter(columns, profile, decimal, options.date_format or source.dialect.date_format, noun)
    handler = _HANDLERS[noun](store, options, summary)
    started = time.perf_counter()
    try:
        with store.write():
            if source.size and buffered:  # inside the transaction: what it drops comes back on rollback
                sample = sum(len(",".join(cells)) + 2 for _, cells in buffered)
                handler.expect(int(source.size / (sample / len(buffered))))
            for count, (line, cells) in enumerate(rows, start=1):
                summary.rows += 1
                if progress is not None and count % 2000 == 0:
                    progress(source.stream.count)
                try:
                    action = handler.process_row(cells, converter, line)
                except VerweefError as exc:
                    message = _phrase(exc, columns)
                    summary.counts["reject"] += 1
                    if options.skip_invalid:
                        if options.rejects is not None:
                            options.rejects(cells, message)
                    else:
                        summary.error_count += 1
                        if len(summary.errors) < options.max_errors:
                            summary.errors.append(f"{source.name}:{line}: {message}")
                    continue
                summary.counts[action] += 1
                if len(summary.examples[action]) < 5:
                    summary.examples[action].append((line, handler.label(converter.values(cells))))
            handler.finish()
            if progress is not None:
                progress(source.stream.count)
            if options.dry_run or (summary.error_count and not options.skip_invalid):
                raise _Rollback
        summary.written = True
    except _Rollback:
        pass
    finally:
        summary.seconds = time.perf_counter() - started
    return summary


Record = tuple[int, list[str]]


def _peek(rows: Iterator[Record], n: int) -> tuple[list[Record], Iterator[Record]]:
    """The first ``n`` records, and an iterator that still yields all of them."""
    buffered = []
    for row in rows:
        buffered.append(row)
        if len(buffered) >= n:
            break

    def chained() -> Iterator[Record]:
        yield from buffered
        yield from rows

    return buffered, chained()


def _row_id(text: str) -> int:
    row_id = int_value("id", text, low=1, high=2**62)
    assert row_id is not None
    return row_id


def _phrase(exc: Exception, columns: Columns) -> str:
    if isinstance(exc, FieldError):
        return f"{columns.names.get(exc.field, exc.field)}: {exc.reason}"
    return str(exc)


class _Converter:
    """From the cells of one row to field values, as the profile and dialect say."""

    def __init__(self, columns: Columns, profile: NounProfile, decimal: str, date_format: str | None, noun: str):
        self.plan = [(i, f) for i, f in enumerate(columns.fields) if f is not None]
        self.width = len(columns.fields)
        self.names = columns.names
        self.constants = profile.constants
        self.value_maps = profile.values
        self.vocab_fields = VOCABULARY[noun]
        self.decimal = decimal
        self.date_format = date_format

    def check_width(self, cells: list[str]) -> None:
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            raise RowProblem(f"the row has {len(cells)} cells but the header only {self.width} columns")

    def values(self, cells: list[str]) -> dict[str, Any]:
        """The row as field -> text, ready for the domain's rules (empty cells left out)."""
        self.check_width(cells)
        values: dict[str, Any] = {}
        for index, name in self.plan:
            text = cells[index].strip() if index < len(cells) else ""
            if text:
                values[name] = self.cell(name, text)
        for name, constant in self.constants.items():
            values.setdefault(name, constant)
        return values

    def cell(self, name: str, text: str) -> str:
        """One non-empty, stripped cell: undo formula quoting, map values, read numbers and dates."""
        text = restore(text)
        mapping = self.value_maps.get(name)
        if mapping is not None:
            text = mapping.get(fold(text), text)
        if name in _NUMERIC:
            return parse_decimal(text, self.decimal)
        if name in _DATES:
            return self._date(name, text)
        return text

    def _date(self, name: str, text: str) -> str:
        if self.date_format:
            try:
                return dt.datetime.strptime(text, self.date_format).date().isoformat()
            except ValueError:
                raise FieldError(name, f"{text!r} does not match the date format {self.date_format!r}") from None
        m = _TIME_PART.match(text)
        return m[1] if m else text


class _Handler:
    """How rows of one record type are matched, inserted and updated."""

    table = ""
    #: each row in its own savepoint, so a rejected row leaves nothing behind
    #: (activities are written in batches after validation instead)
    row_savepoints = True

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        self.store = store
        self.options = options
        self.summary = summary
        self.refs: dict[tuple[str, str], int] = {}
        self.unresolved: dict[tuple[str, str], str] = {}
        self.names: dict[str, dict[str, list[int]]] = {}

    def process_row(self, cells: list[str], converter: _Converter, line: int) -> str:
        return self.process(converter.values(cells), line)

    def _by_name(self, table: str) -> dict[str, list[int]]:
        """name key -> ids of ``table``, read once (one query instead of one per name)."""
        index = self.names.get(table)
        if index is None:
            index = {}
            for row_id, key in self.store.rows(f"SELECT id, name_key FROM {table}"):
                index.setdefault(key, []).append(row_id)
            self.names[table] = index
        return index

    # -- references, cached for the whole import (misses too) ---------------------
    def ref(self, table: str, text: str, field_name: str, **create: Any) -> int:
        key = (table, fold(text))
        cached = self.refs.get(key)
        if cached is not None:
            return cached
        if key in self.unresolved:
            raise FieldError(field_name, self.unresolved[key])
        if not _LOOKS_LIKE_ID.match(text):
            ids = self._by_name(table).get(key[1], [])
            if len(ids) == 1:
                self.refs[key] = ids[0]
                return ids[0]
        # ids, uuids, shared and unknown names: the domain's resolve() says it best;
        # its "did you mean" costs a scan, so only for the errors that will be shown
        suggest = self.summary.error_count < self.options.max_errors
        try:
            row = resolve(self.store, table, text, extra="municipality" if table == "site" else None, suggest=suggest)
            found = int(row["id"])
        except NotFound as exc:
            if not self.options.create_missing:
                self.unresolved[key] = f"{exc} (--create-missing adds it)"
                raise FieldError(field_name, self.unresolved[key]) from None
            found = self.create(table, text, field_name, **create)
            self._by_name(table).setdefault(key[1], []).append(found)
        except (Ambiguous, InvalidValue) as exc:
            self.unresolved[key] = str(exc)
            raise FieldError(field_name, str(exc)) from None
        self.refs[key] = found
        return found

    def create(self, table: str, name: str, field_name: str, region: str | None = None) -> int:
        """A record named in a row but missing from the database (``--create-missing``)."""
        with self.store.write():
            if table == "region":
                new_id = region_rules.insert_region(self.store, {"name": name})
            elif table == "site":
                if not region:
                    raise FieldError(field_name, f"cannot create site {name!r} without a region")
                new_id = site_rules.insert_site(self.store, {"name": name, "region": region})
            else:
                new_id = contact_rules.insert_contact(self.store, {"name": name, "region": region})
        self.summary.created.append(f"{table} {name!r}")
        return new_id

    def region_ref(self, values: dict[str, Any]) -> str | None:
        region = values.get("region") or self.options.default_region
        if region:
            return f"#{self.ref('region', region, 'region')}"
        return None

    # -- the row --------------------------------------------------------------------
    def process(self, values: dict[str, Any], line: int) -> str:
        """What happened to the row: ``insert``, ``update`` or ``skip``."""
        if self.row_savepoints:
            with self.store.write():
                return self.decide(values)
        return self.decide(values)

    def decide(self, values: dict[str, Any]) -> str:
        existing = self.match(values)
        if existing is None:
            self.insert(values)
            return "insert"
        if self.options.on_conflict == "fail":
            raise RowProblem(
                f"{self.label(values)} is already in the database (#{existing}); --on-conflict skip or update"
            )
        if self.options.on_conflict == "update" and self.update(existing, values):
            return "update"
        return "skip"

    def match(self, values: dict[str, Any]) -> int | None:
        if values.get("uuid"):
            uuid = check_uuid(values["uuid"])
            found = self.store.value(f"SELECT id FROM {self.table} WHERE uuid = ?", (uuid,))
            return int(found) if found is not None else None
        if values.get("id"):
            row_id = _row_id(values["id"])
            found = self.store.value(f"SELECT id FROM {self.table} WHERE id = ?", (row_id,))
            if found is not None:
                return int(found)
        return self.natural(values)

    def natural(self, values: dict[str, Any]) -> int | None:
        raise NotImplementedError

    def insert(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        raise NotImplementedError

    def label(self, values: dict[str, Any]) -> str:
        return str(values.get("name") or "")

    def expect(self, rows: int) -> None:
        """About how many rows the file holds (known before the first one is read)."""

    def finish(self) -> None:
        """Called once after the last row, inside the transaction."""


class _Regions(_Handler):
    table = "region"

    def natural(self, values: dict[str, Any]) -> int | None:
        name = values.get("name")
        found = self.store.value("SELECT id FROM region WHERE name_key = ?", (fold(name or ""),))
        return int(found) if found is not None else None

    def insert(self, values: dict[str, Any]) -> None:
        region_rules.insert_region(self.store, values)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = region_rules.get_region(self.store, record_id)
        changes = {k: v for k, v in values.items() if k not in ("id", "uuid")}
        after = region_rules.edit_region(self.store, record_id, changes)
        return before != after


class _Sites(_Handler):
    table = "site"

    def natural(self, values: dict[str, Any]) -> int | None:
        found = self.store.value(
            "SELECT id FROM site WHERE name_key = ? AND municipality_key = ?",
            (fold(values.get("name") or ""), fold(values.get("municipality") or "")),
        )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        where = f" ({values['municipality']})" if values.get("municipality") else ""
        return f"{values.get('name') or ''}{where}"

    def insert(self, values: dict[str, Any]) -> None:
        values = {**values, "region": self.region_ref(values)}
        site_rules.insert_site(self.store, values)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = site_rules.get_site(self.store, record_id)
        changes = {k: v for k, v in values.items() if k not in ("id", "uuid", "tags")}
        if "region" in changes:
            changes["region"] = self.region_ref(values)
        tags = [values["tags"]] if values.get("tags") else None
        after = site_rules.edit_site(self.store, record_id, changes, add_tags=tags)
        return before != after


class _Contacts(_Handler):
    table = "contact"

    def natural(self, values: dict[str, Any]) -> int | None:
        if values.get("email"):
            found = self.store.value("SELECT id FROM contact WHERE lower(email) = lower(?)", (values["email"],))
        else:
            found = self.store.value(
                "SELECT id FROM contact WHERE name_key = ? AND organisation_key = ?",
                (fold(values.get("name") or ""), fold(values.get("organisation") or "")),
            )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        organisation = f" ({values['organisation']})" if values.get("organisation") else ""
        return f"{values.get('name') or ''}{organisation}"

    def _links(self, values: dict[str, Any]) -> list[str]:
        links = []
        for item in split_refs(values.get("sites")):
            ref, role = parse_site_link(self.store, item)
            site_id = self.ref("site", ref, "sites", region=self.region_ref(values))
            links.append(f"#{site_id} ({role})" if role else f"#{site_id}")
        return links

    def insert(self, values: dict[str, Any]) -> None:
        region = self.region_ref(values) if values.get("region") else None
        values = {**values, "region": region, "sites": self._links(values)}
        contact_rules.insert_contact(self.store, values)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = contact_rules.get_contact(self.store, record_id)
        changes = {k: v for k, v in values.items() if k not in ("id", "uuid", "sites")}
        if "region" in changes:
            changes["region"] = self.region_ref(values)
        after = contact_rules.edit_contact(self.store, record_id, changes, add_sites=self._links(values))
        return before != after


_MISS = object()
_TEXT = object()  # free text: stripped, formula quoting undone, else as typed
_RAW = object()  # uuid and id: checked when matching
#: a cache of converted cells per field stops growing here (bounded memory)
CACHE_CAP = 100_000


class _Activities(_Handler):
    table = "activity"
    row_savepoints = False
    # fields with few distinct values: each distinct cell is validated once
    cached = frozenset({"date", "kind", "minutes", "follow_up", "highlight", "tags"})

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store, options, summary)
        self.next_id = int(store.value("SELECT coalesce(max(id), 0) + 1 FROM activity"))
        # with no activities before the import, only this file's own rows can match:
        # a Bloom filter answers "surely new" without asking the database
        self.seen = _Bloom() if self.next_id == 1 else None
        self.rows: list[tuple[Any, ...]] = []
        self.site_links: list[tuple[int, int, int]] = []
        self.contact_links: list[tuple[int, int, int, str]] = []
        self.pending_keys: dict[tuple[str, str, str, int], int] = {}
        self.pending_uuids: dict[str, int] = {}
        self.pending_ids: set[int] = set()
        self.first_date: dict[int, str] = {}  # site -> earliest activity on it
        self.first_visit: dict[int, tuple[str, int]] = {}  # site -> earliest visit (date, activity)
        self.site_region: dict[int, int | None] = {}
        self.contact_region: dict[int, int | None] = {}
        self.caches: dict[str, dict[Any, Any]] = {name: {} for name in (*self.cached, "sites", "contacts", "region")}
        self.plan: list[tuple[int, str, Any]] | None = None
        self.template: dict[str, Any] = {}
        self.has_ids = False
        self.converter: _Converter | None = None
        self.dropped: list[tuple[str, str]] = []
        self.row_region: str | None = None
        self.uuids = _uuids()
        self.stamp = now_stamp()
        store._today = store.today  # one 'today' for the whole import

    def label(self, values: dict[str, Any]) -> str:
        parts = [str(values.get("date") or ""), str(values.get("kind") or "")]
        if values.get("title"):
            parts.append(str(values["title"]))
        sites = split_refs(values.get("sites"))
        if sites:
            parts.append(f"@ {sites[0]}")
        return " ".join(parts)

    def _plan(self, converter: _Converter) -> None:
        """Sort the fields once: free text, cached, and absent (one value for every row)."""
        column = {name: index for index, name in converter.plan}
        self.plan = []
        self.template = {}
        for name in ("region", *activity_rules.RULES, "sites", "contacts", "uuid", "id"):
            index = column.get(name)
            if index is None:
                # no column: the same value (or the same error) for every row
                try:
                    self.template[name] = self._convert(converter, name, "")
                except VerweefError as exc:
                    self.template[name] = exc
            elif name in ("title", "notes") and name not in converter.value_maps:
                self.plan.append((index, name, _TEXT))
            elif name in ("uuid", "id"):
                self.plan.append((index, name, _RAW))
            else:
                self.plan.append((index, name, self.caches[name]))
        self.has_ids = "uuid" in column or "id" in column

    def _convert(self, converter: _Converter, name: str, text: str) -> Any:
        raw = converter.cell(name, text) if text else converter.constants.get(name)
        rule = activity_rules.RULES.get(name)
        if rule is not None:
            return rule(self.store, raw)
        if name == "region":
            return self.ref("region", raw, "region") if raw else None
        if name in ("sites", "contacts"):
            table = "site" if name == "sites" else "contact"
            return list(dict.fromkeys(self.ref(table, ref, name, region=self.row_region) for ref in split_refs(raw)))
        return raw  # uuid, id: checked when matching

    def process_row(self, cells: list[str], converter: _Converter, line: int) -> str:
        """One row in a single pass; each distinct cell of a cached field is validated once.

        Same rules as :func:`verweefcli.domain.activities.prepare`, applied per cell.
        """
        if self.plan is None:
            self._plan(converter)
        assert self.plan is not None
        converter.check_width(cells)
        width = len(cells)
        values = dict(self.template)
        for index, name, cache in self.plan:
            text = cells[index].strip() if index < width else ""
            if cache is _TEXT:
                values[name] = (restore(text) if text[:1] == "'" else text) or None
                continue
            if cache is _RAW:
                values[name] = text or None
                continue
            hit = cache.get(text, _MISS)
            if hit is _MISS:
                try:
                    hit = self._convert(converter, name, text)
                except VerweefError as exc:
                    hit = exc
                if len(cache) < CACHE_CAP:
                    cache[text] = hit
            values[name] = hit
            if name == "region":
                self.row_region = f"#{hit}" if isinstance(hit, int) else None
        for value in values.values():
            if isinstance(value, VerweefError):
                raise value
        record = {name: values[name] for name in activity_rules.RULES}
        site_ids, contact_ids = values["sites"], values["contacts"]
        if record["kind"] == activity_rules.VISIT and not site_ids:
            raise FieldError("sites", "a site visit needs the site that was visited")
        region_id = values["region"] or self._region_of(site_ids, contact_ids)
        if region_id is None:
            raise FieldError("region", "give the region (or a site or contact that has one)")
        record["region_id"] = region_id
        self.converter = converter
        row = {
            "uuid": values["uuid"],
            "id": values["id"],
            "_record": record,
            "_sites": site_ids,
            "_contacts": contact_ids,
            "_cells": cells,
        }
        return self.decide(row)

    def _region_of(self, site_ids: list[int], contact_ids: list[int]) -> int | None:
        if site_ids and not self.site_region:
            self.site_region = {r[0]: r[1] for r in self.store.rows("SELECT id, region_id FROM site")}
        for site_id in site_ids:
            if site_id not in self.site_region:  # created during this import
                self.site_region[site_id] = self.store.value("SELECT region_id FROM site WHERE id = ?", (site_id,))
            if self.site_region[site_id] is not None:
                return self.site_region[site_id]
        for contact_id in contact_ids:
            if contact_id not in self.contact_region:
                self.contact_region[contact_id] = self.store.value(
                    "SELECT region_id FROM contact WHERE id = ?", (contact_id,)
                )
            if self.contact_region[contact_id] is not None:
                return self.contact_region[contact_id]
        if self.options.default_region:
            return self.ref("region", self.options.default_region, "region")
        return None

    def match(self, values: dict[str, Any]) -> int | None:
        if values.get("uuid"):
            uuid = check_uuid(values["uuid"])
            if uuid in self.pending_uuids:
                return self.pending_uuids[uuid]
        elif values.get("id"):
            pending = _row_id(values["id"])
            if pending in self.pending_ids:
                return pending
        return super().match(values)

    def natural(self, values: dict[str, Any]) -> int | None:
        record = values["_record"]
        key = (record["date"], record["kind"], record["title"] or "", values["_sites"][0] if values["_sites"] else 0)
        values["_key"] = key
        if key in self.pending_keys:
            return self.pending_keys[key]
        if self.seen is not None and not self.seen.might_contain(key):
            return None
        found = self.store.value(
            "SELECT a.id FROM activity a WHERE a.date = ? AND a.kind = ? AND coalesce(a.title, '') = ? "
            "AND coalesce((SELECT site_id FROM activity_site WHERE activity_id = a.id ORDER BY position LIMIT 1), 0)"
            " = ? ORDER BY a.id LIMIT 1",
            key,
        )
        return int(found) if found is not None else None

    def insert(self, values: dict[str, Any]) -> None:
        record = values["_record"]
        uuid = (check_uuid(values["uuid"]) if values.get("uuid") else None) or next(self.uuids)
        if values.get("id"):
            activity_id = _row_id(values["id"])
            self.next_id = max(self.next_id, activity_id + 1)
        else:
            activity_id = self.next_id
            self.next_id += 1
        day, kind = record["date"], record["kind"]
        self.rows.append(
            (
                activity_id,
                uuid,
                day,
                kind,
                record["title"],
                record["notes"],
                record["region_id"],
                record["minutes"],
                record["follow_up"],
                record["highlight"],
                record["tags"],
                self.stamp,
                self.stamp,
            )
        )
        for position, site_id in enumerate(values["_sites"]):
            self.site_links.append((activity_id, site_id, position))
            if day < self.first_date.get(site_id, "9999"):
                self.first_date[site_id] = day
            if kind == activity_rules.VISIT and day < self.first_visit.get(site_id, ("9999", 0))[0]:
                self.first_visit[site_id] = (day, activity_id)
        for position, contact_id in enumerate(values["_contacts"]):
            self.contact_links.append((activity_id, contact_id, position, day))
        key = values.get("_key") or (day, kind, record["title"] or "", values["_sites"][0] if values["_sites"] else 0)
        self.pending_keys[key] = activity_id
        if self.seen is not None:
            self.seen.add(key)
        if self.has_ids:
            self.pending_uuids[uuid] = activity_id
            self.pending_ids.add(activity_id)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.store.executemany(
            "INSERT INTO activity (id, uuid, date, kind, title, notes, region_id, minutes, follow_up, highlight,"
            " tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.rows,
        )
        self.store.executemany(
            "INSERT INTO activity_site (activity_id, site_id, position) VALUES (?, ?, ?)", self.site_links
        )
        self.store.executemany(
            "INSERT INTO activity_contact (activity_id, contact_id, position, date) VALUES (?, ?, ?, ?)",
            self.contact_links,
        )
        for pending in (
            self.rows,
            self.site_links,
            self.contact_links,
            self.pending_keys,
            self.pending_uuids,
            self.pending_ids,
        ):
            pending.clear()

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        self.flush()
        assert self.converter is not None
        raw = self.converter.values(values["_cells"])
        before = activity_rules.get_activity(self.store, record_id)
        changes = {k: v for k, v in raw.items() if k not in ("id", "uuid", "sites", "contacts", "tags", "region")}
        if values["_record"]["region_id"] != before.get("region_id"):
            changes["region"] = f"#{values['_record']['region_id']}"
        after = activity_rules.edit_activity(
            self.store,
            record_id,
            changes,
            add_sites=[f"#{i}" for i in values["_sites"]],
            add_contacts=[f"#{i}" for i in values["_contacts"]],
            add_tags=[raw["tags"]] if raw.get("tags") else None,
        )
        return before != after

    def expect(self, rows: int) -> None:
        """A big file into a small table: build the secondary indexes once at the end
        instead of row by row (measured: 15 % faster on a million rows, and less
        memory than a bigger page cache). The natural key's index stays: matching uses it."""
        existing = int(self.store.value("SELECT count(*) FROM activity"))
        if rows < max(existing, BULK_ROWS):
            return
        self.dropped = [
            (name, sql)
            for name, sql in self.store.rows(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('activity', 'activity_site', 'activity_contact') AND name != 'activity_natural_key'"
            )
        ]
        for name, _ in self.dropped:
            self.store.execute(f"DROP INDEX {name}")

    def finish(self) -> None:
        self.flush()
        for _, sql in self.dropped:  # inside the same transaction: all or nothing
            self.store.execute(sql)
        site_rules.apply_activities(self.store, self.first_date, self.first_visit)


class _Bloom:
    """A Bloom filter over row keys: 2 MiB, about 1 % false positives at a million keys."""

    BITS = 1 << 24

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS // 8)

    def _positions(self, key: object) -> tuple[int, int, int]:
        h = hash(key) & 0xFFFFFFFFFFFFFFFF
        mask = self.BITS - 1
        return h & mask, (h >> 20) & mask, (h >> 40) & mask

    def add(self, key: object) -> None:
        for position in self._positions(key):
            self.bits[position >> 3] |= 1 << (position & 7)

    def might_contain(self, key: object) -> bool:
        return all(self.bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))


def _uuids() -> Iterator[str]:
    """Version 7 uuids, as ``new_uuid`` makes them, with their random bits read a thousand at a time."""
    while True:
        ms = time.time_ns() // 1_000_000
        block = os.urandom(10 * 1000)
        for start in range(0, len(block), 10):
            yield uuid7_text(ms, int.from_bytes(block[start : start + 10], "big"))


_HANDLERS: dict[str, type[_Handler]] = {
    "regions": _Regions,
    "sites": _Sites,
    "contacts": _Contacts,
    "activities": _Activities,
}
