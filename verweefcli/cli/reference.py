"""The README's command reference, written from the CLI itself (so it cannot drift from ``--help``).

    python -m verweefcli.cli.reference            # print it
    python -m verweefcli.cli.reference README.md  # rewrite the block between the markers

A test compares the README with what this module writes; CI runs the tests.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- reference: written by `python -m verweefcli.cli.reference README.md` -->", "<!-- /reference -->"


def commands() -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """Every command the way a run builds it, ``(path, command, context)``, groups walked in order."""
    import typer.main

    from verweefcli.cli.app import app

    root = typer.main.get_command(app)
    root_ctx = root.make_context("verweef", [], resilient_parsing=True)

    def visit(path: tuple[str, ...], group: Any, ctx: Any) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
        for name in group.list_commands(ctx):
            sub = group.get_command(ctx, name).make_context(name, [], parent=ctx, resilient_parsing=True)
            if hasattr(sub.command, "list_commands"):
                yield from visit((*path, name), sub.command, sub)
            else:
                yield (*path, name), sub.command, sub

    yield from visit((), root, root_ctx)


def _parameter(param: Any) -> str:
    """``NAME``, ``[--region REGION]``, ``[--tag TEXT]...``, ``[--highlight/--no-highlight]``."""
    if param.param_type_name == "argument":
        text = param.metavar or param.name.upper()
        return text if param.required else f"[{text}]"
    long = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    names = "/".join([long, *param.secondary_opts])
    metavar = "" if param.is_flag else f" {(param.metavar or 'TEXT').strip('[]')}"  # choices: a|b, not [a|b]
    text = f"{names}{metavar}"
    text = text if param.required else f"[{text}]"
    return text + ("..." if param.multiple else "")


def _summary(command: Any) -> tuple[str, str]:
    """The first paragraph of the help, and its example."""
    help_text = (command.help or "").strip()
    paragraphs = [p.strip() for p in help_text.split("\n\n") if p.strip()]
    example = next((p.removeprefix("Example:").strip() for p in paragraphs if p.startswith("Example:")), "")
    first = " ".join(paragraphs[0].split()) if paragraphs and not paragraphs[0].startswith("Example:") else ""
    return first, example


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference() -> str:
    """The command reference as Markdown: one table row per command."""
    rows = ["| command | what it does | example |", "| --- | --- | --- |"]
    for path, command, ctx in commands():
        params = [p for p in command.get_params(ctx) if p.name not in ("help", "install_completion", "show_completion")]
        signature = " ".join(["verweef", *path, *(_parameter(p) for p in params)])
        first, example = _summary(command)
        rows.append(f"| `{_cell(signature)}` | {_cell(first)} | `{_cell(example)}` |")
    return "\n".join(rows) + "\n"


def block() -> str:
    return f"{BEGIN}\n\n{reference()}\n{END}"


def updated(readme: str) -> str:
    """``readme`` with its reference block written anew (the markers must be there)."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + block() + readme[end:]


def main(argv: list[str]) -> None:
    if not argv:
        from verweefcli.cli.common import out

        out(reference())
        return
    path = Path(argv[0])
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        sys.stderr.write(f"{path}: command reference rewritten\n")


if __name__ == "__main__":
    main(sys.argv[1:])
