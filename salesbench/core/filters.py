"""The filter language of bulk actions: `grade:A stage:negotiation due:overdue`."""

from __future__ import annotations

from datetime import datetime

from salesbench.core.errors import BadInput
from salesbench.core.queue import Item
from salesbench.core.workday import Workday

KEYS = ("grade", "stage", "playbook", "customer", "origin", "due", "title")
DUE_VALUES = ("overdue", "today", "later", "none")


def parse_filter(text: str) -> dict[str, str]:
    terms: dict[str, str] = {}
    for token in text.split():
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or not value:
            raise BadInput(f"{token!r} is not key:value (keys: {', '.join(KEYS)})", field="filter")
        if key not in KEYS:
            raise BadInput(f"unknown filter key {key!r} (keys: {', '.join(KEYS)})", field="filter")
        if key == "due" and value.lower() not in DUE_VALUES:
            raise BadInput(f"due must be one of {', '.join(DUE_VALUES)}", field="filter")
        terms[key] = value
    if not terms:
        raise BadInput("an empty filter would match everything; say what to act on", field="filter")
    return terms


def matches(item: Item, terms: dict[str, str], now: datetime, workday: Workday) -> bool:
    opp = item.opportunity
    for key, value in terms.items():
        folded = value.casefold()
        if key == "grade" and (item.customer.grade or "").casefold() != folded:
            return False
        if key == "stage" and (item.stage_key or (opp.stage_key if opp else "") or "") != value:
            return False
        if key == "playbook" and (opp.playbook_key if opp else None) != value:
            return False
        if key == "customer" and folded not in item.customer.name.casefold():
            return False
        if key == "origin" and folded not in (item.origin or "", item.origin_kind):
            return False
        if key == "title" and folded not in item.title.casefold():
            return False
        if key == "due" and _due_class(item, now, workday) != folded:
            return False
    return True


def _due_class(item: Item, now: datetime, workday: Workday) -> str:
    if item.due_at is None:
        return "none"
    if item.due_at < now:
        return "overdue"
    if workday.today(item.due_at) == workday.today(now):
        return "today"
    return "later"
