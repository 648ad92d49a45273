"""The report as CommonMark with GFM tables, ready to paste into a note.

Every text from the database is escaped, so a name with ``|``, ``#``, ``*``,
``<b>`` or a line break cannot break a table, start a heading or inject HTML,
and a web or e-mail address in it does not become a link: GFM renderers
(GitHub, GitLab...) turn ``www.example.be``, ``http://...``, ``https://...``,
``ftp://...``, ``mailto:``, ``xmpp:`` and ``an@example.be`` into links by
themselves ("extended autolinks"). Only the report's own structure is markup.

- ``www.`` becomes ``www\\.`` and the ``:`` of ``://``, ``mailto:`` and
  ``xmpp:`` becomes ``\\:``: a backslash escape renders as the character
  itself, and GFM (cmark-gfm) and markdown-it's linkify start no link there.
- An ``@`` after a character that can end the name of an e-mail address gets
  an invisible WORD JOINER (U+2060) in front of it. A backslash escape is not
  enough there: cmark-gfm looks for e-mail addresses after escapes have been
  resolved, so ``an\\@example.be`` is still a link on GitHub. The HTML page
  (markdown-it, which links nothing by itself) is made without it.
"""

from __future__ import annotations

import re

from verweefcli.report.document import Block, Bullets, Chart, Heading, Para, Table, Title

# Characters with a meaning anywhere in CommonMark/GFM inline text; a
# backslash makes each of them literal (CommonMark 2.4).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# At the start of a paragraph or list item these would start a block.
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
# C0 and DEL, C1, and the bidi controls (marks, embeddings, overrides, isolates).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# GFM extended autolinks (www., http:// https:// ftp://, mailto: xmpp:), made literal.
_WWW = re.compile(r"(?i)(www)\.")
_SCHEME_COLON = re.compile(r"(?i)(?::(?=//)|(?<=mailto):|(?<=xmpp):)")
# An ``@`` right after a character of an e-mail address's local part.
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@")
WORD_JOINER = "\u2060"
# Unescaped emphasis: no text from the database can ever render as this.
CHART_PLACEHOLDER = "VERWEEF*CHART*"
CHART_PLACEHOLDER_HTML = "<p>VERWEEF<em>CHART</em></p>"


def normalise(text: str) -> str:
    """What a text becomes in the report: one line, single spaces, no control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def unlink(text: str) -> str:
    """``an@example.be`` -> ``an`` U+2060 ``@example.be``: the same to the eye, no e-mail autolink in GFM."""
    return _EMAIL_AT.sub(WORD_JOINER + "@", text)


def escape(text: str, *, block: bool = False, gfm: bool = True) -> str:
    """Make any text literal Markdown: inline (cells, headings) or as a ``block`` (items, paragraphs).

    It renders as ``normalise(text)``, or with ``gfm`` (the default: for
    Markdown that GitHub or GitLab may render) as ``unlink(normalise(text))``.
    """
    plain = normalise(text)
    escaped = _SPECIAL.sub(r"\\\1", unlink(plain) if gfm else plain)
    escaped = _SCHEME_COLON.sub(r"\\:", _WWW.sub(r"\1\\.", escaped))
    if block:
        escaped = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)
    return escaped


def _table(table: Table, gfm: bool = True) -> list[str]:
    def row(cells: list[str], strong: bool = False) -> str:
        texts = [escape(c, gfm=gfm) for c in cells]
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


def render_markdown(blocks: list[Block], *, chart_placeholder: bool = False, gfm: bool = True) -> str:
    """``chart_placeholder`` leaves a marker paragraph where the chart goes (for HTML).

    ``gfm=False`` leaves out the word joiners that keep GFM from linking
    e-mail addresses (see :func:`escape`): for a renderer that links nothing.
    """

    def esc(text: str, block: bool = False) -> str:
        return escape(text, block=block, gfm=gfm)

    parts: list[list[str]] = []
    for block in blocks:
        if isinstance(block, Title):
            parts.append([f"# {esc(block.text)}"])
            parts.append([f"*{esc(block.subtitle)}*"])
        elif isinstance(block, Heading):
            parts.append([f"{'#' * block.level} {esc(block.text)}"])
        elif isinstance(block, Para):
            text = esc(block.text, block=True)
            parts.append([f"*{text}*" if block.muted else text])
        elif isinstance(block, Bullets):
            parts.append([f"- {esc(item, block=True)}" for item in block.items])
        elif isinstance(block, Table):
            parts.append(_table(block, gfm))
        elif isinstance(block, Chart):
            parts.append([CHART_PLACEHOLDER] if chart_placeholder else mermaid(block))
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"
