"""Rows of company requests, nuisance cases and measures: matched to records, written through the domain.

A row matches a record by ``uuid``, then ``id``, then its natural key: a
request by its company, type and day received; a case by its site, day
reported and types; a measure by its case, kind and first move's day. A
request's and a measure's ``moves`` (``received 2020-03-12; intake 2020-04-14``,
as ``verweef export`` writes them) become their history; their ``stage``,
``status``, ``closed_on``, ``effect`` and ``region`` columns are derived and
read from the moves instead.
"""

from __future__ import annotations

from typing import Any

from verweefcli.domain import measures, nuisance, requests
from verweefcli.domain.common import date_value, resolve_id, vocab_value
from verweefcli.domain.histories import parse_history
from verweefcli.storage import Store
from verweefcli.transfer.records import Handler

#: columns a file may hold that the records derive (ignored on import)
DERIVED = {
    "request": ("stage", "closed_on", "region"),
    "nuisance": ("region", "state"),
    "measure": ("status", "effect", "site"),
}


def _first_day(store: Store, values: dict[str, Any]) -> str | None:
    """The day of the first of a row's ``moves`` (a measure's proposal), read as a date."""
    moves = parse_history(store, values.get("moves"), "measure_statuses", "moves", extra="nuisance_results")
    return moves[0][1] if moves else None


def _written(values: dict[str, Any], table: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in DERIVED[table] and k != "moves"}


class Requests(Handler):
    table = "request"

    def natural(self, values: dict[str, Any]) -> int | None:
        company = resolve_id(self.store, "company", values.get("company"), "company", extra="enterprise_number")
        found = self.store.value(
            "SELECT id FROM request WHERE company_id = ? AND type = ? AND received_on = ? ORDER BY id LIMIT 1",
            (
                company,
                vocab_value(self.store, "request_types", "type", values.get("type")),
                date_value("received_on", values.get("received_on"), self.store.today),
            ),
        )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('received_on') or ''} {values.get('company') or ''} {values.get('type') or ''}".strip()

    def insert(self, values: dict[str, Any]) -> None:
        request_id = requests.insert_request(self.store, _written(values, "request"), resolver=self.resolver)
        requests.record_history(
            self.store, request_id, values.get("moves"), values.get("outcome"), values.get("outcome_site")
        )

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = (requests.get_request(self.store, record_id), requests.history(self.store, record_id))
        changes = self.changes(_written(values, "request"), before[0], ("outcome", "outcome_site"))
        requests.edit_request(self.store, record_id, changes)
        if values.get("moves"):
            requests.record_history(
                self.store, record_id, values["moves"], values.get("outcome"), values.get("outcome_site")
            )
        return before != (requests.get_request(self.store, record_id), requests.history(self.store, record_id))


class NuisanceCases(Handler):
    table = "nuisance"

    def natural(self, values: dict[str, Any]) -> int | None:
        site = resolve_id(self.store, "site", values.get("site"), "site", extra="municipality")
        for case_id, types in self.store.tuples(
            "SELECT id, types FROM nuisance WHERE site_id = ? AND reported_on = ? ORDER BY id",
            (site, date_value("reported_on", values.get("reported_on"), self.store.today)),
        ):
            if types == nuisance.types_column(self.store, values.get("types")):
                return int(case_id)
        return None

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('reported_on') or ''} {values.get('site') or ''}".strip()

    def insert(self, values: dict[str, Any]) -> None:
        nuisance.insert_case(self.store, _written(values, "nuisance"), resolver=self.resolver)

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = nuisance.get_case(self.store, record_id)
        changes = self.changes(_written(values, "nuisance"), before, ("result", "closed_on"))
        return before != nuisance.edit_case(self.store, record_id, changes)


class Measures(Handler):
    table = "measure"

    def natural(self, values: dict[str, Any]) -> int | None:
        """By its case, kind and the day it was proposed; without ``moves``, by its case, kind and notes."""
        case = resolve_id(self.store, "nuisance", values.get("case"), "case")
        kind = vocab_value(self.store, "measure_kinds", "kind", values.get("kind"))
        first = _first_day(self.store, values)
        if first is None:
            found = self.store.value(
                "SELECT id FROM measure WHERE nuisance_id = ? AND kind = ? AND coalesce(notes, '') = ? "
                "ORDER BY id LIMIT 1",
                (case, kind, (values.get("notes") or "").strip()),
            )
        else:
            found = self.store.value(
                "SELECT m.id FROM measure m WHERE m.nuisance_id = ? AND m.kind = ? AND "
                "(SELECT min(date) FROM measure_move WHERE measure_id = m.id) = ? ORDER BY m.id LIMIT 1",
                (case, kind, first),
            )
        return int(found) if found is not None else None

    def label(self, values: dict[str, Any]) -> str:
        return f"case {values.get('case') or ''} {values.get('kind') or ''}".strip()

    def insert(self, values: dict[str, Any]) -> None:
        measure_id = measures.insert_measure(
            self.store, values.get("case") or "", _written(values, "measure"), on=_first_day(self.store, values)
        )
        measures.record_history(self.store, measure_id, values.get("moves"))

    def update(self, record_id: int, values: dict[str, Any]) -> bool:
        before = (measures.get_measure(self.store, record_id), measures.history(self.store, record_id))
        changes = self.changes(_written(values, "measure"), before[0], ("case",))
        measures.edit_measure(self.store, record_id, changes)
        if values.get("moves"):
            measures.record_history(self.store, record_id, values["moves"])
        return before != (measures.get_measure(self.store, record_id), measures.history(self.store, record_id))


def case_handler(noun: str) -> type[Handler]:
    return {"requests": Requests, "nuisance": NuisanceCases, "measures": Measures}[noun]
