"""Web and e-mail addresses in the data stay text in the Markdown report.

GFM renderers (GitHub, GitLab...) turn ``www.example.be``, ``http://...``,
``https://...``, ``ftp://...``, ``mailto:``, ``xmpp:`` and ``an@example.be``
into links by themselves (extended autolinks); CommonMark does so with
``<http://...>``. Only the report's own structure is markup.

markdown-it-py is what the project has; it does not do GFM autolinks without
linkify-it-py (an optional extra). So the tests parse the Markdown with
markdown-it and check the rules GFM's autolinker (cmark-gfm) applies:

- ``www.`` and the ``:`` of a scheme start a link only when they are not
  backslash-escaped in the source: here, only within one text run between
  escapes (markdown-it's ``text`` tokens, before ``text_join``);
- an e-mail address is found after escapes are resolved: in the whole text of
  an inline, ``@`` must not follow a character of an address's name.

Where linkify-it-py or cmarkgfm (GitHub's own cmark-gfm) happen to be
installed, the real thing is checked too.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import Run
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from verweefcli.report.document import Block, Bullets, Heading, Para, Table, Title
from verweefcli.report.render_html import render_html
from verweefcli.report.render_markdown import WORD_JOINER, escape, normalise, render_markdown, unlink

# the tokens as markdown-it makes them before it joins escaped characters into the text around them
MD = MarkdownIt("commonmark").enable("table").disable("text_join")

_WWW = re.compile(r"(?i)www\.")
_SCHEME = re.compile(r"(?i)(://|mailto:|xmpp:)")
_EMAIL = re.compile(r"[A-Za-z0-9.+_-]@")

ADDRESSES = [
    "www.example.be",
    "WWW.Example.BE/pad?x=1",
    "(www.example.be)",
    "http://evil.example/a_b*c*",
    "zie https://example.be/nota.pdf.",
    "HTTPS://EXAMPLE.BE",
    "ftp://files.example.be",
    "mailto:an@example.be",
    "xmpp:an@example.be",
    "an@example.be",
    "an.peeters+werk@gent.example",
    "x_y-z@a.b.c",
    "<http://example.be>",
    "<an@example.be>",
    "[klik](http://evil.example)",
    "![beeld](http://evil.example/x.png)",
    "*www.example.be*",
    "_www.example.be_",
    "~www.example.be~",
    "1. www.example.be",
    "- http://example.be",
    "Brouwerij www.zwaan.be, info@zwaan.be",
    "&#64; an&#64;example.be",
    "http\\://example.be en www\\.example.be",
]


def autolinks(markdown: str) -> list[str]:
    """What GFM would turn into a link in ``markdown`` (see the module's docstring)."""
    found = []
    for token in MD.parse(markdown):
        if token.type != "inline":
            continue
        children = token.children or []
        found += [f"link {c.attrs.get('href')}" for c in children if c.type in ("link_open", "image")]
        for child in children:
            if child.type == "text" and (_WWW.search(child.content) or _SCHEME.search(child.content)):
                found.append(f"url in {child.content!r}")
        resolved = "".join(c.content for c in children if c.type in ("text", "text_special"))
        found += [f"e-mail in {resolved!r}" for _ in _EMAIL.finditer(resolved)]
    return found


def visible(markdown: str) -> list[str]:
    """The text of each inline of ``markdown``, as a reader sees it."""
    return [
        "".join(c.content for c in (t.children or [])).replace(WORD_JOINER, "")
        for t in MarkdownIt("commonmark").enable("table").parse(markdown)
        if t.type == "inline"
    ]


def test_the_check_finds_the_links_of_unescaped_text() -> None:
    for text in ("www.example.be", "http://x.be", "mailto:a", "an@example.be", "<http://x.be>", "[a](http://x)"):
        assert autolinks(text), text


@pytest.mark.parametrize("text", ADDRESSES)
def test_addresses_stay_text_in_every_place(text: str) -> None:
    markdown = (
        f"# {escape(text)}\n\n"
        f"{escape(text, block=True)}\n\n"
        f"- {escape(text, block=True)}\n\n"
        f"| h | {escape(text)} |\n| --- | --- |\n| {escape(text)} | x |\n"
    )
    assert autolinks(markdown) == []
    expected = normalise(text)
    assert visible(markdown) == [expected, expected, expected, "h", expected, expected, "x"]


_pieces = st.one_of(
    st.sampled_from(
        [
            *("www.", "WwW.", "http://", "https://", "ftp://", "mailto:", "xmpp:", "@", "an", "x.be", ".", ":", "/"),
            *("//", "<", ">", "(", ")", "*", "_", "~", "\\", "&#64;", " ", "-", "+", "1. ", "[", "](", "!"),
        ]
    ),
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
)


link_texts = st.lists(_pieces, max_size=25).map("".join)


@settings(max_examples=200)
@given(link_texts)
@example("www.www.x.be")
@example("an@@b.be")
@example("a.@b.be")
def test_no_text_becomes_a_link(text: str) -> None:
    no_text_becomes_a_link(text)


@pytest.mark.slow
@settings(max_examples=5000)
@given(link_texts)
def test_no_text_becomes_a_link_long(text: str) -> None:
    no_text_becomes_a_link(text)


def no_text_becomes_a_link(text: str) -> None:
    markdown = f"{escape(text, block=True)}\n\n| {escape(text)} |\n| --- |\n"
    assert autolinks(markdown) == []
    expected = normalise(text).replace(WORD_JOINER, "")
    if expected:
        assert visible(markdown) == [expected, expected]


def test_the_word_joiner_is_only_before_an_at_sign() -> None:
    assert unlink("an@example.be") == "an\u2060@example.be"
    assert unlink("overleg @ stadhuis, @gent") == "overleg @ stadhuis, @gent"  # no name before it: no link
    assert escape("an@example.be", gfm=False) == "an@example.be"  # for a renderer that links nothing


def test_with_markdown_it_linkify() -> None:
    """linkify-it also links bare domains (``example.be``), which GFM does not: those may stay."""
    pytest.importorskip("linkify_it")
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"])
    for text in ADDRESSES:
        for markdown in (escape(text), escape(text, block=True)):
            for link in re.findall(r"<a href=\"[^\"]*\">([^<]*)</a>", md.render(markdown)):
                assert not re.match(r"(?i)(www\.|[a-z]+:)", link) and "@" not in link, (text, link)
    assert "<a" in md.render("www.example.be")  # the check can see links


def test_with_cmark_gfm() -> None:
    """GitHub's own renderer (cmark-gfm), where it is installed."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    for text in ADDRESSES:
        rendered = cmarkgfm.github_flavored_markdown_to_html(escape(text, block=True))
        assert "<a" not in rendered, (text, rendered)
        assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip().replace(WORD_JOINER, "") == normalise(text)
    assert "<a" in cmarkgfm.github_flavored_markdown_to_html("an\\@example.be")  # why an @ gets a word joiner


def test_the_html_page_shows_the_addresses_as_they_are() -> None:
    texts = ["www.example.be", "http://evil.example/x", "mailto:an@example.be", "an.peeters@gent.example"]
    blocks: list[Block] = [
        Title("Verslag www.example.be", "an@example.be"),
        Heading(2, "https://example.be"),
        Para("ftp://files.example.be"),
        Bullets(texts),
        Table(columns=["Site", "n"], rows=[[t, "1"] for t in texts], numeric=[False, True]),
    ]
    page = render_html(blocks, "nl")
    body = page[page.index("<main>") :]
    assert "<a " not in body and "href" not in body
    assert WORD_JOINER not in page and "\\" not in body
    for text in [*texts, "Verslag www.example.be", "https://example.be", "ftp://files.example.be"]:
        assert f">{text}<" in body, text
    markdown = render_markdown(blocks)
    assert autolinks(markdown) == []
    assert "www\\.example.be" in markdown and "https\\://example.be" in markdown and "an\u2060@example.be" in markdown


def test_the_report_of_a_database_with_addresses(ok: Run) -> None:
    region = "Gent www.gent.be"
    site = "Brouwerij (https://zwaan.example) info@zwaan.example"
    title = "Mail an@example.be of <http://x.example> [klik](http://evil.example)"
    ok("region", "add", region, "--coach", "Jonas", "--appointed-on", "2026-01-05")
    ok("site", "add", site, "--region", "1", "--date", "2026-01-06")
    ok("visit", "add", "#1", "--date", "2026-02-01", "--title", title, "--highlight")
    args = ("report", "quarterly", "-q", "2026Q1", "--as-of", "2026-03-31", "--lang", "en")
    markdown = ok(*args, "-f", "markdown").stdout
    assert autolinks(markdown) == []
    shown = "\n".join(visible(markdown))
    for text in (region, site, title):
        assert text in shown, text
    page = ok(*args, "-f", "html").stdout
    body = page[page.index("<main>") :]
    assert "<a " not in body and "href" not in body and WORD_JOINER not in page
    for text in (region, site, title):
        assert html.escape(text, quote=False) in body, text
