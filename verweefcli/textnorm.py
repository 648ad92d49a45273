"""Text folding for matching names: case, accents and spacing do not count."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``"  Brouwerij  DE Zwáan "`` -> ``"brouwerij de zwaan"`` (cached: imports fold the same names often)."""
    if text.isascii():  # most names: nothing to decompose (a third of the time)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def clean(text: str | None) -> str | None:
    """Strip a free-text value; an empty one becomes ``None``."""
    if text is None:
        return None
    text = text.strip()
    return text or None
