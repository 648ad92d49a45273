"""Nuisance cases and the measures against them: from report to close, measures from proposed to evaluated."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verweefcli.domain import measures, nuisance, regions, sites
from verweefcli.errors import VerweefError
from verweefcli.storage import Store, open_store

ZWAAN = "Brouwerij De Zwaan"


def as_json(run: Run, *args: object) -> Any:
    return json.loads(run(*args, "-f", "json").stdout)


def add_case(run: Run, *args: object) -> int:
    case_id: int = as_json(run, "nuisance", "add", *args)["id"]
    return case_id


def add_measure(run: Run, case: int, *args: object) -> int:
    measure_id: int = as_json(run, "measure", "add", case, *args)["id"]
    return measure_id


def status(run: Run, measure: int) -> tuple[str, str | None]:
    shown = as_json(run, "measure", "show", measure)
    return shown["status"], shown["effect"]


def refused(cli: Run, db_file: Path, *args: object) -> str:
    """Run a command that must fail: exit 1, one line on stderr, nothing changed; return the line."""
    before = dump(db_file)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert dump(db_file) == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def count(db_file: Path, table: str) -> int:
    conn = sqlite3.connect(db_file)
    try:
        found: int = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return found
    finally:
        conn.close()


# -- cases -------------------------------------------------------------------------


def test_a_case_from_report_to_close(gent: Run) -> None:
    gent("company", "add", "Zwaan NV", "--site", ZWAAN)
    case = as_json(
        gent,
        "nuisance", "add", ZWAAN, "--type", "smell", "--type", "noise, light", "--company", "Zwaan NV",
        "--reported-by", "An Peeters", "--date", "2020-07-01", "--severity", "3", "--timing", "night",
        "--timing", "weekend", "--frequency", "daily", "--follow-up", "2020-08-01", "--notes", "Brandgeur 's avonds",
    )  # fmt: skip
    assert list(case) == list(nuisance.FIELDS)
    assert case["types"] == ["smell", "noise", "light"]
    assert case["timing"] == ["night", "weekend"]
    assert (case["site"], case["company"], case["region"]) == (ZWAAN, "Zwaan NV", "Gent")
    assert case["reported_by"] == "An Peeters"  # a name, nothing more about the person
    assert (case["reported_on"], case["severity"], case["frequency"]) == ("2020-07-01", 3, "daily")
    assert (case["state"], case["result"], case["closed_on"]) == ("open", None, None)

    message = gent("nuisance", "close", case["id"], "--result", "reduced", "--date", "2020-09-30").stdout
    assert f"Closed nuisance case #{case['id']} (smell, noise, light at {ZWAAN}): reduced on 2020-09-30." in message
    closed = as_json(gent, "nuisance", "show", case["id"])
    assert (closed["state"], closed["result"], closed["closed_on"]) == ("closed", "reduced", "2020-09-30")
    assert closed["measures"] == []
    assert [c["id"] for c in as_json(gent, "nuisance", "list", "--closed")] == [case["id"]]
    assert as_json(gent, "nuisance", "list", "--open") == []


def test_the_report_day_is_today_by_default(gent: Run) -> None:
    case = as_json(gent, "nuisance", "add", ZWAAN, "--type", "dust-smoke")
    assert case["reported_on"] == dt.date.today().isoformat()
    assert (case["company"], case["reported_by"], case["severity"], case["timing"]) == (None, None, None, [])


def test_reopen_clears_the_result(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    assert refused(cli, db_file, "nuisance", "reopen", case) == f"Error: nuisance case #{case} is open"
    gent("nuisance", "close", case, "--result", "solved", "--date", "2020-07-10")
    line = refused(cli, db_file, "nuisance", "close", case, "--result", "reduced")
    assert "already closed (solved on 2020-07-10)" in line and f"verweef nuisance reopen {case}" in line
    assert "Reopened" in gent("nuisance", "reopen", case).stdout
    shown = as_json(gent, "nuisance", "show", case)
    assert (shown["state"], shown["result"], shown["closed_on"]) == ("open", None, None)
    gent("nuisance", "close", case, "--result", "no-effect", "--date", "2020-08-01")
    assert as_json(gent, "nuisance", "show", case)["result"] == "no-effect"


def test_closing_needs_a_result_and_a_day_not_before_the_report(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    line = refused(cli, db_file, "nuisance", "close", case, "--result", "solved", "--date", "2020-06-30")
    assert line == "Error: date: 2020-06-30 is before the case was reported (2020-07-01)"
    assert "unknown nuisance result 'gone'" in refused(cli, db_file, "nuisance", "close", case, "--result", "gone")
    before = dump(db_file)
    result = cli("nuisance", "close", case)  # no terminal to ask on
    assert result.exit_code == 2 and "missing --result" in result.stderr
    assert dump(db_file) == before


def test_the_region_is_read_from_the_site(gent: Run) -> None:
    case = add_case(gent, ZWAAN, "--type", "smell")
    gent("region", "add", "Turnhout")
    assert as_json(gent, "nuisance", "list", "--region", "Turnhout") == []
    gent("site", "edit", ZWAAN, "--region", "Turnhout")
    assert as_json(gent, "nuisance", "show", case)["region"] == "Turnhout"
    assert [c["id"] for c in as_json(gent, "nuisance", "list", "--region", "Turnhout")] == [case]
    assert as_json(gent, "nuisance", "list", "--region", "Gent") == []
    measure = add_measure(gent, case, "--kind", "technical")
    assert [m["id"] for m in as_json(gent, "measure", "list", "--region", "Turnhout")] == [measure]


def test_edit_a_case(gent: Run, cli: Run, db_file: Path) -> None:
    gent("company", "add", "Zwaan NV", "--site", ZWAAN)
    case = add_case(gent, ZWAAN, "--type", "smell", "--company", "Zwaan NV", "--date", "2020-07-01")
    edited = as_json(
        gent, "nuisance", "edit", case, "--type", "Geluid", "--type", "trillingen", "--severity", "5", "--company", "",
        "--site", "Oude Weverij", "--timing", "day", "--notes", "ook 's nachts",
    )  # fmt: skip
    assert edited["types"] == ["noise", "vibration"]
    assert (edited["severity"], edited["company"], edited["site"], edited["timing"]) == (
        5,
        None,
        "Oude Weverij",
        ["day"],
    )
    add_measure(gent, case, "--kind", "technical", "--date", "2020-07-05")
    line = refused(cli, db_file, "nuisance", "edit", case, "--date", "2020-07-06")
    assert line == "Error: reported_on: 2020-07-06 is after its measures' first status (2020-07-05)"
    gent("nuisance", "close", case, "--result", "solved", "--date", "2020-08-01")
    assert "after the case was closed" in refused(cli, db_file, "nuisance", "edit", case, "--date", "2020-08-02")
    assert "a date is required" in refused(cli, db_file, "nuisance", "edit", case, "--date", "")
    assert "needs a type" in refused(cli, db_file, "nuisance", "edit", case, "--type", "")


def test_list_filters(gent: Run, cli: Run, db_file: Path) -> None:
    gent("company", "add", "Zwaan NV", "--site", ZWAAN)
    first = add_case(gent, ZWAAN, "--type", "smell,noise", "--company", "Zwaan NV", "--date", "2020-05-02")
    second = add_case(gent, ZWAAN, "--type", "traffic", "--date", "2020-07-15")
    third = add_case(gent, "Oude Weverij", "--type", "noise", "--date", "2020-08-20")
    gent("nuisance", "close", second, "--result", "solved", "--date", "2020-08-01")

    def ids(*args: object) -> list[int]:
        return [c["id"] for c in as_json(gent, "nuisance", "list", *args)]

    assert ids() == [third, second, first]  # newest first
    assert ids("--site", ZWAAN) == [second, first]
    assert ids("--company", "Zwaan NV") == [first]
    assert ids("--type", "noise") == [third, first]
    assert ids("--type", "Verkeer") == [second]
    assert ids("--open") == [third, first]
    assert ids("--closed") == [second]
    assert ids("--quarter", "2020Q3") == [third, second]
    assert ids("--since", "2020-07-15", "--until", "2020-07-15") == [second]
    assert ids("--limit", "1") == [third]
    assert ids("--region", "Gent", "--type", "noise", "--open", "--site", "Oude Weverij") == [third]
    assert "unknown nuisance type" in refused(cli, db_file, "nuisance", "list", "--type", "stank")
    assert "no company named" in refused(cli, db_file, "nuisance", "list", "--company", "Nobody NV")
    table = gent("nuisance", "list").stdout
    assert "3 nuisance cases" in table and "smell; noise" in table

    first_measure = add_measure(gent, first, "--kind", "technical")
    second_measure = add_measure(gent, third, "--kind", "organisational")
    gent("measure", "agree", second_measure)

    def measure_ids(*args: object) -> list[int]:
        return [m["id"] for m in as_json(gent, "measure", "list", *args)]

    assert measure_ids() == [first_measure, second_measure]
    assert measure_ids("--case", third) == [second_measure]
    assert measure_ids("--kind", "Technisch") == [first_measure]
    assert measure_ids("--status", "agreed") == [second_measure]
    assert measure_ids("--status", "proposed", "--region", "Gent", "--limit", "5") == [first_measure]
    assert "no nuisance case with id 99" in refused(cli, db_file, "measure", "list", "--case", "99")


def test_json_and_csv_outputs(gent: Run) -> None:
    case = add_case(gent, ZWAAN, "--type", "smell", "--type", "noise", "--timing", "night", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--cost", "1.200,50", "--date", "2020-07-02")
    listed = as_json(gent, "nuisance", "list")
    assert list(listed[0]) == list(nuisance.FIELDS)
    lines = gent("nuisance", "list", "-f", "csv").stdout.splitlines()
    assert lines[0].split(",") == list(nuisance.FIELDS)
    assert ",smell; noise,," in lines[1] and ",open,,," in lines[1]
    assert gent("nuisance", "show", case, "-f", "csv").stdout.splitlines()[0].split(",") == list(nuisance.FIELDS)

    shown = as_json(gent, "nuisance", "show", case)
    assert [m["id"] for m in shown["measures"]] == [measure]
    assert shown["measures"][0]["moves"] == [{"date": "2020-07-02", "status": "proposed", "effect": None}]
    listed_measures = as_json(gent, "measure", "list")
    assert list(listed_measures[0]) == list(measures.FIELDS)
    assert listed_measures[0]["cost_eur"] == 1200.5 and listed_measures[0]["case"] == case
    header, row = gent("measure", "list", "-f", "csv").stdout.splitlines()
    assert header.split(",") == list(measures.FIELDS)
    assert f",{case},{ZWAAN},technical,,proposed,,,1200.5," in row
    assert "moves" in as_json(gent, "measure", "show", measure)


def test_show_tables(gent: Run) -> None:
    case = add_case(gent, ZWAAN, "--type", "smell", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--owner", "Zwaan NV", "--date", "2020-07-02")
    gent("measure", "evaluate", measure, "--effect", "reduced", "--date", "2020-08-01")
    shown = gent("nuisance", "show", case).stdout
    assert "Measures" in shown and "Status history" in shown and "reduced" in shown and "Zwaan NV" in shown
    shown = gent("measure", "show", measure).stdout
    assert "Status history" in shown and "2020-07-02" in shown and "2020-08-01" in shown


def test_dutch_labels_are_accepted(gent: Run) -> None:
    case = as_json(gent, "nuisance", "add", ZWAAN, "--type", "geur", "--type", "Laden en lossen", "--timing",
                   "'s nachts", "--frequency", "Wekelijks")  # fmt: skip
    assert (case["types"], case["timing"], case["frequency"]) == (["smell", "loading"], ["night"], "weekly")
    measure = add_measure(gent, case["id"], "--kind", "Ruimtelijk")
    assert as_json(gent, "measure", "move", measure, "Afgesproken")["status"] == "agreed"
    moved = as_json(gent, "measure", "move", measure, "Geëvalueerd", "--effect", "Verminderd")
    assert (moved["kind"], moved["status"], moved["effect"]) == ("spatial", "evaluated", "reduced")
    assert as_json(gent, "nuisance", "close", case["id"], "--result", "Opgelost")["result"] == "solved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nuisance", "add", "Nergens", "--type", "smell"), "Error: site: no site named 'Nergens'"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--severity", "6"), "Error: severity: '6' is above 5"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--severity", "0"), "Error: severity: '0' is below 1"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--severity", "2,5"), "not a whole number"),
        (("nuisance", "add", ZWAAN, "--type", "stank"), "Error: types: unknown nuisance type 'stank'"),
        (("nuisance", "add", ZWAAN), "Error: types: a nuisance case needs a type"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--timing", "morning"), "unknown nuisance timing"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--reported-by", "Nobody"), "no contact named 'Nobody'"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--company", "Nobody NV"), "no company named 'Nobody NV'"),
        (("nuisance", "add", ZWAAN, "--type", "smell", "--date", "31/02/2020"), "day 31 does not exist"),
        (("nuisance", "show", "99"), "Error: no nuisance case with id 99"),
        (("nuisance", "show", ZWAAN), "refer to a nuisance case by its id"),
        (("measure", "add", "99", "--kind", "technical"), "Error: no nuisance case with id 99"),
        (("measure", "show", "99"), "Error: no measure with id 99"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    gent: Run, cli: Run, db_file: Path, args: tuple[str, ...], message: str
) -> None:
    add_case(gent, ZWAAN, "--type", "noise")
    assert message in refused(cli, db_file, *args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "magic"), "unknown measure kind 'magic'"),
        ((), "Error: kind: a measure needs a kind"),
        (("--kind", "legal", "--cost", "-5"), "Error: cost_eur: '-5' is below 0"),
        (("--kind", "legal", "--cost", "veel"), "cost_eur: "),
        (("--kind", "legal", "--due", "gisteren-ish"), "due: not a date"),
        (("--kind", "legal", "--date", "2020-06-30"), "Error: date: 2020-06-30 is before the case was reported"),
    ],
)
def test_bad_measures_are_refused(gent: Run, cli: Run, db_file: Path, args: tuple[str, ...], message: str) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    assert message in refused(cli, db_file, "measure", "add", case, *args)


# -- measures ----------------------------------------------------------------------


def test_the_measure_pipeline(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    measure = add_measure(
        gent, case, "--kind", "technical", "--owner", "Zwaan NV", "--due", "2020-12-31", "--date", "2020-07-02"
    )
    assert status(gent, measure) == ("proposed", None)
    # forward may skip: proposed -> implemented
    assert "is now implemented" in gent("measure", "move", measure, "implemented", "--date", "2020-08-01").stdout
    # an earlier status needs --back, and the error names the current status
    line = refused(cli, db_file, "measure", "move", measure, "agreed", "--date", "2020-08-02")
    assert line == f"Error: measure #{measure} is implemented: moving it back to agreed needs --back"
    assert "needs --back" in refused(cli, db_file, "measure", "agree", measure, "--date", "2020-08-02")
    gent("measure", "move", measure, "agreed", "--back", "--date", "2020-08-02")
    assert status(gent, measure) == ("agreed", None)
    gent("measure", "implement", measure, "--date", "2020-08-03")
    # evaluated needs an effect, and only evaluated takes one
    assert "evaluated needs an effect" in refused(cli, db_file, "measure", "move", measure, "evaluated")
    assert "effect goes with evaluated only" in refused(
        cli, db_file, "measure", "move", measure, "rejected", "--effect", "solved"
    )
    assert "unknown nuisance result" in refused(cli, db_file, "measure", "evaluate", measure, "--effect", "meh")
    gent("measure", "evaluate", measure, "--effect", "reduced", "--date", "2020-09-01")
    assert status(gent, measure) == ("evaluated", "reduced")
    assert "already evaluated (reduced)" in refused(
        cli, db_file, "measure", "evaluate", measure, "--effect", "reduced", "--date", "2020-09-02"
    )
    gent("measure", "evaluate", measure, "--effect", "solved", "--date", "2020-10-01")  # evaluated again, later
    assert status(gent, measure) == ("evaluated", "solved")
    assert "only a proposed, agreed or implemented measure can be rejected" in refused(
        cli, db_file, "measure", "reject", measure, "--date", "2020-10-02"
    )
    # back from evaluated: its effect goes
    gent("measure", "move", measure, "implemented", "--back", "--date", "2020-10-03")
    assert status(gent, measure) == ("implemented", None)
    history = as_json(gent, "measure", "show", measure)["moves"]
    assert [(m["date"], m["status"], m["effect"]) for m in history] == [
        ("2020-07-02", "proposed", None),
        ("2020-08-01", "implemented", None),
        ("2020-08-02", "agreed", None),
        ("2020-08-03", "implemented", None),
        ("2020-09-01", "evaluated", "reduced"),
        ("2020-10-01", "evaluated", "solved"),
        ("2020-10-03", "implemented", None),
    ]

    other = add_measure(gent, case, "--kind", "organisational", "--date", "2020-07-02")
    assert "is now rejected" in gent("measure", "reject", other, "--date", "2020-07-03").stdout
    assert f"measure #{other} is already rejected" in refused(cli, db_file, "measure", "reject", other)
    # out of rejected is always back
    assert "is rejected: moving it back to agreed needs --back" in refused(cli, db_file, "measure", "agree", other)
    gent("measure", "agree", other, "--back", "--date", "2020-07-04")
    assert status(gent, other) == ("agreed", None)


def test_a_move_dated_before_the_last_is_refused(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--date", "2020-07-02")
    gent("measure", "agree", measure, "--date", "2020-07-10")
    line = refused(cli, db_file, "measure", "implement", measure, "--date", "2020-07-09")
    assert line == "Error: date: 2020-07-09 is before the measure's last move (agreed on 2020-07-10)"
    gent("measure", "implement", measure, "--date", "2020-07-10")  # the same day is fine
    assert status(gent, measure) == ("implemented", None)


def test_going_back_on_the_same_day_withdraws_that_days_later_moves(gent: Run) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--date", "2020-07-02")
    gent("measure", "agree", measure, "--date", "2020-07-05")
    gent("measure", "implement", measure, "--date", "2020-07-05")
    message = gent("measure", "agree", measure, "--back", "--date", "2020-07-05").stdout
    assert "is now agreed" in message and "Withdrew its move to implemented of the same day (2020-07-05)" in message
    moves = as_json(gent, "measure", "show", measure)["moves"]
    assert [(m["date"], m["status"]) for m in moves] == [("2020-07-02", "proposed"), ("2020-07-05", "agreed")]
    gent("measure", "reject", measure, "--date", "2020-07-05")
    gent("measure", "move", measure, "proposed", "--back", "--date", "2020-07-05")
    moves = as_json(gent, "measure", "show", measure)["moves"]
    assert [(m["date"], m["status"]) for m in moves] == [("2020-07-02", "proposed")]
    assert status(gent, measure) == ("proposed", None)


def test_edit_and_remove_a_measure(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--due", "2020-12-31", "--cost", "500")
    edited = as_json(
        gent, "measure", "edit", measure, "--kind", "legal", "--owner", "Stad Gent", "--due", "", "--cost", ""
    )
    assert (edited["kind"], edited["owner"], edited["due"], edited["cost_eur"]) == ("legal", "Stad Gent", None, None)
    assert "needs a kind" in refused(cli, db_file, "measure", "edit", measure, "--kind", "")
    assert cli("measure", "remove", measure).exit_code == 2  # no terminal to confirm on
    removed = gent("measure", "remove", measure, "--yes").stdout
    assert f"Removed measure #{measure} (legal, nuisance case #{case})." in removed
    assert "its status history (1 move(s)) goes" in removed
    assert as_json(gent, "measure", "list") == []
    assert count(db_file, "measure_move") == 0


def test_removing_a_case_removes_its_measures(gent: Run, cli: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    first = add_measure(gent, case, "--kind", "technical")
    second = add_measure(gent, case, "--kind", "legal")
    gent("measure", "agree", second)
    before = dump(db_file)
    result = cli("nuisance", "remove", case)
    assert result.exit_code == 2 and "pass --yes" in result.stderr and dump(db_file) == before
    removed = gent("nuisance", "remove", case, "--yes").stdout
    assert f"Removed nuisance case #{case} (noise at {ZWAAN})." in removed
    assert f"measure #{first} technical (proposed) goes" in removed
    assert f"measure #{second} legal (agreed) goes" in removed
    assert as_json(gent, "measure", "list") == []
    assert count(db_file, "measure") == count(db_file, "measure_move") == 0


def test_differences_finds_a_tampered_status_and_repair_fixes_it(gent: Run, db_file: Path) -> None:
    case = add_case(gent, ZWAAN, "--type", "noise", "--date", "2020-07-01")
    measure = add_measure(gent, case, "--kind", "technical", "--date", "2020-07-02")
    gent("measure", "evaluate", measure, "--effect", "solved", "--date", "2020-07-03")
    other = add_measure(gent, case, "--kind", "legal")
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute("UPDATE measure SET status = 'rejected', effect = NULL WHERE id = ?", (measure,))
    conn.close()
    store = open_store(db_file)
    try:
        assert measures.differences(store) == [measure]
        assert measures.repair(store) == 1
        assert measures.differences(store) == []
        assert measures.repair(store) == 0
    finally:
        store.close()
    assert status(gent, measure) == ("evaluated", "solved")
    assert status(gent, other) == ("proposed", None)


# -- one owner: any sequence of moves leaves what a recompute gives ----------------------

START = dt.date(2020, 7, 1)
move_steps = st.lists(
    st.tuples(
        st.sampled_from(measures.ORDER),
        st.integers(-1, 2),  # days after the previous attempt (-1: before it)
        st.sampled_from([None, "solved", "reduced", "no-effect"]),
        st.booleans(),  # --back
    ),
    max_size=12,
)


@pytest.fixture
def store() -> Iterator[Store]:
    store = open_store(":memory:", today=dt.date(2021, 1, 1))
    regions.add_region(store, {"name": "Gent"})
    sites.add_site(store, {"name": ZWAAN, "region": "Gent"})
    yield store
    store.close()


def _state(store: Store, measure_id: int) -> tuple[Any, ...]:
    row = store.row("SELECT status, effect FROM measure WHERE id = ?", (measure_id,))
    moves = store.tuples(
        "SELECT id, status, date, effect FROM measure_move WHERE measure_id = ? ORDER BY id", (measure_id,)
    )
    assert row is not None
    return row["status"], row["effect"], tuple(moves)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=move_steps)
def test_any_sequence_of_moves_leaves_status_and_effect_as_a_recompute(store: Store, steps: list[Any]) -> None:
    case = nuisance.add_case(store, {"site": ZWAAN, "types": ["noise"], "reported_on": START})
    measure_id = measures.add_measure(store, case["id"], {"kind": "technical"}, on=START)["id"]
    day = START
    for target, days, effect, back in steps:
        day += dt.timedelta(days=days)
        before = _state(store, measure_id)
        try:
            moved = measures.move_measure(store, measure_id, target, on=day, effect=effect, back=back)
        except VerweefError:
            assert _state(store, measure_id) == before  # a refused move changes nothing
            continue
        # what was asked is what it is now, and what its moves give
        assert (moved.measure["status"], moved.measure["effect"]) == (target, effect)
        status_, effect_, moves = _state(store, measure_id)
        assert (status_, effect_) == (target, effect)
        assert measures.derive(measures.Move(*m) for m in moves) == (target, effect)
        assert all(m[2] <= day.isoformat() for m in moves)
    assert measures.differences(store) == []
    assert measures.settle_measures(store, None) == 0
