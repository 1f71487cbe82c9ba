"""The queue's lines: a task's, and a deal's that has no next step."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rich.text import Text
from textual.widgets.option_list import Option

from salesbench.core.queue import Item, OppFacts
from salesbench.tui.base import plain

MARKS = {
    "complaints": "‼",
    "overdue": "!",
    "today": "•",
    "rules": "⟳",
    "suggested": "→",
    "done": "✓",
}
DEAL = "deal:"  # the option id of a deal with no next step (no open task)


def deal_options(
    deals: list[tuple[Any, OppFacts]], needle: str
) -> tuple[list[Option], dict[str, OppFacts]]:
    """The deals with no open task (waiting at a gate, say): `o` opens them."""
    rows: list[Option] = []
    found: dict[str, OppFacts] = {}
    for customer, opp in deals:
        line = f"{customer.name} / {opp.title}  [{opp.stage_name or '-'}]"
        if needle and needle not in line.casefold():
            continue
        rows.append(Option(plain(f"  ? {line}"), id=DEAL + opp.id))
        found[DEAL + opp.id] = opp
    head = Option(Text(f"No next step ({len(rows)})", style="reverse"), disabled=True)
    return ([head, *rows] if rows else []), found


def task_line(tz: Any, section: str, item: Item) -> Text:
    """`tz` is the rep's workday (None: no rep yet)."""
    due = tz.local(item.due_at).strftime("%m-%d %H:%M") if tz and item.due_at else "any time"
    text = plain(f"  {MARKS.get(section, '·')} {due}  {item.title}")
    if section == "overdue":
        text.stylize("bold red")
    elif section == "done":
        text.stylize("dim")
    return text


def next_in_place(before: list[str], selected: str | None, present: Collection[str]) -> str | None:
    """The task that takes the place of `selected` once it has left the list (done,
    skipped, snoozed): the next one below it in `before` still `present`, else the one
    above; None when the rep was not on a task of that list."""
    if selected not in before:
        return None
    at = before.index(selected)
    still = [i for i in before[at + 1 :] + before[:at][::-1] if i in present]
    return still[0] if still else None
