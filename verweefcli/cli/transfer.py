"""``verweef import`` and ``verweef export``: CSV in and out, for spreadsheets and scripts."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, TypeVar

import typer

from verweefcli.cli import completion
from verweefcli.cli.common import err_console, out, say, state
from verweefcli.cli.options import choices
from verweefcli.errors import UsageProblem, VerweefError

if TYPE_CHECKING:
    from verweefcli.files import Target
    from verweefcli.transfer.importer import Summary
    from verweefcli.transfer.source import Source


class Noun(enum.StrEnum):
    regions = "regions"
    sites = "sites"
    contacts = "contacts"
    activities = "activities"


class ExportNoun(enum.StrEnum):
    regions = "regions"
    sites = "sites"
    contacts = "contacts"
    activities = "activities"
    all = "all"


class Conflict(enum.StrEnum):
    skip = "skip"
    update = "update"
    fail = "fail"


class SummaryFormat(enum.StrEnum):
    text = "text"
    json = "json"


class Decimal(enum.StrEnum):
    comma = "comma"
    point = "point"


class ExportFormat(enum.StrEnum):
    csv = "csv"
    json = "json"
    geojson = "geojson"


Records = TypeVar("Records", Noun, ExportNoun)
_PLURAL = {"region": "regions", "site": "sites", "contact": "contacts", "activity": "activities"}


def _records(kind: type[Records]) -> Callable[[str], Records]:
    """Read the kind of records: ``import site FILE`` works as ``import sites FILE`` (the help shows plurals)."""

    def parse(value: str) -> Records:
        if isinstance(value, kind):
            return value
        text = value.strip().lower()
        try:
            return kind(_PLURAL.get(text, text))
        except ValueError:
            raise typer.BadParameter(f"{value!r}: use one of {', '.join(kind)} (or the singular)") from None

    return parse


def _complete_records(kind: type[enum.StrEnum]) -> Callable[[], list[str]]:
    return lambda: [str(value) for value in kind]


def import_command(
    ctx: typer.Context,
    noun: Annotated[
        Noun,
        typer.Argument(
            metavar="|".join(Noun),
            help="What the file holds.",
            parser=_records(Noun),
            autocompletion=_complete_records(Noun),
        ),
    ],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The CSV file, or - for standard input.")],
    # no -m: that is --municipality everywhere (region, site)
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="A YAML mapping profile for this kind of file.",
        ),
    ] = None,
    delimiter: Annotated[str | None, typer.Option(metavar="CHAR", help="Force the delimiter: ';', ',' or tab.")] = None,
    encoding: Annotated[
        str | None, typer.Option(metavar="ENCODING", help="Force the encoding: utf-8, utf-8-sig, cp1252, utf-16.")
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(metavar="FORMAT", help="Force the date format, e.g. %d/%m/%Y (default: ISO or day first)."),
    ] = None,
    decimal: Annotated[
        Decimal | None,
        typer.Option(metavar=choices(Decimal), help="Force the decimal mark (default: from the data)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
    on_conflict: Annotated[
        Conflict,
        typer.Option(
            metavar=choices(Conflict), help="A row that matches a record: skip it, update the record, or fail."
        ),
    ] = Conflict.skip,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the good rows; put the bad ones in --rejects.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="With --skip-invalid: where the bad rows go, with an error column.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --rejects file if it exists.")] = False,
    create_missing: Annotated[
        bool,
        typer.Option("--create-missing", help="Create regions, sites and contacts that rows name but are missing."),
    ] = False,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="Region for rows that give none.",
            autocompletion=completion.regions,
        ),
    ] = None,
    summary_format: Annotated[
        SummaryFormat,
        typer.Option(
            "--summary",
            metavar=choices(SummaryFormat),
            help="text for people; json (counts, rejects file, problems) for scripts.",
        ),
    ] = SummaryFormat.text,
) -> None:
    """Import regions, sites, contacts or activities from CSV (Belgian Excel welcome).

    All or nothing by default: one bad row and nothing is written.

    Example: verweef import sites sites.csv --mapping profiel.yaml --dry-run
    """
    from verweefcli.transfer.importer import Options, import_rows
    from verweefcli.transfer.profile import Profile, load_profile
    from verweefcli.transfer.source import check_date_format, open_source

    if skip_invalid and rejects is None:
        raise UsageProblem("--skip-invalid needs --rejects FILE for the rows it leaves out")
    if rejects is not None and not skip_invalid:
        raise UsageProblem("--rejects only goes with --skip-invalid")
    if rejects is not None and not rejects.parent.is_dir():
        raise VerweefError(f"cannot write {rejects}: the folder {rejects.parent} does not exist")
    st = state(ctx)
    profile = load_profile(mapping) if mapping else Profile()
    fmt = date_format or profile.date_format
    source = open_source(file, encoding=encoding or profile.encoding, delimiter=delimiter or profile.delimiter)
    options = Options(
        on_conflict=on_conflict.value,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        create_missing=create_missing,
        default_region=region or st.config.region,
        decimal=decimal.value if decimal else profile.decimal,
        date_format=check_date_format(fmt) if fmt else None,
    )
    rejects_to = _rejects_target(rejects, force)  # refused before the database is opened for writing
    store = st.store(write=True)
    with _progress(source.size) as advance, _rejects_file(rejects_to, source) as rejected:
        options.rejects = rejected
        summary = import_rows(store, noun.value, source, profile.for_noun(noun.value), options, advance)
    if summary_format is SummaryFormat.json:
        _report_json(summary, dry_run, rejects)
    else:
        _report(summary, dry_run, rejects)
    if summary.error_count and not skip_invalid:  # a dry run ends as the real run would
        raise typer.Exit(1)


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar in bytes read, on stderr when it is a terminal; nothing otherwise."""
    if not err_console().is_terminal:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("importing"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console(), transient=True) as bar:
        task = bar.add_task("import", total=total)
        yield lambda done: bar.update(task, completed=done)


