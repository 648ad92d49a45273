"""Where a command's output goes: the one place for the rules of ``-o FILE``.

Reports, exports, rejects files and backups all go through :func:`plan_output`
and then :func:`open_output` (text) or :func:`output_by_name` (a writer that
needs a file name, as SQLite's backup does):

- ``-`` is standard output; so is any other name of it (``/dev/stdout``, or the
  file standard output is redirected to).
- A symbolic link is followed: the link stays a link, the file it points to is
  replaced, in its own folder.
- What is not a regular file (``/dev/null``, a FIFO, a terminal) is opened and
  written in place: never renamed over, never removed.
- An existing regular file is refused unless ``force``.
- A regular file is written whole or not at all: first to a temporary file next
  to it, created with ``O_EXCL | O_NOFOLLOW`` under an unpredictable name,
  fsync'ed, then renamed over the target. A failure or an interrupt removes the
  temporary file.
- ``private`` files (personal data) are created readable by their owner only
  (0600); others get the usual mode of a new file (0666 minus the umask).
"""

from __future__ import annotations

import enum
import io
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO

from verweefcli.errors import UsageProblem, VerweefError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

STDOUT = "-"
PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o666  # minus the umask
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)


class CannotWrite(VerweefError):
    """The output cannot be written (one line for the user, exit code 1)."""


class Kind(enum.Enum):
    STREAM = "stream"  # standard output (or standard error): written through sys.stdout
    IN_PLACE = "in place"  # a device, a FIFO...: opened and written, never renamed over
    REPLACE = "replace"  # a regular file, new or replaced: temporary file, fsync, rename


@dataclass(frozen=True)
class Target:
    """Where one output goes, decided before anything is written."""

    shown: str  # the name as given, for messages
    kind: Kind
    path: Path  # IN_PLACE: the name to open; REPLACE: the file itself, every symlink followed
    exists: bool = False  # REPLACE: a regular file is there now
    force: bool = False  # replace it
    fd: int = 1  # STREAM: 1 (standard output) or 2 (standard error)

    @property
    def is_stdout(self) -> bool:
        return self.kind is Kind.STREAM and self.fd == 1

    @property
    def name(self) -> str:
        if self.kind is Kind.STREAM:
            return "standard output" if self.fd == 1 else "standard error"
        return self.shown

    def failure(self, exc: OSError) -> CannotWrite:
        where = f"to {self.name}" if self.kind is Kind.STREAM else self.shown
        return CannotWrite(f"cannot write {where}: {exc.strerror or exc}")


def plan_output(path: Path | str, *, force: bool = False) -> Target:
    """Decide how ``path`` will be written; refuse a folder, a missing folder or (without ``force``) a file."""
    return plan_outputs([path], force=force)[0]


def plan_outputs(paths: Iterable[Path | str], *, force: bool = False) -> list[Target]:
    """Plan several outputs at once: if any of them is an existing file (and no ``force``),
    refuse before anything is written, naming them all."""
    targets = [_plan(path, force) for path in paths]
    existing = [t.shown for t in targets if t.exists]
    if existing and not force:
        if len(existing) == 1:
            raise CannotWrite(f"{existing[0]} already exists (--force replaces it)")
        raise CannotWrite(f"{', '.join(existing)} already exist (--force replaces them)")
    return targets


def _plan(path: Path | str, force: bool) -> Target:
    shown = str(path)
    if shown == STDOUT:
        return Target(shown, Kind.STREAM, Path(shown), force=force, fd=1)
    try:
        found: os.stat_result | None = os.stat(path)  # follows symlinks
    except FileNotFoundError:  # nothing there, or a symlink to nothing
        found = None
    except OSError as exc:  # a loop of symlinks, a file used as a folder, no permission...
        raise CannotWrite(f"cannot write {shown}: {exc.strerror}") from None
    if found is None:
        real = Path(os.path.realpath(path))
        if not real.parent.is_dir():
            folder = real.parent if os.path.islink(path) else Path(path).parent
            raise CannotWrite(f"cannot write {shown}: the folder {folder} does not exist")
        return Target(shown, Kind.REPLACE, real, force=force)
    for fd in (1, 2):  # /dev/stdout, /dev/fd/1, or the very file standard output goes to
        if _is_open_as(found, fd):
            return Target(shown, Kind.STREAM, Path(path), force=force, fd=fd)
    if stat.S_ISDIR(found.st_mode):
        raise UsageProblem(f"{shown} is a folder; give a file name")
    if not stat.S_ISREG(found.st_mode):
        return Target(shown, Kind.IN_PLACE, Path(path), force=force)
    real = Path(os.path.realpath(path))
    if not _is_same(real, found):  # a name under /proc for an open file: there is no folder to rename in
        return Target(shown, Kind.IN_PLACE, Path(path), exists=True, force=force)
    return Target(shown, Kind.REPLACE, real, exists=True, force=force)


