"""Safe to run anywhere: a read-only database file or folder, and a damaged file.

Reading commands work on a file this process cannot write, or in a folder it
cannot write, and leave nothing behind; a write says which of the two is
read-only. ``db check`` on a damaged file says what SQLite finds and how to
recover what is readable.

The machine running the tests may be root, whom file permissions do not stop:
a file or folder is then made read-only with ``chattr +i``, and the case of a
user without write access (a ``-shm`` file left read-only) runs verweef as the
user ``nobody``. Where neither is possible the tests skip.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Lock, Run, Templates

from verweefcli import migrations
from verweefcli.schema import MIGRATIONS
from verweefcli.storage import open_store

ROOT = Path(__file__).resolve().parents[1]


# -- helpers ----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes: equal snapshots mean nothing was added, removed or changed."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def load_examples(ok: Run) -> None:
    ok("examples", "load")


@pytest.fixture
def data(tmp_path: Path, ok: Run, templates: Templates) -> Path:
    """The example data in a database of its own folder (WAL mode, closed: no -wal beside it)."""
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "verweef.db"
    templates.copy("examples", load_examples, ok, target)
    assert sorted(p.name for p in folder.iterdir()) == ["verweef.db"]
    return target


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("Error: "), text
    return lines[0]


READS = (
    ("site", "list", "--format", "json"),
    ("region", "show", "Gent", "--format", "json"),
    ("report", "quarterly", "--quarter", "2020Q2", "--format", "json", "--as-of", "2020-07-01"),
    ("export", "activities", "--format", "csv"),
    ("db", "info", "--format", "json"),
    ("db", "check"),
)


# -- reading and writing a read-only file or folder ------------------------------------------


@pytest.mark.parametrize("where", ["file", "folder"])
def test_reading_commands_work_and_leave_nothing_behind(
    data: Path, ok: Run, lock: Lock, tmp_path: Path, where: str
) -> None:
    expected = {args: ok("--db", data, *args).stdout for args in READS if args[0] != "db"}
    lock(data if where == "file" else data.parent)
    before = snapshot(data.parent)
    for args in READS:
        result = ok("--db", data, *args)
        if args in expected:
            assert result.stdout == expected[args], args  # the same data, read-only
    info = json.loads(ok("--db", data, "db", "info", "--format", "json").stdout)
    assert info["counts"]["activities"] == 113
    copy = tmp_path / "copy.db"
    ok("--db", data, "db", "backup", copy)
    assert snapshot(data.parent) == before
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 113
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_write_says_whether_the_file_or_its_folder_is_read_only(data: Path, cli: Run, lock: Lock, where: str) -> None:
    lock(data if where == "file" else data.parent)
    before = snapshot(data.parent)
    for args in (
        ["region", "add", "Turnhout-Zuid"],
        ["visit", "add", "Brouwerij De Zwaan"],
        ["db", "check", "--repair"],
    ):
        result = cli("--db", data, *args)
        assert result.exit_code == 1, (args, result.output)
        line = one_line(result.stderr)
        if where == "file":
            assert f"{data} is read-only: cannot write to it (chmod u+w {data})" in line
        else:
            assert f"the folder {data.parent} is read-only (SQLite needs to create {data}-wal there)" in line
        assert snapshot(data.parent) == before


def test_a_read_only_file_with_uri_characters_in_its_path(tmp_path: Path, data: Path, ok: Run, lock: Lock) -> None:
    """The read-only open goes through a ``file:`` URI: ``?``, ``#``, ``%`` and spaces in a path stay a path."""
    folder = tmp_path / "a b?c#d%41e"
    folder.mkdir()
    target = folder / "my ?db#%20.db"
    shutil.copy(data, target)
    lock(target)
    sites = json.loads(ok("--db", target, "site", "list", "--format", "json").stdout)
    assert len(sites) == 26
    assert sorted(p.name for p in folder.iterdir()) == [target.name]


def test_a_new_database_in_a_read_only_folder(tmp_path: Path, cli: Run, lock: Lock) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    lock(folder)
    assert cli("--db", folder / "new.db", "site", "list").exit_code == 0  # nothing there: nothing to list
    result = cli("--db", folder / "new.db", "region", "add", "Gent")
    assert result.exit_code == 1
    assert f"cannot create {folder / 'new.db'}: the folder {folder} is read-only" in one_line(result.stderr)
    assert list(folder.iterdir()) == []


