"""Datasette on verweef's database: tables with their Dutch titles, search, the queries, and a published copy."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from verweefcli.web import metadata, publish

datasette = pytest.importorskip("datasette.app")


def fetch(db: Path, paths: list[str]) -> list[Any]:
    """Datasette's own test client on the file and verweef's metadata: the responses, in order."""
    from verweefcli.web import columns_of

    app = datasette.Datasette([str(db)], metadata=metadata(db.stem, columns_of(db)))

    async def get_all() -> list[Any]:
        return [await app.client.get(path) for path in paths]

    return asyncio.run(get_all())


@pytest.fixture
def example(ok: Run, tmp_path: Path) -> Path:
    db = tmp_path / "verweef.db"
    ok("--db", db, "examples", "load")
    return db


def test_datasette_shows_the_tables_search_and_queries(example: Path) -> None:
    home, sites, found, quarter, agenda = fetch(
        example,
        [
            "/",
            "/verweef/site.json?_shape=array&_facet=stage",
            "/verweef/activity.json?_search=nabrander&_shape=array",
            "/verweef/kwartaal.json?kwartaal=2020Q2&_shape=array",
            "/verweef/agenda",
        ],
    )
    assert home.status_code == 200 and "Verweefcoaches" in home.text
    assert sites.status_code == 200 and len(sites.json()) == 26
    assert 64 in {row["id"] for row in found.json()}  # the visit that proposed the afterburner
    totals = {row["regio"]: row["activiteiten"] for row in quarter.json()}
    assert totals["Gent"] == 11 and sum(totals.values()) == 60  # the report's figures for 2020Q2
    assert agenda.status_code == 200 and "Open opvolgingen" in agenda.text


def test_internal_columns_and_tables_are_hidden(example: Path) -> None:
    (tables,) = fetch(example, ["/verweef.json"])
    shown = {t["name"]: t for t in tables.json()["tables"]}
    assert not shown["site"]["hidden"] and shown["merge_log"]["hidden"] and shown["tombstone"]["hidden"]
    columns = metadata("verweef", {"site": ["id", "name", "name_key"]})["databases"]["verweef"]["tables"]["site"]
    assert list(columns["columns"]) == ["name_key"]


def test_a_published_copy_holds_no_e_mail_nor_bookkeeping(ok: Run, example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    result = ok("--db", example, "web", "--publish", folder)
    assert "datasette publish cloudrun" in result.stdout
    conn = sqlite3.connect(folder / "verweef.db")
    assert conn.execute("SELECT count(*) FROM contact WHERE email IS NOT NULL OR phone IS NOT NULL").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM contact").fetchone() == (33,)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert not tables & {"tombstone", "merge_log", "merge_seen", "meta"}
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["databases"]["verweef"]["tables"]["site"]["title"] == "Sites"


def test_publishing_into_a_folder_that_holds_a_copy_is_refused(cli: Run, example: Path, tmp_path: Path) -> None:
    (tmp_path / "verweef.db").write_text("mine", encoding="utf-8")
    result = cli("--db", example, "web", "--publish", tmp_path)
    assert result.exit_code == 1 and "already exists" in result.output
    with pytest.raises(Exception, match="is not a folder"):
        publish(example, tmp_path / "nowhere")
