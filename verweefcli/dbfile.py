"""The database file on disk, and the files SQLite keeps beside it.

What stops this process from writing (the file, its folder, a ``-wal``/``-shm``
left read-only), whether a file is cut short, how to name it for a read-only
open, and what SQLite's integrity check says about a damaged file
(``db check``). No connection is kept here: :mod:`verweefcli.storage` opens them.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

# -- files SQLite keeps beside the database ------------------------------------------

SQLITE_MAGIC = b"SQLite format 3\x00"


def beside(path: Path, suffix: str) -> Path:
    """``FILE-wal``, ``FILE-shm``, ``FILE-journal``: SQLite's files next to ``FILE``."""
    return path.with_name(path.name + suffix)


def folder(path: Path) -> Path:
    return Path(os.path.abspath(path)).parent


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(100)
    except OSError:
        return b""


def is_wal(path: Path) -> bool:
    """The file is in WAL mode: its header's read and write versions are 2 (sqlite.org/fileformat.html)."""
    head = _header(path)
    return head.startswith(SQLITE_MAGIC) and len(head) >= 20 and head[18] == 2 and head[19] == 2


def write_blocker(path: Path) -> str | None:
    """Why this process cannot write the existing database ``path`` (one line), or None if it can."""
    found = blocker(path)
    return found[0] if found else None


def blocker(path: Path) -> tuple[str, str] | None:
    """(the line :func:`write_blocker` gives, its cause in a few words), or None.

    Writing needs the file, and a folder SQLite can create its files in: a
    WAL database needs ``FILE-wal`` and ``FILE-shm`` there (they exist while it
    is open), any other database a ``FILE-journal`` during each write.
    ``os.access`` answers for this process: it knows root, ``chattr +i`` and
    read-only file systems.
    """
    if not os.access(path, os.W_OK):
        return f"{path} is read-only: cannot write to it (chmod u+w {_shell(path)})", "the file is read-only"
    where = folder(path)
    if not os.access(where, os.W_OK | os.X_OK):
        if is_wal(path):
            missing = [p for p in (beside(path, "-wal"), beside(path, "-shm")) if not p.exists()]
        else:
            missing = [beside(path, "-journal")]
        if missing:
            return (
                f"cannot write to {path}: the folder {where} is read-only (SQLite needs to create {missing[0]} there)",
                f"the folder {where} is read-only",
            )
    for side in (beside(path, "-wal"), beside(path, "-shm")):
        if side.exists() and not os.access(side, os.W_OK):
            return (
                f"cannot write to {path}: {side} is read-only (left by a process that could only read it); "
                f"make it writable: chmod u+w {_shell(side)}",
                f"{side} is read-only",
            )
    return None


def make_writable_beside(path: Path) -> None:
    """Give a ``-wal``/``-shm`` file left read-only beside a writable database the database's permissions.

    A process that opened a read-only WAL database in a writable folder (older
    verweef versions, other programs) leaves them behind with the database's
    mode of then, e.g. ``0400``: SQLite then opens them read-only and every
    write fails, even once the database is writable again. Changing their mode
    does not disturb a process that has them open.
    """
    if not os.access(path, os.W_OK):
        return
    for side in (beside(path, "-wal"), beside(path, "-shm")):
        if side.exists() and not side.is_symlink() and not os.access(side, os.W_OK):
            with suppress(OSError):  # not ours: write_blocker says what to do
                side.chmod(stat.S_IMODE(path.stat().st_mode) | stat.S_IRUSR | stat.S_IWUSR)


def _shell(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """A ``file:`` URI opening ``path`` read-only (``mode=ro``), optionally ``immutable``."""
    name = Path(os.path.abspath(path)).as_posix()
    if not name.startswith("/"):
        name = "/" + name  # a Windows drive: file:///C:/...
    for char, escaped in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        name = name.replace(char, escaped)
    return f"file://{name}?mode=ro" + ("&immutable=1" if immutable else "")


# -- what is wrong with a damaged file (``db check``) ----------------------------------


@dataclass(frozen=True)
class Damage:
    """What SQLite's integrity check says about a file, as far as it could run."""

    messages: list[str]
    #: the error that stopped the check before its end, if one did
    stopped: str | None
    #: (pages in the file, pages its header counts) when the file is shorter than its header says
    truncated: tuple[int, int] | None
    #: a normal connection can read the file (``db backup`` can copy it)
    readable: bool


def diagnose(path: Path, limit: int = 100) -> Damage:
    """Run ``PRAGMA integrity_check`` on ``path`` as far as it gets, writing nothing.

    The connection sets ``writable_schema``, as the sqlite3 shell's ``.recover``
    does, so that SQLite reads a file shorter than its header says instead of
    refusing it; it only reads.
    """
    readable = True
    try:
        probe = _diagnosis_connection(path)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        readable = False
    messages: list[str] = []
    stopped = None
    conn = _diagnosis_connection(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        try:
            rows = conn.execute(f"PRAGMA integrity_check({limit:d})").fetchall()
        except sqlite3.DatabaseError as exc:
            stopped = str(exc)
            # the check's first row holds what it found before the error; fetching it alone
            # keeps it (the sqlite3 module steps to the next row, and fails, before handing a row over)
            try:
                rows = conn.execute(f"SELECT * FROM pragma_integrity_check({limit:d}) LIMIT 1").fetchall()
            except sqlite3.DatabaseError:
                rows = []
        for row in rows:
            messages += [line for line in str(row[0]).splitlines() if line and not line.startswith("*** in database")]
    except sqlite3.DatabaseError as exc:
        stopped = str(exc)
    finally:
        conn.close()
    if messages == ["ok"] and stopped is None:
        messages = []
    return Damage(messages, stopped, truncation(path), readable)


def _diagnosis_connection(path: Path) -> sqlite3.Connection:
    """Read-only, as :func:`verweefcli.storage.read_only_connection`: a damaged file is never written."""
    from verweefcli.storage import BUSY_TIMEOUT_S

    immutable = is_wal(path) and not beside(path, "-wal").exists()
    return sqlite3.connect(
        read_only_uri(path, immutable=immutable), timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=True
    )


def truncation(path: Path) -> tuple[int, int] | None:
    """(pages in the file, pages in its header) if the header counts more (sqlite.org/fileformat.html)."""
    head = _header(path)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC) or _size(beside(path, "-journal")) is not None:
        return None  # while a write is under way the header may run ahead of the file
    if _size(beside(path, "-wal")):
        return None  # and while a WAL holds pages, or a checkpoint copies them
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or head[24:28] != head[92:96]:
        return None  # the count is valid only when the change counter matches "version-valid-for"
    counted = int.from_bytes(head[28:32], "big")
    pages = (_size(path) or 0) // page_size
    return (pages, counted) if counted > pages else None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
