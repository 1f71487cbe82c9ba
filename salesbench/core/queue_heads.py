"""A queue section's heading as the workbench and the CLI print it: its title and how
many rows it holds, and for the complaint clocks how many have run out, so the headings
add up to the header's overdue figure (Counts.overdue)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from salesbench.core.i18n import _
from salesbench.core.queue import Counts, Item, Section, is_overdue


def section_heading(section: Section, items: Iterable[Item], now: datetime) -> str:
    """`items`: the section's rows on show (a filter may hide some)."""
    shown = list(items)
    if section.key == "done":  # done as the header counts it; the skips listed beside
        skipped = sum(1 for i in shown if i.status == "skipped")
        if skipped:
            return _("{title} ({n}, {skipped} skipped)").format(
                title=_(section.title), n=len(shown) - skipped, skipped=skipped
            )
    late = sum(1 for i in shown if is_overdue(i, now)) if section.key == "complaints" else 0
    if late:
        return _("{title} ({n}, {late} overdue)").format(
            title=_(section.title), n=len(shown), late=late
        )
    return _("{title} ({n})").format(title=_(section.title), n=len(shown))


def counts_line(c: Counts, *, next_steps: bool = True) -> str:
    """The header's counts ("12 open · 3 overdue · 4 done today · 2 rotting"); the
    deals without a next step too unless `next_steps` is off (the CLI lists them)."""
    line = _("{open} open · {overdue} overdue · {done} done today").format(
        open=c.open, overdue=c.overdue, done=c.done_today
    )
    if c.rotting:
        line += _(" · {n} rotting").format(n=c.rotting)
    if c.no_next_step and next_steps:
        line += _(" · {n} without a next step").format(n=c.no_next_step)
    return line


def review_name(mode: str) -> str:
    """Which review the queue is: the morning's or the end of the day's."""
    return _("End-of-day review") if mode == "eod" else _("Morning review")
