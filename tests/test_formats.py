"""One output sink: every command writes each format it advertises, and nothing else.

Every command with a ``--format`` option is run with every choice it offers, and the
output is parsed: JSON loads, CSV has its header, a table or the terminal report holds
no escape code off a terminal, Markdown and HTML are what they say. A format a command
cannot produce is not offered (``db info -f csv`` is a usage error naming the ones it can).
Every write to standard output in ``verweefcli/cli/`` goes through ``cli/common.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import Run
from test_help import WALK

from verweefcli.cli import search
from verweefcli.domain import activities, companies, contacts, follow_ups, measures, nuisance, regions, requests, sites

FIELDS = {
    "region": regions.FIELDS,
    "site": sites.FIELDS,
    "contact": contacts.FIELDS,
    "activity": activities.FIELDS,
    "agenda": follow_ups.FIELDS,
    "search": search.FIELDS,
    "nuisance": nuisance.FIELDS,
    "measure": measures.FIELDS,
    "company": companies.FIELDS,
    "request": requests.FIELDS,
}
# How to run each command that has --format, on the `gent` database (plus one activity).
RUN = {
    ("region", "add"): ["region", "add", "Turnhout"],
    ("region", "list"): ["region", "list"],
    ("region", "show"): ["region", "show", "Gent"],
    ("region", "edit"): ["region", "edit", "Gent", "--notes", "n"],
    ("site", "add"): ["site", "add", "Nieuwe site", "--region", "Gent"],
    ("site", "list"): ["site", "list"],
    ("site", "show"): ["site", "show", "Brouwerij De Zwaan"],
    ("site", "edit"): ["site", "edit", "Oude Weverij", "--notes", "n"],
    ("contact", "add"): ["contact", "add", "Jan Claes", "--region", "Gent"],
    ("contact", "list"): ["contact", "list"],
    ("contact", "show"): ["contact", "show", "An Peeters"],
    ("contact", "edit"): ["contact", "edit", "An Peeters", "--phone", "09 123 45 67"],
    ("activity", "add"): ["activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-06-04"],
    ("activity", "list"): ["activity", "list"],
    ("activity", "show"): ["activity", "show", "1"],
    ("activity", "edit"): ["activity", "edit", "1", "--notes", "n"],
    ("visit", "add"): ["visit", "add", "Oude Weverij", "--date", "2020-06-20"],
    ("visit", "list"): ["visit", "list"],
    ("db", "info"): ["db", "info"],
    ("db", "merge"): ["db", "merge", "{other}"],  # another coach's file beside the template
    ("config", "show"): ["config", "show"],
    ("report", "quarterly"): ["report", "quarterly", "-q", "2020Q2", "--as-of", "2020-07-01"],
    ("report", "term"): ["report", "term", "--as-of", "2020-07-01"],
    ("export",): ["export", "sites"],
    ("agenda",): ["agenda", "--all"],
    ("done",): ["done", "1", "--date", "2020-06-21"],
    ("search",): ["search", "zwaan"],
    ("nuisance", "add"): ["nuisance", "add", "Oude Weverij", "--type", "noise", "--date", "2020-06-20"],
    ("nuisance", "list"): ["nuisance", "list"],
    ("nuisance", "show"): ["nuisance", "show", "1"],
    ("nuisance", "close"): ["nuisance", "close", "1", "--result", "reduced", "--date", "2020-06-30"],
    ("nuisance", "reopen"): ["nuisance", "reopen", "2"],
    ("nuisance", "edit"): ["nuisance", "edit", "1", "--severity", "4"],
    ("measure", "add"): ["measure", "add", "1", "--kind", "legal", "--date", "2020-06-20"],
    ("measure", "list"): ["measure", "list"],
    ("measure", "show"): ["measure", "show", "1"],
    ("measure", "move"): ["measure", "move", "1", "agreed", "--date", "2020-06-20"],
    ("measure", "agree"): ["measure", "agree", "1", "--date", "2020-06-20"],
    ("measure", "implement"): ["measure", "implement", "1", "--date", "2020-06-20"],
    ("measure", "evaluate"): ["measure", "evaluate", "1", "--effect", "solved", "--date", "2020-06-20"],
    ("measure", "reject"): ["measure", "reject", "1", "--date", "2020-06-20"],
    ("measure", "edit"): ["measure", "edit", "1", "--owner", "Stad Gent"],
    ("company", "add"): ["company", "add", "Weverij Gent", "--region", "Gent", "--kbo", "0403.170.701"],
    ("company", "list"): ["company", "list"],
    ("company", "show"): ["company", "show", "1"],
    ("company", "edit"): ["company", "edit", "1", "--staff", "12"],
    ("request", "add"): ["request", "add", "Brouwerij De Zwaan", "--type", "expansion"],
    ("request", "list"): ["request", "list"],
    ("request", "show"): ["request", "show", "1"],
    ("request", "move"): ["request", "move", "1", "intake"],
    ("request", "close"): ["request", "close", "1", "--outcome", "withdrawn"],
    ("request", "edit"): ["request", "edit", "1", "--notes", "n"],
}
# Formats for one kind of record only: run on that kind.
RUN_FORMAT: dict[tuple[str, ...], list[str]] = {
    ("export", "vcard"): ["export", "contacts"],
    ("export", "ics"): ["export", "activities"],
}
ESCAPE = re.compile(r"\x1b")


def _formats() -> list[tuple[tuple[str, ...], str]]:
    found = []
    for path, command, ctx in WALK:
        for param in command.get_params(ctx):
            if "--format" in getattr(param, "opts", ()):
                found += [(path, str(choice.value)) for choice in param.type_descriptor.choices]
    return found


FORMATS = _formats()


def test_every_command_with_a_format_is_run_here() -> None:
    assert {path for path, _ in FORMATS} == set(RUN)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `gent` database with an activity and a visit, built once for all the formats."""
    from typer.testing import CliRunner

    from verweefcli.cli.app import app

    folder = tmp_path_factory.mktemp("template")
    db = folder / "verweef.db"
    runner = CliRunner()
    for args in (
        ["region", "add", "Gent", "--coach", "Jonas De Meester", "--appointed-on", "2020-06-01", "-m", "Gent"],
        ["site", "add", "Brouwerij De Zwaan", "--region", "Gent", "--municipality", "Gent", "--date", "2020-06-02"],
        ["site", "add", "Oude Weverij", "--region", "Gent", "--municipality", "Gent", "--date", "2020-06-03"],
        [
            "contact",
            "add",
            "An Peeters",
            "--organisation",
            "Stad Gent",
            "--region",
            "Gent",
            "--site",
            "Brouwerij De Zwaan",
        ],
        ["activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-06-05", "--title", "Dossier"],
        ["activity", "edit", "1", "--follow-up", "2020-06-20", "--follow-up-note", "Bellen"],
        ["visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10"],
        ["nuisance", "add", "Brouwerij De Zwaan", "--type", "smell", "--date", "2020-06-11"],
        ["nuisance", "add", "Brouwerij De Zwaan", "--type", "noise", "--date", "2020-06-12"],
        ["nuisance", "close", "2", "--result", "solved", "--date", "2020-06-15"],
        ["measure", "add", "1", "--kind", "technical", "--date", "2020-06-12"],
        ["company", "add", "Brouwerij De Zwaan", "--site", "Brouwerij De Zwaan"],
        ["request", "add", "Brouwerij De Zwaan", "--type", "expansion", "--date", "2020-06-11"],
    ):
        assert runner.invoke(app, ["--db", str(db), *args]).exit_code == 0
    other = folder / "other.db"  # another coach's file: a copy with an identity of its own, changed
    shutil.copyfile(db, other)
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE meta SET value = 'other' WHERE key = 'database_uuid'")
    assert runner.invoke(app, ["--db", str(other), "site", "edit", "Oude Weverij", "--notes", "x"]).exit_code == 0
    return db


