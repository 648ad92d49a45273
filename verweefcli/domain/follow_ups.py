"""Follow-ups: what a coach promised, by when, and whether it was done.

A follow-up is a date on an activity (``follow_up``), with what was promised
(``follow_up_note``). Marking it done keeps it, with the day and how
(``follow_up_done``, ``follow_up_done_notes``): the history is not lost.

One rule for "open" everywhere (the agenda, ``activity list --due``, the
report): a follow-up is open on a day when it was not done by that day, and
overdue when it is open and due before that day. :data:`OPEN_ON` is that rule
in SQL; a past quarter's report thus still shows what was open then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from verweefcli.domain.common import FieldError, Query, load_list, resolve
from verweefcli.errors import Conflict, InvalidValue
from verweefcli.storage import Store
from verweefcli.textnorm import first_line

#: open on the day ``{ref}`` (SQL, on the activity's columns; ``{a}`` is its alias and a dot, or nothing)
OPEN_ON = "({a}follow_up IS NOT NULL AND ({a}follow_up_done IS NULL OR {a}follow_up_done > {ref}))"

#: the fields of an agenda item for scripts, in this order
FIELDS = (
    "due", "group", "type", "id", "uuid", "what", "note", "date", "kind", "title", "region", "sites", "contacts",
    "done", "done_notes",
)  # fmt: skip
#: what else has a day the agenda shows (see :mod:`verweefcli.domain.agenda_cases`)
TYPES = ("activity", "request", "nuisance", "measure")
#: the agenda's groups, in their order
GROUPS = ("overdue", "today", "this week", "next weeks", "later", "done")


def open_on(alias: str = "", ref: str = ":ref") -> str:
    """The rule in SQL: open on the day the parameter ``ref`` names (``?`` for a positional one)."""
    return OPEN_ON.format(a=f"{alias}." if alias else "", ref=ref)


def group_of(due: str, done: str | None, today: dt.date, horizon: dt.date) -> str:
    """Where a follow-up goes in the agenda on ``today``."""
    if done is not None and done <= today.isoformat():
        return "done"
    day = dt.date.fromisoformat(due)
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + dt.timedelta(days=6 - today.weekday()):
        return "this week"
    return "next weeks" if day <= horizon else "later"


@dataclass
class Item:
    """One follow-up in the agenda."""

    id: int
    uuid: str
    due: str
    group: str
    what: str  # the follow-up's note, else the activity's title, else the first line of its notes
    note: str | None
    date: str  # the activity's
    kind: str
    title: str | None
    region: str | None
    sites: list[str]
    contacts: list[str]
    done: str | None
    done_notes: str | None
    updated_at: str | None = None  # the record's last change (a calendar's LAST-MODIFIED)
    type: str = "activity"  # or request, nuisance, measure: what the day belongs to

    def as_dict(self) -> dict[str, Any]:
        """What scripts get (``--format json|csv``): every field in :data:`FIELDS`."""
        record = asdict(self)
        return {name: record[name] for name in FIELDS}


_AGENDA = """
    SELECT a.id, a.uuid, a.follow_up, a.follow_up_note, a.date, a.kind, a.title, a.notes,
           a.follow_up_done, a.follow_up_done_notes, a.updated_at, r.name AS region
    FROM activity a INDEXED BY activity_follow_up LEFT JOIN region r ON r.id = a.region_id
    WHERE a.follow_up IS NOT NULL{where}
    ORDER BY a.follow_up, a.id
