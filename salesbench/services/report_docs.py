"""Computed reports as the plain data `--json` prints (the documents are io.report_documents)."""

from __future__ import annotations

from typing import Any

from salesbench.services.forecasting import Forecast
from salesbench.services.rankings import Leaderboard
from salesbench.store.raw import dashed


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
        **({"currency": board.currency} if board.currency else {}),
        "rows": [place(p) for p in board.shown],
        "own": place(board.own) if board.own else None,
        "entries": len(board.places),
        # amounts won in other currencies, ranked within each: never added up
        **(
            {
                "others": [
                    {
                        "currency": o.currency,
                        "rows": [place(p) for p in o.shown],
                        "own": place(o.own) if o.own else None,
                        "entries": len(o.places),
                    }
                    for o in board.others
                ]
            }
            if board.metric == "amount"
            else {}
        ),
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
        "currency": o.currency,
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
    from salesbench.core.forecast import is_past

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
            {
                "month": m,
                "currency": code,
                "deals": n,
                "amount": _money(amount),
                "weighted": _money(weighted),
                "past": is_past(m, f.this_month),  # expected to close already, and did not
            }
            for m, code, n, amount, weighted in f.months
        ],
        # one total per currency: amounts in two currencies are never added up
        "totals": [
            {"currency": code, "deals": n, "amount": _money(amount), "weighted": _money(weighted)}
            for code, n, amount, weighted in f.totals
        ],
        "total": (
            {
                "currency": f.totals[0][0],
                "amount": _money(f.totals[0][2]),
                "weighted": _money(f.totals[0][3]),
            }
            if len(f.totals) == 1
            else None  # several currencies: see totals
        ),
        "opportunities": [prediction_dict(p) for p in f.predictions[:limit]],
        **({"backtest": backtest_dict(f)} if asked_backtest else {}),
    }
