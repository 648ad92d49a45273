"""Browsing the database with Datasette: its metadata (Dutch titles, labels, facets, searches, queries).

verweef does not serve pages itself: Datasette does (an optional extra,
``pip install 'verweef[web]'``), read-only, with the metadata made here from the
code: every table described, internal columns (the ``*_key`` name keys) hidden,
facets on region, kind and stage, each record table's full-text index for
``?_search=``, and canned queries for the common questions (activities with
their region, sites and contacts; the agenda; sites with their stage; a
quarter's totals per region). ``publish`` writes what a static host or
``datasette publish`` needs: a copy without verweef's internal tables and
without contacts' e-mail addresses, phone numbers and notes, and the metadata.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from verweefcli.errors import VerweefError

_TABLES: dict[str, tuple[str, str, list[str]]] = {
    # table: (label, description, facets)
    "region": ("Regio's", "De regio's en hun verweefcoach.", ["coach_status"]),
    "site": (
        "Sites",
        "Bedrijfssites, panden en zones die de coaches volgen, met hun stadium.",
        ["region_id", "kind", "stage"],
    ),
    "contact": ("Contacten", "De mensen met wie de coaches werken (persoonsgegevens).", ["region_id", "role"]),
    "activity": ("Activiteiten", "Dossiers, overleg, plaatsbezoeken, planreviews...", ["region_id", "kind"]),
    "company": ("Bedrijven", "Bedrijven met hun ondernemingsnummer, sector en site.", ["sector", "region_id"]),
    "request": (
        "Bedrijfsvragen",
        "Wat bedrijven aan de coach vroegen, van ontvangen tot afgesloten.",
        ["type", "stage"],
    ),
    "nuisance": ("Hinder", "Hinderdossiers op een site, open tot afgesloten met een resultaat.", ["result"]),
    "measure": ("Maatregelen", "Maatregelen tegen hinder en hun status.", ["kind", "status"]),
}
#: tables hidden when served (links, histories, bookkeeping: the queries read them)
INTERNAL = (
    "site_stage", "stage_change", "activity_tag", "request_move", "measure_move", "tombstone", "meta",
    "merge_seen", "merge_log", "search_backlog", "company_contact", "contact_site", "activity_site", "activity_contact",
    "_sqlite_migrations",
)  # fmt: skip
#: verweef's own bookkeeping: left out of a published copy
BOOKKEEPING = ("tombstone", "meta", "merge_seen", "merge_log", "search_backlog", "_sqlite_migrations")

QUERIES: dict[str, dict[str, str]] = {
    "activiteiten": {
        "title": "Activiteiten met hun regio, sites en contacten",
        "sql": """
            SELECT a.id, a.date AS datum, a.kind AS soort, a.title AS titel, r.name AS regio,
              (SELECT group_concat(s.name, '; ') FROM activity_site x JOIN site s ON s.id = x.site_id
               WHERE x.activity_id = a.id) AS sites,
              (SELECT group_concat(c.name, '; ') FROM activity_contact x JOIN contact c ON c.id = x.contact_id
               WHERE x.activity_id = a.id) AS contacten,
              a.minutes AS minuten
            FROM activity a LEFT JOIN region r ON r.id = a.region_id
            WHERE a.date BETWEEN :van AND :tot ORDER BY a.date DESC, a.id DESC LIMIT 1000""",
    },
    "agenda": {
        "title": "Open opvolgingen (de agenda)",
        "sql": """
            SELECT a.follow_up AS tegen, a.id, coalesce(a.follow_up_note, a.title) AS wat, r.name AS regio
            FROM activity a LEFT JOIN region r ON r.id = a.region_id
            WHERE a.follow_up IS NOT NULL AND a.follow_up_done IS NULL ORDER BY a.follow_up, a.id""",
    },
    "sites_per_stadium": {
        "title": "Sites met hun huidige stadium",
        "sql": """
            SELECT s.id, s.name AS site, s.municipality AS gemeente, r.name AS regio, s.stage AS stadium,
              (SELECT max(since) FROM site_stage WHERE site_id = s.id) AS sinds
            FROM site s LEFT JOIN region r ON r.id = s.region_id ORDER BY r.name, s.stage, s.name""",
    },
    "kwartaal": {
        "title": "Een kwartaal per regio: activiteiten, uren, plaatsbezoeken",
        "sql": """
            SELECT r.name AS regio, count(a.id) AS activiteiten, round(coalesce(sum(a.minutes), 0) / 60.0, 1) AS uren,
              sum(a.kind = 'visit') AS plaatsbezoeken
            FROM region r LEFT JOIN activity a ON a.region_id = r.id
              AND substr(a.date, 1, 4) = substr(:kwartaal, 1, 4)
              AND (CAST(substr(a.date, 6, 2) AS INTEGER) + 2) / 3 = CAST(substr(:kwartaal, 6, 1) AS INTEGER)
            GROUP BY r.id ORDER BY r.name""",
    },
}  # fmt: skip


def metadata(db_name: str, columns: dict[str, list[str]]) -> dict[str, Any]:
    """Datasette's metadata for a verweef database named ``db_name`` (its file name without ``.db``)."""
    tables: dict[str, Any] = {}
    for table, (label, description, facets) in _TABLES.items():
        entry: dict[str, Any] = {"title": label, "description": description, "facets": facets}
        if f"{table}_fts" in columns:
            entry["fts_table"] = f"{table}_fts"
        hidden = [c for c in columns.get(table, []) if c.endswith("_key")]
        if hidden:
            entry["columns"] = {c: "intern: de naam zoals verweef ze vergelijkt" for c in hidden}
        tables[table] = entry
    for table in INTERNAL:
        if table in columns:
            tables[table] = {"hidden": True}
    return {
        "title": "Verweefcoaches",
        "description": "De stand van zaken van de verweefcoaches: regio's, sites, contacten, activiteiten, "
        "bedrijven, bedrijfsvragen en hinder (gemaakt met verweef).",
        "databases": {
            db_name: {
                "tables": tables,
                "queries": {name: {**q, "sql": " ".join(q["sql"].split())} for name, q in QUERIES.items()},
            }
        },
    }


