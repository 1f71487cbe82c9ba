"""A queue section's heading as the workbench and the CLI print it: its title and how
many rows it holds, and for the complaint clocks how many have run out, so the headings
add up to the header's overdue figure (Counts.overdue)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from salesbench.core.i18n import _
from salesbench.core.queue import Item, Section, is_overdue


def section_heading(section: Section, items: Iterable[Item], now: datetime) -> str:
    """`items`: the section's rows on show (a filter may hide some)."""
    shown = list(items)
    late = sum(1 for i in shown if is_overdue(i, now)) if section.key == "complaints" else 0
    if late:
        return _("{title} ({n}, {late} overdue)").format(
            title=_(section.title), n=len(shown), late=late
        )
    return _("{title} ({n})").format(title=_(section.title), n=len(shown))
