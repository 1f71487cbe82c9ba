"""A queue section's heading as the workbench and the CLI print it: its title and how
many rows it holds, and for the complaint clocks how many have run out, so the headings
add up to the header's overdue figure (Counts.overdue)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from salesbench.core.queue import Item, Section, is_overdue


def section_heading(section: Section, items: Iterable[Item], now: datetime) -> str:
    """`items`: the section's rows on show (a filter may hide some)."""
    shown = list(items)
    late = sum(1 for i in shown if is_overdue(i, now)) if section.key == "complaints" else 0
    return f"{section.title} ({len(shown)}" + (f", {late} overdue)" if late else ")")
