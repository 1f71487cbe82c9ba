"""Record stamps from the one injected clock.

`created_at` and `updated_at` are stamped from the time of the write that makes the
change, never from the wall clock behind the command's back: `Store.write(clock)`
sets it for the session, and a flush stamps every new and changed record.

`updated_at` only ever moves forward, by at least a microsecond per change. Import
undo tells a record edited since the import by its `updated_at` differing from the
batch's stamp, and that must hold even when the clock is pinned (tests, demos)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

_STEP = timedelta(microseconds=1)


class _Stamper:
    """The stamps of one write: its clock's time, one microsecond apart, so records
    made in one write keep the order they were made in."""

    def __init__(self, now: datetime) -> None:
        self._next = now
        self._last = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._last, self._next = self._next, self._next + _STEP
            return self._last

    def last(self) -> datetime:
        """The stamp handed out last: a new record's updated_at is its created_at
        (every table declares created_at first)."""
        return self._last


_current: ContextVar[_Stamper | None] = ContextVar("salesbench_stamper", default=None)


@contextmanager
def stamping(now: datetime) -> Iterator[None]:
    token = _current.set(_Stamper(now))
    try:
        yield
    finally:
        _current.reset(token)


def _stamper() -> _Stamper:
    stamper = _current.get()
    if stamper is None:
        raise RuntimeError("a record was stamped outside a write: open it with Store.write(clock)")
    return stamper


def stamp() -> datetime:
    """The time to stamp a new record with: the current write's clock."""
    return _stamper()()


def same_stamp() -> datetime:
    """A new record's updated_at: the created_at it was just given."""
    return _stamper().last()


def stamp_changes(session: Any, _context: Any, _instances: Any) -> None:
    """before_flush: a changed record's updated_at moves forward from its last value."""
    from sqlalchemy import inspect

    for obj in session.dirty:
        if not hasattr(obj, "updated_at") or not session.is_modified(obj):
            continue
        history = inspect(obj).attrs.updated_at.history
        if history.added:  # the service set it itself (imports stamp their batch)
            continue
        before = history.unchanged[0] if history.unchanged else None
        now = stamp()
        obj.updated_at = now if before is None or now > before else before + _STEP
