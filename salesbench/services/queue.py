"""Today's open tasks for one rep, grouped by what they are about."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, func, or_, select

from salesbench.services.reps import acting_rep
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task


@dataclass
class QueueGroup:
    customer: Customer
    opportunity: Opportunity | None
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Queue:
    rep: Rep
    day_end: datetime
    groups: list[QueueGroup]


def todays_queue(store: Store, *, rep: str | None, now: datetime) -> Queue:
    local_now = now.astimezone()
    day_end = (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    with store.read() as session:
        owner = acting_rep(session, rep)
        query = (
            select(Task, Customer, Opportunity)
            .outerjoin(Opportunity, col(Opportunity.id) == Task.opportunity_id)
            .join(
                Customer,
                col(Customer.id) == func.coalesce(Opportunity.customer_id, Task.customer_id),
            )
            .where(Task.owner_id == owner.id, Task.status == "open")
            .where(or_(col(Task.due_at).is_(None), col(Task.due_at) < day_end))
            .order_by(col(Task.due_at).is_(None), Task.due_at)
        )
        groups: dict[uuid.UUID, QueueGroup] = {}
        for task, customer, opp in session.exec(query):
            key = opp.id if opp is not None else customer.id
            group = groups.setdefault(key, QueueGroup(customer, opp))
            group.tasks.append(task)
        return Queue(owner, day_end, list(groups.values()))
