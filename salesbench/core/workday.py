"""Working days and hours: where due times land and which review fits the moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from salesbench.core.durations import Duration

MORNING = "morning"
EOD = "eod"


def parse_hhmm(value: str) -> time:
    try:
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day (use HH:MM)") from None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known timezone (e.g. Asia/Shanghai)") from None


@dataclass(frozen=True)
class Workday:
    """A rep's working week: timezone, opening hours and working weekdays (Mon=0)."""

    tz: str = "Asia/Shanghai"
    start: time = time(9, 0)
    end: time = time(18, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    def __post_init__(self) -> None:
        zone(self.tz)
        if self.start >= self.end:
            raise ValueError("the workday must start before it ends")
        if not self.weekdays:
            raise ValueError("at least one working weekday is needed")

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)

    def today(self, now: datetime) -> date:
        return self.local(now).date()

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.zone).astimezone(UTC)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def opens(self, day: date) -> datetime:
        return self.at(day, self.start)

    def closes(self, day: date) -> datetime:
        return self.at(day, self.end)

    def on_working_time(self, due: datetime) -> datetime:
        """Move a due time off closed days, to the next working morning."""
        day = self.local(due).date()
        if self.is_working_day(day):
            return due.astimezone(UTC)
        return self.opens(self.next_working_day(day))

    def due(self, start: datetime, rule: Duration) -> datetime:
        """When a task with this due rule, started at `start`, is due.

        "P3D" means by the close of the third day; "PT24H" means exactly 24 hours on.
        Either way a due time on a closed day moves to the next working morning.
        """
        if rule.has_time:
            return self.on_working_time(start + rule.delta)
        day = self.local(start + rule.delta).date()
        if not self.is_working_day(day):
            return self.opens(self.next_working_day(day))
        return self.closes(day)

    def review_mode(self, now: datetime) -> str | None:
        """Morning review in the first half of a working day, end-of-day in the second.

        None outside working hours: prompts never come after hours.
        """
        local = self.local(now)
        if not self.is_working_day(local.date()):
            return None
        opens, closes = self.opens(local.date()), self.closes(local.date())
        if not opens <= now.astimezone(UTC) < closes:
            return None
        return MORNING if now.astimezone(UTC) < opens + (closes - opens) / 2 else EOD

    def default_mode(self, now: datetime) -> str:
        """The review to show when asked outside working hours: the next one due."""
        mode = self.review_mode(now)
        if mode is not None:
            return mode
        local = self.local(now)
        if self.is_working_day(local.date()) and local.time() >= self.end:
            return EOD
        return MORNING
