"""Reading open and recently closed deals for the forecast (salesbench.core.forecast)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from salesbench.core.money import DEFAULT_CURRENCY
from salesbench.core.workday import zone
from salesbench.services.report_facts import (
    OPP_COLUMNS,
    Scope,
    load_books,
    load_scope,
    opp_fact,
    read_moves,
    read_progress,
    read_steps,
)
from salesbench.store.engine import Store
from salesbench.store.raw import (
    Rows,
    hex_id,
    id_list,
    store_rows,
    to_dt,
)

# ------------------------------------------------------------------ forecast


@dataclass
class Forecast:
    now: datetime
    scope: Scope
    predictions: list[Any]  # core.forecast.Prediction, highest weighted first
    months: list[tuple[str, str, int, int, float]]  # month, currency, deals, amount, weighted
    calibration: Any | None
    backtest: Any | None
    closed: int
    totals: list[tuple[str, int, int, float]]  # currency, deals, amount, weighted
    today: str = ""  # "2026-12-02" in the scope's timezone: an earlier close has passed
    currency: str = DEFAULT_CURRENCY  # the team's: what an empty pipeline's zero is in

    @property
    def this_month(self) -> str:
        return self.today[:7]  # earlier close months are past

    def close_passed(self, expected_close: str | None) -> bool:
        """The deal was expected to close before today and is still open."""
        return bool(expected_close and self.today and expected_close[:10] < self.today)


CALIBRATION_SAMPLE = 2000  # the most recent closed deals are the relevant ones


def _touches(rows: Rows, where: str, **params: Any) -> dict[str, list[Any]]:
    """Contacts per deal: those logged on the deal, and those with its customer that
    were logged on no deal at all."""
    from salesbench.core.forecast import Touch

    out: dict[str, list[Any]] = {}
    for join in (
        "o.id = a.opportunity_id",
        "a.opportunity_id IS NULL AND a.customer_id = o.customer_id",
    ):
        for r in rows.each(
            "SELECT o.id AS opportunity_id, a.started_at, a.channel FROM activity a "
            f"JOIN opportunity o ON {join} WHERE {where}",
            **params,
        ):
            out.setdefault(hex_id(r["opportunity_id"]), []).append(
                Touch(to_dt(r["started_at"]), r["channel"])  # type: ignore[arg-type]
            )
    return out


def load_forecast(
    store: Store,
    *,
    now: datetime,
    rep: str | None = None,
    team: str | None = None,
    month: str | None = None,
    backtest: bool = False,
    everyone: bool = False,
    me: str | None = None,
    timezone: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> Forecast:
    """Win probabilities for the deals of `rep` or `team`, else of the caller's
    default view (`me`) unless `everyone`; months are cut in `timezone`, else the
    reps' own. Sums are per currency, `currency` (the team's) first."""
    from salesbench.core import forecast as fc
    from salesbench.core.periods import parse_month

    with store_rows(store) as rows:
        scope = load_scope(rows, rep=rep, team=team, me=me, timezone=timezone, scoped=not everyone)
        owners, params = id_list(scope.ids, rows, "r")
        span = parse_month(month, scope.timezone) if month else None
        opp_sql = (
            f"SELECT {OPP_COLUMNS}, o.custom FROM opportunity o "
            "JOIN customer c ON c.id = o.customer_id WHERE "
        )
        open_where = f"o.status = 'open' AND o.owner_id IN {owners}"
        if span is not None:
            open_where += " AND o.expected_close >= :first AND o.expected_close <= :last"
            params |= {"first": span.first.isoformat(), "last": span.last.isoformat()}
        open_rows = list(rows.each(opp_sql + open_where, **params))
        closed_rows = list(
            rows.each(
                opp_sql + "o.status IN ('won', 'lost') AND o.closed_at IS NOT NULL "
                "ORDER BY o.closed_at DESC LIMIT :n",
                n=CALIBRATION_SAMPLE,
            )
        )
        keys = [r["playbook_key"] for r in open_rows + closed_rows]
        books = load_books(rows, keys, scope.language)
        closed_ids = "(SELECT id FROM opportunity WHERE status IN ('won', 'lost') " + (
            "AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT :n)"
        )
        # today's forecast reads open deals as they stand; the calibration judges
        # closed ones at a past moment, which needs each task's times
        progress = read_progress(rows, open_where, **params)
        steps = read_steps(rows, f"o.id IN {closed_ids}", n=CALIBRATION_SAMPLE)
        touches = _touches(rows, open_where, **params)
        touches.update(_touches(rows, f"o.id IN {closed_ids}", n=CALIBRATION_SAMPLE))
        moves = read_moves(
            rows,
            f"m.opportunity_id IN {closed_ids}",
            n=CALIBRATION_SAMPLE,
        )
    open_opps = [opp_fact(r, {}, {}, progress) for r in open_rows]
    closed = [opp_fact(r, moves, steps) for r in closed_rows]
    pairs = fc.outcomes(closed, books.stages, books.modes, touches)
    calibration = fc.fit(pairs) if len(pairs) >= fc.MIN_CLOSED else None
    predictions = fc.calibrate(
        [fc.predict(o, now, books.stages, books.modes, touches.get(o.id, ())) for o in open_opps],
        calibration,
    )
    predictions.sort(key=lambda p: (-p.weighted, p.opp.title, p.opp.id))
    return Forecast(
        now,
        scope,
        predictions,
        fc.by_month(predictions, currency),
        calibration,
        fc.backtest(pairs) if backtest else None,
        len(pairs),
        fc.totals(predictions, currency),
        now.astimezone(zone(scope.timezone)).date().isoformat(),
        currency,
    )