def test_a_wal_left_beside_a_read_only_file_is_read_not_ignored(tmp_path: Path, ok: Run, lock: Lock) -> None:
    """A ``-wal`` file holds committed data: the read-only open must use it (not ``immutable``)."""
    live = tmp_path / "live"
    live.mkdir()
    ok("--db", live / "verweef.db", "region", "add", "Gent")
    writer = sqlite3.connect(live / "verweef.db")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE region SET notes = 'only in the WAL'")
    writer.commit()
    crashed = tmp_path / "crashed"  # the files as a crash while the writer was open leaves them
    shutil.copytree(live, crashed)
    writer.close()
    target = crashed / "verweef.db"
    assert (crashed / "verweef.db-wal").stat().st_size > 0
    lock(target)
    lock(crashed / "verweef.db-wal")
    data_before = {name: (crashed / name).read_bytes() for name in ("verweef.db", "verweef.db-wal")}
    regions = json.loads(ok("--db", target, "region", "list", "--format", "json").stdout)
    assert [(r["name"], r["notes"]) for r in regions] == [("Gent", "only in the WAL")]
    assert {name: (crashed / name).read_bytes() for name in data_before} == data_before
    assert sorted(p.name for p in crashed.iterdir()) == ["verweef.db", "verweef.db-shm", "verweef.db-wal"]


