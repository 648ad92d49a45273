"""The report for a person at a terminal: panels, tables and bars (rich).

Every text of the document is passed through
:func:`~verweefcli.render.terminal_text.terminal_safe` first, on one line: a
control character in a name shows escaped (``\\x1b``) and cannot act on the
terminal, neither on screen nor in a ``-f terminal -o FILE`` export.
"""

from __future__ import annotations

from dataclasses import replace

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from verweefcli.render.terminal_text import terminal_safe as safe
from verweefcli.report.document import Block, Bullets, Chart, Heading, Para, Table, Title

BAR = "█"


def _safe_table(table: Table) -> Table:
    return replace(
        table,
        columns=[safe(c) for c in table.columns],
        rows=[[safe(c) for c in row] for row in table.rows],
    )


def _safe_chart(chart: Chart) -> Chart:
    return replace(
        chart,
        title=safe(chart.title),
        months=[safe(m) for m in chart.months],
        series=[(safe(name), counts) for name, counts in chart.series],
        y_label=safe(chart.y_label),
    )


def _header(name: str) -> str:
    """Long names break after their hyphens: ``Zuid-West-Vlaanderen`` over three lines."""
    return name.replace("-", "-\n") if len(name) > 10 else name


def _widths(table: Table, columns: list[int]) -> int:
    total = 0
    for index in columns:
        header = max(len(part) for part in _header(table.columns[index]).splitlines() or [""])
        cells = max([len(row[index]) for row in table.rows] + [header])
        total += min(cells, 22) + 2
    return total


def _table(table: Table, width: int) -> RichTable:
    columns = list(range(len(table.columns)))
    if _widths(table, columns) > width:
        columns = [i for i in columns if i not in table.optional]
    out = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True)
    for index in columns:
        name, numeric = table.columns[index], table.numeric[index]
        out.add_column(Text(_header(name) if numeric else name), justify="right" if numeric else "left")
    for i, cells in enumerate(table.rows):
        out.add_row(*(Text(cells[index]) for index in columns), style="bold" if i in table.strong else None)
    return out


def _bars(chart: Chart, width: int) -> RenderableType:
    top = max([1, *(n for _, counts in chart.series for n in counts)])
    label_w = max([len(m) for m in chart.months] + [1])
    room = max(10, min(50, width - label_w - 30))
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for name, counts in chart.series:
        for month, n in zip(chart.months, counts, strict=True):
            bar = BAR * round(room * n / top) if n else ""
            grid.add_row(Text(name), Text(month), Text(bar, style="cyan"), Text(str(n)))
    return Group(Text(chart.title, style="bold"), grid)


def render_terminal(blocks: list[Block], console: Console) -> None:
    for block in blocks:
        if isinstance(block, Title):
            title, subtitle = Text(safe(block.text), style="bold"), Text(safe(block.subtitle), style="dim")
            console.print(Panel(Group(title, subtitle), box=box.ROUNDED))
        elif isinstance(block, Heading):
            if block.level == 2:
                console.print()
                console.rule(Text(safe(block.text), style="bold cyan"), align="left")
            else:
                console.print(Text(safe(block.text), style="bold" if block.level == 3 else "italic"))
        elif isinstance(block, Para):
            console.print(Text(safe(block.text), style="dim" if block.muted else ""))
        elif isinstance(block, Bullets):
            for item in block.items:
                console.print(Text("  • ") + Text(safe(item)))
        elif isinstance(block, Table):
            console.print(_table(_safe_table(block), console.width))
        elif isinstance(block, Chart):
            console.print(_bars(_safe_chart(block), console.width))
