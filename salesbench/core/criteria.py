"""Check criteria a task can *meet*: a field's value, a choice, a threshold, a yes.

A criterion is read from a task's `check` table (or made from a `complete_when`
field) and knows the field's label and type, so deciding whether it is met and
saying what is open need nothing but the deal's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salesbench.core.errors import BadInput

OPERATORS = ("equals", "in", "at_least", "at_most", "filled")


@dataclass(frozen=True)
class Criterion:
    """`field` must satisfy `op` against `value`; `text` says it in the rep's words."""

    text: str
    field: str
    op: str  # one of OPERATORS
    value: Any = None  # bool for a bool field's equals; major units for money
    field_type: str = "text"


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _number(value: Any, field_type: str) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value / 100 if field_type == "money" else float(value)  # money is stored in cents


def met(criterion: Criterion, values: dict[str, Any]) -> bool:
    """Whether the deal's `values` meet the criterion (an empty field never does)."""
    value = values.get(criterion.field)
    if not _filled(value):
        return False
    if criterion.op == "filled":
        return True
    if criterion.op == "equals":
        if criterion.field_type == "bool":
            return value is criterion.value
        if isinstance(value, str) and isinstance(criterion.value, str):
            return value.casefold() == criterion.value.casefold()
        return bool(value == criterion.value)
    if criterion.op == "in":
        return any(str(value).casefold() == str(v).casefold() for v in criterion.value)
    number = _number(value, criterion.field_type)
    if number is None:
        return False
    if criterion.op == "at_least":
        return bool(number >= criterion.value)
    return bool(number <= criterion.value)  # at_most


def all_met(criteria: tuple[Criterion, ...], values: dict[str, Any]) -> bool:
    """True when there are criteria and every one is met."""
    return bool(criteria) and all(met(c, values) for c in criteria)


def open_criteria(task: Any, values: dict[str, Any]) -> list[str]:
    """The criteria of `task` (a TaskDef, or its criteria) not met yet, in the rep's
    words (the text, else the field's label)."""
    criteria: tuple[Criterion, ...] = getattr(task, "criteria", task)
    return [c.text for c in criteria if not met(c, values)]


def from_complete_when(key: str, label: str, field_type: str) -> Criterion:
    """`complete_when` means filled, except for a bool field, where it means "yes"."""
    if field_type == "bool":
        return Criterion(label, key, "equals", True, field_type)
    return Criterion(label, key, "filled", True, field_type)


class CriteriaOpen(BadInput):
    """`task done` on a task whose criteria are not all met: `open` says which."""

    def __init__(self, title: str, open_: list[str]) -> None:
        self.title = title
        self.open = open_
        super().__init__(
            f"“{title}” is not done yet; still open: {'; '.join(open_)} "
            "(met once `opp set` gives them the values they ask for; or mark it done anyway "
            'with --reason "why")'
        )


def checklist(task: Any) -> list[str]:
    """The plain `check` items of `task` (a TaskDef): those the rep ticks by hand,
    numbered from 1 in this order."""
    fielded = {c.text for c in getattr(task, "criteria", ())}
    return [text for text in getattr(task, "check", ()) if text not in fielded]


def unticked(task: Any, ticked: Any) -> list[str]:
    """The checklist items of `task` not ticked (`ticked`: the numbers stored on the task)."""
    marks = set(ticked) if isinstance(ticked, list) else set()
    return [text for n, text in enumerate(checklist(task), 1) if n not in marks]
