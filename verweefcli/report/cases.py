"""The report's company requests and nuisance cases: what came in, what is open, how it ended.

One statement per question, run once for all regions and grouped by region,
with the report's parameters (:func:`verweefcli.report.queries.parameters`).
A request's stage on a day is the stage of its last move by then
(:data:`verweefcli.domain.request_rules.STAGE_ON`, the rule's one owner); its
region is its site's, else its company's (:data:`verweefcli.domain.request_rules.REGION`).
A nuisance case is open on a day when it was reported by then and not closed
by then; its region is its site's. Requests and cases are few (hundreds), so
the statements read them whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from verweefcli.domain.agenda_cases import SOURCES as PROMISES
from verweefcli.domain.common import load_list
from verweefcli.domain.request_rules import REGION, STAGE_ON
from verweefcli.report.tally import add_counts, counts
from verweefcli.storage import Store

_IN_REGIONS = "region_id IN (SELECT value FROM json_each(:regions))"
_CLOSED_ON = (
    "(SELECT max(m.date) FROM request_move m WHERE m.request_id = r.id AND m.stage = 'closed' AND m.date <= :end)"
)
#: how a request had ended by the end of the period: the outcome of its last closing move by then
_OUTCOME_THEN = (
    "(SELECT m.outcome FROM request_move m WHERE m.request_id = r.id AND m.stage = 'closed' AND m.date <= :end "
    "ORDER BY m.date DESC, m.id DESC LIMIT 1)"
)
_CASE_REGION = "(SELECT s.region_id FROM site s WHERE s.id = n.site_id)"

STATEMENTS = {
    "requests_received": f"""
        SELECT region_id, count(*) AS n FROM (SELECT {REGION} AS region_id FROM request r
        WHERE r.received_on BETWEEN :start AND :end) WHERE {_IN_REGIONS} GROUP BY region_id
    """,
    "requests_open": f"""
        SELECT region_id, stage, count(*) AS n FROM (
            SELECT {REGION} AS region_id, {STAGE_ON.format(day=":end")} AS stage FROM request r
            WHERE r.received_on <= :end)
        WHERE stage != 'closed' AND {_IN_REGIONS} GROUP BY region_id, stage
    """,
    "requests_closed": f"""
        SELECT region_id, coalesce(outcome, 'unknown') AS outcome, count(*) AS n, sum(days) AS days FROM (
            SELECT {REGION} AS region_id, {_OUTCOME_THEN} AS outcome,
                   julianday({_CLOSED_ON}) - julianday(r.received_on) AS days,
                   {STAGE_ON.format(day=":end")} AS stage, {_CLOSED_ON} AS closed_on FROM request r
            WHERE r.received_on <= :end)
        WHERE stage = 'closed' AND closed_on >= :start AND {_IN_REGIONS} GROUP BY region_id, outcome
    """,
    "requests_listed": f"""
        SELECT region_id, id, company, type, received_on, stage, outcome FROM (
            SELECT r.id, {REGION} AS region_id, (SELECT c.name FROM company c WHERE c.id = r.company_id) AS company,
                   r.type, r.received_on, {STAGE_ON.format(day=":end")} AS stage, {_OUTCOME_THEN} AS outcome,
                   {_CLOSED_ON} AS closed_on
            FROM request r WHERE r.received_on <= :end)
        WHERE {_IN_REGIONS} AND (received_on >= :start OR closed_on >= :start OR stage != 'closed')
        ORDER BY region_id, received_on DESC, id DESC
    """,
    "nuisance_opened": f"""
        SELECT region_id, count(*) AS n FROM (SELECT {_CASE_REGION} AS region_id FROM nuisance n
        WHERE n.reported_on BETWEEN :start AND :end) WHERE {_IN_REGIONS} GROUP BY region_id
    """,
    "nuisance_open": f"""
        SELECT region_id, count(*) AS n FROM (SELECT {_CASE_REGION} AS region_id FROM nuisance n
        WHERE n.reported_on <= :end AND (n.closed_on IS NULL OR n.closed_on > :end))
        WHERE {_IN_REGIONS} GROUP BY region_id
    """,
    "nuisance_closed": f"""
        SELECT region_id, result, count(*) AS n FROM (SELECT {_CASE_REGION} AS region_id, n.result FROM nuisance n
        WHERE n.closed_on BETWEEN :start AND :end) WHERE {_IN_REGIONS} GROUP BY region_id, result
    """,
    # measures that reached a status in the period (proposed, implemented), by kind
    "measures_moved": f"""
        SELECT region_id, status, kind, count(*) AS n FROM (
            SELECT {_CASE_REGION} AS region_id, mm.status, m.kind FROM measure_move mm
            CROSS JOIN measure m ON m.id = mm.measure_id CROSS JOIN nuisance n ON n.id = m.nuisance_id
            WHERE mm.date BETWEEN :start AND :end AND mm.status IN ('proposed', 'implemented'))
        WHERE {_IN_REGIONS} GROUP BY region_id, status, kind
    """,
}


# requests', nuisance cases' and measures' days open on the reference day: in the next period, or overdue
_PROMISES = " UNION ALL ".join(
    f"SELECT '{kind}' AS type, id, due, date, kind, company, site, region_id, done, notes FROM ({sql})"
    for kind, sql in PROMISES.items()
)
_OPEN_PROMISES = f"""
    SELECT * FROM ({_PROMISES}) WHERE date <= :ref AND (done IS NULL OR done > :ref) AND {_IN_REGIONS}
      AND {{window}} ORDER BY region_id, due, type, id
