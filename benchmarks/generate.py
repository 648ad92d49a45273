"""Generate a large, realistic verweef database for the benchmarks.

    python benchmarks/generate.py benchmarks/data/big.db --activities 1000000 --sites 50000 --contacts 20000

Activities are written in date order (as coaches record them), over 2020-2026,
with the kinds, links, follow-ups and highlights a coach's work shows. The
schema comes from verweef's own migrations; rows go in with executemany in one
transaction (the domain functions would take hours for a million rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verweefcli.domain import search_index
from verweefcli.domain.stages import refresh_stages
from verweefcli.storage import now_stamp, open_store
from verweefcli.textnorm import fold

REGIONS = [
    ("Gent", "2020-06-01"),
    ("Sint-Truiden", "2020-02-17"),
    ("Turnhout", "2020-06-01"),
    ("Vilvoorde", "2021-01-04"),
    ("Zuid-West-Vlaanderen", "2020-06-01"),
]
KINDS = {
    "dossier": 6,
    "introduction": 8,
    "network": 4,
    "visit": 20,
    "plan-review": 8,
    "request": 12,
    "consultation": 12,
    "communication": 8,
    "developer-contact": 6,
    "mapping": 8,
    "example": 4,
}
STAGES = ["identified", "visited", "studied", "candidate", "woven", "dropped"]
SITE_KINDS = ["company-site", "building", "vacant-building", "business-zone", "craft-zone", "brownfield"]
ROLES = [
    "wijkregisseur",
    "buurtcomite",
    "ruimtelijk-planner",
    "projectontwikkelaar",
    "ondernemer",
    "eigenaar",
    "lokaal-bestuur",
    "stadsdienst",
    "vlaio",
    "voka-unizo",
    None,
]
START, END = dt.date(2020, 1, 1), dt.date(2026, 12, 31)


def generate(path: Path, activities: int, sites: int, contacts: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    if path.exists():
        path.unlink()
    store = open_store(path)
    conn = store.conn
    stamp = now_stamp()
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO region (id, uuid, name, name_key, municipalities, coach, coach_status, appointed_on, ends_on,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'appointed', ?, ?, ?, ?)",
        [
            (
                i + 1,
                str(uuid.UUID(int=rnd.getrandbits(128))),
                name,
                fold(name),
                json.dumps([name]),
                f"Coach {i + 1}",
                appointed,
                f"{int(appointed[:4]) + 3}{appointed[4:]}",
                stamp,
                stamp,
            )
            for i, (name, appointed) in enumerate(REGIONS)
        ],
    )
    span = (END - START).days
    site_rows, stage_rows, site_region = _sites(rnd, sites, span, stamp)
    conn.executemany(
        "INSERT INTO site (id, uuid, name, name_key, address, municipality, municipality_key, region_id, kind,"
        " floor_area_m2, lat, lon, tags, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        site_rows,
    )
    # the stage changes people recorded; the histories are derived from them (and the visits) at the end
    conn.executemany("INSERT INTO stage_change (site_id, stage, since, recorded_at) VALUES (?, ?, ?, ?)", stage_rows)
    contact_rows = _contacts(rnd, contacts, span, stamp)
    conn.executemany(
        "INSERT INTO contact (id, uuid, name, name_key, organisation, organisation_key, role, email, region_id,"
        " created_at, recorded_on, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        contact_rows,
    )
    kinds, weights = list(KINDS), list(KINDS.values())
    days = sorted(rnd.randint(0, span) for _ in range(activities))
    batch_a, batch_s, batch_c = [], [], []
    for i, offset in enumerate(days, start=1):
        day = START + dt.timedelta(days=offset)
        kind = rnd.choices(kinds, weights)[0]
        n_sites = 1 if kind == "visit" else rnd.choices([0, 1, 2], [30, 60, 10])[0]
        linked = rnd.sample(range(1, sites + 1), n_sites)
        region = site_region[linked[0]] if linked else rnd.randint(1, len(REGIONS))  # its sites' region
        follow = (day + dt.timedelta(days=rnd.randint(7, 120))).isoformat() if rnd.random() < 0.1 else None
        batch_a.append(
            (
                i,
                str(uuid.UUID(int=rnd.getrandbits(128))),
                day.isoformat(),
                kind,
                f"Activiteit {i}",
                region,
                rnd.choice([15, 30, 45, 60, 90, 120, 180]),
                follow,
                int(rnd.random() < 0.01),
                "[]",
                stamp,
                stamp,
            )
        )
        for position, site in enumerate(linked):
            batch_s.append((i, site, position, day.isoformat(), kind))
        for position, contact in enumerate(rnd.sample(range(1, contacts + 1), rnd.choices([0, 1, 2], [30, 55, 15])[0])):
            batch_c.append((i, contact, position, day.isoformat()))
        if len(batch_a) >= 50_000:
            _flush(conn, batch_a, batch_s, batch_c)
    _flush(conn, batch_a, batch_s, batch_c)
    refresh_stages(store, None)
    for table in search_index.TABLES:  # the search index, by its owner, as an import writes it
        search_index.refresh(store, table, None)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    store.close()
    print(f"generated {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _sites(rnd: random.Random, sites: int, span: int, stamp: str) -> tuple[list, list, list[int]]:
    """Site rows, their recorded stage changes, and each site's region (index: site id)."""
    site_rows, stage_rows = [], []
    site_region = [0]
    for i in range(1, sites + 1):
        region = rnd.randint(1, len(REGIONS))
        site_region.append(region)
        name = f"Site {i:05d} {rnd.choice(['Noord', 'Zuid', 'Oost', 'West', 'Centrum'])}"
        municipality = f"Gemeente {rnd.randint(1, 60)}"
        site_rows.append(
            (
                i,
                str(uuid.UUID(int=rnd.getrandbits(128))),
                name,
                fold(name),
                f"Straat {i}",
                municipality,
                fold(municipality),
                region,
                rnd.choice(SITE_KINDS),
                rnd.uniform(100, 40000),
                50.7 + rnd.random() * 0.6,
                3.0 + rnd.random() * 2.5,
                json.dumps(rnd.sample(["geur", "lawaai", "verkeer", "groei", "leegstand"], 2)),
                stamp,
                stamp,
            )
        )
        day = START + dt.timedelta(days=rnd.randint(0, span - 30))
        stage_count = rnd.choices([1, 2, 3, 4], [35, 40, 18, 7])[0]
        for step in range(stage_count):
            stage = STAGES[step] if step < 4 else "woven"
            if step == stage_count - 1 and rnd.random() < 0.05:
                stage = "dropped"
            stage_rows.append((i, stage, day.isoformat(), stamp))
            day += dt.timedelta(days=rnd.randint(5, 200))
            if day > END:
                break
    return site_rows, stage_rows, site_region