@pytest.mark.parametrize("where", ["file", "folder"])
def test_an_old_schema_read_only_database_says_how_to_upgrade_it(
    tmp_path: Path, cli: Run, lock: Lock, where: str
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    target = folder / "old.db"
    old = 3
    store = open_store(target, stop_before=[m.name for m in MIGRATIONS._migrations][old])
    assert migrations.schema_version(store.conn) == old
    store.close()
    lock(target if where == "file" else folder)
    before = snapshot(folder)
    for args in (["site", "list"], ["report", "quarterly", "-q", "2020Q2"], ["db", "info"]):
        result = cli("--db", target, *args)
        assert result.exit_code == 1, result.output
        line = one_line(result.stderr)
        assert f"{target} has schema {old} and this verweef needs {migrations.LATEST}" in line
        assert "open it once with write access to upgrade it" in line
        assert ("the file is read-only" if where == "file" else f"the folder {folder} is read-only") in line
        assert snapshot(folder) == before  # no upgrade, no NAME.vN.bak
    result = cli("--db", target, "region", "add", "Gent")
    assert result.exit_code == 1
    assert "read-only" in one_line(result.stderr)
    assert snapshot(folder) == before


# -- a -shm file left read-only by a user who could only read -----------------------------


class Unprivileged:
    """Runs verweef as a user whom file permissions stop: this one, or ``nobody`` when this is root."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.user: pwd.struct_passwd | None = None
        self.python = sys.executable
        paths = [str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)),
            "VERWEEF_HOME": str(folder),
            "HOME": str(folder),
            "COLUMNS": "160",
        }
        if os.geteuid() != 0:
            return
        try:
            self.user = pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("running as root and there is no user 'nobody'")
        os.chown(folder, self.user.pw_uid, self.user.pw_gid)
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        for python in (sys.executable, shutil.which(version), f"/usr/bin/{version}"):
            if python and self.python_works(python):
                self.python = python
                return
        pytest.skip(f"no {version} that the user 'nobody' can run verweef with")

    def python_works(self, python: str) -> bool:
        try:
            probe = self.run_python(python, "-c", "import verweefcli.cli.app, sqlite3")
        except OSError:
            return False
        return probe.returncode == 0

    def run_python(self, python: str, *args: str) -> subprocess.CompletedProcess[str]:
        user = self.user
        return subprocess.run(
            [python, *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            user=None if user is None else user.pw_uid,
            group=None if user is None else user.pw_gid,
            extra_groups=None if user is None else [],
        )

    def verweef(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run_python(self.python, "-m", "verweefcli", *args)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def sqlite_read(self, db: Path) -> None:
        """Read the way an older verweef or another program did: a read-write open that falls back to read-only."""
        code = f"import sqlite3; sqlite3.connect({str(db)!r}).execute('SELECT count(*) FROM site').fetchall()"
        result = self.run_python(self.python, "-c", code)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def own_folder(data: Path) -> Iterator[Path]:
    """A folder the unprivileged user owns (outside pytest's private tmp), holding a copy of ``data``."""
    folder = Path(tempfile.mkdtemp(prefix="verweef-readonly-"))
    try:
        folder.chmod(0o755)
        shutil.copy(data, folder / "verweef.db")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_shm_left_by_a_reader_does_not_break_later_writes(own_folder: Path) -> None:
    user = Unprivileged(own_folder)
    db = own_folder / "verweef.db"
    if user.user is not None:
        os.chown(db, user.user.pw_uid, user.user.pw_gid)
    db.chmod(0o400)

    # verweef reads a file it cannot write and leaves nothing beside it
    before = snapshot(own_folder)
    listed = user.verweef("--db", str(db), "site", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 26
    assert snapshot(own_folder) == before
    refused = user.verweef("--db", str(db), "region", "add", "Turnhout-Zuid")
    assert refused.returncode == 1
    assert f"{db} is read-only: cannot write to it (chmod u+w {db})" in one_line(refused.stderr)

    # another reader leaves -wal and -shm behind, read-only like the file then
    user.sqlite_read(db)
    shm = own_folder / "verweef.db-shm"
    assert shm.exists() and stat.S_IMODE(shm.stat().st_mode) == 0o400
    assert user.verweef("--db", str(db), "site", "list").returncode == 0

    # once the file is writable again, writing works, and SQLite cleans up after itself
    db.chmod(0o600)
    added = user.verweef("--db", str(db), "region", "add", "Turnhout-Zuid")
    assert added.returncode == 0, added.stderr
    assert sorted(p.name for p in own_folder.iterdir()) == ["verweef.db"]
    regions = json.loads(user.verweef("--db", str(db), "region", "list", "--format", "json").stdout)
    assert "Turnhout-Zuid" in [r["name"] for r in regions]
    assert user.verweef("--db", str(db), "db", "check").returncode == 0


# -- a damaged database ------------------------------------------------------------------


def damage(target: Path, how: str) -> None:
    if how == "garbage":
        conn = sqlite3.connect(target)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'site'").fetchone()[0]
        conn.close()
    data = bytearray(target.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 2 + 100]
    else:  # the first page of the site table overwritten with garbage
        size = int.from_bytes(data[16:18], "big")
        at = (root - 1) * size
        data[at : at + size] = bytes((i * 7919 + 13) % 251 for i in range(size))
    target.write_bytes(bytes(data))
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


@pytest.mark.parametrize("locked", [False, True], ids=["writable", "read-only-folder"])
@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_db_check_on_a_damaged_file_says_how_to_recover(
    data: Path, cli: Run, lock: Lock, how: str, locked: bool
) -> None:
    damage(data, how)
    if locked:
        lock(data.parent)
    before = snapshot(data.parent)

    for args in (["site", "list"], ["report", "quarterly", "-q", "2020Q2"], ["visit", "add", "Brouwerij De Zwaan"]):
        result = cli("--db", data, *args)
        assert result.exit_code == 1
        line = one_line(result.stderr)
        if locked and args[0] == "visit" and how == "garbage":
            assert "read-only" in line  # found before the damage is
        else:
            assert "is damaged" in line and "run 'verweef db check' to see how to recover it" in line, line
        assert snapshot(data.parent) == before

    for args in (["db", "check"], ["db", "check", "--repair"]):
        result = cli("--db", data, *args)
        if locked and "--repair" in args and how == "garbage":
            assert result.exit_code == 1
            assert "read-only" in one_line(result.stderr)
            continue
        assert result.exit_code == 1, result.output
        assert one_line(result.stderr) == f"Error: {data} is damaged: see above how to recover what is readable"
        out = result.stdout
        assert f"{data} is damaged. SQLite's integrity check says:" in out
        assert "page" in out  # what integrity_check found, as far as it ran
        if how == "truncated":
            assert "The file is cut short" in out
            assert f"cp {data} " in out  # 'db backup' cannot read a file cut short
        else:
            assert f"verweef --db {data} db backup " in out
        assert ".recover | sqlite3 " in out
        assert "-recovered.db db check" in out
        assert snapshot(data.parent) == before  # nothing written, nothing left behind


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_the_recovery_commands_work(data: Path, cli: Run, ok: Run, how: str) -> None:
    damage(data, how)
    out = cli("--db", data, "db", "check").stdout
    steps = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip() for line in out.splitlines() if ":  " in line}
    keep = next(cmd for label, cmd in steps.items() if label.startswith("1."))
    copy = Path(keep.split()[-1] if keep.startswith("verweef") else keep.split()[2])
    if keep.startswith("verweef"):
        ok("--db", data, "db", "backup", copy)
    else:
        shutil.copy(data, copy)
    assert copy.exists()
    sqlite3_shell = shutil.which("sqlite3")
    if sqlite3_shell is None:
        pytest.skip("no sqlite3 shell")
    probe = subprocess.run([sqlite3_shell, str(copy), ".recover"], capture_output=True, text=True)
    if "sqlite_dbpage" in probe.stderr or probe.returncode != 0:
        pytest.skip("this sqlite3 shell has no working .recover (built without the sqlite_dbpage table)")
    recovered = copy.with_name(copy.name.replace("-copy", "-recovered"))
    subprocess.run([sqlite3_shell, str(recovered)], input=probe.stdout, text=True, check=True)
    ok("--db", recovered, "db", "check", "--repair")
    assert ok("--db", recovered, "region", "list").exit_code == 0


def test_db_check_on_a_damaged_index_does_not_repair_into_it(data: Path, cli: Run) -> None:
    """integrity_check runs to its end and lists what is wrong; --repair does not write into the file."""
    conn = sqlite3.connect(data, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")  # the index no longer matches what it holds
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX site_region_stage ON site(stage, region_id)' "
        "WHERE name = 'site_region_stage'"
    )
    conn.close()
    before = snapshot(data.parent)
    for args in (["db", "check"], ["db", "check", "--repair"]):
        result = cli("--db", data, *args)
        assert result.exit_code == 1
        assert "row 1 missing from index site_region_stage" in result.stdout
        assert ".recover | sqlite3 " in result.stdout
        assert f"'sqlite3 {data} REINDEX'" in result.stdout
        assert "Repaired" not in result.stdout
        assert one_line(result.stderr) == f"Error: {data} is damaged: see above how to recover what is readable"
        assert snapshot(data.parent) == before
