"""The rules for a company request's derived facts, as SQL: one owner each.

- :data:`STAGE_ON`: a request's stage on a day (``{day}``, an SQL expression) is
  the stage of its last move by then, by date and then by the order in which
  the moves were recorded (a move back on the day of a move forward wins).
  ``request.stage`` and ``request.closed_on`` are this rule on the day of the
  last move; the report applies it to the reference day.
- :data:`REGION`: a request's region (``r``: the request) is its site's, else
  its company's (:data:`verweefcli.domain.companies.REGION`). Read, never stored.
"""

from __future__ import annotations

from verweefcli.domain.companies import REGION as COMPANY_REGION
from verweefcli.storage import Store

STAGE_ON = (
    "(SELECT m.stage FROM request_move m WHERE m.request_id = r.id AND m.date <= {day} "
    "ORDER BY m.date DESC, m.id DESC LIMIT 1)"
)
REGION = (
    "coalesce((SELECT s.region_id FROM site s WHERE s.id = r.site_id), "
    f"(SELECT {COMPANY_REGION} FROM company c WHERE c.id = r.company_id))"
)


def region_of(store: Store, request_id: int) -> int | None:
    """A request's region (the rule above): an activity on it with no site nor region of its own takes it."""
    found = store.value(f"SELECT {REGION} FROM request r WHERE r.id = ?", (request_id,))
    return int(found) if found is not None else None
