"""The data every benchmark runs on, made on first use and kept in benchmarks/data/ (git-ignored).

Sizes come in pairs, n and 4n rows, so that each import's growth can be checked:

    regions      500 /     2,000    (--quick: the same: they take well under a second)
    sites     12,500 /    50,000    (--quick: n/10)
    contacts  20,000 /    80,000
    activities 250,000 / 1,000,000, and 200,000 (the size the goal names)
    companies  2,500 /    10,000    (a programme holds far fewer: these show growth)
    requests   5,000 /    20,000
    nuisance   2,500 /    10,000    (nuisance cases)
    measures   5,000 /    20,000

Databases are built the way users build them, with ``verweef import``:

- ``base-regions.db``: the 12 regions of ``base-regions.csv`` (sites and contacts go into a copy);
- ``base-50000s-20000c.db``: those regions, then the 50,000 sites and 20,000 contacts files
  (activities go into a copy; their files name its sites, regions and contacts);
- ``base-50000s-20000c-10000co.db``: that base with the 10,000-company file imported (requests
  and nuisance cases go into a copy; their files name its companies, sites and contacts);
- ``base-50000s-20000c-10000co-10000nu.db``: that one with the 10,000-case file imported
  (measures go into a copy; their file names its cases by uuid or id);
- ``imported-1000000.db``: that base with the 1,000,000-activity file imported (the import
  benchmark keeps one of its runs; else it is built here). The report runs on it, and on
- ``big.db``: the same size written directly by ``generate.py`` (another shape of data).

A database an import goes into is brought to the schema of the verweef measured when it was
made by an older one (as a user's is, by the first command after an upgrade; the backup that
makes is removed): else every run of the import would copy and upgrade it on the clock.
"""

from __future__ import annotations

import csv
import functools
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import csvdata
from _common import DATA, copy_db, ensure_big_db, measure, verweef_command

from verweefcli.migrations import LATEST

FULL = {
    "regions": (500, 2_000),
    "sites": (12_500, 50_000),
    "contacts": (20_000, 80_000),
    "activities": (250_000, 1_000_000),
    "companies": (2_500, 10_000),
    "requests": (5_000, 20_000),
    "nuisance": (2_500, 10_000),
    "measures": (5_000, 20_000),
}
#: further sizes measured (not part of the growth check): the size the activity goal names
EXTRA = {"activities": (200_000,)}
#: the sites of the database activities are imported into for the goal (issue 10's shape)
GOAL_SITES = 5_000
#: how each noun's file is written (see csvdata)
FORMATS = {
    "regions": ("utf-8", ",", "UTF-8, ',', English headers"),
    "sites": ("cp1252", ";", "Belgian Excel: ';', Windows-1252, Dutch headers, decimal commas, dd/mm/yyyy"),
    "contacts": ("utf-8-sig", ";", "Belgian Excel: ';', UTF-8 with BOM, Dutch headers, e-mail on every row"),
    "activities": ("utf-8", ",", "UTF-8, ',', English headers, one site + its region + one contact per row"),
    "companies": (
        "utf-8-sig",
        ";",
        "Belgian Excel: ';', UTF-8 with BOM, Dutch headers, enterprise numbers (mod 97), existing site + contacts",
    ),
    "requests": ("utf-8", ",", "a verweef export: ',', English headers, existing company + sites, moves in order"),
    "nuisance": (
        "utf-8-sig",
        ";",
        "Belgian Excel: ';', UTF-8 with BOM, Dutch headers and labels, dd/mm/yyyy, existing site + company",
    ),
    "measures": ("utf-8", ",", "a verweef export: ',', English headers, the case by uuid (or id), moves in order"),
}


