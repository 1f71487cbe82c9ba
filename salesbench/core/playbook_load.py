"""Reading playbook TOML into a Playbook, reporting every problem with its place.

tomllib gives values without positions, so each problem carries the path of
the value (("stages", 2, "tasks", 0, "due")) and `Locator` finds that path's
line and column in the source text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from salesbench.core.durations import Duration, parse_duration
from salesbench.core.errors import BadInput
from salesbench.core.playbook import (
    DEFAULT_CADENCE_DAYS,
    FIELD_TARGETS,
    FIELD_TYPES,
    PLACEHOLDERS,
    SCRIPT_CHANNELS,
    Chain,
    FieldDef,
    Gate,
    ModeDef,
    Playbook,
    ScriptDef,
    StageDef,
    StatusRule,
    TaskDef,
    TimedRule,
)
from salesbench.core.render import placeholders

Path_ = tuple[str | int, ...]

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}:{self.column}: {self.message}"


class PlaybookInvalid(BadInput):
    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        first = problems[0].format(filename)
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more)


class Locator:
    """Maps a value's path to (line, column) in TOML written with [[tables]] or inline."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, bool, str]] = []  # (line index, is_array, name)
        for i, line in enumerate(self.lines):
            m = _HEADER.match(line)
            if m and not line.lstrip().startswith(("#",)) and "=" not in line.split("]")[0]:
                self.headers.append((i, m.group(1) == "[[", m.group(2).replace('"', "").strip()))

    def _block_end(self, start: int, name: str, limit: int) -> int:
        for i, _array, other in self.headers:
            if start < i < limit and not (other.startswith(name + ".")):
                return i
        return limit

    def locate(self, path: Path_) -> tuple[int, int]:
        lo, hi, prefix = 0, len(self.lines), ""
        own_end = self._first_header_after(lo, hi)
        i = 0
        while i < len(path):
            key = path[i]
            if isinstance(key, int):
                i += 1
                continue
            name = f"{prefix}.{key}" if prefix else key
            nxt = path[i + 1] if i + 1 < len(path) else None
            if isinstance(nxt, int):
                matches = [h for h in self.headers if h[1] and h[2] == name and lo <= h[0] < hi]
                if nxt < len(matches):
                    start = matches[nxt][0]
                    lo, hi = start, self._block_end(start, name, hi)
                    prefix, own_end = name, self._first_header_after(start, hi)
                    i += 2
                    continue
            elif nxt is not None:
                tables = [h for h in self.headers if not h[1] and h[2] == name and lo <= h[0] < hi]
                if tables:
                    start = tables[0][0]
                    lo, hi = start, self._block_end(start, name, hi)
                    prefix, own_end = name, self._first_header_after(start, hi)
                    i += 1
                    continue
            return self._key_line(key, lo, own_end)
        return lo + 1, 1

    def _first_header_after(self, start: int, limit: int) -> int:
        for i, _array, _name in self.headers:
            if start < i < limit:
                return i
        return limit

    def _key_line(self, key: str, lo: int, hi: int) -> tuple[int, int]:
        pattern = re.compile(rf"^(\s*)\"?{re.escape(key)}\"?\s*=")
        for i in range(lo, min(hi, len(self.lines))):
            m = pattern.match(self.lines[i])
            if m:
                return i + 1, len(m.group(1)) + 1
        for i in range(lo, min(hi, len(self.lines))):  # a key inside an inline table
            col = self.lines[i].find(f"{key} =")
            if col < 0:
                col = self.lines[i].find(f"{key}=")
            if col >= 0:
                return i + 1, col + 1
        return lo + 1, 1


