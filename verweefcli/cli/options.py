"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from verweefcli.cli.common import Format, say

Ref = Annotated[str, typer.Argument(metavar="REF", help="Id (12 or #12), uuid, or name (case and accents ignored).")]
Notes = Annotated[str | None, typer.Option(help="Free text notes.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat, or separate with commas).")]
RemoveTags = Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag (repeatable).")]
Search = Annotated[str | None, typer.Option("--search", "-s", help="Text to look for (case and accents ignored).")]
Since = Annotated[str | None, typer.Option(help="From this date on (YYYY-MM-DD, DD/MM/YYYY, today...).")]
Until = Annotated[str | None, typer.Option(help="Up to and including this date.")]
Quarter = Annotated[str | None, typer.Option("--quarter", "-q", help="A quarter: 2026Q2, 2026-Q2 or 'Q2 2026'.")]
Limit = Annotated[int | None, typer.Option(min=0, help="Show at most this many.")]
Region = Annotated[str | None, typer.Option("--region", "-r", help="Region (id or name).")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ListFormat = Annotated[Format, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")]
RecordFormat = Annotated[Format, typer.Option("--format", "-f", help="table (a readable summary), json or csv.")]
Date = Annotated[
    str | None,
    typer.Option("--date", "-d", help="Date (default today): YYYY-MM-DD, DD/MM/YYYY, yesterday..."),
]


def removal_question(noun: str, record: dict[str, Any], effects: list[str]) -> str:
    what = f"{noun} #{record['id']} {record.get('name') or record.get('title') or ''}".rstrip()
    extra = "".join(f"\n  - {effect}" for effect in effects)
    return f"Remove {what}?{extra}\n"


def removed(noun: str, record: dict[str, Any], effects: list[str]) -> None:
    name = record.get("name") or record.get("title") or ""
    say(f"Removed {noun} #{record['id']} {name}".rstrip() + ".")
    for effect in effects:
        say(f"  {effect}", style="dim")
