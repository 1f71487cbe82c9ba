"""The daily queue: what to do today, in what order, and why.

Input is plain facts read by the store; output is sections of groups of items,
each item with an explainable priority score (in the spirit of Taskwarrior's
urgency: a sum of named terms, every term shown).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from salesbench.core.i18n import N_
from salesbench.core.settings import DEFAULT_CURRENCY
from salesbench.core.words import customers_named
from salesbench.core.workday import EOD, Workday

RULE_ORIGINS = ("rule", "cadence")
# a complaint's clocks (respond within the hour, a dated solution in a day) lead, overdue or not
COMPLAINT_ORIGINS = ("complaint_respond", "complaint_solve")
HORIZON = timedelta(hours=24)  # a task due within the next 24 hours (a 24-hour rule made
# now, too) is today's work
SECTION_TITLES = {  # in English, the source language: shown translated (core/i18n.py)
    "complaints": N_("Complaint clocks"),
    "overdue": N_("Overdue"),
    "today": N_("Due within 24 hours"),  # HORIZON: tomorrow morning's tasks are in it too
    "rules": N_("Follow-ups and timed rules"),
    "suggested": N_("Suggested next steps"),
    "done": N_("Done today"),
}
GRADE_POINTS = {"A": 3.0, "B": 2.0, "C": 1.0}


@dataclass(frozen=True)
class CustomerFacts:
    id: str
    name: str
    grade: str | None
    last_touch: datetime | None = None


@dataclass(frozen=True)
class OppFacts:
    id: str
    title: str
    playbook_key: str | None
    stage_key: str | None
    stage_name: str | None
    stage_index: int
    stage_count: int
    probability: float
    amount: int | None
    stage_entered_at: datetime | None
    last_touch: datetime | None
    rot_days: int | None
    progress: float = 0.0
    currency: str | None = None  # of `amount`

    def intent(self) -> float:
        return self.probability


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    due_at: datetime | None
    status: str
    origin_kind: str
    origin: str | None
    customer: CustomerFacts
    opportunity: OppFacts | None = None
    stage_key: str | None = None
    suggested: bool = False
    completed_at: datetime | None = None
    completed_how: str | None = None
    virtual: bool = False

    @property
    def is_rule(self) -> bool:
        return self.origin_kind in RULE_ORIGINS

    @property
    def is_complaint(self) -> bool:
        return self.origin_kind == "rule" and self.origin in COMPLAINT_ORIGINS


@dataclass(frozen=True)
class Term:
    name: str
    value: float
    note: str


@dataclass
class Scored:
    item: Item
    terms: list[Term]

    @property
    def score(self) -> float:
        return round(sum(t.value for t in self.terms), 2)


@dataclass
class Group:
    customer: CustomerFacts
    opportunity: OppFacts | None
    items: list[Scored] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max((s.score for s in self.items), default=0.0)


def group_heading(group: Group) -> str:
    """The line above a group's tasks, the same in the CLI and the workbench: the
    customer, the deal with its stage and chance, and what is wrong with it."""
    head = group.customer.name
    if group.opportunity is not None:
        o = group.opportunity
        head += f" / {o.title}  [{o.stage_name or '-'} · {o.probability:.0%}]"
    if group.flags:
        head += "  (" + ", ".join(group.flags) + ")"
    return head


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group]

    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


@dataclass(frozen=True)
class Counts:
    """The queue's headline figures; the header and every panel read these, so they agree."""

    open: int  # every open task in the queue's sections, suggestions included
    overdue: int
    due_today: int  # due today, rule tasks included
    done_today: int  # finished as done today (a skip is not done)
    skipped_today: int
    # of `open`, today's work (due by the end of the rep's day): the rest is suggested or
    # due after midnight, which the end-of-day review counts as tomorrow's
    open_by_tonight: int
    no_next_step: int  # open deals with no open task
    rotting: int  # deals idle longer than their stage allows


@dataclass(frozen=True)
class EndOfDay:
    """The end-of-day review: what got done, what is still open, who was touched and
    not logged, and tomorrow's first tasks."""

    done_today: list[Item]
    still_open: list[Item]
    not_logged: list[CustomerFacts]
    tomorrow: list[Item]

    def not_logged_names(self) -> list[str]:
        """Each name once, in the order met: customers sharing a name (four
        "Northwind Home") are one entry with their number, not a repeated word."""
        seen: dict[str, int] = {}
        for c in self.not_logged:
            seen[c.name] = seen.get(c.name, 0) + 1
        return [name if n == 1 else customers_named(name, n) for name, n in seen.items()]


