"""Counts by key, as the report keeps them: every key of a vocabulary present, zero or more."""

from __future__ import annotations

from collections.abc import Iterable


def counts(keys: list[str], pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """``keys`` at zero, then each (key, n) added (a key outside ``keys`` is kept too)."""
    found = dict.fromkeys(keys, 0)
    for key, n in pairs:
        found[key] = found.get(key, 0) + n
    return found


def add_counts(into: dict[str, int], part: dict[str, int]) -> None:
    """Add ``part``'s counts to ``into``'s (a region's to the programme's)."""
    for key, n in part.items():
        into[key] = into.get(key, 0) + n
