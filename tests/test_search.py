"""One search over everything (``verweef search``, ``list --search``), and its index kept in step with every write."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import Run
from hypothesis import given, settings
from hypothesis import strategies as st

from verweefcli.domain.search import best_snippet, match_expression, search, terms
from verweefcli.domain.search_index import also_sql
from verweefcli.errors import InvalidValue
from verweefcli.storage import open_store


def found(run: Run, *words: str, kind: str | None = None) -> dict[str, list[str]]:
    """What ``verweef search`` finds, per type: the labels, best first."""
    args = ["search", *words, "-f", "json", *(["--type", kind] if kind else [])]
    data = json.loads(run(*args).stdout)
    out: dict[str, list[str]] = {}
    for hit in data["results"]:
        out.setdefault(hit["type"], []).append(hit["label"])
    return out


@pytest.fixture
def zwaan(gent: Run) -> Run:
    """The `gent` database with a visit that is about smell, and a dossier that is not."""
    gent(
        "visit",
        "add",
        "Brouwerij De Zwaan",
        "--date",
        "2020-06-10",
        "--contact",
        "An Peeters",
        "--notes",
        "Geurhinder besproken met de buren.\nVolgende stap: metingen.",
    )
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-06-11", "--title", "Geur")
    gent("site", "add", "Atelier ’s-Gravenwezel", "--region", "Gent", "--address", "Kapelstraat 3")
    gent("contact", "add", "Søren Łukasz-Œuvray", "--region", "Gent", "--notes", "Kent de buurt goed")
    return gent


def test_words_found_across_an_activity_and_its_site(zwaan: Run) -> None:
    """``zwaan geur``: 'zwaan' is in the site's name, 'geur...' in the visit's notes."""
    assert found(zwaan, "zwaan", "geur") == {
        "site": ["Brouwerij De Zwaan (Gent)"],  # its tag: geur
        "activity": ["2020-06-10 visit Geurhinder besproken met de buren."],
    }
    assert found(zwaan, "geurhinder zwaan")["activity"] == ["2020-06-10 visit Geurhinder besproken met de buren."]
    assert "activity" not in found(zwaan, "geur zwaan")  # 'geur' is a whole word unless it is the last


def test_case_accents_apostrophes_and_plain_spellings_are_ignored(zwaan: Run) -> None:
    assert found(zwaan, "GEÜRHINDER")["activity"] == ["2020-06-10 visit Geurhinder besproken met de buren."]
    assert found(zwaan, "'s-gravenwezel") == {"site": ["Atelier ’s-Gravenwezel"]}
    assert found(zwaan, "’s", "Gravenwezel") == {"site": ["Atelier ’s-Gravenwezel"]}
    for typed in ("soren", "Søren", "lukasz", "oeuvray", "Œuvray"):
        assert found(zwaan, typed, kind="contact") == {"contact": ["Søren Łukasz-Œuvray"]}, typed


def test_the_last_word_is_a_prefix_and_others_are_whole_words(zwaan: Run) -> None:
    assert found(zwaan, "brouw", kind="site") == {"site": ["Brouwerij De Zwaan (Gent)"]}
    assert found(zwaan, "brouw", "zwaan", kind="site") == {}
    assert found(zwaan, "brouw*", "zwaan", kind="site") == {"site": ["Brouwerij De Zwaan (Gent)"]}


def test_a_name_ranks_above_notes_and_totals_are_per_type(zwaan: Run) -> None:
    data = json.loads(zwaan("search", "geur", "-f", "json").stdout)
    assert data["totals"] == {"site": 1, "contact": 0, "activity": 2, "company": 0, "request": 0, "nuisance": 0}
    activities = [h for h in data["results"] if h["type"] == "activity"]
    assert [h["label"] for h in activities] == [
        "2020-06-11 dossier Geur",
        "2020-06-10 visit Geurhinder besproken met de buren.",
    ]
    assert activities[0]["field"] == "title" and activities[1]["field"] == "notes"
    assert json.loads(zwaan("search", "geur", "--limit", "1", "-f", "json").stdout)["totals"]["activity"] == 2


def test_too_many_matches_to_rank_come_newest_first(zwaan: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    zwaan("activity", "add", "--kind", "dossier", "--region", "Gent", "--date", "2020-06-12", "--notes", "geur")
    ranked = json.loads(zwaan("search", "geur", "-f", "json").stdout)
    assert set(ranked["order"].values()) == {"rank"}
    assert [h["id"] for h in ranked["results"] if h["type"] == "activity"] == [2, 3, 1]  # title, short notes
    monkeypatch.setattr("verweefcli.domain.search.RANKED_UP_TO", 2)  # the site's 1 is ranked, the 3 activities not
    newest = json.loads(zwaan("search", "geur", "-f", "json").stdout)
    assert newest["order"] == {t: "newest" if t == "activity" else "rank" for t in newest["order"]}
    assert [h["id"] for h in newest["results"] if h["type"] == "activity"] == [3, 2, 1]
    table = " ".join(zwaan("search", "geur", "--limit", "2").stdout.split())
    assert "Activities: 2 of 3" in table and "Too many activities to rank: the newest first." in table


def test_the_snippet_marks_the_words_found(zwaan: Run) -> None:
    hit = json.loads(zwaan("search", "buren", "geurh", "-f", "json").stdout)["results"][0]
    assert hit["snippet"] == "Geurhinder besproken met de buren. Volgende stap: metingen."
    assert [hit["snippet"][a:b] for a, b in hit["marks"]] == ["Geurhinder", "buren"]


def test_region_type_and_format_options(zwaan: Run) -> None:
    zwaan("region", "add", "Turnhout")
    zwaan("site", "add", "Zwaanhoeve", "--region", "Turnhout")
    assert sorted(found(zwaan, "zwaan", kind="site")["site"]) == ["Brouwerij De Zwaan (Gent)", "Zwaanhoeve"]
    only = json.loads(zwaan("search", "zwaan", "--region", "Turnhout", "-f", "json").stdout)
    assert [h["label"] for h in only["results"]] == ["Zwaanhoeve"]
    text = zwaan("search", "zwaan", "-f", "csv").stdout
    assert text.splitlines()[0] == "type,id,uuid,label,field,snippet,marks,rank"
    table = zwaan("search", "zwaan").stdout
    assert "Sites: 2" in table and "Activities: 1" in table and "\x1b" not in table


def test_fts_syntax_is_taken_as_words(zwaan: Run) -> None:
    for text in ("zwaan OR geur", "NEAR(zwaan geur)", '"zwaan', "zwaan -geur", "name:zwaan", "zwaan AND", "^zwaan"):
        assert json.loads(zwaan("search", text, "-f", "json").stdout)["query"] == text


def test_nothing_to_search_for_is_one_line(zwaan: Run, cli: Run) -> None:
    result = cli("search", "--", "!!", "-")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: nothing to search for in '!! -': give one or more words"
    assert "Nothing found for 'kwak'." in zwaan("search", "kwak").stdout


def test_list_search_uses_the_same_engine(zwaan: Run) -> None:
    listed = json.loads(zwaan("activity", "list", "--search", "zwaan geur", "-f", "json").stdout)
    assert [a["id"] for a in listed] == [1]
    assert [s["name"] for s in json.loads(zwaan("site", "list", "-s", "gravenwezel", "-f", "json").stdout)] == [
        "Atelier ’s-Gravenwezel"
    ]
    assert [c["name"] for c in json.loads(zwaan("contact", "list", "-s", "lukasz", "-f", "json").stdout)] == [
        "Søren Łukasz-Œuvray"
    ]
    visits = json.loads(zwaan("visit", "list", "--search", "peeters", "-f", "json").stdout)
    assert [v["id"] for v in visits] == [1]


def _check_clean(run: Run) -> None:
    assert run("db", "check").stdout.strip() == "ok"


def test_every_write_keeps_the_index_in_step(zwaan: Run, tmp_path: Path) -> None:
    zwaan("site", "edit", "Brouwerij De Zwaan", "--name", "Brouwerij Het Anker")
    assert found(zwaan, "anker", "geur", kind="activity") == {
        "activity": ["2020-06-10 visit Geurhinder besproken met de buren."]
    }
    assert found(zwaan, "zwaan", "geur") == {}
    zwaan("contact", "edit", "An Peeters", "--name", "An Claes")
    assert found(zwaan, "claes", kind="activity") == {
        "activity": ["2020-06-10 visit Geurhinder besproken met de buren."]
    }
    zwaan("activity", "edit", "1", "--notes", "Lawaai van de compressor", "--follow-up", "2020-07-01",
          "--follow-up-note", "Offerte geluidsscherm")  # fmt: skip
    assert found(zwaan, "geluidsscherm") == {"activity": ["2020-06-10 visit Lawaai van de compressor"]}
    zwaan("done", "1", "--date", "2020-06-20", "--notes", "Scherm besteld")
    assert found(zwaan, "besteld") == {"activity": ["2020-06-10 visit Lawaai van de compressor"]}
    _check_clean(zwaan)
    zwaan("contact", "remove", "An Claes", "--yes")
    assert found(zwaan, "claes") == {}
    zwaan("site", "remove", "Atelier ’s-Gravenwezel", "--yes")
    assert found(zwaan, "gravenwezel") == {}
    zwaan("activity", "remove", "2", "--yes")
    assert found(zwaan, "dossier", "geur") == {}
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        "datum;soort;titel;sites;regio\n01/07/2020;visit;Rondgang;Oude Weverij;Gent\n", encoding="utf-8"
    )
    zwaan("import", "activities", csv_file)
    assert found(zwaan, "rondgang", "weverij") == {"activity": ["2020-07-01 visit Rondgang"]}
    sites = tmp_path / "s.csv"
    sites.write_text("naam;regio;notities\nWasserij Ørsted;Gent;Stoom en geur\n", encoding="utf-8")
    zwaan("import", "sites", sites)
    assert found(zwaan, "orsted", "stoom") == {"site": ["Wasserij Ørsted"]}
    _check_clean(zwaan)


def test_db_check_finds_and_repairs_a_stale_index(zwaan: Run, cli: Run, db_file: Path) -> None:
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE activity SET notes = 'Iets anders' WHERE id = 1")  # around verweef: the index is stale
    conn.execute("DELETE FROM site_fts WHERE rowid = 2")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "search index: site #2: its searchable text is not the record's" in result.stdout
    assert "search index: activity #1: its searchable text is not the record's" in result.stdout
    assert "2 search index rows" in zwaan("db", "check", "--repair").stdout
    _check_clean(zwaan)
    assert found(zwaan, "iets", "anders") == {"activity": ["2020-06-10 visit Iets anders"]}


def test_search_reads_a_read_only_file(zwaan: Run, db_file: Path) -> None:
    os.chmod(db_file, stat.S_IRUSR)
    try:
        assert found(zwaan, "zwaan", "geur")["activity"]
    finally:
        os.chmod(db_file, stat.S_IRUSR | stat.S_IWUSR)


def test_a_terminal_sees_escaped_text(gent: Run) -> None:
    gent("visit", "add", "Oude Weverij", "--notes", "kwak \x1b[2J\x1b]8;;http://x\x07 kwak")
    table = gent("search", "kwak").stdout
    assert "\x1b" not in table and "\\x1b" in table


def escape_fts(query: str) -> str:
    """Datasette's ``escape_fts`` (datasette/utils/__init__.py), which its ``?_search=`` applies."""
    if query.count('"') % 2:
        query += '"'
    bits = [b for b in re.split(r'\s+|(".*?")', query) if b and b != '""']
    return " ".join(f'"{bit}"' if not bit.startswith('"') else bit for bit in bits)