def _is_open_as(found: os.stat_result, fd: int) -> bool:
    try:
        mine = os.fstat(fd)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (found.st_dev, found.st_ino)


def _is_same(path: Path, found: os.stat_result) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (found.st_dev, found.st_ino)


@contextmanager
def open_output(
    target: Target | Path | str, *, encoding: str = "utf-8", private: bool = False, force: bool = False
) -> Iterator[IO[str]]:
    """A text stream for ``target`` (a :class:`Target`, or a path planned here with ``force``).

    A regular file appears only when the block ends without error. On standard
    output, the text goes through ``sys.stdout`` (a ``utf-8-sig`` byte-order mark
    included); a closed pipe raises :class:`BrokenPipeError` as usual.
    """
    if not isinstance(target, Target):
        target = plan_output(target, force=force)
    if target.kind is Kind.STREAM:
        stream = _standard_stream(target)
        try:
            if encoding.replace("_", "-").lower() == "utf-8-sig":
                stream.write("\ufeff")
            yield stream
            stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise target.failure(exc) from None
        return
    with _Output(target, private) as out:
        raw = _GuardedFile(out.fd, target)
        text = io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, newline="")
        try:
            yield text
            text.flush()
        finally:
            with suppress(Exception):  # after a failed write, closing retries it: the failure is already raised
                text.close()
        out.finish()


@contextmanager
def output_by_name(target: Target | Path | str, *, private: bool = True, force: bool = False) -> Iterator[TempFile]:
    """For a writer that needs a file name (SQLite's backup): a new, empty temporary file to fill by its name.

    For a regular file it is made next to the target and renamed over it when the
    block ends without error; for a device, a FIFO or standard output it is made
    in the temporary folder and copied there. Call :meth:`TempFile.check` once the
    writer has opened the name. It is always removed in the end.
    """
    if not isinstance(target, Target):
        target = plan_output(target, force=force)
    if target.kind is Kind.STREAM and _standard_stream(target).isatty():
        raise CannotWrite(f"will not write binary data to a terminal: redirect {target.name} to a file")
    if target.kind is Kind.REPLACE:
        folder = target.path.parent
    else:
        import tempfile

        folder = Path(tempfile.gettempdir())
    temp = TempFile.create(folder, target.path.name, PRIVATE_MODE if private else PUBLIC_MODE, target)
    try:
        yield temp
        if target.kind is Kind.REPLACE:
            temp.publish()
        else:
            temp.check()
            _copy(temp.fd, target)
    finally:
        temp.discard()


def _standard_stream(target: Target) -> TextIO:
    stream = sys.stdout if target.fd == 1 else sys.stderr
    if stream is None:
        raise CannotWrite(f"cannot write to {target.name}: it is closed")
    return stream


def _copy(source: int, target: Target) -> None:
    """Copy a finished temporary file to standard output or into a device or FIFO."""
    os.lseek(source, 0, os.SEEK_SET)
    if target.kind is Kind.STREAM:
        stream = _standard_stream(target)
        try:
            stream.flush()
            while chunk := os.read(source, 1 << 20):
                stream.buffer.write(chunk)
            stream.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise target.failure(exc) from None
        return
    with _Output(target, private=True) as out:
        try:
            while chunk := os.read(source, 1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out.fd, view) :]
        except OSError as exc:
            raise target.failure(exc) from None
        out.finish()


