"""Taking a finish back: reopen a done or skipped task, wake a snoozed one.

Finishing a task may have set things off: follow-up tasks made (a chain, a rule's next
step) and rule tasks it answered, done by themselves. Reopening takes those back too,
but never work done since: a follow-up nobody has touched (still open, never changed,
nothing ticked) is withdrawn; one already worked stays as it is and is named in the
result, so the rep knows. A stage is never moved back: finishing a task does not move
the deal (the rep does, answering the gate), so a move made since stands.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from salesbench.core import engine, rules
from salesbench.core.clock import Clock
from salesbench.core.enums import CompletedHow, TaskOrigin, TaskStatus
from salesbench.core.errors import BadInput
from salesbench.core.ids import short_id
from salesbench.core.playbook import Playbook
from salesbench.services.playbook_start import deal_context
from salesbench.services.task_rows import field_values, task_state, ticked, workday_for
from salesbench.services.tasks import VIRTUAL_PREFIX, find_task, retried, transition
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task


@dataclass(frozen=True)
class SetOff:
    """What one finish (or save) set off, by task id: the shells know it from the
    Outcome they were given; without it, it is worked out from the task (see
    `set_off_by`)."""

    created: tuple[str, ...] = ()
    completed: tuple[str, ...] = ()


@dataclass(kw_only=True)
class TakenBack:
    reopened: list[Task] = field(default_factory=list)  # tasks done by themselves, open again
    withdrawn: list[str] = field(default_factory=list)  # untouched follow-ups, removed
    kept: list[Task] = field(default_factory=list)  # follow-ups already worked: left alone


@dataclass(kw_only=True)
class Reopened(TakenBack):
    task: Task
    was: str  # done, skipped or snoozed


def reopen_task(store: Store, ref: str, *, clock: Clock, set_off: SetOff | None = None) -> Reopened:
    """Open the task `ref` again (done, skipped or snoozed), in one transaction."""
    now = clock.now()
    raced = [False]

    if ref.strip().startswith(VIRTUAL_PREFIX):  # the follow-up in turn: open by definition
        raise BadInput(f"{ref.strip()} is the follow-up now in turn: it is open already")

    def write() -> Reopened:
        with store.write(clock) as session:
            task = find_task(session, ref, now=now)
            return _reopen(session, task, now, set_off)

    return retried(write, raced)


def _reopen(session: Session, task: Task, now: datetime, set_off: SetOff | None) -> Reopened:
    if task.status == TaskStatus.OPEN.value:
        raise BadInput(f"task {short_id(task.id)} is already open: nothing to reopen")
    result = Reopened(task=task, was=task.status)
    if task.status == TaskStatus.SNOOZED.value:
        transition(session, task, {"status": "open", "snoozed_until": None, "updated_at": now})
        return result
    at = task.completed_at
    chosen = set_off if set_off is not None else set_off_by(session, task)
    custom = {k: v for k, v in (task.custom or {}).items() if k != "done_anyway"}
    transition(session, task, {**_open_columns(now), "custom": custom})
    take_back(session, chosen, at, now, result)
    return result


def _open_columns(now: datetime) -> dict[str, object]:
    return {"status": "open", "completed_at": None, "completed_how": None, "updated_at": now}


def take_back(
    session: Session, set_off: SetOff, at: datetime | None, now: datetime, result: TakenBack
) -> None:
    """Reopen the tasks done by themselves at `at` and still so; withdraw the follow-ups
    nobody has touched; keep (and name) the rest."""
    for task_id in set_off.completed:
        task = session.get(Task, uuid.UUID(task_id))
        if (
            task is not None
            and task.status == TaskStatus.DONE.value
            and task.completed_how == CompletedHow.AUTO.value
            and (at is None or _same_moment(task.completed_at, at))  # None: any moment
        ):
            transition(session, task, _open_columns(now))
            result.reopened.append(task)
    for task_id in set_off.created:
        task = session.get(Task, uuid.UUID(task_id))
        if task is None:
            continue  # gone already (its deal deleted, say)
        if untouched(task):
            result.withdrawn.append(task.title)
            session.delete(task)
        else:
            result.kept.append(task)
    session.flush()


def untouched(task: Task) -> bool:
    """Still as the SOP made it: open, never written since, nothing ticked."""
    return task.status == TaskStatus.OPEN.value and task.version == 1 and not ticked(task)


def _same_moment(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return False
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def set_off_by(session: Session, task: Task) -> SetOff:
    """What finishing `task` made, worked out again from the task (the CLI's `task
    reopen` was not there to see it): the tasks of the same deal (or customer) created
    in the same instant it was finished, whose origin that finish would have made; and
    the rule tasks it answers, done by themselves in that instant."""
    at = task.completed_at
    if at is None:
        return SetOff()
    if task.opportunity_id is not None:
        opp = session.get_one(Opportunity, task.opportunity_id)
        customer = session.get_one(Customer, opp.customer_id)
        subject = Task.opportunity_id == task.opportunity_id
    else:
        opp, customer = None, session.get_one(Customer, task.customer_id)
        subject = Task.customer_id == task.customer_id
    rep = session.get_one(Rep, task.owner_id)
    playbook = _playbook(session, opp, rep)
    workday = workday_for(rep)
    state = task_state(task)
    plans: list[engine.NewTask] = []
    if playbook is not None and opp is not None and task.status == TaskStatus.DONE.value:
        values = field_values(playbook, customer, opp)
        plans += engine.chained(playbook, state, at, workday, values)
        plans += rules.rule_repeated(playbook, state, at, workday, values)
    if task.origin_kind == TaskOrigin.RULE.value:
        plans += rules.after_rule_done(task.origin, at, workday, rep.language, customer.name)
    origins = {(p.origin_kind, p.origin) for p in plans}
    created = tuple(
        str(t.id)
        for t in session.exec(select(Task).where(subject, Task.id != task.id))
        if _same_moment(t.created_at, at) and (t.origin_kind, t.origin) in origins
    )
    completed: tuple[str, ...] = ()
    if (
        playbook is not None
        and task.origin_kind == TaskOrigin.PLAYBOOK.value
        and task.origin
        and task.status == TaskStatus.DONE.value
    ):
        keys = rules.answered_rules(playbook, task.origin)
        completed = tuple(
            str(t.id)
            for t in _customer_tasks(session, customer.id)
            if t.origin_kind == TaskOrigin.RULE.value
            and t.origin in keys
            and t.completed_how == CompletedHow.AUTO.value
            and _same_moment(t.completed_at, at)
        )
    return SetOff(created, completed)


def _customer_tasks(session: Session, customer_id: uuid.UUID) -> list[Task]:
    from sqlmodel import col, or_

    opp_ids = select(Opportunity.id).where(Opportunity.customer_id == customer_id)
    return list(
        session.exec(
            select(Task).where(
                or_(Task.customer_id == customer_id, col(Task.opportunity_id).in_(opp_ids))
            )
        )
    )


def _playbook(session: Session, opp: Opportunity | None, rep: Rep) -> Playbook | None:
    if opp is None or not opp.playbook_key:
        return None
    return deal_context(session, opp)[2]


# ------------------------------------------------------------------ a form save taken back


@dataclass
class Restored:
    restored: list[str] = field(default_factory=list)  # field labels set back
    changed_since: list[str] = field(default_factory=list)  # labels someone changed since
    back: TakenBack = field(default_factory=TakenBack)  # the tasks it finished and made


def deal_values(store: Store, opportunity_id: str) -> dict[str, Any]:
    """Every playbook field of the deal (and its customer), as stored now."""
    with store.read() as session:
        opp = session.get_one(Opportunity, uuid.UUID(opportunity_id))
        customer, _rep, playbook = deal_context(session, opp)
        return field_values(playbook, customer, opp) if playbook is not None else {}


def restore_fields(
    store: Store,
    opportunity_id: str,
    previous: dict[str, Any],
    saved: dict[str, Any],
    set_off: SetOff,
    *,
    clock: Clock,
) -> Restored:
    """Set back the fields a save changed (`previous` before it, `saved` after) where
    they still hold what the save wrote: a value someone changed since is theirs and
    stays. The tasks the save finished by themselves open again; the ones it made are
    withdrawn while untouched (see `take_back`)."""
    now = clock.now()
    with store.write(clock) as session:
        opp = session.get_one(Opportunity, uuid.UUID(opportunity_id))
        customer, _rep, playbook = deal_context(session, opp)
        result = Restored()
        if playbook is None:
            return result
        current = field_values(playbook, customer, opp)
        customer_custom, opp_custom = dict(customer.custom), dict(opp.custom)
        for key, value in previous.items():
            f = playbook.field(key)
            if current.get(key) != saved.get(key):
                result.changed_since.append(f.label)
                continue
            record: Any = customer if f.on == "customer" else opp
            if f.is_column:
                setattr(record, key, value)
            else:
                target = customer_custom if f.on == "customer" else opp_custom
                if value is None:
                    target.pop(key, None)
                else:
                    target[key] = value
            result.restored.append(f.label)
        customer.custom, opp.custom = customer_custom, opp_custom  # new dicts: JSON tracked
        opp.updated_at = now
        session.add_all([opp, customer])
        take_back(session, set_off, None, now, result.back)
    return result