@pytest.mark.usefixtures("zwaan")
def test_datasette_search_works_on_the_index(db_file: Path) -> None:
    """With ``fts_table: activity_fts`` in Datasette's metadata, ``?_search=`` runs this very SQL."""
    conn = sqlite3.connect(db_file)
    conn.create_function("escape_fts", 1, escape_fts)
    sql = (
        "SELECT id FROM activity WHERE rowid IN "
        "(SELECT rowid FROM activity_fts WHERE activity_fts MATCH escape_fts(:search))"
    )
    assert conn.execute(sql, {"search": "zwaan geurhinder"}).fetchall() == [(1,)]
    assert conn.execute(sql.replace("activity", "site"), {"search": "gravenwezel"}).fetchall() == [(3,)]
    conn.close()


# -- the parser and the snippets, without the CLI --------------------------------------


def test_terms_and_the_match_expression() -> None:
    assert match_expression("Zwáan  brouw") == '"zwaan" "brouw"*'
    assert match_expression("brouw* zwaan") == '"brouw"* "zwaan"*'
    assert match_expression("’s-Gravenwezel OR") == '"s gravenwezel" "or"*'
    assert match_expression('"NEAR(x') == '"near x"*'
    assert match_expression("Søren") == '"soren"*'
    with pytest.raises(InvalidValue):
        terms(" ,; ")