class _GuardedFile(io.FileIO):
    """The file under the text stream: a failed write is one clear line for the user
    (and cannot be taken for a write error on standard output)."""

    def __init__(self, fd: int, target: Target) -> None:
        super().__init__(fd, "w", closefd=False)
        self.target = target

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            raise self.target.failure(exc) from None


class _Output:
    """The file descriptor an output is written through: the target itself (in
    place) or a temporary file next to it that :meth:`finish` renames over it."""

    def __init__(self, target: Target, private: bool) -> None:
        self.target = target
        self.temp: TempFile | None = None
        if target.kind is Kind.IN_PLACE:
            # a FIFO blocks here until a reader opens it, as the shell's `> fifo` does
            try:
                self.fd = os.open(target.path, os.O_WRONLY | _NOCTTY | _CLOEXEC)
            except OSError as exc:
                raise target.failure(exc) from None
            try:
                if stat.S_ISREG(os.fstat(self.fd).st_mode):  # a regular file named under /proc: write it anew
                    os.ftruncate(self.fd, 0)
            except OSError as exc:
                os.close(self.fd)
                raise target.failure(exc) from None
        else:
            mode = PRIVATE_MODE if private else PUBLIC_MODE
            self.temp = TempFile.create(target.path.parent, target.path.name, mode, target)
            self.fd = self.temp.fd

    def finish(self) -> None:
        if self.temp is not None:
            self.temp.publish()

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.temp is not None:
            self.temp.discard()
        else:
            with suppress(OSError):
                os.close(self.fd)


class TempFile:
    """A temporary file next to its target, created by this process and no other:
    ``O_CREAT | O_EXCL | O_NOFOLLOW`` under an unpredictable name, so nothing put
    there in advance (a symlink, another file) is ever written through."""

    def __init__(self, path: Path, fd: int, target: Target) -> None:
        self.path, self.fd, self.target = path, fd, target
        self.published = False

    @classmethod
    def create(cls, folder: Path, name: str, mode: int, target: Target) -> TempFile:
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        for _ in range(100):
            path = folder / f".{name[:100]}.{secrets.token_hex(8)}.tmp"
            try:
                return cls(path, os.open(path, flags, mode), target)
            except FileExistsError:
                continue
            except OSError as exc:
                raise target.failure(exc) from None
        raise CannotWrite(f"cannot write {target.shown}: no free temporary name in {folder}")

    def check(self) -> None:
        """Make sure the name still leads to the file this process created (not a symlink put in its place)."""
        try:
            named, mine = os.lstat(self.path), os.fstat(self.fd)
        except OSError as exc:
            raise self.target.failure(exc) from None
        if not stat.S_ISREG(named.st_mode) or (named.st_dev, named.st_ino) != (mine.st_dev, mine.st_ino):
            raise CannotWrite(f"cannot write {self.target.shown}: its temporary file {self.path} was replaced")

    def publish(self) -> None:
        """fsync the finished file, then put it in place of the target in one step."""
        final = self.target.path
        self.check()
        try:
            os.fsync(self.fd)
            if self.target.force:
                os.replace(self.path, final)
            else:
                self._link(final)
        except VerweefError:
            raise
        except OSError as exc:
            raise self.target.failure(exc) from None
        self.published = True
        _sync_folder(final.parent)

    def _link(self, final: Path) -> None:
        """Publish without replacing: a file that appeared since the plan is refused, not clobbered."""
        try:
            os.link(self.path, final)
        except FileExistsError:
            raise CannotWrite(f"{self.target.shown} already exists (--force replaces it)") from None
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(final):
                raise CannotWrite(f"{self.target.shown} already exists (--force replaces it)") from None
            os.replace(self.path, final)
        else:
            os.unlink(self.path)

    def discard(self) -> None:
        with suppress(OSError):
            os.close(self.fd)
        if not self.published:
            with suppress(OSError):
                os.unlink(self.path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discard_stdout() -> None:
    """Standard output takes nothing more (its reader left, its disk is full):
    send what is still buffered to /dev/null, so that Python's flush at exit does
    not complain a second time."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no stdout, or a test runner's
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
