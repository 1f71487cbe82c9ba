"""The queue's title line, in the rep's language: which review, the day and the rep
(the counts under it are core/queue_heads.py's, as the CLI prints them)."""

from __future__ import annotations

from salesbench.core.labels import weekday
from salesbench.core.queue import Queue
from salesbench.core.queue_heads import review_name
from salesbench.tui.base import escape


def title(queue: Queue, rep_name: str) -> str:
    review = review_name(queue.mode)
    return f"[b]{review}[/b]  ·  {weekday(queue.day)} {queue.day:%Y-%m-%d}  ·  {escape(rep_name)}"