def test_also_spells_the_letters_the_tokenizer_keeps() -> None:
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {also_sql(['a', 'b'])} FROM (SELECT ? AS a, ? AS b)"
    assert conn.execute(sql, ("Café De Zwaan", None)).fetchone() == (None,)
    assert conn.execute(sql, ("Søren Æbeltoft", "Straße ŁÓDŹ")).fetchone() == ("Soren aebeltoft Strasse lÓDŹ",)
    conn.close()


# letters of the Latin scripts (SQLite's tokenizer knows Unicode 6.1: letters added since separate words)
words = st.text(st.characters(categories=("Lu", "Ll"), max_codepoint=0x024F), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=4))
def test_any_name_is_found_by_each_of_its_words(tmp_path_factory: pytest.TempPathFactory, names: list[str]) -> None:
    """A property: a site named with any letters is found by any of its words, typed in lower case."""
    store = open_store(tmp_path_factory.mktemp("s") / "x.db")
    try:
        from verweefcli.domain import regions, sites

        regions.add_region(store, {"name": "Gent"})
        name = " ".join(names)
        try:
            sites.add_site(store, {"name": name, "region": "Gent"})
        except InvalidValue:
            return  # a name the rules refuse (one that looks like an id)
        for word in names:
            hits = search(store, word.lower(), tables=["site"]).hits["site"]
            assert [h.label for h in hits] == [name], word
            assert hits[0].marks, word
    finally:
        store.close()


