"""The SOP engine: which tasks exist, when they are due, and when they are done.

Everything here is a pure function of the playbook, the opportunity's state and
the time passed in. Services turn the returned plans into rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesbench.core.criteria import all_met, checklist, open_criteria, unticked
from salesbench.core.enums import CompletedHow, TaskOrigin, TaskStatus, is_open
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.i18n import _
from salesbench.core.playbook import Playbook, StageDef, TaskDef, role_with
from salesbench.core.stage_rule import keys_by_status, stage_tally
from salesbench.core.values import all_filled, is_filled
from salesbench.core.workday import Workday


@dataclass(frozen=True)
class NewTask:
    """A task to create; the service adds ids, owner and subject."""

    title: str
    origin_kind: str
    origin: str
    due_at: datetime | None
    stage_key: str | None = None
    status: str = TaskStatus.OPEN.value
    completed_at: datetime | None = None
    completed_how: str | None = None
    suggested: bool = False


@dataclass(frozen=True)
class TaskState:
    """What the engine needs to know of a stored task."""

    id: Any
    origin_kind: str
    origin: str | None
    stage_key: str | None
    status: str
    suggested: bool = False
    ticked: tuple[int, ...] = ()  # the checklist items the rep has ticked, from 1


def task_title(playbook: Playbook, task: TaskDef) -> str:
    """The task's title, saying who it is done with when that is not the rep alone."""
    who = role_with(task.role, playbook.language)
    if not who:
        return task.title
    if playbook.language.startswith("zh"):
        return f"{task.title}（{who}）"
    return f"{task.title} ({who})"


def _new_playbook_task(
    task: TaskDef,
    start: datetime,
    workday: Workday,
    values: dict[str, Any],
    *,
    suggested: bool = False,
    due_rule_start: datetime | None = None,
    title: str | None = None,
    stage_key: str | None = None,
) -> NewTask:
    due = workday.due(due_rule_start or start, task.due) if task.due is not None else None
    # A checklist is the rep's to tick: a task that has one never starts done.
    done = all_met(task.criteria, values) and not checklist(task)
    return NewTask(
        title=title or task.title,
        origin_kind=TaskOrigin.PLAYBOOK.value,
        origin=task.key,
        due_at=due,
        stage_key=stage_key or task.stage,
        status=TaskStatus.DONE.value if done else TaskStatus.OPEN.value,
        completed_at=start if done else None,
        completed_how=CompletedHow.AUTO.value if done else None,
        suggested=suggested,
    )


def enter_stage(
    playbook: Playbook,
    stage_key: str,
    entered_at: datetime,
    workday: Workday,
    values: dict[str, Any],
) -> list[NewTask]:
    """The tasks a stage starts with; those whose fields are already filled start done."""
    stage = playbook.stage(stage_key)
    return [
        _new_playbook_task(t, entered_at, workday, values, title=task_title(playbook, t))
        for t in stage.tasks
        if t.on_entry
    ]


def gate_opened(
    playbook: Playbook,
    keys: tuple[str, ...],
    stage_key: str,
    at: datetime,
    workday: Workday,
    values: dict[str, Any],
) -> list[NewTask]:
    """The tasks a gate's answer opens in `stage_key` (a turnaround's, or a reference case)."""
    return [
        _new_playbook_task(
            t, at, workday, values, title=task_title(playbook, t), stage_key=stage_key
        )
        for t in (playbook.task(k) for k in keys)
    ]


def completion_fields(playbook: Playbook, task: TaskState) -> tuple[str, ...]:
    if task.origin is None:
        return ()
    if task.origin_kind == TaskOrigin.PLAYBOOK.value:
        try:
            return playbook.task(task.origin).complete_when
        except KeyError:
            return ()
    if task.origin_kind == TaskOrigin.RULE.value:
        for rule in playbook.timed_rules:
            if rule.key == task.origin:
                return rule.complete_when
    return ()


def _definition(playbook: Playbook, task: TaskState) -> TaskDef | None:
    if task.origin_kind != TaskOrigin.PLAYBOOK.value or task.origin is None:
        return None
    try:
        return playbook.task(task.origin)
    except KeyError:
        return None


def criteria_open(playbook: Playbook, task: TaskState, values: dict[str, Any]) -> list[str]:
    """A playbook task's field criteria not met yet, in the rep's words. (Its checklist
    is the rep's to vouch for: `done` by the rep covers it; completing by itself waits
    for the ticks, see completed_by_fields.)"""
    definition = _definition(playbook, task)
    return open_criteria(definition.criteria, values) if definition else []


