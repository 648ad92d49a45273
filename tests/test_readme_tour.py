"""The README's "A short tour" (the block after ``<!-- tour -->``), run line by line on a fresh database.

The tour gives its own dates, so what it shows does not depend on the day the
test runs (a follow-up before today's date would be refused, a quarter list
without dates would be empty).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import Run
from typer.testing import Result

README = Path(__file__).resolve().parents[1] / "README.md"


def tour() -> list[str]:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^<!-- tour -->\n```(?:bash|sh|console)?\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert found, "README.md: no fenced block right after a '<!-- tour -->' line"
    return [line for line in found.group(1).splitlines() if line.strip()]


def clear_error(result: Result, *words: str) -> None:
    """One line on stderr that says why (exit 1)."""
    stderr = result.stderr
    assert result.exit_code == 1, result.output
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ") and all(word in lines[0] for word in words), stderr


def test_the_short_tour(cli: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the report file goes here
    steps = tour()
    assert len(steps) >= 5
    for line in steps:
        argv = shlex.split(line, comments=True)
        assert argv[0] == "verweef", line
        result = cli(*argv[1:])
        if argv[1:] == ["examples", "load"]:
            # on the tour's database: the example data goes into an empty database only
            clear_error(result, "'Gent'", "already")
            continue
        assert result.exit_code == 0, f"{line}\n{result.output}"
        if "json" in argv:
            data = json.loads(result.stdout)
            assert data, f"{line}: nothing for the tour's dates"
        for option in ("-o", "--output"):
            if option in argv:
                written = tmp_path / argv[argv.index(option) + 1]
                assert written.is_file() and written.stat().st_size > 0, line
    assert (home / "verweef.db").is_file()


def test_examples_load_after_the_tour_says_why_not(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for line in tour():
        argv = shlex.split(line, comments=True)
        if "examples" not in argv:
            cli(*argv[1:])
    clear_error(cli("examples", "load"), "region 'Gent' is already in the database", "--db")
    assert cli("--db", tmp_path / "empty.db", "examples", "load").exit_code == 0  # what the message proposes
