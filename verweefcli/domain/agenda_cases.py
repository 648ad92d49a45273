"""The agenda's other promises: a company request's follow-up, a nuisance case's, a measure's due day.

Each is open until what it waits for happens: a request until it is closed, a
case until it is closed, a measure until it is implemented, evaluated or
rejected. That day (the move or the close) is its "done". Activities' own
follow-ups are in :mod:`verweefcli.domain.follow_ups`, which merges these in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from verweefcli.domain.common import load_list
from verweefcli.domain.request_rules import REGION as REQUEST_REGION
from verweefcli.storage import Store

#: the day a measure stopped waiting: while it is implemented, evaluated or rejected, the day of its last move
_MEASURE_DONE = (
    "CASE WHEN m.status IN ('implemented', 'evaluated', 'rejected') THEN "
    "(SELECT max(mm.date) FROM measure_move mm WHERE mm.measure_id = m.id) END"
)

#: per type, its promises with their day (``due``) and the day they stopped waiting (``done``): open on a
#: day when not done by then (the agenda, and the report's next steps, read them with this one rule)
SOURCES = {
    "request": f"""
        SELECT r.id, r.uuid, r.follow_up AS due, r.received_on AS date, r.type AS kind, r.notes, r.updated_at,
               c.name AS company, s.name AS site, r.closed_on AS done, {REQUEST_REGION} AS region_id
        FROM request r JOIN company c ON c.id = r.company_id LEFT JOIN site s ON s.id = r.site_id
        WHERE r.follow_up IS NOT NULL
    """,
    "nuisance": """
        SELECT n.id, n.uuid, n.follow_up AS due, n.reported_on AS date, n.types AS kind, n.notes, n.updated_at,
               c.name AS company, s.name AS site, n.closed_on AS done, s.region_id
        FROM nuisance n JOIN site s ON s.id = n.site_id LEFT JOIN company c ON c.id = n.company_id
        WHERE n.follow_up IS NOT NULL
    """,
    "measure": f"""
        SELECT m.id, m.uuid, m.due, (SELECT min(mm.date) FROM measure_move mm WHERE mm.measure_id = m.id) AS date,
               m.kind, m.notes, m.updated_at, m.owner AS company, s.name AS site, {_MEASURE_DONE} AS done,
               s.region_id
        FROM measure m JOIN nuisance n ON n.id = m.nuisance_id JOIN site s ON s.id = n.site_id
        WHERE m.due IS NOT NULL
    """,
}
_WHAT = {
    "request": "Request #{id} of {company} ({kind})",
    "nuisance": "Nuisance case #{id} at {site} ({kind})",
    "measure": "Measure #{id} ({kind}){by}",
}


def rows(store: Store, today: dt.date, horizon: dt.date, regions: Sequence[int] | None, everything: bool) -> list[Any]:
    """(type, row) for every promise of these records the agenda shows."""
    found = []
    names = {r[0]: r[1] for r in store.tuples("SELECT id, name FROM region")}
    for record_type, sql in SOURCES.items():
        for row in store.rows(sql):
            open_then = row["done"] is None or row["done"] > today.isoformat()
            if not everything and not (open_then and row["due"] <= horizon.isoformat()):
                continue
            if regions is not None and row["region_id"] not in regions:
                continue
            found.append((record_type, row, names.get(row["region_id"])))
    return found


def what(record_type: str, row: Any) -> str:
    kind = ", ".join(load_list(row["kind"])) if record_type == "nuisance" else row["kind"]
    by = f", by {row['company']}" if row["company"] else ""
    text = _WHAT[record_type].format(id=row["id"], company=row["company"], site=row["site"], kind=kind, by=by)
    note = (row["notes"] or "").strip().splitlines()
    return f"{text}: {note[0]}" if note else text
