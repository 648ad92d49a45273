"""Rows of regions, sites and contacts: matched to records, written through the domain.

A row matches a record by ``uuid``, then ``id``, then its natural key (region:
name; site: name + municipality; contact: e-mail, else name + organisation).
Each row is written in its own savepoint, so a rejected row leaves nothing.
With ``--on-conflict update`` empty cells never erase what is known, links and
tags are added, and a text the file's encoding damaged (``?`` where it had no
character: ``Ay?e`` for ``Ayşe``) keeps the stored value, with a warning.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from verweefcli.domain import companies, contacts, regions, sites
from verweefcli.domain.common import check_uuid, int_value
from verweefcli.domain.derived import Touched, settle
from verweefcli.storage import Store
from verweefcli.textnorm import fold
from verweefcli.transfer.resolving import ImportResolver

if TYPE_CHECKING:
    from verweefcli.transfer.importer import Converter, Options, Summary

_NOT_ASCII = "[^\\x00-\\x7f]"


def damaged_copy(incoming: str, stored: str) -> bool:
    """Whether ``incoming`` is ``stored`` with characters its file's encoding could not hold
    replaced by ``?`` (what a spreadsheet does when it saves ``Ayşe`` as Windows-1252)."""
    if "?" not in incoming or incoming == stored:
        return False
    pattern = "".join(_NOT_ASCII if c == "?" else re.escape(c) for c in incoming)
    return re.fullmatch(pattern, stored) is not None


def row_id(text: Any) -> int:
    found = int_value("id", text, low=1, high=2**62)
    assert found is not None
    return found


class Handler:
    """How rows of one record type are matched, inserted and updated."""

    table = ""
    #: the handler proves every link it writes points at a record, so SQLite's foreign-key
    #: checks may be off for the import's transaction (see ActivityRows)
    checks_its_links = False
    #: SQLite's page cache for the import, in MiB: a row goes into several indexes in no order, and
    #: SQLite's 2 MB made 4x the contacts take 4.9x the time (16 MiB: 4.3x, peak 57 MB; benchmarks/imports.py)
    cache_mib: int | None = 16
    #: a bulk write (see ActivityRows): its commit may skip the fsync of WAL mode's synchronous=FULL
    bulk = False

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        self.store = store
        self.options = options
        self.summary = summary
        self.resolver = ImportResolver(store, options, summary)
        self.line = 0

    def process_row(self, cells: list[str], converter: Converter) -> str:
        """What happened to the row: ``insert``, ``update`` or ``skip`` (in a savepoint of its own)."""
        values = converter.values(cells)
        self.names = converter.names
        with self.store.write():
            return self.decide(values)

    def decide(self, values: dict[str, Any]) -> str:
        existing = self.match(values)
        if existing is None:
            if values.get("uuid") and values.get("id") and self._id_taken(values["id"]):
                values = {**values, "id": None}  # another file's record: ids are each file's own, its uuid says who
            self.insert(values)
            return "insert"
        if self.options.on_conflict == "fail":
            from verweefcli.transfer.importer import RowProblem

            raise RowProblem(
                f"{self.label(values)} is already in the database (#{existing}); --on-conflict skip or update"
            )
        if self.options.on_conflict == "update" and self.update(existing, values):
            return "update"
        return "skip"

    def match(self, values: dict[str, Any]) -> int | None:
        if values.get("uuid"):
            found = self.store.value(f"SELECT id FROM {self.table} WHERE uuid = ?", (check_uuid(values["uuid"]),))
            return int(found) if found is not None else None
        if values.get("id"):
            found = self.store.value(f"SELECT id FROM {self.table} WHERE id = ?", (row_id(values["id"]),))
            if found is not None:
                return int(found)
        return self.natural(values)

    def _id_taken(self, text: Any) -> bool:
        return self.store.value(f"SELECT 1 FROM {self.table} WHERE id = ?", (row_id(text),)) is not None

    def natural(self, values: dict[str, Any]) -> int | None:
        raise NotImplementedError

    def insert(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        raise NotImplementedError

    def changes(self, values: dict[str, Any], before: dict[str, Any], leave: tuple[str, ...]) -> dict[str, Any]:
        """The row's fields to write over ``before``: not ``leave``, nor text the file damaged."""
        out = {}
        for name, value in values.items():
            if name in ("id", "uuid", *leave):
                continue
            kept = before.get(name)
            if isinstance(value, str) and isinstance(kept, str) and damaged_copy(value, kept):
                column = self.names.get(name, name)
                self.summary.warn(
                    f"{self.summary.at(self.line)}: {column}: kept {kept!r}: the file has {value!r} "
                    "(characters its encoding cannot hold)",
                    self.options.max_errors,
                )
                continue
            out[name] = value
        return out

    def label(self, values: dict[str, Any]) -> str:
        return str(values.get("name") or "")

    def expect(self, rows: int) -> None:
        """About how many rows the file holds (known before the first one is read)."""

    def finish(self) -> None:
        """Called once after the last row, inside the transaction."""


