"""Opening the database file safely, and the transactions every write uses.

Commands talk to SQLite through :class:`Store`. Day-to-day commands use the
stdlib connection directly (importing sqlite-utils costs ~40 ms of start-up);
schema work, introspection and bulk work use sqlite-utils through
:attr:`Store.db`, on the same connection.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verweefcli import dbfile
from verweefcli.errors import DatabaseProblem
from verweefcli.textnorm import fold
from verweefcli.vocab import Vocabulary

if TYPE_CHECKING:
    import sqlite_utils

    from verweefcli.migrations import Upgrade

BUSY_TIMEOUT_S = 30.0
MEMORY = ":memory:"


class Store:
    """One open verweef database: a connection, the vocabulary and 'today'."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None,
        vocab: Vocabulary | None = None,
        *,
        exists: bool = True,
        today: dt.date | None = None,
        upgraded: Upgrade | None = None,
        readonly: bool = False,
    ) -> None:
        self.conn = conn
        self.upgraded = upgraded
        #: opened read-only (the file or its folder is): a write needs another open, which says why it cannot
        self.readonly = readonly
        self.path = path
        self.vocab = vocab or Vocabulary()
        self.exists = exists
        self._today = today

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # -- reading -----------------------------------------------------------
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def tuples(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: for hot paths that read many rows (no ``sqlite3.Row`` per row)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        rows: list[tuple[Any, ...]] = cursor.execute(sql, params).fetchall()
        return rows

    def row(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def value(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- writing -----------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction that takes the write lock up front.

        ``BEGIN IMMEDIATE`` makes concurrent writers queue on the busy timeout
        instead of failing half-way; nested calls become savepoints.
        """
        nested = self.conn.in_transaction
        self.conn.execute("SAVEPOINT verweef" if nested else "BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            # an error inside SQLite may already have ended the transaction
            if self._in_transaction():
                if nested:
                    self.conn.execute("ROLLBACK TO SAVEPOINT verweef")
                    self.conn.execute("RELEASE SAVEPOINT verweef")
                else:
                    self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("RELEASE SAVEPOINT verweef" if nested else "COMMIT")

    @contextmanager
    def trial(self) -> Iterator[Store]:
        """Run a block to see what it would do, then undo it (``remove`` tells its effects this way)."""
        self.conn.execute("SAVEPOINT verweef_trial")
        try:
            yield self
        finally:
            if self._in_transaction():
                self.conn.execute("ROLLBACK TO SAVEPOINT verweef_trial")
                self.conn.execute("RELEASE SAVEPOINT verweef_trial")

    def _in_transaction(self) -> bool:
        return self.conn.in_transaction

    def optimize(self) -> None:
        """Let SQLite refresh its statistics where it thinks they matter (after bulk writes and
        upgrades, as SQLite recommends), on a sample: cheap even on a million rows. verweef's own
        queries name their indexes; this is for everyone else's (Datasette, the sqlite3 shell)."""
        self.conn.execute("PRAGMA analysis_limit = 400")
        self.conn.execute("PRAGMA optimize")

    def close(self) -> None:
        self.conn.close()


def now_stamp() -> str:
    """UTC time stamp for ``created_at`` / ``updated_at``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=uri, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.create_function("verweef_fold", 1, _sql_fold, deterministic=True)
    return conn


def _sql_fold(value: object) -> str | None:
    return None if value is None else fold(str(value))


def _create_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    folder = path.parent
    if not folder.exists():
        raise DatabaseProblem(f"cannot create {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise DatabaseProblem(f"cannot create {path}: {folder} is not a folder")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise DatabaseProblem(f"cannot create {path}: the folder {dbfile.folder(path)} is read-only") from None
        raise DatabaseProblem(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)


def ensure_private_folder(folder: Path) -> None:
    """Create the default data folder (mode 0700) if it is missing."""
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise DatabaseProblem(f"cannot create the folder {folder}: {exc.strerror}") from None


def open_store(
    path: Path | str,
    vocab: Vocabulary | None = None,
    *,
    create: bool = True,
    today: dt.date | None = None,
    stop_before: str | None = None,
) -> Store:
    """Open (and if needed create and upgrade) the database at ``path``.

    With ``create=False`` (the reading commands) a missing file is not created:
    the store is an empty, in-memory database, so they simply find nothing. A
    file that this process cannot write, or whose folder it cannot write, is
    then opened read-only, leaving no file beside it (:func:`_open_read_only`).
    With ``create=True`` a file that cannot be written is refused up front, with
    a message that says whether the file or its folder is read-only.
    ``stop_before`` names a migration not to apply (tests build old schemas).
    """
    from verweefcli import migrations

    if str(path) == MEMORY:
        conn = _connect(MEMORY)
        migrations.upgrade(conn, None, stop_before=stop_before)
        return Store(conn, None, vocab, exists=False, today=today)

    path = Path(path)
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file")
    new = not path.exists()
    if new and not create:
        return _empty_store(path, vocab, today)
    if new:
        _create_file(path)
    elif not _may_write(path, create):
        return _open_read_only(path, vocab, today)
    try:
        conn = _connect(str(path))
        if new:
            _use_wal(conn)
        upgraded = migrations.upgrade(conn, path, stop_before=stop_before)
    except sqlite3.DatabaseError as exc:
        raise describe_database_error(exc, path) from None
    if new:
        _make_private(path)
    return Store(conn, path, vocab, exists=True, today=today, upgraded=upgraded)


def _may_write(path: Path, create: bool) -> bool:
    """Whether an existing file is opened read-write: refused up front if it must be and cannot."""
    if not os.access(path, os.R_OK):
        raise DatabaseProblem(f"cannot read {path}: permission denied")
    if (cut := dbfile.truncation(path)) is not None:
        # found before SQLite opens it: an open that fails there leaves -wal and -shm behind
        raise DamagedDatabase(
            f"{path} is damaged (cut short: {cut[0]} of the {cut[1]} pages its header counts); {_SEE_CHECK}"
        )
    if create:
        dbfile.make_writable_beside(path)
        blocker = dbfile.write_blocker(path)
        if blocker is not None:
            raise DatabaseProblem(blocker)
        return True
    return dbfile.write_blocker(path) is None


def _empty_store(path: Path, vocab: Vocabulary | None, today: dt.date | None) -> Store:
    """What a reading command sees where there is no database: nothing (in memory)."""
    from verweefcli import migrations

    conn = _connect(MEMORY)
    migrations.upgrade(conn, None)
    return Store(conn, path, vocab, exists=False, today=today)


# -- reading a database this process cannot write ------------------------------------


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates no file beside ``path``.

    SQLite opens a read-only WAL database "if the -shm and -wal files already
    exist or those files can be created or the database is immutable"
    (sqlite.org/wal.html, Read-Only Databases). Letting it create them is no
    option: a read-only connection cannot remove them again, and they stay
    behind (with the database's mode, so a read-only ``-shm`` that later
    breaks writes). So:

    - not a WAL database, or its ``-wal`` file exists: plain ``mode=ro``, which
      uses the files that are there and SQLite's locks as usual;
    - a WAL database without ``-wal``: ``immutable=1``. That file exists while
      any connection has the database open and holds what is not yet in the
      database, so without it the database file holds everything and nobody is
      using it. Immutable promises SQLite that nobody writes it meanwhile:
      this process cannot write the file or create the ``-wal`` a writer needs,
      so a writer would need more rights than the user running verweef has.
    """
    immutable = dbfile.is_wal(path) and not dbfile.beside(path, "-wal").exists()
    return _connect(dbfile.read_only_uri(path, immutable=immutable), uri=True)


def _open_read_only(path: Path, vocab: Vocabulary | None, today: dt.date | None) -> Store:
    """Open for reading a database this process cannot write: no upgrade, nothing written."""
    from verweefcli import migrations

    why = dbfile.blocker(path)
    try:
        conn = _connect_checked(path)
    except sqlite3.DatabaseError as exc:
        raise describe_database_error(exc, path) from None
    try:
        version = migrations.schema_version(conn)
        if 0 < version < migrations.LATEST:
            raise DatabaseProblem(
                f"{path} has schema {version} and this verweef needs {migrations.LATEST}: open it once "
                f"with write access to upgrade it ({why[1] if why else 'it is read-only'})"
            )
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            conn.close()  # an empty file: nothing to read
            return _empty_store(path, vocab, today)
        if version != migrations.LATEST:
            migrations.upgrade(conn, path)  # refuses a newer or a foreign file before it would write
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise describe_database_error(exc, path) from None
        raise
    return Store(conn, path, vocab, exists=True, today=today, readonly=True)


def _connect_checked(path: Path) -> sqlite3.Connection:
    conn = read_only_connection(path)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # fails here if not SQLite or damaged
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL (concurrent readers and one writer, crash-safe).

    The switch needs the file to itself and SQLite does not wait for that: when
    other processes are opening the same new file at the same moment, retry.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _make_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(0o600)


class DamagedDatabase(DatabaseProblem):
    """SQLite finds the file damaged (malformed, corrupt): ``verweef db check`` tells how to recover."""


_SEE_CHECK = "run 'verweef db check' to see how to recover it"


def describe_database_error(exc: sqlite3.Error, path: Path | None) -> DatabaseProblem:
    """Turn a low-level SQLite error into one line a user can act on."""
    text = str(exc)
    where = str(path) if path else "the database"
    lowered = text.lower()
    if "file is not a database" in lowered or "file is encrypted" in lowered:
        return DatabaseProblem(f"{where} is not a verweef database (not an SQLite file)")
    if "malformed" in lowered or "corrupt" in lowered:
        return DamagedDatabase(f"{where} is damaged ({text}); {_SEE_CHECK}")
    if "readonly" in lowered or "read-only" in lowered:
        blocker = dbfile.write_blocker(path) if path is not None and path.exists() else None
        return DatabaseProblem(blocker or f"{where} is read-only: cannot write to it")
    if "unable to open" in lowered:
        found = dbfile.blocker(path) if path is not None and path.exists() else None
        if found is not None and found[1].startswith("the folder "):
            return DatabaseProblem(f"cannot open {where}: {found[1]}")
        return DatabaseProblem(f"cannot open {where} (check the file and its folder permissions)")
    if "locked" in lowered or "busy" in lowered:
        return DatabaseProblem(f"{where} stayed locked by another process for {BUSY_TIMEOUT_S:.0f} s; try again")
    if "disk" in lowered and "full" in lowered:
        return DatabaseProblem(f"the disk holding {where} is full; nothing was written")
    return DatabaseProblem(f"database error in {where}: {text}")
