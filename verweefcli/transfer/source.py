"""Reading a CSV file as Belgian Excel and others write it, as a stream.

The encoding (UTF-8, UTF-8 with a byte-order mark, UTF-16, cp1252), the
delimiter (``,`` ``;`` tab) and the decimal mark are guessed from the first
64 KiB; the user or a mapping profile can force each. Records come with the
line they start on, so every problem can be reported as ``FILE:LINE``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from verweefcli.errors import InvalidValue, UsageProblem, VerweefError

SAMPLE_SIZE = 64 * 1024
DELIMITERS = (";", ",", "\t")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}

csv.field_size_limit(1024 * 1024)  # 1 MiB per cell; longer is an error, not a hang


class CsvProblem(VerweefError):
    """The file cannot be read as CSV (encoding, quoting, size)."""


@dataclass
class Dialect:
    encoding: str
    delimiter: str
    decimal: str | None = None  # "comma" or "point"; None: decide from the data
    date_format: str | None = None  # strptime format; None: dates as verweef reads them


class CountingReader(io.RawIOBase):
    """A binary stream that remembers how many bytes were read (for the progress bar)."""

    def __init__(self, raw: BinaryIO, prefix: bytes = b"") -> None:
        self.raw = raw
        self.prefix = prefix
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]  # io passes only these
        view = memoryview(buffer).cast("B")
        if self.prefix:
            n = min(len(view), len(self.prefix))
            view[:n] = self.prefix[:n]
            self.prefix = self.prefix[n:]
        else:
            data = self.raw.read(len(view))
            n = len(data)
            view[:n] = data
        self.count += n
        return n


def check_encoding(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise UsageProblem(f"unknown encoding {name!r} (use utf-8, utf-8-sig, cp1252 or utf-16)") from None
    return "utf-8-sig" if canonical == "utf-8" and name.lower().replace("_", "-") == "utf-8-sig" else canonical


def check_delimiter(text: str) -> str:
    value = _DELIMITER_NAMES.get(text.lower(), text)
    if len(value) != 1 or value in ('"', "\n", "\r"):
        raise UsageProblem(f"a delimiter is one character, e.g. ';', ',' or tab (not {text!r})")
    return value


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # a multi-byte character may be cut at the end of the sample
        sample.decode("utf-8") if len(sample) < SAMPLE_SIZE else sample[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and equally many, columns."""
    lines = text.splitlines()[:50]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        rows = [r for r in rows if r]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_COMMA_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")
_POINT_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$")


def detect_decimal(cells: list[str], delimiter: str) -> str:
    """``comma`` or ``point``, from the numbers seen; with no evidence, ``;`` files use a comma."""
    commas = sum(1 for c in cells if _COMMA_NUMBER.match(c.strip()))
    points = sum(1 for c in cells if _POINT_NUMBER.match(c.strip()))
    if commas != points:
        return "comma" if commas > points else "point"
    return "comma" if delimiter == ";" else "point"


@dataclass
class Source:
    name: str  # for messages: the file name, or "<stdin>"
    stream: CountingReader
    size: int | None  # bytes, when known
    dialect: Dialect
    header: list[str] | None = None  # the first row, once read

    def text(self) -> IO[str]:
        return io.TextIOWrapper(
            io.BufferedReader(self.stream, 1 << 16), encoding=self.dialect.encoding, errors="strict", newline=""
        )


def open_source(path: str, *, encoding: str | None, delimiter: str | None) -> Source:
    """Open ``path`` (``-`` is standard input) and settle its encoding and delimiter."""
    if path == "-":
        raw: BinaryIO = sys.stdin.buffer
        name, size = "<stdin>", None
    else:
        file = Path(path)
        if file.is_dir():
            raise VerweefError(f"{path} is a folder, not a CSV file")
        try:
            raw = file.open("rb")
        except FileNotFoundError:
            raise VerweefError(f"{path}: no such file") from None
        except OSError as exc:
            raise VerweefError(f"{path}: cannot read it: {exc.strerror}") from None
        name, size = path, file.stat().st_size
    sample = raw.read(SAMPLE_SIZE)
    chosen = check_encoding(encoding) if encoding else detect_encoding(sample)
    if b"\x00" in sample and not chosen.startswith("utf-16"):
        raise CsvProblem(f"{name}: this is not a CSV file (it holds binary data)")
    try:
        text = sample.decode(chosen, errors="strict") if len(sample) < SAMPLE_SIZE else _decode_start(sample, chosen)
    except UnicodeDecodeError as exc:
        raise CsvProblem(f"{name}: not readable as {chosen} ({exc.reason}); try --encoding") from None
    chosen_delimiter = check_delimiter(delimiter) if delimiter else detect_delimiter(text.lstrip("\ufeff"))
    return Source(name, CountingReader(raw, sample), size, Dialect(chosen, chosen_delimiter))


def _decode_start(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    return decoder.decode(sample, final=False)


def records(source: Source) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every non-empty record; ``line`` is where the record starts."""
    reader = csv.reader(source.text(), delimiter=source.dialect.delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(cells):
                yield start, cells
    except csv.Error as exc:
        raise CsvProblem(f"{source.name}:{line}: not valid CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CsvProblem(
            f"{source.name}: near line {reader.line_num + 1}: not valid {source.dialect.encoding} "
            f"({exc.reason}); try --encoding cp1252 or utf-8"
        ) from None


def parse_decimal(text: str, decimal: str) -> str:
    """A number as Python reads it: ``1.234,5`` (comma) or ``1,234.5`` (point) -> ``1234.5``."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal == "comma":
        return value.replace(".", "").replace(",", ".")
    return value.replace(",", "")


def check_date_format(fmt: str) -> str:
    import datetime as dt

    try:
        dt.datetime(2024, 12, 31, 13, 45).strftime(fmt)
    except ValueError:
        raise InvalidValue(f"not a date format: {fmt!r} (use strptime codes, e.g. %d/%m/%Y)") from None
    if "%" not in fmt:
        raise InvalidValue(f"not a date format: {fmt!r} (use strptime codes, e.g. %d/%m/%Y)")
    return fmt
