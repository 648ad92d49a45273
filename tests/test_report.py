"""``verweef report quarterly``: what it says, in which form, and that it is stable."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from conftest import Run
from markdown_it import MarkdownIt

from verweefcli import __version__
from verweefcli.dates import Period, Quarter
from verweefcli.domain import activities, contacts, regions, sites
from verweefcli.report.build import build_report
from verweefcli.storage import Store, open_store

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ("--example", "report", "quarterly", "--quarter", "2020Q2", "--as-of", "2020-07-01")


# The golden files say "verweef {version}" where the report names the running version,
# so that a version bump does not rewrite them; the footer must still name this version.
VERSION = "verweef {version}"


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; VERWEEF_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    text = text.replace(f"verweef {__version__}", VERSION)
    if os.environ.get("VERWEEF_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; rerun with VERWEEF_UPDATE_GOLDEN=1 if intended"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("--format", "markdown"), "report-2020Q2.nl.md"),
        (("--format", "markdown", "--lang", "en"), "report-2020Q2.en.md"),
        (("--format", "json"), "report-2020Q2.json"),
        (("--format", "html", "--lang", "en"), "report-2020Q2.en.html"),
    ],
)
def test_golden_reports_of_the_example_data(ok: Run, args: tuple[str, ...], name: str) -> None:
    golden(name, ok(*EXAMPLE, *args).stdout)


def test_same_data_and_day_give_the_same_bytes(ok: Run) -> None:
    assert ok(*EXAMPLE, "-f", "markdown").stdout == ok(*EXAMPLE, "-f", "markdown").stdout


def test_states_whether_and_since_when_a_coach_is_appointed(ok: Run) -> None:
    text = ok(*EXAMPLE, "-f", "markdown").stdout
    assert "| Sint-Truiden | Hanne Moors | aangesteld | 2020-02-17 | 4 | 2023-02-17 |" in text
    assert "| Gent | Jonas De Meester | aangesteld | 2020-06-01 | 0 | 2023-06-01 |" in text
    assert "| Vilvoorde |  | selectie loopt |  |  |  |" in text
    assert "Een verweefcoach is aan de slag in 4 van de 5 regio's." in text
    english = ok(*EXAMPLE, "-f", "markdown", "--lang", "en").stdout
    assert "| Vilvoorde |  | selection under way |  |  |  |" in english
    assert "| Site visit | Local level |" in english


def test_in_the_first_quarter_only_sint_truiden_was_at_work(ok: Run) -> None:
    data = json.loads(ok("--example", "report", "quarterly", "-q", "2020Q1", "-f", "json").stdout)
    states = {r["name"]: r["appointment"] for r in data["regions"]}
    assert states == {
        "Gent": "not_yet",
        "Sint-Truiden": "appointed",
        "Turnhout": "not_yet",
        "Vilvoorde": "selecting",
        "Zuid-West-Vlaanderen": "not_yet",
    }
    text = ok("--example", "report", "quarterly", "-q", "2020Q1", "-f", "markdown").stdout
    assert "nog niet aangesteld (start 2020-06-01)" in text


def test_counts_match_the_activities(ok: Run) -> None:
    data = json.loads(ok(*EXAMPLE, "-f", "json").stdout)
    listed = json.loads(ok("--example", "activity", "list", "-q", "2020Q2", "-f", "json").stdout)
    assert data["totals"]["activities"] == len(listed) == 60
    for region in data["regions"]:
        mine = [a for a in listed if a["region"] == region["name"]]
        assert region["activities"] == len(mine)
        assert region["minutes"] == sum(a["minutes"] or 0 for a in mine)
        for kind, n in region["activity_counts"].items():
            assert n == sum(1 for a in mine if a["kind"] == kind)
        assert sum(region["category_counts"].values()) == region["activities"]
        assert sum(region["months"].values()) == region["activities"]
    previous = json.loads(ok("--example", "activity", "list", "-q", "2020Q1", "-f", "json").stdout)
    assert data["totals"]["previous"]["activities"] == len(previous)


def test_json_shape(ok: Run) -> None:
    data = json.loads(ok(*EXAMPLE, "-f", "json").stdout)
    assert data["period"]["label"] == "2020Q2"
    assert data["period"]["start"] == "2020-04-01" and data["period"]["end"] == "2020-06-30"
    assert data["period"]["previous"]["label"] == "2020Q1"
    assert data["period"]["next"]["label"] == "2020Q3"
    region = data["regions"][0]
    for key in (
        "name",
        "coach",
        "coach_status",
        "appointed_on",
        "activity_counts",
        "category_counts",
        "minutes",
    ):
        assert key in region
    assert set(data["totals"]) >= {
        "activities",
        "minutes",
        "activity_counts",
        "category_counts",
        "sites",
        "contacts",
    }


def _cells(markdown: str) -> list[list[list[str]]]:
    """Every table of a Markdown text, as rows of cell texts, parsed by markdown-it."""
    tables: list[list[list[str]]] = []
    row: list[str] = []
    in_cell = False
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            children = token.children or []
            assert {c.type for c in children} <= {"text", "strong_open", "strong_close"}, children  # no links or HTML
            row.append("".join(c.content for c in children))
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_markdown_tables_parse_back_to_their_cells(ok: Run) -> None:
    text = ok(*EXAMPLE, "-f", "markdown").stdout
    tables = _cells(text)
    assert len(tables) == 11  # with the requests, nuisance and measures tables
    appointments = tables[0]
    assert appointments[0] == ["Regio", "Coach", "Status", "Sinds", "Maanden actief", "Einde termijn"]
    assert ["Sint-Truiden", "Hanne Moors", "aangesteld", "2020-02-17", "4", "2023-02-17"] in appointments
    for table in tables:
        assert len({len(r) for r in table}) == 1  # every row has as many cells as the header


def test_hostile_names_cannot_break_the_markdown(tmp_path: Path, cli: Run) -> None:
    db = tmp_path / "hostile.db"
    store = open_store(db)
    hostile = "Zone | A # <script>alert(1)</script> *x* [l](http://e) `c` &amp;\nnieuwe regel"
    regions.add_region(store, {"name": hostile, "appointed_on": "2026-01-05", "coach": "=cmd|' /C calc'!A0"})
    sites.add_site(store, {"name": "# Site | _x_", "region": hostile}, on="2026-01-06")
    activities.add_activity(
        store,
        {
            "kind": "visit",
            "date": "2026-02-01",
            "sites": ["# Site | _x_"],
            "highlight": True,
            "title": "- item\n# kop",
        },
    )
    store.close()
    result = cli("--db", db, "report", "quarterly", "-q", "2026Q1", "-f", "markdown", "--as-of", "2026-03-31")
    assert result.exit_code == 0
    text = result.stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert not any(t.type == "html_block" or t.type == "html_inline" for t in tokens)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all("alert" not in h or "\\<script" in h for h in headings)
    tables = _cells(text)
    normalised = " ".join(hostile.split())
    assert [normalised, "=cmd|' /C calc'!A0", "aangesteld", "2026-01-05", "2", "2029-01-05"] in tables[0]
    items = [t for t in tokens if t.type == "bullet_list_open"]
    assert items  # the highlight is a list item, not a heading
    assert "- item # kop" in text.replace("\\-", "-").replace("\\#", "#")
    html = cli("--db", db, "report", "quarterly", "-q", "2026Q1", "-f", "html").stdout
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_period_choices(ok: Run) -> None:
    for spelling in ("2020-Q2", "Q2 2020", "q2-2020"):
        data = json.loads(ok("--example", "report", "quarterly", "-q", spelling, "-f", "json").stdout)
        assert data["period"]["label"] == "2020Q2"
    data = json.loads(
        ok("--example", "report", "quarterly", "--from", "01/05/2020", "--to", "31/05/2020", "-f", "json").stdout
    )
    assert data["period"]["label"] == "2020-05-01..2020-05-31"
    assert data["period"]["previous"] == {
        "label": "2020-03-31..2020-04-30",
        "start": "2020-03-31",
        "end": "2020-04-30",
    }
    assert data["totals"]["months"] == {"2020-05": data["totals"]["activities"]}
    today = dt.date.today()
    data = json.loads(ok("report", "quarterly", "-f", "json").stdout)
    assert data["period"]["label"] == Quarter.containing(today).label


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("-q", "2020Q5"), 1, "quarters are Q1 to Q4"),
        (("-q", "spring"), 1, "not a quarter"),
        (("--from", "2020-05-01"), 2, "--from and --to go together"),
        (("--from", "2020-06-01", "--to", "2020-05-01"), 1, "empty period"),
        (("-q", "2020Q2", "--from", "2020-05-01", "--to", "2020-05-02"), 2, "not both"),
        (("--as-of", "31/13/2020"), 1, "no month 13"),
        (("-r", "Brussel"), 1, "no region named 'Brussel'"),
        (("--lang", "fr"), 2, "fr"),
        (("-o", "/nonexistent/folder/r.md"), 1, "does not exist"),
    ],
)
def test_bad_report_options(cli: Run, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli("--example", "report", "quarterly", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr


def test_empty_period_is_a_valid_report(ok: Run) -> None:
    text = ok("--example", "report", "quarterly", "-q", "2019Q1", "-f", "markdown").stdout
    assert "Er zijn in deze periode geen activiteiten geregistreerd." in text
    english = ok("--example", "report", "quarterly", "-q", "2019Q1", "-f", "markdown", "--lang", "en").stdout
    assert "No activities were recorded in this period." in english


def test_empty_database(ok: Run) -> None:
    assert "Er zijn nog geen regio's geregistreerd." in ok("report", "quarterly", "-f", "markdown").stdout


def test_region_filter(ok: Run) -> None:
    data = json.loads(ok(*EXAMPLE, "-f", "json", "-r", "gent", "-r", "Sint-Truiden").stdout)
    assert [r["name"] for r in data["regions"]] == ["Gent", "Sint-Truiden"]
    assert data["totals"]["activities"] == 11 + 27
    one = ok(*EXAMPLE, "-f", "markdown", "-r", "Turnhout").stdout
    assert "| Categorie | Turnhout | Vorig kwartaal | Verschil |" in one  # one region: no total column


def test_output_file_and_format_from_suffix(ok: Run, tmp_path: Path) -> None:
    for suffix, start in ((".md", "# Verweefcoaches"), (".html", "<!DOCTYPE html>"), (".json", "{")):
        target = tmp_path / f"report{suffix}"
        result = ok(*EXAMPLE, "-o", target)
        assert result.stdout == ""
        assert target.read_text(encoding="utf-8").startswith(start)
        assert f"Wrote {target}" in result.stderr
    target = tmp_path / "report.txt"
    ok(*EXAMPLE, "-o", target, "-f", "terminal")
    text = target.read_text(encoding="utf-8")
    assert "Verweefcoaches" in text and "\x1b[" not in text


def test_pipe_default_is_markdown_and_terminal_has_bars(ok: Run) -> None:
    assert ok(*EXAMPLE).stdout.startswith("# Verweefcoaches – stand van zaken 2020Q2")
    text = ok(*EXAMPLE, "-f", "terminal").stdout
    assert "Aanstelling van de coaches" in text
    assert re.search(r"Sint-Truiden\s+jun 2020\s+█+\s+9", text)
    assert "\x1b[" not in text


def test_html_is_standalone_and_printable(ok: Run) -> None:
    html = ok(*EXAMPLE, "-f", "html").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert "@media print" in html
    assert "<svg" in html and "VERWEEF" not in html
    assert not re.search(r"(src|href)=\"https?:", html)
    assert html.count("<table>") == 11


def test_config_language_and_author(ok: Run, home: Path) -> None:
    (home / "config.yaml").write_text("language: en\ncoach: An Peeters\n", encoding="utf-8")
    text = ok(*EXAMPLE, "-f", "markdown").stdout
    assert text.startswith("# Verweefcoaches – status report 2020Q2")
    assert "Prepared by An Peeters." in text


# -- the computation itself, on a small database ---------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "r.db", today=dt.date(2026, 5, 15))
    regions.add_region(store, {"name": "Gent", "appointed_on": "2026-01-05", "coach": "Jonas"})
    regions.add_region(store, {"name": "Oud", "appointed_on": "2022-01-01", "ends_on": "2025-01-01", "coach": "X"})
    sites.add_site(store, {"name": "A", "region": "Gent"}, on="2025-12-01")
    sites.add_site(store, {"name": "B", "region": "Gent"}, on="2026-04-02")
    sites.add_site(store, {"name": "C", "region": "Gent"}, on="2026-04-03")
    contacts.add_contact(store, {"name": "Oude bekende"})
    contacts.add_contact(store, {"name": "Nieuwe", "role": "ondernemer"})
    activities.add_activity(
        store, {"kind": "introduction", "date": "2026-02-01", "region": "Gent", "contacts": ["Oude bekende"]}
    )
    activities.add_activity(
        store,
        {
            "kind": "visit",
            "date": "2026-04-10",
            "sites": ["B"],
            "contacts": ["Oude bekende", "Nieuwe"],
            "minutes": 90,
            "follow_up": "2026-04-30",
            "highlight": True,
        },
    )
    activities.add_activity(store, {"kind": "request", "date": "2026-05-02", "sites": ["A"], "follow_up": "2026-08-01"})
    sites.edit_site(store, "B", {"stage": "studied"}, on="2026-05-03")
    return store


def test_build_report_numbers(store: Store) -> None:
    report = build_report(store, Period.of_quarter(Quarter(2026, 2)), as_of=dt.date(2026, 5, 15))
    assert report.ref == dt.date(2026, 5, 15)
    gent = next(r for r in report.regions if r.name == "Gent")
    assert gent.appointment.state == "appointed" and gent.appointment.months_active == 4
    oud = next(r for r in report.regions if r.name == "Oud")
    assert oud.appointment.state == "ended"
    assert report.totals.not_appointed == []
    assert report.totals.term_ended == ["Oud"]
    assert gent.work.activities == 2 and gent.work.minutes == 90
    assert gent.previous.activities == 1
    assert gent.sites.mapped == 2  # B and C, not A (December)
    assert gent.sites.visited == 1
    assert gent.sites.funnel["identified"] == 2  # A and C
    assert gent.sites.funnel["studied"] == 1  # B
    assert gent.sites.stage_changes == {
        **gent.sites.stage_changes,
        "identified": 2,
        "visited": 1,
        "studied": 1,
    }
    assert [name for name, _ in gent.sites.never_visited_names] == ["A", "C"]
    assert gent.contacts.met == 2 and gent.contacts.new == 1
    assert gent.contacts.new_by_role["ondernemer"] == 1
    assert [i.follow_up for i in gent.follow_ups.overdue] == ["2026-04-30"]
    assert [i.follow_up for i in gent.follow_ups.due_next] == ["2026-08-01"]
    assert [h.site for h in gent.highlights] == ["B"]


def test_a_past_quarter_is_seen_from_its_end(store: Store) -> None:
    report = build_report(store, Period.of_quarter(Quarter(2026, 1)), as_of=dt.date(2026, 5, 15))
    assert report.ref == dt.date(2026, 3, 31)
    gent = next(r for r in report.regions if r.name == "Gent")
    assert gent.sites.funnel["identified"] == 1  # only A was known then
    assert gent.sites.funnel["studied"] == 0
    assert gent.follow_ups.due_next == []  # the follow-up was set after the quarter
