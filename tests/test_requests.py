"""Company requests: a pipeline of dated moves with an outcome (``verweef request``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verweefcli.domain import companies, regions, requests, sites
from verweefcli.errors import Conflict, VerweefError
from verweefcli.storage import MEMORY, Store, open_store


def as_json(run: Run, *args: str) -> Any:
    return json.loads(run(*args, "-f", "json").stdout)


def request(run: Run, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = as_json(run, "request", *args)
    return found


def one_line_error(cli: Run, db_file: Path, *args: str) -> str:
    """Run a command that must fail: exit 1, one line, nothing changed; its message."""
    before = dump(db_file)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert dump(db_file) == before
    return lines[0]


@pytest.fixture
def zwaan(gent: Run) -> Run:
    """The `gent` database with the company on the site Brouwerij De Zwaan."""
    gent("company", "add", "Brouwerij De Zwaan", "--site", "Brouwerij De Zwaan")
    return gent


def test_the_whole_pipeline(zwaan: Run) -> None:
    added = request(
        zwaan, "add", "Brouwerij De Zwaan", "--type", "Uitbreiding ter plaatse", "--space-m2", "1.200,5",
        "--date", "2026-01-05", "--follow-up", "2026-02-01", "--notes", "Wil een tweede hal",
    )  # fmt: skip
    assert (added["type"], added["stage"], added["received_on"]) == ("expansion", "received", "2026-01-05")
    assert (added["space_m2"], added["region"], added["closed_on"], added["outcome"]) == (1200.5, "Gent", None, None)
    rid = str(added["id"])
    for stage, day in (("intake", "2026-01-08"), ("analysis", "2026-01-20"), ("advice", "2026-02-03")):
        moved = request(zwaan, "move", rid, stage, "--date", day)
        assert (moved["stage"], moved["closed_on"]) == (stage, None)
    assert (
        "Moved request #1 (Brouwerij De Zwaan, expansion) to follow-up."
        in zwaan("request", "move", rid, "opvolging", "--date", "2026-02-10").stdout
    )
    zwaan("site", "add", "Zone Noord", "--region", "Gent")
    closed = request(
        zwaan, "close", rid, "--outcome", "moved-to-business-park", "--site", "Zone Noord", "--date", "2026-03-01"
    )
    assert (closed["stage"], closed["closed_on"]) == ("closed", "2026-03-01")
    assert (closed["outcome"], closed["outcome_site"]) == ("moved-to-business-park", "Zone Noord")
    shown = request(zwaan, "show", rid)
    assert [(m["stage"], m["date"]) for m in shown["moves"]] == [
        ("received", "2026-01-05"),
        ("intake", "2026-01-08"),
        ("analysis", "2026-01-20"),
        ("advice", "2026-02-03"),
        ("follow-up", "2026-02-10"),
        ("closed", "2026-03-01"),
    ]
    table = zwaan("request", "show", rid).stdout
    assert "Moves" in table and "follow-up" in table and "0 hours on it" in table


def test_forward_may_skip_stages(zwaan: Run) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    assert request(zwaan, "move", "1", "analysis", "--date", "2026-01-06")["stage"] == "analysis"
    assert request(zwaan, "move", "#1", "follow-up", "--date", "2026-01-06")["stage"] == "follow-up"  # same day


def test_back_only_with_back(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    zwaan("request", "move", "1", "advice", "--date", "2026-01-10")
    message = one_line_error(cli, db_file, "request", "move", "1", "intake", "--date", "2026-01-11")
    assert "is at advice" in message and "--back" in message
    # a move back on the day of the last move is the last move (moves count in the order they were made)
    assert request(zwaan, "move", "1", "intake", "--date", "2026-01-10", "--back")["stage"] == "intake"
    assert "already at intake" in one_line_error(cli, db_file, "request", "move", "1", "intake", "--back")


def test_back_from_closed_clears_the_outcome(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "relocation", "--date", "2026-01-05")
    zwaan("request", "close", "1", "--outcome", "no-solution", "--site", "Oude Weverij", "--date", "2026-01-09")
    assert "is at closed" in one_line_error(cli, db_file, "request", "move", "1", "advice", "--date", "2026-01-10")
    reopened = request(zwaan, "move", "1", "advice", "--date", "2026-01-10", "--back")
    assert (reopened["stage"], reopened["closed_on"], reopened["outcome"], reopened["outcome_site"]) == (
        "advice",
        None,
        None,
        None,
    )


def test_a_move_before_the_last_is_refused(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    zwaan("request", "move", "1", "intake", "--date", "2026-01-10")
    message = one_line_error(cli, db_file, "request", "move", "1", "analysis", "--date", "2026-01-09")
    assert "before request #1's last move (intake on 2026-01-10)" in message
    assert "before request #1's last move" in one_line_error(
        cli, db_file, "request", "close", "1", "--outcome", "withdrawn", "--date", "2026-01-04"
    )
    assert "before" in one_line_error(cli, db_file, "request", "move", "1", "analysis", "--date", "2026-01-04")


def test_closing_needs_an_outcome(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    assert "closing a request needs its outcome" in one_line_error(cli, db_file, "request", "close", "1")
    assert "request close 1 --outcome" in one_line_error(cli, db_file, "request", "move", "1", "closed")
    assert "unknown request outcome 'happy'" in one_line_error(
        cli, db_file, "request", "close", "1", "--outcome", "happy"
    )
    assert "no site named 'Nergens'" in one_line_error(
        cli, db_file, "request", "close", "1", "--outcome", "withdrawn", "--site", "Nergens"
    )
    closed = request(zwaan, "close", "1", "--outcome", "Ingetrokken", "--date", "2026-01-05")  # a Dutch label
    assert (closed["outcome"], closed["outcome_site"], closed["closed_on"]) == ("withdrawn", None, "2026-01-05")
    assert "already closed" in one_line_error(cli, db_file, "request", "close", "1", "--outcome", "withdrawn")


def test_hours_come_from_the_activities_on_it(zwaan: Run) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-05")
    added = as_json(zwaan, "activity", "add", "--kind", "request", "--region", "Gent", "--request", "1",
                    "--minutes", "90", "--date", "2026-01-06", "--title", "Intake")  # fmt: skip
    assert added["request"] == 1
    assert (
        "(on request #1)"
        in zwaan(
            "visit", "add", "Brouwerij De Zwaan", "--request", "#1", "--minutes", "45", "--date", "2026-01-07"
        ).stdout
    )
    other = as_json(zwaan, "activity", "add", "--kind", "dossier", "--region", "Gent", "--minutes", "30")
    assert other["request"] is None
    shown = request(zwaan, "show", "1")
    assert shown["hours"] == 2.3  # 135 minutes, to 0.1 h
    assert [(a["id"], a["kind"], a["minutes"]) for a in shown["activities"]] == [(2, "visit", 45), (1, "request", 90)]
    assert [a["id"] for a in as_json(zwaan, "activity", "list", "--request", "1")] == [2, 1]
    assert as_json(zwaan, "activity", "edit", "2", "--no-request")["request"] is None
    assert request(zwaan, "show", "1")["hours"] == 1.5
    assert as_json(zwaan, "activity", "edit", str(other["id"]), "--request", "1")["request"] == 1
    assert request(zwaan, "show", "1")["hours"] == 2.0


@pytest.mark.usefixtures("zwaan")
def test_linking_an_unknown_request_changes_nothing(cli: Run, db_file: Path) -> None:
    assert "no request with id 7" in one_line_error(
        cli, db_file, "activity", "add", "--kind", "request", "--region", "Gent", "--request", "7"
    )
    assert "refer to a request by its id" in one_line_error(cli, db_file, "activity", "list", "--request", "Zwaan")


def test_removing_a_request_keeps_its_activities(zwaan: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-05")
    zwaan("request", "move", "1", "intake", "--date", "2026-01-06")
    zwaan("activity", "add", "--kind", "request", "--region", "Gent", "--request", "1", "--date", "2026-01-06")
    out = zwaan("request", "remove", "1", "--yes").stdout
    assert "Removed request #1 (Brouwerij De Zwaan, expansion)." in out and "1 activity stays" in out
    assert as_json(zwaan, "request", "list") == []
    assert as_json(zwaan, "activity", "show", "1")["request"] is None
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT count(*) FROM request_move").fetchone()[0] == 0


def test_the_region_is_its_sites_else_its_companys(zwaan: Run) -> None:
    zwaan("region", "add", "Aalst", "-m", "Aalst")
    zwaan("company", "add", "Metaal Verhaeghe", "--region", "Aalst")
    assert request(zwaan, "add", "Brouwerij De Zwaan", "--type", "expansion")["region"] == "Gent"  # its company's site
    assert request(zwaan, "add", "Metaal Verhaeghe", "--type", "relocation")["region"] == "Aalst"  # its company's
    on_site = request(zwaan, "add", "Metaal Verhaeghe", "--type", "relocation", "--site", "Oude Weverij")
    assert (on_site["site"], on_site["region"]) == ("Oude Weverij", "Gent")  # its site's
    assert [r["id"] for r in as_json(zwaan, "request", "list", "--region", "Aalst")] == [2]
    assert request(zwaan, "edit", "3", "--site", "")["region"] == "Aalst"  # read, not stored


def test_list_filters(zwaan: Run) -> None:
    zwaan("company", "add", "Metaal Verhaeghe", "--region", "Gent")
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-05")
    zwaan("request", "add", "Metaal Verhaeghe", "--type", "permit", "--date", "2026-04-02")
    zwaan("request", "add", "Metaal Verhaeghe", "--type", "expansion", "--date", "2026-05-10")
    zwaan("request", "move", "2", "analysis", "--date", "2026-04-03")
    zwaan("request", "close", "3", "--outcome", "grew-on-site", "--date", "2026-05-11")

    def ids(*args: str) -> list[int]:
        return [r["id"] for r in as_json(zwaan, "request", "list", *args)]

    assert ids() == [3, 2, 1]  # newest first
    assert ids("--company", "Metaal Verhaeghe") == [3, 2]
    assert ids("--type", "expansion") == [3, 1]
    assert ids("--stage", "open") == [2, 1]
    assert ids("--stage", "Afgesloten") == [3]
    assert ids("--stage", "analysis") == [2]
    assert ids("--quarter", "2026Q2") == [3, 2]
    assert ids("--since", "2026-04-03", "--until", "2026-12-31") == [3]
    assert ids("--limit", "1") == [3]
    assert ids("--region", "Gent", "--type", "permit", "--stage", "open") == [2]
    table = zwaan("request", "list").stdout
    assert "Metaal Verhaeghe" in table and "3 requests" in table


def test_json_and_csv_carry_the_fields(zwaan: Run) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-05", "--notes", "=1+1")
    listed = as_json(zwaan, "request", "list")
    assert tuple(listed[0]) == requests.FIELDS
    rows = list(csv.reader(io.StringIO(zwaan("request", "list", "-f", "csv").stdout)))
    assert tuple(rows[0]) == requests.FIELDS and rows[1][2] == "Brouwerij De Zwaan" and rows[1][-1] == "'=1+1"
    shown = request(zwaan, "show", "1")
    assert tuple(shown)[: len(requests.FIELDS)] == requests.FIELDS
    assert (shown["moves"], shown["activities"], shown["hours"]) == (
        [{"stage": "received", "date": "2026-01-05"}],
        [],
        0.0,
    )
    assert tuple(next(csv.reader(io.StringIO(zwaan("request", "show", "1", "-f", "csv").stdout)))) == requests.FIELDS
    assert tuple(request(zwaan, "move", "1", "intake")) == requests.FIELDS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Nergens NV", "--type", "expansion"], "company: no company named 'Nergens NV'"),
        (["add", "Brouwerij De Zwaan", "--type", "bakery"], "type: unknown request type 'bakery'"),
        (["add", "Brouwerij De Zwaan"], "type: a request needs a type"),
        (["add", "Brouwerij De Zwaan", "--type", "permit", "--space-m2", "-5"], "space_m2: '-5' is below 0"),
        (["add", "Brouwerij De Zwaan", "--type", "permit", "--date", "31/02/2026"], "received_on:"),
        (["add", "Brouwerij De Zwaan", "--type", "permit", "--site", "Nergens"], "no site named 'Nergens'"),
        (
            ["add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-03-01", "--follow-up", "2026-02-01"],
            "the follow-up (2026-02-01) is before the request came in (2026-03-01)",
        ),
        (["move", "1", "onderweg"], "stage: unknown request stage 'onderweg'"),
        (["move", "9", "intake"], "no request with id 9"),
        (["move", "Zwaan", "intake"], "refer to a request by its id"),
        (["list", "--stage", "onderweg"], "unknown request stage 'onderweg' (known: open, received"),
        (["list", "--company", "Nergens NV"], "--company: no company named 'Nergens NV'"),
        (["list", "--type", "bakery"], "--type: unknown request type 'bakery'"),
        (["edit", "1", "--outcome", "withdrawn"], "only a closed request has an outcome"),
        (["edit", "1", "--type", "bakery"], "unknown request type"),
        (["show", "2"], "no request with id 2"),
        (["remove", "2", "--yes"], "no request with id 2"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    zwaan: Run, cli: Run, db_file: Path, args: list[str], message: str
) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    assert message in one_line_error(cli, db_file, "request", *args)


def test_edit(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("company", "add", "Metaal Verhaeghe", "--region", "Gent")
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    zwaan("request", "move", "1", "intake", "--date", "2026-01-10")
    edited = request(
        zwaan, "edit", "1", "--company", "Metaal Verhaeghe", "--type", "relocation", "--space-m2", "300",
        "--date", "2026-01-03", "--follow-up", "2026-02-01", "--notes", "Verhuist",
    )  # fmt: skip
    assert (edited["company"], edited["type"], edited["space_m2"], edited["received_on"]) == (
        "Metaal Verhaeghe",
        "relocation",
        300.0,
        "2026-01-03",
    )
    assert request(zwaan, "show", "1")["moves"][0] == {"stage": "received", "date": "2026-01-03"}  # its first move
    assert "after the request's move to intake on 2026-01-10" in one_line_error(
        cli, db_file, "request", "edit", "1", "--date", "2026-01-11"
    )
    assert request(zwaan, "edit", "1", "--follow-up", "none")["follow_up"] is None
    zwaan("request", "close", "1", "--outcome", "withdrawn", "--date", "2026-01-12")
    changed = request(zwaan, "edit", "1", "--outcome", "moved-within-core", "--outcome-site", "Oude Weverij")
    assert (changed["outcome"], changed["outcome_site"], changed["stage"]) == (
        "moved-within-core",
        "Oude Weverij",
        "closed",
    )


def test_a_tampered_stage_is_found_and_repaired(zwaan: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "permit", "--date", "2026-01-05")
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-06")
    zwaan("request", "close", "2", "--outcome", "withdrawn", "--date", "2026-01-07")
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE request SET stage = 'advice' WHERE id = 1")
        conn.execute("UPDATE request SET closed_on = NULL WHERE id = 2")
    conn.close()
    store = open_store(db_file)
    try:
        assert requests.differences(store) == [1, 2]
        assert requests.repair(store) == 2
        assert requests.differences(store) == []
        assert requests.repair(store) == 0
    finally:
        store.close()
    assert [(r["id"], r["stage"], r["closed_on"]) for r in as_json(zwaan, "request", "list")] == [
        (2, "closed", "2026-01-07"),
        (1, "received", None),
    ]


# -- a property: whatever moves are made, the stored stage is what the moves give -----------------

STAGES = list(requests.STAGES)
#: one step: a stage (index), days after the last move (negative: refused), and whether --back is given
steps = st.lists(st.tuples(st.integers(0, len(STAGES) - 1), st.integers(-2, 4), st.booleans()), min_size=1, max_size=12)


def _memory_store(start: dt.date) -> tuple[Store, int]:
    store = open_store(MEMORY, today=start)
    with store.write():
        region = regions.insert_region(store, {"name": "Gent"})
        sites.insert_site(store, {"name": "Zone Noord", "region": region})
        company = companies.insert_company(store, {"name": "Firma", "region": region})
    return store, requests.add_request(store, {"company": company, "type": "expansion"})["id"]


def _recomputed(store: Store, request_id: int) -> tuple[str, str | None]:
    """The last move by date, then as recorded: an oracle written apart from the code's SQL."""
    moves = store.rows("SELECT stage, date, id FROM request_move WHERE request_id = ?", (request_id,))
    last = max(moves, key=lambda m: (m["date"], m["id"]))
    return last["stage"], last["date"] if last["stage"] == "closed" else None


