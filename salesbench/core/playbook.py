"""The playbook model: an SOP as data. Loading and validation live in
salesbench.core.playbook_load; this module only describes a valid playbook."""

from __future__ import annotations

from dataclasses import dataclass, field

from salesbench.core.durations import Duration

FIELD_TYPES = ("text", "int", "money", "date", "choice", "bool")
FIELD_TARGETS = ("customer", "opportunity")
SCRIPT_CHANNELS = ("visit", "call", "email", "message", "meeting", "any")

# Record columns a playbook field may stand for by using the same key.
CUSTOMER_COLUMNS = frozenset(
    {"name", "number", "industry", "size", "source_channel", "annual_purchase"}
)
OPPORTUNITY_COLUMNS = frozenset({"title", "amount", "expected_close", "mode"})

# What script placeholders may name, beside the playbook's own fields.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "rep": frozenset({"name", "email", "team", "region", "branch"}),
    "customer": frozenset(
        {"name", "number", "industry", "size", "source_channel", "grade", "salutation"}
    ),
    "contact": frozenset({"name", "title", "phone", "email", "salutation"}),
    "opportunity": frozenset({"title", "amount", "currency", "expected_close", "stage", "mode"}),
}

DEFAULT_CADENCE_DAYS = {"A": 7, "B": 14, "C": 30}


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    type: str
    on: str
    choices: tuple[str, ...] = ()
    help: str = ""
    labels: tuple[str, ...] = ()  # one per choice, in the playbook's language

    def label_of(self, value: str) -> str:
        """The label of a choice key in this playbook's language (the key when it has none)."""
        if value in self.choices and len(self.labels) == len(self.choices):
            return self.labels[self.choices.index(value)]
        return value

    @property
    def is_column(self) -> bool:
        columns = CUSTOMER_COLUMNS if self.on == "customer" else OPPORTUNITY_COLUMNS
        return self.key in columns


@dataclass(frozen=True)
class Chain:
    """A follow-up task started when a task is done: created (trigger) or offered (suggest)."""

    task: str
    after: Duration
    mode: str  # "trigger" | "suggest"


@dataclass(frozen=True)
class TaskDef:
    key: str
    stage: str
    title: str
    guidance: str = ""
    purpose: str = ""
    check: tuple[str, ...] = ()
    complete_when: tuple[str, ...] = ()
    due: Duration | None = None
    manual: bool = True
    required: bool = True
    on_entry: bool = True
    scripts: tuple[str, ...] = ()
    chains: tuple[Chain, ...] = ()


@dataclass(frozen=True)
class Gate:
    question: str
    turnaround: str


@dataclass(frozen=True)
class StageDef:
    key: str
    name: str
    probability: float
    tasks: tuple[TaskDef, ...]
    exit_criteria: tuple[str, ...] = ()
    rot_days: int | None = None
    gate: Gate | None = None
    purpose: str = ""


@dataclass(frozen=True)
class ScriptDef:
    key: str
    title: str
    body: str
    channel: str = "any"
    stage: str | None = None
    tags: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # fields whose facts the script states


@dataclass(frozen=True)
class ModeDef:
    """A way of running a deal (e.g. a quick one-week sale) with standards to check it against."""

    key: str
    name: str
    description: str = ""
    max_days: int | None = None
    max_visits: int | None = None
    min_price_ratio: float | None = None
    team: bool = False


@dataclass(frozen=True)
class TimedRule:
    """A task created when a field becomes filled, e.g. a payment reminder after signing."""

    key: str
    when: str
    due: Duration
    title: str
    guidance: str = ""
    scripts: tuple[str, ...] = ()
    complete_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusRule:
    """A field value that moves the customer (e.g. into the nurture pool) or closes the deal."""

    key: str
    when: str
    equals: str
    customer_status: str | None = None
    close_as: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Playbook:
    key: str
    name: str
    language: str
    version: str
    stages: tuple[StageDef, ...]
    description: str = ""
    fields: tuple[FieldDef, ...] = ()
    scripts: tuple[ScriptDef, ...] = ()
    modes: tuple[ModeDef, ...] = ()
    timed_rules: tuple[TimedRule, ...] = ()
    status_rules: tuple[StatusRule, ...] = ()
    cadence_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))

    def stage(self, key: str) -> StageDef:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)

    def stage_index(self, key: str) -> int:
        return [s.key for s in self.stages].index(key)

    def next_stage(self, key: str) -> StageDef | None:
        index = self.stage_index(key)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None

    def task(self, key: str) -> TaskDef:
        for stage in self.stages:
            for task in stage.tasks:
                if task.key == key:
                    return task
        raise KeyError(key)

    def field(self, key: str) -> FieldDef:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def script(self, key: str) -> ScriptDef:
        for s in self.scripts:
            if s.key == key:
                return s
        raise KeyError(key)

    def mode(self, key: str) -> ModeDef:
        for m in self.modes:
            if m.key == key:
                return m
        raise KeyError(key)

    def scripts_for(self, task: TaskDef | None, stage_key: str | None) -> list[ScriptDef]:
        """The task's own scripts first, then the rest of its stage's."""
        chosen: list[ScriptDef] = []
        if task is not None:
            chosen = [self.script(k) for k in task.scripts]
        seen = {s.key for s in chosen}
        chosen += [s for s in self.scripts if s.stage == stage_key and s.key not in seen]
        return chosen
