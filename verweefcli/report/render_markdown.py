"""The report as CommonMark with GFM tables, ready to paste into a note.

Every text from the database is escaped, so a name with ``|``, ``#``, ``*``,
``<b>`` or a line break cannot break a table, start a heading or inject HTML.
"""

from __future__ import annotations

import re

from verweefcli.report.document import Block, Bullets, Chart, Heading, Para, Table, Title

# Characters with a meaning anywhere in CommonMark/GFM inline text; a
# backslash makes each of them literal (CommonMark 2.4).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# At the start of a paragraph or list item these would start a block.
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Unescaped emphasis: no text from the database can ever render as this.
CHART_PLACEHOLDER = "VERWEEF*CHART*"
CHART_PLACEHOLDER_HTML = "<p>VERWEEF<em>CHART</em></p>"


def normalise(text: str) -> str:
    """What a text becomes in the report: one line, single spaces, no control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def escape(text: str, *, block: bool = False) -> str:
    """Make any text literal Markdown: inline (cells, headings) or as a ``block`` (items, paragraphs)."""
    escaped = _SPECIAL.sub(r"\\\1", normalise(text))
    if block:
        escaped = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)
    return escaped


def _table(table: Table) -> list[str]:
    def row(cells: list[str], strong: bool = False) -> str:
        texts = [escape(c) for c in cells]
        if strong:
            texts = [f"**{t}**" if t else t for t in texts]
        return "| " + " | ".join(texts) + " |"

    lines = [row(table.columns)]
    lines.append("| " + " | ".join("---:" if n else "---" for n in table.numeric) + " |")
    lines += [row(cells, i in table.strong) for i, cells in enumerate(table.rows)]
    return lines


def _chart_label(text: str) -> str:
    return re.sub(r"[^\w .,/'-]", "", normalise(text), flags=re.UNICODE)


def mermaid(chart: Chart) -> list[str]:
    """A Mermaid bar chart: one bar per region and month (renders on GitHub, GitLab...)."""
    labels, values = [], []
    for name, counts in chart.series:
        for month, n in zip(chart.months, counts, strict=True):
            labels.append(f'"{_chart_label(name)} {_chart_label(month)}"')
            values.append(str(n))
    top = max([1, *(n for _, counts in chart.series for n in counts)])
    return [
        "```mermaid",
        "xychart-beta",
        f'    title "{_chart_label(chart.title)}"',
        f"    x-axis [{', '.join(labels)}]",
        f'    y-axis "{_chart_label(chart.y_label)}" 0 --> {top}',
        f"    bar [{', '.join(values)}]",
        "```",
    ]


def render_markdown(blocks: list[Block], *, chart_placeholder: bool = False) -> str:
    """``chart_placeholder`` leaves a marker paragraph where the chart goes (for HTML)."""
    parts: list[list[str]] = []
    for block in blocks:
        if isinstance(block, Title):
            parts.append([f"# {escape(block.text)}"])
            parts.append([f"*{escape(block.subtitle)}*"])
        elif isinstance(block, Heading):
            parts.append([f"{'#' * block.level} {escape(block.text)}"])
        elif isinstance(block, Para):
            text = escape(block.text, block=True)
            parts.append([f"*{text}*" if block.muted else text])
        elif isinstance(block, Bullets):
            parts.append([f"- {escape(item, block=True)}" for item in block.items])
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append([CHART_PLACEHOLDER] if chart_placeholder else mermaid(block))
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"
