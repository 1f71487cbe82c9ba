"""Team operations: handing a rep's customers to a colleague, and removing a departing
rep's data. A handover loses nothing (every customer, open deal and open task
moves, with a brief); a purge writes the rep's book out before removing it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core.clock import Clock
from salesbench.core.enums import OPEN_STATES
from salesbench.core.errors import BadInput
from salesbench.core.ids import short_id
from salesbench.core.reps import DefaultScope, default_scope
from salesbench.services.customers import find_customer
from salesbench.services.reps import find_rep
from salesbench.store.engine import Store
from salesbench.store.models import Activity, Customer, Handover, Opportunity, Rep, Task
from salesbench.store.raw import rep_rows, session_rows


@dataclass
class Brief:
    """What the new owner needs to pick a customer up where it was left."""

    customer: str
    deals: list[str]
    open_tasks: list[str]
    last_contact: str | None
    needs: str | None
    objections: str | None
    commitments: str | None
    next_step: str | None


@dataclass
class HandoverPlan:
    from_rep: Rep
    to_rep: Rep
    customers: list[Customer]
    opportunities: int
    tasks: int
    briefs: list[Brief] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{len(self.customers)} customer{'s' * (len(self.customers) != 1)}, "
            f"{self.opportunities} open deal{'s' * (self.opportunities != 1)} and "
            f"{self.tasks} open task{'s' * (self.tasks != 1)} from {self.from_rep.name} "
            f"to {self.to_rep.name}"
        )


def _plan(session: Session, from_ref: str, to_ref: str, customer_ref: str | None) -> HandoverPlan:
    giver, taker = find_rep(session, from_ref), find_rep(session, to_ref)
    if giver.id == taker.id:
        raise BadInput("a rep cannot hand over to themselves", field="to")
    if taker.departed_at is not None:
        raise BadInput(f"{taker.name} has left the team", field="to")
    if customer_ref:
        customer = find_customer(session, customer_ref)
        if customer.owner_id != giver.id:
            owner = session.get_one(Rep, customer.owner_id)
            raise BadInput(f"{customer.name} belongs to {owner.name}, not {giver.name}")
        customers = [customer]
    else:
        customers = list(
            session.exec(
                select(Customer).where(Customer.owner_id == giver.id).order_by(Customer.name)
            )
        )
    ids = [c.id for c in customers]
    opps = list(
        session.exec(
            select(Opportunity).where(
                col(Opportunity.customer_id).in_(ids),
                Opportunity.owner_id == giver.id,
                Opportunity.status == "open",
            )
        )
    )
    tasks = _open_tasks(session, giver, ids, [o.id for o in opps])
    return HandoverPlan(giver, taker, customers, len(opps), len(tasks))


def _open_tasks(
    session: Session, giver: Rep, customer_ids: list[Any], opp_ids: list[Any]
) -> list[Task]:
    return list(
        session.exec(
            select(Task).where(
                Task.owner_id == giver.id,
                col(Task.status).in_(OPEN_STATES),
                col(Task.customer_id).in_(customer_ids) | col(Task.opportunity_id).in_(opp_ids),
            )
        )
    )


def plan_handover(
    store: Store, from_ref: str, to_ref: str, customer_ref: str | None = None
) -> HandoverPlan:
    """What `handover` would move, for the confirmation question."""
    with store.read() as session:
        return _plan(session, from_ref, to_ref, customer_ref)


def _brief(
    session: Session, customer: Customer, opps: list[Opportunity], tasks: list[Task]
) -> Brief:
    last = session.exec(
        select(Activity)
        .where(Activity.customer_id == customer.id)
        .order_by(col(Activity.started_at).desc())
        .limit(1)
    ).first()
    step = None
    if last is not None and (last.next_step_content or last.next_step_date):
        step = " ".join(
            str(p) for p in (last.next_step_date, last.next_step_content, last.help_needed) if p
        )
    return Brief(
        customer=customer.name,
        deals=[f"{o.title} ({o.stage_key or 'no stage'})" for o in opps],
        open_tasks=[t.title for t in tasks],
        last_contact=f"{last.started_at:%Y-%m-%d} {last.channel}" if last else None,
        needs=last.needs if last else None,
        objections=last.objections if last else None,
        commitments=last.commitments if last else None,
        next_step=step,
    )


def handover(
    store: Store,
    from_ref: str,
    to_ref: str,
    *,
    clock: Clock,
    customer_ref: str | None = None,
    note: str | None = None,
) -> HandoverPlan:
    """Move customers, their open deals and open tasks to another rep in one
    transaction, record it in each customer's timeline, and brief the new owner."""
    now = clock.now()
    with store.write(clock) as session:
        plan = _plan(session, from_ref, to_ref, customer_ref)
        for customer in plan.customers:
            opps = list(
                session.exec(
                    select(Opportunity).where(
                        Opportunity.customer_id == customer.id,
                        Opportunity.owner_id == plan.from_rep.id,
                        Opportunity.status == "open",
                    )
                )
            )
            tasks = _open_tasks(session, plan.from_rep, [customer.id], [o.id for o in opps])
            plan.briefs.append(_brief(session, customer, opps, tasks))
            customer.owner_id = plan.to_rep.id
            customer.updated_at = now
            for record in (*opps, *tasks):
                record.owner_id = plan.to_rep.id
                record.updated_at = now
            session.add_all([customer, *opps, *tasks])
            session.add(
                Handover(
                    customer_id=customer.id,
                    from_rep_id=plan.from_rep.id,
                    to_rep_id=plan.to_rep.id,
                    handed_at=now,
                    opportunities=len(opps),
                    tasks=len(tasks),
                    note=note,
                )
            )
    return plan


