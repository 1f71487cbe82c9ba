"""The weekly report's counting: every figure per rep, for one period.

Stocks (overdue tasks, open pipeline, cadence) are taken at the end of the
period, or now for the period in progress.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from salesbench.core.history import completion_at
from salesbench.core.money import money_key
from salesbench.core.periods import Period
from salesbench.core.weekly_facts import (
    GRADES,
    RESPOND_WITHIN,
    SATISFACTION_FIELD,
    SOLVE_WITHIN,
    THANK_CHANNELS,
    THANK_WITHIN,
    UNITS_FIELD,
    ActivityFact,
    Tally,
    WeeklyFacts,
)


def _touches(facts: WeeklyFacts) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = defaultdict(list)
    for a in facts.activities:
        out[a.customer].append(a.at)
    for t in facts.tasks:
        if t.origin == "cadence" and t.status == "done" and t.customer and t.completed_at:
            out[t.customer].append(t.completed_at)
    return out


def _thank_times(facts: WeeklyFacts) -> dict[str, list[datetime]]:
    """Per customer, the moments a visit could have been thanked: a message or email
    to them, or their thank-you task done."""
    out: dict[str, list[datetime]] = defaultdict(list)
    for a in facts.activities:
        if a.channel in THANK_CHANNELS:
            out[a.customer].append(a.at)
    for t in facts.tasks:
        if (
            t.origin == "visit_thanks"
            and t.customer
            and t.status == "done"
            and t.completed_at is not None
        ):
            out[t.customer].append(t.completed_at)
    return out


def _thanked(visit: ActivityFact, thanks: dict[str, list[datetime]]) -> bool:
    until = visit.at + THANK_WITHIN
    return any(visit.at <= t <= until for t in thanks.get(visit.customer, ()))


def count_period(facts: WeeklyFacts, period: Period, now: datetime) -> dict[str, Tally]:
    """Every count of the report for one period, per rep id."""
    start, end = period.start, period.end
    as_of = min(end, now)
    reps = {r.id for r in facts.reps}
    counts: dict[str, Tally] = {r: Tally() for r in reps}
    thanks = _thank_times(facts)

    for a in facts.activities:
        if a.rep in reps and start <= a.at < end:
            counts[a.rep][f"act_{a.channel}"] += 1
            counts[a.rep]["act_total"] += 1
            if a.channel == "visit":
                c = counts[a.rep]
                c["sla_visits"] += 1
                if not _thanked(a, thanks):
                    c["sla_no_thanks" if a.at + THANK_WITHIN <= now else "sla_pending"] += 1

    for t in facts.tasks:
        if t.rep not in reps:
            continue
        c = counts[t.rep]
        if t.status == "done" and t.completed_at is not None and start <= t.completed_at < end:
            c["tasks_done"] += 1
            if t.due_at is None or t.completed_at <= t.due_at:
                c["tasks_on_time"] += 1
        finished_before = t.completed_at is not None and t.completed_at < as_of
        if (
            t.due_at is not None
            and t.due_at < as_of
            and (t.created_at is None or t.created_at < as_of)
            and not (t.status in ("done", "skipped") and finished_before)
        ):
            c["tasks_overdue"] += 1

    for o in facts.opps:
        if o.rep not in reps:
            continue
        c = counts[o.rep]
        amount = o.amount or 0
        code = o.currency  # sums per currency: two currencies are never added up
        if start <= o.created_at < end:
            c["opp_new"] += 1
            c[money_key("opp_new_amount", code)] += amount
        if o.closed_within(start, end) and o.status in ("won", "lost"):
            c[f"opp_{o.status}"] += 1
            c[money_key(f"opp_{o.status}_amount", code)] += amount
            if o.status == "won":
                _count_results(c, o.custom)
        if o.is_open_at(as_of):
            stage = o.stage_at(as_of)
            c["pipe_open"] += 1
            c[money_key("pipe_amount", code)] += amount
            fact = facts.stages.get((o.playbook or "", stage or ""))
            if fact is not None:
                c[money_key("pipe_weighted", code)] += amount * fact.probability
            done = completion_at(o, as_of, facts.stages, stage)
            if done is not None:
                c["sop_open"] += 1
                c["sop_sum"] += done
                c["sop_complete"] += done >= 1.0
        for m in o.moves:
            if start <= m.at < end and m.rep in reps:
                counts[m.rep]["moves"] += 1

    touches = _touches(facts)
    for cu in facts.customers:
        if cu.rep not in reps or cu.status != "active" or cu.grade not in GRADES:
            continue
        if cu.created_at >= as_of:
            continue
        window = timedelta(days=cu.cadence_days)
        fresh = as_of - cu.created_at <= window
        touched = any(as_of - window <= t < as_of for t in touches.get(cu.id, ()))
        c = counts[cu.rep]
        c[f"cad_{cu.grade}_all"] += 1
        c[f"cad_{cu.grade}_ok"] += fresh or touched
        c["cad_all"] += 1
        c["cad_ok"] += fresh or touched

    for co in facts.complaints:
        if co.rep not in reps or not start <= co.received_at < end:
            continue
        c = counts[co.rep]
        c["sla_complaints"] += 1
        for key, mark, limit in (
            ("sla_no_answer", co.responded_at, RESPOND_WITHIN),
            ("sla_unsolved", co.resolved_at, SOLVE_WITHIN),
        ):
            due = co.received_at + limit
            if mark is not None:
                c[key] += mark > due
            elif due <= now:
                c[key] += 1
            else:
                c["sla_pending"] += 1
    for c in counts.values():
        c["sla_breaches"] = c["sla_no_answer"] + c["sla_unsolved"] + c["sla_no_thanks"]
    return counts


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count_results(c: Tally, custom: Mapping[str, object]) -> None:
    """Units and satisfaction of a won deal, where its playbook records them (the
    `units` and `satisfaction` fields, seed 002's performance review)."""
    units, score = _number(custom.get(UNITS_FIELD)), _number(custom.get(SATISFACTION_FIELD))
    if units is not None:
        c["won_units"] += units
        c["won_units_deals"] += 1
    if score is not None:
        c["sat_sum"] += score
        c["sat_n"] += 1