"""
STATEMENTS["promises_next"] = _OPEN_PROMISES.format(window="due BETWEEN :next_start AND :next_end")
STATEMENTS["promises_overdue"] = _OPEN_PROMISES.format(window="due < :ref")


@dataclass
class RequestItem:
    id: int
    company: str
    type: str
    received_on: str
    stage: str
    outcome: str | None


@dataclass
class Requests:
    received: int = 0
    open_by_stage: dict[str, int] = field(default_factory=dict)
    closed_by_outcome: dict[str, int] = field(default_factory=dict)
    #: days from received to closed, added up over those closed in the period
    days_to_close: float = 0.0
    listed: list[RequestItem] = field(default_factory=list)
    listed_total: int = 0

    @property
    def average_days_to_close(self) -> float | None:
        return round(self.days_to_close / self.closed, 1) if self.closed else None

    @property
    def open(self) -> int:
        return sum(self.open_by_stage.values())

    @property
    def closed(self) -> int:
        return sum(self.closed_by_outcome.values())


@dataclass
class Nuisance:
    opened: int = 0
    open: int = 0
    closed_by_result: dict[str, int] = field(default_factory=dict)
    measures_proposed: dict[str, int] = field(default_factory=dict)
    measures_implemented: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        return sum(self.closed_by_result.values())


class CaseRows:
    """The statements above, run once, and each region's part made from them."""

    def __init__(self, store: Store, params: dict[str, Any], limit: int) -> None:
        self.limit = limit
        vocab = store.vocab
        self.stages = [key for key in vocab.request_stages if key != "closed"]
        self.outcomes = list(vocab.request_outcomes)
        self.results = list(vocab.nuisance_results)
        self.kinds = list(vocab.measure_kinds)
        self.by_region: dict[str, dict[int, list[Any]]] = {}
        for name, sql in STATEMENTS.items():
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in store.rows(sql, params):
                grouped[row["region_id"]].append(row)
            self.by_region[name] = grouped

    def _rows(self, name: str, region_id: int) -> list[Any]:
        return self.by_region[name][region_id]

    def requests(self, region_id: int) -> Requests:
        closed = self._rows("requests_closed", region_id)
        listed = self._rows("requests_listed", region_id)
        return Requests(
            received=sum(r["n"] for r in self._rows("requests_received", region_id)),
            open_by_stage=counts(self.stages, ((r["stage"], r["n"]) for r in self._rows("requests_open", region_id))),
            closed_by_outcome=counts(self.outcomes, ((r["outcome"], r["n"]) for r in closed)),
            days_to_close=sum(r["days"] or 0 for r in closed),
            listed=[
                RequestItem(r["id"], r["company"], r["type"], r["received_on"], r["stage"], r["outcome"])
                for r in listed[: self.limit]
            ],
            listed_total=len(listed),
        )

    def promises(self, region_id: int) -> tuple[list[Any], list[Any]]:
        """The requests', cases' and measures' days open on the reference day: next period, overdue."""
        from verweefcli.report.build import Item

        def item(r: Any) -> Item:
            kind = ", ".join(load_list(r["kind"])) if r["type"] == "nuisance" else r["kind"]
            note = (r["notes"] or "").strip().splitlines()
            title = r["company"] if r["type"] != "measure" else None
            return Item(r["id"], r["date"], kind, title, r["site"], r["due"], note[0] if note else None, r["type"])

        return (
            [item(r) for r in self._rows("promises_next", region_id)],
            [item(r) for r in self._rows("promises_overdue", region_id)],
        )

    def nuisance(self, region_id: int) -> Nuisance:
        moved = self._rows("measures_moved", region_id)
        return Nuisance(
            opened=sum(r["n"] for r in self._rows("nuisance_opened", region_id)),
            open=sum(r["n"] for r in self._rows("nuisance_open", region_id)),
            closed_by_result=counts(
                self.results, ((r["result"], r["n"]) for r in self._rows("nuisance_closed", region_id))
            ),
            measures_proposed=counts(self.kinds, ((r["kind"], r["n"]) for r in moved if r["status"] == "proposed")),
            measures_implemented=counts(
                self.kinds, ((r["kind"], r["n"]) for r in moved if r["status"] == "implemented")
            ),
        )


def add_requests(parts: list[Requests]) -> Requests:
    """The programme's requests: the regions' added up (a request is in one region)."""
    total = Requests()
    for part in parts:
        total.received += part.received
        add_counts(total.open_by_stage, part.open_by_stage)
        add_counts(total.closed_by_outcome, part.closed_by_outcome)
        total.days_to_close += part.days_to_close
        total.listed_total += part.listed_total
    return total


def add_nuisance(parts: list[Nuisance]) -> Nuisance:
    total = Nuisance()
    for part in parts:
        total.opened += part.opened
        total.open += part.open
        add_counts(total.closed_by_result, part.closed_by_result)
        add_counts(total.measures_proposed, part.measures_proposed)
        add_counts(total.measures_implemented, part.measures_implemented)
    return total
