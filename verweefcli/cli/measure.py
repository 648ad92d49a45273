"""``verweef measure``: measures against nuisance, from proposed to evaluated (or rejected)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, say, state

if TYPE_CHECKING:
    from verweefcli.domain.measures import Moved

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "measure"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.measures import FIELDS

    return FIELDS


Kind = Annotated[
    str | None,
    typer.Option(
        "--kind", "-k", metavar="KIND", help="organisational, technical, spatial, communicative, legal or relocation.",
        autocompletion=completion.measure_kinds,
    ),
]  # fmt: skip
Owner = Annotated[str | None, typer.Option("--owner", metavar="TEXT", help="Who carries it out.")]
Due = Annotated[str | None, typer.Option("--due", metavar="DATE", help="When it is to be done (+1m, 30/06/2026...).")]
Cost = Annotated[str | None, typer.Option("--cost", metavar="EUR", help="What it costs in euro (1200 or 1.200,50).")]
Effect = Annotated[
    str | None,
    typer.Option(
        "--effect", metavar="EFFECT", help="What it achieved (with evaluated): solved, reduced or no-effect.",
        autocompletion=completion.nuisance_results,
    ),
]  # fmt: skip
MoveDate = Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="When it happened (default today).")]
Back = Annotated[bool, typer.Option("--back", help="Allow a move back to an earlier status.")]


@app.command("add")
def add(
    ctx: typer.Context,
    case: opt.NuisanceId,
    kind: Kind = None,
    owner: Owner = None,
    due: Due = None,
    cost: Cost = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When it was proposed (default today).")
    ] = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a measure against a nuisance case; it starts as proposed.

    Example: verweef measure add 3 --kind technical --owner "Brouwerij De Zwaan" --due +1m --cost 1.200,50
    """
    from verweefcli.domain.measures import add_measure

    values = {"kind": kind, "owner": owner, "due": due, "cost_eur": cost, "notes": notes}
    record = add_measure(state(ctx).store(write=True), case, values, on=date)
    message = f"Added measure #{record['id']} ({record['kind']}) to nuisance case #{record['case']}."
    done(message, record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Option("--case", metavar="CASE", help="Of this nuisance case (its id).")] = None,
    region: opt.Region = None,
    kind: Kind = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="proposed, agreed, implemented, evaluated or rejected.",
            autocompletion=completion.measure_statuses,
        ),
    ] = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List measures, by nuisance case.

    Example: verweef measure list --region Gent --status agreed
    """
    from verweefcli.domain.measures import list_measures
    from verweefcli.domain.nuisance import NuisanceFilters

    flt = filters(region=region, kind=kind, status=status, limit=limit)
    found = list_measures(state(ctx).store(write=False), NuisanceFilters(**vars(flt), case=case))
    emit(NOUN, found, fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.MeasureId, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a measure with its status history.

    Example: verweef measure show 4
    """
    from verweefcli.domain.measures import measure_details

    emit(NOUN, measure_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


def _moved(moved: Moved, fmt: Format) -> None:
    record = moved.measure
    effect = f" ({record['effect']})" if record["effect"] else ""
    done(f"Measure #{record['id']} is now {record['status']}{effect}.", record, NOUN, fmt, _fields())
    if fmt is Format.table:
        for move in moved.withdrawn:
            say(f"Withdrew its move to {move.status} of the same day ({move.date}).", style="dim")


def _move(
    ctx: typer.Context, ref: str, status: str, *, on: str | None, effect: str | None, back: bool, fmt: Format
) -> None:
    from verweefcli.domain.measures import move_measure

    _moved(move_measure(state(ctx).store(write=True), ref, status, on=on, effect=effect, back=back), fmt)


@app.command("move")
def move(
    ctx: typer.Context,
    ref: opt.MeasureId,
    status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="proposed, agreed, implemented, evaluated or rejected.",
            autocompletion=completion.measure_statuses,
        ),
    ],
    effect: Effect = None,
    date: MoveDate = None,
    back: Back = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Move a measure to a status; forward it may skip statuses, back needs --back.

    Evaluated needs --effect. Rejected follows proposed, agreed or implemented.
    No move is dated before the measure's last one.

    Example: verweef measure move 4 evaluated --effect reduced --date 2026-06-30
    """
    _move(ctx, ref, status, on=date, effect=effect, back=back, fmt=fmt)


@app.command("agree")
def agree(
    ctx: typer.Context,
    ref: opt.MeasureId,
    date: MoveDate = None,
    back: Back = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Mark a measure agreed (the same as measure move ID agreed).

    Example: verweef measure agree 4 --date 2026-05-02
    """
    _move(ctx, ref, "agreed", on=date, effect=None, back=back, fmt=fmt)


@app.command("implement")
def implement(
    ctx: typer.Context,
    ref: opt.MeasureId,
    date: MoveDate = None,
    back: Back = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Mark a measure implemented (the same as measure move ID implemented).

    Example: verweef measure implement 4
    """
    _move(ctx, ref, "implemented", on=date, effect=None, back=back, fmt=fmt)


@app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    ref: opt.MeasureId,
    effect: Effect = None,
    date: MoveDate = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Mark a measure evaluated, with its effect (the same as measure move ID evaluated --effect E).

    Example: verweef measure evaluate 4 --effect solved
    """
    _move(ctx, ref, "evaluated", on=date, effect=effect, back=False, fmt=fmt)


@app.command("reject")
def reject(ctx: typer.Context, ref: opt.MeasureId, date: MoveDate = None, fmt: opt.RecordFormat = Format.table) -> None:
    """Mark a measure rejected (the same as measure move ID rejected).

    Example: verweef measure reject 4
    """
    _move(ctx, ref, "rejected", on=date, effect=None, back=False, fmt=fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.MeasureId,
    kind: Kind = None,
    owner: Owner = None,
    due: Due = None,
    cost: Cost = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a measure (its status changes with measure move); an empty --due or --cost clears it.

    Example: verweef measure edit 4 --owner "Stad Gent" --due 2026-09-30
    """
    from verweefcli.domain.measures import edit_measure

    changes = given(kind=kind, owner=owner, due=due, cost_eur=cost, notes=notes)
    record = edit_measure(state(ctx).store(write=True), ref, changes)
    done(f"Updated measure #{record['id']} ({record['kind']}, {record['status']}).", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.MeasureId, yes: opt.Yes = False) -> None:
    """Remove a measure and its status history.

    Example: verweef measure remove 4 --yes
    """
    from verweefcli.domain.measures import removal_plan, remove_measure

    def named(record: dict[str, Any]) -> dict[str, Any]:
        return {"id": record["id"], "title": f"({record['kind']}, nuisance case #{record['case']})"}

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_measure, named)
