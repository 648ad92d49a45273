"""Measures against a nuisance case, and the status moves that say how far each got.

A measure's moves (``measure_move``) are the events: proposed -> agreed ->
implemented -> evaluated (with an effect: solved, reduced, no-effect), or
rejected from any status before evaluated. Forward moves may skip a status; an
earlier status is a move back (``back=True``); no move is dated before the last.

One owner: :func:`settle_measures` stores each measure's ``status`` and
``effect`` as :func:`derive` reads them from its moves (the last by date, then
status order, then id), and every write here calls it. Because moves on one day
are read in status order, a move back withdraws the moves of its day that would
outrank it. :func:`differences` and :func:`repair` serve ``db check``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    check_uuid,
    date_value,
    given_id,
    insert_row,
    limit_sql,
    new_uuid,
    number_value,
    resolve,
    resolve_id,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import touch
from verweefcli.domain.tombstones import bury_rows
from verweefcli.errors import Conflict
from verweefcli.storage import Store, now_stamp

FIELDS = ("id", "uuid", "case", "site", "kind", "owner", "status", "effect", "due", "cost_eur", "notes")
PROPOSED, AGREED, IMPLEMENTED, EVALUATED, REJECTED = "proposed", "agreed", "implemented", "evaluated", "rejected"
#: the status order: how moves on one day are read, and which moves go back
ORDER = (PROPOSED, AGREED, IMPLEMENTED, EVALUATED, REJECTED)
SELECT = (  # the measures first, then each one's case and site: a plan that does not depend on statistics
    "SELECT m.*, s.name AS site_name FROM measure m "
    "CROSS JOIN nuisance n ON n.id = m.nuisance_id CROSS JOIN site s ON s.id = n.site_id"
)


@dataclass(frozen=True)
class Move:
    """One recorded status move."""

    id: int
    status: str
    date: str
    effect: str | None


def rank(status: str) -> int:
    return ORDER.index(status) if status in ORDER else len(ORDER)


def _order(move: Move) -> tuple[str, int, int]:
    return move.date, rank(move.status), move.id


def derive(moves: Iterable[Move]) -> tuple[str, str | None]:
    """A measure's status and effect: those of its last move (by date, then status order, then id)."""
    last = max(moves, key=_order, default=None)
    if last is None:
        return PROPOSED, None
    return last.status, last.effect if last.status == EVALUATED else None


def _ids_sql(ids: Sequence[int] | None, table: str, column: str) -> tuple[str, tuple[Any, ...]]:
    """``table``'s rows (as ``t``) whose ``column`` is one of ``ids`` (None: all), found through its index."""
    if ids is None:
        return f"{table} t", ()
    return f"json_each(?) AS wanted CROSS JOIN {table} t ON t.{column} = wanted.value", (json.dumps(list(ids)),)


def moves_of(store: Store, ids: Sequence[int] | None) -> dict[int, list[Move]]:
    """The moves of these measures (None: all), each list in order."""
    rows, params = _ids_sql(ids, "measure_move", "measure_id")
    found: dict[int, list[Move]] = {}
    for move_id, measure_id, status, date, effect in store.tuples(
        f"SELECT t.id, t.measure_id, t.status, t.date, t.effect FROM {rows}", params
    ):
        found.setdefault(measure_id, []).append(Move(move_id, status, date, effect))
    for moves in found.values():
        moves.sort(key=_order)
    return found


# -- the one owner of status and effect ----------------------------------------------


def _wrong(store: Store, ids: Sequence[int] | None) -> dict[int, tuple[str, str | None]]:
    """Measures whose stored status or effect is not what their moves give: id -> (status, effect)."""
    rows, params = _ids_sql(ids, "measure", "id")
    moves = moves_of(store, ids)
    wrong = {}
    for measure_id, status, effect in store.tuples(f"SELECT t.id, t.status, t.effect FROM {rows}", params):
        expected = derive(moves.get(measure_id, []))
        if (status, effect) != expected:
            wrong[measure_id] = expected
    return wrong


def settle_measures(store: Store, ids: Iterable[int] | None) -> int:
    """Store the status and effect their moves give for these measures (None: all); return how many changed."""
    wrong = _wrong(store, None if ids is None else sorted(set(ids)))
    if wrong:
        with store.write():
            store.executemany(  # derived from the moves: a move stamps the measure itself (see _record)
                "UPDATE measure SET status = ?, effect = ? WHERE id = ?",
                [(status, effect, measure_id) for measure_id, (status, effect) in wrong.items()],
            )
    return len(wrong)


def differences(store: Store) -> list[int]:
    """The measures whose stored status or effect differ from their moves' (``db check``)."""
    return sorted(_wrong(store, None))


def repair(store: Store) -> int:
    """Put every measure's status and effect right (``db check --repair``); return how many were wrong."""
    return settle_measures(store, None)


# -- values --------------------------------------------------------------------------


