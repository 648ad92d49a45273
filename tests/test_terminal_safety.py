"""No control character from the data reaches a terminal ("Safe to run anywhere").

Names and notes may hold escape sequences, typed or imported from CSV. Every
terminal rendering shows them escaped (``\\x1b``, ``\\r``, ``\\u202e``...); JSON
and CSV keep the data exactly. The tests look at what really reaches the
terminal: rich consoles writing to a ``StringIO`` as if it were a terminal,
and the CLI through CliRunner, with and without ``FORCE_COLOR``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import Run
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.control import Control
from rich.text import Text

from verweefcli.render.serialize import restore
from verweefcli.render.tables import print_list, print_record
from verweefcli.render.terminal_text import SafeConsole, terminal_safe
from verweefcli.report.document import Block, Bullets, Chart, Heading, Para, Table, Title
from verweefcli.report.render_terminal import render_terminal

# What must never reach a terminal from the data: C0 but tab and newline, DEL,
# C1, the bidi controls, the line and paragraph separators.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# rich's own styling (bold, colours): the only escape sequences it may write itself.
SGR = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = {
    "clear": ("Zone\x1b[2J", "Zone\\x1b[2J"),
    "hyperlink": ("\x1b]8;;http://evil.example\x07click\x1b]8;;\x07", "\\x1b]8;;http://evil.example\\x07click"),
    "c1": ("Rood\x9b31m", "Rood\\x9b31m"),
    "return": ("goed\rkwaad", "goed\\rkwaad"),
    "backspace": ("abc\x08\x08\x08xyz", "abc\\x08\\x08\\x08xyz"),
    "bidi": ("\u202egnp.exe\u202c", "\\u202egnp.exe\\u202c"),
    "isolate": ("\u2067rtl\u2069", "\\u2067rtl\\u2069"),
    "title": ("\x1b]0;pwned\x07Titel", "\\x1b]0;pwned\\x07Titel"),
    "delete": ("a\x7fb", "a\\x7fb"),
    "newline": ("twee\nregels", "twee\\nregels"),
}


def reaching(output: str) -> str:
    """What of ``output`` is not rich's own styling."""
    return SGR.sub("", output)


def assert_clean(output: str) -> None:
    found = FORBIDDEN.findall(reaching(output))
    assert not found, f"raw control characters reached the terminal: {found!r}\n{output!r}"


def terminal(*, width: int = 200, safe: bool = False, colour: bool = True) -> Console:
    """A rich console that believes it writes to a terminal (colours and all)."""
    kind = SafeConsole if safe else Console
    return kind(
        file=io.StringIO(),
        force_terminal=True,
        width=width,
        color_system="truecolor" if colour else None,
        highlight=False,
    )


