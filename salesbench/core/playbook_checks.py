"""Reading the parts of a playbook that decide completion: a task's `check` items
(plain criteria and field criteria that can be met) and a stage's gate."""

from __future__ import annotations

from typing import Any

from salesbench.core.criteria import Criterion
from salesbench.core.playbook import FieldDef, Gate
from salesbench.core.playbook_reader import Path_, Reader

GATE_KEYS = {"question", "turnaround", "on_no", "on_yes", "not_after"}
CHECK_KEYS = {"text", "field", "equals", "in", "at_least", "at_most", "filled"}
CONDITIONS = ("equals", "in", "at_least", "at_most", "filled")


def check_gate(
    reader: Reader, gate: Gate, path: Path_, task_keys: set[str], field_keys: set[str]
) -> None:
    for key in ("on_no", "on_yes"):
        for name in getattr(gate, key):
            if name not in task_keys:
                reader.problem((*path, key), f"gate {key} names no task: {name!r}")
    if gate.not_after is not None and gate.not_after not in field_keys:
        reader.problem((*path, "not_after"), f"gate not_after names no field: {gate.not_after!r}")


def read_gate(reader: Reader, raw: Any, path: Path_) -> Gate:
    g = reader.table(raw, path, GATE_KEYS)
    not_after = reader.text(g, "not_after", path)
    return Gate(
        reader.text(g, "question", path, required=True),
        reader.text(g, "turnaround", path, required=True),
        on_no=reader.strings(g, "on_no", path),
        on_yes=reader.strings(g, "on_yes", path),
        not_after=not_after or None,
    )


def read_checks(
    reader: Reader, t: dict[str, Any], path: Path_, owner: str, fields: dict[str, FieldDef]
) -> tuple[tuple[str, ...], tuple[Criterion, ...]]:
    """A task's `check`: plain strings (confirmed by hand) and tables (a field criterion)."""
    raw = t.get("check", [])
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        reader.problem((*path, "check"), "check must be a list of strings or tables")
        return (), ()
    texts: list[str] = []
    criteria: list[Criterion] = []
    for item in items:
        if isinstance(item, str):
            texts.append(item)
            continue
        criterion = _read_criterion(reader, item, (*path, "check"), owner, fields)
        if criterion is not None:
            texts.append(criterion.text)
            criteria.append(criterion)
    return tuple(texts), tuple(criteria)


def _read_criterion(
    reader: Reader, item: Any, path: Path_, owner: str, fields: dict[str, FieldDef]
) -> Criterion | None:
    if not isinstance(item, dict):
        reader.problem(path, f"{owner}: a check item is a string or a table")
        return None
    data = reader.table(item, path, CHECK_KEYS)
    key = reader.text(data, "field", path, required=True)
    field = fields.get(key)
    if field is None:
        if key:
            reader.problem((*path, "field"), f"{owner}: check names an unknown field {key!r}")
        return None
    given = [c for c in CONDITIONS if c in data]
    if len(given) != 1:
        reader.problem(
            (*path, "field"),
            f"{owner}: check on {key!r} needs exactly one of {', '.join(CONDITIONS)}",
        )
        return None
    op, value = given[0], data[given[0]]
    where = (*path, op)
    bad = f"{owner}: check on {key!r}:"
    if op == "filled":
        if value is not True:
            reader.problem(where, f"{bad} filled must be true")
            return None
    elif op == "in":
        if field.type != "choice" or not isinstance(value, list) or not value:
            reader.problem(where, f"{bad} 'in' needs a choice field and a list of its choices")
            return None
        unknown = [v for v in value if v not in field.choices]
        if unknown:
            reader.problem(where, f"{bad} {unknown[0]!r} is not one of its choices")
            return None
    elif op in ("at_least", "at_most"):
        if field.type not in ("int", "money") or isinstance(value, bool):
            reader.problem(where, f"{bad} {op} needs a number or money field")
            return None
        if not isinstance(value, int | float):
            reader.problem(where, f"{bad} {op} must be a number")
            return None
    else:  # equals
        value = _equals_value(reader, field, value, where, bad)
        if value is None:
            return None
    text = reader.text(data, "text", path) or field.label
    return Criterion(text, key, op, value, field.type)


def _equals_value(reader: Reader, field: FieldDef, value: Any, where: Path_, bad: str) -> Any:
    if field.type == "bool":
        if value in ("yes", "no"):
            return value == "yes"
        reader.problem(where, f'{bad} equals on a yes/no field must be "yes" or "no"')
        return None
    if field.type in ("int", "money"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            reader.problem(where, f"{bad} equals must be a number")
            return None
        return value
    if not isinstance(value, str) or not value:
        reader.problem(where, f"{bad} equals must be a string")
        return None
    if field.type == "choice" and value not in field.choices:
        reader.problem(where, f"{bad} {value!r} is not one of its choices")
        return None
    return value