class _Reader:
    """Pulls typed values out of the parsed TOML, collecting problems instead of raising."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str) -> None:
        line, column = self.locator.locate(path)
        self.problems.append(Problem(line, column, message))

    def table(self, data: Any, path: Path_, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.problem(path, f"{_name(path)} must be a table")
            return {}
        for key in sorted(set(data) - allowed):
            self.problem(
                (*path, key),
                f"unknown key {key!r} in {_name(path) or 'the file'} "
                f"(allowed: {', '.join(sorted(allowed))})",
            )
        return data

    def list_of_tables(self, data: dict[str, Any], key: str, path: Path_) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem((*path, key), f"{key} must be an array of tables ([[{key}]])")
            return []
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: Path_,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, f"{_name(path) or 'the file'} needs {key!r}")
            return default
        if not isinstance(value, str):
            self.problem((*path, key), f"{key} must be a string")
            return default
        if required and not value.strip():
            self.problem((*path, key), f"{key} must not be empty")
        return value

    def ident(self, data: dict[str, Any], key: str, path: Path_) -> str:
        value = self.text(data, key, path, required=True)
        if value and not _KEY.match(value):
            self.problem(
                (*path, key), f"{key} {value!r} must be lower-case letters, digits, '_' or '-'"
            )
        return value

    def strings(self, data: dict[str, Any], key: str, path: Path_) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem((*path, key), f"{key} must be a list of strings")
            return ()
        return tuple(value)

    def boolean(self, data: dict[str, Any], key: str, path: Path_, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), f"{key} must be true or false")
            return default
        return value

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: Path_,
        *,
        lo: float,
        hi: float,
        integer: bool = False,
    ) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (integer and not isinstance(value, int))
        ):
            self.problem((*path, key), f"{key} must be a {'whole ' if integer else ''}number")
            return None
        if not lo <= value <= hi:
            self.problem((*path, key), f"{key} must be between {lo:g} and {hi:g}, got {value}")
            return None
        return value

    def duration(self, data: dict[str, Any], key: str, path: Path_) -> Duration | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem((*path, key), f'{key} must be a duration string such as "P3D"')
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.problem((*path, key), f"{key}: {exc}")
            return None


def _name(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _unique(reader: _Reader, items: list[tuple[str, Path_]], what: str) -> None:
    seen: dict[str, Path_] = {}
    for key, path in items:
        if not key:
            continue
        if key in seen:
            line, _ = reader.locator.locate(seen[key])
            reader.problem(path, f"duplicate {what} key {key!r} (first defined on line {line})")
        else:
            seen[key] = path


def _references(
    reader: _Reader,
    data: dict[str, Any],
    path: Path_,
    owner: str,
    field_keys: set[str],
    script_keys: set[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A task's or rule's `complete_when` fields and `scripts`, each checked to exist."""
    complete_when = reader.strings(data, "complete_when", path)
    for name in complete_when:
        if name not in field_keys:
            reader.problem(
                (*path, "complete_when"), f"{owner}: complete_when names an unknown field {name!r}"
            )
    scripts = reader.strings(data, "scripts", path)
    for name in scripts:
        if name not in script_keys:
            reader.problem((*path, "scripts"), f"{owner}: no script {name!r}")
    return complete_when, scripts


def _chains(reader: _Reader, data: dict[str, Any], path: Path_) -> tuple[Chain, ...]:
    chains: list[Chain] = []
    for mode in ("trigger", "suggest"):
        spec = data.get(mode)
        if spec is None:
            continue
        specs = spec if isinstance(spec, list) else [spec]
        for item in specs:
            entry = reader.table(item, (*path, mode), {"task", "after"})
            task = reader.text(entry, "task", (*path, mode), required=True)
            after = reader.duration(entry, "after", (*path, mode)) or parse_duration("P0D")
            if task:
                chains.append(Chain(task, after, mode))
    return tuple(chains)


def load_playbook(text: str, filename: str = "<playbook>") -> Playbook:
    """Parse and validate; raises PlaybookInvalid listing every problem found."""
    playbook, problems = check_playbook(text)
    if problems or playbook is None:
        raise PlaybookInvalid(filename, problems)
    return playbook


def check_playbook(text: str) -> tuple[Playbook | None, list[Problem]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [Problem(line, col, f"not valid TOML: {message}")]

    reader = _Reader(Locator(text))
    top = reader.table(data, (), {"playbook", "fields", "stages", "scripts", "modes", "rules"})
    head = reader.table(
        top.get("playbook", {}),
        ("playbook",),
        {"key", "name", "language", "version", "description"},
    )
    if "playbook" not in top:
        reader.problem((), "the file needs a [playbook] table with key, name, language, version")

    fields = _read_fields(reader, top)
    field_keys = {f.key for f in fields}
    scripts = _read_scripts(reader, top, fields)
    script_keys = {s.key for s in scripts}
    stages = _read_stages(reader, top, field_keys, script_keys)
    modes = _read_modes(reader, top)
    cadence, timed, status_rules = _read_rules(reader, top, fields, script_keys)

    stage_keys = {s.key for s in stages}
    task_keys = {t.key for s in stages for t in s.tasks}
    for si, stage in enumerate(stages):
        if stage.gate and stage.gate.turnaround not in stage_keys:
            reader.problem(
                ("stages", si, "gate", "turnaround"),
                f"gate turnaround {stage.gate.turnaround!r} names no stage",
            )
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
            ),
            [],
        )
        if _head_ok(reader, head)
        else (None, reader.problems)
    )