def _contacts(rnd: random.Random, contacts: int, span: int, stamp: str) -> list:
    contact_rows = []
    for i in range(1, contacts + 1):
        name = f"Persoon {i:05d}"
        created = START + dt.timedelta(days=rnd.randint(0, span))
        contact_rows.append(
            (
                i,
                str(uuid.UUID(int=rnd.getrandbits(128))),
                name,
                fold(name),
                f"Organisatie {i % 900}",
                fold(f"Organisatie {i % 900}"),
                rnd.choice(ROLES),
                f"persoon{i}@example.org",
                rnd.randint(1, len(REGIONS)),
                created.isoformat() + "T09:00:00.000000Z",
                created.isoformat(),
                stamp,
            )
        )
    return contact_rows


def _flush(conn, batch_a: list, batch_s: list, batch_c: list) -> None:  # type: ignore[no-untyped-def]
    conn.executemany(
        "INSERT INTO activity (id, uuid, date, kind, title, region_id, minutes, follow_up, highlight, tags,"
        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        batch_a,
    )
    conn.executemany(
        "INSERT INTO activity_site (activity_id, site_id, position, date, kind) VALUES (?,?,?,?,?)", batch_s
    )
    conn.executemany("INSERT INTO activity_contact (activity_id, contact_id, position, date) VALUES (?,?,?,?)", batch_c)
    batch_a.clear()
    batch_s.clear()
    batch_c.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    generate(args.path, args.activities, args.sites, args.contacts)


if __name__ == "__main__":
    main()
