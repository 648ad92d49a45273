"""``verweef report``: the quarterly status report."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from verweefcli.cli import completion
from verweefcli.cli.common import console, out, state
from verweefcli.cli.options import choices

if TYPE_CHECKING:
    from verweefcli.files import Target
    from verweefcli.report.build import Report
    from verweefcli.report.document import Block
    from verweefcli.vocab import Vocabulary

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


class ReportFormat(enum.StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"


class Language(enum.StrEnum):
    nl = "nl"
    en = "en"


_BY_SUFFIX = {
    ".md": ReportFormat.markdown,
    ".markdown": ReportFormat.markdown,
    ".json": ReportFormat.json,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
}


def choose_format(fmt: ReportFormat | None, output: Path | None) -> ReportFormat:
    """Explicit --format; else by the output file's suffix; else terminal on a TTY, Markdown in a pipe."""
    if fmt is not None:
        return fmt
    if output is not None:
        return _BY_SUFFIX.get(output.suffix.lower(), ReportFormat.markdown)
    return ReportFormat.terminal if sys.stdout.isatty() else ReportFormat.markdown


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            "-q",
            metavar="QUARTER",
            help="The quarter: 2026Q2, 2026-Q2 or 'Q2 2026' (default: the current one).",
        ),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Start of a period other than a quarter.")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="End of that period (inclusive).")] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="Only this region (repeatable; default: all).",
            autocompletion=completion.regions,
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            metavar=choices(Language),
            help="Language of the report (default: 'language' in the config, else nl).",
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar=choices(ReportFormat),
            help="terminal (default on a terminal), markdown (default in a pipe or a .md file), json, or html.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file instead of the screen (- is standard output).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The day the report is made (default today); same data and day, same bytes.",
        ),
    ] = None,
) -> None:
    """The quarterly status report: coaches, work, sites, contacts, company requests, nuisance, next steps.

    Example: verweef report quarterly --quarter 2026Q2 --lang en -o verslag-2026Q2.html
    """
    import datetime as dt

    from verweefcli.dates import parse_date, report_period
    from verweefcli.report.build import build_report

    st = state(ctx)
    day = parse_date(as_of) if as_of else dt.date.today()
    period = report_period(quarter, from_, to, day)
    if output is not None and str(output) == "-":
        output = None  # standard output, as without --output
    target = None
    if output is not None:  # refused (an existing file, a missing folder) before the report is built
        from verweefcli.files import plan_output

        target = plan_output(output, force=force)
    language = (lang.value if lang else None) or st.config.language
    chosen = choose_format(fmt, output)
    store = st.store(write=False)
    report = build_report(store, period, regions=region, as_of=day)
    if chosen is ReportFormat.terminal and target is None:
        from verweefcli.report.document import compose
        from verweefcli.report.render_terminal import render_terminal

        render_terminal(compose(report, store.vocab, language, st.config.coach), console())
        return
    _write(render(report, chosen, store.vocab, language, st.config.coach), target, chosen)


def render(report: Report, chosen: ReportFormat, vocab: Vocabulary, language: str, author: str | None) -> str:
    """The report as text in the chosen format (terminal: plain text, 100 columns)."""
    if chosen is ReportFormat.json:
        from verweefcli.render.serialize import to_json
        from verweefcli.report.build import report_as_dict

        return to_json({**report_as_dict(report), "language": language})
    from verweefcli.report.document import compose

    return _rendered(compose(report, vocab, language, author), chosen, language)


def _write(text: str, target: Target | None, chosen: ReportFormat) -> None:
    if target is None:
        out(text)  # a write error here is one line and exit 1 (VerweefGroup.invoke)
        return
    from verweefcli.files import Kind, open_output

    # no names of people: the usual mode of a new file (0666 minus the umask), not private
    with open_output(target) as stream:
        stream.write(text)
    if target.kind is not Kind.STREAM:
        from rich.text import Text

        from verweefcli.cli.common import err_console

        err_console().print(Text(f"Wrote {target.shown} ({chosen.value})."))


@app.command("term")
def term(
    ctx: typer.Context,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="Only this region (repeatable; default: every region with a coach).",
            autocompletion=completion.regions,
        ),
    ] = None,
    lang: Annotated[
        Language | None, typer.Option("--lang", metavar=choices(Language), help="Language (default: the config's).")
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", metavar=choices(ReportFormat), help="terminal, markdown, json or html."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file (- is standard output).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="The reference day (default today).")
    ] = None,
) -> None:
    """The evaluation over each coach's term: per quarter from the appointment, and the regions compared.

    Activities and hours by category, visits, sites per stage, the network, requests and nuisance by
    outcome; then every region per month of activity.

    Example: verweef report term --lang en -o evaluatie.html
    """
    import datetime as dt

    from verweefcli.dates import parse_date
    from verweefcli.report.build import region_ids
    from verweefcli.report.term import build_term, compose_term, term_as_dict

    st = state(ctx)
    day = parse_date(as_of) if as_of else dt.date.today()
    if output is not None and str(output) == "-":
        output = None
    target = None
    if output is not None:
        from verweefcli.files import plan_output

        target = plan_output(output, force=force)
    language = (lang.value if lang else None) or st.config.language
    chosen = choose_format(fmt, output)
    store = st.store(write=False)
    terms = build_term(store, day, region_ids(store, region) if region else None)
    if chosen is ReportFormat.json:
        from verweefcli.render.serialize import to_json

        _write(to_json({**term_as_dict(terms, day), "language": language}), target, chosen)
        return
    blocks = compose_term(terms, day, store.vocab, language)
    if chosen is ReportFormat.terminal and target is None:
        from verweefcli.report.render_terminal import render_terminal

        render_terminal(blocks, console())
        return
    _write(_rendered(blocks, chosen, language), target, chosen)


def _rendered(blocks: list[Block], chosen: ReportFormat, language: str) -> str:
    """Blocks as text in a format (terminal: plain text, 100 columns)."""
    if chosen is ReportFormat.markdown:
        from verweefcli.report.render_markdown import render_markdown

        return render_markdown(blocks)
    if chosen is ReportFormat.html:
        from verweefcli.report.render_html import render_html

        return render_html(blocks, language)
    from rich.console import Console

    from verweefcli.report.render_terminal import render_terminal

    with open(os.devnull, "w") as sink:
        buffer = Console(record=True, width=100, no_color=True, file=sink)
        render_terminal(blocks, buffer)
    return buffer.export_text()