def _rejects_target(path: Path | None, force: bool) -> Target | None:
    """Where the rejects go; an existing file is replaced only with ``force``."""
    if path is None:
        return None
    from verweefcli.files import plan_output

    target = plan_output(path, force=force)
    if target.is_stdout:
        raise UsageProblem("--rejects needs a file: standard output carries the import's summary")
    return target


@contextmanager
def _rejects_file(target: Target | None, source: Source) -> Iterator[Callable[[list[str], str], None] | None]:
    """Bad rows, unchanged plus an ``error`` column, in the file's own dialect; written as they come."""
    if target is None:
        yield None
        return
    import csv

    from verweefcli.files import open_output

    # the rows may hold personal data: readable by the owner only, like the database
    with open_output(target, encoding=source.dialect.encoding, private=True) as out:
        writer = csv.writer(out, delimiter=source.dialect.delimiter, lineterminator="\r\n")
        header: list[str] = []

        def reject(cells: list[str], message: str) -> None:
            if not header:
                header.extend(source.header or [])
                writer.writerow([*header, "error"])
            writer.writerow([*cells, message])

        yield reject
        if not header:
            writer.writerow([*(source.header or []), "error"])


def _report_json(summary: Summary, dry_run: bool, rejects: Path | None) -> None:
    """One JSON object on stdout: what a script needs to know (documented in the README)."""
    from verweefcli.render.serialize import to_json

    counts = summary.counts
    data = {
        "source": summary.source,
        "noun": summary.noun,
        "dry_run": dry_run,
        "written": summary.written,
        "rows": summary.rows,
        "inserted": counts["insert"],
        "updated": counts["update"],
        "skipped": counts["skip"],
        "rejected": counts["reject"],
        "rejects_file": str(rejects) if rejects is not None and counts["reject"] else None,
        "created": summary.created,
        "problems": summary.errors,
        "problem_count": summary.error_count,
        "warnings": summary.warnings,
        "warning_count": summary.warning_count,
        "seconds": round(summary.seconds, 3),
    }
    out(to_json(data))


