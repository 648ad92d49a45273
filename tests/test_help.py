"""``--help``: one meaning per short option, Click's usual metavars, an example for every command."""

from __future__ import annotations

import inspect
import re
import shlex
from collections import defaultdict
from typing import Any

import pytest
import typer.main
from conftest import Run
from typer.testing import CliRunner

from verweefcli.cli.app import COMMANDS, GROUPS, app

# What Typer 0.29 writes for a parameter without a metavar: <str>, <bool>, <list[str]>, <int range>, <path>...
TYPER_TYPE = re.compile(r"<[\w\[\]|, .-]+>")


def walk() -> list[tuple[tuple[str, ...], Any, Any]]:
    """Every command of the real CLI, built as a run builds it: ``(path, command, context)``.

    Groups and leaves both; the root is ``()``.
    """
    root = typer.main.get_command(app)
    root_ctx = root.make_context("verweef", [], resilient_parsing=True)
    found: list[tuple[tuple[str, ...], Any, Any]] = [((), root, root_ctx)]

    def visit(path: tuple[str, ...], group: Any, ctx: Any) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
            found.append(((*path, name), sub.command, sub))
            if hasattr(sub.command, "list_commands"):
                visit((*path, name), sub.command, sub)

    visit((), root, root_ctx)
    return found


WALK = walk()
COMMAND_PATHS = [path for path, _command, _ctx in WALK]
LEAVES = [path for path, command, _ctx in WALK if not hasattr(command, "list_commands")]


def test_the_walk_finds_every_command() -> None:
    tops = {path[0] for path in COMMAND_PATHS if path}
    assert tops == {*GROUPS, *COMMANDS}
    assert len(LEAVES) >= 30
    assert ("report", "quarterly") in LEAVES and ("import",) in LEAVES and ("db", "check") in LEAVES


def test_a_short_option_means_one_thing_everywhere() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path, command, ctx in WALK:
        for param in command.get_params(ctx):
            if param.param_type_name != "option":
                continue
            names = [*param.opts, *param.secondary_opts]
            longs = [name for name in names if name.startswith("--")]
            for short in (name for name in names if not name.startswith("--")):
                assert longs, (path, short)
                meanings[short].add(longs[0])
                where[(short, longs[0])].append(" ".join(path) or "verweef")
    mixed = {
        short: {long: where[(short, long)] for long in longs} for short, longs in meanings.items() if len(longs) > 1
    }
    assert not mixed, f"short options with more than one meaning: {mixed}"
    assert meanings["-m"] == {"--municipality"}
    assert meanings["-o"] == {"--output"}
    assert meanings["-h"] == {"--help"}


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "verweef")
def test_help_uses_clicks_usual_metavars(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert not TYPER_TYPE.findall(result.stdout), result.stdout
    assert "Usage: verweef" in result.stdout


def test_every_value_option_names_its_value() -> None:
    for path, command, ctx in WALK:
        for param in command.get_params(ctx):
            if param.param_type_name == "option" and not getattr(param, "is_flag", False):
                assert param.metavar, (path, param.opts)
                assert param.metavar == param.metavar.upper() or param.metavar.startswith("["), (path, param.metavar)


def test_examples_of_groups_and_root() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "160"})
    assert 'Example: verweef visit add "Brouwerij De Zwaan"' in result.stdout
    for group in GROUPS:
        result = CliRunner().invoke(app, [group, "--help"], env={"COLUMNS": "160"})
        assert f"Example: verweef {group} " in result.stdout, result.stdout


def parse(argv: list[str]) -> Any:
    """Parse a command line as a run would, without running it (a bad option or value raises)."""
    root = typer.main.get_command(app)
    ctx = root.make_context("verweef", list(argv))
    args = [*ctx._protected_args, *ctx.args]
    while hasattr(ctx.command, "resolve_command"):
        name, command, args = ctx.command.resolve_command(ctx, args)
        ctx = command.make_context(name, args, parent=ctx)
        args = [*ctx._protected_args, *ctx.args]
    return ctx


@pytest.mark.parametrize("path", LEAVES, ids=lambda path: " ".join(path))
def test_every_command_ends_its_help_with_an_example_that_parses(path: tuple[str, ...]) -> None:
    command = {found: command for found, command, _ctx in WALK}[path]
    paragraphs = inspect.cleandoc(command.help or "").split("\n\n")
    last = paragraphs[-1]
    assert len(paragraphs) > 1 and last.startswith("Example: verweef "), command.help
    assert "\n" not in last
    example = shlex.split(last.removeprefix("Example: verweef "))
    ctx = parse(example)  # options, choices and arguments as the command declares them
    assert ctx.command_path == " ".join(("verweef", *path))
    shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "160"}).stdout
    assert last in shown  # on one line, as written


def test_completion_options_only_at_the_root(cli: Run) -> None:
    assert "--show-completion" in cli("--help").stdout
    assert "--install-completion" in cli("--help").stdout
    for path in COMMAND_PATHS:
        if path:
            shown = cli(*path, "--help").stdout
            assert "completion" not in shown, path
    result = cli("report", "quarterly", "--install-completion")
    assert result.exit_code == 2


def test_import_and_export_take_the_singular_too(ok: Run, cli: Run, tmp_path: Any) -> None:
    ok("region", "add", "Gent")
    sites = tmp_path / "sites.csv"
    sites.write_text("naam;gemeente;regio\nBrouwerij De Zwaan;Gent;Gent\n", encoding="utf-8")
    assert "1 inserted" in ok("import", "site", sites).stdout
    assert "1 skipped" in ok("import", "Sites", sites).stdout
    assert ok("export", "site").stdout == ok("export", "sites").stdout
    result = cli("import", "sitez", sites)
    assert result.exit_code == 2
    flat = "".join(result.output.replace("│", "").split())
    assert "useoneofregions,sites,contacts,companies,requests,activities,nuisance,measures" in flat
    shown = cli("import", "--help").stdout
    assert "{regions|sites|contacts|companies|requests|activities|nuisance|measures}" in "".join(shown.split())
    assert "site|" not in shown.replace("sites|", "")  # the singular is not in the help
