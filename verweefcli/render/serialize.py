"""JSON and CSV forms of records: the stable contract for scripts.

JSON keeps the field names and native types. CSV flattens lists into one cell
(``tags`` and ``municipalities`` with ``, ``; links with ``; ``, a contact's
site as ``Name (role)``) and neutralises cells that a spreadsheet would run as
a formula by putting a ``'`` in front of them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

COMMA_LISTS = frozenset({"tags", "municipalities"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def neutralise(text: str) -> str:
    """``=SUM(A1)`` -> ``'=SUM(A1)`` (CSV formula injection); the importer undoes it.

    A text that already starts with quotes before such a character gets one
    more, so that :func:`restore` gives back exactly what was written.
    """
    return "'" + text if text.lstrip("'").startswith(_FORMULA_START) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`."""
    if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_START):
        return text[1:]
    return text


def format_number(value: float | int, decimal_comma: bool = False) -> str:
    text = str(value) if isinstance(value, int) else repr(float(value))
    return text.replace(".", ",") if decimal_comma else text


def link_text(item: Any) -> str:
    if isinstance(item, dict):
        name = str(item.get("ref") or item.get("name") or "")
        return f"{name} ({item['role']})" if item.get("role") else name
    return str(item)


def stage_changes_text(changes: list[dict[str, str]]) -> str:
    """``[{"stage": "identified", "since": "2020-06-02"}, ...]`` -> ``identified 2020-06-02; ...``."""
    return "; ".join(f"{c['stage']} {c['since']}" for c in changes)


def csv_cell(field: str, value: Any, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if field == "stage_changes":
        return stage_changes_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_number(value, decimal_comma)
    if isinstance(value, list):
        separator = ", " if field in COMMA_LISTS else "; "
        return neutralise(separator.join(link_text(item) for item in value))
    return neutralise(str(value))


def write_csv(
    stream: IO[str],
    fields: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> int:
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(f, row.get(f), decimal_comma) for f in fields])
        count += 1
    return count
