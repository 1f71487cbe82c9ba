"""The facts a weekly report is computed from, as loaders hand them over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from salesbench.core.history import OppFact, StageBook

CHANNELS = ("visit", "call", "email", "message", "meeting")
GRADES = ("A", "B", "C")
LEVELS = ("team", "region", "branch")
RESPOND_WITHIN = timedelta(hours=1)
SOLVE_WITHIN = timedelta(hours=24)
THANK_WITHIN = timedelta(hours=24)
THANK_CHANNELS = frozenset({"message", "email"})
TREND_WEEKS = 8
NOBODY = "(none)"
# Playbook fields the report adds up where a playbook records them (generic-10).
UNITS_FIELD = "units"
SATISFACTION_FIELD = "satisfaction"
RESULT_COLUMNS = frozenset({"won_units", "satisfaction"})  # shown only when recorded


@dataclass(frozen=True)
class RepFact:
    id: str
    name: str
    team: str | None = None
    region: str | None = None
    branch: str | None = None


class ActivityFact(NamedTuple):
    rep: str
    customer: str
    channel: str
    at: datetime


class TaskFact(NamedTuple):
    rep: str
    status: str
    # None: created long before the weeks in question (loaders may leave it out
    # where the task cannot be overdue)
    created_at: datetime | None
    due_at: datetime | None = None
    completed_at: datetime | None = None
    customer: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class ComplaintFact:
    rep: str
    received_at: datetime
    responded_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class CustomerFact:
    id: str
    rep: str
    grade: str | None
    status: str
    created_at: datetime
    cadence_days: int  # of its grade, the strictest among its deals' playbooks


@dataclass
class WeeklyFacts:
    reps: list[RepFact]
    activities: list[ActivityFact] = field(default_factory=list)
    tasks: list[TaskFact] = field(default_factory=list)
    opps: list[OppFact] = field(default_factory=list)
    complaints: list[ComplaintFact] = field(default_factory=list)
    customers: list[CustomerFact] = field(default_factory=list)
    stages: StageBook = field(default_factory=dict)
    # tasks done per (rep, week label) in the trend's weeks before the previous one,
    # counted by the store: the trend needs nothing else of them
    earlier_done: dict[tuple[str, str], int] = field(default_factory=dict)


class Tally(dict[str, float]):
    """Named counts and sums of one rep or group; a missing name is zero."""

    def __missing__(self, key: str) -> float:
        return 0

    def add(self, other: Tally) -> Tally:
        for key, value in other.items():
            self[key] = self[key] + value
        return self
