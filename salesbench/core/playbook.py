"""The playbook model: an SOP as data. Loading and validation live in
salesbench.core.playbook_load; this module only describes a valid playbook."""

from __future__ import annotations

from dataclasses import dataclass, field

from salesbench.core.criteria import Criterion
from salesbench.core.durations import Duration

FIELD_TYPES = ("text", "int", "money", "date", "choice", "bool")
FIELD_TARGETS = ("customer", "opportunity")
SCRIPT_CHANNELS = ("visit", "call", "email", "message", "meeting", "any")
TASK_ROLES = ("rep", "manager", "advisor")
# How a task done with someone else reads in its title, by the playbook's language.
ROLE_WITH = {
    "en": {"manager": "with your manager", "advisor": "with your advisor"},
    "zh": {"manager": "与经理一起", "advisor": "与顾问一起"},
}

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
    sum_of: tuple[str, ...] = ()  # the fields this one totals, once they are all filled

    def label_of(self, value: str) -> str:
        """The label of a choice key in this playbook's language (the key when it has none)."""
        if value in self.choices and len(self.labels) == len(self.choices):
            return self.labels[self.choices.index(value)]
        return value

    def option_of(self, value: str) -> str:
        """A choice as a form lists it: capitalised like the field labels beside it
        ("nurture" -> "Nurture"). A script keeps label_of, as it sits mid-sentence."""
        text = self.label_of(value)
        return text[:1].upper() + text[1:]

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
    # the field criteria of `check` tables and `complete_when`: all met = done by itself
    criteria: tuple[Criterion, ...] = ()
    role: str = "rep"  # who does it: rep, manager or advisor (with the rep)
    skills: tuple[str, ...] = ()


def role_with(role: str, language: str) -> str:
    """ "with your manager" for a task done with the manager; "" for the rep's own."""
    words = ROLE_WITH.get(language.split("-")[0].lower(), ROLE_WITH["en"])
    return words.get(role, "")


@dataclass(frozen=True)
class Gate:
    question: str
    turnaround: str
    on_no: tuple[str, ...] = ()  # tasks opened in the turnaround stage on "no"
    on_yes: tuple[str, ...] = ()  # tasks opened in the next stage on "yes"
    not_after: str | None = None  # once this field is filled, "no" cannot send the deal back


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


ROLES = ("rep", "manager", "advisor")


@dataclass(frozen=True)
class ModeVisit:
    """One visit of a mode's programme: what it is for, who goes (the first leads)."""

    title: str
    roles: tuple[str, ...] = ("rep",)
    guidance: str = ""


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
    enforce: str = "warn"  # "warn" | "block": a broken standard stops auto-completion
    min_score: float | None = None  # the assessment scores this mode is suggested for
    max_score: float | None = None
    visits: tuple[ModeVisit, ...] = ()  # the per-visit programme


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
    equals: str | None = None  # fire only when the field takes this value
    once: bool = False  # the first time only on a deal
    answered_by: str | None = None  # the playbook task that does this rule's job
    every: Duration | None = None  # done, the task comes back this long after, while `when` holds


@dataclass(frozen=True)
class StatusRule:
    """A field value that moves the customer (e.g. into the nurture pool) or closes the deal."""

    key: str
    when: str
    equals: str
    customer_status: str | None = None
    close_as: str | None = None
    reason: str = ""
    scope: str = "customer"  # "deal": only this deal moves (its customer's others go on)


@dataclass(frozen=True)
class BuiltinSetting:
    """How a playbook tunes one of the built-in rules (salesbench.core.rules)."""

    key: str
    once: bool = False  # the first time only (e.g. the thank-you after the first visit)
    answered_by: str | None = None  # the playbook task that does the rule's job


@dataclass(frozen=True)
class RuleSettings:
    builtin: tuple[BuiltinSetting, ...] = ()
    source_field: str | None = None  # the deal field the customer's source fills
    contact_completes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # channel -> task keys
    score_field: str | None = None  # the assessment score that suggests a mode

    def setting(self, key: str) -> BuiltinSetting | None:
        return next((b for b in self.builtin if b.key == key), None)

    def completed_by(self, channel: str) -> tuple[str, ...]:
        return next((keys for c, keys in self.contact_completes if c == channel), ())


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
    rule_settings: RuleSettings = field(default_factory=RuleSettings)

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

    def gate_tasks(self, stage_key: str) -> tuple[str, ...]:
        """Tasks a gate opens in `stage_key`: a turnaround's on "no", the next stage's on "yes"."""
        keys: list[str] = []
        for i, stage in enumerate(self.stages):
            if stage.gate is None:
                continue
            if stage.gate.turnaround == stage_key:
                keys += stage.gate.on_no
            if i + 1 < len(self.stages) and self.stages[i + 1].key == stage_key:
                keys += stage.gate.on_yes
        return tuple(dict.fromkeys(keys))

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
