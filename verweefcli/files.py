"""Writing a whole file or nothing: reports, exports, rejects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from verweefcli.errors import VerweefError


@contextmanager
def whole_file(path: Path, *, encoding: str = "utf-8", private: bool = False) -> Iterator[IO[str]]:
    """A text stream that becomes ``path`` only when the block ends without error.

    A reader never sees half a file, and a failed command leaves no file behind.
    ``private`` files (personal data) are readable by their owner only.
    """
    if not path.parent.is_dir():
        raise VerweefError(f"cannot write {path}: the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o666)
        with open(fd, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(tmp, path)
    except OSError as exc:
        raise VerweefError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
