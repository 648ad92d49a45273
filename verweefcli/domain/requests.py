"""Company requests: what a company asked a coach for, followed from received to closed.

A request goes through stages (``received``, ``intake``, ``analysis``,
``advice``, ``follow-up``, ``closed``), each a dated move recorded in
``request_move``; adding a request records its first, ``received`` on the day it
came in. The rules of a move (:func:`move_request`, :func:`close_request`):

- a move is never dated before the request's last move;
- forward, stages may be skipped; to an earlier stage only when asked
  (``back=True``, ``--back``): never silently backwards;
- to ``closed`` only with an outcome (and the site it ended on, if any); a move
  back from ``closed`` clears them.

Its current ``stage`` and ``closed_on`` are derived from the moves by one rule
(:data:`verweefcli.domain.request_rules.STAGE_ON`: the last move, by date and
then by the order they were recorded), stored by one owner, :func:`settle`,
which every write path calls; ``db check`` compares with :func:`differences`
and puts right with :func:`repair`. Its region is read, never stored: its
site's, else its company's (:data:`verweefcli.domain.request_rules.REGION`).
An activity may be work on a request (``activity.request_id``): its hours are
theirs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_period_filter,
    check_uuid,
    date_value,
    given_id,
    insert_row,
    limit_sql,
    new_uuid,
    number_value,
    required_date,
    resolve,
    resolve_id,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import touch
from verweefcli.domain.request_rules import REGION, STAGE_ON
from verweefcli.domain.tombstones import bury_rows
from verweefcli.errors import Conflict, InvalidValue
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold
from verweefcli.vocab import REQUEST_STAGES

FIELDS = (
    "id",
    "uuid",
    "company",
    "type",
    "site",
    "received_on",
    "space_m2",
    "stage",
    "closed_on",
    "outcome",
    "outcome_site",
    "region",
    "follow_up",
    "notes",
)
RECEIVED, CLOSED = "received", "closed"
#: the stages in their order
STAGES = tuple(REQUEST_STAGES)
_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
#: the stage filter of ``request list`` that means every stage but closed
OPEN = "open"

SELECT = (
    "SELECT r.*, c.name AS company_name, rs.name AS site_name, os.name AS outcome_site_name, g.name AS region_name "
    "FROM request r CROSS JOIN company c ON c.id = r.company_id "
    "LEFT JOIN site rs ON rs.id = r.site_id LEFT JOIN site os ON os.id = r.outcome_site_id "
    f"LEFT JOIN region g ON g.id = {REGION}"
)


def request_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "company": row["company_name"],
        "type": row["type"],
        "site": row["site_name"],
        "received_on": row["received_on"],
        "space_m2": row["space_m2"],
        "stage": row["stage"],
        "closed_on": row["closed_on"],
        "outcome": row["outcome"],
        "outcome_site": row["outcome_site_name"],
        "region": row["region_name"],
        "follow_up": row["follow_up"],
        "notes": row["notes"],
    }


# -- the one owner of stage and closed_on ---------------------------------------------------

#: a request's stage after its last move (the rule on a day after every move), and that move's date
_EXPECTED = f"""
    SELECT r.id, r.stage, r.closed_on, {STAGE_ON.format(day="'9999-12-31'")} AS expected,
           (SELECT max(m.date) FROM request_move m WHERE m.request_id = r.id) AS last_day
    FROM {{rows}}
