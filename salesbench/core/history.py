"""An opportunity's state at a past moment, rebuilt from its stage moves and task times.

Reports look at the end of last week and forecasts are back-tested on what a
deal looked like before it closed; both need the stage it was in and how much
of that stage's SOP was done at that moment, not as it stands today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from salesbench.core.stage_rule import done_keys, stage_tally


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

# A deal's playbook tasks: per stage, per status, the keys of its tasks with a copy in
# that status. Rebuilt for a past moment from the steps' times (`progress_from`), or
# read as it stands for a forecast of today.
Progress = Mapping[str, Mapping[str, Collection[str]]]


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
    # read as it stands instead of `steps`: such a fact is only asked about now
    progress: Progress | None = None

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

    def progress_at(self, at: datetime) -> Progress:
        """Its playbook tasks at `at`: from the steps' times, or as they stand when the
        fact was read so (a forecast of today asks about nothing else)."""
        if self.progress is not None:
            return self.progress
        return progress_from(self.steps, at)


def progress_from(steps: Iterable[StepFact], at: datetime) -> dict[str, dict[str, set[str]]]:
    """What `steps` were at `at`, per stage and status; those not yet created left out."""
    out: dict[str, dict[str, set[str]]] = {}
    for step in steps:
        then = step.status_at(at)
        if then is not None and step.stage is not None:
            out.setdefault(step.stage, {}).setdefault(then, set()).add(step.key)
    return out


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
    return stage_share(opp.progress_at(at), fact)


def stage_share(progress: Progress, fact: StageFact) -> float:
    """The share of `fact`'s stage SOP done in `progress`."""
    keys, finished = stage_tally(sorted(fact.required), fact.gate, progress.get(fact.key, {}))
    return len(finished) / len(keys) if keys else 1.0


def earlier_share(progress: Progress, stages: StageBook, current: StageFact) -> float | None:
    """The share of the required tasks of the stages before `current` done in `progress`;
    None when there are none (the first stage)."""
    earlier = [
        f
        for (pb, _), f in stages.items()
        if pb == current.playbook and f.index < current.index and f.required
    ]
    total = sum(len(f.required) for f in earlier)
    if not total:
        return None
    finished = sum(
        len(f.required.intersection(done_keys(progress.get(f.key, {})))) for f in earlier
    )
    return finished / total
