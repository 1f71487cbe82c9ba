"""Other processes' writes, noticed without a key: the workbench asks for a change mark
every few seconds (store/changes.py) and rereads only when it moved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesbench.store.changes import ChangeWatch

if TYPE_CHECKING:
    from salesbench.store.engine import Store


def change_watch(store: Store) -> ChangeWatch:
    return ChangeWatch(store)
