"""Use cases of the SOP engine: each opens one transaction, asks the core, writes rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core import engine, rules
from salesbench.core.clock import Clock
from salesbench.core.enums import CompletedHow, OppStatus, TaskOrigin, TaskStatus
from salesbench.core.errors import BadInput, Conflict, NotFound
from salesbench.core.opportunities import apply_opportunity_rules
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS, Playbook
from salesbench.core.values import parse_assignments
from salesbench.core.workday import Workday, parse_hhmm
from salesbench.services.customers import find_customer
from salesbench.services.opportunities import find_opportunity
from salesbench.services.playbooks import catalog_from_session
from salesbench.services.refs import find
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, StageMove, Task

OPEN_STATES = (TaskStatus.OPEN.value, TaskStatus.SNOOZED.value)
CADENCE = "cadence"
VIRTUAL_PREFIX = "cadence:"


def workday_for(rep: Rep) -> Workday:
    days = frozenset(int(d) for d in rep.workdays.split(",") if d.strip())
    return Workday(rep.timezone, parse_hhmm(rep.workday_start), parse_hhmm(rep.workday_end), days)


@dataclass
class Outcome:
    """What a use case did, for the shells to report."""

    completed: list[Task] = field(default_factory=list)
    created: list[Task] = field(default_factory=list)
    ready: str | None = None  # a sentence offering the next stage, when the stage is done
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def field_values(playbook: Playbook, customer: Customer, opp: Opportunity) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in playbook.fields:
        record: Any = customer if f.on == "customer" else opp
        values[f.key] = getattr(record, f.key) if f.is_column else record.custom.get(f.key)
    return values


def _apply_values(
    playbook: Playbook, customer: Customer, opp: Opportunity, changes: dict[str, Any]
) -> None:
    customer_custom, opp_custom = dict(customer.custom), dict(opp.custom)
    for key, value in changes.items():
        f = playbook.field(key)
        record: Any = customer if f.on == "customer" else opp
        if f.is_column:
            if value is None and key in ("name", "title"):
                raise BadInput("must not be empty", field=key)
            if f.type == "date" and value is not None:
                value = date.fromisoformat(value)
            setattr(record, key, value)
        else:
            target = customer_custom if f.on == "customer" else opp_custom
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
    customer.custom, opp.custom = customer_custom, opp_custom  # new dicts: JSON change tracked


def _state(task: Task) -> engine.TaskState:
    return engine.TaskState(
        task.id, task.origin_kind, task.origin, task.stage_key, task.status, task.suggested
    )


def _add(
    session: Session,
    plans: list[engine.NewTask],
    *,
    owner_id: uuid.UUID,
    now: datetime,
    opportunity_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    complaint_id: uuid.UUID | None = None,
) -> list[Task]:
    created = []
    for plan in plans:
        task = Task(
            **plan.__dict__,
            owner_id=owner_id,
            opportunity_id=opportunity_id,
            customer_id=customer_id if opportunity_id is None else None,
            complaint_id=complaint_id,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        created.append(task)
    return created


def _finish(task: Task, status: str, how: str, now: datetime) -> None:
    task.status = status
    task.completed_at = now
    task.completed_how = how
    task.snoozed_until = None
    task.updated_at = now


def _context(session: Session, opp: Opportunity) -> tuple[Customer, Rep, Playbook | None]:
    customer = session.get_one(Customer, opp.customer_id)
    rep = session.get_one(Rep, opp.owner_id)
    playbook = None
    if opp.playbook_key:
        playbook = catalog_from_session(session).get(opp.playbook_key, rep.language)
    return customer, rep, playbook


def _opp_tasks(session: Session, opp_id: uuid.UUID) -> list[Task]:
    return list(session.exec(select(Task).where(Task.opportunity_id == opp_id)))


def _ready_note(playbook: Playbook, opp: Opportunity, tasks: list[Task]) -> str | None:
    if opp.stage_key is None or opp.status != OppStatus.OPEN.value:
        return None
    progress = engine.stage_progress(playbook, opp.stage_key, [_state(t) for t in tasks])
    if not progress.complete:
        return None
    stage = progress.stage
    if stage.gate is not None:
        return (
            f"stage {stage.name} is complete; decide: {stage.gate.question} "
            f"(opp move --yes-answer or --no-answer)"
        )
    nxt = playbook.next_stage(stage.key)
    if nxt is None:
        return f"stage {stage.name} is complete: close the deal with `opp won`"
    return f"stage {stage.name} is complete: move on to {nxt.name} with `opp move`"


def _after_done(
    session: Session,
    playbook: Playbook | None,
    task: Task,
    outcome: Outcome,
    now: datetime,
    workday: Workday,
    values: dict[str, Any],
    language: str,
    customer: Customer,
) -> None:
    """What finishing a task sets off: playbook chains and the rules' next step."""
    if playbook is not None and task.status == TaskStatus.DONE.value:
        outcome.created += _add(
            session,
            engine.chained(playbook, _state(task), now, workday, values),
            owner_id=task.owner_id,
            now=now,
            opportunity_id=task.opportunity_id,
            customer_id=task.customer_id,
        )
    if task.origin_kind == TaskOrigin.RULE.value:
        plans = rules.after_rule_done(task.origin, now, workday, language, customer.name)
        outcome.created += _add(
            session,
            plans,
            owner_id=task.owner_id,
            now=now,
            opportunity_id=task.opportunity_id,
            customer_id=customer.id,
        )


