"""Reliability with real processes: concurrent writers, killed imports and migrations,
files that are not what they should be.

The long variants (more processes, more kills) run with ``pytest -m slow``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Run, dump

from verweefcli import migrations
from verweefcli.domain import activities
from verweefcli.storage import open_store

ROOT = Path(__file__).resolve().parents[1]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERWEEF_")}
    env["VERWEEF_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from verweefcli.cli.app import app

    db, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    go.with_name(f"ready-{name}").touch()
    while not go.exists():
        time.sleep(0.005)
    for i in range(count):
        code = app(["--db", db, *sys.argv[5:], "--notes", f"{name}-{i}"], prog_name="verweef",
                   standalone_mode=False)
        if code:
            sys.exit(code)
    """
)


def _writers(tmp_path: Path, db: Path, each: int, commands: list[list[str]]) -> list[subprocess.Popen[str]]:
    """One process per command, each running it ``each`` times; released together."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(db), f"w{n}", str(each), str(go), *command],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, command in enumerate(commands)
    ]
    # once every one has started (its imports done, ready to write), release them together
    ready = [go.with_name(f"ready-w{n}") for n in range(len(workers))]
    deadline = time.monotonic() + 120
    while not all(r.exists() or w.poll() is not None for r, w in zip(ready, workers, strict=True)):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.005)
    go.touch()
    return workers


def _concurrent_visits(tmp_path: Path, processes: int, each: int) -> None:
    db = tmp_path / "shared.db"
    store = open_store(db)
    from verweefcli.domain import regions, sites

    regions.add_region(store, {"name": "Gent"})
    sites.add_site(store, {"name": "Brouwerij De Zwaan", "region": "Gent"})
    store.close()
    workers = _writers(tmp_path, db, each, [["visit", "add", "Brouwerij De Zwaan"]] * processes)
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM activity WHERE kind = 'visit'").fetchone()[0] == processes * each
    assert conn.execute("SELECT count(DISTINCT notes) FROM activity").fetchone()[0] == processes * each
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_eight_processes_adding_visits_at_once(tmp_path: Path) -> None:
    _concurrent_visits(tmp_path, 8, 25)


@pytest.mark.slow
def test_sixteen_processes_adding_visits_at_once(tmp_path: Path) -> None:
    _concurrent_visits(tmp_path, 16, 200)


def test_processes_racing_to_create_the_database(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    workers = _writers(tmp_path, db, 1, [["region", "add", f"Regio {n}"] for n in range(8)])
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM region").fetchone()[0] == 8
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


# -- killed in the middle -------------------------------------------------------------


def _import_fixture(tmp_path: Path, rows: int) -> tuple[Path, Path]:
    db = tmp_path / "base.db"
    store = open_store(db)
    from verweefcli.domain import regions

    regions.add_region(store, {"name": "Gent"})
    store.close()
    csv_path = tmp_path / "activities.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write("date,kind,title,region,minutes,notes\n")
        for i in range(rows):
            out.write(f"2026-0{1 + i % 9}-1{i % 9},dossier,Titel {i},Gent,30,Notitie {i}\n")
    return db, csv_path


def _state(db: Path) -> tuple[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM activity").fetchone()[0]
    finally:
        conn.close()
    return dump(db), count


def _wal_size(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


# Kill moments: a range of seconds after the start, or WHILE_WRITING: the first kill as soon as
# the command's transaction writes to the -wal file (so it lands in the middle of the write),
# the others up to 0.3 s later.
WHILE_WRITING = None


def _kill(
    process: subprocess.Popen[bytes], db: Path, n: int, rng: random.Random, moments: tuple[float, float] | None
) -> None:
    if moments is WHILE_WRITING:
        while process.poll() is None and _wal_size(db) == 0:
            time.sleep(0.002)
        if n == 0:
            assert process.poll() is None, "the command ended before it was seen writing"
        else:
            time.sleep(rng.uniform(0, 0.3))
    else:
        time.sleep(rng.uniform(*moments))
    process.send_signal(signal.SIGKILL)
    process.wait()


def _kill_imports(tmp_path: Path, rounds: int, rows: int, moments: tuple[float, float] | None = (0.2, 2.0)) -> None:
    base, csv_path = _import_fixture(tmp_path, rows)
    before, _ = _state(base)
    outcomes = {"untouched": 0, "complete": 0}
    rng = random.Random(rounds)
    for n in range(rounds):
        db = tmp_path / f"run{n}.db"
        shutil.copyfile(base, db)
        process = subprocess.Popen(
            [sys.executable, "-m", "verweefcli", "--db", str(db), "import", "activities", str(csv_path)],
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _kill(process, db, n, rng, moments)
        state, count = _state(db)
        if count == 0:
            assert state == before  # exactly as it was
            outcomes["untouched"] += 1
        else:
            assert count == rows  # never half an import
            outcomes["complete"] += 1
    assert outcomes["untouched"] > 0  # the kills did land during imports


def test_killed_imports_leave_the_database_as_it_was(tmp_path: Path) -> None:
    # Killed while the import writes: what the long variant's random moments hit now and then.
    _kill_imports(tmp_path, rounds=2, rows=60_000, moments=WHILE_WRITING)


@pytest.mark.slow
def test_many_killed_imports(tmp_path: Path) -> None:
    _kill_imports(tmp_path, rounds=40, rows=60_000)


def _old_database(path: Path, activities: int) -> None:
    """A database at schema 1 (before the report's migration) with many contact links."""
    names = [m.name for m in __import__("verweefcli.schema", fromlist=["MIGRATIONS"]).MIGRATIONS._migrations]
    store = open_store(path, stop_before=names[1])
    conn = store.conn
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO region (id, uuid, name, name_key, created_at, updated_at) "
        "VALUES (1, 'u', 'Gent', 'gent', 't', 't')"
    )
    conn.execute(
        "INSERT INTO contact (id, uuid, name, name_key, created_at, updated_at) VALUES (1, 'c', 'An', 'an', 't', 't')"
    )
    conn.executemany(
        "INSERT INTO activity (id, uuid, date, kind, region_id, created_at, updated_at) "
        "VALUES (?, ?, '2024-01-01', 'dossier', 1, 't', 't')",
        ((i, f"a{i}") for i in range(1, activities + 1)),
    )
    conn.executemany(
        "INSERT INTO activity_contact (activity_id, contact_id, position) VALUES (?, 1, 0)",
        ((i,) for i in range(1, activities + 1)),
    )
    conn.execute("COMMIT")
    store.close()


