"""The importer's resolver: the domain's, with what it found kept for the whole file.

Names are looked up through their index, errors are remembered with their
message, and with
``--create-missing`` a region, site or contact that a row names but that does
not exist is created through the domain, once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from verweefcli.domain.common import FieldError, Resolver, resolve
from verweefcli.errors import Ambiguous, InvalidValue, NotFound
from verweefcli.storage import Store
from verweefcli.textnorm import fold

if TYPE_CHECKING:
    from verweefcli.transfer.importer import Options, Summary

_LOOKS_LIKE_ID = re.compile(r"#?\d+$|[0-9a-fA-F]{8}-")


#: what ``--create-missing`` makes from a name alone
_CREATABLE = frozenset({"region", "site", "contact"})


class ImportResolver(Resolver):
    """Names are looked up one distinct name at a time, through the table's name index (the
    activity importer keeps each distinct cell's result; nothing here grows with the file
    but the errors, which are remembered so that a bad name costs one lookup)."""

    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store)
        self.options = options
        self.summary = summary
        self.unresolved: dict[tuple[str, str], str] = {}
        self.regions: dict[str, list[int | None]] = {}
        #: the region of the row being read: where ``--create-missing`` puts a new site or contact
        self.row_region: int | None = None

    def id(self, table: str, ref: str | int, field: str) -> int:
        if isinstance(ref, int):
            return ref
        key = (table, fold(ref))
        if key in self.unresolved:
            raise FieldError(field, self.unresolved[key])
        if not _LOOKS_LIKE_ID.match(ref):
            found = self.store.tuples(f"SELECT id FROM {table} WHERE name_key = ? LIMIT 2", (key[1],))
            if len(found) == 1:
                return int(found[0][0])
        return self._lookup(table, ref, field, key)

    def _lookup(self, table: str, ref: str, field: str, key: tuple[str, str]) -> int:
        """Ids, uuids, shared and unknown names: the domain's ``resolve`` says it best; its
        "did you mean" costs a scan, so only for the errors that will be shown."""
        suggest = self.summary.error_count < self.options.max_errors
        extra = "municipality" if table == "site" else None
        try:
            return int(resolve(self.store, table, ref, extra=extra, suggest=suggest)["id"])
        except NotFound as exc:
            if table not in _CREATABLE:  # a company, a request...: too much to know to make one from a name
                self.unresolved[key] = f"{exc} (import it first: --create-missing makes regions, sites, contacts)"
                raise FieldError(field, self.unresolved[key]) from None
            if not self.options.create_missing:
                self.unresolved[key] = f"{exc} (--create-missing adds it)"
                raise FieldError(field, self.unresolved[key]) from None
            return self._create(table, ref, field)
        except (Ambiguous, InvalidValue) as exc:
            self.unresolved[key] = str(exc)
            raise FieldError(field, str(exc)) from None

    def _create(self, table: str, name: str, field: str) -> int:
        """A record named in a row but missing from the database (``--create-missing``)."""
        from verweefcli.domain import contacts, regions, sites

        with self.store.write():
            if table == "region":
                new_id = regions.insert_region(self.store, {"name": name})
            elif table == "site":
                if self.row_region is None:
                    raise FieldError(field, f"cannot create site {name!r} without a region")
                new_id = sites.insert_site(self.store, {"name": name, "region": self.row_region}, resolver=self)
            else:
                new_id = contacts.insert_contact(self.store, {"name": name, "region": self.row_region}, resolver=self)
        self.summary.created.append(f"{table} {name!r}")
        return new_id

    def region_of(self, table: str, record_id: int) -> int | None:
        """Read once per table, as a list indexed by id (8 bytes a record: ids are dense)."""
        regions = self.regions.get(table)
        if regions is None:
            size = int(self.store.value(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))
            regions = self.regions[table] = [None] * min(size, 1 << 24)
            for found, region in self.store.tuples(f"SELECT id, region_id FROM {table} WHERE id < ?", (len(regions),)):
                regions[found] = region
        if record_id < len(regions) and regions[record_id] is not None:
            return regions[record_id]
        return super().region_of(table, record_id)  # created during the import, or beyond the list