# ---------------------------------------------------------------- opportunities


def start_playbook(session: Session, opp: Opportunity, now: datetime) -> list[Task]:
    """Put a new opportunity on its playbook's first (or chosen) stage with its tasks."""
    customer, rep, playbook = _context(session, opp)
    if playbook is None:
        return []
    stage_key = opp.stage_key or playbook.stages[0].key
    try:
        playbook.stage(stage_key)
    except KeyError:
        known = ", ".join(s.key for s in playbook.stages)
        raise BadInput(
            f"no stage {stage_key!r} in {playbook.key} (stages: {known})", field="stage_key"
        ) from None
    if opp.mode:
        try:
            playbook.mode(opp.mode)
        except KeyError:
            known = ", ".join(m.key for m in playbook.modes) or "none"
            raise BadInput(
                f"no mode {opp.mode!r} in {playbook.key} (modes: {known})", field="mode"
            ) from None
    opp.stage_key, opp.stage_entered_at = stage_key, now
    session.add(
        StageMove(
            opportunity_id=opp.id, rep_id=rep.id, to_stage=stage_key, via="start", moved_at=now
        )
    )
    plans = engine.enter_stage(
        playbook, stage_key, now, workday_for(rep), field_values(playbook, customer, opp)
    )
    return _add(session, plans, owner_id=opp.owner_id, now=now, opportunity_id=opp.id)


def set_fields(
    store: Store, ref: str, pairs: list[str], *, clock: Clock
) -> tuple[Opportunity, Outcome]:
    """`opp set OPP field=value ...`: store the values and let the SOP react."""
    now = clock.now()
    with store.write() as session:
        opp = find_opportunity(session, ref)
        customer, rep, playbook = _context(session, opp)
        if playbook is None:
            raise BadInput("the opportunity follows no playbook (set one with opp edit --playbook)")
        changes = parse_assignments(playbook, pairs)
        before = field_values(playbook, customer, opp)
        _apply_values(playbook, customer, opp, changes)
        after = field_values(playbook, customer, opp)
        opp.updated_at = now
        outcome = _react(session, playbook, opp, customer, rep, before, after, now)
        session.add_all([opp, customer])
    return opp, outcome