def _head_ok(reader: _Reader, head: dict[str, Any]) -> bool:
    path: Path_ = ("playbook",)
    reader.ident(head, "key", path)
    for key in ("name", "language"):
        reader.text(head, key, path, required=True)
    if not isinstance(head.get("version"), str | int | float):
        reader.problem(path, "[playbook] needs 'version'")
    return not reader.problems


def _read_fields(reader: _Reader, top: dict[str, Any]) -> list[FieldDef]:
    fields: list[FieldDef] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(top, "fields", ())):
        path: Path_ = ("fields", i)
        data = reader.table(raw, path, {"key", "label", "type", "on", "choices", "help"})
        key = reader.ident(data, "key", path)
        ftype = reader.text(data, "type", path, default="text")
        if ftype not in FIELD_TYPES:
            reader.problem(
                (*path, "type"), f"field type {ftype!r} is unknown (use {', '.join(FIELD_TYPES)})"
            )
        on = reader.text(data, "on", path, default="opportunity")
        if on not in FIELD_TARGETS:
            reader.problem((*path, "on"), f"field 'on' must be customer or opportunity, not {on!r}")
        choices = reader.strings(data, "choices", path)
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
            )
        )
    _unique(reader, keys, "field")
    return fields


def _read_scripts(reader: _Reader, top: dict[str, Any], fields: list[FieldDef]) -> list[ScriptDef]:
    known = {ns: set(attrs) for ns, attrs in PLACEHOLDERS.items()}
    for f in fields:
        known[f.on if f.on == "customer" else "opportunity"].add(f.key)
    scripts: list[ScriptDef] = []
    keys: list[tuple[str, Path_]] = []
    for i, raw in enumerate(reader.list_of_tables(top, "scripts", ())):
        path: Path_ = ("scripts", i)
        data = reader.table(raw, path, {"key", "title", "channel", "stage", "body", "tags"})
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
            )
        )
    _unique(reader, keys, "script")
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
}


def _read_stages(
    reader: _Reader, top: dict[str, Any], field_keys: set[str], script_keys: set[str]
) -> list[StageDef]:
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
            g = reader.table(data["gate"], (*path, "gate"), {"question", "turnaround"})
            gate = Gate(
                reader.text(g, "question", (*path, "gate"), required=True),
                reader.text(g, "turnaround", (*path, "gate"), required=True),
            )
        tasks: list[TaskDef] = []
        raw_tasks = reader.list_of_tables(data, "tasks", path)
        if not raw_tasks:
            reader.problem((*path, "key"), f"stage {key!r} has no tasks")
        for ti, traw in enumerate(raw_tasks):
            tpath: Path_ = (*path, "tasks", ti)
            t = reader.table(traw, tpath, TASK_KEYS)
            tkey = reader.ident(t, "key", tpath)
            task_keys.append((tkey, (*tpath, "key")))
            complete_when, scripts = _references(
                reader, t, tpath, f"task {tkey!r}", field_keys, script_keys
            )
            tasks.append(
                TaskDef(
                    key=tkey,
                    stage=key,
                    title=reader.text(t, "title", tpath, required=True),
                    guidance=reader.text(t, "guidance", tpath),
                    purpose=reader.text(t, "purpose", tpath),
                    check=reader.strings(t, "check", tpath),
                    complete_when=complete_when,
                    due=reader.duration(t, "due", tpath),
                    manual=reader.boolean(t, "manual", tpath, default=not complete_when),
                    required=reader.boolean(t, "required", tpath, default=True),
                    on_entry=reader.boolean(t, "on_entry", tpath, default=True),
                    scripts=scripts,
                    chains=_chains(reader, t, tpath),
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
    _unique(reader, stage_keys, "stage")
    _unique(reader, task_keys, "task")
    return stages


def _read_modes(reader: _Reader, top: dict[str, Any]) -> list[ModeDef]:
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
    _unique(reader, keys, "mode")
    return modes


def _read_rules(
    reader: _Reader, top: dict[str, Any], fields: list[FieldDef], script_keys: set[str]
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
        complete_when, scripts = _references(
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
    _unique(reader, keys, "rule")
    return cadence, timed, status_rules