"""
#: all requests, or those of ``:ids`` found by id whatever SQLite's statistics say
_ALL, _ONLY = "request r", "json_each(:ids) AS wanted CROSS JOIN request r ON r.id = wanted.value"


def expected_state(stage: str | None, last_day: str | None) -> tuple[str, str | None]:
    """(stage, closed_on) from the stage of the last move and its date; no move at all: received."""
    if stage is None:
        return RECEIVED, None
    return stage, last_day if stage == CLOSED else None


def _wrong(store: Store, ids: Sequence[int] | None) -> list[tuple[int, str, str | None]]:
    """(id, stage, closed_on) as they should be, for the requests (None: all) whose stored ones differ."""
    sql = _EXPECTED.format(rows=_ONLY if ids is not None else _ALL) + " ORDER BY r.id"
    found = []
    for request_id, stage, closed_on, expected, last_day in store.tuples(sql, {"ids": json.dumps(list(ids or []))}):
        should = expected_state(expected, last_day)
        if (stage, closed_on) != should:
            found.append((request_id, *should))
    return found


def settle(store: Store, ids: Sequence[int] | None) -> int:
    """Store the stage and closed_on the moves give, for these requests (None: all); return how many changed.
    Every write of a request calls it: the search rows of the requests it names are refreshed too."""
    wrong = _wrong(store, ids)
    with store.write():
        if wrong:  # derived from the moves: a move stamps the request itself (see _record_move)
            store.executemany(
                "UPDATE request SET stage = ?, closed_on = ? WHERE id = ?",
                [(stage, closed_on, request_id) for request_id, stage, closed_on in wrong],
            )
        if ids is not None:
            touch(store, None, request=ids)
    return len(wrong)


def differences(store: Store) -> list[int]:
    """Ids of the requests whose stored stage or closed_on is not what their moves give (``db check``)."""
    return [request_id for request_id, _, _ in _wrong(store, None)]


def repair(store: Store) -> int:
    """Put every request's stage and closed_on right (``db check --repair``); return how many changed."""
    return settle(store, None)


# -- values --------------------------------------------------------------------------------


def _required(store: Store, vocabulary: str, field: str, value: Any, what: str) -> str:
    key = vocab_value(store, vocabulary, field, value)
    if key is None:
        raise FieldError(field, f"{what} ({', '.join(store.vocab.terms(vocabulary))})")
    return key


