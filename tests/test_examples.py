"""The shipped example data: the 2020 situation of the parliamentary answer."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run


def test_example_flag_needs_no_database(cli: Run, home: Path) -> None:
    result = cli("--example", "region", "list", "-f", "json")
    assert result.exit_code == 0
    regions = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(regions) == {"Sint-Truiden", "Zuid-West-Vlaanderen", "Turnhout", "Gent", "Vilvoorde"}
    assert regions["Sint-Truiden"]["appointed_on"] == "2020-02-17"
    for name in ("Zuid-West-Vlaanderen", "Turnhout", "Gent"):
        assert regions[name]["appointed_on"] == "2020-06-01"
        assert regions[name]["coach_status"] == "ended"  # today, from the dates: the term ended in 2023
    assert regions["Vilvoorde"]["coach_status"] == "selecting"
    assert regions["Vilvoorde"]["coach"] is None
    assert not (home / "verweef.db").exists()


def test_example_data_covers_the_work_described(cli: Run) -> None:
    activities = json.loads(cli("--example", "activity", "list", "-f", "json").stdout)
    kinds = {a["kind"] for a in activities}
    assert kinds == {
        "dossier",
        "introduction",
        "network",
        "visit",
        "plan-review",
        "request",
        "consultation",
        "communication",
        "developer-contact",
        "mapping",
        "example",
    }
    assert all(a["date"] >= "2020-02-17" for a in activities)
    assert any(a["highlight"] for a in activities)
    sites = json.loads(cli("--example", "site", "list", "-f", "json").stdout)
    stages = {s["stage"] for s in sites}
    assert {"identified", "visited", "studied"} <= stages


def test_load_examples_into_a_database(ok: Run, cli: Run) -> None:
    result = ok("examples", "load")
    assert "5 regions" in result.stdout
    info = json.loads(ok("db", "info", "-f", "json").stdout)
    assert info["counts"]["regions"] == 5
    again = cli("examples", "load")
    assert again.exit_code == 1
    assert "already in the database" in again.stderr
    assert json.loads(ok("db", "info", "-f", "json").stdout)["counts"] == info["counts"]