def output_of(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


# --- the function ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_texts_are_shown_escaped(raw: str, shown: str) -> None:
    safe = terminal_safe(raw)
    assert shown in safe
    assert not FORBIDDEN.search(safe) and "\n" not in safe


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x00", "\\x00"),
        ("\x1f", "\\x1f"),
        ("\x85", "\\x85"),  # NEL, a C1 line break
        ("\u200f", "\\u200f"),
        ("\u061c", "\\u061c"),
        ("\u2028", "\\u2028"),
        ("\ud83d", "\\ud83d"),  # a lone surrogate could not even be written
        ("a\tb", "a\tb"),  # a tab is left for rich to expand
        ("Café Één – ★ 🏭", "Café Één – ★ 🏭"),
        ("C:\\x1b", "C:\\x1b"),  # backslashes are left alone
    ],
)
def test_the_documented_forms(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


def test_a_text_that_may_span_lines_keeps_its_line_breaks() -> None:
    assert terminal_safe("een\r\ntwee\nd\rrie\x1b[2J", one_line=False) == "een\ntwee\nd\\rrie\\x1b[2J"
    assert terminal_safe("een\r\ntwee") == "een\\r\\ntwee"


_any_text = st.lists(
    st.one_of(
        st.sampled_from(["\x1b", "\x9b", "\x07", "\x08", "\r", "\n", "\r\n", "\t", "\u202e", "\u2066", "\\", "[2J"]),
        st.characters(),
        st.characters(min_codepoint=0x80, max_codepoint=0x9F),
    ),
    max_size=30,
).map("".join)


@given(_any_text)
@example("\x1b[2J\r\n\u202e")
def test_nothing_unsafe_survives(text: str) -> None:
    line = terminal_safe(text)
    assert not FORBIDDEN.search(line) and "\n" not in line
    assert terminal_safe(line) == line  # escaping twice changes nothing more
    block = terminal_safe(text, one_line=False)
    assert not FORBIDDEN.search(block)
    assert block.count("\n") == text.replace("\r\n", "\n").count("\n")
    if not FORBIDDEN.search(text) and "\n" not in text:
        assert line == text  # ordinary text is left exactly as it is


# --- what rich does by itself -----------------------------------------------------------------


def test_rich_alone_lets_control_characters_through() -> None:
    """Why verweef escapes: rich's Text drops BEL, BS, VT, FF and CR silently,
    but passes ESC, C1 and the bidi controls straight to the terminal."""
    console = terminal()
    console.print(Text("A\x1b[2J B\x9b31m C\u202eD E\rF G\x07H"))
    out = reaching(output_of(console))
    assert "\x1b[2J" in out and "\x9b" in out and "\u202e" in out
    assert "EF" in out and "GH" in out  # CR and BEL gone without a trace


def test_the_safe_console_escapes_nested_renderables_and_after_an_abandoned_render() -> None:
    """SafeConsole checks the segments of its outermost render only (nested ones pass through it):
    a table in a panel is escaped, and a render left half-way does not switch the check off."""
    from rich.panel import Panel
    from rich.table import Table as RichTable

    console = terminal(safe=True)
    table = RichTable("cel")
    for raw, _ in HOSTILE.values():
        table.add_row(raw)
    abandoned = iter(console.render(Panel(table)))
    next(abandoned)
    del abandoned  # CPython closes it here
    console.print(Panel(table))
    assert_clean(output_of(console))


# --- renderers, on a plain rich console (their own escaping) ----------------------------------


def _hostile_records() -> list[dict[str, object]]:
    return [
        {
            "id": i,
            "name": raw,
            "municipality": raw,
            "region": raw,
            "kind": "company-site",
            "stage": "identified",
            "tags": [raw, "geur"],
            "notes": f"regel één\r\n{raw}\nregel drie",
        }
        for i, (raw, _) in enumerate(HOSTILE.values(), start=1)
    ]


@pytest.mark.parametrize("colour", [True, False])
@pytest.mark.parametrize("safe", [False, True])
def test_list_tables_show_escapes(safe: bool, colour: bool) -> None:
    console = terminal(safe=safe, colour=colour)
    print_list(console, "site", _hostile_records())
    out = output_of(console)
    assert_clean(out)
    if not colour:
        assert "\x1b" not in out
    for name, (_, shown) in HOSTILE.items():
        if name not in ("hyperlink", "title"):  # long ones wrap inside their cell
            assert shown in out, name


@pytest.mark.parametrize("safe", [False, True])
def test_activity_and_contact_tables_show_escapes(safe: bool) -> None:
    console = terminal(safe=safe)
    raw = HOSTILE["clear"][0] + HOSTILE["bidi"][0]
    print_list(console, "activity", [{"id": 1, "date": "2026-01-02", "kind": "visit", "title": raw, "highlight": True}])
    print_list(console, "contact", [{"id": 1, "name": raw, "organisation": raw, "role": raw, "region": raw}])
    print_list(console, "region", [{"id": 1, "name": raw, "coach": raw, "municipalities": [raw]}])
    assert_clean(output_of(console))
    assert "Zone\\x1b[2J\\u202e" in output_of(console)


@pytest.mark.parametrize("safe", [False, True])
def test_record_views_show_escapes_and_keep_the_lines_of_notes(safe: bool) -> None:
    console = terminal(safe=safe, width=120)
    record = {
        **_hostile_records()[0],
        "address": "Dok Noord 1\nGent\x1b[31m",
        "stages": [{"since": "2026-01-02", "stage": HOSTILE["c1"][0]}],
        "contacts": [{"id": 3, "name": HOSTILE["bidi"][0], "organisation": "\x1b[5m", "role": "buur\r"}],
        "activities": [{"id": 4, "date": "2026-01-03", "kind": "visit", "title": HOSTILE["title"][0], "minutes": 5}],
    }
    print_record(console, "site", record, ("id", "name", "address", "region", "tags", "notes"))
    out = output_of(console)
    assert_clean(out)
    lines = reaching(out).splitlines()
    assert any(line.rstrip().endswith("regel één") for line in lines)  # \r\n ends a line of notes
    assert any("Zone\\x1b[2J" in line and "regel" not in line for line in lines)  # its own line
    assert any(line.rstrip().endswith("Gent\\x1b[31m") for line in lines)
    assert re.search(r"^name +Zone\\x1b\[2J *$", reaching(out), re.MULTILINE)
    assert "\\x9b31m" in out and "buur\\r" in out and "\\x1b[5m" in out


def _hostile_report() -> list[Block]:
    bad = "Gent\x1b[2J\u202e\x9b"
    return [
        Title(f"Verslag {bad}", f"ondertitel\r{bad}"),
        Heading(2, f"1. Sectie {bad}"),
        Heading(3, bad),
        Heading(4, bad),
        Para(f"Alinea\n{bad}"),
        Para(bad, muted=True),
        Bullets([f"punt {bad}", "\x1b]8;;http://evil\x07klik\x1b]8;;\x07"]),
        Table(
            columns=["Regio", f"Zuid-West-Vlaanderen{bad}"],
            rows=[[bad, "3"], ["Totaal", "3"]],
            numeric=[False, True],
            strong={1},
        ),
        Chart(title=f"Per maand {bad}", months=[f"jan{bad}"], series=[(bad, [3])], y_label=bad),
    ]


@pytest.mark.parametrize("safe", [False, True])
def test_the_report_on_a_terminal(safe: bool) -> None:
    console = terminal(safe=safe, width=100)
    render_terminal(_hostile_report(), console)
    out = output_of(console)
    assert_clean(out)
    assert "Gent\\x1b[2J\\u202e\\x9b" in out
    assert "Alinea\\nGent" in out


def test_the_report_as_terminal_text_in_a_file() -> None:
    """``report quarterly -f terminal -o FILE`` records a console like this one (cli/report.py)."""
    import os

    with open(os.devnull, "w") as sink:
        buffer = Console(record=True, width=100, no_color=True, file=sink)
        render_terminal(_hostile_report(), buffer)
    text = buffer.export_text()
    assert not FORBIDDEN.search(text)
    assert "Verslag Gent\\x1b[2J\\u202e\\x9b" in text


# --- the safe console: the net under everything printed for people ---------------------------


def test_the_safe_console_escapes_what_nobody_escaped() -> None:
    console = terminal(safe=True)
    console.print(Text("Error: ") + Text("no site named 'X\x1b[2J\u202e'"))
    console.print("markup [bold]too[/bold] \x9b31m")
    console.print(Text("twee\nregels\x1b[5m"))
    out = output_of(console)
    assert_clean(out)
    assert "'X\\x1b[2J\\u202e'" in out and "\\x9b31m" in out
    assert "twee\nregels\\x1b[5m" in reaching(out)  # a line break of the text stays one


def test_the_safe_console_keeps_its_own_control_codes() -> None:
    console = terminal(safe=True)
    console.print(Control.move_to(2, 3), Text("x"))
    console.print(Text("vet", style="bold red"))
    out = output_of(console)
    assert "\x1b[4;3H" in out  # rich's cursor move passes as is
    assert "\x1b[1;31mvet" in out  # and so do its styles


def test_a_progress_bar_still_draws() -> None:
    from rich.progress import BarColumn, Progress, TextColumn

    console = terminal(safe=True, width=80)
    with Progress(TextColumn("\x1b[2Jlezen"), BarColumn(), console=console, auto_refresh=False) as bar:
        task = bar.add_task("import", total=10)
        bar.update(task, advance=5)
        bar.refresh()
    out = output_of(console)
    assert "\\x1b[2J" in out and "\x1b[2J" not in out  # measured before it was escaped: cut short


# --- the CLI ------------------------------------------------------------------------------------
#
# New names with control characters may be refused when they are typed or
# imported; a database written before that, or by another program, still has
# them. The data is therefore put in with SQL, under the commands' feet.

NAME = "Zwaan\x1b[2J\x9b31m\u202e\r\x08"
SHOWN = "Zwaan\\x1b[2J\\x9b31m\\u202e\\r\\x08"
REGION = "Gent\x1b[2J"
TITLE = "Bezoek\x1b]0;pwned\x07"
CONTACT = "An\u202ePeeters\nJr"


@pytest.fixture
def hostile(ok: Run, db_file: Path) -> Run:
    """A database whose names, titles and notes are full of control characters."""
    ok("region", "add", "Gent", "--coach", "Jonas", "--appointed-on", "2026-01-05")
    ok("site", "add", "Zwaan", "--region", "Gent", "--date", "2026-01-06")
    ok("contact", "add", "An Peeters", "--organisation", "Stad Gent", "--region", "Gent", "--site", "Zwaan")
    ok("visit", "add", "Zwaan", "--date", "2026-02-01", "--title", "Bezoek", "--highlight", "--contact", "An Peeters")
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE region SET name = ?, coach = ?", (REGION, HOSTILE["hyperlink"][0]))
        conn.execute("UPDATE site SET name = ?, notes = ?", (NAME, "lijn 1\r\nlijn 2\x1b[5m"))
        conn.execute("UPDATE contact SET name = ?, organisation = ?", (CONTACT, "Stad\x07Gent"))
        conn.execute("UPDATE activity SET title = ?, notes = ?", (TITLE, "\x1b[2J"))
    conn.close()
    return ok


@pytest.mark.parametrize("colour", [False, True])
def test_lists_and_records(hostile: Run, colour: bool) -> None:
    env = {"FORCE_COLOR": "1"} if colour else None
    for args in (
        ("region", "list"),
        ("site", "list"),
        ("contact", "list"),
        ("activity", "list"),
        ("visit", "list"),
        ("region", "show", "1"),
        ("site", "show", "1"),
        ("contact", "show", "1"),
        ("activity", "show", "1"),
    ):
        out = hostile(*args, env=env).stdout
        assert_clean(out)
        if not colour:
            assert "\x1b" not in out, args
    site = hostile("site", "show", "1", env=env).stdout
    assert SHOWN in site and "lijn 2\\x1b[5m" in site and "Bezoek\\x1b]0;pwned\\x07" in site
    assert "An\\u202ePeeters\\nJr" in hostile("contact", "list", env=env).stdout


@pytest.mark.parametrize("colour", [False, True])
def test_one_line_messages(hostile: Run, colour: bool) -> None:
    env = {"FORCE_COLOR": "1"} if colour else None
    messages = [
        hostile("visit", "add", "1", "--date", "2026-02-02", env=env).stdout,  # "... at SITE."
        hostile("site", "edit", "1", "--owner", "x", env=env).stdout,  # "Updated site #1 NAME (stage)."
        hostile("contact", "edit", "1", "--role", "", env=env).stdout,
        hostile("contact", "remove", "1", "--yes", env=env).stdout,  # "Removed contact #1 NAME."
    ]
    for out in messages:
        assert_clean(out)
    # each on its first line: a newline in a name is shown as \n (what follows a removal is its effects)
    first = [reaching(out).splitlines()[0] for out in messages]
    assert first[0].endswith(f"at {SHOWN}.") and first[1].startswith(f"Updated site #1 {SHOWN} (")
    assert first[2] == "Updated contact #1 An\\u202ePeeters\\nJr."
    assert first[3] == "Removed contact #1 An\\u202ePeeters\\nJr."


def test_error_messages_are_escaped(cli: Run) -> None:
    result = cli("site", "show", "Geen\x1b[2J\u202e")
    assert result.exit_code == 1
    assert_clean(result.stderr)
    assert "Geen\\x1b[2J\\u202e" in result.stderr


@pytest.mark.parametrize("colour", [False, True])
def test_the_quarterly_report_on_screen_and_as_text(hostile: Run, tmp_path: Path, colour: bool) -> None:
    env = {"FORCE_COLOR": "1"} if colour else None
    args = ("report", "quarterly", "-q", "2026Q1", "--as-of", "2026-03-31", "-f", "terminal")
    out = hostile(*args, env=env).stdout
    assert_clean(out)
    assert "Gent\\x1b[2J" in out and "Bezoek\\x1b]0;pwned\\x07" in out
    target = tmp_path / "verslag.txt"
    hostile(*args, "-o", target, env=env)
    text = target.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(text)
    assert "Gent\\x1b[2J" in text and "Bezoek\\x1b]0;pwned\\x07" in text


def test_json_and_csv_keep_the_data_exactly(hostile: Run) -> None:
    sites = json.loads(hostile("site", "list", "-f", "json").stdout)
    assert sites[0]["name"] == NAME
    assert sites[0]["notes"] == "lijn 1\r\nlijn 2\x1b[5m"
    region = json.loads(hostile("region", "show", "1", "-f", "json").stdout)
    assert region["name"] == REGION and region["coach"] == HOSTILE["hyperlink"][0]
    activity = json.loads(hostile("activity", "show", "1", "-f", "json").stdout)
    assert activity["title"] == TITLE
    rows = list(csv.DictReader(io.StringIO(hostile("site", "list", "-f", "csv").stdout, newline="")))
    assert restore(rows[0]["name"]) == NAME
    contacts = list(csv.DictReader(io.StringIO(hostile("contact", "list", "-f", "csv").stdout, newline="")))
    assert restore(contacts[0]["name"]) == CONTACT
    edited = json.loads(hostile("site", "edit", "1", "--owner", "y", "-f", "json").stdout)
    assert edited["name"] == NAME


def test_values_imported_from_csv(ok: Run, tmp_path: Path) -> None:
    """Whatever the importer accepts is shown escaped; whatever it refuses is reported escaped."""
    ok("region", "add", "Gent")
    source = tmp_path / "sites.csv"
    source.write_text(
        'naam;regio;opmerkingen\n"Import\x1b[2J\x9b";Gent;"a\x07b"\nGewoon;Gent;"\x1b]8;;http://evil\x07x"\n',
        encoding="utf-8",
    )
    result = ok("import", "sites", source, "--skip-invalid", "--rejects", tmp_path / "rejects.csv")
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    for args in (("site", "list"), ("site", "show", "Gewoon")):
        assert_clean(ok(*args).stdout)
    assert "\\x1b]8;;http://evil\\x07x" in ok("site", "show", "Gewoon").stdout
