"""When a snoozed task comes back: presets a rep can type or pick."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from salesbench.core.date_range import (
    MAX_DURATION,
    MAX_DURATION_DAYS,
    OutOfRange,
    check_day,
    check_instant,
)
from salesbench.core.fields import iso_datetime
from salesbench.core.workday import Workday

PRESETS = ("1h", "tomorrow", "next-week")
_HOURS = re.compile(r"^(\d+)\s*h$")


def snooze_until(spec: str, now: datetime, workday: Workday) -> datetime:
    """`1h`/`3h`, `tomorrow` (next working morning), `next-week` (first working morning of
    next week), a date (that day's opening) or a date and time with offset."""
    text = spec.strip().lower()
    m = _HOURS.match(text)
    if m:
        hours = m.group(1).lstrip("0") or "0"
        if len(hours) > 9 or timedelta(hours=int(hours)) > MAX_DURATION:
            raise OutOfRange(f"{spec!r} is more than {MAX_DURATION_DAYS} days away")
        return check_instant(now + timedelta(hours=int(hours)))
    today = workday.today(now)
    if text == "tomorrow":
        return workday.opens(workday.next_working_day(today))
    if text in ("next-week", "next week"):
        monday = today + timedelta(days=7 - today.weekday())
        day = monday if workday.is_working_day(monday) else workday.next_working_day(monday)
        return workday.opens(day)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return workday.on_working_time(workday.opens(check_day(day)))
    try:
        return iso_datetime(spec)
    except OutOfRange:
        raise
    except ValueError:
        raise ValueError(
            f"{spec!r} is not a snooze time (use 1h, tomorrow, next-week, "
            "YYYY-MM-DD or an ISO date and time)"
        ) from None
