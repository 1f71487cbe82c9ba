"""The dates and times salesbench can represent, checked once for every input.

Python's dates end at 9999-12-31 and start at 0001-01-01; a queue for the last day
looks a day ahead, a report for the last week compares with the one after, a due
rule adds up to ten years, and a time with a +14:00 offset on the first day lies
before the first UTC instant. Every date, period and time a person types is kept
within `FIRST_YEAR`..`LAST_YEAR`, where all of that stays representable, and every
duration within `MAX_DURATION`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

FIRST_YEAR = 1900
LAST_YEAR = 9000  # leaves room for a due rule (MAX_DURATION) and the next period
MAX_DURATION_DAYS = 3650
MAX_DURATION = timedelta(days=MAX_DURATION_DAYS)
RANGE_TEXT = f"{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"


class OutOfRange(ValueError):
    """A well-formed date, time or duration beyond what salesbench handles."""


def check_year(year: int) -> int:
    """`year` if salesbench can represent it, else OutOfRange saying the range."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"year {year} is outside the dates salesbench handles ({RANGE_TEXT})")
    return year


def check_day(day: date) -> date:
    check_year(day.year)
    return day


def check_instant(at: datetime) -> datetime:
    """An aware time within range, in UTC terms as well as in its own offset."""
    check_year(at.year)
    if at.tzinfo is not None:
        check_year(at.astimezone(UTC).year)
    return at


def check_duration(delta: timedelta) -> timedelta:
    if delta > MAX_DURATION:
        raise OutOfRange(f"is longer than {MAX_DURATION_DAYS} days")
    return delta
