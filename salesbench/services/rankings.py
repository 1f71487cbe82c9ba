"""The leaderboard, and a rep's standing for the end-of-day review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from salesbench.core import weekly_facts as wf
from salesbench.core.errors import BadInput
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
class Leaderboard:
    metric: str
    group: str
    period: Period
    scope: Scope
    places: list[Any]  # core.leaderboard.Place, best first
    shown: list[Any]
    own: Any | None
    mine: str | None  # the key of the caller's row


def _metric_by_rep(rows: Rows, metric: str, period: Period) -> dict[str, int]:
    window = {"start": rows.ts(period.start), "end": rows.ts(period.end)}
    if metric == "amount":
        sql = (
            "SELECT owner_id, sum(COALESCE(amount, 0)) AS v FROM opportunity WHERE status = 'won' "
            "AND closed_at >= :start AND closed_at < :end GROUP BY owner_id"
        )
    elif metric == "tasks":
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
) -> Leaderboard:
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
        values = _metric_by_rep(rows, metric, span)
    entries: dict[str, lb.Entry] = {}
    mine = scope.me
    for r in scope.reps:
        if group == "rep":
            key, name = r.id, r.name
        else:
            name = getattr(r, group) or wf.NOBODY
            key = name
            if r.id == scope.me:
                mine = key
        have = entries.get(key)
        value = values.get(r.id, 0) + (have.value if have else 0)
        entries[key] = lb.Entry(key, name, value)
    places = lb.rank(entries.values(), mine)
    shown, own = lb.board(places, top)
    return Leaderboard(metric, group, span, scope, places, shown, own, mine)


# ------------------------------------------------------------------ the rep's standing


@dataclass
class Standing:
    """A rep's place and prospects, for the end-of-day review."""

    rank: int | None
    ranked: int
    won: int  # minor units, this month
    period: str
    open_deals: int
    weighted: float
    weighted_this_month: float


def load_standing(
    store: Store, *, now: datetime, rep: str, timezone: str | None = None
) -> Standing:
    board = load_leaderboard(
        store, now=now, metric="amount", group="rep", period="month", me=rep, timezone=timezone
    )
    mine = next((p for p in board.places if p.mine), None)
    result = load_forecast(store, now=now, rep=rep, timezone=timezone)
    month = board.period.label
    return Standing(
        rank=mine.rank if mine else None,
        ranked=len(board.places),
        won=mine.entry.value if mine else 0,
        period=month,
        open_deals=len(result.predictions),
        weighted=sum(p.weighted for p in result.predictions),
        weighted_this_month=sum(
            p.weighted for p in result.predictions if (p.opp.expected_close or "")[:7] == month
        ),
    )