"""


def agenda(
    store: Store, today: dt.date, *, regions: Sequence[int] | None = None, days: int = 28, everything: bool = False
) -> list[Item]:
    """The follow-ups open on ``today`` and due within ``days``, overdue ones first (``everything``:
    also those due later and those done), each with its sites and contacts."""
    horizon = today + dt.timedelta(days=days)
    query = Query()
    if not everything:
        query.add(open_on("a", "?"), today.isoformat())
        query.add("a.follow_up <= ?", horizon.isoformat())
    if regions is not None:
        query.add(f"a.region_id IN ({', '.join('?' for _ in regions)})", *regions)
    where = query.sql().replace(" WHERE ", " AND ", 1)
    rows = store.rows(_AGENDA.format(where=where), query.params)
    from verweefcli.domain.activities import link_names

    sites, contacts = link_names(store, [r["id"] for r in rows])
    items = [
        Item(
            id=r["id"],
            uuid=r["uuid"],
            due=r["follow_up"],
            group=group_of(r["follow_up"], r["follow_up_done"], today, horizon),
            what=r["follow_up_note"] or r["title"] or first_line(r["notes"]) or r["kind"],
            note=r["follow_up_note"],
            date=r["date"],
            kind=r["kind"],
            title=r["title"],
            region=r["region"],
            sites=sites[r["id"]],
            contacts=contacts[r["id"]],
            done=r["follow_up_done"],
            done_notes=r["follow_up_done_notes"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]
    items += _other_items(store, today, horizon, regions, everything)
    # by group, then by due day; an activity before another record due the same day
    return sorted(items, key=lambda item: (GROUPS.index(item.group), item.due, TYPES.index(item.type), item.id))


def _other_items(
    store: Store, today: dt.date, horizon: dt.date, regions: Sequence[int] | None, everything: bool
) -> list[Item]:
    """Requests', nuisance cases' and measures' days, as agenda items."""
    from verweefcli.domain import agenda_cases

    return [
        Item(
            id=row["id"],
            uuid=row["uuid"],
            due=row["due"],
            group=group_of(row["due"], row["done"], today, horizon),
            what=agenda_cases.what(record_type, row),
            note=None,
            date=row["date"],
            kind=row["kind"] if record_type != "nuisance" else ", ".join(load_list(row["kind"])),
            title=None,
            region=region,
            sites=[row["site"]] if row["site"] else [],
            contacts=[],
            done=row["done"],
            done_notes=None,
            updated_at=row["updated_at"],
            type=record_type,
        )
        for record_type, row, region in agenda_cases.rows(store, today, horizon, regions, everything)
    ]


# -- done ------------------------------------------------------------------------------


def mark_done(store: Store, ref: str | int, day: dt.date, notes: str | None = None) -> dict[str, Any]:
    """Mark an activity's follow-up done on ``day`` (kept, with how); not twice, not in the future."""
    from verweefcli.domain.activities import edit_activity, get_activity

    with store.write():
        activity = get_activity(store, ref)
        if activity["follow_up"] is None:
            raise Conflict(
                f"activity #{activity['id']} has no follow-up to mark done "
                f"(give it one: verweef activity edit {activity['id']} --follow-up DATE)"
            )
        if activity["follow_up_done"] is not None:
            raise Conflict(
                f"the follow-up of activity #{activity['id']} was already done on {activity['follow_up_done']} "
                f"(verweef done {activity['id']} --undo takes that back)"
            )
        if day > store.today:
            raise FieldError("--date", f"{day.isoformat()} is in the future: a follow-up is done when it is done")
        changes = {"follow_up_done": day, "follow_up_done_notes": notes}
        return edit_activity(store, activity["id"], {k: v for k, v in changes.items() if v is not None})


def undo_done(store: Store, ref: str | int) -> dict[str, Any]:
    """Take back that a follow-up was done: it is open again (how it was done goes too)."""
    from verweefcli.domain.activities import edit_activity, get_activity

    with store.write():
        activity = get_activity(store, ref)
        if activity["follow_up_done"] is None:
            raise Conflict(f"the follow-up of activity #{activity['id']} is not marked done")
        return edit_activity(store, activity["id"], {"follow_up_done": "none", "follow_up_done_notes": ""})


# -- activity list --due --------------------------------------------------------------


def add_due_filter(query: Query, due: str, today: dt.date) -> None:
    """``overdue``, ``today``, ``week`` (up to Sunday) or a date (due by then): open follow-ups only."""
    from verweefcli.dates import parse_date

    word = due.strip().lower()
    query.add(open_on("a", "?"), today.isoformat())
    if word in ("overdue", "achterstallig"):
        query.add("a.follow_up < ?", today.isoformat())
    elif word in ("today", "vandaag"):
        query.add("a.follow_up <= ?", today.isoformat())
    elif word in ("week", "this week", "deze week"):
        query.add("a.follow_up <= ?", (today + dt.timedelta(days=6 - today.weekday())).isoformat())
    else:
        try:
            query.add("a.follow_up <= ?", parse_date(due, today).isoformat())
        except InvalidValue as exc:
            raise FieldError("--due", f"{exc}; or overdue, today, week") from None


def resolve_regions(store: Store, region: str | None, coach: str | None) -> list[int] | None:
    """The regions chosen by ``--region`` and/or ``--coach`` (None: all)."""
    from verweefcli.textnorm import fold

    if region is None and coach is None:
        return None
    chosen = []
    if region is not None:
        chosen.append(int(resolve(store, "region", region)["id"]))
    if coach is not None:
        wanted = fold(coach)
        found = [int(r[0]) for r in store.rows("SELECT id, coach FROM region") if r[1] and wanted in fold(r[1])]
        if not found:
            raise FieldError("--coach", f"no region has a coach named like {coach!r}")
        chosen = [i for i in found if i in chosen] if region is not None else found
    return chosen
