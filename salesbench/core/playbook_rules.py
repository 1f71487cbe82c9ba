"""Reading a playbook's sales modes and its rules (timed and status) from TOML."""

from __future__ import annotations

from typing import Any

from salesbench.core.durations import parse_duration
from salesbench.core.playbook import (
    DEFAULT_CADENCE_DAYS,
    ROLES,
    SCRIPT_CHANNELS,
    BuiltinSetting,
    FieldDef,
    ModeDef,
    ModeVisit,
    RuleSettings,
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
            {
                "key",
                "name",
                "description",
                "max_days",
                "max_visits",
                "min_price_ratio",
                "team",
                "enforce",
                "min_score",
                "max_score",
                "visits",
            },
        )
        key = reader.ident(data, "key", path)
        keys.append((key, (*path, "key")))
        enforce = reader.text(data, "enforce", path, default="warn")
        if enforce not in ("warn", "block"):
            reader.problem((*path, "enforce"), f"mode {key!r}: enforce must be warn or block")
        lo = reader.number(data, "min_score", path, lo=-1e9, hi=1e9)
        hi = reader.number(data, "max_score", path, lo=-1e9, hi=1e9)
        if lo is not None and hi is not None and lo > hi:
            reader.problem((*path, "min_score"), f"mode {key!r}: min_score is above max_score")
        modes.append(
            ModeDef(
                key,
                reader.text(data, "name", path, required=True),
                reader.text(data, "description", path),
                reader.number(data, "max_days", path, lo=1, hi=3650, integer=True),
                reader.number(data, "max_visits", path, lo=1, hi=1000, integer=True),
                reader.number(data, "min_price_ratio", path, lo=0, hi=1),
                reader.boolean(data, "team", path, default=False),
                enforce if enforce in ("warn", "block") else "warn",
                lo,
                hi,
                _visits(reader, data, path),
            )
        )
    unique_keys(reader, keys, "mode")
    return modes


