"""The report as one standalone, printable HTML page.

The page is the Markdown report rendered by markdown-it-py (CommonMark + GFM
tables, raw HTML off, so nothing from the database can become a tag). The
Mermaid chart, which needs JavaScript, becomes an inline SVG bar chart.
"""

from __future__ import annotations

from html import escape

from verweefcli.report.document import Block, Chart, Title
from verweefcli.report.render_markdown import CHART_PLACEHOLDER_HTML, normalise, render_markdown


def html_escape(text: str) -> str:
    """Text as in the Markdown (one line, no control characters), escaped for HTML."""
    return escape(normalise(text))


_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
       max-width: 75rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h1 + p { color: #555; margin-top: 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .85rem; max-width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .55rem; vertical-align: top; }
th { background: #f2f2f2; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; }
ul { padding-left: 1.3rem; }
figure { margin: 1rem 0; }
figcaption { font-size: .85rem; color: #555; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
}
"""

_COLOURS = ["#1f6f8b", "#e07a1f", "#3a8d3f", "#a23b72", "#6c5b7b", "#c0392b", "#2c3e50", "#8e7c00"]


def svg_chart(chart: Chart) -> str:
    """Grouped bars: one group per month, one bar per region, with a legend."""
    series = chart.series
    groups = len(chart.months)
    bars = max(len(series), 1)
    top = max([1, *(n for _, counts in series for n in counts)])
    bar_w, gap, left, height, base = 14, 18, 40, 180, 200
    group_w = bars * bar_w + gap
    width = left + groups * group_w + 20
    legend_y = base + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{legend_y + 18 * len(series)}" '
        f'role="img" aria-label="{html_escape(chart.title)}">',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{base - height + 4}" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for g, month in enumerate(chart.months):
        x0 = left + g * group_w + gap / 2
        for s, (_, counts) in enumerate(series):
            h = round(height * counts[g] / top)
            x = x0 + s * bar_w
            colour = _COLOURS[s % len(_COLOURS)]
            parts.append(
                f'<rect x="{x:.0f}" y="{base - h}" width="{bar_w - 2}" height="{h}" fill="{colour}">'
                f"<title>{html_escape(series[s][0])}, {html_escape(month)}: {counts[g]}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + bars * bar_w / 2:.0f}" y="{base + 16}" text-anchor="middle">{html_escape(month)}</text>'
        )
    for s, (name, _) in enumerate(series):
        y = legend_y + 18 * s
        parts.append(f'<rect x="{left}" y="{y - 10}" width="12" height="12" fill="{_COLOURS[s % len(_COLOURS)]}"/>')
        parts.append(f'<text x="{left + 18}" y="{y}">{html_escape(name)}</text>')
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{html_escape(chart.title)}</figcaption></figure>"


def render_html(blocks: list[Block], lang: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # markdown-it links nothing by itself (no linkify): no word joiners needed against GFM autolinks
    body = md.render(render_markdown(blocks, chart_placeholder=True, gfm=False))
    chart = next((b for b in blocks if isinstance(b, Chart)), None)
    if chart is not None:
        body = body.replace(CHART_PLACEHOLDER_HTML, svg_chart(chart))
    title = next((b.text for b in blocks if isinstance(b, Title)), "verweef")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n</body>\n</html>\n"
    )
