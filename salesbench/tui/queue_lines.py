"""The queue's lines: a task's, and a deal's that has no next step."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from salesbench.core.i18n import _
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
SKIPPED = "–"  # among today's finished: not done, passed over (as the deal screen marks it)
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
    said = _("No next step ({n})").format(n=len(rows))
    head = Option(Text(said, style="reverse"), disabled=True)
    return ([head, *rows] if rows else []), found


class Hanging(Visual):
    """A line whose wrapped part stays under its text, not under its mark and time (a
    hanging indent): "  ! 11-23 10:00  Record the visit: source," then "  companions"
    lined up under "Record". Too narrow for that, it wraps as plain text does."""

    NARROWEST = 12  # cells left for the text under the indent

    def __init__(self, head: Text, body: Text) -> None:
        self.head, self.body = Content.from_rich_text(head), Content.from_rich_text(body)
        self.indent = self.head.cell_length
        self.style = str(body.style)  # the blank under the mark wears it too

    def __str__(self) -> str:
        return self.head.plain + self.body.plain

    def _whole(self) -> Content:
        return self.head + self.body

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width - self.indent < self.NARROWEST:
            return self._whole().render_strips(width, height, style, options)
        body = self.body.render_strips(width - self.indent, height, style, options)
        head = self.head.render_strips(self.indent, 1, style, options)
        under = Content.styled(" " * self.indent, self.style or "")
        blank = under.render_strips(self.indent, 1, style, options)
        return [Strip.join([(head if n == 0 else blank)[0], line]) for n, line in enumerate(body)]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width - self.indent < self.NARROWEST:
            return self._whole().get_height(rules, width)
        return self.body.get_height(rules, width - self.indent)


def task_line(tz: Any, section: str, item: Item) -> Hanging:
    """`tz` is the rep's workday (None: no rep yet)."""
    due = tz.local(item.due_at).strftime("%m-%d %H:%M") if tz and item.due_at else _("any time")
    style = "bold red" if section == "overdue" else "dim" if section == "done" else ""
    mark = SKIPPED if item.status == "skipped" else MARKS.get(section, "·")
    return Hanging(plain(f"  {mark} {due}  ", style), plain(item.title, style))


def next_in_place(before: list[str], selected: str | None, present: Collection[str]) -> str | None:
    """The task that takes the place of `selected` once it has left the list (done,
    skipped, snoozed): the next one below it in `before` still `present`, else the one
    above; None when the rep was not on a task of that list."""
    if selected not in before:
        return None
    at = before.index(selected)
    still = [i for i in before[at + 1 :] + before[:at][::-1] if i in present]
    return still[0] if still else None


def made_real(selected: str | None, was: dict[str, Item], now: dict[str, Item]) -> str | None:
    """A cadence follow-up becomes a real task once the rep rests on it (its detail is
    written then): the real task is the same place, under its new id."""
    old = was.get(selected or "")
    if old is None or not (selected or "").startswith("cadence:"):
        return None
    return next(
        (
            i
            for i, item in now.items()
            if not i.startswith("cadence:")
            and item.opportunity is None
            and item.customer.id == old.customer.id
            and item.title == old.title
        ),
        None,
    )
