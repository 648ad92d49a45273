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

from collections.abc import Callable
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
_FREE_TEXT = ("title", "notes", "follow_up_note", "follow_up_done_notes")
#: a row's values, in this order: the region, the fields of a draft in its order, links, uuid, id, request
_SLOTS = ("region", *activities.RULES, *_LINKS, "uuid", "id", "request")


class ActivityRows(Handler):
    """Activity rows; written with SQLite's foreign-key checks off (they cost a million-row import
    7 of its 24 s), which stays safe: every site, contact and region id comes from a lookup made
    inside the import's write transaction (``BEGIN IMMEDIATE``: no other writer can remove a record
    meanwhile), activity ids are the import's own, and before the commit
    :meth:`BulkInsert.check_links` proves, for the new rows, that every link points at a record."""

    table = "activity"
    checks_its_links = True
    #: the import commits with synchronous=NORMAL: in WAL mode that is as safe against a crash and
    #: against corruption, but a power cut right after the commit can take the import back (the file
    #: stays as it was before it, whole); run it again. SQLite documents this trade (pragma.html#pragma_synchronous).
    bulk = True
    cache_mib = None  # activities go in by id: SQLite's 2 MB are enough, and peak memory stays at 64 MB

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store, options, summary)
        store._today = store.today  # one 'today' for the whole import
        self.caches: dict[str, dict[Any, Any]] = {name: {} for name in _SLOTS if name not in ("uuid", "id")}
        self.plan: list[tuple[int, int, Any, str]] | None = None
        self.template: list[Any] = []
        self.errors: dict[tuple[str, str], VerweefError] = {}
        self.converter: Converter | None = None
        self.writer: BulkInsert | None = None
        #: uuids and ids of the rows queued in the writer, not in the table yet
        self.pending_uuids: dict[str, int] = {}
        self.pending_ids: set[int] = set()
        self.has_ids = False
        self.matched_table = False
        #: rows wider than this are checked for cells beyond the header (a wider row is rare)
        self.width_checked = 0

    def expect(self, rows: int) -> None:
        was_empty = self.store.value("SELECT max(id) FROM activity") is None
        # matching reads the report's index during the import, unless nothing can match
        keep = () if was_empty else ("activity_report",)
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
        """Sort the fields once: free text, cached, and absent (one value, or error, for every row)."""
        column = {name: index for index, name in converter.plan}
        self.plan = []
        self.template = []
        self.template_error: VerweefError | None = None
        for slot, name in enumerate(_SLOTS):
            index = column.get(name)
            if index is None:
                try:
                    self.template.append(self._convert(converter, name, ""))
                except VerweefError as exc:
                    self.template.append(None)
                    self.template_error = self.template_error or exc
                continue
            self.template.append(None)
            if name in _FREE_TEXT and name not in converter.value_maps:
                self.plan.append((index, slot, _TEXT, name))
            elif name in ("uuid", "id"):
                self.plan.append((index, slot, _RAW, name))
            else:
                self.plan.append((index, slot, self.caches[name], name))
        self.has_ids = "uuid" in column or "id" in column
        self.width = max((index + 1 for index, *_ in self.plan), default=0)
        self.read_cells = self._reader(self.plan)

    def _reader(self, plan: list[tuple[int, int, Any, str]]) -> Callable[[list[str]], list[Any]]:
        """:meth:`_cells` for this file's columns, written out as one function (as :mod:`dataclasses`
        writes ``__init__``): no loop, no tuple unpacked per cell (measured: reading the cells of
        200,000 rows 0.46 -> 0.35 s). A cached cell is looked up as it is in the file, then stripped;
        the plan's order puts the region first, which a site created by ``--create-missing`` needs."""
        lines = ["def read(cells):", " values = template.copy()"]
        env: dict[str, Any] = {"template": self.template, "MISS": _MISS, "miss": self._miss_raw, "restore": restore}
        for index, slot, kind, name in plan:
            if kind is _TEXT:
                lines.append(f" text = cells[{index}].strip()")
                lines.append(f' values[{slot}] = (restore(text) if text[:1] == "\'" else text) or None')
            elif kind is _RAW:
                lines.append(f" values[{slot}] = cells[{index}].strip() or None")
            else:
                env[f"get{slot}"], env[f"cache{slot}"] = kind.get, kind
                lines.append(f" text = cells[{index}]; hit = get{slot}(text, MISS)")
                lines.append(f" values[{slot}] = miss(cache{slot}, {name!r}, text, values[0]) if hit is MISS else hit")
        lines.append(" return values")
        exec("\n".join(lines), env)
        return env["read"]  # type: ignore[no-any-return]

    def _miss_raw(self, cache: dict[str, Any], name: str, raw: str, region: Any) -> Any:
        """A cell as it is in the file that was not looked up before: checked (stripped) once, and
        remembered as it is in the file too."""
        text = raw.strip()
        value = cache[text] if text in cache else self._miss(cache, name, text, region)
        if len(cache) < CACHE_CAP:
            cache[raw] = value
        return value

    def _convert(self, converter: Converter, name: str, text: str) -> Any:
        raw = converter.cell(name, text) if text else converter.constants.get(name)
        rule = activities.RULES.get(name)
        if rule is not None:
            return rule(self.store, raw)
        if name == "region":
            return self.resolver.id("region", raw, "region") if raw else None
        if name == "request":  # an id or uuid: one lookup per distinct cell
            return activities.request_value(self.store, raw)
        if name in _LINKS:
            ids = activities.link_ids(self.resolver, _LINKS[name], raw, name)
            return ids[0] if len(ids) == 1 else ids  # kept for every distinct cell: an int is smaller
        return raw  # uuid, id: checked when matching

    def _miss(self, cache: dict[str, Any], name: str, text: str, region: Any) -> Any:
        """A cell not seen before: checked once; a bad one is remembered as bad (and raised)."""
        error = self.errors.get((name, text))
        if error is not None:
            raise error
        if name in _LINKS:  # a site created by --create-missing goes to the row's region
            self.resolver.row_region = region if isinstance(region, int) else None
        assert self.converter is not None
        try:
            value = self._convert(self.converter, name, text)
        except VerweefError as exc:
            if len(self.errors) < CACHE_CAP:
                self.errors[(name, text)] = exc
            raise
        if len(cache) < CACHE_CAP:
            cache[text] = value
        return value

    def _cells(self, cells: list[str]) -> list[Any]:
        """The row's values in :data:`_SLOTS` order; the first bad cell raises its error.

        The hot loop of a million-row import: plain lists, one dict lookup per cached cell.
        """
        if self.template_error is not None:
            raise self.template_error
        if len(cells) < self.width:  # Excel leaves trailing empty cells out
            cells = cells + [""] * (self.width - len(cells))
        return self.read_cells(cells)

    def process_row(self, cells: list[str], converter: Converter) -> str:
        """One row in a single pass, with the domain's rules."""
        if self.plan is None:
            self.converter = converter
            self.names = converter.names
            self._plan(converter)
            self.width_checked = converter.width
        if len(cells) > self.width_checked:
            converter.check_width(cells)
        # the row's values in _SLOTS order: the region, the draft's fields (RULES order), links, uuid, id, request
        (region, day, kind, title, notes, minutes, follow_up, highlight, tags, note, done, done_notes, sites,
         contacts, uuid, given_id, request) = self._cells(cells)  # fmt: skip
        if sites.__class__ is int:
            sites = (sites,)
        if contacts.__class__ is int:
            contacts = (contacts,)
        draft = activities.Draft(
            day, kind, title, notes, minutes, follow_up, highlight, tags, note, done, done_notes, 0, sites, contacts,
            request_id=request,
        )  # fmt: skip
        activities.complete(draft, region, self.resolver, self.options.default_region)
        if uuid:
            draft.uuid = check_uuid(uuid)
        if given_id:
            draft.id = row_id(given_id)
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
        if draft.id is not None and draft.uuid and self._id_taken(draft.id):
            draft.id = None  # another file's record: ids are each file's own, its uuid says who it is
        activity_id = self.writer.add(draft)
        if self.has_ids:  # a later row may name a queued one by its uuid or id
            if draft.uuid:
                self.pending_uuids[draft.uuid] = activity_id
            self.pending_ids.add(activity_id)

    def _id_taken(self, activity_id: int) -> bool:
        return activity_id in self.pending_ids or bool(
            self.store.value("SELECT 1 FROM activity WHERE id = ?", (activity_id,))
        )

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
        self.writer.check_links()
        if self.writer.bulk:
            self.summary.search_deferred = self.writer.next_id - self.writer.first_id
        if self.matched_table:
            self.store.execute("DROP TABLE temp.import_matched")
