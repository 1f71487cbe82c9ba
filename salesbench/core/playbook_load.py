"""Reading playbook TOML into a Playbook, reporting every problem with its place
(see playbook_reader for how a problem finds its line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from salesbench.core.criteria import from_complete_when
from salesbench.core.playbook import (
    FIELD_TARGETS,
    FIELD_TYPES,
    PLACEHOLDERS,
    SCRIPT_CHANNELS,
    TASK_ROLES,
    FieldDef,
    Playbook,
    ScriptDef,
    StageDef,
    TaskDef,
)
from salesbench.core.playbook_checks import check_gate, read_checks, read_gate
from salesbench.core.playbook_reader import (
    MAX_DEPTH,
    Locator,
    Path_,
    PlaybookInvalid,
    Problem,
    Reader,
    chains,
    deepest,
    nesting,
    read_choices,
    read_requires,
    references,
    too_deep,
    unique_keys,
)
from salesbench.core.playbook_rules import read_modes, read_rule_settings, read_rules
from salesbench.core.render import placeholders

# A TOML parser: the standard library's by default; the shells pass tomli's compiled
# build of the same parser (three times as fast, the same values and errors).
Loads = Callable[[str], dict[str, Any]]


def load_playbook(text: str, filename: str = "<playbook>", loads: Loads | None = None) -> Playbook:
    """Parse and validate; raises PlaybookInvalid listing every problem found."""
    playbook, problems = check_playbook(text, loads)
    if problems or playbook is None:
        raise PlaybookInvalid(filename, problems)
    return playbook


def check_playbook(text: str, loads: Loads | None = None) -> tuple[Playbook | None, list[Problem]]:
    """`loads`: the TOML parser, the standard library's unless the caller brings one
    (services bring tomli's compiled build; importing tomllib as well cost ~3 ms)."""
    if loads is None:
        import tomllib

        loads = tomllib.loads
    try:
        data = loads(text)
    except RecursionError:
        # the parser recurses once per level: only then is the text scanned for the
        # bracket that went too deep (a scan of every playbook cost the queue 5 ms each)
        deep = too_deep(text)
        return None, [deep or Problem(1, 1, f"nested deeper than {MAX_DEPTH} levels")]
    except ValueError as exc:  # TOMLDecodeError, tomllib's or tomli's
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [Problem(line, col, f"not valid TOML: {message}")]
    if nesting(data) > MAX_DEPTH + 1:  # a value is one below its innermost table
        _depth, path = deepest(data)
        line, col = Locator(text).locate(path[: MAX_DEPTH + 1])
        return None, [Problem(line, col, f"nested deeper than {MAX_DEPTH} levels")]

    reader = Reader(Locator(text))
    top = reader.table(data, (), {"playbook", "fields", "stages", "scripts", "modes", "rules"})
    head = reader.table(
        top.get("playbook", {}),
        ("playbook",),
        {"key", "name", "language", "version", "description", "score_field"},
    )
    if "playbook" not in top:
        reader.problem((), "the file needs a [playbook] table with key, name, language, version")

    fields = _read_fields(reader, top)
    field_keys = {f.key for f in fields}
    scripts = _read_scripts(reader, top, fields)
    script_keys = {s.key for s in scripts}
    stages = _read_stages(reader, top, {f.key: f for f in fields}, script_keys)
    modes = read_modes(reader, top)
    cadence, timed, status_rules = read_rules(reader, top, fields, script_keys)

    stage_keys = {s.key for s in stages}
    task_keys = {t.key for s in stages for t in s.tasks}
    rule_settings = read_rule_settings(reader, top, fields, task_keys)
    order = [s.key for s in stages]
    for si, stage in enumerate(stages):
        if stage.gate and stage.gate.turnaround not in stage_keys:
            reader.problem(
                ("stages", si, "gate", "turnaround"),
                f"gate turnaround {stage.gate.turnaround!r} names no stage",
            )
        elif stage.gate and stage.gate.turnaround and order.index(stage.gate.turnaround) >= si:
            reader.problem(
                ("stages", si, "gate", "turnaround"),
                f"gate turnaround {stage.gate.turnaround!r} must be a stage before "
                f"{stage.key!r}: a gate that fails goes back",
            )
        if stage.gate is not None:
            check_gate(reader, stage.gate, ("stages", si, "gate"), task_keys, field_keys)
        for ti, task in enumerate(stage.tasks):
            for chain in task.chains:
                if chain.task not in task_keys:
                    reader.problem(
                        ("stages", si, "tasks", ti, chain.mode),
                        f"{chain.mode} names no task: {chain.task!r}",
                    )
    for i, script in enumerate(scripts):
        if script.stage is not None and script.stage not in stage_keys:
            reader.problem(("scripts", i, "stage"), f"stage {script.stage!r} names no stage")
    if not stages:
        reader.problem((), "the playbook has no [[stages]]")

    if reader.problems:
        return None, reader.problems
    return (
        (
            Playbook(
                key=head["key"],
                name=head["name"],
                language=head["language"],
                version=str(head["version"]),
                description=head.get("description", ""),
                stages=tuple(stages),
                fields=tuple(fields),
                scripts=tuple(scripts),
                modes=tuple(modes),
                timed_rules=tuple(timed),
                status_rules=tuple(status_rules),
                cadence_days=cadence,
                rule_settings=rule_settings,
            ),
            [],
        )
        if _head_ok(reader, head)
        else (None, reader.problems)
    )


def _head_ok(reader: Reader, head: dict[str, Any]) -> bool:
    path: Path_ = ("playbook",)
    reader.ident(head, "key", path)
    for key in ("name", "language"):
        reader.text(head, key, path, required=True)
    if not isinstance(head.get("version"), str | int | float):
        reader.problem(path, "[playbook] needs 'version'")
    return not reader.problems


def _read_fields(reader: Reader, top: dict[str, Any]) -> list[FieldDef]:
    fields: list[FieldDef] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(top, "fields", ())):
        path: Path_ = ("fields", i)
        data = reader.table(raw, path, {"key", "label", "type", "on", "choices", "help", "sum_of"})
        key = reader.ident(data, "key", path)
        ftype = reader.text(data, "type", path, default="text")
        if ftype not in FIELD_TYPES:
            reader.problem(
                (*path, "type"), f"field type {ftype!r} is unknown (use {', '.join(FIELD_TYPES)})"
            )
        on = reader.text(data, "on", path, default="opportunity")
        if on not in FIELD_TARGETS:
            reader.problem((*path, "on"), f"field 'on' must be customer or opportunity, not {on!r}")
        choices, labels = read_choices(reader, data, path)
        if ftype == "choice" and not choices:
            reader.problem((*path, "type"), f"choice field {key!r} needs a list of choices")
        keys.append((key, (*path, "key")))
        fields.append(
            FieldDef(
                key,
                reader.text(data, "label", path, default=key) or key,
                ftype,
                on,
                choices,
                reader.text(data, "help", path),
                labels,
                reader.strings(data, "sum_of", path),
            )
        )
    unique_keys(reader, keys, "field")
    _check_sums(reader, fields)
    return fields


