"""``verweef import`` and ``verweef export``: CSV in and out, for spreadsheets and scripts; contacts as
vCards (in and out) for address books, and the activities' follow-ups as a calendar (out)."""

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
    from verweefcli.transfer.source import Dialect, Source


class Noun(enum.StrEnum):
    """In the order an 'export all' folder is read back: what a row names comes before it."""

    regions = "regions"
    sites = "sites"
    contacts = "contacts"
    companies = "companies"
    requests = "requests"
    activities = "activities"
    nuisance = "nuisance"
    measures = "measures"


class ExportNoun(enum.StrEnum):
    regions = "regions"
    sites = "sites"
    contacts = "contacts"
    companies = "companies"
    requests = "requests"
    activities = "activities"
    nuisance = "nuisance"
    measures = "measures"
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
    vcard = "vcard"
    ics = "ics"


#: the formats for one kind of record only: that kind, and why
_ONE_KIND = {
    ExportFormat.geojson: (ExportNoun.sites, "they have coordinates"),
    ExportFormat.vcard: (ExportNoun.contacts, "one card per person, for address books"),
    ExportFormat.ics: (ExportNoun.activities, "their follow-ups, for calendars"),
}


Records = TypeVar("Records", Noun, ExportNoun)
_PLURAL = {
    "region": "regions",
    "site": "sites",
    "contact": "contacts",
    "company": "companies",
    "request": "requests",
    "activity": "activities",
    "measure": "measures",
}


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
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="The CSV file, a vCard file (.vcf: contacts), or - for standard input."),
    ],
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
    """Import records from CSV (Belgian Excel welcome), or contacts from vCards.

    All or nothing by default: one bad row and nothing is written. A vCard file (.vcf, or one that
    starts with BEGIN:VCARD: from an address book or a phone) holds contacts; each card is read as
    a CSV row is, with the same matching and checks.

    Example: verweef import sites sites.csv --mapping profiel.yaml --dry-run
    """
    from verweefcli.transfer.importer import Options, import_rows
    from verweefcli.transfer.profile import Profile, load_profile
    from verweefcli.transfer.source import Dialect, check_date_format, detect_encoding, open_source
    from verweefcli.transfer.vcard import is_vcard

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
    if file != "-":
        ctx.call_on_close(source.stream.raw.close)  # also when the import stops on an error
    vcard = is_vcard(source)
    if vcard:
        _check_vcard_import(noun, file, delimiter=delimiter, decimal=decimal, date_format=date_format)
        fmt = None  # the profile's CSV format does not apply, its encoding neither (nothing is read yet)
        source.dialect = Dialect(source.dialect.encoding if encoding else detect_encoding(source.stream.prefix), ",")
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
    # the rejected cards of a vCard file are CSV rows of their fields (fix them, import them as CSV)
    dialect = Dialect("utf-8", ",") if vcard else source.dialect
    with _progress(source.size) as advance, _rejects_file(rejects_to, dialect, source) as rejected:
        options.rejects = rejected
        if vcard:
            from verweefcli.transfer.vcard import card_rows

            cards = card_rows(source, store, profile.for_noun("contacts"), st.config.language)
            summary = import_rows(
                store, noun.value, source, cards.profile, options, advance, rows=cards.rows, unit="card"
            )
        else:
            summary = import_rows(store, noun.value, source, profile.for_noun(noun.value), options, advance)
    if summary_format is SummaryFormat.json:
        _report_json(summary, dry_run, rejects)
    else:
        _report(summary, dry_run, rejects)
    if summary.error_count and not skip_invalid:  # a dry run ends as the real run would
        raise typer.Exit(1)


def _check_vcard_import(
    noun: Noun, file: str, *, delimiter: str | None, decimal: Decimal | None, date_format: str | None
) -> None:
    """A vCard file holds contacts, and has no delimiter, decimal mark or date format to force."""
    if noun is not Noun.contacts:
        shown = "a file that starts with BEGIN:VCARD" if file == "-" else f"{file} (a vCard file)"
        raise UsageProblem(f"{shown} holds contacts: verweef import contacts {file}")
    given = [
        name
        for name, value in (("--delimiter", delimiter), ("--decimal", decimal), ("--date-format", date_format))
        if value
    ]
    if given:
        raise UsageProblem(f"{', '.join(given)}: for CSV files only; a vCard file has none")


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
def _rejects_file(
    target: Target | None, dialect: Dialect, source: Source
) -> Iterator[Callable[[list[str], str], None] | None]:
    """Bad rows, unchanged plus an ``error`` column, in ``dialect`` (the file's own); written as they come."""
    if target is None:
        yield None
        return
    import csv

    from verweefcli.files import open_output

    # the rows may hold personal data: readable by the owner only, like the database
    with open_output(target, encoding=dialect.encoding, private=True) as out:
        writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
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
        "search_deferred": summary.search_deferred if summary.written else 0,
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
    rows = "card" if summary.unit == "card" else "row"
    if dry_run:
        say("Dry run: nothing was written.")
    say(
        f"{summary.source}: {summary.rows} {rows}(s) {'would be' if dry_run else 'were'}: {counts['insert']} inserted, "
        f"{counts['update']} updated, {counts['skip']} skipped, {counts['reject']} rejected "
        f"({summary.seconds:.1f} s, {rate:,.0f} {rows}s/s)."
    )
    if summary.created:
        say(f"Created missing: {', '.join(summary.created)}.")
    if summary.written and summary.search_deferred:
        say(
            f"The search index of the {summary.search_deferred:,} new activities is written by the first search "
            "(or now: verweef db check --repair)."
        )
    _lines(summary.warnings, summary.warning_count, "warning(s)", prefix="Warning: ")
    if dry_run:
        for action in ("insert", "update", "skip"):
            for number, label in summary.examples[action]:
                say(f"  {action:<6} {summary.unit} {number}: {label}")
        for message in summary.errors:
            say(f"  reject {message}")
    if rejects is not None and counts["reject"]:
        say(f"{counts['reject']} rejected {rows}(s) written to {rejects}.")


