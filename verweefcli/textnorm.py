"""Text folding for matching names: case, accents, spacing and special letters do not count;
and the first line of a text, as a title."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Letters that have no accent to take off, spelt as people type them on a plain keyboard
#: (after case folding: ``ß`` is already ``ss`` then). ``Łukasz`` is found as ``lukasz``.
SPELLING = {
    "ø": "o",
    "ł": "l",
    "œ": "oe",
    "æ": "ae",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ĸ": "k",
}
_SPELT = str.maketrans(SPELLING)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``"  Brouwerij  DE Zwáan "`` -> ``"brouwerij de zwaan"``; ``"Søren Łukasz"`` -> ``"soren lukasz"``
    (cached: imports fold the same names often)."""
    if text.isascii():  # most names: nothing to decompose (a third of the time)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().translate(_SPELT).split())


def clean(text: str | None) -> str | None:
    """Strip a free-text value; an empty one becomes ``None``."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def first_line(text: str | None) -> str | None:
    """The first line of a text that has any words (an activity's notes, as a title)."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return None