def _check_sums(reader: Reader, fields: list[FieldDef]) -> None:
    """`sum_of` totals number fields of the same record into a number field."""
    by_key = {f.key: f for f in fields}
    for i, f in enumerate(fields):
        if not f.sum_of:
            continue
        path: Path_ = ("fields", i, "sum_of")
        if f.type not in ("int", "money"):
            reader.problem(path, f"field {f.key!r} sums numbers, so its type must be int or money")
            continue
        for part in f.sum_of:
            p = by_key.get(part)
            if p is None or part == f.key:
                reader.problem(path, f"sum_of names no other field of the playbook: {part!r}")
            elif p.type != f.type or p.on != f.on or p.sum_of:
                reader.problem(
                    path, f"sum_of part {part!r} must be a plain {f.type} field on the {f.on}"
                )


def _read_scripts(reader: Reader, top: dict[str, Any], fields: list[FieldDef]) -> list[ScriptDef]:
    known = {ns: set(attrs) for ns, attrs in PLACEHOLDERS.items()}
    for f in fields:
        known[f.on if f.on == "customer" else "opportunity"].add(f.key)
    scripts: list[ScriptDef] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(top, "scripts", ())):
        path: Path_ = ("scripts", i)
        data = reader.table(
            raw, path, {"key", "title", "channel", "stage", "body", "tags", "requires"}
        )
        key = reader.ident(data, "key", path)
        body = reader.text(data, "body", path, required=True)
        channel = reader.text(data, "channel", path, default="any")
        if channel not in SCRIPT_CHANNELS:
            reader.problem(
                (*path, "channel"),
                f"channel {channel!r} is unknown (use {', '.join(SCRIPT_CHANNELS)})",
            )
        try:
            names = placeholders(body)
        except ValueError as exc:
            reader.problem((*path, "body"), f"script {key!r}: {exc}")
            names = []
        for ns, attr in names:
            if ns not in known:
                reader.problem(
                    (*path, "body"),
                    f"script {key!r}: placeholder {{{ns}.{attr}}} "
                    f"names no record (use {', '.join(sorted(known))})",
                )
            elif attr not in known[ns]:
                reader.problem(
                    (*path, "body"), f"script {key!r}: placeholder {{{ns}.{attr}}} names no field"
                )
        keys.append((key, (*path, "key")))
        stage = data.get("stage")
        scripts.append(
            ScriptDef(
                key,
                reader.text(data, "title", path, required=True),
                body,
                channel,
                stage if isinstance(stage, str) else None,
                reader.strings(data, "tags", path),
                read_requires(reader, data, path, key, fields),
            )
        )
    unique_keys(reader, keys, "script")
    return scripts


