"""The leaderboard, and a rep's standing for the end-of-day review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesbench.core import weekly_facts as wf
from salesbench.core.errors import BadInput
from salesbench.core.money import DEFAULT_CURRENCY
from salesbench.core.periods import Period, current
from salesbench.services.forecasting import load_forecast
from salesbench.services.report_facts import (
    Scope,
    load_scope,
)
from salesbench.store.engine import Store
from salesbench.store.raw import (
    Rows,
    hex_id,
    store_rows,
)

# ------------------------------------------------------------------ leaderboard


@dataclass
class CurrencyBoard:
    """The amount ranking in one more currency: amounts are ranked within their own
    currency, never added to another's."""

    currency: str
    places: list[Any]
    shown: list[Any]
    own: Any | None


@dataclass
class Leaderboard:
    metric: str
    group: str
    period: Period
    scope: Scope
    places: list[Any]  # core.leaderboard.Place, best first
    shown: list[Any]
    own: Any | None
    mine: str | None  # the key of the caller's row
    currency: str | None = None  # of the amounts ranked (the team's, or the only one won in)
    others: list[CurrencyBoard] = field(default_factory=list)  # other currencies won in


def _amount_by_rep(rows: Rows, period: Period) -> dict[str, dict[str, int]]:
    """Won amount per currency, then per rep."""
    window = {"start": rows.ts(period.start), "end": rows.ts(period.end)}
    sql = (
        "SELECT owner_id, currency, sum(COALESCE(amount, 0)) AS v FROM opportunity "
        "WHERE status = 'won' AND closed_at >= :start AND closed_at < :end "
        "GROUP BY owner_id, currency"
    )
    out: dict[str, dict[str, int]] = {}
    for r in rows.all(sql, **window):
        out.setdefault(r["currency"] or DEFAULT_CURRENCY, {})[hex_id(r["owner_id"])] = int(
            r["v"] or 0
        )
    return out


def _metric_by_rep(rows: Rows, metric: str, period: Period) -> dict[str, int]:
    window = {"start": rows.ts(period.start), "end": rows.ts(period.end)}
    if metric == "tasks":
        sql = (
            "SELECT owner_id, count(*) AS v FROM task WHERE completed_at >= :start "
            "AND completed_at < :end AND status = 'done' GROUP BY owner_id"
        )
    else:  # a_customers: the book at the end of the period, whatever the period
        sql = (
            "SELECT owner_id, count(*) AS v FROM customer WHERE grade = 'A' "
            "AND status != 'closed' AND created_at < :end GROUP BY owner_id"
        )
    return {hex_id(r["owner_id"]): int(r["v"] or 0) for r in rows.all(sql, **window)}


def load_leaderboard(
    store: Store,
    *,
    now: datetime,
    metric: str = "amount",
    group: str = "rep",
    period: str = "month",
    at: str | None = None,
    me: str | None = None,
    top: int = 10,
    timezone: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> Leaderboard:
    """`currency`: the team's. Amounts won in several currencies are ranked within
    each: the team's currency (or the only one) in `places`, the others in `others`."""
    from salesbench.core import leaderboard as lb
    from salesbench.core.periods import PERIOD_KINDS, parse_period

    if metric not in lb.METRICS:
        raise BadInput(f"unknown measure {metric!r} (expected {', '.join(lb.METRICS)})", field="by")
    if group not in lb.GROUPS:
        raise BadInput(
            f"unknown grouping {group!r} (expected {', '.join(lb.GROUPS)})", field="group"
        )
    if period not in PERIOD_KINDS:
        raise BadInput(
            f"unknown period {period!r} (expected {', '.join(PERIOD_KINDS)})", field="period"
        )
    with store_rows(store) as rows:
        scope = load_scope(rows, timezone=timezone, me=me)
        span = (
            parse_period(period, at, scope.timezone) if at else current(period, now, scope.timezone)
        )
        if metric == "amount":
            by_currency = _amount_by_rep(rows, span)
        else:
            by_currency = {"": _metric_by_rep(rows, metric, span)}
    codes = sorted(by_currency, key=lambda code: (code != currency, code))
    main = codes[0] if codes and (currency in by_currency or len(codes) == 1) else currency
    mine = scope.me
    for r in scope.reps:
        if group != "rep" and r.id == scope.me:
            mine = getattr(r, group) or wf.NOBODY

    def ranked(values: dict[str, int], everyone: bool) -> tuple[list[Any], list[Any], Any]:
        entries: dict[str, lb.Entry] = {}
        for r in scope.reps:
            if not everyone and r.id not in values:
                continue
            key, name = (
                (r.id, r.name) if group == "rep" else ((getattr(r, group) or wf.NOBODY),) * 2
            )
            have = entries.get(key)
            entries[key] = lb.Entry(key, name, values.get(r.id, 0) + (have.value if have else 0))
        places = lb.rank(entries.values(), mine)
        shown, own = lb.board(places, top)
        return places, shown, own

    places, shown, own = ranked(by_currency.get(main, {}), True)
    others = [
        CurrencyBoard(code, *ranked(by_currency[code], False))
        for code in codes
        if code != main and code
    ]
    return Leaderboard(
        metric,
        group,
        span,
        scope,
        places,
        shown,
        own,
        mine,
        main if metric == "amount" else None,
        [o for o in others if o.places],
    )


# ------------------------------------------------------------------ the rep's standing


@dataclass
class Standing:
    """A rep's place and prospects, for the end-of-day review."""

    rank: int | None
    ranked: int
    won: int  # minor units, this month, in `currency`
    period: str
    open_deals: int
    weighted: float  # of the deals in `currency`
    weighted_this_month: float
    currency: str = DEFAULT_CURRENCY
    # the weighted pipeline (all, this month) of deals in other currencies, by currency
    others: dict[str, tuple[float, float]] = field(default_factory=dict)


def load_standing(
    store: Store,
    *,
    now: datetime,
    rep: str,
    timezone: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> Standing:
    board = load_leaderboard(
        store,
        now=now,
        metric="amount",
        group="rep",
        period="month",
        me=rep,
        timezone=timezone,
        currency=currency,
    )
    mine = next((p for p in board.places if p.mine), None)
    result = load_forecast(store, now=now, rep=rep, timezone=timezone, currency=currency)
    month = board.period.label
    main = board.currency or currency
    weighted: dict[str, list[float]] = {}
    for p in result.predictions:
        sums = weighted.setdefault(p.opp.currency, [0.0, 0.0])
        sums[0] += p.weighted
        if (p.opp.expected_close or "")[:7] == month:
            sums[1] += p.weighted
    ours = weighted.pop(main, [0.0, 0.0])
    return Standing(
        rank=mine.rank if mine else None,
        ranked=len(board.places),
        won=mine.entry.value if mine else 0,
        period=month,
        open_deals=len(result.predictions),
        weighted=ours[0],
        weighted_this_month=ours[1],
        currency=main,
        others={code: (v[0], v[1]) for code, v in sorted(weighted.items())},
    )
