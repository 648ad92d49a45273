"""The evaluation over the coaches' terms (``verweef report term``)."""

from __future__ import annotations

import json
from typing import Any

from conftest import Run


def term(run: Run, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        run("--example", "report", "term", "--as-of", "2020-09-30", "-f", "json", *args).stdout
    )
    return data


def test_each_quarter_of_a_term_says_what_the_quarterly_report_said(ok: Run) -> None:
    data = term(ok)
    regions = {r["name"]: r for r in data["regions"]}
    assert set(regions) == {"Gent", "Sint-Truiden", "Turnhout", "Zuid-West-Vlaanderen"}  # Vilvoorde: no coach yet
    quarterly = json.loads(
        ok("--example", "report", "quarterly", "-q", "2020Q2", "--as-of", "2020-09-30", "-f", "json").stdout
    )
    for region in quarterly["regions"]:
        if region["name"] in regions:
            row = next(q for q in regions[region["name"]]["quarters"] if q["label"] == "2020Q2")
            assert (row["activities"], row["hours"]) == (region["activities"], region["hours"]), region["name"]
    truiden = regions["Sint-Truiden"]
    assert [q["label"] for q in truiden["quarters"]] == ["2020Q1", "2020Q2", "2020Q3"]
    assert (truiden["start"], truiden["months"]) == ("2020-02-17", 7)
    assert truiden["requests_by_outcome"]["moved-to-business-park"] == 1


def test_regions_compare_per_month_active(ok: Run) -> None:
    gent = next(r for r in term(ok, "--region", "Gent")["regions"])
    total = sum(q["activities"] for q in gent["quarters"])
    assert gent["per_month"]["activities"] == round(total / gent["months"], 1)
    text = ok("--example", "report", "term", "--as-of", "2020-09-30", "-f", "markdown", "--lang", "en").stdout
    assert "## Regions side by side, per month active" in text and "Activities per quarter" in text


def test_no_coach_yet_says_so(ok: Run) -> None:
    text = ok("--example", "report", "term", "--as-of", "2020-01-01", "-f", "markdown").stdout
    assert "Nog geen coach aan de slag." in text
