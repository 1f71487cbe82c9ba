"""What doctor reports: one check each, its status, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

OK, WARN, FAIL, INFO = "ok", "warn", "fail", "info"


@dataclass(frozen=True)
class Check:
    area: str
    name: str
    status: str  # ok | warn | fail | info
    detail: str
    fix: str = ""
