"""Complaints: answer within an hour, solve within a day, each clock a task."""

from __future__ import annotations

from sqlmodel import Session, col, select

from salesbench.core import rules
from salesbench.core.clock import Clock
from salesbench.core.enums import OPEN_STATES, CompletedHow, TaskStatus
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.fields import COMPLAINT_FIELDS, RESOLUTION_FIELDS, parse_record
from salesbench.services.customers import find_customer
from salesbench.services.opportunities import find_opportunity
from salesbench.services.refs import find
from salesbench.services.task_rows import add_tasks, finish_row, workday_for
from salesbench.store.engine import Store
from salesbench.store.models import Complaint, Customer, Rep, Task


def find_complaint(session: Session, ref: str) -> Complaint:
    return find(session, Complaint, ref, label="complaint", names=("content",))


def add_complaint(
    store: Store,
    customer_ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    opportunity_ref: str | None = None,
) -> tuple[Complaint, list[Task]]:
    now = clock.now()
    values = parse_record(COMPLAINT_FIELDS, raw)
    received = values.pop("received_at", None) or now
    if received > now:
        raise BadInput("is in the future", field="received_at")
    with store.write(clock) as session:
        customer = find_customer(session, customer_ref)
        opp_id = find_opportunity(session, opportunity_ref).id if opportunity_ref else None
        rep = session.get_one(Rep, customer.owner_id)
        complaint = Complaint(
            **values,
            received_at=received,
            customer_id=customer.id,
            opportunity_id=opp_id,
            owner_id=rep.id,
            created_at=now,
            updated_at=now,
        )
        session.add(complaint)
        session.flush()
        tasks = add_tasks(
            session,
            rules.for_complaint(received, workday_for(rep), rep.language, customer.name),
            owner_id=rep.id,
            now=now,
            customer_id=customer.id,
            opportunity_id=opp_id,  # `o` on its task opens the deal it concerns
            complaint_id=complaint.id,
        )
    return complaint, tasks


def _close_sla_task(session: Session, complaint: Complaint, rule_key: str, clock: Clock) -> None:
    for task in session.exec(
        select(Task).where(Task.complaint_id == complaint.id, Task.origin == rule_key)
    ):
        if task.status in OPEN_STATES:
            finish_row(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, clock.now())
            session.add(task)


def respond_complaint(store: Store, ref: str, *, clock: Clock) -> Complaint:
    with store.write(clock) as session:
        complaint = find_complaint(session, ref)
        if complaint.responded_at is not None:
            zone = workday_for(session.get_one(Rep, complaint.owner_id))  # the rep's time
            raise Conflict(f"already answered at {zone.local(complaint.responded_at):%m-%d %H:%M}")
        complaint.responded_at = clock.now()
        _close_sla_task(session, complaint, rules.COMPLAINT_RESPOND.key, clock)
        session.add(complaint)
    return complaint


def resolve_complaint(
    store: Store, ref: str, raw: dict[str, str | None], *, clock: Clock
) -> Complaint:
    values = parse_record(RESOLUTION_FIELDS, raw)
    with store.write(clock) as session:
        complaint = find_complaint(session, ref)
        if complaint.resolved_at is not None:
            raise Conflict("the complaint is already resolved")
        now = clock.now()
        complaint.responded_at = complaint.responded_at or now
        complaint.resolved_at = now
        for key, value in values.items():
            setattr(complaint, key, value)
        _close_sla_task(session, complaint, rules.COMPLAINT_RESPOND.key, clock)
        _close_sla_task(session, complaint, rules.COMPLAINT_SOLVE.key, clock)
        session.add(complaint)
    return complaint


def list_complaints(store: Store, *, open_only: bool = False) -> list[tuple[Complaint, Customer]]:
    with store.read() as session:
        query = select(Complaint, Customer).join(Customer).order_by(col(Complaint.received_at))
        if open_only:
            query = query.where(Complaint.resolved_at == None)  # noqa: E711
        return [(c, cu) for c, cu in session.exec(query)]
