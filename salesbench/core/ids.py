"""Ids as people see them."""

from __future__ import annotations

import uuid


def short_id(value: uuid.UUID) -> str:
    """The first eight hex digits: enough to tell records apart in a list, and a
    prefix every lookup accepts."""
    return value.hex[:8]


def hex32(value: object) -> str:
    """An id as 32 lower-case hex digits, whichever way a driver handed it back."""
    if type(value) is str and len(value) == 32:
        return value  # SQLite keeps ids as 32 lower-case hex digits already
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value).replace("-", "").lower()
