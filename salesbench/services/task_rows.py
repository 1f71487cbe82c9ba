"""Task rows as the SOP writes them: adding planned tasks, finishing one, and what
finishing sets off. Shared by every use case that creates or closes tasks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from salesbench.core import engine, rules
from salesbench.core.enums import OppStatus, TaskOrigin, TaskStatus
from salesbench.core.errors import Conflict
from salesbench.core.playbook import FieldDef, Playbook
from salesbench.core.workday import Workday, workday_of
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task


@dataclass(frozen=True)
class NextStep:
    """Where a complete stage goes from here: its gate's question, the next stage,
    or (neither) closing the deal as won. The CLI words it as commands, the workbench
    as keys."""

    stage: str  # the complete stage's name
    question: str | None = None
    next_stage: str | None = None

    def as_commands(self) -> str:
        if self.question is not None:
            return (
                f"stage {self.stage} is complete; decide: {self.question} "
                "(opp move --yes-answer or --no-answer)"
            )
        if self.next_stage is None:
            return f"stage {self.stage} is complete: close the deal with `opp won`"
        return f"stage {self.stage} is complete: move on to {self.next_stage} with `opp move`"


class LastStageOpen(Conflict):
    """Winning a deal whose last stage still has required work open, without a reason."""

    def __init__(self, stage: str, open_titles: tuple[str, ...]) -> None:
        self.stage, self.open_titles = stage, open_titles
        super().__init__(
            f"the last stage {stage} is not complete; still open: {'; '.join(open_titles)}"
        )


@dataclass
class Outcome:
    """What a use case did, for the shells to report."""

    completed: list[Task] = field(default_factory=list)
    created: list[Task] = field(default_factory=list)
    ready: str | None = None  # a sentence offering the next stage, when the stage is done
    next_step: NextStep | None = None  # the same, for a shell to word in its own terms
    notes: list[str] = field(default_factory=list)
    deal: str | None = None  # "customer / deal" the stage belongs to, for a toast to name


def workday_for(rep: Rep) -> Workday:
    return workday_of(rep.timezone, rep.workday_start, rep.workday_end, rep.workdays)


def field_values(playbook: Playbook, customer: Customer, opp: Opportunity) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in playbook.fields:
        record: Any = customer if f.on == "customer" else opp
        values[f.key] = getattr(record, f.key) if f.is_column else record.custom.get(f.key)
    return values


def field_currency(
    f: FieldDef, customer: Customer, opp: Opportunity, team: str | None = None
) -> str | None:
    """The currency of a playbook money field: the deal's on a deal; on a customer, the
    currency of its annual purchase, else `team` (the team's)."""
    if f.on != "customer":
        return opp.currency
    return customer.currency or team


TICKED = "ticked"  # on the task's custom values: the numbers of the checklist items ticked


def ticked(task: Task) -> tuple[int, ...]:
    marks = (task.custom or {}).get(TICKED)
    return tuple(n for n in marks if isinstance(n, int)) if isinstance(marks, list) else ()


def task_state(task: Task) -> engine.TaskState:
    return engine.TaskState(
        task.id, task.origin_kind, task.origin, task.stage_key, task.status, task.suggested,
        ticked(task),
    )  # fmt: skip


def add_tasks(
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


def finished(status: str, how: str, now: datetime) -> dict[str, Any]:
    """The columns a task finished (done or skipped) at `now` gets."""
    return {
        "status": status,
        "completed_at": now,
        "completed_how": how,
        "snoozed_until": None,
        "updated_at": now,
    }


def finish_row(task: Task, status: str, how: str, now: datetime) -> None:
    for key, value in finished(status, how, now).items():
        setattr(task, key, value)


def next_step(playbook: Playbook, opp: Opportunity, tasks: list[Task]) -> NextStep | None:
    if opp.stage_key is None or opp.status != OppStatus.OPEN.value:
        return None
    progress = engine.stage_progress(playbook, opp.stage_key, [task_state(t) for t in tasks])
    if not progress.complete:
        return None
    stage = progress.stage
    if stage.gate is not None:
        return NextStep(stage.name, question=stage.gate.question)
    nxt = playbook.next_stage(stage.key)
    return NextStep(stage.name, next_stage=nxt.name if nxt is not None else None)


def ready_note(playbook: Playbook, opp: Opportunity, tasks: list[Task]) -> str | None:
    step = next_step(playbook, opp, tasks)
    return step.as_commands() if step is not None else None


def offer_next(outcome: Outcome, playbook: Playbook, opp: Opportunity, tasks: list[Task]) -> None:
    """Say on `outcome` where the deal goes now that its stage is done (if it is)."""
    from sqlalchemy.orm import object_session

    session = object_session(opp)
    customer = session.get(Customer, opp.customer_id) if session is not None else None
    outcome.deal = f"{customer.name} / {opp.title}" if customer is not None else opp.title
    outcome.next_step = next_step(playbook, opp, tasks)
    outcome.ready = outcome.next_step.as_commands() if outcome.next_step else None


def won_anyway(
    playbook: Playbook, opp: Opportunity, tasks: list[Task], reason: str | None
) -> dict[str, Any] | None:
    """Winning is the end of the last stage: on the last stage with required work open,
    LastStageOpen unless a reason is given; then what to keep on the deal (the reason and
    what was open, in the rep's words). A deal won from an earlier stage (a walk-in who
    buys at once) is not held up."""
    if opp.stage_key is None or playbook.next_stage(opp.stage_key) is not None:
        return None
    progress = engine.stage_progress(playbook, opp.stage_key, [task_state(t) for t in tasks])
    if progress.complete:
        return None
    if not (reason or "").strip():
        raise LastStageOpen(progress.stage.name, progress.open_titles)
    return {"reason": reason.strip() if reason else "", "open": list(progress.open_titles)}


def after_done(
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
    from salesbench.services.rule_answers import answered_rule_tasks

    for rule_task in answered_rule_tasks(session, playbook, task, customer.id):
        finish_row(rule_task, TaskStatus.DONE.value, "auto", now)
        session.add(rule_task)
        outcome.completed.append(rule_task)
    if playbook is not None and task.status == TaskStatus.DONE.value:
        state = task_state(task)
        outcome.created += add_tasks(
            session,
            engine.chained(playbook, state, now, workday, values)
            + rules.rule_repeated(playbook, state, now, workday, values),
            owner_id=task.owner_id,
            now=now,
            opportunity_id=task.opportunity_id,
            customer_id=task.customer_id,
        )
    if task.origin_kind == TaskOrigin.RULE.value:
        plans = rules.after_rule_done(task.origin, now, workday, language, customer.name)
        outcome.created += add_tasks(
            session,
            plans,
            owner_id=task.owner_id,
            now=now,
            opportunity_id=task.opportunity_id,
            customer_id=customer.id,
        )


def cadence_task_title(session: Session, customer: Customer, language: str) -> str:
    """The title a cadence task made real gets, as the queue showed it: the nurture
    pool's quarterly touch (the customer in the pool, or its only open deals pooled on
    their own), else the grade's follow-up at the customer's shortest cadence."""
    from sqlmodel import select

    from salesbench.core.playbook import DEFAULT_CADENCE_DAYS
    from salesbench.services.playbooks import catalog_from_session

    deals = session.exec(
        select(Opportunity).where(
            Opportunity.customer_id == customer.id, Opportunity.status == OppStatus.OPEN.value
        )
    ).all()
    catalog = catalog_from_session(session) if any(o.playbook_key for o in deals) else None
    pooled, days = [], dict(DEFAULT_CADENCE_DAYS)
    for opp in deals:
        pb = catalog.get(opp.playbook_key, language) if catalog and opp.playbook_key else None
        values = opp.custom or {}
        pooled.append(
            pb is not None
            and any(
                r.scope == "deal"
                and r.customer_status == "nurture"
                and values.get(r.when) == r.equals
                for r in pb.status_rules
            )
        )
        if pb is not None and not pooled[-1]:
            days = {g: min(days.get(g, d), d) for g, d in pb.cadence_days.items()}
    if customer.status == "nurture" or (customer.status == "active" and pooled and all(pooled)):
        return rules.nurture_title(language, customer.name)
    grade = customer.grade or "C"
    return rules.cadence_title(language, customer.name, grade, days.get(grade, days["C"]))


def owner_workdays(store: Store, owner_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Workday]:
    """Each owner's workday, whose zone the times shown to them are in."""
    with store.read() as session:
        return {i: workday_for(session.get_one(Rep, i)) for i in set(owner_ids)}
