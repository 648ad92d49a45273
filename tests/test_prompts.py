"""Prompts only for a person at a terminal; scripts get a clear error instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, dump

from verweefcli.cli import common


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "interactive", lambda: True)


@pytest.mark.usefixtures("at_terminal")
def test_missing_values_are_asked_on_a_terminal(ok: Run) -> None:
    ok("region", "add", input="Gent\n")
    ok("site", "add", input="Brouwerij De Zwaan\nGent\n")
    record = json.loads(ok("site", "show", "1", "-f", "json").stdout)
    assert (record["name"], record["region"]) == ("Brouwerij De Zwaan", "Gent")
    ok("visit", "add", input="Brouwerij De Zwaan\n")
    ok("activity", "add", "--region", "Gent", input="dossier\n")
    assert len(json.loads(ok("activity", "list", "-f", "json").stdout)) == 2


def test_without_a_terminal_missing_values_are_a_usage_error(cli: Run) -> None:
    for args, option in (
        (["region", "add"], "NAME"),
        (["site", "add", "X"], "--region"),
        (["visit", "add"], "SITE"),
        (["activity", "add"], "--kind"),
    ):
        result = cli(*args)
        assert result.exit_code == 2
        assert f"missing {option}" in result.stderr


@pytest.mark.usefixtures("at_terminal", "gent")
def test_remove_asks_and_respects_no(cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("site", "remove", "Brouwerij De Zwaan", input="n\n")
    assert result.exit_code == 1
    assert "1 contact link(s)" in result.output
    assert dump(db_file) == before
    assert cli("site", "remove", "Brouwerij De Zwaan", input="y\n").exit_code == 0
    assert "Brouwerij" not in cli("site", "list").stdout


@pytest.mark.usefixtures("gent")
def test_remove_without_terminal_needs_yes(cli: Run, db_file: Path) -> None:
    before = dump(db_file)
    result = cli("site", "remove", "Oude Weverij")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert dump(db_file) == before
