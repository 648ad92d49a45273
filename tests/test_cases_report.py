"""Company requests and nuisance cases in the quarterly report and the agenda."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Run


@pytest.fixture
def cases(gent: Run) -> Run:
    """Gent with a second region; requests, a nuisance case and measures across two quarters."""
    gent("region", "add", "Turnhout", "--appointed-on", "2020-06-01")
    gent("company", "add", "Brouwerij De Zwaan", "--site", "Brouwerij De Zwaan")
    gent("company", "add", "Bakkerij Noord", "--region", "Turnhout")  # no site: its own region
    gent("request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2020-05-04")
    gent("request", "move", "1", "analysis", "--date", "2020-06-10")
    gent("request", "close", "1", "--outcome", "grew-on-site", "--date", "2020-07-14")  # 71 days
    gent("request", "add", "Bakkerij Noord", "--type", "location-search", "--date", "2020-06-20", "--follow-up",
         "2020-07-10")  # fmt: skip
    gent("nuisance", "add", "Brouwerij De Zwaan", "--type", "smell", "--date", "2020-05-10", "--follow-up",
         "2020-06-01")  # fmt: skip
    gent("measure", "add", "1", "--kind", "technical", "--date", "2020-05-12", "--due", "2020-08-15")
    gent("measure", "move", "1", "implemented", "--date", "2020-09-01")
    gent("nuisance", "close", "1", "--result", "solved", "--date", "2020-09-20")
    return gent


def report(run: Run, quarter: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("report", "quarterly", "-q", quarter, "-f", "json").stdout)
    return data


def regions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in data["regions"]}


def test_a_quarter_counts_requests_as_they_stood_at_its_end(cases: Run) -> None:
    q2, q3 = report(cases, "2020Q2"), report(cases, "2020Q3")
    gent, turnhout = regions(q2)["Gent"]["requests"], regions(q2)["Turnhout"]["requests"]
    assert (gent["received"], gent["open"], gent["open_by_stage"]["analysis"], gent["closed"]) == (1, 1, 1, 0)
    assert (turnhout["received"], turnhout["open_by_stage"]["received"]) == (1, 1)  # the company's region
    closed = regions(q3)["Gent"]["requests"]
    assert (closed["received"], closed["open"], closed["closed_by_outcome"]["grew-on-site"]) == (0, 0, 1)
    assert closed["average_days_to_close"] == 71.0
    assert q3["totals"]["requests"]["closed"] == 1 and q3["totals"]["requests"]["open"] == 1


def test_nuisance_cases_and_measures_by_quarter(cases: Run) -> None:
    q2, q3 = regions(report(cases, "2020Q2"))["Gent"]["nuisance"], regions(report(cases, "2020Q3"))["Gent"]["nuisance"]
    assert (q2["opened"], q2["open"], q2["closed"], q2["measures_proposed"]["technical"]) == (1, 1, 0, 1)
    assert (q3["opened"], q3["open"], q3["closed_by_result"]["solved"]) == (0, 0, 1)
    assert (q3["measures_proposed"]["technical"], q3["measures_implemented"]["technical"]) == (0, 1)


def test_next_steps_and_overdue_hold_the_other_records_days(cases: Run) -> None:
    q2 = regions(report(cases, "2020Q2"))
    due_next = q2["Turnhout"]["follow_ups"]["due_next"]
    assert [(i["type"], i["follow_up"]) for i in due_next] == [("request", "2020-07-10")]
    gent = q2["Gent"]["follow_ups"]
    assert ("nuisance", "2020-06-01") in [(i["type"], i["follow_up"]) for i in gent["overdue"]]
    assert ("measure", "2020-08-15") in [(i["type"], i["follow_up"]) for i in gent["due_next"]]
    text = cases("report", "quarterly", "-q", "2020Q2", "-f", "markdown", "--lang", "en").stdout
    assert "## 5. Company requests" in text and "## 6. Nuisance" in text and "## 7. Next steps" in text
    assert "Company request: Location search" in text and "Measure: Technical" in text


def test_the_agenda_lists_requests_cases_and_measures_until_done(cases: Run) -> None:
    cases("request", "edit", "1", "--follow-up", "2020-07-01")

    def agenda(*args: str) -> list[tuple[str, int, str]]:
        items = json.loads(cases("agenda", "--all", "-f", "json", *args).stdout)
        return [(i["type"], i["id"], i["group"]) for i in items if i["type"] != "activity"]

    listed = agenda()
    assert ("request", 2, "overdue") in listed  # open: received, its follow-up passed
    assert ("request", 1, "done") in listed  # closed on 2020-07-14
    assert ("nuisance", 1, "done") in listed and ("measure", 1, "done") in listed
    assert [t for t in agenda("--region", "Turnhout")] == [("request", 2, "overdue")]
    calendar = cases("agenda", "--all", "-f", "ics").stdout
    assert "UID:request-" in calendar and "UID:measure-" in calendar and "UID:nuisance-" in calendar


def test_report_sections_say_when_there_is_nothing(gent: Run) -> None:
    text = gent("report", "quarterly", "-q", "2020Q2", "-f", "markdown").stdout
    assert "Geen bedrijfsvragen geregistreerd." in text and "Geen hindermeldingen geregistreerd." in text