def columns_of(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: [c[1] for c in conn.execute(f"PRAGMA table_info('{n}')")] for n in names}
    finally:
        conn.close()


def need_datasette() -> None:
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise VerweefError("Datasette is not installed: pip install 'verweef[web]'") from None


def publish(source: Path, folder: Path) -> tuple[Path, Path]:
    """A copy for publishing (no internal tables; contacts without e-mail, phone and notes) and its metadata."""
    if not folder.is_dir():
        raise VerweefError(f"{folder} is not a folder")
    target, meta = folder / "verweef.db", folder / "metadata.json"
    for path in (target, meta):
        if path.exists() or path.is_symlink():
            raise VerweefError(f"{path} already exists: publish into an empty folder")
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        conn.backup(copy)
    finally:
        conn.close()
    try:
        from verweefcli.domain.search_index import catch_up
        from verweefcli.storage import Store

        catch_up(Store(copy, target))  # what a bulk import left for the first search
        for table in BOOKKEEPING:
            copy.execute(f"DROP TABLE IF EXISTS {table}")
        copy.execute("UPDATE contact SET email = NULL, phone = NULL, notes = NULL")
        copy.execute("DELETE FROM contact_fts")  # rebuilt without what the copy leaves out
        copy.execute(
            "INSERT INTO contact_fts (rowid, name, organisation, role) SELECT id, name, organisation, role FROM contact"
        )
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()
    meta.write_text(json.dumps(metadata("verweef", columns_of(target)), ensure_ascii=False, indent=2), encoding="utf-8")
    return target, meta