def _state(store: Store) -> list[tuple[Any, ...]]:
    return store.tuples("SELECT * FROM request_move ORDER BY id") + store.tuples("SELECT * FROM request")


def _step(store: Store, rid: int, target: str, day: str, back: bool) -> str:
    """Make one move (a close for ``closed``); the stage it should leave."""
    if target == "closed":
        return str(requests.close_request(store, rid, "withdrawn", site="Zone Noord", on=day)["stage"])
    return str(requests.move_request(store, rid, target, on=day, back=back)["stage"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_moves_leave_the_stage_their_moves_give(moves: list[tuple[int, int, bool]]) -> None:
    start = dt.date(2026, 1, 5)
    store, rid = _memory_store(start)
    try:
        last_day, now = start, "received"
        for index, days, back in moves:
            target, day = STAGES[index], last_day + dt.timedelta(days=days)
            refused = target == now or days < 0 or (STAGES.index(target) < STAGES.index(now) and not back)
            before = _state(store)
            try:
                assert _step(store, rid, target, day.isoformat(), back) == target
            except (Conflict, VerweefError):
                assert refused
                assert _state(store) == before
                continue
            assert not refused
            last_day, now = day, target
            record = requests.get_request(store, rid)
            assert (record["stage"], record["closed_on"]) == _recomputed(store, rid)
            assert (record["outcome"] is not None) == (now == "closed") == (record["outcome_site"] is not None)
            assert requests.differences(store) == []
    finally:
        store.close()


def test_imported_activities_name_their_request(zwaan: Run, cli: Run, db_file: Path) -> None:
    zwaan("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2026-01-05")
    sheet = db_file.parent / "activities.csv"
    sheet.write_text(
        "date,kind,region,title,request\n"
        "2026-01-06,request,Gent,Intake,1\n2026-01-07,request,Gent,Plan,#1\n2026-01-08,dossier,Gent,Los,\n",
        encoding="utf-8",
    )
    zwaan("import", "activities", sheet)
    assert [(a["title"], a["request"]) for a in as_json(zwaan, "activity", "list")] == [
        ("Los", None),
        ("Plan", 1),
        ("Intake", 1),
    ]
    exported = zwaan("export", "activities").stdout  # the request by its uuid: ids change from file to file
    request_uuid = as_json(zwaan, "request", "show", "1")["uuid"]
    assert exported.splitlines()[0].endswith(",request") and exported.splitlines()[1].endswith(f",{request_uuid}")
    sheet.write_text("date,kind,region,request\n2026-01-09,request,Gent,4\n", encoding="utf-8")
    before = dump(db_file)
    result = cli("import", "activities", sheet)
    assert result.exit_code == 1 and "request: no request with id 4" in result.output
    assert dump(db_file) == before
