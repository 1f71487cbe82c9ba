"""Money columns of report tables, one per currency: a report whose deals share one
currency reads as it always did plus the code ("Won amount (CNY)"); with several,
each currency has its own column, and no figure adds two currencies together."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from salesbench.core.money import DEFAULT_CURRENCY, money_key
from salesbench.core.tables import Column


def report_codes(found: Iterable[str], team: str = DEFAULT_CURRENCY) -> list[str]:
    """The currencies a report shows: those its amounts are in, the team's first; the
    team's alone when there are none."""
    codes = sorted(set(found), key=lambda code: (code != team, code))
    return codes or [team]


def currency_columns(key: str, label: str, codes: list[str]) -> list[Column]:
    """`won_amount` "Won amount (CNY)" for one currency; `won_amount_cny`,
    `won_amount_usd` … for several."""
    if len(codes) == 1:
        return [Column(key, f"{label} ({codes[0]})", "money", codes[0])]
    return [Column(f"{key}_{c.lower()}", f"{label} ({c})", "money", c) for c in codes]


def money_cells(key: str, codes: list[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """A row's cells of the columns currency_columns made, from values by currency."""
    return {c.key: values.get(str(c.currency), 0) for c in currency_columns(key, "", codes)}


def tallied(tally: Mapping[str, float], key: str) -> Callable[[str], float]:
    """The sum of `key` in a currency, from a tally keyed by money_key."""
    return lambda code: tally.get(money_key(key, code), 0)