@dataclass
class Queue:
    mode: str
    day: Any
    now: datetime
    sections: list[Section]
    no_next_step: list[tuple[CustomerFacts, OppFacts]]
    rotting: list[tuple[CustomerFacts, OppFacts, int]]
    counts: Counts
    eod: EndOfDay | None = None


def is_overdue(item: Item, now: datetime) -> bool:
    """Overdue, the one rule: due before now, a complaint clock as any task. The header's
    count and the section headings (core/queue_heads.py) both read it."""
    return item.due_at is not None and item.due_at < now


def idle_days(opp: OppFacts, now: datetime) -> int | None:
    marks = [m for m in (opp.last_touch, opp.stage_entered_at) if m is not None]
    if not marks:
        return None
    return max(0, (now - max(marks)).days)


def is_rotting(opp: OppFacts, now: datetime) -> int | None:
    """Days idle when longer than the stage allows (its `rot_days`), else None."""
    days = idle_days(opp, now)
    if opp.rot_days is None or days is None or days <= opp.rot_days:
        return None
    return days


def score(
    item: Item, now: datetime, workday: Workday, currency: str = DEFAULT_CURRENCY
) -> list[Term]:
    terms: list[Term] = []
    if item.is_complaint:
        terms.append(Term("complaint", 10.0, "a complaint's clock"))
    if item.due_at is not None:
        late = (now - item.due_at).total_seconds() / 86400
        if late > 0:
            terms.append(
                Term("overdue", round(8 + 4 * min(late, 7) / 7, 2), f"{_span(late)} overdue")
            )
        elif item.due_at <= now + HORIZON:
            # within the next 24 hours: today's work, the less time left the higher
            left = -late
            note = "due today" if workday.today(item.due_at) == workday.today(now) else ""
            terms.append(Term("due", round(6 + 2 * (1 - left), 2), note or f"due in {_span(left)}"))
        else:
            ahead = -late
            terms.append(Term("due", round(max(0.0, 4 - ahead / 2), 2), f"due in {_span(ahead)}"))
    grade = item.customer.grade or "C"
    terms.append(Term("grade", GRADE_POINTS.get(grade, 1.0), f"grade {grade} customer"))
    opp = item.opportunity
    if opp is not None and opp.stage_count > 1:
        terms.append(
            Term(
                "stage",
                round(3 * opp.stage_index / (opp.stage_count - 1), 2),
                f"stage {opp.stage_index + 1} of {opp.stage_count}",
            )
        )
    if opp is not None and opp.amount:
        main_units = opp.amount / 100
        deal = f"deal of {main_units:,.0f}" + (f" {opp.currency}" if opp.currency else "")
        if opp.currency and opp.currency != currency:
            # sizes are compared in the team's currency; there are no exchange rates
            terms.append(Term("size", 0.0, f"{deal}: not scored, sizes count in {currency}"))
        else:
            terms.append(Term("size", round(min(3.0, math.log10(max(main_units, 1)) / 2), 2), deal))
    # the deal's own last contact first: a call about another deal leaves this one idle;
    # the words say whose it is (a deal "118 days since contact" read as wrong beside
    # its customer's contact of last week)
    on_deal = opp.last_touch if opp else None
    touch = on_deal or item.customer.last_touch
    if touch is not None:
        idle = max(0, (now - touch).days)
        whose = "the deal's" if on_deal is not None else "the customer's"
        if idle:
            words = f"{idle} days since {whose} last contact"
            terms.append(Term("idle", round(2 * min(idle, 30) / 30, 2), words))
    if item.suggested:
        terms.append(Term("suggested", -1.0, "only suggested"))
    return terms


def _span(days: float) -> str:
    if days < 1:
        hours = max(1, round(days * 24))
        return f"{hours} hour{'s' * (hours != 1)}"
    whole = int(days)
    return f"{whole} day{'s' * (whole != 1)}"


def _group(items: Iterable[Scored]) -> list[Group]:
    groups: dict[str, Group] = {}
    for scored in items:
        item = scored.item
        key = item.opportunity.id if item.opportunity else f"c:{item.customer.id}"
        group = groups.setdefault(key, Group(item.customer, item.opportunity))
        group.items.append(scored)
    for group in groups.values():
        group.items.sort(key=lambda s: -s.score)  # stable: equal scores keep due order
    return sorted(groups.values(), key=lambda g: -g.score)


