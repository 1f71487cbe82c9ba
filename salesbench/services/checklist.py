"""A task's checklist: the plain `check` items the rep ticks by hand (`task check`,
space on the item in the workbench), stored on the task like done-anyway's note."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from salesbench.core.clock import Clock
from salesbench.core.criteria import all_met, checklist, unticked
from salesbench.core.enums import OPEN_STATES, CompletedHow, TaskOrigin, TaskStatus
from salesbench.core.errors import BadInput
from salesbench.core.playbook import Playbook, TaskDef
from salesbench.services import mode_rules
from salesbench.services.playbook_start import deal_context
from salesbench.services.task_rows import (
    TICKED,
    Outcome,
    after_done,
    field_values,
    finish_row,
    offer_next,
    ticked,
    workday_for,
)
from salesbench.services.tasks import find_task, opp_tasks
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task


def _definition(playbook: Playbook | None, task: Task) -> TaskDef | None:
    if playbook is None or task.origin_kind != TaskOrigin.PLAYBOOK.value:
        return None
    try:
        return playbook.task(task.origin or "")
    except KeyError:
        return None


def tick(store: Store, ref: str, number: int, *, clock: Clock) -> tuple[Task, Outcome]:
    """Tick item `number` (from 1) of the task's checklist, or untick it when it is
    ticked. A task whose criteria are all met and whose items are all ticked is done."""
    now = clock.now()
    with store.write(clock) as session:
        task = find_task(session, ref, now=now)
        opp = session.get(Opportunity, task.opportunity_id) if task.opportunity_id else None
        customer, rep, playbook = deal_context(session, opp) if opp else (None, None, None)
        definition = _definition(playbook, task)
        items = checklist(definition) if definition else []
        if not items:
            raise BadInput(f"“{task.title}” has no checklist to tick", field="task")
        if not 1 <= number <= len(items):
            raise BadInput(f"there is no item {number}: the checklist has {len(items)}")
        marks = set(ticked(task))
        marks ^= {number}
        task.custom = {**(task.custom or {}), TICKED: sorted(marks)}
        outcome = Outcome()
        if task.status in OPEN_STATES and opp and customer and rep and playbook and definition:
            values = field_values(playbook, customer, opp)
            met = all_met(definition.criteria, values) or not definition.criteria
            if met and not unticked(definition, sorted(marks)):
                # the mode's standards are read only for a tick that could finish the task
                deviations = mode_rules.deviations(session, playbook, opp, values, now)
                held = mode_rules.held_back(playbook, opp.mode, task, deviations)
                if held is not None:
                    outcome.notes.append(held)  # the mode enforces a standard the deal breaks
                else:
                    _finish(session, playbook, task, opp, outcome, now, values, rep, customer)
        session.add(task)
        session.flush()
        return task, outcome


def _finish(
    session: Session,
    playbook: Playbook,
    task: Task,
    opp: Opportunity,
    outcome: Outcome,
    now: datetime,
    values: dict[str, Any],
    rep: Rep,
    customer: Customer,
) -> None:
    finish_row(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, now)
    outcome.completed.append(task)
    workday = workday_for(rep)
    after_done(session, playbook, task, outcome, now, workday, values, rep.language, customer)
    session.flush()
    offer_next(outcome, playbook, opp, opp_tasks(session, opp.id))
