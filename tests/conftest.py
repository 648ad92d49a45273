"""Shared fixtures: a private VERWEEF_HOME per test and a CLI runner on it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from verweefcli.cli.app import app

ENV_VARS = ("VERWEEF_DB", "VERWEEF_CONFIG", "VERWEEF_DEBUG", "VERWEEF_NO_PROMPT", "NO_COLOR", "FORCE_COLOR")

Run = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("VERWEEF_HOME", str(home))
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return home


@pytest.fixture
def db_file(home: Path) -> Path:
    return home / "verweef.db"


@pytest.fixture
def cli(home: Path) -> Run:
    runner = CliRunner()

    def run(*args: object, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input, env=env)
        # A traceback or an internal error (exit 3) is always a bug.
        assert result.exit_code != 3, result.output
        assert "Traceback" not in result.output, result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


@pytest.fixture
def ok(cli: Run) -> Run:
    """Like ``cli`` but the command must succeed."""

    def run(*args: object, **kwargs: object) -> Result:
        result = cli(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result

    return run


def dump(path: Path) -> str:
    """Every row of a database as SQL text: equal dumps mean nothing changed."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def gent(ok: Run) -> Run:
    """A database with one region, two sites and a contact."""
    ok("region", "add", "Gent", "--coach", "Jonas De Meester", "--appointed-on", "2020-06-01", "-m", "Gent")
    ok(
        "site",
        "add",
        "Brouwerij De Zwaan",
        "--region",
        "Gent",
        "--municipality",
        "Gent",
        "--kind",
        "company-site",
        "--date",
        "2020-06-02",
        "--tag",
        "geur,verkeer",
    )
    ok(
        "site",
        "add",
        "Oude Weverij",
        "--region",
        "Gent",
        "--municipality",
        "Gent",
        "--kind",
        "vacant-building",
        "--date",
        "2020-06-03",
    )
    ok(
        "contact",
        "add",
        "An Peeters",
        "--organisation",
        "Stad Gent",
        "--role",
        "wijkregisseur",
        "--email",
        "an.peeters@gent.example",
        "--region",
        "Gent",
        "--site",
        "Brouwerij De Zwaan (neighbour)",
    )
    return ok
