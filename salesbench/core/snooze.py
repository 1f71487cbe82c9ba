"""When a snoozed task comes back: presets a rep can type or pick."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from salesbench.core.date_range import (
    MAX_DURATION,
    MAX_DURATION_DAYS,
    OutOfRange,
    check_day,
    check_instant,
)
from salesbench.core.fields import iso_datetime
from salesbench.core.i18n import _
from salesbench.core.workday import Workday

PRESETS = ("1h", "tomorrow", "next-week")
_HOURS = re.compile(r"^(\d+)\s*h$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# a date and a time of day on the rep's clock: "2026-12-03 15:00" (or with a T)
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[ t](\d{1,2}:\d{2})$")


def snooze_until(spec: str, now: datetime, workday: Workday) -> datetime:
    """`1h`/`3h`, `tomorrow` (next working morning), `next-week` (first working morning of
    next week), a date (that day's opening), a date and time of day in the rep's
    timezone (`2026-12-03 15:00`) or a date and time with offset."""
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
    if _DAY.match(text):
        return workday.on_working_time(workday.opens(_day(spec, text)))
    local = _LOCAL.match(text)
    if local:
        return check_instant(workday.at(_day(spec, local.group(1)), _clock(spec, local.group(2))))
    try:
        return iso_datetime(spec)
    except OutOfRange:
        raise
    except ValueError:
        wrong = _(
            "{spec!r} is not a snooze time (use 1h, tomorrow, next-week, "
            "YYYY-MM-DD, YYYY-MM-DD HH:MM or an ISO date and time)"
        )
        raise ValueError(wrong.format(spec=spec)) from None


def _day(spec: str, text: str) -> date:
    try:
        return check_day(date.fromisoformat(text))
    except OutOfRange:
        raise
    except ValueError:
        if spec.strip() == text:  # the day alone: named once
            raise ValueError(_("{text} is not a day of the calendar").format(text=text)) from None
        wrong = _("{spec!r}: {text} is not a day of the calendar")
        raise ValueError(wrong.format(spec=spec, text=text)) from None


def _clock(spec: str, text: str) -> time:
    found = _hours_minutes(text)
    if found is None:
        wrong = _("{spec!r}: {text} is not a time of day (00:00 to 23:59)")
        raise ValueError(wrong.format(spec=spec, text=text))
    return found


def _hours_minutes(text: str) -> time | None:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(hours, minutes) if hours <= 23 and minutes <= 59 else None


_TIME = re.compile(r"^\d{1,2}:\d{2}$")


def calendar_day(text: str) -> date:
    """A day typed on its own (a form's Day field), or ValueError in the rep's words."""
    text = text.strip()
    if not text:
        raise ValueError(_("give the day, as YYYY-MM-DD"))
    if not _DAY.match(text):
        raise ValueError(_("{text!r} is not a day: write it as YYYY-MM-DD").format(text=text))
    try:
        return check_day(date.fromisoformat(text))
    except OutOfRange:
        raise
    except ValueError:
        raise ValueError(_("{text} is not a day of the calendar").format(text=text)) from None


def time_of_day(text: str) -> time:
    """A time typed on its own (a form's Time field), or ValueError in the rep's words."""
    text = text.strip()
    if not text:
        raise ValueError(_("give the time of day, as HH:MM"))
    if not _TIME.match(text):
        wrong = _("{text!r} is not a time of day: write it as HH:MM")
        raise ValueError(wrong.format(text=text))
    found = _hours_minutes(text)
    if found is None:
        raise ValueError(_("{text} is not a time of day (00:00 to 23:59)").format(text=text))
    return found