def _kill_migrations(
    tmp_path: Path, rounds: int, activities: int, moments: tuple[float, float] | None = (0.3, 2.5)
) -> None:
    base = tmp_path / "old.db"
    _old_database(base, activities)
    before = dump(base)
    outcomes = {"old": 0, "new": 0}
    rng = random.Random(rounds)
    for n in range(rounds):
        db = tmp_path / f"m{n}.db"
        shutil.copyfile(base, db)
        process = subprocess.Popen(
            [sys.executable, "-m", "verweefcli", "--db", str(db), "region", "list"],
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _kill(process, db, n, rng, moments)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        if version == 1:
            assert dump(db) == before
            outcomes["old"] += 1
        else:
            assert version == migrations.LATEST
            outcomes["new"] += 1
        # whatever happened, the next command works
        result = subprocess.run(
            [sys.executable, "-m", "verweefcli", "--db", str(db), "region", "list", "-f", "json"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert '"Gent"' in result.stdout
    assert outcomes["old"] > 0


def test_killed_migrations_leave_the_old_schema_intact(tmp_path: Path) -> None:
    # Killed while the migration writes: what the long variant's random moments hit now and then.
    _kill_migrations(tmp_path, rounds=2, activities=100_000, moments=WHILE_WRITING)


@pytest.mark.slow
def test_many_killed_migrations(tmp_path: Path) -> None:
    _kill_migrations(tmp_path, rounds=25, activities=300_000)


# -- files that are not what they should be ---------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "scribbled", "header"])
@pytest.mark.usefixtures("gent")
def test_damaged_database_gets_a_clear_message_and_is_not_overwritten(cli: Run, db_file: Path, damage: str) -> None:
    store = open_store(db_file)  # pages of data for the damage to hit
    for i in range(30):
        activities.add_activity(
            store, {"kind": "dossier", "date": "2020-06-10", "region": "Gent", "notes": "x" * 2000 + str(i)}
        )
    store.close()
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_file.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2 + 100]
    elif damage == "scribbled":
        for at in range(4096, len(data), 4096):
            data[at + 8 : at + 200] = os.urandom(192)
    else:
        data[:16] = b"Not SQLite at al"
    db_file.write_bytes(bytes(data))
    damaged = db_file.read_bytes()
    for args in (["activity", "list"], ["region", "add", "Turnhout"], ["report", "quarterly", "-f", "json"]):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        message = result.stderr.strip()
        assert message.startswith("Error: ") and len(message.splitlines()) == 1
        assert "damaged" in message or "not a verweef database" in message
        assert db_file.read_bytes() == damaged
    check = cli("db", "check")
    assert check.exit_code == 1


def _chattr(path: Path, flag: str) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


MakeReadOnly = Callable[[Path], bool]


@pytest.fixture
def immutable() -> Iterator[MakeReadOnly]:
    """Make files read-only even for root (chattr +i), undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> bool:
        if os.geteuid() != 0:
            path.chmod(0o500 if path.is_dir() else 0o400)
            made.append(path)
            return True
        if shutil.which("chattr") and _chattr(path, "+i"):
            made.append(path)
            return True
        return False

    yield make
    for path in made:
        if os.geteuid() == 0:
            _chattr(path, "-i")
        else:
            path.chmod(0o700 if path.is_dir() else 0o600)


@pytest.mark.usefixtures("gent")
def test_read_only_database_file(cli: Run, db_file: Path, immutable: MakeReadOnly) -> None:
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if not immutable(db_file):
        pytest.skip("cannot make a file read-only here")
    before = db_file.read_bytes()
    assert cli("site", "list").exit_code == 0
    result = cli("region", "add", "Turnhout")
    assert result.exit_code == 1
    assert "read-only" in result.stderr or "cannot open" in result.stderr
    assert db_file.read_bytes() == before


def test_read_only_folder(tmp_path: Path, cli: Run, immutable: MakeReadOnly) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    if not immutable(folder):
        pytest.skip("cannot make a folder read-only here")
    result = cli("--db", folder / "new.db", "region", "add", "Gent")
    assert result.exit_code == 1
    assert "cannot create" in result.stderr
    assert list(folder.iterdir()) == []