def _report(summary: Summary, dry_run: bool, rejects: Path | None) -> None:
    """What happened, for people: the counts on stdout; problems and warnings on stderr."""
    if summary.error_count and not summary.written and not dry_run:
        _report_failure(summary)
        return
    counts = summary.counts
    rate = summary.rows / summary.seconds if summary.seconds > 0 else 0.0
    if dry_run:
        say("Dry run: nothing was written.")
    say(
        f"{summary.source}: {summary.rows} row(s) {'would be' if dry_run else 'were'}: {counts['insert']} inserted, "
        f"{counts['update']} updated, {counts['skip']} skipped, {counts['reject']} rejected "
        f"({summary.seconds:.1f} s, {rate:,.0f} rows/s)."
    )
    if summary.created:
        say(f"Created missing: {', '.join(summary.created)}.")
    _lines(summary.warnings, summary.warning_count, "warning(s)", prefix="Warning: ")
    if dry_run:
        for action in ("insert", "update", "skip"):
            for number, label in summary.examples[action]:
                say(f"  {action:<6} line {number}: {label}")
        for message in summary.errors:
            say(f"  reject {message}")
    if rejects is not None and counts["reject"]:
        say(f"{counts['reject']} rejected row(s) written to {rejects}.")


def _report_failure(summary: Summary) -> None:
    from rich.text import Text

    _lines(summary.errors, summary.error_count, "problem(s)")
    err_console().print(
        Text(f"Error: nothing imported: {summary.error_count} bad row(s) in {summary.source}", style="bold red")
    )


def _lines(messages: list[str], total: int, what: str, prefix: str = "") -> None:
    """The first messages on stderr, and how many more there are."""
    from rich.text import Text

    for message in messages:
        err_console().print(Text(prefix + message))
    if total > len(messages):
        err_console().print(Text(f"... and {total - len(messages)} more {what}"))


def export_command(
    ctx: typer.Context,
    noun: Annotated[
        ExportNoun,
        typer.Argument(
            metavar="|".join(ExportNoun),
            help="What to export; 'all' for everything.",
            parser=_records(ExportNoun),
            autocompletion=_complete_records(ExportNoun),
        ),
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", metavar=choices(ExportFormat), help="csv, json, or geojson (sites only)."),
    ] = ExportFormat.csv,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Belgian Excel: ';', decimal comma, UTF-8 with BOM.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write (a folder for 'all' as CSV); default, or -: standard output.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist.")] = False,
) -> None:
    """Export records as CSV (which 'verweef import' reads back), JSON or GeoJSON.

    Example: verweef export sites --excel -o sites.csv
    """
    from verweefcli.transfer import exporter

    if fmt is ExportFormat.geojson and noun is not ExportNoun.sites:
        raise UsageProblem("--format geojson is for sites only (they have coordinates)")
    if excel and fmt is not ExportFormat.csv:
        raise UsageProblem("--excel is a kind of CSV; leave out --format or use --format csv")
    per_kind = noun is ExportNoun.all and fmt is ExportFormat.csv  # one file per kind, in a folder
    nouns = [n.value for n in Noun] if per_kind else [noun.value]
    targets = _export_targets(nouns, output, force) if per_kind else [_export_target(output, force)]
    store = state(ctx).store(write=False)
    encoding = "utf-8-sig" if excel else "utf-8"
    for name, target in zip(nouns, targets, strict=True):

        def write(stream: IO[str], name: str = name) -> int:
            return exporter.export(store, name, fmt.value, stream, excel=excel)

        _to_file(target, encoding, write, "records" if name == "all" else name)


def _export_target(output: Path | None, force: bool) -> Target:
    from verweefcli.files import plan_output

    return plan_output(output if output is not None else "-", force=force)


def _export_targets(nouns: list[str], output: Path | None, force: bool) -> list[Target]:
    """The files of 'export all' as CSV, decided (and refused) before anything is read or written."""
    from verweefcli.files import plan_outputs

    if output is None or str(output) == "-":
        raise UsageProblem("export all as CSV writes one file per kind: give a folder with --output")
    if not output.is_dir():
        if output.exists():
            raise UsageProblem(f"{output} is not a folder: export all as CSV writes one file per kind into one")
        raise VerweefError(f"the folder {output} does not exist")
    return plan_outputs([output / f"{name}.csv" for name in nouns], force=force)


def _to_file(target: Target, encoding: str, write: Callable[[IO[str]], int], what: str) -> None:
    """Write one export: standard output, or a file readable by its owner only (it may hold personal data)."""
    from rich.text import Text

    from verweefcli.files import Kind, open_output

    with open_output(target, encoding=encoding, private=True) as stream:
        count = write(stream)
    if target.kind is not Kind.STREAM:
        err_console().print(Text(f"Wrote {count} {what} to {target.shown}."))