def _react(
    session: Session,
    playbook: Playbook,
    opp: Opportunity,
    customer: Customer,
    rep: Rep,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
) -> Outcome:
    outcome = Outcome()
    workday = workday_for(rep)
    tasks = _opp_tasks(session, opp.id)
    by_id = {t.id: t for t in tasks}
    for state in engine.completed_by_fields(playbook, [_state(t) for t in tasks], after):
        task = by_id[state.id]
        _finish(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, now)
        outcome.completed.append(task)
        _after_done(session, playbook, task, outcome, now, workday, after, rep.language, customer)
    outcome.created += _add(
        session,
        engine.rules_fired(playbook, before, after, now, workday),
        owner_id=opp.owner_id,
        now=now,
        opportunity_id=opp.id,
    )
    for rule in playbook.status_rules:
        if after.get(rule.when) == rule.equals and before.get(rule.when) != rule.equals:
            if rule.customer_status:
                customer.status = rule.customer_status
                customer.paused_until = None
                outcome.notes.append(f"customer moved to {rule.customer_status}")
            if rule.close_as and opp.status == OppStatus.OPEN.value:
                _close(session, opp, rule.close_as, rule.reason or rule.key, now)
                outcome.notes.append(f"opportunity closed as {rule.close_as}")
    session.flush()
    outcome.ready = _ready_note(playbook, opp, _opp_tasks(session, opp.id))
    return outcome


def move_opportunity(
    store: Store,
    ref: str,
    *,
    clock: Clock,
    to: str | None = None,
    answer: str | None = None,
    force: bool = False,
) -> tuple[Opportunity, engine.Move, list[Task]]:
    now = clock.now()
    with store.write() as session:
        opp = find_opportunity(session, ref)
        customer, rep, playbook = _context(session, opp)
        if playbook is None or opp.stage_key is None:
            raise BadInput("the opportunity follows no playbook")
        if opp.status != OppStatus.OPEN.value:
            raise Conflict(f"the opportunity is {opp.status}; reopen it first")
        tasks = _opp_tasks(session, opp.id)
        move = engine.plan_move(
            playbook, opp.stage_key, [_state(t) for t in tasks], to=to, answer=answer, force=force
        )
        session.add(
            StageMove(
                opportunity_id=opp.id,
                rep_id=rep.id,
                from_stage=opp.stage_key,
                to_stage=move.target,
                via=move.via,
                answer=move.answer,
                moved_at=now,
            )
        )
        opp.stage_key, opp.stage_entered_at, opp.updated_at = move.target, now, now
        existing = {(t.origin, t.status) for t in tasks if t.stage_key == move.target}
        plans = [
            p
            for p in engine.enter_stage(
                playbook, move.target, now, workday_for(rep), field_values(playbook, customer, opp)
            )
            if (p.origin, "open") not in existing
            and not (p.status == "done" and (p.origin, "done") in existing)
        ]
        created = _add(session, plans, owner_id=opp.owner_id, now=now, opportunity_id=opp.id)
        session.add(opp)
    return opp, move, created


def _close(
    session: Session, opp: Opportunity, status: str, reason: str | None, now: datetime
) -> None:
    changes = apply_opportunity_rules(
        opp.model_dump(), {"status": status, "lost_reason": reason}, now
    )
    for key, value in changes.items():
        setattr(opp, key, value)
    opp.updated_at = now
    if status == OppStatus.LOST.value:
        # nothing is left to do for a lost deal; its open steps would only clutter the queue
        for task in _opp_tasks(session, opp.id):
            if task.status in OPEN_STATES:
                _finish(task, TaskStatus.SKIPPED.value, CompletedHow.AUTO.value, now)
                session.add(task)


def close_opportunity(
    store: Store, ref: str, status: str, *, clock: Clock, reason: str | None = None
) -> Opportunity:
    with store.write() as session:
        opp = find_opportunity(session, ref)
        if opp.status != OppStatus.OPEN.value:
            raise Conflict(f"the opportunity is already {opp.status}")
        _close(session, opp, status, reason, clock.now())
        session.add(opp)
    return opp


# ---------------------------------------------------------------- tasks


def find_task(session: Session, ref: str, *, now: datetime) -> Task:
    """A task by id, id prefix or title; `cadence:<customer>` makes the cadence task real."""
    if ref.startswith(VIRTUAL_PREFIX):
        return _materialize_cadence(session, ref.removeprefix(VIRTUAL_PREFIX), now)
    return find(session, Task, ref, label="task", names=("title",))


