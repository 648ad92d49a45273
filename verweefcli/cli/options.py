"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verweefcli.cli import completion
from verweefcli.cli.common import DocFormat, Format, say

if TYPE_CHECKING:
    from verweefcli.storage import Store


def choices(values: Any) -> str:
    """The metavar of a choice: ``[table|json|csv]``, as Click writes it."""
    return "[" + "|".join(str(value) for value in values) + "]"


_REF_HELP = "Id (12 or #12), uuid, or name (case and accents ignored)."
RegionRef = Annotated[
    str, typer.Argument(metavar="REGION", help=f"The region: {_REF_HELP}", autocompletion=completion.regions)
]
SiteRef = Annotated[str, typer.Argument(metavar="SITE", help=f"The site: {_REF_HELP}", autocompletion=completion.sites)]
ContactRef = Annotated[
    str, typer.Argument(metavar="CONTACT", help=f"The contact: {_REF_HELP}", autocompletion=completion.contacts)
]
CompanyRef = Annotated[
    str, typer.Argument(metavar="COMPANY", help=f"The company: {_REF_HELP}", autocompletion=completion.companies)
]
RequestId = Annotated[str, typer.Argument(metavar="ID", help="Id of the request (12 or #12) or its uuid.")]
NuisanceId = Annotated[str, typer.Argument(metavar="CASE", help="Id of the nuisance case (12 or #12) or its uuid.")]
MeasureId = Annotated[str, typer.Argument(metavar="ID", help="Id of the measure (12 or #12) or its uuid.")]
ActivityId = Annotated[str, typer.Argument(metavar="ID", help="Id of the activity (12 or #12) or its uuid.")]
Notes = Annotated[str | None, typer.Option(metavar="TEXT", help="Free text notes.")]
Tags = Annotated[
    list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag (repeat, or separate with commas).")
]
AddTags = Annotated[list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="Add a tag (repeatable).")]
RemoveTags = Annotated[list[str] | None, typer.Option("--remove-tag", metavar="TAG", help="Remove a tag (repeatable).")]
Search = Annotated[
    str | None, typer.Option("--search", "-s", metavar="TEXT", help="Text to look for (case and accents ignored).")
]
Since = Annotated[
    str | None, typer.Option(metavar="DATE", help="From this date on (YYYY-MM-DD, DD/MM/YYYY, today...).")
]
Until = Annotated[str | None, typer.Option(metavar="DATE", help="Up to and including this date.")]
Quarter = Annotated[
    str | None, typer.Option("--quarter", "-q", metavar="QUARTER", help="A quarter: 2026Q2, 2026-Q2 or 'Q2 2026'.")
]
Limit = Annotated[int | None, typer.Option(min=0, metavar="INTEGER", help="Show at most this many.")]
Region = Annotated[
    str | None,
    typer.Option("--region", "-r", metavar="REGION", help="Region (id or name).", autocompletion=completion.regions),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ListFormat = Annotated[
    Format,
    typer.Option("--format", "-f", metavar=choices(Format), help="table for people; json or csv for scripts."),
]
DocumentFormat = Annotated[
    DocFormat,
    typer.Option("--format", "-f", metavar=choices(DocFormat), help="table (for people) or json (for scripts)."),
]
RecordFormat = Annotated[
    Format,
    typer.Option("--format", "-f", metavar=choices(Format), help="table (a readable summary), json or csv."),
]
Date = Annotated[
    str | None,
    typer.Option("--date", "-d", metavar="DATE", help="Date (default today): YYYY-MM-DD, DD/MM/YYYY, yesterday..."),
]


def removal_question(noun: str, record: dict[str, Any], effects: list[str]) -> str:
    what = f"{noun} #{record['id']} {record.get('name') or record.get('title') or ''}".rstrip()
    extra = "".join(f"\n  - {effect}" for effect in effects)
    return f"Remove {what}?{extra}\n"


def remove_after_asking(
    ctx: typer.Context,
    noun: str,
    ref: str,
    yes: bool,
    plan: Callable[[Store, str], tuple[dict[str, Any], list[str]]],
    remove: Callable[[Store, int], Any],
    named: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Every ``remove`` command: what removing would do, asked (unless --yes), done, then said."""
    from verweefcli.cli.common import confirm, state

    store = state(ctx).store(write=True)
    record, effects = plan(store, ref)
    shown = named(record) if named else record
    confirm(removal_question(noun, shown, effects), yes)
    remove(store, record["id"])
    removed(noun, shown, effects)


def removed(noun: str, record: dict[str, Any], effects: list[str]) -> None:
    name = record.get("name") or record.get("title") or ""
    say(f"Removed {noun} #{record['id']} {name}".rstrip() + ".")
    for effect in effects:
        say(f"  {effect}", style="dim")
