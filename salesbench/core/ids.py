"""Ids as people see them."""

from __future__ import annotations

import uuid


def short_id(value: uuid.UUID) -> str:
    """The first eight hex digits: enough to tell records apart in a list, and a
    prefix every lookup accepts."""
    return value.hex[:8]