def unticked_items(playbook: Playbook, task: TaskState) -> list[str]:
    """A playbook task's checklist items the rep has not ticked yet."""
    definition = _definition(playbook, task)
    return unticked(definition, list(task.ticked)) if definition else []


def completed_by_fields(
    playbook: Playbook,
    tasks: Iterable[TaskState],
    values: dict[str, Any],
    *,
    skipped_too: bool = False,
) -> list[TaskState]:
    """Open tasks whose criteria are now all met and whose checklist is all ticked
    (a rule's: its fields all filled); with `skipped_too`, also a skipped playbook task
    whose criteria the deal now meets after all (skipping was not the last word)."""
    out = []
    for t in tasks:
        definition = _definition(playbook, t)
        revived = skipped_too and t.status == TaskStatus.SKIPPED.value
        if not (is_open(t.status) or (revived and definition and definition.criteria)):
            continue
        if definition is not None:
            if all_met(definition.criteria, values) and not unticked(definition, list(t.ticked)):
                out.append(t)
        elif all_filled(values, completion_fields(playbook, t)):
            out.append(t)
    return out


def waiting_for_ticks(
    playbook: Playbook,
    tasks: Iterable[TaskState],
    before: dict[str, Any],
    after: dict[str, Any],
) -> list[tuple[TaskState, int]]:
    """Open tasks whose field criteria have just become met but whose checklist is not
    all ticked, with how many items are left: they do not complete by themselves."""
    out = []
    for t in tasks:
        definition = _definition(playbook, t) if is_open(t.status) else None
        if definition is None or not definition.criteria:
            continue
        left = unticked(definition, list(t.ticked))
        if (
            left
            and all_met(definition.criteria, after)
            and not all_met(definition.criteria, before)
        ):
            out.append((t, len(left)))
    return out


def rules_fired(
    playbook: Playbook,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
    workday: Workday,
) -> list[NewTask]:
    """Timed rules whose trigger field has just been filled (e.g. contract signed)."""
    created: list[NewTask] = []
    for rule in playbook.timed_rules:
        if rule.equals is not None:  # fires when the field takes that value
            fired = after.get(rule.when) == rule.equals != before.get(rule.when)
        else:
            fired = is_filled(after.get(rule.when)) and not is_filled(before.get(rule.when))
        if fired:
            done = all_filled(after, rule.complete_when)
            created.append(
                NewTask(
                    title=rule.title,
                    origin_kind=TaskOrigin.RULE.value,
                    origin=rule.key,
                    due_at=workday.due(now, rule.due),
                    status="done" if done else "open",
                    completed_at=now if done else None,
                    completed_how="auto" if done else None,
                )
            )
    return created


def chained(
    playbook: Playbook, task: TaskState, done_at: datetime, workday: Workday, values: dict[str, Any]
) -> list[NewTask]:
    """Follow-ups of a finished playbook task: `trigger` creates, `suggest` offers."""
    if task.origin_kind != TaskOrigin.PLAYBOOK.value or task.origin is None:
        return []
    try:
        definition = playbook.task(task.origin)
    except KeyError:
        return []
    out = []
    for chain in definition.chains:
        target = playbook.task(chain.task)
        if target.key == definition.key and all_met(target.criteria, values):
            continue  # a task that repeats itself (a daily chase) stops once it is met
        due_from = done_at + chain.after.delta
        new = _new_playbook_task(
            target,
            done_at,
            workday,
            values,
            suggested=chain.mode == "suggest",
            due_rule_start=due_from,
            title=task_title(playbook, target),
        )
        if target.due is None:
            new = NewTask(**{**new.__dict__, "due_at": workday.due(done_at, chain.after)})
        out.append(new)
    return out


@dataclass(frozen=True)
class StageProgress:
    stage: StageDef
    done: int
    total: int
    open_required: tuple[str, ...] = field(default=())  # task keys
    open_titles: tuple[str, ...] = field(default=())  # the same, as the rep reads them

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not self.open_required


