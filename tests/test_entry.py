"""The installed entry points, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "VERWEEF_DEBUG"}
    full_env.update(VERWEEF_HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "verweefcli", *args], capture_output=True, text=True, env=full_env, timeout=60
    )


def test_python_dash_m(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("verweef ")
    result = run("region", "add", "Gent", "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Gent"


def test_user_error_has_no_traceback_unless_debugging(tmp_path: Path) -> None:
    result = run("visit", "add", "Nergens", "--date", "31/02/2026", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: date: not a date: '31/02/2026': day 31 does not exist in 2026-02 (dates are day first)"
    ]
    debug = run("visit", "add", "Nergens", "--date", "31/02/2026", home=tmp_path, VERWEEF_DEBUG="1")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_usage_error_exit_code(tmp_path: Path) -> None:
    result = run("site", "list", "--no-such-option", home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_every_group_and_command_is_reachable() -> None:
    """The groups are built on first use; each must still list and run its commands."""
    from typer.testing import CliRunner

    from verweefcli.cli.app import COMMANDS, GROUPS, app

    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for name in [*GROUPS, *COMMANDS]:
        assert name in top.stdout
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
    assert "quarterly" in runner.invoke(app, ["report", "--help"]).stdout
    assert "backup" in runner.invoke(app, ["db", "--help"]).stdout


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "verweefcli", "--example", "activity", "list"],
        env={**os.environ, "VERWEEF_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"internal error" not in err