class Regions(Handler):
    table = "region"

    def natural(self, values: dict[str, Any]) -> int | None:
        found = self.store.value("SELECT id FROM region WHERE name_key = ?", (fold(values.get("name") or ""),))
        return int(found) if found is not None else None

    def insert(self, values: dict[str, Any]) -> None:
        regions.insert_region(self.store, values)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = regions.get_region(self.store, record_id)
        changes = self.changes(values, before, ())
        if changes.get("coach_status") == before["coach_status"]:
            del changes["coach_status"]  # what the dates already say
        return before != regions.edit_region(self.store, record_id, changes)


class Sites(Handler):
    """Site rows; their stages and search text are recomputed once at the end, for all the sites written."""

    table = "site"

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store, options, summary)
        self.touched = Touched()

    def finish(self) -> None:
        settle(self.store, self.touched)

    def natural(self, values: dict[str, Any]) -> int | None:
        found = self.store.value(
            "SELECT id FROM site WHERE name_key = ? AND municipality_key = ?",
            (fold(values.get("name") or ""), fold(values.get("municipality") or "")),
        )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        where = f" ({values['municipality']})" if values.get("municipality") else ""
        return f"{values.get('name') or ''}{where}"

    def _with_region(self, values: dict[str, Any]) -> dict[str, Any]:
        region = values.get("region") or self.options.default_region
        return {**values, "region": region} if region else values

    def insert(self, values: dict[str, Any]) -> None:
        sites.insert_site(self.store, self._with_region(values), resolver=self.resolver, later=self.touched)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = sites.get_site(self.store, record_id)
        # with its recorded history, the file's 'stage' is derived: the history says it
        leave = ("tags", "stage") if values.get("stage_changes") else ("tags",)
        changes = self.changes(values, before, leave)
        tags = [values["tags"]] if values.get("tags") else None
        after = sites.edit_site(
            self.store, record_id, changes, add_tags=tags, resolver=self.resolver, later=self.touched
        )
        return before != after


class Contacts(Handler):
    """Contact rows; their search text is written once at the end, for all the contacts written."""

    table = "contact"

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store, options, summary)
        self.touched = Touched()

    def finish(self) -> None:
        settle(self.store, self.touched)

    def natural(self, values: dict[str, Any]) -> int | None:
        if values.get("email"):
            row = contacts.find_by_email(self.store, values["email"])
            return int(row["id"]) if row is not None else None
        found = self.store.value(
            "SELECT id FROM contact WHERE name_key = ? AND organisation_key = ?",
            (fold(values.get("name") or ""), fold(values.get("organisation") or "")),
        )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        organisation = f" ({values['organisation']})" if values.get("organisation") else ""
        return f"{values.get('name') or ''}{organisation}"

    def _region(self, values: dict[str, Any]) -> None:
        region = values.get("region")
        self.resolver.row_region = self.resolver.id("region", region, "region") if region else None

    def insert(self, values: dict[str, Any]) -> None:
        if not values.get("region") and self.options.default_region:  # --region: for rows that give none
            values = {**values, "region": self.options.default_region}
        self._region(values)
        contacts.insert_contact(self.store, values, resolver=self.resolver, later=self.touched)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        self._region(values)
        before = contacts.get_contact(self.store, record_id)
        changes = self.changes(values, before, ("sites", "recorded_on"))
        after = contacts.edit_contact(
            self.store, record_id, changes, add_sites=values.get("sites"), resolver=self.resolver, later=self.touched
        )
        return before != after


class Companies(Handler):
    """Company rows: matched by enterprise number, else by a name no other company has."""

    table = "company"

    def natural(self, values: dict[str, Any]) -> int | None:
        number = companies.enterprise_number(values.get("enterprise_number"))
        if number is not None:
            found = self.store.value("SELECT id FROM company WHERE enterprise_number = ?", (number,))
            return int(found) if found is not None else None
        rows = self.store.tuples("SELECT id FROM company WHERE name_key = ?", (fold(values.get("name") or ""),))
        return int(rows[0][0]) if len(rows) == 1 else None

    def insert(self, values: dict[str, Any]) -> None:
        if not values.get("region") and not values.get("site") and self.options.default_region:
            values = {**values, "region": self.options.default_region}
        companies.insert_company(self.store, values, resolver=self.resolver)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = companies.get_company(self.store, record_id)
        changes = self.changes(values, before, ("tags", "contacts"))
        after, _ = companies.edit_company(
            self.store,
            record_id,
            changes,
            add_tags=[values["tags"]] if values.get("tags") else [],
            add_contacts=companies.contact_refs(values.get("contacts")),
        )
        return before != after


HANDLERS: dict[str, type[Handler]] = {"regions": Regions, "sites": Sites, "contacts": Contacts, "companies": Companies}
