"""Tasks by hand: finding one (or making the cadence task real), finishing and snoozing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from salesbench.core.clock import Clock
from salesbench.core.enums import OPEN_STATES, CompletedHow, TaskOrigin, TaskStatus
from salesbench.core.errors import BadInput, Conflict, NotFound
from salesbench.core.ids import short_id
from salesbench.core.playbook import Playbook
from salesbench.core.snooze import snooze_until
from salesbench.services.cadence_steps import current_step, finished_by, lock_follow_ups
from salesbench.services.customers import find_customer
from salesbench.services.edits import ATTEMPTS, Stale, is_transient
from salesbench.services.playbook_start import deal_context
from salesbench.services.refs import find
from salesbench.services.task_rows import (
    Outcome,
    after_done,
    cadence_task_title,
    field_values,
    finished,
    offer_next,
    workday_for,
)
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task

T = TypeVar("T")

CADENCE = "cadence"
VIRTUAL_PREFIX = "cadence:"


def opp_tasks(session: Session, opp_id: uuid.UUID) -> list[Task]:
    return list(session.exec(select(Task).where(Task.opportunity_id == opp_id)))


def find_task(session: Session, ref: str, *, now: datetime) -> Task:
    """A task by id, id prefix or title; `cadence:<customer>` makes the cadence task real."""
    if ref.startswith(VIRTUAL_PREFIX):
        return _materialize_cadence(session, ref.removeprefix(VIRTUAL_PREFIX), now)
    return find(session, Task, ref, label="task", names=("title",))


def _materialize_cadence(session: Session, customer_ref: str, now: datetime) -> Task:
    """The follow-up now in turn as a real task: the open one if there is one, else a
    new row for the cadence step now in turn (due when that step is due). A step is
    finished once: when the customer's last touch is a follow-up finished and the next
    step is not due yet, that follow-up was this one (Conflict, nothing written)."""
    customer = find_customer(session, customer_ref)
    lock_follow_ups(session, customer)
    existing = session.exec(
        select(Task).where(
            Task.customer_id == customer.id,
            Task.origin == CADENCE,
            col(Task.status).in_(OPEN_STATES),
        )
    ).first()
    if existing is not None:
        return existing
    step = current_step(session, customer, now)
    if step.last is not None and step.last_is_touch and not step.due_today:
        raise Conflict(
            f"the follow-up of {customer.name} is already {step.last.status} "
            f"({finished_by(session, step.last)}): nothing changed"
        )
    rep = session.get_one(Rep, customer.owner_id)
    task = Task(
        customer_id=customer.id,
        owner_id=customer.owner_id,
        origin_kind=TaskOrigin.RULE.value,
        origin=CADENCE,
        title=cadence_task_title(session, customer, rep.language),
        due_at=step.due or now,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    session.flush()
    return task


def _subject(
    session: Session, task: Task
) -> tuple[Opportunity | None, Customer, Rep, Playbook | None]:
    if task.opportunity_id is not None:
        opp = session.get_one(Opportunity, task.opportunity_id)
        customer, rep, playbook = deal_context(session, opp)
        return opp, customer, rep, playbook
    customer = session.get_one(Customer, task.customer_id)
    return None, customer, session.get_one(Rep, task.owner_id), None


def finish_task(
    store: Store,
    ref: str,
    status: str,
    *,
    clock: Clock,
    force: bool = False,
    reason: str | None = None,
) -> tuple[Task, Outcome]:
    """Mark a task done or skipped by hand, and let the SOP react. Of two people
    finishing the same task at once exactly one wins (the other gets a Conflict), and
    only the winner's transaction makes the follow-up tasks."""
    now = clock.now()
    raced = [False]

    def write() -> tuple[Task, Outcome]:
        with store.write(clock) as session:
            task = find_task(session, ref, now=now)
            outcome = _finish_one(session, task, status, now, force, raced=raced[0], reason=reason)
        return task, outcome

    return retried(write, raced)


def retried(write: Callable[[], T], raced: list[bool]) -> T:
    """Run a transition again when its row changed between read and write, or the
    database undid it for another's (a deadlock): the second time its state check sees
    what the other process did."""
    for _ in range(ATTEMPTS):
        try:
            return write()
        except Exception as exc:
            if not is_transient(exc):
                raise
            raced[0] = True
    raise Conflict("the task keeps being changed by someone else at this moment; try again")


def _not_open(task: Task, raced: bool) -> Conflict:
    if raced:
        return Conflict(
            f"task {short_id(task.id)} was already {task.status} by someone else meanwhile: "
            "nothing changed"
        )
    return Conflict(f"task {short_id(task.id)} is already {task.status}: nothing changed")


def transition(session: Session, task: Task, values: dict[str, Any]) -> None:
    """Move a task out of the state it was read in: `UPDATE task SET … , version =
    version + 1 WHERE id = ? AND status = <read> AND version = <read>`. No row
    updated means someone else moved it first: Stale (read it again)."""
    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    session.flush()  # a cadence task made real just now exists before it moves
    table = Task.__table__  # type: ignore[attr-defined]
    done = session.connection().execute(
        update(table)
        .where(
            table.c.id == task.id,
            table.c.status == task.status,
            table.c.version == task.version,
        )
        .values(**values, version=task.version + 1)
    )
    if done.rowcount != 1:
        raise Stale
    for key, value in {**values, "version": task.version + 1}.items():
        set_committed_value(task, key, value)


