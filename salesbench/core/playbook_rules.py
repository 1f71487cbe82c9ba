"""Reading a playbook's sales modes and its rules (timed and status) from TOML."""

from __future__ import annotations

from typing import Any

from salesbench.core.durations import parse_duration
from salesbench.core.playbook import (
    DEFAULT_CADENCE_DAYS,
    FieldDef,
    ModeDef,
    StatusRule,
    TimedRule,
)
from salesbench.core.playbook_reader import (
    Path_,
    Reader,
    references,
    unique_keys,
)


def read_modes(reader: Reader, top: dict[str, Any]) -> list[ModeDef]:
    modes: list[ModeDef] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(top, "modes", ())):
        path: Path_ = ("modes", i)
        data = reader.table(
            raw,
            path,
            {"key", "name", "description", "max_days", "max_visits", "min_price_ratio", "team"},
        )
        key = reader.ident(data, "key", path)
        keys.append((key, (*path, "key")))
        modes.append(
            ModeDef(
                key,
                reader.text(data, "name", path, required=True),
                reader.text(data, "description", path),
                reader.number(data, "max_days", path, lo=1, hi=3650, integer=True),
                reader.number(data, "max_visits", path, lo=1, hi=1000, integer=True),
                reader.number(data, "min_price_ratio", path, lo=0, hi=1),
                reader.boolean(data, "team", path, default=False),
            )
        )
    unique_keys(reader, keys, "mode")
    return modes


def read_rules(
    reader: Reader, top: dict[str, Any], fields: list[FieldDef], script_keys: set[str]
) -> tuple[dict[str, int], list[TimedRule], list[StatusRule]]:
    field_keys = {f.key for f in fields}
    rules = reader.table(top.get("rules", {}), ("rules",), {"cadence", "timed", "status"})
    cadence = dict(DEFAULT_CADENCE_DAYS)
    raw_cadence = reader.table(rules.get("cadence", {}), ("rules", "cadence"), {"A", "B", "C"})
    for grade in raw_cadence:
        d = reader.duration(raw_cadence, grade, ("rules", "cadence"))
        if d is not None:
            if d.has_time or d.delta.days < 1:
                reader.problem(("rules", "cadence", grade), f"cadence {grade} must be whole days")
            else:
                cadence[grade] = d.delta.days
    timed: list[TimedRule] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(rules, "timed", ("rules",))):
        path: Path_ = ("rules", "timed", i)
        data = reader.table(
            raw, path, {"key", "when", "due", "title", "guidance", "scripts", "complete_when"}
        )
        key = reader.ident(data, "key", path)
        keys.append((key, (*path, "key")))
        when = reader.text(data, "when", path, required=True)
        if when and when not in field_keys:
            reader.problem((*path, "when"), f"rule {key!r}: 'when' names an unknown field {when!r}")
        complete_when, scripts = references(
            reader, data, path, f"rule {key!r}", field_keys, script_keys
        )
        due = reader.duration(data, "due", path)
        if due is None and "due" not in data:
            reader.problem(path, f"rule {key!r} needs a due duration")
        timed.append(
            TimedRule(
                key,
                when,
                due or parse_duration("P0D"),
                reader.text(data, "title", path, required=True),
                reader.text(data, "guidance", path),
                scripts,
                complete_when,
            )
        )
    status_rules: list[StatusRule] = []
    for i, raw in enumerate(reader.list_of_tables(rules, "status", ("rules",))):
        path = ("rules", "status", i)
        data = reader.table(
            raw, path, {"key", "when", "equals", "customer_status", "close_as", "reason"}
        )
        key = reader.ident(data, "key", path)
        keys.append((key, (*path, "key")))
        when = reader.text(data, "when", path, required=True)
        equals = reader.text(data, "equals", path, required=True)
        by_key = {f.key: f for f in fields}
        if when and when not in by_key:
            reader.problem((*path, "when"), f"rule {key!r}: 'when' names an unknown field {when!r}")
        elif when and by_key[when].choices and equals not in by_key[when].choices:
            reader.problem((*path, "equals"), f"rule {key!r}: {equals!r} is not a choice of {when}")
        status = data.get("customer_status")
        if status is not None and status not in ("active", "nurture", "closed"):
            reader.problem(
                (*path, "customer_status"), "customer_status must be active, nurture or closed"
            )
        close_as = data.get("close_as")
        if close_as is not None and close_as not in ("won", "lost"):
            reader.problem((*path, "close_as"), "close_as must be won or lost")
        if status is None and close_as is None:
            reader.problem(path, f"rule {key!r} needs customer_status or close_as")
        status_rules.append(
            StatusRule(key, when, equals, status, close_as, reader.text(data, "reason", path))
        )
    unique_keys(reader, keys, "rule")
    return cadence, timed, status_rules
