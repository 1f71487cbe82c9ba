"""The rep's pipeline: every open deal by stage, with how long it has stood there,
its next task and what is wrong with it.

Rotting and "no next step" mean what they mean in the queue (core/queue.py): a deal
rots when idle longer than its stage allows (`is_rotting`), and has no next step when
the rep holds no open task on it. Input is plain facts read by the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from salesbench.core.i18n import N_
from salesbench.core.queue import CustomerFacts, OppFacts, is_rotting

# the orders a key cycles through, each with the words the screen shows for it
SORTS: dict[str, str] = {  # shown translated (core/i18n.py)
    "amount": N_("amount"),
    "days": N_("days in stage"),
    "close": N_("expected close"),
    "next": N_("next due"),
}


@dataclass(frozen=True)
class NextTask:
    id: str
    title: str
    due_at: datetime | None


@dataclass(frozen=True)
class Deal:
    customer: CustomerFacts
    opportunity: OppFacts
    expected_close: date | None
    next_task: NextTask | None  # the rep's open task on it due first
    days_in_stage: int | None
    rotting: int | None  # days idle when longer than the stage allows, else None

    @property
    def no_next_step(self) -> bool:
        return self.next_task is None

    def label(self) -> str:
        return f"{self.customer.name} / {self.opportunity.title}"


@dataclass(frozen=True)
class StageGroup:
    name: str
    deals: list[Deal]


def deal_of(
    customer: CustomerFacts,
    opportunity: OppFacts,
    expected_close: date | None,
    next_task: NextTask | None,
    now: datetime,
) -> Deal:
    entered = opportunity.stage_entered_at
    return Deal(
        customer,
        opportunity,
        expected_close,
        next_task,
        max(0, (now - entered).days) if entered is not None else None,
        is_rotting(opportunity, now),
    )


def next_sort(current: str) -> str:
    keys = list(SORTS)
    return keys[(keys.index(current) + 1) % len(keys)]


def matches(deal: Deal, needle: str) -> bool:
    """Typed text found in the customer's name or the deal's title, any case; leading
    flags (! rotting, ? no next step) keep only the deals that carry them."""
    text = needle.lstrip("!? ")
    flags = set(needle[: len(needle) - len(text)])
    if "!" in flags and deal.rotting is None:
        return False
    if "?" in flags and not deal.no_next_step:
        return False
    return not text or text.casefold() in deal.label().casefold()


_FAR = datetime.max.replace(tzinfo=None)


def _sort_key(sort: str, deal: Deal) -> tuple[object, ...]:
    label = deal.label().casefold()
    if sort == "amount":  # biggest first; no amount last (currencies are not converted)
        return (deal.opportunity.amount is None, -(deal.opportunity.amount or 0), label)
    if sort == "days":  # longest in its stage first
        return (deal.days_in_stage is None, -(deal.days_in_stage or 0), label)
    if sort == "close":  # soonest close first; none last
        return (deal.expected_close is None, deal.expected_close or date.max, label)
    # next due: a deal with no next step first (it needs one now), then the soonest
    due = deal.next_task.due_at if deal.next_task else None
    has_due = deal.next_task is not None and due is not None
    return (
        deal.next_task is not None,
        not has_due,
        due.replace(tzinfo=None) if due is not None else _FAR,
        label,
    )


def by_stage(deals: list[Deal], sort: str = "amount", needle: str = "") -> list[StageGroup]:
    """The deals `needle` matches, grouped by stage in the order of the playbook (the
    earliest stage first), each group in `sort` order."""
    groups: dict[tuple[int, str], list[Deal]] = {}
    for deal in deals:
        if matches(deal, needle):
            o = deal.opportunity
            name = o.stage_name or o.stage_key or "no stage"
            groups.setdefault((o.stage_index, name), []).append(deal)
    return [
        StageGroup(name, sorted(found, key=lambda d: _sort_key(sort, d)))
        for (_index, name), found in sorted(groups.items())
    ]