def _finish_one(
    session: Session,
    task: Task,
    status: str,
    now: datetime,
    force: bool,
    *,
    raced: bool = False,
    reason: str | None = None,
) -> Outcome:
    if task.status not in OPEN_STATES:
        raise _not_open(task, raced)
    opp, customer, rep, playbook = _subject(session, task)
    values = field_values(playbook, customer, opp) if playbook and opp else {}
    columns = finished(status, CompletedHow.MANUAL.value, now)
    if status == TaskStatus.DONE.value and playbook is not None and opp is not None:
        from salesbench.services.mode_rules import standard_held

        held = standard_held(session, playbook, opp, task, values, now)
        columns.update(_done_anyway(playbook, task, values, force, reason, held))
    transition(session, task, columns)
    outcome = Outcome()
    after_done(
        session, playbook, task, outcome, now, workday_for(rep), values, rep.language, customer
    )
    session.flush()
    if playbook is not None and opp is not None:
        offer_next(outcome, playbook, opp, opp_tasks(session, opp.id))
        if status == TaskStatus.SKIPPED.value and outcome.ready is None:
            outcome.ready = _still_open(playbook, opp, task, session)
    return outcome


def _done_anyway(
    playbook: Playbook,
    task: Task,
    values: dict[str, Any],
    force: bool,
    reason: str | None,
    held: str | None = None,
) -> dict[str, Any]:
    """A task whose criteria are met is simply done; one with criteria open, or held by
    a standard its mode enforces (`held`), is done only "anyway", with the reason why,
    kept on the task."""
    from salesbench.core.criteria import CriteriaOpen
    from salesbench.core.engine import criteria_open, unticked_items
    from salesbench.services.task_rows import task_state

    state = task_state(task)
    still = criteria_open(playbook, state, values) + ([held] if held else [])
    if not still:
        return {}
    if not reason or not reason.strip():
        if force:
            raise BadInput(
                f"“{task.title}” still has open: {'; '.join(still)}; "
                "to mark it done anyway, say why with --reason"
            )
        raise CriteriaOpen(task.title, still)
    note = {"reason": reason.strip(), "open": still + unticked_items(playbook, state)}
    return {"custom": {**(task.custom or {}), "done_anyway": note}}


def _still_open(playbook: Playbook, opp: Opportunity, task: Task, session: Session) -> str | None:
    """After a skip: what keeps the task's stage from being complete."""
    from salesbench.core.engine import skip_note, stage_progress
    from salesbench.services.task_rows import task_state

    if task.stage_key is None or task.stage_key != opp.stage_key:
        return None
    progress = stage_progress(
        playbook, opp.stage_key, [task_state(t) for t in opp_tasks(session, opp.id)]
    )
    return None if progress.complete else skip_note(progress, task.origin)


def _snooze(
    session: Session, task: Task, spec: str, now: datetime, *, raced: bool = False
) -> datetime:
    if task.status not in OPEN_STATES:
        if raced:
            raise _not_open(task, raced)
        raise Conflict(f"task {short_id(task.id)} is {task.status}; only open tasks snooze")
    try:
        until = snooze_until(spec, now, workday_for(session.get_one(Rep, task.owner_id)))
    except ValueError as exc:
        raise BadInput(str(exc), field="until") from None
    if until <= now:
        raise BadInput("must be in the future", field="until")
    transition(
        session,
        task,
        {"status": TaskStatus.SNOOZED.value, "snoozed_until": until, "updated_at": now},
    )
    return until


def snooze_task(store: Store, ref: str, spec: str, *, clock: Clock) -> Task:
    """Snooze until `spec` (1h, tomorrow, next-week, a date...) in the owner's workday."""
    now = clock.now()
    raced = [False]

    def write() -> Task:
        with store.write(clock) as session:
            task = find_task(session, ref, now=now)
            _snooze(session, task, spec, now, raced=raced[0])
        return task

    return retried(write, raced)


def bulk_finish(
    store: Store,
    task_ids: list[uuid.UUID],
    status: str,
    *,
    clock: Clock,
    force: bool = False,
    reason: str | None = None,
) -> int:
    """Finish many tasks in one transaction: all of them or none."""
    now = clock.now()
    raced = [False]

    def write() -> int:
        with store.write(clock) as session:
            for task_id in task_ids:
                task = session.get(Task, task_id)
                if task is None:
                    raise NotFound(f"no task with id {task_id}")
                _finish_one(session, task, status, now, force, raced=raced[0], reason=reason)
        return len(task_ids)

    return retried(write, raced)


def bulk_snooze(store: Store, task_ids: list[uuid.UUID], spec: str, *, clock: Clock) -> int:
    now = clock.now()
    raced = [False]

    def write() -> int:
        with store.write(clock) as session:
            for task_id in task_ids:
                _snooze(session, session.get_one(Task, task_id), spec, now, raced=raced[0])
        return len(task_ids)

    return retried(write, raced)