def read_rules(
    reader: Reader, top: dict[str, Any], fields: list[FieldDef], script_keys: set[str]
) -> tuple[dict[str, int], list[TimedRule], list[StatusRule]]:
    field_keys = {f.key for f in fields}
    rules = reader.table(top.get("rules", {}), ("rules",), RULES_KEYS)
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
            raw,
            path,
            {
                "key",
                "when",
                "equals",
                "due",
                "title",
                "guidance",
                "scripts",
                "complete_when",
                "once",
                "answered_by",
                "every",
            },
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
        every = reader.duration(data, "every", path)
        if every is not None and every.delta.total_seconds() < 86400:
            reader.problem((*path, "every"), f"rule {key!r}: 'every' must be a day or longer")
        timed.append(
            TimedRule(
                key,
                when,
                due or parse_duration("P0D"),
                reader.text(data, "title", path, required=True),
                reader.text(data, "guidance", path),
                scripts,
                complete_when,
                _equals(reader, data, path, key, fields),
                reader.boolean(data, "once", path, False),
                reader.text(data, "answered_by", path) or None,
                every,
            )
        )
    status_rules: list[StatusRule] = []
    for i, raw in enumerate(reader.list_of_tables(rules, "status", ("rules",))):
        path = ("rules", "status", i)
        data = reader.table(
            raw,
            path,
            {"key", "when", "equals", "customer_status", "close_as", "reason", "scope"},
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
        # a screening result is about one deal: nurture moves the deal, not the customer
        scope = reader.text(data, "scope", path, default="deal" if status == "nurture" else "")
        if scope and scope not in ("deal", "customer"):
            reader.problem((*path, "scope"), f"rule {key!r}: scope must be deal or customer")
        if scope == "deal" and status not in (None, "nurture"):
            reader.problem(
                (*path, "scope"), f"rule {key!r}: only the nurture pool can take a single deal"
            )
        status_rules.append(
            StatusRule(
                key,
                when,
                equals,
                status,
                close_as,
                reader.text(data, "reason", path),
                "deal" if scope == "deal" else "customer",
            )
        )
    unique_keys(reader, keys, "rule")
    return cadence, timed, status_rules


def _visits(reader: Reader, data: dict[str, Any], path: Path_) -> tuple[ModeVisit, ...]:
    """`visits = [{ title, role, guidance }, …]`: the mode's programme, visit by visit;
    `role` is rep, manager or advisor, or a list of them (the first leads)."""
    out: list[ModeVisit] = []
    for j, raw in enumerate(reader.list_of_tables(data, "visits", path)):
        at: Path_ = (*path, "visits", j)
        visit = reader.table(raw, at, {"title", "role", "guidance"})
        roles = reader.strings(visit, "role", at) or ("rep",)
        for role in roles:
            if role not in ROLES:
                reader.problem((*at, "role"), f"role {role!r} must be one of {', '.join(ROLES)}")
        out.append(
            ModeVisit(
                reader.text(visit, "title", at, required=True),
                tuple(roles),
                reader.text(visit, "guidance", at),
            )
        )
    return tuple(out)


RULES_KEYS = {"cadence", "timed", "status", "builtin", "source_field", "contact_completes"}
BUILTIN_KEYS = ("visit_thanks", "no_reply_call", "trade_show_email")


def _equals(
    reader: Reader, data: dict[str, Any], path: Path_, key: str, fields: list[FieldDef]
) -> str | None:
    if "equals" not in data:
        return None
    equals = reader.text(data, "equals", path, required=True)
    by_key = {f.key: f for f in fields}
    when = data.get("when")
    choices = by_key[when].choices if isinstance(when, str) and when in by_key else ()
    if choices and equals not in choices:
        reader.problem((*path, "equals"), f"rule {key!r}: {equals!r} is not a choice of {when}")
    return equals


def read_rule_settings(
    reader: Reader, top: dict[str, Any], fields: list[FieldDef], task_keys: set[str]
) -> RuleSettings:
    """How the playbook tunes the built-in rules (`[[rules.builtin]]`), which deal field
    the customer's source fills (`source_field`), which tasks a logged contact does
    (`[rules.contact_completes]`), and the score that suggests a mode."""
    rules = top.get("rules", {})
    head = top.get("playbook", {})
    if not isinstance(rules, dict):
        return RuleSettings()
    by_key = {f.key: f for f in fields}
    builtin: list[BuiltinSetting] = []
    seen: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(rules, "builtin", ("rules",))):
        path: Path_ = ("rules", "builtin", i)
        data = reader.table(raw, path, {"key", "once", "answered_by"})
        key = reader.ident(data, "key", path)
        seen.append((key, (*path, "key")))
        if key and key not in BUILTIN_KEYS:
            reader.problem(
                (*path, "key"),
                f"no built-in rule {key!r} (built-in rules: {', '.join(BUILTIN_KEYS)})",
            )
        answered_by = reader.text(data, "answered_by", path) or None
        if answered_by is not None and answered_by not in task_keys:
            reader.problem((*path, "answered_by"), f"answered_by names no task: {answered_by!r}")
        builtin.append(BuiltinSetting(key, reader.boolean(data, "once", path, False), answered_by))
    unique_keys(reader, seen, "built-in rule")
    timed = rules.get("timed", [])
    for i, raw in enumerate(timed if isinstance(timed, list) else []):
        answered_by = raw.get("answered_by") if isinstance(raw, dict) else None
        if isinstance(answered_by, str) and answered_by not in task_keys:
            reader.problem(
                ("rules", "timed", i, "answered_by"), f"answered_by names no task: {answered_by!r}"
            )
    source = reader.text(rules, "source_field", ("rules",)) or None
    if source is not None and (source not in by_key or by_key[source].on != "opportunity"):
        reader.problem(
            ("rules", "source_field"), f"source_field names no field of the deal: {source!r}"
        )
    completes: list[tuple[str, tuple[str, ...]]] = []
    channels = reader.table(
        rules.get("contact_completes", {}),
        ("rules", "contact_completes"),
        set(SCRIPT_CHANNELS) - {"any"},
    )
    for channel in channels:
        keys = reader.strings(channels, channel, ("rules", "contact_completes"))
        for k in keys:
            if k not in task_keys:
                reader.problem(
                    ("rules", "contact_completes", channel), f"{channel}: names no task {k!r}"
                )
        completes.append((channel, keys))
    score = head.get("score_field") if isinstance(head, dict) else None
    if score is not None:
        if not isinstance(score, str) or score not in by_key:
            reader.problem(("playbook", "score_field"), f"score_field names no field: {score!r}")
            score = None
        elif by_key[score].type not in ("int", "money"):
            reader.problem(("playbook", "score_field"), "score_field must be a number field")
            score = None
    return RuleSettings(tuple(builtin), source, tuple(completes), score)