def _materialize_cadence(session: Session, customer_ref: str, now: datetime) -> Task:
    customer = find_customer(session, customer_ref)
    existing = session.exec(
        select(Task).where(
            Task.customer_id == customer.id,
            Task.origin == CADENCE,
            col(Task.status).in_(OPEN_STATES),
        )
    ).first()
    if existing is not None:
        return existing
    rep = session.get_one(Rep, customer.owner_id)
    days = DEFAULT_CADENCE_DAYS.get(customer.grade or "C", DEFAULT_CADENCE_DAYS["C"])
    task = Task(
        customer_id=customer.id,
        owner_id=customer.owner_id,
        origin_kind=TaskOrigin.RULE.value,
        origin=CADENCE,
        title=rules.cadence_title(rep.language, customer.name, customer.grade, days),
        due_at=now,
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
        customer, rep, playbook = _context(session, opp)
        return opp, customer, rep, playbook
    customer = session.get_one(Customer, task.customer_id)
    return None, customer, session.get_one(Rep, task.owner_id), None


def finish_task(
    store: Store, ref: str, status: str, *, clock: Clock, force: bool = False
) -> tuple[Task, Outcome]:
    """Mark a task done or skipped by hand, and let the SOP react."""
    now = clock.now()
    with store.write() as session:
        task = find_task(session, ref, now=now)
        outcome = _finish_one(session, task, status, now, force)
    return task, outcome


def _finish_one(session: Session, task: Task, status: str, now: datetime, force: bool) -> Outcome:
    if task.status not in OPEN_STATES:
        raise Conflict(f"task {task.id.hex[:8]} is already {task.status}")
    opp, customer, rep, playbook = _subject(session, task)
    if (
        status == TaskStatus.DONE.value
        and not force
        and playbook is not None
        and task.origin_kind == TaskOrigin.PLAYBOOK.value
        and task.origin
    ):
        try:
            definition = playbook.task(task.origin)
        except KeyError:
            definition = None
        if definition is not None and not definition.manual and opp is not None:
            values = field_values(playbook, customer, opp)
            missing = [k for k in definition.complete_when if values.get(k) in (None, "")]
            raise BadInput(
                f"this task completes itself when {', '.join(missing)} "
                "are filled (use `opp set`), or mark it done with --force"
            )
    _finish(task, status, CompletedHow.MANUAL.value, now)
    session.add(task)
    outcome = Outcome()
    values = field_values(playbook, customer, opp) if playbook and opp else {}
    _after_done(
        session, playbook, task, outcome, now, workday_for(rep), values, rep.language, customer
    )
    session.flush()
    if playbook is not None and opp is not None:
        outcome.ready = _ready_note(playbook, opp, _opp_tasks(session, opp.id))
    return outcome


def _snooze(session: Session, task: Task, spec: str, now: datetime) -> datetime:
    from salesbench.core.snooze import snooze_until

    if task.status not in OPEN_STATES:
        raise Conflict(f"task {task.id.hex[:8]} is {task.status}; only open tasks snooze")
    try:
        until = snooze_until(spec, now, workday_for(session.get_one(Rep, task.owner_id)))
    except ValueError as exc:
        raise BadInput(str(exc), field="until") from None
    if until <= now:
        raise BadInput("must be in the future", field="until")
    task.status, task.snoozed_until, task.updated_at = TaskStatus.SNOOZED.value, until, now
    session.add(task)
    return until


def snooze_task(store: Store, ref: str, spec: str, *, clock: Clock) -> Task:
    """Snooze until `spec` (1h, tomorrow, next-week, a date...) in the owner's workday."""
    now = clock.now()
    with store.write() as session:
        task = find_task(session, ref, now=now)
        _snooze(session, task, spec, now)
    return task


def bulk_finish(
    store: Store, task_ids: list[uuid.UUID], status: str, *, clock: Clock, force: bool = False
) -> int:
    """Finish many tasks in one transaction: all of them or none."""
    now = clock.now()
    with store.write() as session:
        for task_id in task_ids:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFound(f"no task with id {task_id}")
            _finish_one(session, task, status, now, force)
    return len(task_ids)


def bulk_snooze(store: Store, task_ids: list[uuid.UUID], spec: str, *, clock: Clock) -> int:
    now = clock.now()
    with store.write() as session:
        for task_id in task_ids:
            _snooze(session, session.get_one(Task, task_id), spec, now)
    return len(task_ids)
