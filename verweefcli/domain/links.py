"""Links between records as people type them: ``"Brouwerij De Zwaan (owner)"``.

A list of links is written with ``;`` between items (CSV cells, ``--site``
options). A name that cannot be written back safely (it holds ``;``, looks like
an id, or is shared by another record) is written as the record's uuid.
"""

from __future__ import annotations

import re

from verweefcli.errors import InvalidValue
from verweefcli.storage import Store
from verweefcli.textnorm import fold

_ROLE_SUFFIX = re.compile(r"^(?P<ref>.*\S)\s*\((?P<role>[^()]+)\)\s*$", re.DOTALL)
_NUMERIC = re.compile(r"#?\d+")
SEPARATOR = ";"


def split_refs(values: list[str] | str | None) -> list[str]:
    """``["A; B", "C"]`` -> ``["A", "B", "C"]`` (empty items dropped)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in str(value).split(SEPARATOR) if part.strip())
    return out


def parse_site_link(store: Store, text: str) -> tuple[str, str | None]:
    """``"X (owner)"`` -> ``("X", "owner")`` when the suffix is a known link role."""
    m = _ROLE_SUFFIX.match(text)
    if m:
        try:
            return m["ref"].strip(), store.vocab.resolve("link_roles", m["role"])
        except InvalidValue:
            pass
    return text.strip(), None


def writable_name(store: Store, table: str, record_id: int, name: str, uuid: str, *, with_role: bool = False) -> str:
    """The name if it finds this record again when read back, else the uuid."""
    if SEPARATOR in name or _NUMERIC.fullmatch(name.strip()):
        return uuid
    if with_role and parse_site_link(store, name)[1] is not None:
        return uuid
    others = store.value(f"SELECT count(*) FROM {table} WHERE name_key = ? AND id != ?", (fold(name), record_id))
    return uuid if others else name
