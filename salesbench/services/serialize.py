"""Records as plain JSON-ready dicts, the shape `--json` prints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import SQLModel

from salesbench.core.jsonable import plain as _plain

MONEY_FIELDS = frozenset({"amount", "annual_purchase"})


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
            out[key] = float(Decimal(value) / 100)
        else:
            out[key] = plain(value)
    out.update(extra)
    return out
