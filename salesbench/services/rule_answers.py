"""Which built-in rule tasks a playbook task answers (`answered_by`): the first email
sent closes the trade-show email rule's task."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, or_, select

from salesbench.core import rules
from salesbench.core.enums import OPEN_STATES, TaskOrigin, TaskStatus
from salesbench.core.playbook import Playbook
from salesbench.store.models import Opportunity, Task


def open_rule_tasks(session: Session, customer_id: uuid.UUID, keys: set[str]) -> list[Task]:
    if not keys:
        return []
    opp_ids = select(Opportunity.id).where(Opportunity.customer_id == customer_id)
    return list(
        session.exec(
            select(Task).where(
                or_(Task.customer_id == customer_id, col(Task.opportunity_id).in_(opp_ids)),
                Task.origin_kind == TaskOrigin.RULE.value,
                col(Task.origin).in_(sorted(keys)),
                col(Task.status).in_(OPEN_STATES),
            )
        )
    )


def answered_rule_tasks(
    session: Session, playbook: Playbook | None, task: Task, customer_id: uuid.UUID
) -> list[Task]:
    """The open rule tasks of the customer that the playbook task, now done, answers."""
    if playbook is None or task.origin_kind != TaskOrigin.PLAYBOOK.value or not task.origin:
        return []
    if task.status != TaskStatus.DONE.value:
        return []
    keys = rules.answered_rules(playbook, task.origin)
    return open_rule_tasks(session, customer_id, keys)