def build_queue(
    *,
    items: list[Item],
    open_opportunities: list[tuple[CustomerFacts, OppFacts, bool]],
    now: datetime,
    workday: Workday,
    mode: str,
    done_today: list[Item] | None = None,
    tomorrow: list[Item] | None = None,
    logged_today: set[str] | None = None,
    suggest_limit: int = 5,
    include_done: bool = False,
    currency: str = DEFAULT_CURRENCY,
) -> Queue:
    """Sort the day's items into sections.

    `items` are the rep's open (and due snoozed) tasks plus virtual cadence
    items; `open_opportunities` lists each open opportunity with whether it has
    any open task at all. `currency`: the team's, the one deal sizes are scored in.
    """
    day = workday.today(now)
    horizon = now + HORIZON
    sections: dict[str, list[Scored]] = {
        k: [] for k in ("complaints", "overdue", "today", "rules", "suggested")
    }
    later: list[Item] = []
    far = now + timedelta(days=36500)
    for item in sorted(items, key=lambda i: i.due_at or far):
        if item.suggested:
            key = "suggested"
        elif item.is_complaint:
            key = "complaints"  # every complaint clock, however far its due time
        elif item.due_at is None or item.due_at > horizon:
            later.append(item)  # scored only if chosen as a suggestion
            continue
        elif is_overdue(item, now):
            key = "overdue"
        elif item.is_rule:
            key = "rules"
        else:
            key = "today"
        sections[key].append(Scored(item, score(item, now, workday, currency)))

    busy = {
        s.item.opportunity.id
        for k in ("complaints", "overdue", "today", "rules")
        for s in sections[k]
        if s.item.opportunity
    }
    candidates: dict[str, Item] = {}
    for item in later:
        opp = item.opportunity
        if opp is not None and opp.id not in busy and opp.id not in candidates:
            candidates[opp.id] = item
    best = sorted(
        candidates.values(), key=lambda i: -i.opportunity.intent() if i.opportunity else 0.0
    )[:suggest_limit]
    sections["suggested"] += [Scored(i, score(i, now, workday, currency)) for i in best]

    built = [Section(k, SECTION_TITLES[k], _group(v)) for k, v in sections.items()]
    if include_done and done_today:
        built.append(
            Section("done", SECTION_TITLES["done"], _group(Scored(i, []) for i in done_today))
        )

    rotting = []
    no_next = []
    for customer, opp, has_open in open_opportunities:
        days = is_rotting(opp, now)
        if days is not None:
            rotting.append((customer, opp, days))
        if not has_open:
            no_next.append((customer, opp))
    rotting.sort(key=lambda r: -r[2])
    rot_ids = {opp.id for _c, opp, _d in rotting}
    for section in built:
        for group in section.groups:
            if group.opportunity and group.opportunity.id in rot_ids:
                group.flags.append("rotting")

    # today's work not done; what is due after midnight is tomorrow's, even when the
    # queue lists it already (within 24 hours): counted once, as tomorrow's
    still_open = [
        s.item
        for k in ("complaints", "overdue", "today", "rules")
        for s in sections[k]
        if s.item.due_at is None or workday.today(s.item.due_at) <= day
    ]
    late_complaints = sum(1 for s in sections["complaints"] if is_overdue(s.item, now))
    counts = Counts(
        open=sum(s.count() for s in built if s.key != "done"),
        overdue=len(sections["overdue"]) + late_complaints,
        due_today=len(sections["today"])
        + len(sections["rules"])
        + len(sections["complaints"])
        - late_complaints,
        done_today=sum(1 for i in done_today or [] if i.status == "done"),  # skipped is not done
        skipped_today=sum(1 for i in done_today or [] if i.status == "skipped"),
        open_by_tonight=len(still_open),
        no_next_step=len(no_next),
        rotting=len(rotting),
    )
    eod: EndOfDay | None = None
    if mode == EOD:
        touched: dict[str, CustomerFacts] = {}
        for item in list(done_today or []) + [
            s.item for s in sections["complaints"] + sections["overdue"] + sections["today"]
        ]:
            touched.setdefault(item.customer.id, item.customer)
        eod = EndOfDay(
            done_today=list(done_today or []),
            still_open=still_open,
            not_logged=[c for cid, c in touched.items() if cid not in (logged_today or set())],
            tomorrow=list(tomorrow or []),
        )
    return Queue(mode, day, now, built, no_next, rotting, counts, eod)
