"""Lines of markup that wrap under their own text: an indented line ("  ✓ Welcome the
customer…", "  2026-08-14 10:27  visit  Measured the living room") continues under its
text, not at the left edge. A Chinese sentence has no spaces to break at, so a wrapping
terminal moved it whole to the next line, at column 0, under the mark it belongs to."""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from salesbench.tui.queue_lines import Hanging

# where an indented line's text starts: after its spaces and a one-character mark
# (✓ – · ! ?) or a time ("2026-08-14 10:27  ", "11-23 10:00  "); or after a step's
# number ("1. ", "2、"), so a Chinese step starts beside it, not on the next line
_HEAD = re.compile(r" +(?:\d{4}-\d\d-\d\d(?: \d\d:\d\d)?  |\S )?|\d{1,2}[.、)）] *")


def hanging(markup: str) -> Visual:
    """One line of markup as a Visual: an indented line hangs under its text."""
    text = Text.from_markup(markup)
    found = _HEAD.match(text.plain)
    if found is None or found.end() >= len(text.plain):
        return Content.from_rich_text(text)
    head, body = text.divide([found.end()])
    return Hanging(head, body)


class Lines(Visual):
    """Visuals one under another, as a Static shows them."""

    def __init__(self, lines: list[Visual]) -> None:
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(str(line) for line in self.lines)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for line in self.lines:
            strips += line.render_strips(width, None, style, options)
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((v.get_optimal_width(rules, container_width) for v in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(v.get_height(rules, width) for v in self.lines)


def hanging_lines(lines: list[str]) -> Lines:
    """`lines` of markup, each wrapping under its own text (see `hanging`)."""
    return Lines([hanging(line) for line in lines])


def titled_text(title: str, text: str) -> Lines:
    """A bold `title` over plain `text` (a task's "How"), each line of it hanging."""
    from salesbench.tui.base import escape

    lines = [hanging(escape(line)) for line in text.split("\n")]
    return Lines([Content.from_markup(f"[b]{escape(title)}[/b]"), *lines])