def _report_failure(summary: Summary) -> None:
    from rich.text import Text

    _lines(summary.errors, summary.error_count, "problem(s)")
    err_console().print(
        Text(
            f"Error: nothing imported: {summary.error_count} bad {'card' if summary.unit == 'card' else 'row'}(s) "
            f"in {summary.source}",
            style="bold red",
        )
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
        typer.Option(
            "--format",
            "-f",
            metavar=choices(ExportFormat),
            help="csv, json; geojson (sites), vcard (contacts), ics (the follow-ups of activities).",
        ),
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
    contact: Annotated[
        list[str] | None,
        typer.Option(
            "--contact",
            "-c",
            metavar="CONTACT",
            help="vcard: only this contact (id, uuid or name; repeatable).",
            autocompletion=completion.contacts,
        ),
    ] = None,
    events: Annotated[
        bool, typer.Option("--events", help="ics: all-day events on the due days instead of to-dos.")
    ] = False,
) -> None:
    """Export records as CSV (which 'verweef import' reads back), JSON, GeoJSON, vCard or iCalendar.

    --format vcard writes contacts as vCard 3.0 for address books (which 'verweef import' reads back too);
    --format ics writes the follow-ups of activities as a calendar of to-dos (or --events).

    Example: verweef export sites --excel -o sites.csv
    """
    from verweefcli.transfer import exporter

    _check_export(noun, fmt, excel=excel, contact=contact, events=events)
    if fmt in (ExportFormat.vcard, ExportFormat.ics):
        _export_one_kind(ctx, fmt, _export_target(output, force), contact=contact, events=events)
        return
    per_kind = noun is ExportNoun.all and fmt is ExportFormat.csv  # one file per kind, in a folder
    nouns = [n.value for n in Noun] if per_kind else [noun.value]
    targets = _export_targets(nouns, output, force) if per_kind else [_export_target(output, force)]
    store = state(ctx).store(write=False)
    encoding = "utf-8-sig" if excel else "utf-8"
    for name, target in zip(nouns, targets, strict=True):

        def write(stream: IO[str], name: str = name) -> int:
            return exporter.export(store, name, fmt.value, stream, excel=excel)

        _to_file(target, encoding, write, "records" if name == "all" else name)


def _check_export(noun: ExportNoun, fmt: ExportFormat, *, excel: bool, contact: list[str] | None, events: bool) -> None:
    """Options that do not go together are a usage error, before anything is read or written."""
    if fmt in _ONE_KIND and noun is not _ONE_KIND[fmt][0]:
        kind, why = _ONE_KIND[fmt]
        raise UsageProblem(f"--format {fmt} is for {kind} only ({why})")
    if excel and fmt is not ExportFormat.csv:
        raise UsageProblem("--excel is a kind of CSV; leave out --format or use --format csv")
    if contact and fmt is not ExportFormat.vcard:
        raise UsageProblem("--contact goes with --format vcard: verweef export contacts --format vcard --contact NAME")
    if events and fmt is not ExportFormat.ics:
        raise UsageProblem("--events goes with --format ics: verweef export activities --format ics --events")


def _export_one_kind(
    ctx: typer.Context, fmt: ExportFormat, target: Target, *, contact: list[str] | None, events: bool
) -> None:
    """Contacts as vCards, or the activities' follow-ups as a calendar: UTF-8, readable by the owner only."""
    st = state(ctx)
    store = st.store(write=False)
    if fmt is ExportFormat.vcard:
        from verweefcli.transfer.vcard import contact_ids, export_vcards

        ids = contact_ids(store, contact) if contact else None  # an unknown name: an error before writing
        language = st.config.language

        def cards(stream: IO[str]) -> int:
            return export_vcards(store, stream, ids=ids, lang=language)

        _to_file(target, "utf-8", cards, "contacts")
        return
    from verweefcli.transfer.calendar_export import export_ics

    def calendar(stream: IO[str]) -> int:
        return export_ics(store, stream, events=events)

    _to_file(target, "utf-8", calendar, "follow-ups")


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
        one, many = _WORDS.get(what, (what[:-1], what))
        err_console().print(Text(f"Wrote {count} {one if count == 1 else many} to {target.shown}."))


_WORDS = {
    "activities": ("activity", "activities"),
    "companies": ("company", "companies"),
    "nuisance": ("nuisance case", "nuisance cases"),
}