TASK_KEYS = {
    "key",
    "title",
    "guidance",
    "purpose",
    "check",
    "complete_when",
    "due",
    "manual",
    "required",
    "on_entry",
    "scripts",
    "trigger",
    "suggest",
    "role",
    "skills",
}


def _read_stages(
    reader: Reader, top: dict[str, Any], fields: dict[str, FieldDef], script_keys: set[str]
) -> list[StageDef]:
    field_keys = set(fields)
    stages: list[StageDef] = []
    stage_keys: list[tuple[str, Path_]] = []
    task_keys: list[tuple[str, Path_]] = []
    for si, raw in enumerate(reader.list_of_tables(top, "stages", ())):
        path: Path_ = ("stages", si)
        data = reader.table(
            raw,
            path,
            {"key", "name", "probability", "exit_criteria", "rot_days", "gate", "tasks", "purpose"},
        )
        key = reader.ident(data, "key", path)
        stage_keys.append((key, (*path, "key")))
        probability = reader.number(data, "probability", path, lo=0, hi=1)
        if probability is None and "probability" not in data:
            reader.problem(path, f"stage {key!r} needs a probability between 0 and 1")
        gate = None
        if "gate" in data:
            gate = read_gate(reader, data["gate"], (*path, "gate"))
        tasks: list[TaskDef] = []
        raw_tasks = reader.list_of_tables(data, "tasks", path)
        if not raw_tasks:
            reader.problem((*path, "key"), f"stage {key!r} has no tasks")
        for ti, traw in enumerate(raw_tasks):
            tpath: Path_ = (*path, "tasks", ti)
            t = reader.table(traw, tpath, TASK_KEYS)
            tkey = reader.ident(t, "key", tpath)
            task_keys.append((tkey, (*tpath, "key")))
            complete_when, scripts = references(
                reader, t, tpath, f"task {tkey!r}", field_keys, script_keys
            )
            check, criteria = read_checks(reader, t, tpath, f"task {tkey!r}", fields)
            criteria += tuple(
                from_complete_when(k, fields[k].label, fields[k].type)
                for k in complete_when
                if k in fields and not any(c.field == k for c in criteria)
            )
            role = reader.text(t, "role", tpath, default="rep")
            if role not in TASK_ROLES:
                reader.problem(
                    (*tpath, "role"), f"role {role!r} is unknown (use {', '.join(TASK_ROLES)})"
                )
            tasks.append(
                TaskDef(
                    key=tkey,
                    stage=key,
                    title=reader.text(t, "title", tpath, required=True),
                    guidance=reader.text(t, "guidance", tpath),
                    purpose=reader.text(t, "purpose", tpath),
                    check=check,
                    complete_when=complete_when,
                    due=reader.duration(t, "due", tpath),
                    manual=reader.boolean(t, "manual", tpath, default=not criteria),
                    required=reader.boolean(t, "required", tpath, default=True),
                    on_entry=reader.boolean(t, "on_entry", tpath, default=True),
                    scripts=scripts,
                    chains=chains(reader, t, tpath),
                    criteria=criteria,
                    role=role,
                    skills=reader.strings(t, "skills", tpath),
                )
            )
        rot = reader.number(data, "rot_days", path, lo=1, hi=3650, integer=True)
        stages.append(
            StageDef(
                key=key,
                name=reader.text(data, "name", path, required=True),
                probability=float(probability or 0),
                tasks=tuple(tasks),
                exit_criteria=reader.strings(data, "exit_criteria", path),
                rot_days=rot,
                gate=gate,
                purpose=reader.text(data, "purpose", path),
            )
        )
    unique_keys(reader, stage_keys, "stage")
    unique_keys(reader, task_keys, "task")
    return stages
