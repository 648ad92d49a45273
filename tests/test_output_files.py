"""Where ``-o FILE`` writes: standard output, symlinks, FIFOs, devices, existing files,
temporary files, modes, and write errors on standard output (verweefcli.files)."""

from __future__ import annotations

import os
import pty
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump

from verweefcli.files import CannotWrite, output_by_name

REPORT = ("--example", "report", "quarterly", "-q", "2020Q2", "-f", "markdown")
BAD_ROWS = "naam;gemeente;regio\nGoed;Gent;Gent\nSlecht;Gent;Brussel\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.fixture
def report_text(ok: Run) -> str:
    return ok(*REPORT).stdout


@pytest.fixture
def bad_csv(gent: Run, tmp_path: Path) -> Path:  # noqa: ARG001 -- its rows refer to region Gent
    path = tmp_path / "sites.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


def process(*args: str, home: Path, stdout: Any = subprocess.PIPE, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """verweef as a real process, its stdout where the test says."""
    env = {k: v for k, v in os.environ.items() if k != "VERWEEF_DEBUG"}
    env["VERWEEF_HOME"] = str(home)
    command = [sys.executable, "-m", "verweefcli", *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60, **kwargs)


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fifo:
            got.append(fifo.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


# -- standard output ---------------------------------------------------------------------


def test_dash_is_standard_output(
    gent: Run, cli: Run, folder: Path, report_text: str, bad_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)  # where a file named '-' would appear
    result = gent(*REPORT, "-o", "-")
    assert result.stdout == report_text and "Wrote" not in result.stderr
    assert gent("export", "sites", "-o", "-").stdout == gent("export", "sites").stdout
    assert gent("export", "sites", "--excel", "-o", "-").stdout.startswith("\ufeffid;uuid;name")
    assert gent("export", "all", "-f", "json", "-o", "-").stdout == gent("export", "all", "-f", "json").stdout
    result = cli("export", "all", "-o", "-")  # one file per kind: needs a folder
    assert result.exit_code == 2 and "give a folder" in result.stderr
    result = cli("import", "sites", bad_csv, "--skip-invalid", "--rejects", "-")
    assert result.exit_code == 2 and "--rejects needs a file" in result.stderr
    assert listing(folder) == []


@pytest.mark.usefixtures("gent")
def test_dev_stdout_is_standard_output_and_keeps_an_append(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "appended.csv"
    target.write_text("first line\n", encoding="utf-8")
    with open(target, "ab") as out:
        result = process("export", "regions", "-o", "/dev/stdout", home=home, stdout=out)
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("first line\nid,uuid,name") and "Gent" in text


# -- symlinks, FIFOs, devices ------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_symlink_is_followed_and_stays_a_link(gent: Run, cli: Run, folder: Path, report_text: str) -> None:
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    link, real = folder / "report.md", elsewhere / "real.md"
    link.symlink_to(real)  # points to nothing yet
    gent(*REPORT, "-o", link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == report_text
    assert mode(real) == 0o644

    result = cli(*REPORT, "-o", link)  # the file it points to exists now
    assert result.exit_code == 1 and "already exists (--force replaces it)" in result.stderr
    real.write_text("old", encoding="utf-8")
    gent(*REPORT, "-o", link, "--force")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == report_text

    csv_link, csv_real = folder / "sites.csv", elsewhere / "sites-real.csv"
    csv_real.write_text("old", encoding="utf-8")
    csv_link.symlink_to(csv_real)
    gent("export", "sites", "-o", csv_link, "--force")
    assert csv_link.is_symlink() and csv_real.read_text(encoding="utf-8").startswith("id,uuid,name")
    assert mode(csv_real) == 0o600
    assert listing(folder) == ["elsewhere", "report.md", "sites.csv"]
    assert listing(elsewhere) == ["real.md", "sites-real.csv"]  # no temporary file left


def test_fifo_is_written_in_place(gent: Run, folder: Path, report_text: str) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    reader, got = read_fifo(fifo)
    gent(*REPORT, "-o", fifo)  # not an existing regular file: no --force needed
    reader.join(30)
    assert got == [report_text.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    reader, got = read_fifo(fifo)
    gent("export", "sites", "-o", fifo)
    reader.join(30)
    assert got[0].startswith(b"id,uuid,name") and b"Brouwerij De Zwaan" in got[0]

    reader, got = read_fifo(fifo)
    gent("db", "backup", fifo)
    reader.join(30)
    assert got[0].startswith(b"SQLite format 3\x00")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(folder) == ["pipe"]


def test_dev_null_stays_a_character_device(gent: Run) -> None:
    before = os.stat("/dev/null")
    gent(*REPORT, "-o", "/dev/null")
    gent("export", "sites", "-o", "/dev/null")
    gent("export", "all", "-f", "json", "-o", "/dev/null")
    gent("db", "backup", "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


# -- existing files ----------------------------------------------------------------------


def test_existing_report_needs_force(ok: Run, cli: Run, folder: Path, report_text: str) -> None:
    target = folder / "report.md"
    target.write_text("mine", encoding="utf-8")
    result = cli(*REPORT, "-o", target)
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == f"Error: {target} already exists (--force replaces it)"
    assert target.read_text(encoding="utf-8") == "mine"
    ok(*REPORT, "-o", target, "--force")
    assert target.read_text(encoding="utf-8") == report_text
    assert listing(folder) == ["report.md"]


def test_existing_export_needs_force(gent: Run, cli: Run, folder: Path) -> None:
    target = folder / "sites.csv"
    target.write_text("mine", encoding="utf-8")
    result = cli("export", "sites", "-o", target)
    assert result.exit_code == 1 and "already exists (--force replaces it)" in one_error_line(result.stderr)
    assert target.read_text(encoding="utf-8") == "mine"
    gent("export", "sites", "-o", target, "--force")
    assert target.read_text(encoding="utf-8").startswith("id,uuid,name")
    assert mode(target) == 0o600
    assert listing(folder) == ["sites.csv"]


def test_export_all_refuses_before_writing_anything(gent: Run, cli: Run, folder: Path) -> None:
    (folder / "contacts.csv").write_text("mine", encoding="utf-8")
    result = cli("export", "all", "-o", folder)
    assert result.exit_code == 1
    assert "contacts.csv already exists (--force replaces it)" in one_error_line(result.stderr)
    assert listing(folder) == ["contacts.csv"]  # not even regions.csv, the first one
    gent("export", "all", "-o", folder, "--force")
    assert listing(folder) == [
        "activities.csv", "companies.csv", "contacts.csv", "measures.csv", "nuisance.csv", "regions.csv",
        "requests.csv", "sites.csv",
    ]  # fmt: skip
    for name in listing(folder):
        assert mode(folder / name) == 0o600
    assert (folder / "contacts.csv").read_text(encoding="utf-8").startswith("id,uuid,name,organisation")
    result = cli("export", "all", "-o", folder)
    assert "regions.csv" in result.stderr and "activities.csv" in result.stderr
    assert "already exist (--force replaces them)" in one_error_line(result.stderr)


@pytest.mark.usefixtures("gent")
def test_export_all_to_a_missing_folder(cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "newdir"
    result = cli("export", "all", "-o", f"{missing}/")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == f"Error: the folder {missing} does not exist"
    assert not missing.exists()
    result = cli("export", "sites", "-o", missing / "sites.csv")
    assert result.exit_code == 1 and "the folder" in result.stderr and "does not exist" in result.stderr


def test_existing_rejects_file_needs_force(gent: Run, cli: Run, bad_csv: Path, folder: Path) -> None:
    rejects = folder / "rejects.csv"
    rejects.write_text("mine", encoding="utf-8")
    result = cli("import", "sites", bad_csv, "--skip-invalid", "--rejects", rejects)
    assert result.exit_code == 1 and "already exists (--force replaces it)" in one_error_line(result.stderr)
    assert rejects.read_text(encoding="utf-8") == "mine"
    result = gent("import", "sites", bad_csv, "--skip-invalid", "--rejects", rejects, "--force")
    assert "1 rejected" in result.stdout
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("Slecht;Gent;Brussel;")
    assert mode(rejects) == 0o600
    assert listing(folder) == ["rejects.csv"]


def test_backup_follows_the_same_rules(gent: Run, cli: Run, db_file: Path, folder: Path) -> None:
    real = folder / "real.db"
    link = folder / "link.db"
    link.symlink_to(real)
    gent("db", "backup", link)
    assert link.is_symlink() and dump(real) == dump(db_file)
    assert mode(real) == 0o600
    result = cli("db", "backup", link)
    assert result.exit_code == 1 and "already exists (--force replaces it)" in result.stderr
    gent("region", "add", "Turnhout")
    gent("db", "backup", link, "--force")
    assert link.is_symlink() and "Turnhout" in dump(real)
    assert listing(folder) == ["link.db", "real.db"]  # no .part, no journal


def test_backup_never_writes_through_a_symlink_at_its_temporary_name(
    gent: Run, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    target = folder / "copy.db"
    (folder / "copy.db.part").symlink_to(victim)  # the old, predictable name
    names = iter(["guessed", "fresh"])
    monkeypatch.setattr("verweefcli.files.secrets.token_hex", lambda _nbytes: next(names))
    (folder / ".copy.db.guessed.tmp").symlink_to(victim)  # even a name guessed right is not followed
    gent("db", "backup", target)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert listing(folder) == [".copy.db.guessed.tmp", "copy.db", "copy.db.part"]
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_temporary_file_replaced_meanwhile_is_refused(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    target = folder / "copy.db"
    with pytest.raises(CannotWrite, match="was replaced"), output_by_name(target) as temp:
        temp.path.unlink()
        temp.path.symlink_to(victim)
        temp.check()
    assert victim.read_text(encoding="utf-8") == "precious"
    assert listing(folder) == []


# -- failures leave nothing behind -------------------------------------------------------


@pytest.mark.usefixtures("gent")
def test_interrupted_export_leaves_no_file(cli: Run, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from verweefcli.transfer import exporter

    def half_then_interrupt(_store: Any, _noun: str, stream: Any, **_options: Any) -> int:
        stream.write("id,uuid,name\n" * 10_000)
        raise KeyboardInterrupt

    monkeypatch.setattr(exporter, "export_csv", half_then_interrupt)
    target = folder / "sites.csv"
    assert cli("export", "sites", "-o", target).exit_code == 130  # Aborted!
    assert cli("export", "all", "-o", folder).exit_code == 130
    target.write_text("mine", encoding="utf-8")
    assert cli("export", "sites", "-o", target, "--force").exit_code == 130
    assert target.read_text(encoding="utf-8") == "mine"  # whole or not at all
    assert listing(folder) == ["sites.csv"]


@pytest.mark.usefixtures("gent")
def test_interrupted_import_leaves_no_rejects_file(
    cli: Run, bad_csv: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verweefcli.transfer import importer

    def reject_then_interrupt(_store: Any, _noun: str, _source: Any, _profile: Any, options: Any, *_rest: Any) -> Any:
        options.rejects(["a", "b", "c"], "bad")
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "import_rows", reject_then_interrupt)
    result = cli("import", "sites", bad_csv, "--skip-invalid", "--rejects", folder / "rejects.csv")
    assert result.exit_code == 130  # Aborted!
    assert listing(folder) == []


@pytest.mark.usefixtures("gent")
def test_failed_fsync_leaves_no_file(cli: Run, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("verweefcli.files.os.fsync", full)
    for args in ((*REPORT, "-o", folder / "r.md"), ("db", "backup", folder / "copy.db")):
        result = cli(*args)
        assert result.exit_code == 1
        assert one_error_line(result.stderr).endswith(": No space left on device")
    assert listing(folder) == []


def test_write_failing_midway_leaves_no_file(home: Path, folder: Path) -> None:
    """A real process whose file size limit is hit half-way through the report."""

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    target = folder / "report.md"
    result = process(*REPORT, "-o", str(target), home=home, preexec_fn=small_files)
    assert result.returncode == 1
    assert one_error_line(result.stderr.decode()) == f"Error: cannot write {target}: File too large"
    assert listing(folder) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_read_only_folder(cli: Run, folder: Path) -> None:
    folder.chmod(0o500)
    try:
        result = cli(*REPORT, "-o", folder / "r.md")
        assert result.exit_code == 1 and "Permission denied" in one_error_line(result.stderr)
        assert listing(folder) == []
    finally:
        folder.chmod(0o700)


# -- modes -------------------------------------------------------------------------------


def test_modes(gent: Run, folder: Path, bad_csv: Path) -> None:
    old = os.umask(0o022)
    try:
        gent(*REPORT, "-o", folder / "r.md")
        gent("export", "sites", "-o", folder / "sites.csv")
        gent("export", "all", "-f", "json", "-o", folder / "all.json")
        gent("import", "sites", bad_csv, "--skip-invalid", "--rejects", folder / "rejects.csv")
        gent("db", "backup", folder / "copy.db")
        os.umask(0o027)
        gent(*REPORT, "-o", folder / "r2.md")
    finally:
        os.umask(old)
    assert mode(folder / "r.md") == 0o644  # a report holds no names of people: the usual mode
    assert mode(folder / "r2.md") == 0o640
    for private in ("sites.csv", "all.json", "rejects.csv", "copy.db"):
        assert mode(folder / private) == 0o600, private


# -- write errors on standard output -----------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("--example", "site", "list", "-f", "csv"),
        REPORT,
        ("--example", "export", "all", "-f", "json"),
        ("--example", "export", "activities", "-o", "-"),
        ("--example", "export", "activities", "-o", "/dev/stdout"),
        ("--example", "db", "backup", "-"),
    ],
)
def test_write_error_on_standard_output(home: Path, args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        result = process(*args, home=home, stdout=full)
    assert result.returncode == 1
    line = one_error_line(result.stderr.decode())
    assert line == "Error: cannot write to standard output: No space left on device"


@pytest.mark.parametrize(
    "args", [REPORT, ("--example", "activity", "list"), ("--example", "export", "all", "-f", "json")]
)
def test_closed_pipe_is_quiet(home: Path, args: tuple[str, ...]) -> None:
    """The reader is gone before anything is written: the error shows only when stdout is flushed."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = process(*args, home=home, stdout=write)
    finally:
        os.close(write)
    assert result.stderr == b""
    assert result.returncode in (0, 1)


def test_backup_to_standard_output(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    with open(target, "wb") as out:
        result = process("--example", "db", "backup", "-", home=home, stdout=out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().strip() == "Backed up to standard output."
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM region").fetchone()[0] == 5
    conn.close()


def test_backup_is_not_written_to_a_terminal(home: Path) -> None:
    main, secondary = pty.openpty()
    try:
        result = process("--example", "db", "backup", "-", home=home, stdout=secondary)
    finally:
        os.close(secondary)
        os.close(main)
    assert result.returncode == 1
    assert "will not write binary data to a terminal" in one_error_line(result.stderr.decode())
