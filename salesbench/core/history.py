"""An opportunity's state at a past moment, rebuilt from its stage moves and task times.

Reports look at the end of last week and forecasts are back-tested on what a
deal looked like before it closed; both need the stage it was in and how much
of that stage's SOP was done at that moment, not as it stands today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from salesbench.core.stage_rule import counts_as_done, stage_tally


@dataclass(frozen=True)
class StageFact:
    """What reports need of a playbook stage."""

    playbook: str
    key: str
    name: str
    index: int
    probability: float
    required: frozenset[str]  # the task keys that count for completion
    gate: frozenset[str] = frozenset()  # tasks a gate opens here: they count while opened


StageBook = Mapping[tuple[str, str], StageFact]


class MoveFact(NamedTuple):
    at: datetime
    rep: str
    from_stage: str | None
    to_stage: str
    via: str = "advance"


class StepFact(NamedTuple):
    """A playbook task of a stage: finished (done or skipped) at `at`, or still open
    (`at` None); `created` when it was opened, if known."""

    stage: str | None
    key: str
    at: datetime | None
    status: str = "done"
    created: datetime | None = None

    def status_at(self, at: datetime) -> str | None:
        """Its status at `at`: None before it existed, open until it was finished."""
        if self.created is not None and self.created >= at:
            return None
        if self.at is not None and self.at < at:
            return self.status
        return "open"


@dataclass(slots=True)
class OppFact:
    id: str
    rep: str
    customer: str
    title: str
    amount: int | None  # minor units
    status: str  # open | won | lost, now
    created_at: datetime
    closed_at: datetime | None = None
    lost_reason: str | None = None
    playbook: str | None = None
    stage: str | None = None  # now
    mode: str | None = None
    expected_close: str | None = None  # ISO date
    grade: str | None = None  # the customer's, now
    moves: tuple[MoveFact, ...] = ()  # in time order; may start after creation
    steps: tuple[StepFact, ...] = ()
    custom: Mapping[str, object] = field(default_factory=dict)
    customer_name: str = ""
    currency: str = "CNY"  # of amount

    def is_open_at(self, at: datetime) -> bool:
        if self.created_at >= at:
            return False
        return self.status == "open" or (self.closed_at is not None and self.closed_at >= at)

    def closed_within(self, start: datetime, end: datetime) -> bool:
        return self.closed_at is not None and start <= self.closed_at < end

    def stage_at(self, at: datetime) -> str | None:
        """The stage at `at`: where the first later move started from, else the stage now."""
        for move in self.moves:
            if move.at >= at:
                return move.from_stage
        return self.stage


def completion_at(
    opp: OppFact, at: datetime, stages: StageBook, stage: str | None = None
) -> float | None:
    """The share of the stage's SOP done before `at` (the engine's rule: skipped is not
    done, an opened turnaround task counts); None off a playbook."""
    stage = stage if stage is not None else opp.stage_at(at)
    if opp.playbook is None or stage is None:
        return None
    fact = stages.get((opp.playbook, stage))
    if fact is None:
        return None
    statuses: dict[str, set[str]] = {}
    for step in opp.steps:
        then = step.status_at(at) if step.stage == stage else None
        if then is not None:
            statuses.setdefault(step.key, set()).add(then)
    keys, finished = stage_tally(sorted(fact.required), fact.gate, statuses)
    return len(finished) / len(keys) if keys else 1.0


def earlier_completion_at(opp: OppFact, at: datetime, stages: StageBook) -> float | None:
    """The share of required tasks of the stages before the current one finished by `at`;
    None when the deal is in its first stage (nothing earlier to have skipped)."""
    stage = opp.stage_at(at)
    if opp.playbook is None or stage is None:
        return None
    current = stages.get((opp.playbook, stage))
    if current is None:
        return None
    earlier = [
        f
        for (pb, _), f in stages.items()
        if pb == opp.playbook and f.index < current.index and f.required
    ]
    total = sum(len(f.required) for f in earlier)
    if not total:
        return None
    done = {(s.stage, s.key) for s in opp.steps if counts_as_done(s.status_at(at) or "not yet")}
    finished = sum(1 for f in earlier for k in f.required if (f.key, k) in done)
    return finished / total
