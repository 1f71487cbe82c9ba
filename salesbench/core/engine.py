"""The SOP engine: which tasks exist, when they are due, and when they are done.

Everything here is a pure function of the playbook, the opportunity's state and
the time passed in. Services turn the returned plans into rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesbench.core.enums import CompletedHow, TaskOrigin, TaskStatus, is_open
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.playbook import Playbook, StageDef, TaskDef
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


def _new_playbook_task(
    task: TaskDef,
    start: datetime,
    workday: Workday,
    values: dict[str, Any],
    *,
    suggested: bool = False,
    due_rule_start: datetime | None = None,
) -> NewTask:
    due = workday.due(due_rule_start or start, task.due) if task.due is not None else None
    done = all_filled(values, task.complete_when)
    return NewTask(
        title=task.title,
        origin_kind=TaskOrigin.PLAYBOOK.value,
        origin=task.key,
        due_at=due,
        stage_key=task.stage,
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
    return [_new_playbook_task(t, entered_at, workday, values) for t in stage.tasks if t.on_entry]


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


def completed_by_fields(
    playbook: Playbook, tasks: Iterable[TaskState], values: dict[str, Any]
) -> list[TaskState]:
    """Open tasks whose `complete_when` fields are now all filled."""
    return [
        t for t in tasks if is_open(t.status) and all_filled(values, completion_fields(playbook, t))
    ]


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
        due_from = done_at + chain.after.delta
        new = _new_playbook_task(
            target,
            done_at,
            workday,
            values,
            suggested=chain.mode == "suggest",
            due_rule_start=due_from,
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
    open_required: tuple[str, ...] = field(default=())

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not self.open_required


def stage_progress(playbook: Playbook, stage_key: str, tasks: Iterable[TaskState]) -> StageProgress:
    """How much of a stage is done: every required task of the stage counts, created or not."""
    stage = playbook.stage(stage_key)
    status_by_key: dict[str, str] = {}
    for t in tasks:
        # a task that was done once stays done even if a later copy is open
        if (
            t.origin_kind == TaskOrigin.PLAYBOOK.value
            and t.origin
            and t.stage_key == stage_key
            and status_by_key.get(t.origin) not in ("done", "skipped")
        ):
            status_by_key[t.origin] = t.status
    required = [t for t in stage.tasks if t.required]
    finished = [t for t in required if status_by_key.get(t.key) in ("done", "skipped")]
    open_required = tuple(t.key for t in required if t not in finished)
    return StageProgress(stage, len(finished), len(required), open_required)


@dataclass(frozen=True)
class Move:
    target: str
    via: str  # "advance" | "turnaround" | "jump"
    answer: str | None = None


def plan_move(
    playbook: Playbook,
    current: str,
    tasks: Iterable[TaskState],
    *,
    to: str | None = None,
    answer: str | None = None,
    force: bool = False,
) -> Move:
    """Where `opp move` goes. Forward needs the stage's required tasks done; a gate
    needs a yes/no answer, and "no" takes the turnaround path."""
    if to is not None:
        try:
            playbook.stage(to)
        except KeyError:
            known = ", ".join(s.key for s in playbook.stages)
            raise BadInput(f"no stage {to!r} in {playbook.key} (stages: {known})") from None
        if playbook.stage_index(to) <= playbook.stage_index(current):
            return Move(to, "jump")  # going back never needs permission
    progress = stage_progress(playbook, current, tasks)
    stage = progress.stage
    if stage.gate is not None:
        if answer is None:
            raise BadInput(
                f"stage {stage.key!r} ends with a decision: {stage.gate.question} "
                "(answer with --yes-answer or --no-answer)"
            )
        if answer == "no":
            return Move(stage.gate.turnaround, "turnaround", "no")
    nxt = playbook.next_stage(current)
    if nxt is None:
        raise Conflict(f"{stage.key!r} is the last stage: close the deal with `opp won`")
    target = to or nxt.key
    if not progress.complete and not force:
        raise Conflict(
            f"stage {stage.key!r} still has required tasks open: "
            f"{', '.join(progress.open_required)} (finish them, or move with --force)"
        )
    if playbook.stage_index(target) > playbook.stage_index(nxt.key) and not force:
        raise Conflict(f"{target!r} is past the next stage {nxt.key!r} (use --force to skip)")
    return Move(target, "advance", answer)
