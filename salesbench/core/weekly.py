"""The team lead's weekly report, computed from plain facts.

Every figure is first counted per rep; team, region, branch and total rows add
up those counts and only then derive their rates, so a subtotal's on-time rate
is the share of its tasks, never an average of averages. Stocks (overdue tasks,
open pipeline, cadence) are taken at the end of the week, or now for the week
in progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesbench.core.i18n import N_, _
from salesbench.core.money import DEFAULT_CURRENCY, money_key
from salesbench.core.periods import Period
from salesbench.core.report_money import currency_columns, report_codes
from salesbench.core.tables import Column, Table, said
from salesbench.core.weekly_count import count_period
from salesbench.core.weekly_detail import funnel_table, lost_table, moves_table, trend_table
from salesbench.core.weekly_facts import (
    CHANNELS,
    GRADES,
    LEVELS,
    NOBODY,
    RESULT_COLUMNS,
    SATISFACTION_FIELD,
    UNITS_FIELD,
    RepFact,
    Tally,
    WeeklyFacts,
)


@dataclass
class WeeklyReport:
    period: Period
    previous: Period
    now: datetime
    scope: str
    tables: list[Table]
    currencies: list[str] = field(default_factory=list)  # of its amounts, the team's first

    @property
    def complete(self) -> bool:
        return self.now >= self.period.end

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


# ------------------------------------------------------------------ tables


def _rate(num: str, den: str) -> Callable[[Tally], float | None]:
    return lambda c: c[num] / c[den] if c[den] else None


def _get(key: str) -> Callable[[Tally], Any]:
    return lambda c: c[key]


@dataclass(frozen=True)
class Money:
    """A sum kept per currency (tally keys made by money_key): one column, or
    headline row, per currency of the report."""

    key: str
    rounded: bool = False

    def of(self, code: str) -> Callable[[Tally], Any]:
        key = money_key(self.key, code)
        return (lambda c: round(c[key])) if self.rounded else (lambda c: c[key])


Derive = Callable[[Tally], Any] | Money

# an activity channel's column, capitalised as a heading (core/labels has the word)
CHANNEL_COLUMNS = {
    "visit": N_("Visit"),
    "call": N_("Call"),
    "email": N_("Email"),
    "message": N_("Message"),
    "meeting": N_("Meeting"),
}

SECTIONS: tuple[tuple[str, str, tuple[tuple[Column, Derive], ...]], ...] = (
    (
        "activities",
        N_("Activities by channel"),
        (
            *((Column(ch, CHANNEL_COLUMNS[ch]), _get(f"act_{ch}")) for ch in CHANNELS),
            (Column("total", N_("Total")), _get("act_total")),
        ),
    ),
    (
        "tasks",
        N_("Tasks"),
        (
            (Column("done", N_("Done")), _get("tasks_done")),
            (Column("on_time", N_("Done on time")), _get("tasks_on_time")),
            (
                Column("on_time_rate", N_("On time"), "percent"),
                _rate("tasks_on_time", "tasks_done"),
            ),
            (Column("overdue", N_("Overdue at week end")), _get("tasks_overdue")),
        ),
    ),
    (
        "sop",
        N_("SOP completion of open opportunities"),
        (
            (Column("open", N_("Open on a playbook")), _get("sop_open")),
            (
                Column("completion", N_("Current stage done"), "percent"),
                _rate("sop_sum", "sop_open"),
            ),
            (Column("stage_complete", N_("Stage fully done")), _get("sop_complete")),
            (Column("moves", N_("Stage moves")), _get("moves")),
        ),
    ),
    (
        "opportunities",
        N_("New, won and lost opportunities"),
        (
            (Column("new", N_("New")), _get("opp_new")),
            (Column("new_amount", N_("New amount"), "money"), Money("opp_new_amount")),
            (Column("won", N_("Won")), _get("opp_won")),
            (Column("won_amount", N_("Won amount"), "money"), Money("opp_won_amount")),
            (Column("lost", N_("Lost")), _get("opp_lost")),
            (Column("lost_amount", N_("Lost amount"), "money"), Money("opp_lost_amount")),
            (Column("won_units", N_("Units won")), _get("won_units")),
            (
                Column("satisfaction", N_("Satisfaction (average)"), "number"),
                _rate("sat_sum", "sat_n"),
            ),
            (
                Column("win_rate", N_("Win rate"), "percent"),
                lambda c: (
                    c["opp_won"] / (c["opp_won"] + c["opp_lost"])
                    if c["opp_won"] + c["opp_lost"]
                    else None
                ),
            ),
        ),
    ),
    (
        "pipeline",
        N_("Open pipeline at week end"),
        (
            (Column("open", N_("Open")), _get("pipe_open")),
            (Column("amount", N_("Pipeline"), "money"), Money("pipe_amount")),
            (
                Column("weighted", N_("Weighted (stage odds)"), "money"),
                Money("pipe_weighted", True),
            ),
        ),
    ),
    (
        "cadence",
        N_("Cadence compliance by grade"),
        tuple(
            (
                Column(f"{g.lower()}_rate", N_("{grade} touched"), "percent"),
                _rate(f"cad_{g}_ok", f"cad_{g}_all"),
            )
            for g in GRADES
        )
        + tuple(
            (Column(f"{g.lower()}_customers", N_("{grade} customers")), _get(f"cad_{g}_all"))
            for g in GRADES
        )
        + ((Column("rate", N_("All touched"), "percent"), _rate("cad_ok", "cad_all")),),
    ),
    (
        "sla",
        N_("SLA breaches"),
        (
            (Column("complaints", N_("Complaints")), _get("sla_complaints")),
            (Column("no_answer_1h", N_("Not answered in 1 h")), _get("sla_no_answer")),
            (Column("unsolved_24h", N_("Not solved in 24 h")), _get("sla_unsolved")),
            (Column("visits", N_("Visits")), _get("sla_visits")),
            (Column("no_thanks_24h", N_("Visit not thanked in 24 h")), _get("sla_no_thanks")),
            (Column("pending", N_("Still within time")), _get("sla_pending")),
        ),
    ),
)

HEADLINES: tuple[tuple[str, str, str, Derive], ...] = (
    ("activities", N_("Activities"), "int", _get("act_total")),
    ("tasks_done", N_("Tasks done"), "int", _get("tasks_done")),
    ("on_time_rate", N_("Tasks done on time"), "percent", _rate("tasks_on_time", "tasks_done")),
    ("overdue", N_("Overdue tasks"), "int", _get("tasks_overdue")),
    ("sop_completion", N_("SOP completion"), "percent", _rate("sop_sum", "sop_open")),
    ("new_opportunities", N_("New opportunities"), "int", _get("opp_new")),
    ("won_amount", N_("Won amount"), "money", Money("opp_won_amount")),
    ("lost", N_("Lost opportunities"), "int", _get("opp_lost")),
    ("pipeline", N_("Open pipeline"), "money", Money("pipe_amount")),
    ("weighted", N_("Weighted pipeline"), "money", Money("pipe_weighted", True)),
    ("cadence", N_("Cadence compliance"), "percent", _rate("cad_ok", "cad_all")),
    ("sla_breaches", N_("SLA breaches"), "int", _get("sla_breaches")),
)


def _label(value: str | None) -> str:
    return value if value else NOBODY


def _grouped(reps: list[RepFact], counts: dict[str, Tally]) -> list[tuple[dict[str, Any], Tally]]:
    """Rows in order: each rep, then the subtotal of each team, region and branch,
    then the total."""
    ordered = sorted(reps, key=lambda r: (_label(r.team), r.name, r.id))
    out: list[tuple[dict[str, Any], Tally]] = []
    for r in ordered:
        head = {
            "level": "rep",
            "name": r.name,
            "team": r.team,
            "region": r.region,
            "branch": r.branch,
        }
        out.append((head, counts[r.id]))
    for level in LEVELS:
        groups: dict[str, Tally] = {}
        for r in ordered:
            key = _label(getattr(r, level))
            groups.setdefault(key, Tally()).add(counts[r.id])
        if len(groups) > 1 or NOBODY not in groups:
            for key in sorted(groups):
                out.append(
                    ({"level": level, "name": _(key) if key == NOBODY else key}, groups[key])
                )
    total = Tally()
    for r in ordered:
        total.add(counts[r.id])
    out.append(({"level": "total", "name": _("Total")}, total))
    return out


HEAD_COLUMNS = [
    Column("level", N_("Level"), "text"),
    Column("name", N_("Name"), "text"),
    Column("team", N_("Team"), "text"),
]


def _per_currency(
    columns: tuple[tuple[Column, Derive], ...], codes: list[str]
) -> list[tuple[Column, Callable[[Tally], Any]]]:
    out: list[tuple[Column, Callable[[Tally], Any]]] = []
    for declared, derive in columns:
        col = said(declared)
        if isinstance(derive, Money):
            for shown, code in zip(currency_columns(col.key, col.label, codes), codes, strict=True):
                out.append((shown, derive.of(code)))
        else:
            out.append((col, derive))
    return out


def _section_tables(
    reps: list[RepFact], counts: dict[str, Tally], codes: list[str], results: bool
) -> list[Table]:
    """`results`: some deal records units or satisfaction, so their columns are shown."""
    rows = _grouped(reps, counts)
    tables = []
    for key, title, declared in SECTIONS:
        columns = [
            (col, derive)
            for col, derive in _per_currency(declared, codes)
            if results or col.key not in RESULT_COLUMNS
        ]
        table = Table(key, _(title), [said(c) for c in HEAD_COLUMNS] + [c for c, _d in columns])
        for head, c in rows:
            table.rows.append(head | {col.key: derive(c) for col, derive in columns})
        tables.append(table)
    return tables


def _total(counts: dict[str, Tally]) -> Tally:
    total = Tally()
    for c in counts.values():
        total.add(c)
    return total


def _headlines(codes: list[str]) -> list[tuple[str, str, str, Callable[[Tally], Any], str | None]]:
    """The headline figures, a money figure once per currency."""
    out: list[tuple[str, str, str, Callable[[Tally], Any], str | None]] = []
    for key, words, kind, derive in HEADLINES:
        label = _(words)
        if not isinstance(derive, Money):
            out.append((key, label, kind, derive, None))
            continue
        for col, code in zip(currency_columns(key, label, codes), codes, strict=True):
            out.append((col.key, col.label, kind, derive.of(code), code))
    return out


def _headline(this: Tally, before: Tally, codes: list[str]) -> Table:
    table = Table(
        "headline",
        _("Headline figures, week over week"),
        [
            said(Column("figure", N_("Figure"), "text")),
            said(Column("this_week", N_("This week"), "row")),
            said(Column("previous_week", N_("Previous week"), "row")),
            said(Column("change", N_("Change"), "row")),
            said(Column("change_rate", N_("Change %"), "percent")),
        ],
    )
    for key, label, kind, derive, code in _headlines(codes):
        now_v, then_v = derive(this), derive(before)
        change = None if now_v is None or then_v is None else now_v - then_v
        rate = change / then_v if change is not None and then_v else None
        table.rows.append(
            {
                "key": key,
                "figure": label,
                "kind": kind,
                "this_week": now_v,
                "previous_week": then_v,
                "change": change,
                "change_rate": rate,
                **({"currency": code} if code else {}),
            }
        )
    return table


def weekly_report(
    facts: WeeklyFacts,
    period: Period,
    now: datetime,
    scope: str = "all reps",
    currency: str = DEFAULT_CURRENCY,
) -> WeeklyReport:
    """`currency`: the team's, shown first (and alone when no deal has an amount)."""
    previous = period.previous()
    this = count_period(facts, period, now)
    before = count_period(facts, previous, now)
    reps = {r.id for r in facts.reps}
    names = {r.id: r.name for r in facts.reps}
    codes = report_codes(
        (o.currency for o in facts.opps if o.rep in reps and o.amount is not None), currency
    )
    tables = [_headline(_total(this), _total(before), codes)]
    results = any(
        o.rep in reps and (UNITS_FIELD in o.custom or SATISFACTION_FIELD in o.custom)
        for o in facts.opps
    )
    tables += _section_tables(facts.reps, this, codes, results)
    tables += [
        moves_table(facts, period, names),
        lost_table(facts, period, reps, codes),
        funnel_table(facts, min(period.end, now), reps, codes),
        trend_table(facts, period, reps, codes),
    ]
    return WeeklyReport(period, previous, now, scope, tables, codes)
