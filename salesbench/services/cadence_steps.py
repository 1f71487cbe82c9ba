"""Which grade-cadence follow-up of a customer is in turn, and whether it was already
finished: one follow-up occurrence is one step of the cadence, counted from the
customer's last touch (a logged contact or the previous follow-up finished), as the
queue counts it. The step a follow-up made real stands for is its due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from salesbench.core.enums import OppStatus
from salesbench.core.errors import NotFound
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS
from salesbench.core.rules import cadence_due
from salesbench.services.playbooks import catalog_from_session
from salesbench.services.task_rows import workday_for
from salesbench.store.locks import advisory_key
from salesbench.store.models import Activity, Customer, Opportunity, Rep, Task

CADENCE = "cadence"


@dataclass
class Step:
    """The customer's cadence step now in turn."""

    due: datetime | None  # when it is due; None: the customer wants no follow-up now
    due_today: bool  # due before the end of the owner's day: the queue shows it
    last: Task | None  # the latest finished follow-up
    last_is_touch: bool  # and nothing was logged with the customer since


def lock_follow_ups(session: Session, customer: Customer) -> None:
    """Serialise making a customer's follow-up real: SQLite writes already run one at a
    time (BEGIN IMMEDIATE); on PostgreSQL a transaction advisory lock per customer, so
    a racer reads (read committed) what the winner wrote once it has the lock."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        key = advisory_key("cadence", customer.id.hex)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def cadence_days(session: Session, customer: Customer, rep: Rep) -> dict[str, int]:
    """The strictest cadence among the playbooks of the customer's open deals."""
    days = dict(DEFAULT_CADENCE_DAYS)
    keys = session.exec(
        select(Opportunity.playbook_key).where(
            Opportunity.customer_id == customer.id,
            Opportunity.owner_id == customer.owner_id,
            Opportunity.status == OppStatus.OPEN.value,
        )
    ).all()
    found: dict[str, int] | None = None
    catalog = catalog_from_session(session) if any(keys) else None
    for key in sorted({k for k in keys if k}):
        assert catalog is not None
        try:
            playbook = catalog.get(key, rep.language)
        except NotFound:
            continue
        current = found or {}
        found = {g: min(current.get(g, d), d) for g, d in playbook.cadence_days.items()}
    return found or days


def current_step(session: Session, customer: Customer, now: datetime) -> Step:
    rep = session.get_one(Rep, customer.owner_id)
    workday = workday_for(rep)
    last_contact = session.exec(
        select(func.max(Activity.started_at)).where(Activity.customer_id == customer.id)
    ).one()
    last = session.exec(
        select(Task)
        .where(
            Task.customer_id == customer.id,
            Task.origin == CADENCE,
            col(Task.completed_at).is_not(None),
        )
        .order_by(col(Task.completed_at).desc())
        .limit(1)
    ).first()
    marks = [m for m in (last_contact, last.completed_at if last else None) if m is not None]
    today = workday.today(now)
    due = cadence_due(
        grade=customer.grade,
        status=customer.status,
        paused_until=customer.paused_until,
        last_touch=max(marks) if marks else None,
        since=customer.created_at,
        cadence_days=cadence_days(session, customer, rep),
        workday=workday,
        today=today,
    )
    day_end = workday.at(today + timedelta(days=1), time(0))
    last_is_touch = (
        last is not None
        and last.completed_at is not None
        and (last_contact is None or last.completed_at >= last_contact)
    )
    return Step(due, due is not None and due < day_end, last, last_is_touch)


def finished_by(session: Session, task: Task) -> str:
    """`by Wang Fang at 2026-03-10 09:00` (the follow-up's owner, in their time)."""
    rep = session.get_one(Rep, task.owner_id)
    at = task.completed_at
    when = workday_for(rep).local(at).strftime("%Y-%m-%d %H:%M") if at else "?"
    return f"by {rep.name} at {when}"
