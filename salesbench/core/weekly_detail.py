"""The weekly report's detail tables: stage moves, lost reasons, the open deals by
stage and the trend of the last weeks."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import datetime

from salesbench.core import labels
from salesbench.core.history import StageBook
from salesbench.core.i18n import N_, _
from salesbench.core.money import money_key
from salesbench.core.periods import Period
from salesbench.core.report_money import currency_columns, money_cells
from salesbench.core.tables import Column, Table, said
from salesbench.core.weekly_facts import TREND_WEEKS, Tally, WeeklyFacts


def _stage_name(stages: StageBook, playbook: str | None, key: str | None) -> str:
    if key is None:
        return "(start)"
    fact = stages.get((playbook or "", key))
    return fact.name if fact else key


def moves_table(facts: WeeklyFacts, period: Period, names: dict[str, str]) -> Table:
    tally: Counter[tuple[str, str, str, str, str]] = Counter()
    for o in facts.opps:
        for m in o.moves:
            if m.rep in names and period.contains(m.at):
                tally[
                    (
                        names[m.rep],
                        o.playbook or "",
                        _stage_name(facts.stages, o.playbook, m.from_stage),
                        _stage_name(facts.stages, o.playbook, m.to_stage),
                        labels.via(m.via),
                    )
                ] += 1
    table = Table(
        "stage_moves",
        _("Stage moves"),
        [
            said(Column("rep", N_("Rep"), "text")),
            said(Column("playbook", N_("Playbook"), "text")),
            said(Column("from", N_("From"), "text")),
            said(Column("to", N_("To"), "text")),
            said(Column("via", N_("Via"), "text")),
            said(Column("count", N_("Moves"))),
        ],
    )
    for (rep, pb, frm, to, via), n in sorted(tally.items(), key=lambda kv: (kv[0], -kv[1])):
        table.rows.append(
            {"rep": rep, "playbook": pb, "from": frm, "to": to, "via": via, "count": n}
        )
    return table


def lost_table(facts: WeeklyFacts, period: Period, reps: set[str], codes: list[str]) -> Table:
    count: Counter[str] = Counter()
    amount: Counter[tuple[str, str]] = Counter()
    for o in facts.opps:
        if o.rep in reps and o.status == "lost" and o.closed_within(period.start, period.end):
            reason = (o.lost_reason or "").strip() or _("(not recorded)")
            count[reason] += 1
            amount[(reason, o.currency)] += o.amount or 0
    table = Table(
        "lost_reasons",
        _("Lost reasons"),
        [
            said(Column("reason", N_("Reason"), "text")),
            said(Column("lost", N_("Lost"))),
            *currency_columns("amount", _("Amount"), codes),
        ],
    )
    for reason in sorted(
        count, key=lambda r: (-count[r], tuple(-amount[(r, c)] for c in codes), r)
    ):
        table.rows.append(
            {"reason": reason, "lost": count[reason]}
            | money_cells("amount", codes, {c: amount[(reason, c)] for c in codes})
        )
    return table


def funnel_table(facts: WeeklyFacts, as_of: datetime, reps: set[str], codes: list[str]) -> Table:
    count: Counter[tuple[str, str]] = Counter()
    amount: Counter[tuple[str, str, str]] = Counter()
    for o in facts.opps:
        if o.rep in reps and o.playbook and o.is_open_at(as_of):
            stage = o.stage_at(as_of)
            if stage is not None:
                count[(o.playbook, stage)] += 1
                amount[(o.playbook, stage, o.currency)] += o.amount or 0

    def order(key: tuple[str, str]) -> tuple[str, int, str]:
        fact = facts.stages.get(key)
        return (key[0], fact.index if fact else 99, key[1])

    table = Table(
        "funnel",
        _("Open opportunities by stage"),
        [
            said(Column("playbook", N_("Playbook"), "text")),
            said(Column("stage", N_("Stage"), "text")),
            said(Column("open", N_("Open"))),
            *currency_columns("amount", _("Amount"), codes),
        ],
    )
    for key in sorted(count, key=order):
        table.rows.append(
            {
                "playbook": key[0],
                "stage": _stage_name(facts.stages, key[0], key[1]),
                "open": count[key],
            }
            | money_cells("amount", codes, {c: amount[(*key, c)] for c in codes})
        )
    return table


def trend_table(facts: WeeklyFacts, period: Period, reps: set[str], codes: list[str]) -> Table:
    weeks = trend_weeks(period)
    bounds = [w.start for w in weeks] + [period.end]
    tally = [Tally() for _week in weeks]

    def add(at: datetime | None, key: str, value: float = 1) -> None:
        if at is not None and bounds[0] <= at < bounds[-1]:
            tally[bisect_right(bounds, at) - 1][key] += value

    for a in facts.activities:
        if a.rep in reps:
            add(a.at, "activities")
    for t in facts.tasks:
        if t.rep in reps and t.status == "done":
            add(t.completed_at, "tasks_done")
    for n, w in enumerate(weeks):
        tally[n]["tasks_done"] += sum(
            count
            for (rep, label), count in facts.earlier_done.items()
            if label == w.label and rep in reps
        )
    for o in facts.opps:
        if o.rep in reps:
            add(o.created_at, "new")
            if o.status == "won":
                add(o.closed_at, "won")
                add(o.closed_at, money_key("won_amount", o.currency), o.amount or 0)
    table = Table(
        "trend",
        _("The last {n} weeks").format(n=TREND_WEEKS),
        [
            said(Column("week", N_("Week"), "text")),
            said(Column("activities", N_("Activities"))),
            said(Column("tasks_done", N_("Tasks done"))),
            said(Column("new", N_("New opportunities"))),
            said(Column("won", N_("Won"))),
            *currency_columns("won_amount", _("Won amount"), codes),
        ],
    )
    for w, c in zip(weeks, tally, strict=True):
        won = {k: int(c[money_key("won_amount", k)]) for k in codes}
        table.rows.append(
            {
                "week": w.label,
                "activities": int(c["activities"]),
                "tasks_done": int(c["tasks_done"]),
                "new": int(c["new"]),
                "won": int(c["won"]),
            }
            | money_cells("won_amount", codes, won)
        )
    return table


def trend_weeks(period: Period) -> list[Period]:
    weeks = [period]
    while len(weeks) < TREND_WEEKS:
        weeks.insert(0, weeks[0].previous())
    return weeks


def trend_start(period: Period) -> datetime:
    """The first instant the trend table looks at: what a loader must read from."""
    return trend_weeks(period)[0].start
