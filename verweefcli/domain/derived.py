"""What a write touched, and the derived facts recomputed for it: now, or once at the end of an import.

A write names the sites whose events changed (their stage history, by
:func:`verweefcli.domain.stages.refresh_stages`) and the records whose search
text may have changed (:func:`verweefcli.domain.search_index.refresh`). A single
write settles at once, in its own transaction; an import passes a
:class:`Touched` to every write and settles it once, before its commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from verweefcli.domain import search_index, stages
from verweefcli.storage import Store


@dataclass
class Touched:
    """Records whose derived facts are to be recomputed."""

    stages: set[int] = field(default_factory=set)  # sites
    index: dict[str, set[int]] = field(default_factory=lambda: {table: set() for table in search_index.TABLES})

    def add(self, stages: Iterable[int] = (), **index: Iterable[int]) -> None:
        self.stages.update(stages)
        for table, ids in index.items():
            self.index[table].update(ids)


def settle(store: Store, touched: Touched) -> None:
    """Recompute the derived facts of what was touched (in the caller's transaction)."""
    with store.write():
        if touched.stages:
            stages.refresh_stages(store, touched.stages)
        for table, ids in touched.index.items():
            search_index.refresh(store, table, ids)
    touched.stages.clear()
    for ids in touched.index.values():
        ids.clear()


def touch(store: Store, later: Touched | None, stages: Iterable[int] = (), **index: Iterable[int]) -> None:
    """Note what a write touched: settled now, or (``later``, an import's) at its end."""
    target = later if later is not None else Touched()
    target.add(stages, **index)
    if later is None:
        settle(store, target)
