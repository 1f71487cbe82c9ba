"""Computed reports dressed as documents: titles, what they cover, notes and charts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from salesbench.core.weekly import WeeklyReport
from salesbench.core.workday import zone
from salesbench.io.reports import Chart, Document
from salesbench.services.forecasting import Forecast
from salesbench.services.rankings import Leaderboard
from salesbench.services.report_facts import Scope
from salesbench.store.raw import dashed

LEADERBOARD_BARS = 15


def local_minute(at: datetime, tz: str) -> str:
    return at.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M %Z")


def weekly_document(report: WeeklyReport, scope: Scope) -> Document:
    period = report.period
    meta = {
        "week": period.label,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "timezone": period.tz,
        "scope": report.scope,
        "as_of": local_minute(min(report.now, period.end), period.tz),
        "complete": report.complete,
        "previous_week": report.previous.label,
    }
    notes = list(scope.notes)
    if not report.complete:
        notes.append(
            "The week is still running: counts go up to now, and week-end figures "
            "(overdue, pipeline, cadence) are taken now."
        )
    funnel = report.table("funnel")
    trend = report.table("trend")
    tasks = [r for r in report.table("tasks").rows if r["level"] == "rep"]
    tasks.sort(key=lambda r: (-r["done"], r["name"]))
    charts = [
        Chart(
            "bars",
            "Open opportunities by stage",
            [f"{r['playbook']} · {r['stage']}" for r in funnel.rows],
            [("open", [r["open"] for r in funnel.rows])],
        ),
        Chart(
            "line",
            "Weekly trend",
            [r["week"][5:] for r in trend.rows],
            [
                ("activities", [r["activities"] for r in trend.rows]),
                ("tasks done", [r["tasks_done"] for r in trend.rows]),
                ("new opportunities", [r["new"] for r in trend.rows]),
            ],
        ),
        Chart(
            "bars",
            "Tasks done this week",
            [r["name"] for r in tasks[:LEADERBOARD_BARS]],
            [("done", [r["done"] for r in tasks[:LEADERBOARD_BARS]])],
        ),
    ]
    return Document(
        "weekly",
        f"Weekly report {period.label} — {report.scope}",
        meta,
        report.tables,
        notes,
        charts,
    )


def _money(minor: float | None) -> float | None:
    return None if minor is None else round(minor / 100, 2)


def leaderboard_dict(board: Leaderboard) -> dict[str, Any]:
    from salesbench.core.leaderboard import METRICS

    def place(p: Any) -> dict[str, Any]:
        value = p.entry.value
        return {
            "rank": p.rank,
            "tied": p.tied,
            "key": p.entry.key if board.group != "rep" else dashed(p.entry.key),
            "name": p.entry.name,
            "value": _money(value) if board.metric == "amount" else value,
            "mine": p.mine,
        }

    return {
        "report": "leaderboard",
        "by": board.metric,
        "measure": METRICS[board.metric],
        "group": board.group,
        "period": {
            "kind": board.period.kind,
            "label": board.period.label,
            "from": board.period.first.isoformat(),
            "to": board.period.last.isoformat(),
        },
        "timezone": board.scope.timezone,
        "rows": [place(p) for p in board.shown],
        "own": place(board.own) if board.own else None,
        "entries": len(board.places),
    }


def prediction_dict(p: Any) -> dict[str, Any]:
    o = p.opp
    return {
        "id": dashed(o.id),
        "title": o.title,
        "customer": o.customer_name,
        "playbook": o.playbook,
        "stage": o.stage,
        "stage_name": p.stage_name,
        "mode": o.mode,
        "amount": _money(o.amount),
        "expected_close": o.expected_close,
        "base": p.base,
        "factors": [
            {"factor": f.key, "multiplier": f.multiplier, "why": f.note} for f in p.factors
        ],
        "raw_probability": p.raw,
        "probability": p.probability,
        "weighted": _money(p.weighted),
    }


def backtest_dict(f: Forecast) -> dict[str, Any]:
    from salesbench.core.forecast import BACKTEST_HORIZON, MIN_CLOSED

    bt = f.backtest
    if bt is None:
        return {"closed": f.closed, "needed": MIN_CLOSED, "brier_raw": None}
    return {
        "closed": bt.closed,
        "won": bt.won,
        "brier_raw": bt.brier_raw,
        "brier_calibrated": bt.brier_calibrated,
        "folds": bt.folds,
        "judged_days_before_close": BACKTEST_HORIZON.days,
    }


def forecast_dict(
    f: Forecast, limit: int | None = None, asked_backtest: bool = False
) -> dict[str, Any]:
    return {
        "report": "forecast",
        "as_of": f.now.isoformat(),
        "scope": f.scope.label,
        "open": len(f.predictions),
        "calibrated": f.calibration is not None,
        "calibration": (
            {"a": f.calibration.a, "b": f.calibration.b, "closed": f.calibration.n}
            if f.calibration
            else None
        ),
        "closed_available": f.closed,
        "months": [
            {"month": m, "deals": n, "amount": _money(amount), "weighted": _money(weighted)}
            for m, n, amount, weighted in f.months
        ],
        "total": {
            "amount": _money(sum(p.opp.amount or 0 for p in f.predictions)),
            "weighted": _money(sum(p.weighted for p in f.predictions)),
        },
        "opportunities": [prediction_dict(p) for p in f.predictions[:limit]],
        **({"backtest": backtest_dict(f)} if asked_backtest else {}),
    }
