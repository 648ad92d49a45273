"""Rows of activities, which come by the million: one pass, each distinct cell checked once.

Each field's cells go through the domain's rule for that field
(:data:`verweefcli.domain.activities.RULES`) once per distinct value; the row
then becomes a draft through the domain's :func:`~verweefcli.domain.activities.complete`
(region, visit and follow-up rules) and is written by the domain's bulk path.

Matching: a row with a ``uuid`` or ``id`` matches that record. A row without
either matches only an activity equal in every field, counted as a multiset:
the k-th identical row of a file matches the k-th identical activity that was
there before the import. So importing a file twice changes nothing, and two
different visits on one day are both kept. Into an empty table nothing can
match, and no lookup is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verweefcli.domain import activities
from verweefcli.domain.activity_bulk import BulkInsert
from verweefcli.domain.common import check_uuid
from verweefcli.domain.links import split_refs
from verweefcli.errors import VerweefError
from verweefcli.render.serialize import restore
from verweefcli.transfer.records import Handler, row_id

if TYPE_CHECKING:
    from verweefcli.storage import Store
    from verweefcli.transfer.importer import Converter, Options, Summary

_MISS = object()
_TEXT = object()  # free text: stripped, formula quoting undone, else as typed
_RAW = object()  # uuid and id: checked when matching
#: a cache of converted cells per field stops growing here (bounded memory)
CACHE_CAP = 100_000
_LINKS = {"sites": "site", "contacts": "contact"}


class ActivityRows(Handler):
    table = "activity"

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store, options, summary)
        store._today = store.today  # one 'today' for the whole import
        self.caches: dict[str, dict[Any, Any]] = {name: {} for name in (*activities.RULES, *_LINKS, "region")}
        self.plan: list[tuple[int, str, Any]] | None = None
        self.template: dict[str, Any] = {}
        self.converter: Converter | None = None
        self.writer: BulkInsert | None = None
        #: uuids and ids of the rows queued in the writer, not in the table yet
        self.pending_uuids: dict[str, int] = {}
        self.pending_ids: set[int] = set()
        self.has_ids = False
        self.matched_table = False

    def expect(self, rows: int) -> None:
        was_empty = not self.store.value("SELECT 1 FROM activity LIMIT 1")
        # matching needs the natural key's index during the import, unless nothing can match
        keep = () if was_empty else ("activity_natural_key",)
        self.writer = BulkInsert(self.store, rows, keep_indexes=keep, on_flush=self._flushed)
        self.was_empty = was_empty

    def _flushed(self) -> None:
        """What was queued is in the table now: the database answers for it."""
        self.pending_uuids.clear()
        self.pending_ids.clear()

    def label(self, values: dict[str, Any]) -> str:
        parts = [str(values.get("date") or ""), str(values.get("kind") or "")]
        if values.get("title"):
            parts.append(str(values["title"]))
        sites = split_refs(values.get("sites"))
        if sites:
            parts.append(f"@ {sites[0]}")
        return " ".join(parts)

    # -- cells -> draft ---------------------------------------------------------------
    def _plan(self, converter: Converter) -> None:
        """Sort the fields once: free text, cached, and absent (one value for every row)."""
        column = {name: index for index, name in converter.plan}
        self.plan = []
        self.template = {}
        for name in ("region", *activities.RULES, *_LINKS, "uuid", "id"):
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

    def _convert(self, converter: Converter, name: str, text: str) -> Any:
        raw = converter.cell(name, text) if text else converter.constants.get(name)
        rule = activities.RULES.get(name)
        if rule is not None:
            return rule(self.store, raw)
        if name == "region":
            return self.resolver.id("region", raw, "region") if raw else None
        if name in _LINKS:
            return activities.link_ids(self.resolver, _LINKS[name], raw, name)
        return raw  # uuid, id: checked when matching

    def _cells(self, cells: list[str]) -> dict[str, Any]:
        """Field -> checked value; a bad cell's error is raised once the row's region is known."""
        assert self.plan is not None and self.converter is not None
        width = len(cells)
        values = dict(self.template)
        for index, name, cache in self.plan:
            text = cells[index].strip() if index < width else ""
            if cache is _TEXT:
                values[name] = (restore(text) if text[:1] == "'" else text) or None
            elif cache is _RAW:
                values[name] = text or None
            else:
                hit = cache.get(text, _MISS)
                if hit is _MISS:
                    if name in _LINKS:  # a site created by --create-missing goes to the row's region
                        self.resolver.row_region = values["region"] if isinstance(values["region"], int) else None
                    try:
                        hit = self._convert(self.converter, name, text)
                    except VerweefError as exc:
                        hit = exc
                    if len(cache) < CACHE_CAP:
                        cache[text] = hit
                values[name] = hit
        for value in values.values():
            if isinstance(value, VerweefError):
                raise value
        return values

    def process_row(self, cells: list[str], converter: Converter) -> str:
        """One row in a single pass, with the domain's rules."""
        if self.plan is None:
            self.converter = converter
            self.names = converter.names
            self._plan(converter)
        converter.check_width(cells)
        values = self._cells(cells)
        draft = activities.complete(
            {name: values[name] for name in activities.RULES},
            values["sites"],
            values["contacts"],
            values["region"],
            self.resolver,
            self.options.default_region,
        )
        if values["uuid"]:
            draft.uuid = check_uuid(values["uuid"])
        if values["id"]:
            draft.id = row_id(values["id"])
        existing = self.match_draft(draft)
        if existing is None:
            self.add(draft)
            return "insert"
        return self.decide_existing(existing, draft, cells)

    # -- matching ---------------------------------------------------------------------
    def match_draft(self, draft: activities.Draft) -> int | None:
        if draft.uuid:
            if draft.uuid in self.pending_uuids:
                return self.pending_uuids[draft.uuid]
            found = self.store.value("SELECT id FROM activity WHERE uuid = ?", (draft.uuid,))
            return int(found) if found is not None else None
        if draft.id is not None and (
            draft.id in self.pending_ids or self.store.value("SELECT 1 FROM activity WHERE id = ?", (draft.id,))
        ):
            return draft.id
        if self.was_empty:
            return None
        return self._equal(draft)

    def _equal(self, draft: activities.Draft) -> int | None:
        """The first activity from before the import equal to this row and not matched by an earlier
        row. Matched ids are kept in a temporary table: memory stays flat however big the file."""
        assert self.writer is not None
        if not self.matched_table:
            self.store.execute("CREATE TEMP TABLE import_matched (id INTEGER PRIMARY KEY)")
            self.matched_table = True
        for candidate in activities.equal_records(self.store, draft, self.writer.first_id):
            if not self.store.value("SELECT 1 FROM temp.import_matched WHERE id = ?", (candidate,)):
                self.store.execute("INSERT INTO temp.import_matched (id) VALUES (?)", (candidate,))
                return candidate
        return None

    def add(self, draft: activities.Draft) -> None:
        assert self.writer is not None
        activity_id = self.writer.add(draft)
        if self.has_ids:  # a later row may name a queued one by its uuid or id
            if draft.uuid:
                self.pending_uuids[draft.uuid] = activity_id
            self.pending_ids.add(activity_id)

    def decide_existing(self, existing: int, draft: activities.Draft, cells: list[str]) -> str:
        if self.options.on_conflict == "fail":
            from verweefcli.transfer.importer import RowProblem

            raise RowProblem(
                f"{draft.date} {draft.kind} is already in the database (#{existing}); --on-conflict skip or update"
            )
        if self.options.on_conflict == "update" and self._update(existing, cells):
            return "update"
        return "skip"

    def _update(self, record_id: int, cells: list[str]) -> bool:
        """Empty cells keep what is known; links and tags are added."""
        assert self.writer is not None and self.converter is not None
        self.writer.flush()
        raw = self.converter.values(cells)
        before = activities.load_draft(self.store, record_id)
        changes = self.changes(raw, {"title": before.title, "notes": before.notes}, ("sites", "contacts", "tags"))
        links = activities.LinkChanges(
            add_sites=raw.get("sites"),
            add_contacts=raw.get("contacts"),
            add_tags=[raw["tags"]] if raw.get("tags") else None,
        )
        after = activities.edited(self.store, before, changes, links, self.resolver)
        return activities.update(self.store, before, after)

    def finish(self) -> None:
        assert self.writer is not None
        self.writer.finish()
        if self.matched_table:
            self.store.execute("DROP TABLE temp.import_matched")