@dataclass(frozen=True)
class Scale:
    """The full sizes, or each divided by ``divisor`` (regions excepted) for a quick run."""

    divisor: int = 1

    @property
    def quick(self) -> bool:
        return self.divisor != 1

    def sizes(self, noun: str) -> tuple[int, int]:
        n, big = FULL[noun]
        return (n, big) if noun == "regions" else (n // self.divisor, big // self.divisor)

    def extra(self, noun: str) -> tuple[int, ...]:
        return tuple(rows // self.divisor for rows in EXTRA.get(noun, ()))

    @property
    def base_sites(self) -> int:
        return self.sizes("sites")[1]

    @property
    def goal_sites(self) -> int:
        """The sites of the database the activity goal is judged on: the shape issue 10 measured
        (5,000 sites, 20,000 contacts), where ``base_sites`` is ten times the sites a programme has."""
        return GOAL_SITES // self.divisor

    @property
    def base_contacts(self) -> int:
        return self.sizes("contacts")[0]

    @property
    def base_companies(self) -> int:
        """The companies of the database requests and nuisance cases go into."""
        return self.sizes("companies")[1]

    @property
    def base_cases(self) -> int:
        """The nuisance cases of the database measures go into."""
        return self.sizes("nuisance")[1]

    @property
    def activities(self) -> int:
        """The size of the large databases (1,000,000 activities at full scale)."""
        return self.sizes("activities")[1]


def env(home: Path) -> dict[str, str]:
    """verweef with no user configuration of its own, and a known terminal width."""
    return {"VERWEEF_HOME": str(home), "COLUMNS": "120"}


HOME = DATA / "home"


def noun_file(noun: str, rows: int, scale: Scale | None = None, base: Path | None = None) -> Path:
    """The CSV file of ``rows`` records of ``noun`` (activities and the nouns after them name the records
    of the database of ``scale`` they go into; activities: of ``base``, if given)."""
    DATA.mkdir(parents=True, exist_ok=True)
    if noun == "activities":
        assert scale is not None
        base = base or base_db(scale)
        path = DATA / f"user-activities-{rows}-{base.stem}.csv"
        if not path.exists():
            _atomic(path, lambda p: csvdata.write_activities(p, base, rows))
        return path
    if noun in NAMING:
        assert scale is not None
        target, write = NAMING[noun]
        db = target(scale)
        path = DATA / f"{noun}-{rows}-{db.stem}.csv"
        if not path.exists() or path.stat().st_mtime < db.stat().st_mtime:  # names records of that database
            _atomic(path, lambda p: write(p, db, rows))
        return path
    path = DATA / f"{noun}-{rows}.csv"
    if not path.exists():
        if noun == "regions":
            _atomic(path, lambda p: csvdata.write_regions(p, rows))
        elif noun == "sites":
            _atomic(path, lambda p: csvdata.write_sites(p, rows, _base_region_names()))
        else:
            _atomic(path, lambda p: csvdata.write_contacts(p, rows, _base_region_names()))
    return path


def first_row_file(noun: str, source: Path, target: Path) -> Path:
    """``source`` cut after its first record, same format: the import's fixed cost."""
    encoding, delimiter, _ = FORMATS[noun]
    with source.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        header, first = next(reader), next(reader)
    with target.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerow(first)
    return target


def _base_region_names() -> list[str]:
    return [name for name, _ in csvdata.BASE_REGIONS]


def base_regions_db() -> Path:
    """A database holding the 12 base regions, imported: where sites and contacts are imported."""

    def build(path: Path) -> None:
        source = DATA / "base-regions.csv"
        csvdata.write_base_regions(source)
        _build(path, [("regions", source)])

    return _made(DATA / "base-regions.db", build)


def base_db(scale: Scale) -> Path:
    """Regions, sites and contacts imported with ``verweef import``: where activities and companies are
    imported."""

    def build(path: Path) -> None:
        regions = base_regions_db()
        sites = noun_file("sites", scale.base_sites)
        contacts = noun_file("contacts", scale.base_contacts)
        _build(path, [("sites", sites), ("contacts", contacts)], start=regions)

    return _made(DATA / f"base-{scale.base_sites}s-{scale.base_contacts}c.db", build)


def goal_base_db(scale: Scale) -> Path:
    """Regions, 5,000 sites and 20,000 contacts imported (issue 10's shape): where the activity goal is judged."""

    def build(path: Path) -> None:
        regions = base_regions_db()
        sites = noun_file("sites", scale.goal_sites)
        contacts = noun_file("contacts", scale.base_contacts)
        _build(path, [("sites", sites), ("contacts", contacts)], start=regions)

    return _made(DATA / f"base-{scale.goal_sites}s-{scale.base_contacts}c.db", build)


def companies_db(scale: Scale) -> Path:
    """The base with the large companies file imported: where requests and nuisance cases are imported."""
    base = base_db(scale)

    def build(path: Path) -> None:
        _build(path, [("companies", noun_file("companies", scale.base_companies, scale))], start=base)

    return _made(DATA / f"{base.stem}-{scale.base_companies}co.db", build, after=base)


def cases_db(scale: Scale) -> Path:
    """That with the large nuisance file imported too: where measures are imported."""
    companies = companies_db(scale)

    def build(path: Path) -> None:
        _build(path, [("nuisance", noun_file("nuisance", scale.base_cases, scale))], start=companies)

    return _made(DATA / f"{companies.stem}-{scale.base_cases}nu.db", build, after=companies)


#: the nouns whose files name the records of a database: which database, and how the file is written
NAMING: dict[str, tuple[Callable[[Scale], Path], Callable[[Path, Path, int], None]]] = {
    "companies": (base_db, csvdata.write_companies),
    "requests": (companies_db, csvdata.write_requests),
    "nuisance": (companies_db, csvdata.write_nuisance),
    "measures": (cases_db, csvdata.write_measures),
}


def _made(path: Path, build: Callable[[Path], None], after: Path | None = None) -> Path:
    """The database ``path``, built by ``build`` unless it is there. One made by an older verweef is
    brought to the current schema, once, by a verweef command (as a user's database is; the backup
    that makes is removed); one whose schema, at the same version, is not what this verweef makes
    (a migration changed while it was being written), or older than the database it was made from
    (``after``), is built again."""
    if path.exists():
        _upgrade(path)
        stale = _schema(path) != _fresh_schema()
        older = after is not None and path.stat().st_mtime < after.stat().st_mtime
        if stale or older:
            why = "its schema is not the one this verweef makes" if stale else "the database it was made from is newer"
            print(f"building {path.name} again: {why}", file=sys.stderr)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        build(path)
    return path


def _upgrade(path: Path) -> None:
    version = _version(path)
    if version < LATEST:
        print(f"bringing {path.name} from schema {version} to {LATEST} (once)", file=sys.stderr)
        HOME.mkdir(parents=True, exist_ok=True)
        measure([*verweef_command(), "--db", str(path), "db", "info"], env=env(HOME))
        for backup in path.parent.glob(f"{path.name}.v{version}*.bak"):
            backup.unlink()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _schema(path: Path) -> set[tuple[str, str, str]]:
    """What a database's tables, indexes and triggers are (SQLite's statistics aside)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return {(kind, name, " ".join(sql.split())) for kind, name, sql in rows}


@functools.cache
def _fresh_schema() -> set[tuple[str, str, str]]:
    """The schema the verweef measured makes: of a database it creates (by importing one region)."""
    with tempfile.TemporaryDirectory(dir=DATA, prefix="schema-") as folder:
        source, db = Path(folder) / "one-region.csv", Path(folder) / "fresh.db"
        source.write_text("name\nGent\n", encoding="utf-8")
        measure([*verweef_command(), "--db", str(db), "import", "regions", str(source)], env=env(Path(folder)))
        return _schema(db)


def imported_db(scale: Scale) -> Path:
    """The base database with the large activity file imported (made by users' means only)."""
    return DATA / f"imported-{scale.activities}.db"


def ensure_imported_db(scale: Scale) -> Path:
    path = imported_db(scale)
    if not path.exists():
        print(f"building {path.name} with verweef import (once; this takes a while)", file=sys.stderr)
        _build(path, [("activities", noun_file("activities", scale.activities, scale))], start=base_db(scale))
    return path


def generated_db(scale: Scale) -> Path:
    """The same size written by generate.py (big.db at full scale)."""
    if not scale.quick:
        return ensure_big_db(DATA / "big.db", 1_000_000, 50_000, 20_000)
    return ensure_big_db(DATA / f"big-{scale.activities}.db", scale.activities, scale.base_sites, scale.base_contacts)


def keep_as(source: Path, target: Path) -> None:
    """Keep a database a benchmark made (e.g. one run's import) as ``target``, if there is none yet,
    with its search index written (a bulk import leaves it for the first search)."""
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        copy_db(source, partial)
        index_for_search(partial)
        os.replace(partial, target)


def index_for_search(path: Path) -> None:
    """What a user's first search does after a bulk import: write the search index it left."""
    HOME.mkdir(parents=True, exist_ok=True)
    measure([*verweef_command(), "--db", str(path), "search", "benchmark", "-f", "json"], env=env(HOME))


def _build(path: Path, steps: list[tuple[str, Path]], start: Path | None = None) -> None:
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    if start is not None:
        copy_db(start, partial)
    HOME.mkdir(parents=True, exist_ok=True)
    for noun, source in steps:
        measure([*verweef_command(), "--db", str(partial), "import", noun, str(source)], env=env(HOME))
    index_for_search(partial)
    copy_db(partial, path)  # folds the write-ahead log in
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _atomic(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    partial = path.with_name(path.name + ".partial")
    write(partial)
    shutil.move(partial, path)