def stage_progress(playbook: Playbook, stage_key: str, tasks: Iterable[TaskState]) -> StageProgress:
    """How much of a stage is done: every required task of the stage counts, created or
    not, and so does every task a gate opened here (a turnaround's) while it is not done.
    Only done counts: a skipped task is still open for the stage."""
    stage = playbook.stage(stage_key)
    by_status = keys_by_status(
        (t.origin, t.status)
        for t in tasks
        if t.origin_kind == TaskOrigin.PLAYBOOK.value and t.origin and t.stage_key == stage_key
    )
    keys, finished = stage_tally(
        (t.key for t in stage.tasks if t.required), playbook.gate_tasks(stage_key), by_status
    )
    open_keys = tuple(k for k in keys if k not in finished)
    titles = tuple(playbook.task(k).title for k in open_keys)
    return StageProgress(stage, len(finished), len(keys), open_keys, titles)


def open_note(progress: StageProgress) -> str:
    """What keeps a stage from being complete, in the rep's words."""
    return _("stage {stage} is not complete; still open: {titles}").format(
        stage=progress.stage.name, titles="; ".join(progress.open_titles)
    )


def skip_note(progress: StageProgress, skipped: str | None) -> str:
    """What a skip leaves the stage short of: the task just skipped (task key
    `skipped`) named as skipped, since to the rep it is no longer open work."""
    pairs = zip(progress.open_required, progress.open_titles, strict=True)
    others = [title for key, title in pairs if key != skipped]
    if skipped not in progress.open_required:
        return open_note(progress)
    title = progress.open_titles[progress.open_required.index(skipped)]
    note = _("stage {stage} is not complete without “{title}” (skipped)").format(
        stage=progress.stage.name, title=title
    )
    if not others:
        return note
    return note + _("; still open: {titles}").format(titles="; ".join(others))


@dataclass(frozen=True)
class Move:
    target: str
    via: str  # "advance" | "turnaround" | "jump"
    answer: str | None = None
    target_name: str = ""  # the stage's name in the playbook's language, for the rep


def plan_move(
    playbook: Playbook,
    current: str,
    tasks: Iterable[TaskState],
    *,
    to: str | None = None,
    answer: str | None = None,
    force: bool = False,
    values: dict[str, Any] | None = None,
) -> Move:
    """Where `opp move` goes. Forward needs the stage's required tasks done; a gate is
    asked only then, and "no" takes the turnaround path (unless its `not_after` field
    is filled: a signed deal is not sent back)."""
    if to is not None:
        try:
            playbook.stage(to)
        except KeyError:
            known = ", ".join(s.key for s in playbook.stages)
            raise BadInput(f"no stage {to!r} in {playbook.key} (stages: {known})") from None
        if playbook.stage_index(to) <= playbook.stage_index(current):
            return Move(to, "jump", target_name=playbook.stage(to).name)  # back: always allowed
    progress = stage_progress(playbook, current, tasks)
    stage = progress.stage
    if not progress.complete and not force:
        ask = f" before the question: {stage.gate.question}" if stage.gate else ""
        raise Conflict(
            f"stage {stage.name} still has required tasks open{ask}: "
            f"{'; '.join(progress.open_titles)} (finish them, or move with --force)"
        )
    if stage.gate is not None:
        if answer is None:
            raise BadInput(
                f"stage {stage.name} ends with a decision: {stage.gate.question} "
                "(answer with --yes-answer or --no-answer)"
            )
        if answer == "no":
            after = stage.gate.not_after
            if after and is_filled((values or {}).get(after)):
                label = playbook.field(after).label
                raise Conflict(
                    f"{label} is filled: the deal is past the point where "
                    f"“{stage.gate.question}” can send it back (close it as lost instead)"
                )
            turnaround = stage.gate.turnaround
            return Move(turnaround, "turnaround", "no", playbook.stage(turnaround).name)
    nxt = playbook.next_stage(current)
    if nxt is None:
        raise Conflict(f"{stage.name} is the last stage: close the deal with `opp won`")
    target = to or nxt.key
    if playbook.stage_index(target) > playbook.stage_index(nxt.key) and not force:
        past = playbook.stage(target).name
        raise Conflict(f"{past} is past the next stage, {nxt.name} (use --force to skip)")
    return Move(target, "advance", answer, playbook.stage(target).name)


def gate_keys(playbook: Playbook, current: str, move: Move) -> tuple[str, ...]:
    """The tasks the gate's answer opens: on_no in the turnaround stage, on_yes ahead."""
    gate = playbook.stage(current).gate
    if gate is None or move.answer is None:
        return ()
    if move.via == "turnaround":
        return gate.on_no
    return gate.on_yes if move.via == "advance" else ()