def prepare(
    store: Store, values: dict[str, Any], current: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    resolver = resolver or Resolver(store)
    record: dict[str, Any] = {}
    if current is None or "company" in values:
        company = values.get("company")
        if company is None or not str(company).strip():
            raise FieldError("company", "a request needs a company")
        record["company_id"] = resolver.id("company", company, "company")
    if current is None or "type" in values:
        record["type"] = _required(store, "request_types", "type", values.get("type"), "a request needs a type")
    if current is None or "site" in values:
        record["site_id"] = resolver.optional_id("site", values.get("site"), "site")
    if current is None or "received_on" in values:
        record["received_on"] = required_date("received_on", values.get("received_on"), store.today)
    if current is None or "space_m2" in values:
        record["space_m2"] = number_value("space_m2", values.get("space_m2"), low=0)
    if current is None or "follow_up" in values:
        record["follow_up"] = date_value("follow_up", values.get("follow_up"), store.today)
    if current is None or "notes" in values:
        record["notes"] = text_value(values, "notes")
    return record


def _check(record: dict[str, Any]) -> None:
    if record["follow_up"] is not None and record["follow_up"] < record["received_on"]:
        raise FieldError(
            "follow_up",
            f"the follow-up ({record['follow_up']}) is before the request came in ({record['received_on']})",
        )


def _check_free(store: Store, record: dict[str, Any]) -> None:
    """An id or uuid given (imports) that another request already has."""
    for column in ("id", "uuid"):
        if column in record and store.value(f"SELECT 1 FROM request WHERE {column} = ?", (record[column],)):
            raise Conflict(f"a request with {column} {record[column]} already exists")


# -- writing ---------------------------------------------------------------------------------


def add_request(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    """Add a request, received on ``received_on`` (default today)."""
    with store.write():
        request_id = insert_request(store, values)
    return get_request(store, request_id)


def insert_request(store: Store, values: dict[str, Any], *, resolver: Resolver | None = None) -> int:
    """Validate and insert a request with its first move (received), in the caller's transaction."""
    received = values.get("received_on")
    if received is None or not str(received).strip():
        values = {**values, "received_on": store.today}
    record = prepare(store, values, resolver=resolver)
    _check(record)
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (request_id := given_id(values)) is not None:
        record["id"] = request_id
    _check_free(store, record)
    record["stage"], record["closed_on"] = RECEIVED, None
    record["created_at"] = record["updated_at"] = now_stamp()
    with store.write():
        request_id = insert_row(store, "request", record)
        _record_move(store, request_id, RECEIVED, record["received_on"])
        settle(store, [request_id])
    return request_id


def _record_move(store: Store, request_id: int, stage: str, day: str, outcome: str | None = None) -> None:
    """A dated move; the request changed (a merge takes the request with the later change)."""
    stamp = now_stamp()
    store.execute(
        "INSERT INTO request_move (request_id, stage, date, outcome, recorded_at) VALUES (?, ?, ?, ?, ?)",
        (request_id, stage, day, outcome, stamp),
    )
    store.execute("UPDATE request SET updated_at = ? WHERE id = ?", (stamp, request_id))


def moves_of(store: Store, request_id: int) -> list[tuple[str, str]]:
    """(stage, date) of a request's moves, in the order that counts: by date, then as recorded."""
    return [
        (r[0], r[1])
        for r in store.tuples(
            "SELECT stage, date FROM request_move WHERE request_id = ? ORDER BY date, id", (request_id,)
        )
    ]


def _move_day(store: Store, request_id: int, moves: list[tuple[str, str]], on: Any) -> str:
    """The day of a new move (default today): not before the last move's."""
    day = required_date("date", on, store.today) if on is not None else store.today.isoformat()
    if moves and day < moves[-1][1]:
        stage, last = moves[-1]
        raise FieldError(
            "date", f"{day} is before request #{request_id}'s last move ({stage} on {last}): moves go forward in time"
        )
    return day


def move_request(store: Store, ref: str | int, stage: str, on: Any = None, back: bool = False) -> dict[str, Any]:
    """Move a request to ``stage`` as of ``on`` (default today); an earlier stage only with ``back``."""
    with store.write():
        row = resolve(store, "request", ref)
        rid = row["id"]
        target = _required(store, "request_stages", "stage", stage, "a move needs a stage")
        if target == CLOSED:
            raise InvalidValue(f"closing a request needs its outcome: verweef request close {rid} --outcome OUTCOME")
        moves = moves_of(store, rid)
        now = moves[-1][0] if moves else RECEIVED
        if target == now:
            raise Conflict(f"request #{rid} is already at {now}")
        if _RANK.get(target, len(STAGES)) < _RANK.get(now, len(STAGES)) and not back:
            raise Conflict(
                f"request #{rid} is at {now}, and {target} comes before it: add --back to move it back"
                + (" (its outcome is cleared)" if now == CLOSED else "")
            )
        _record_move(store, rid, target, _move_day(store, rid, moves, on))
        if now == CLOSED:
            store.execute(
                "UPDATE request SET outcome = NULL, outcome_site_id = NULL, updated_at = ? WHERE id = ?",
                (now_stamp(), rid),
            )
        settle(store, [rid])
    return get_request(store, rid)


def close_request(
    store: Store, ref: str | int, outcome: Any, site: str | None = None, on: Any = None
) -> dict[str, Any]:
    """Close a request with its outcome (and the site it ended on), as of ``on`` (default today)."""
    with store.write():
        row = resolve(store, "request", ref)
        rid = row["id"]
        key = _required(store, "request_outcomes", "outcome", outcome, "closing a request needs its outcome")
        site_id = Resolver(store).optional_id("site", site, "site")
        moves = moves_of(store, rid)
        if moves and moves[-1][0] == CLOSED:
            raise Conflict(
                f"request #{rid} is already closed (on {moves[-1][1]}, {row['outcome']}); "
                f"to change its outcome: verweef request edit {rid} --outcome OUTCOME"
            )
        _record_move(store, rid, CLOSED, _move_day(store, rid, moves, on), key)
        store.execute(
            "UPDATE request SET outcome = ?, outcome_site_id = ?, updated_at = ? WHERE id = ?",
            (key, site_id, now_stamp(), rid),
        )
        settle(store, [rid])
    return get_request(store, rid)


def _outcome_changes(store: Store, row: sqlite3.Row, changes: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """A closed request's outcome and outcome site, changed by ``edit``."""
    if "outcome" not in changes and "outcome_site" not in changes:
        return {}
    if row["stage"] != CLOSED:
        field = "outcome" if "outcome" in changes else "outcome_site"
        raise FieldError(field, f"only a closed request has an outcome: verweef request close {row['id']} --outcome")
    record: dict[str, Any] = {}
    if "outcome" in changes:
        record["outcome"] = _required(
            store, "request_outcomes", "outcome", changes["outcome"], "a closed request keeps an outcome"
        )
        store.execute(  # the closing move in effect says how it ended
            "UPDATE request_move SET outcome = ? WHERE id = (SELECT id FROM request_move WHERE request_id = ? "
            "AND stage = 'closed' ORDER BY date DESC, id DESC LIMIT 1)",
            (record["outcome"], row["id"]),
        )
    if "outcome_site" in changes:
        record["outcome_site_id"] = resolver.optional_id("site", changes["outcome_site"], "outcome_site")
    return record


def _move_received(store: Store, request_id: int, day: str) -> None:
    """A new ``received_on`` is its first move's date: not after any later move."""
    first = store.row(
        "SELECT id FROM request_move WHERE request_id = ? ORDER BY date, id LIMIT 1",
        (request_id,),
    )
    later = store.row(
        "SELECT stage, date FROM request_move WHERE request_id = ? AND id != ? AND date < ? ORDER BY date LIMIT 1",
        (request_id, first["id"] if first else 0, day),
    )
    if later is not None:
        raise FieldError("received_on", f"{day} is after the request's move to {later['stage']} on {later['date']}")
    if first is None:
        _record_move(store, request_id, RECEIVED, day)
    else:
        store.execute("UPDATE request_move SET date = ? WHERE id = ?", (day, first["id"]))


def edit_request(store: Store, ref: str | int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change fields; a new ``received_on`` moves its first move; a closed request's outcome may change."""
    with store.write():
        row = resolve(store, "request", ref)
        current = dict(row)
        resolver = Resolver(store)
        record = {**current, **prepare(store, changes, current, resolver)}
        record.update(_outcome_changes(store, row, changes, resolver))
        _check(record)
        update_changed(store, "request", current, record)
        if record["received_on"] != current["received_on"]:
            _move_received(store, row["id"], record["received_on"])
        settle(store, [row["id"]])
    return get_request(store, row["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    request = get_request(store, ref)
    rid = request["id"]
    moves = store.value("SELECT count(*) FROM request_move WHERE request_id = ?", (rid,))
    activities = store.value("SELECT count(*) FROM activity WHERE request_id = ?", (rid,))
    effects = [f"its history of {moves} move(s) goes"]
    if activities:
        what = "activity stays but no longer names" if activities == 1 else "activities stay but no longer name"
        effects.append(f"{activities} {what} it")
    return request, effects


def remove_request(store: Store, ref: str | int) -> dict[str, Any]:
    """Remove a request and its moves; the activities on it stay, naming no request."""
    with store.write():
        request = get_request(store, ref)
        rid = request["id"]
        # what the foreign keys do, done here too: an import may write with their checks off
        store.execute("UPDATE activity SET request_id = NULL, updated_at = ? WHERE request_id = ?", (now_stamp(), rid))
        store.execute("DELETE FROM request_move WHERE request_id = ?", (rid,))
        bury_rows(store, "request", "id = ?", (rid,))
        store.execute("DELETE FROM request WHERE id = ?", (rid,))
        touch(store, None, request=[rid])
    return request


# -- reading ---------------------------------------------------------------------------------


def get_request(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "request", ref)
    full = store.row(SELECT + " WHERE r.id = ?", (row["id"],))
    assert full is not None
    return request_dict(full)


def request_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The request with its moves (oldest first), its activities (newest first) and the hours spent on it."""
    request = get_request(store, ref)
    rid = request["id"]
    request["moves"] = [{"stage": stage, "date": day} for stage, day in moves_of(store, rid)]
    request["activities"] = [
        {"id": r["id"], "date": r["date"], "kind": r["kind"], "title": r["title"], "minutes": r["minutes"]}
        for r in store.rows(
            "SELECT id, date, kind, title, minutes FROM activity WHERE request_id = ? ORDER BY date DESC, id DESC",
            (rid,),
        )
    ]
    minutes = sum(a["minutes"] or 0 for a in request["activities"])
    request["hours"] = (minutes * 10 + 30) // 60 / 10  # to 0.1 h, a half up
    return request


def _stage_filter(store: Store, query: Query, stage: str) -> None:
    if fold(stage) == OPEN:
        query.add("r.stage != ?", CLOSED)
        return
    try:
        query.add("r.stage = ?", store.vocab.resolve("request_stages", stage))
    except InvalidValue:
        known = ", ".join([OPEN, *store.vocab.request_stages])
        raise FieldError("--stage", f"unknown request stage {stage!r} (known: {known})") from None


def list_requests(store: Store, filters: Filters | None = None, *, company: str | None = None) -> list[dict[str, Any]]:
    """Requests, newest first (``filters.kind``: the type, ``status``: a stage or ``open``, ``period``: received)."""
    filters = filters or Filters()
    query = Query()
    if filters.region:
        query.add(f"{REGION} = ?", resolve_id(store, "region", filters.region, "--region"))
    if company:
        query.add("r.company_id = ?", resolve_id(store, "company", company, "--company", extra="enterprise_number"))
    if filters.kind:
        query.add("r.type = ?", vocab_value(store, "request_types", "--type", filters.kind))
    if filters.status:
        _stage_filter(store, query, filters.status)
    add_period_filter(query, "r.received_on", filters.period)
    sql = f"{SELECT}{query.sql()} ORDER BY r.received_on DESC, r.id DESC{limit_sql(filters.limit)}"
    return [request_dict(r) for r in store.rows(sql, query.params)]


# -- a whole history at once (imports) ------------------------------------------------------


def history(store: Store, request_id: int) -> str:
    """The request's moves as one text: ``received 2020-03-12; intake 2020-04-14`` (see domain.histories)."""
    from verweefcli.domain.histories import history_text

    rows = store.tuples(
        "SELECT stage, date, outcome FROM request_move WHERE request_id = ? ORDER BY date, id", (request_id,)
    )
    return history_text([(stage, day, outcome) for stage, day, outcome in rows])


def record_history(store: Store, request_id: int, text: Any, outcome: Any = None, outcome_site: Any = None) -> None:
    """Replace a request's moves by those of ``text`` (an export's ``moves``), back moves included:
    the first is its receipt; a history that ends closed needs its ``outcome`` (and site, if any)."""
    from verweefcli.domain.histories import parse_history

    moves = parse_history(store, text, "request_stages", "moves", extra="request_outcomes")
    if not moves:
        return
    if any(stage == CLOSED and not ended for stage, _, ended in moves[:-1]):
        raise FieldError("moves", "a closing move before the last names its outcome: closed DATE OUTCOME")
    received = store.value("SELECT received_on FROM request WHERE id = ?", (request_id,))
    if moves[0][:2] != (RECEIVED, received):
        raise FieldError("moves", f"the first move is the request's receipt: {RECEIVED} {received}")
    with store.write():
        store.execute("DELETE FROM request_move WHERE request_id = ?", (request_id,))
        for stage, day, ended in moves:  # a closing move without its outcome: the request's
            _record_move(store, request_id, stage, day, (ended or outcome) if stage == CLOSED else None)
        key = site_id = None
        if moves[-1][0] == CLOSED:
            ended = moves[-1][2] or outcome
            key = _required(store, "request_outcomes", "outcome", ended, "a closed request needs its outcome")
            site_id = Resolver(store).optional_id("site", outcome_site, "outcome_site")
        store.execute("UPDATE request SET outcome = ?, outcome_site_id = ? WHERE id = ?", (key, site_id, request_id))
        settle(store, [request_id])
