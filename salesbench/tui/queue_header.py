"""The queue's two header lines, in the rep's language: which review, the day and the
rep; then the day's counts (the one definition in core.queue.Counts)."""

from __future__ import annotations

from datetime import date

from salesbench.core.i18n import N_, _
from salesbench.core.queue import Counts, Queue
from salesbench.tui.base import escape

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def weekday(day: date) -> str:
    """The day's name in the language in use (strftime's %A is the C locale's)."""
    return _(WEEKDAYS[day.weekday()])


def title(queue: Queue, rep_name: str) -> str:
    review = _("End-of-day review") if queue.mode == "eod" else _("Morning review")
    return f"[b]{review}[/b]  ·  {weekday(queue.day)} {queue.day:%Y-%m-%d}  ·  {escape(rep_name)}"


def counts(c: Counts) -> str:
    line = _("{open} open · {overdue} overdue · {done} done today").format(
        open=c.open, overdue=c.overdue, done=c.done_today
    )
    if c.rotting:
        line += _(" · {n} rotting").format(n=c.rotting)
    if c.no_next_step:
        line += _(" · {n} without a next step").format(n=c.no_next_step)
    return line
