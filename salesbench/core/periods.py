"""Report periods: ISO weeks, months and quarters as UTC instants in a timezone.

A team lead in Shanghai means Monday 00:00 Shanghai time by "this week", not
Monday 00:00 UTC; every boundary is computed in the report's timezone and then
compared with the UTC timestamps of the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from salesbench.core.date_range import check_year
from salesbench.core.errors import BadInput
from salesbench.core.workday import zone

PERIOD_KINDS = ("week", "month", "quarter")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    kind: str  # week | month | quarter
    first: date  # the first local day
    last: date  # the last local day, inclusive
    tz: str

    @property
    def label(self) -> str:
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"

    @cached_property
    def start(self) -> datetime:
        """The first instant, in UTC."""
        return datetime.combine(self.first, time(0), zone(self.tz)).astimezone(UTC)

    @cached_property
    def end(self) -> datetime:
        """The instant after the last one, in UTC."""
        nxt = self.last + timedelta(days=1)
        return datetime.combine(nxt, time(0), zone(self.tz)).astimezone(UTC)

    def contains(self, at: datetime | None) -> bool:
        return at is not None and self.start <= at < self.end

    def previous(self) -> Period:
        return period_of(self.kind, self.first - timedelta(days=1), self.tz)

    def next(self) -> Period:
        return period_of(self.kind, self.last + timedelta(days=1), self.tz)


def period_of(kind: str, day: date, tz: str) -> Period:
    """The period of `kind` holding the local day `day`."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=6), tz)
    if kind == "month":
        first = day.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return Period(kind, first, nxt - timedelta(days=1), tz)
    if kind == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        nxt = (first + timedelta(days=95)).replace(day=1)
        return Period(kind, first, nxt - timedelta(days=1), tz)
    raise BadInput(f"unknown period {kind!r} (expected {', '.join(PERIOD_KINDS)})")


def current(kind: str, now: datetime, tz: str) -> Period:
    return period_of(kind, now.astimezone(zone(tz)).date(), tz)


def parse_week(text: str, tz: str, *, field: str = "week") -> Period:
    """`2026-W47` (or `2026W47`), checked against the year's real number of ISO weeks;
    errors name `field` (the option the week came from)."""
    m = _WEEK.match(text.strip())
    if not m:
        raise BadInput(f"{text!r} is not an ISO week (use YYYY-Www, e.g. 2026-W47)", field=field)
    year, week = _year(m.group(1), field), int(m.group(2))
    try:
        first = date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = date(year, 12, 28).isocalendar()[1]
        raise BadInput(f"{year} has ISO weeks 1 to {weeks}, not {week}", field=field) from None
    return Period("week", first, first + timedelta(days=6), tz)


def parse_month(text: str, tz: str, *, field: str = "month") -> Period:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BadInput(f"{text!r} is not a month (use YYYY-MM)", field=field)
    return period_of("month", date(_year(m.group(1), field), int(m.group(2)), 1), tz)


def parse_period(kind: str, text: str, tz: str, *, field: str | None = None) -> Period:
    """A named period: 2026-W47, 2026-11 or 2026-Q4."""
    if kind == "week":
        return parse_week(text, tz, field=field or kind)
    if kind == "month":
        return parse_month(text, tz, field=field or kind)
    m = _QUARTER.match(text.strip())
    if kind != "quarter" or not m:
        raise BadInput(f"{text!r} is not a {kind} (e.g. 2026-W47, 2026-11, 2026-Q4)", field=field)
    year = _year(m.group(1), field or kind)
    return period_of("quarter", date(year, (int(m.group(2)) - 1) * 3 + 1, 1), tz)


def _year(digits: str, field: str) -> int:
    try:
        return check_year(int(digits))
    except ValueError as exc:
        raise BadInput(str(exc), field=field) from None