def test_best_snippet_picks_the_field_with_most_words() -> None:
    query = terms("geur buren")
    field, snippet, marks = best_snippet(("title", "notes"), ("Geur", "De buren klagen over geur"), query)
    assert field == "notes" and [snippet[a:b] for a, b in marks] == ["buren", "geur"]
    long = " ".join(f"woord{n}" for n in range(40)) + " geur " + " ".join(f"x{n}" for n in range(40))
    _, snippet, marks = best_snippet(("notes",), (long,), terms("geur"))
    assert snippet.startswith("…") and snippet.endswith("…") and [snippet[a:b] for a, b in marks] == ["geur"]


def test_keys_folded_before_the_spelling_was_known_are_folded_again(zwaan: Run, cli: Run, db_file: Path) -> None:
    """A file from before schema 5 has 'søren...' as a key: db check names it, --repair folds it again,
    and a key another record already holds stays, named by db check."""
    zwaan("contact", "add", "Iemand", "--region", "Gent")
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE contact SET name_key = 'søren łukasz-œuvray' WHERE name = 'Søren Łukasz-Œuvray'")
    conn.execute("UPDATE contact SET name = 'Soren Lukasz-Oeuvray', name_key = 'soren lukasz-oeuvray' WHERE id = 3")
    conn.execute("UPDATE site SET name_key = 'atelier' WHERE id = 3")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "name key: contact #2 'Søren Łukasz-Œuvray': name_key is 'søren łukasz-œuvray'" in result.stdout
    repaired = cli("db", "check", "--repair")
    assert "1 name keys" in repaired.stdout  # the site's; the contact's clashes with contact #3's
    assert repaired.exit_code == 1
    assert "its folded name 'soren lukasz-oeuvray' (contact #3 has it: rename one of them)" in repaired.stdout
    assert found(zwaan, "gravenwezel") == {"site": ["Atelier ’s-Gravenwezel"]}


def test_an_update_that_changes_nothing_leaves_the_file_as_it_was(zwaan: Run, db_file: Path, tmp_path: Path) -> None:
    from conftest import dump

    export = tmp_path / "contacts.csv"
    zwaan("export", "contacts", "-o", export)
    sites = tmp_path / "sites.csv"
    zwaan("export", "sites", "-o", sites)
    before = dump(db_file)
    zwaan("import", "contacts", export, "--on-conflict", "update")
    zwaan("import", "sites", sites, "--on-conflict", "update")
    zwaan("site", "edit", "Oude Weverij", "--notes", "")  # no notes before, none after
    assert dump(db_file) == before


def test_companies_requests_and_nuisance_cases_are_found_and_kept_in_step(zwaan: Run) -> None:
    zwaan("company", "add", "Brouwerij De Zwaan bv", "--site", "Brouwerij De Zwaan", "--kbo", "0403.170.701")
    zwaan("request", "add", "Brouwerij De Zwaan bv", "--type", "expansion", "--notes", "Een nieuwe gistkelder")
    zwaan("nuisance", "add", "Oude Weverij", "--type", "noise", "--notes", "Ventilatoren 's nachts")
    zwaan("measure", "add", "1", "--kind", "technical", "--notes", "Geluidsdemper op de ventilatoren")
    assert found(zwaan, "0403170701", kind="company") == {"company": ["Brouwerij De Zwaan bv (0403.170.701)"]}
    assert found(zwaan, "gistkelder")["request"][0].endswith("expansion Brouwerij De Zwaan bv")
    assert list(found(zwaan, "geluidsdemper")) == ["nuisance"]  # a case by its measures
    zwaan("site", "edit", "Oude Weverij", "--name", "Weverij Noord")  # the case's row names its site
    assert list(found(zwaan, "weverij", "noord", kind="nuisance")) == ["nuisance"]
    zwaan("company", "edit", "Brouwerij De Zwaan bv", "--name", "Zwaan Bieren")
    assert found(zwaan, "zwaan", "bieren", kind="request")["request"][0].endswith("Zwaan Bieren")
    assert zwaan("db", "check").stdout == "ok\n"