def _kind(store: Store, value: Any) -> str:
    kind = vocab_value(store, "measure_kinds", "kind", value)
    if kind is None:
        raise FieldError("kind", "a measure needs a kind (--kind): organisational, technical, spatial...")
    return kind


def prepare(store: Store, values: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    converters: dict[str, Callable[[Any], Any]] = {
        "kind": lambda v: _kind(store, v),
        "owner": lambda v: text_value({"owner": v}, "owner"),
        "due": lambda v: date_value("due", v, store.today),
        "cost_eur": lambda v: number_value("cost_eur", v, low=0),
        "notes": lambda v: text_value({"notes": v}, "notes"),
    }
    return {key: convert(values.get(key)) for key, convert in converters.items() if current is None or key in values}


def _day(store: Store, on: Any) -> str:
    return date_value("date", on, store.today) or store.today.isoformat()


# -- writing -------------------------------------------------------------------------


def add_measure(store: Store, case: str | int, values: dict[str, Any], *, on: Any = None) -> dict[str, Any]:
    """Add a measure to a case, proposed on ``on`` (default today)."""
    with store.write():
        measure_id = insert_measure(store, case, values, on=on)
    return get_measure(store, measure_id)


def insert_measure(store: Store, case: str | int, values: dict[str, Any], *, on: Any = None) -> int:
    """Validate and insert a measure with its first move (proposed), in the caller's transaction."""
    case_row = resolve(store, "nuisance", case)
    case_id, reported_on = case_row["id"], case_row["reported_on"]
    record = prepare(store, values)
    day = _day(store, on)
    if day < reported_on:
        raise FieldError("date", f"{day} is before the case was reported ({reported_on})")
    record["nuisance_id"] = case_id
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (measure_id := given_id(values)) is not None:
        record["id"] = measure_id
    record["created_at"] = record["updated_at"] = now_stamp()
    with store.write():
        measure_id = insert_row(store, "measure", record)
        touch(store, None, nuisance=[case_id])
        _record(store, measure_id, PROPOSED, day, None)
        settle_measures(store, [measure_id])
    return measure_id


def _record(store: Store, measure_id: int, status: str, day: str, effect: str | None) -> None:
    """A dated status move; the measure changed (a merge takes the measure with the later change)."""
    stamp = now_stamp()
    store.execute(
        "INSERT INTO measure_move (measure_id, status, date, effect, recorded_at) VALUES (?, ?, ?, ?, ?)",
        (measure_id, status, day, effect, stamp),
    )
    store.execute("UPDATE measure SET updated_at = ? WHERE id = ?", (stamp, measure_id))


def _check_move(measure_id: int, now: tuple[str, str | None], target: str, effect: str | None, back: bool) -> None:
    """Refuse a move the rules do not allow (``now``: the measure's status and effect)."""
    current = now[0]
    if effect is not None and target != EVALUATED:
        raise FieldError("effect", f"an effect goes with {EVALUATED} only, not {target}")
    if target == EVALUATED and effect is None:
        raise FieldError("effect", f"{EVALUATED} needs an effect (--effect): solved, reduced or no-effect")
    if now == (target, effect):
        raise Conflict(f"measure #{measure_id} is already {current}" + (f" ({effect})" if effect else ""))
    if target == REJECTED and current == EVALUATED:
        raise Conflict(
            f"measure #{measure_id} is {EVALUATED}: only a {PROPOSED}, {AGREED} or {IMPLEMENTED} measure "
            "can be rejected"
        )
    going_back = target != REJECTED and (current == REJECTED or rank(target) < rank(current))
    if going_back and not back:
        raise Conflict(f"measure #{measure_id} is {current}: moving it back to {target} needs --back")


@dataclass
class Moved:
    """What :func:`move_measure` did: the measure as it is now, and the moves of the day it withdrew."""

    measure: dict[str, Any]
    withdrawn: list[Move]


def move_measure(
    store: Store, ref: str | int, status: Any, *, on: Any = None, effect: Any = None, back: bool = False
) -> Moved:
    """Record a status move dated ``on`` (default today); see the module's rules."""
    with store.write():
        measure_id = int(resolve(store, "measure", ref)["id"])
        target = vocab_value(store, "measure_statuses", "status", status)
        if target is None:
            raise FieldError("status", f"a status is needed: {', '.join(ORDER)}")
        found = vocab_value(store, "nuisance_results", "effect", effect)
        moves = moves_of(store, [measure_id]).get(measure_id, [])
        _check_move(measure_id, derive(moves), target, found, back)
        day = _day(store, on)
        if moves and day < moves[-1].date:
            last = moves[-1]
            raise FieldError("date", f"{day} is before the measure's last move ({last.status} on {last.date})")
        withdrawn = [m for m in moves if m.date == day and rank(m.status) > rank(target)]
        store.executemany("DELETE FROM measure_move WHERE id = ?", [(m.id,) for m in withdrawn])
        if derive(m for m in moves if m not in withdrawn) != (target, found):
            _record(store, measure_id, target, day, found)
        settle_measures(store, [measure_id])
    return Moved(get_measure(store, measure_id), withdrawn)


def edit_measure(store: Store, ref: str | int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change the fields given; the status changes by moves only."""
    with store.write():
        row = resolve(store, "measure", ref)
        current = dict(row)
        update_changed(store, "measure", current, {**current, **prepare(store, changes, current)})
        settle_measures(store, [row["id"]])
        touch(store, None, nuisance=[row["nuisance_id"]])
    return get_measure(store, row["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    measure = get_measure(store, ref)
    count = store.value("SELECT count(*) FROM measure_move WHERE measure_id = ?", (measure["id"],))
    return measure, [f"its status history ({count} move(s)) goes"]


def remove_measure(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        measure = get_measure(store, ref)
        case_id = store.value("SELECT nuisance_id FROM measure WHERE id = ?", (measure["id"],))
        bury_rows(store, "measure", "id = ?", (measure["id"],))
        store.execute("DELETE FROM measure WHERE id = ?", (measure["id"],))  # its moves cascade
        touch(store, None, nuisance=[case_id])
    return measure


# -- reading -------------------------------------------------------------------------


def measure_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "case": row["nuisance_id"],
        "site": row["site_name"],
        "kind": row["kind"],
        "owner": row["owner"],
        "status": row["status"],
        "effect": row["effect"],
        "due": row["due"],
        "cost_eur": row["cost_eur"],
        "notes": row["notes"],
    }


def move_dicts(moves: Iterable[Move]) -> list[dict[str, Any]]:
    return [{"date": m.date, "status": m.status, "effect": m.effect} for m in moves]


def get_measure(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "measure", ref)
    full = store.row(SELECT + " WHERE m.id = ?", (row["id"],))
    assert full is not None
    return measure_dict(full)


def measure_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The measure with its status history, oldest first."""
    measure = get_measure(store, ref)
    measure["moves"] = move_dicts(moves_of(store, [measure["id"]]).get(measure["id"], []))
    return measure


def measures_of(store: Store, case_id: int) -> list[dict[str, Any]]:
    """A case's measures, each with its status history."""
    rows = store.rows(SELECT + " WHERE m.nuisance_id = ? ORDER BY m.id", (case_id,))
    moves = moves_of(store, [r["id"] for r in rows])
    return [{**measure_dict(r), "moves": move_dicts(moves.get(r["id"], []))} for r in rows]


def list_measures(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Measures by case, then in the order they were added."""
    filters = filters or Filters()
    query = Query()
    if case := getattr(filters, "case", None):
        query.add("m.nuisance_id = ?", resolve_id(store, "nuisance", case, "--case"))
    if filters.region:
        query.add("s.region_id = ?", resolve_id(store, "region", filters.region, "--region"))
    if filters.site:
        query.add("n.site_id = ?", resolve_id(store, "site", filters.site, "--site", extra="municipality"))
    if filters.kind:
        query.add("m.kind = ?", vocab_value(store, "measure_kinds", "--kind", filters.kind))
    if filters.status:
        query.add("m.status = ?", vocab_value(store, "measure_statuses", "--status", filters.status))
    sql = f"{SELECT}{query.sql()} ORDER BY m.nuisance_id, m.id{limit_sql(filters.limit)}"
    return [measure_dict(r) for r in store.rows(sql, query.params)]


# -- a whole history at once (imports) ------------------------------------------------------


def history(store: Store, measure_id: int) -> str:
    """The measure's moves as one text: ``proposed 2020-06-23; evaluated 2020-09-22 reduced``."""
    from verweefcli.domain.histories import history_text

    moves = moves_of(store, [measure_id]).get(measure_id, [])
    return history_text([(m.status, m.date, m.effect) for m in moves])


def record_history(store: Store, measure_id: int, text: Any) -> None:
    """Replace a measure's moves by those of ``text`` (an export's ``moves``); the first is its proposal,
    an ``evaluated`` move names its effect."""
    from verweefcli.domain.histories import parse_history

    moves = parse_history(store, text, "measure_statuses", "moves", extra="nuisance_results")
    if not moves:
        return
    if moves[0][0] != PROPOSED:
        raise FieldError("moves", f"the first move is the measure's proposal: {PROPOSED} DATE")
    for status, day, effect in moves:
        if (status == EVALUATED) != (effect is not None):
            raise FieldError("moves", f"{status} {day}: an effect goes with {EVALUATED}, and {EVALUATED} needs one")
    with store.write():
        store.execute("DELETE FROM measure_move WHERE measure_id = ?", (measure_id,))
        for status, day, effect in moves:
            _record(store, measure_id, status, day, effect)
        settle_measures(store, [measure_id])
