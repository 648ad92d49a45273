"""The importer's resolver: the domain's, with what it found kept for the whole file.

Names are read once per table (one query instead of one per row), every
reference is remembered (misses too, with their message), and with
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


class ImportResolver(Resolver):
    def __init__(self, store: Store, options: Options, summary: Summary) -> None:
        super().__init__(store)
        self.options = options
        self.summary = summary
        self.refs: dict[tuple[str, str], int] = {}
        self.unresolved: dict[tuple[str, str], str] = {}
        self.names: dict[str, dict[str, list[int]]] = {}
        self.regions: dict[str, dict[int, int | None]] = {}
        #: the region of the row being read: where ``--create-missing`` puts a new site or contact
        self.row_region: int | None = None

    def _by_name(self, table: str) -> dict[str, list[int]]:
        """name key -> ids of ``table``, read once."""
        index = self.names.get(table)
        if index is None:
            index = {}
            for row_id, key in self.store.rows(f"SELECT id, name_key FROM {table}"):
                index.setdefault(key, []).append(row_id)
            self.names[table] = index
        return index

    def id(self, table: str, ref: str | int, field: str) -> int:
        if isinstance(ref, int):
            return ref
        key = (table, fold(ref))
        cached = self.refs.get(key)
        if cached is not None:
            return cached
        if key in self.unresolved:
            raise FieldError(field, self.unresolved[key])
        if not _LOOKS_LIKE_ID.match(ref):
            ids = self._by_name(table).get(key[1], [])
            if len(ids) == 1:
                self.refs[key] = ids[0]
                return ids[0]
        self.refs[key] = found = self._lookup(table, ref, field, key)
        return found

    def _lookup(self, table: str, ref: str, field: str, key: tuple[str, str]) -> int:
        """Ids, uuids, shared and unknown names: the domain's ``resolve`` says it best; its
        "did you mean" costs a scan, so only for the errors that will be shown."""
        suggest = self.summary.error_count < self.options.max_errors
        try:
            return int(
                resolve(self.store, table, ref, extra="municipality" if table == "site" else None, suggest=suggest)[
                    "id"
                ]
            )
        except NotFound as exc:
            if not self.options.create_missing:
                self.unresolved[key] = f"{exc} (--create-missing adds it)"
                raise FieldError(field, self.unresolved[key]) from None
            found = self._create(table, ref, field)
            self._by_name(table).setdefault(key[1], []).append(found)
            return found
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
        regions = self.regions.get(table)
        if regions is None:
            regions = self.regions[table] = {r[0]: r[1] for r in self.store.rows(f"SELECT id, region_id FROM {table}")}
        if record_id not in regions:  # created during this import
            regions[record_id] = super().region_of(table, record_id)
        return regions[record_id]
