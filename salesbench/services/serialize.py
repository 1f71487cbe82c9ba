"""Records as plain JSON-ready dicts, the shape `--json` prints.

Money, as in every `--json` and in the JSON export: a number in main units (`12500.5`)
with its currency in a `currency` key beside it. Amounts stay below 10**13 (the
money limit), so the number has at most 15 significant digits and prints as the
exact decimal, never with float noise."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesbench.core.jsonable import plain as _plain

if TYPE_CHECKING:  # `queue --json` needs money_number only: no SQLModel on its path
    from sqlmodel import SQLModel

MONEY_FIELDS = frozenset({"amount", "annual_purchase"})


def money_number(minor: int | None) -> float | None:
    """Minor units as the JSON number of the amount in main units: exact below 10**13."""
    return None if minor is None else float(Decimal(minor) / 100)


def plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime | date | Decimal):
        return _plain(value)
    return value


def record(obj: SQLModel, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dumped = obj.model_dump()
    for key in type(obj).model_fields:
        value = dumped[key]
        if key in MONEY_FIELDS and value is not None:
            out[key] = money_number(value)
        else:
            out[key] = plain(value)
    out.update(extra)
    return out