# ------------------------------------------------------------------ purge


@dataclass
class PurgePlan:
    rep: Rep
    customers: int
    rows: dict[str, int]


def _owned(session: Session, rep: Rep) -> dict[str, list[Any]]:
    """Everything in the rep's own book: their customers and all that hangs off them."""
    from salesbench.store.models import Complaint, Contact, StageMove

    customers = list(session.exec(select(Customer).where(Customer.owner_id == rep.id)))
    ids = [c.id for c in customers]

    def of(model: Any, column: Any) -> list[Any]:
        return list(session.exec(select(model).where(col(column).in_(ids)))) if ids else []

    opps = of(Opportunity, Opportunity.customer_id)
    opp_ids = [o.id for o in opps]
    return {
        "customer": customers,
        "contact": of(Contact, Contact.customer_id),
        "opportunity": opps,
        "stage_move": list(
            session.exec(select(StageMove).where(col(StageMove.opportunity_id).in_(opp_ids)))
        )
        if opp_ids
        else [],
        "task": list(
            session.exec(
                select(Task).where(
                    col(Task.customer_id).in_(ids) | col(Task.opportunity_id).in_(opp_ids)
                )
            )
        )
        if ids
        else [],
        "activity": of(Activity, Activity.customer_id),
        "complaint": of(Complaint, Complaint.customer_id),
        "handover": of(Handover, Handover.customer_id),
    }


def plan_purge(store: Store, ref: str) -> PurgePlan:
    with store.read() as session:
        rep = find_rep(session, ref)
        owned = _owned(session, rep)
    return PurgePlan(rep, len(owned["customer"]), {k: len(v) for k, v in owned.items()})


def purge_rep(
    store: Store, ref: str, *, clock: Clock, save: Callable[[dict[str, Any]], None]
) -> PurgePlan:
    """Hand everything in a departing rep's book to `save` as one JSON-ready document,
    then delete it and strip the rep's name and email. `save` runs inside the
    transaction: if it raises, nothing is deleted. The rep's row stays, marked
    departed, so work they did on colleagues' customers keeps its author."""
    from salesbench.store import rowcodec

    def dump_row(record: Any) -> dict[str, Any]:
        return rowcodec.dump(type(record).__table__, record.model_dump())

    now = clock.now()
    with store.write(clock) as session:
        rep = find_rep(session, ref)
        if rep.departed_at is not None:
            raise BadInput(f"{rep.name} was purged already")
        owned = _owned(session, rep)
        document = {
            "format": "salesbench-rep-purge",
            "version": 1,
            "purged_at": now.isoformat(),
            "rep": dump_row(rep),
            "tables": {name: [dump_row(r) for r in records] for name, records in owned.items()},
        }
        save(document)
        plan = PurgePlan(rep, len(owned["customer"]), {k: len(v) for k, v in owned.items()})
        for customer in owned["customer"]:
            session.delete(customer)  # contacts, deals, tasks, activities follow by cascade
        session.flush()
        # open tasks the rep held on colleagues' customers go to those customers' owners,
        # or they would sit in nobody's queue
        for task in session.exec(
            select(Task).where(Task.owner_id == rep.id, col(Task.status).in_(OPEN_STATES))
        ):
            if task.opportunity_id is not None:
                holder = session.get_one(Opportunity, task.opportunity_id).owner_id
            else:
                holder = session.get_one(Customer, task.customer_id).owner_id
            task.owner_id, task.updated_at = holder, now
            session.add(task)
        rep.name = f"departed rep {short_id(rep.id)}"
        rep.email = f"departed-{rep.id.hex}@invalid"
        rep.departed_at = now
        rep.updated_at = now
        session.add(rep)
    return plan


# ------------------------------------------------------------------ default scope


def scoped_owner_ids(session: Session, scope: DefaultScope) -> list[Any] | None:
    if scope.everything:
        return None
    if scope.rep_id is not None:
        return [uuid.UUID(scope.rep_id)]
    return list(session.exec(select(Rep.id).where(Rep.team == scope.team)))


def default_owners(store: Store, caller: str | None) -> list[Any] | None:
    """The owner ids of the caller's default view (see core.reps.default_scope), or
    None for everything. The shells pass the caller: SALESBENCH_REP."""
    with store.read() as session:
        scope = default_scope(rep_rows(session_rows(session)), caller)
        return scoped_owner_ids(session, scope)