@pytest.mark.parametrize(("path", "fmt"), FORMATS, ids=[f"{' '.join(p)} -f {f}" for p, f in FORMATS])
def test_each_advertised_format_is_what_it_says(
    ok: Run, db_file: Path, template: Path, path: tuple[str, ...], fmt: str
) -> None:
    shutil.copyfile(template, db_file)
    args = [a.format(other=template.parent / "other.db") for a in RUN_FORMAT.get((*path, fmt), RUN[path])]
    text = ok(*args, "--format", fmt).stdout
    assert text.strip(), (path, fmt)
    noun = {"visit": "activity", "export": "site", "done": "activity"}.get(path[0], path[0])
    if fmt in ("json", "geojson"):
        data = json.loads(text)
        assert data if fmt == "json" else data["type"] == "FeatureCollection"
    elif fmt == "csv":
        header = next(csv.reader(io.StringIO(text)))
        assert tuple(header) == FIELDS[noun]
    elif fmt == "markdown":
        assert text.startswith("# ")
    elif fmt == "html":
        assert text.lstrip().lower().startswith("<!doctype html>")
    elif fmt == "vcard":
        assert text.startswith("BEGIN:VCARD") and "FN:An Peeters" in text
    elif fmt == "ics":
        assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VTODO" in text  # CRLF: tests/test_agenda.py
    else:  # a table, or the report for a terminal: for people, and no escape code off a terminal
        assert fmt in ("table", "terminal")
        assert not ESCAPE.search(text)
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


@pytest.mark.parametrize("args", [["db", "info"], ["config", "show"]])
def test_a_format_that_cannot_be_produced_is_refused(cli: Run, args: list[str]) -> None:
    result = cli(*args, "--format", "csv")
    assert result.exit_code == 2
    assert "'csv' is not one of 'table', 'json'" in result.output


def test_standard_output_has_one_sink() -> None:
    cli_folder = Path(__file__).parents[1] / "verweefcli" / "cli"
    writers = re.compile(r"\bprint\(|sys\.stdout\.write|typer\.echo\(")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(cli_folder.glob("*.py"))
        if path.name != "common.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if writers.search(line) and "err_console" not in line
    ]
    assert found == []
