"""Reading the weekly report's facts; the figures themselves are computed in
salesbench.core.weekly."""

from __future__ import annotations

from datetime import datetime, timedelta

from salesbench.core import weekly
from salesbench.core import weekly_detail as detail
from salesbench.core import weekly_facts as wf
from salesbench.core.enums import OPEN_STATES_SQL
from salesbench.core.history import OppFact
from salesbench.core.money import DEFAULT_CURRENCY
from salesbench.core.periods import Period, current, parse_week
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS
from salesbench.services.report_facts import (
    LEFT_STAGES,
    OPP_COLUMNS,
    Books,
    Scope,
    load_books,
    load_scope,
    opp_fact,
    read_moves,
    read_steps,
)
from salesbench.store.engine import Store
from salesbench.store.raw import (
    Rows,
    hex_id,
    id_list,
    skip_index,
    store_rows,
    to_dt,
    to_instant,
)

# ------------------------------------------------------------------ weekly


def resolve_week(week: str | None, now: datetime, tz: str) -> Period:
    return parse_week(week, tz) if week else current("week", now, tz)


def load_weekly(
    store: Store,
    *,
    now: datetime,
    week: str | None = None,
    rep: str | None = None,
    team: str | None = None,
    region: str | None = None,
    branch: str | None = None,
    timezone: str | None = None,
    everyone: bool = False,
    me: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> tuple[weekly.WeeklyReport, Scope]:
    """The weekly report; without rep/team/region/branch, the caller's default view
    (`me`, whom the shells take from SALESBENCH_REP: a lead's team or a rep's own)
    unless `everyone`. Amounts are summed per currency, `currency` (the team's) first."""
    with store_rows(store) as rows:
        scope = load_scope(
            rows,
            rep=rep,
            team=team,
            region=region,
            branch=branch,
            timezone=timezone,
            me=me,
            scoped=not everyone,
        )
        period = resolve_week(week, now, scope.timezone)
        facts = weekly_facts(rows, scope, period, now)
    report = weekly.weekly_report(facts, period, now, scope.label, currency)
    return report, scope


def weekly_facts(rows: Rows, scope: Scope, period: Period, now: datetime) -> wf.WeeklyFacts:
    previous = period.previous()
    end, prev_start = period.end, previous.start
    owners, params = id_list(scope.ids, rows, "r")
    ts = rows.ts
    opp_rows = list(
        rows.each(
            f"SELECT {OPP_COLUMNS}, o.custom FROM opportunity o "
            "JOIN customer c ON c.id = o.customer_id "
            f"WHERE o.owner_id IN {owners} AND o.created_at < :end "
            "AND (o.status = 'open' OR o.closed_at >= :trend)",
            end=ts(end),
            trend=ts(detail.trend_start(period)),
            **params,
        )
    )
    books = load_books(rows, (r["playbook_key"] for r in opp_rows), scope.language)
    longest = max(
        [*DEFAULT_CADENCE_DAYS.values(), *(d for c in books.cadence.values() for d in c.values())]
    )
    since = min(detail.trend_start(period), min(previous.end, now) - timedelta(days=longest))

    recent = (
        "m.moved_at >= :since AND m.opportunity_id IN "
        f"(SELECT id FROM opportunity WHERE owner_id IN {owners})"
    )
    moves = read_moves(rows, recent, since=ts(prev_start), **params)
    open_then = (
        f"o.owner_id IN {owners} AND o.created_at < :end "
        "AND (o.status = 'open' OR o.closed_at >= :prev_end)"
    )
    window = {"end": ts(end), "prev_end": ts(previous.end), **params}
    # the stage at either week's end: the current one, or one left since
    steps = read_steps(rows, f"{open_then} AND t.stage_key = o.stage_key", **window)
    for oid, left in read_steps(
        rows, open_then, LEFT_STAGES, since=ts(prev_start), **window
    ).items():
        steps.setdefault(oid, []).extend(left)
    opps = [opp_fact(r, moves, steps) for r in opp_rows]

    activities = [
        wf.ActivityFact(
            hex_id(r["owner_id"]),
            hex_id(r["customer_id"]),
            r["channel"],
            to_instant(r["started_at"]),
        )
        for r in rows.each(
            "SELECT owner_id, customer_id, channel, started_at FROM activity "
            "WHERE started_at >= :since AND started_at < :until",
            since=ts(since),
            until=ts(end + wf.THANK_WITHIN),
        )
    ]
    tasks = [
        wf.TaskFact(
            hex_id(r["owner_id"]),
            r["status"],
            to_dt(r["created_at"]),
            to_dt(r["due_at"]),
            to_dt(r["completed_at"]),
            hex_id(r["customer_id"]) if r["customer_id"] is not None else None,
            r["origin"],
        )
        for r in rows.each(
            # the customer only where a rule needs it, the creation time only where
            # the task can be overdue: most rows need neither, and skip their parsing
            "SELECT t.owner_id, t.status, t.due_at, t.completed_at, t.origin, "
            "CASE WHEN t.due_at < :as_of THEN t.created_at END AS created_at, "
            "CASE WHEN t.origin IN ('cadence', 'visit_thanks') THEN COALESCE(t.customer_id, "
            "(SELECT o.customer_id FROM opportunity o WHERE o.id = t.opportunity_id)) "
            "END AS customer_id FROM task t "
            "WHERE t.completed_at >= :recent "
            "OR (t.origin = 'cadence' AND t.completed_at >= :since) "
            f"OR (t.status IN {OPEN_STATES_SQL} AND t.due_at < :as_of "
            f"AND t.owner_id IN {owners})",
            recent=ts(prev_start),
            since=ts(since),
            as_of=ts(min(end, now)),
            **params,
        )
    ]
    older = detail.trend_weeks(period)[:-2]
    cases = " ".join(f"WHEN completed_at < :w{n} THEN '{w.label}'" for n, w in enumerate(older))
    plus = skip_index(rows)
    earlier_done = {
        (hex_id(r["owner_id"]), r["week"]): r["n"]
        for r in rows.each(
            f"SELECT owner_id, CASE {cases} END AS week, count(*) AS n FROM task "
            # on the completed_at index: a few weeks of rows, not every task of the reps
            f"WHERE {plus}status = 'done' AND completed_at >= :trend AND completed_at < :recent "
            f"AND {plus}owner_id IN {owners} GROUP BY owner_id, week",
            trend=ts(older[0].start),
            recent=ts(prev_start),
            **{f"w{n}": ts(w.end) for n, w in enumerate(older)},
            **params,
        )
    }
    complaints = [
        wf.ComplaintFact(
            hex_id(r["owner_id"]),
            to_dt(r["received_at"]),  # type: ignore[arg-type]
            to_dt(r["responded_at"]),
            to_dt(r["resolved_at"]),
        )
        for r in rows.all(
            "SELECT owner_id, received_at, responded_at, resolved_at FROM complaint "
            f"WHERE received_at >= :since AND received_at < :end AND owner_id IN {owners}",
            since=ts(prev_start),
            end=ts(end),
            **params,
        )
    ]
    cadence = _cadence_by_customer(opps, books)
    customers = [
        wf.CustomerFact(
            cid := hex_id(r["id"]),
            hex_id(r["owner_id"]),
            r["grade"],
            r["status"],
            to_dt(r["created_at"]),  # type: ignore[arg-type]
            cadence.get(cid, DEFAULT_CADENCE_DAYS).get(r["grade"], DEFAULT_CADENCE_DAYS["C"]),
        )
        for r in rows.all(
            "SELECT id, owner_id, grade, status, created_at FROM customer "
            f"WHERE status = 'active' AND grade IS NOT NULL AND owner_id IN {owners}",
            **params,
        )
    ]
    return wf.WeeklyFacts(
        scope.reps,
        activities,
        tasks,
        opps,
        complaints,
        customers,
        books.stages,
        earlier_done,
    )


def _cadence_by_customer(opps: list[OppFact], books: Books) -> dict[str, dict[str, int]]:
    """The strictest cadence among the playbooks of a customer's open deals, as the
    queue uses it."""
    out: dict[str, dict[str, int]] = {}
    for o in opps:
        days = books.cadence.get(o.playbook or "")
        if days is None or o.status != "open":
            continue
        have = out.get(o.customer, {})
        out[o.customer] = {g: min(have.get(g, d), d) for g, d in days.items()}
    return out
