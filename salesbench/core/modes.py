"""A sales mode's standards (how long a deal may take, what it needs) checked against
an opportunity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from salesbench.core.playbook import ModeDef


@dataclass(frozen=True)
class Deviation:
    standard: str  # "time_box" | "visits" | "price_floor"
    message: str


def check_mode(
    mode: ModeDef,
    *,
    opened_at: datetime,
    now: datetime,
    visits: int,
    amount: int | None,
    list_price: int | None,
) -> list[Deviation]:
    """Where the deal breaks its mode's standards: past the time box, over the visit
    count, or priced under the floor share of list price."""
    out: list[Deviation] = []
    if mode.max_days is not None:
        age = (now - opened_at).days
        if age > mode.max_days:
            out.append(
                Deviation("time_box", f"open {age} days; {mode.name} closes within {mode.max_days}")
            )
    if mode.max_visits is not None and visits > mode.max_visits:
        out.append(Deviation("visits", f"{visits} visits; {mode.name} plans for {mode.max_visits}"))
    if mode.min_price_ratio is not None and amount is not None and list_price:
        ratio = amount / list_price
        if ratio < mode.min_price_ratio:
            out.append(
                Deviation(
                    "price_floor",
                    f"price at {ratio:.0%} of list; {mode.name} "
                    f"keeps at least {mode.min_price_ratio:.0%}",
                )
            )
    return out
