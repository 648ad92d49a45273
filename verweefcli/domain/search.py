"""One search over sites, contacts and activities (``verweef search``, and ``list --search``).

Words are matched the way people expect: all of them, in any order, in any of
a record's searchable fields (an activity's also holds the names of its sites
and contacts), ignoring case, accents and the style of apostrophes; the last
word also matches as the start of a word (``brouw`` finds ``Brouwerij``), and
``word*`` asks the same of any word. SQLite's FTS5 finds and ranks (bm25, a
name or title weighs more than notes); the snippets are cut here, from the
records' own text, so that the words found are marked whatever their spelling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from verweefcli.domain.search_index import COLUMNS, TABLES, display_rows, plain_tokens, ready
from verweefcli.errors import InvalidValue
from verweefcli.storage import Store

#: per table, the weight of each indexed column in the ranking (``also`` last: a spelling of the others)
WEIGHTS = {
    "site": (10.0, 3.0, 3.0, 2.0, 1.0, 2.0, 1.0, 1.0, 4.0, 1.0),
    "contact": (10.0, 5.0, 2.0, 3.0, 1.0, 1.0),
    "activity": (8.0, 1.0, 2.0, 1.0, 4.0, 5.0, 5.0, 1.0),
    "company": (10.0, 8.0, 2.0, 2.0, 2.0, 1.0, 4.0, 1.0),
    "request": (6.0, 2.0, 4.0, 1.0, 1.0, 1.0),
    "nuisance": (5.0, 5.0, 4.0, 1.0, 1.0, 1.0),
}
_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 14
#: more matches than this are not ranked but listed newest first: ranking costs about 0.65 µs a match
#: (a prefix found in 300,000 activities: 200 ms, newest first: 8 ms), and among so many the best
#: matches say little; another word narrows them
RANKED_UP_TO = 20_000


@dataclass(frozen=True)
class Term:
    """One word people typed, as the index holds it (folded, plainly spelt): its tokens, and
    whether it may be the start of a longer word."""

    tokens: tuple[str, ...]
    prefix: bool

    def fts(self) -> str:
        return f'"{" ".join(self.tokens)}"' + ("*" if self.prefix else "")

    def matches(self, token: str) -> bool:
        """Whether one word of a text is (the last token of) this term: for marking snippets."""
        last = self.tokens[-1]
        return token.startswith(last) if self.prefix else token == last


def terms(text: str) -> list[Term]:
    """``zwaan brouw`` -> two terms, the last a prefix; words of punctuation only are left out."""
    words = text.split()
    found = []
    for number, word in enumerate(words):
        tokens = tuple(plain_tokens(word))
        if tokens:
            found.append(Term(tokens, word.endswith("*") or number == len(words) - 1))
    if not found:
        raise InvalidValue(f"nothing to search for in {text!r}: give one or more words")
    return found


def match_expression(text: str) -> str:
    """The FTS5 query for what people typed: every term, quoted (no FTS5 syntax gets through)."""
    return " ".join(term.fts() for term in terms(text))


def matching(table: str) -> str:
    """SQL: the ids of ``table`` that match ``?`` (a :func:`match_expression`), for list filters."""
    return f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?"


@dataclass
class Hit:
    table: str
    id: int
    uuid: str
    label: str
    found_in: str  # the field the snippet is cut from: where most of the words are
    snippet: str
    marks: list[tuple[int, int]] = field(default_factory=list)  # character ranges of the words found
    rank: float = 0.0


@dataclass
class Found:
    """What one search found: per table, how many matched and the best of them, best first."""

    query: str
    totals: dict[str, int]
    hits: dict[str, list[Hit]]
    #: per table, how its hits are ordered: ``rank`` (best first) or ``newest`` (too many to rank)
    order: dict[str, str] = field(default_factory=dict)


def search(
    store: Store, text: str, *, tables: Sequence[str] = TABLES, limit: int = 10, region_id: int | None = None
) -> Found:
    query = terms(text)
    ready(store)
    expression = " ".join(term.fts() for term in query)
    found = Found(text, {}, {})
    for table in tables:
        source, where = f"{table}_fts", f"{table}_fts MATCH :q"
        if region_id is not None:
            # the index first, then each match's record by id: handed to FTS5 as a rowid filter,
            # a region would make it run the whole match again per record of the region (minutes on 1M)
            source += f" CROSS JOIN {table} r ON r.id = {table}_fts.rowid"
            where += f" AND {_REGION.get(table, 'r.region_id')} = :region"
        params = {"q": expression, "region": region_id, "limit": limit}
        found.totals[table] = int(store.value(f"SELECT count(*) FROM {source} WHERE {where}", params) or 0)
        ranked_up = found.totals[table] <= RANKED_UP_TO
        found.order[table] = "rank" if ranked_up else "newest"
        if ranked_up:
            weights = ", ".join(str(w) for w in WEIGHTS[table])
            chosen = f"bm25({table}_fts, {weights}) AS rank FROM {source} WHERE {where} "
            chosen += f"ORDER BY rank, {table}_fts.rowid"
        else:
            chosen = f"0.0 AS rank FROM {source} WHERE {where} ORDER BY {table}_fts.rowid DESC"
        ranked = store.tuples(f"SELECT {table}_fts.rowid, {chosen} LIMIT :limit", params)
        found.hits[table] = _hits(store, table, ranked, query)
    return found


def _hits(store: Store, table: str, ranked: list[tuple[int, float]], query: list[Term]) -> list[Hit]:
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    columns = COLUMNS[table]
    texts = display_rows(store, table, ids)
    labels = _labels(store, table, json.dumps(ids))
    hits = []
    for record_id, rank in ranked:
        uuid, label = labels[record_id]
        where, snippet, marks = best_snippet(columns, texts[record_id], query)
        hits.append(Hit(table, record_id, uuid, label, where, snippet, marks, rank))
    return hits


def _request_region() -> str:
    from verweefcli.domain.request_rules import REGION

    return REGION  # its alias for the request is r, as here


#: the region of a record (as ``r``) that has none of its own: its site's, else its company's
_REGION = {
    "company": "coalesce((SELECT s.region_id FROM site s WHERE s.id = r.site_id), r.region_id)",
    "request": _request_region(),
    "nuisance": "(SELECT s.region_id FROM site s WHERE s.id = r.site_id)",
}

_LABELS = {
    "site": "SELECT id, uuid, name || coalesce(' (' || municipality || ')', '') FROM site",
    "contact": "SELECT id, uuid, name || coalesce(' (' || organisation || ')', '') FROM contact",
    "activity": "SELECT id, uuid, date || ' ' || kind || coalesce(' ' || coalesce(title, "
    "substr(notes, 1, instr(notes || char(10), char(10)) - 1)), '') FROM activity",
    "company": "SELECT id, uuid, name || coalesce(' (' || enterprise_number || ')', '') FROM company",
    "request": "SELECT id, uuid, received_on || ' ' || type || ' ' || "
    "(SELECT c.name FROM company c WHERE c.id = company_id) FROM request",
    "nuisance": "SELECT id, uuid, reported_on || ' ' || (SELECT group_concat(value, ', ') FROM json_each(types)) || "
    "' at ' || (SELECT s.name FROM site s WHERE s.id = site_id) FROM nuisance",
}


def _labels(store: Store, table: str, ids: str) -> dict[int, tuple[str, str]]:
    sql = f"{_LABELS[table]} WHERE id IN (SELECT value FROM json_each(?))"
    return {r[0]: (r[1], r[2]) for r in store.tuples(sql, (ids,))}


def best_snippet(
    columns: Sequence[str], texts: Sequence[str | None], query: Sequence[Term]
) -> tuple[str, str, list[tuple[int, int]]]:
    """The field holding most of the words, and a window of it around the first one found:
    (field, snippet, the character ranges of the words found in the snippet)."""
    best: tuple[int, int, str, str, list[tuple[int, int, bool]]] | None = None
    for order, (column, text) in enumerate(zip(columns, texts, strict=False)):
        if not text:
            continue
        found = [(m.start(), m.end(), *_found(m.group(), query)) for m in _WORD.finditer(text)]
        score = len({i for *_, full, _ in found for i in full})
        if score and (best is None or (score, -order) > (best[0], -best[1])):
            best = (score, order, column, text, [(s, e, bool(full) or part) for s, e, full, part in found])
    if best is None:
        return "", "", []
    _, _, column, text, words = best
    return (column, *_window(text, words))


def _found(word: str, query: Sequence[Term]) -> tuple[set[int], bool]:
    """The terms this word of a text is (the last token of), and whether it is an earlier token of one
    (``s`` of ``'s-Gravenwezel``: marked, not counted)."""
    tokens = plain_tokens(word)
    full = {i for i, term in enumerate(query) if any(term.matches(token) for token in tokens)}
    return full, any(token in term.tokens[:-1] for term in query for token in tokens)


def _window(text: str, words: list[tuple[int, int, bool]]) -> tuple[str, list[tuple[int, int]]]:
    first = next(i for i, (*_, hit) in enumerate(words) if hit)
    start_word = max(0, first - SNIPPET_WORDS // 3)
    end_word = min(len(words), start_word + SNIPPET_WORDS)
    start = words[start_word][0] if start_word else 0
    end = words[end_word - 1][1] if end_word < len(words) else len(text)
    head = "…" if start else ""
    snippet = head + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
    marks = []
    # the words' places in the snippet (its spaces are squeezed): found again, in order
    at = len(head)
    for s, e, hit in words[start_word:end_word]:
        word = text[s:e]
        at = snippet.index(word, at)
        if hit:
            marks.append((at, at + len(word)))
        at += len(word)
    return snippet, marks
