"""Shared fixtures: a private VERWEEF_HOME per test and a CLI runner on it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from verweefcli.cli.app import app

ENV_VARS = ("VERWEEF_DB", "VERWEEF_CONFIG", "VERWEEF_DEBUG", "VERWEEF_NO_PROMPT", "NO_COLOR", "FORCE_COLOR")

Run = Callable[..., Result]
#: makes a file or folder read-only for the test (the ``lock`` fixture)
Lock = Callable[[Path], None]


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
def cli(home: Path) -> Run:  # noqa: ARG001 -- requested for its effect: VERWEEF_HOME and a clean environment
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


class Templates:
    """Databases built through the CLI once a day, copied for each test that asks for one.

    A copy is the file the commands wrote (records, uuids, timestamps, mode), so a test
    gets what running them itself would give, in a few milliseconds instead of ~60.
    Built again when the day changes: some records say when they were recorded.
    """

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[tuple[str, dt.date], Path] = {}

    def copy(self, name: str, build: Callable[[Run], object], run: Run, target: Path) -> None:
        key = (name, dt.date.today())
        if key not in self.built:
            home = self.factory.mktemp(name)

            def at_home(*args: object, **kwargs: object) -> Result:
                return run(*args, env={"VERWEEF_HOME": str(home)}, **kwargs)

            build(at_home)
            assert sorted(p.name for p in home.iterdir()) == ["verweef.db"]  # closed: no -wal beside it
            self.built[key] = home / "verweef.db"
        shutil.copy2(self.built[key], target)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory)


def build_gent(ok: Run) -> None:
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


@pytest.fixture
def gent(ok: Run, db_file: Path, templates: Templates) -> Run:
    """A database with one region, two sites and a contact (``build_gent``)."""
    templates.copy("gent", build_gent, ok, db_file)
    return ok


def _chattr(path: Path, flag: str) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def lock() -> Iterator[Lock]:
    """Make a file or folder read-only for this process (root: ``chattr +i``), undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o500 if path.is_dir() else 0o400)
        elif not (shutil.which("chattr") and _chattr(path, "+i")):
            pytest.skip("cannot make a file read-only for root here (no chattr +i)")
        made.append(path)
        assert not os.access(path, os.W_OK)

    yield make
    for path in reversed(made):
        if os.geteuid() == 0:
            _chattr(path, "-i")
        else:
            path.chmod(0o700 if path.is_dir() else 0o600)
