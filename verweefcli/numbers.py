"""Numbers as people in Flanders type them and as spreadsheets write them: one parser.

Belgian Excel writes ``1.234,5`` (a point between thousands, a decimal comma);
English tools write ``1,234.5``. ``1.200`` and ``1,200`` are ambiguous (1200 or
1.2?), so they are no evidence of the decimal mark and, typed without a file
to tell, an error. In a file read with one decimal mark, a cell written with
the other one is an error, never a silent factor of 1000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from verweefcli.errors import InvalidValue

COMMA, POINT = "comma", "point"
_MARK = {COMMA: ",", POINT: "."}
_SPACES = re.compile(r"[ \u00a0\u202f]")
_EXPONENT = r"(?:[eE][+-]?\d+)?"


def _pattern(decimal: str, grouping: bool) -> re.Pattern[str]:
    mark = re.escape(_MARK[decimal])
    group = re.escape(_MARK[POINT if decimal == COMMA else COMMA])
    whole = rf"(?:[1-9]\d{{0,2}}(?:{group}\d{{3}})+|\d+)" if grouping else r"\d+"
    return re.compile(rf"[+-]?(?:{whole}(?:{mark}\d*)?|{mark}\d+){_EXPONENT}")


_PATTERNS = {(d, g): _pattern(d, g) for d in (COMMA, POINT) for g in (True, False)}


class Number(float):
    """A number read from text that remembers the text, for messages that quote it."""

    text: str

    def __new__(cls, value: float, text: str) -> Number:
        number = super().__new__(cls, value)
        number.text = text
        return number


def shown(value: object) -> str:
    """How a value is quoted in a message: as it was typed or written in the file."""
    return repr(value.text) if isinstance(value, Number) else repr(value)


def _convert(text: str, decimal: str) -> float:
    group = _MARK[POINT if decimal == COMMA else COMMA]
    return float(text.replace(group, "").replace(_MARK[decimal], "."))


def readings(text: str, grouping: bool = True) -> set[str]:
    """The decimal marks under which ``text`` is a valid number (both for ``12`` or ``1.200``)."""
    value = _SPACES.sub("", text.strip())
    return {d for d in (COMMA, POINT) if _PATTERNS[d, grouping].fullmatch(value)}


def parse_number(text: str, decimal: str | None = None, *, grouping: bool = True) -> Number:
    """Read one number.

    ``decimal`` is the file's decimal mark (``comma`` or ``point``); ``None``
    means typed by a person: either mark, but an ambiguous ``1.200`` is an
    error. ``grouping=False`` (coordinates) allows no thousands separators.
    """
    value = _SPACES.sub("", text.strip()) if grouping else text.strip()
    fits = readings(value, grouping)
    if decimal is not None:
        if decimal in fits:
            return Number(_convert(value, decimal), text)
        if fits:
            other = fits.pop()
            raise InvalidValue(
                f"{text!r} is written with a decimal {_MARK[other]!r}, but this file uses a decimal "
                f"{_MARK[decimal]!r} (--decimal {other} if the whole file does)"
            )
        raise InvalidValue(f"not a number: {text!r}")
    if not fits:
        raise InvalidValue(f"not a number: {text!r}")
    if len(fits) == 2:
        readings_of = {d: _convert(value, d) for d in fits}
        if readings_of[COMMA] != readings_of[POINT]:
            return _ambiguous(text, readings_of)
        return Number(readings_of[COMMA], text)
    return Number(_convert(value, fits.pop()), text)


def _ambiguous(text: str, readings_of: dict[str, float]) -> Number:
    big, small = sorted(readings_of.values(), reverse=True)
    raise InvalidValue(f"{text!r} is ambiguous: write {big:g} or {f'{small:g}'.replace('.', ',')}")


def detect_decimal(cells: Iterable[str], delimiter: str) -> str:
    """``comma`` or ``point`` from the cells that only one mark can read; else by delimiter.

    With no evidence a ``;`` file is Belgian Excel (decimal comma), anything else a point.
    """
    votes = {COMMA: 0, POINT: 0}
    for cell in cells:
        fits = readings(cell)
        if len(fits) == 1:
            votes[fits.pop()] += 1
    if votes[COMMA] != votes[POINT]:
        return COMMA if votes[COMMA] > votes[POINT] else POINT
    return COMMA if delimiter == ";" else POINT
