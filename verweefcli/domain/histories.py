"""A record's dated moves as one text, for CSV files: ``received 2020-03-12; intake 2020-04-14``.

A request's stages and a measure's statuses (a measure's ``evaluated`` move also
names its effect: ``evaluated 2020-09-22 reduced``) are exported this way, so that
an export read back by ``verweef import`` gives the same history, back moves
included; :func:`parse_history` reads it, :func:`history_text` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from verweefcli.domain.common import FieldError, required_date, vocab_value
from verweefcli.domain.links import split_refs
from verweefcli.storage import Store

_MOVE = re.compile(r"(?P<what>.+?)\s+(?P<day>\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})(?:\s+(?P<extra>\S.*))?")


def parse_history(
    store: Store, value: Any, vocabulary: str, field: str, extra: str | None = None
) -> list[tuple[str, str, str | None]]:
    """``"intake 2020-04-14; closed 2020-07-09"`` -> [(key, day, extra)], in the order written;
    ``extra`` names the vocabulary of a word after the date (a measure's effect)."""
    moves = []
    for item in split_refs(value) if isinstance(value, str) else list(value or []):
        found = _MOVE.fullmatch(str(item).strip())
        if found is None:
            raise FieldError(field, f"{item!r} is not 'WHAT DATE' (e.g. 'intake 2020-04-14')")
        key = vocab_value(store, vocabulary, field, found["what"])
        assert key is not None
        day = required_date(field, found["day"], store.today)
        word = found["extra"]
        if word is not None and extra is None:
            raise FieldError(field, f"{item!r}: nothing goes after the date")
        moves.append((key, day, vocab_value(store, extra, field, word) if extra and word else None))
    days = [day for _, day, _ in moves]
    if days != sorted(days):
        raise FieldError(field, "the moves are not in date order")
    return moves


def history_text(moves: Sequence[tuple[str, str, str | None]]) -> str:
    return "; ".join(" ".join(part for part in move if part) for move in moves)
