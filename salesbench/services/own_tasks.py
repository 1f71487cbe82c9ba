"""A rep's own task or reminder: a title and a time of day on a deal or a customer,
in the queue at its time like every other task (done, skipped and snoozed the same)."""

from __future__ import annotations

from sqlmodel import Session

from salesbench.core.clock import Clock
from salesbench.core.enums import OppStatus, TaskOrigin
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.fields import check_line
from salesbench.core.snooze import snooze_until
from salesbench.services.customers import find_customer
from salesbench.services.opportunities import find_opportunity
from salesbench.services.task_rows import workday_for
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task

OWN = "own"  # Task.origin of a task a rep added by hand (next steps are "next_step")
TITLE_LIMIT = 300


def add_own_task(
    store: Store,
    title: str,
    due: str,
    *,
    clock: Clock,
    opportunity_ref: str | None = None,
    customer_ref: str | None = None,
) -> tuple[Task, str]:
    """The task, for the deal's (or customer's) owner, due at `due`: anything `task
    snooze --until` takes, a date and time of day read on the owner's clock. Returns
    it with the subject's name. Nothing is written when any value is wrong."""
    now = clock.now()
    try:
        text = check_line(title, TITLE_LIMIT)
    except ValueError as exc:
        raise BadInput(str(exc), field="title") from None
    if not text:
        raise BadInput("say what the task is", field="title")
    if (opportunity_ref is None) == (customer_ref is None):
        raise BadInput("give the deal or the customer the task is for (one of them)")
    with store.write(clock) as session:
        opp, customer = _subject(session, opportunity_ref, customer_ref)
        owner = session.get_one(Rep, (opp or customer).owner_id)
        try:
            due_at = snooze_until(due, now, workday_for(owner))
        except ValueError as exc:
            raise BadInput(str(exc), field="due") from None
        if due_at <= now:
            shown = workday_for(owner).local(due_at)
            raise BadInput(f"{shown:%Y-%m-%d %H:%M} is already past", field="due")
        task = Task(
            opportunity_id=opp.id if opp else None,
            customer_id=None if opp else customer.id,
            owner_id=owner.id,
            origin_kind=TaskOrigin.MANUAL.value,
            origin=OWN,
            title=text,
            due_at=due_at,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        session.flush()
        name = f"{customer.name} / {opp.title}" if opp else customer.name
    return task, name


def _subject(
    session: Session, opportunity_ref: str | None, customer_ref: str | None
) -> tuple[Opportunity | None, Customer]:
    """The deal (with its customer) or the customer; a reference that fits none or
    several says so, naming the option it came from."""
    field = "deal" if opportunity_ref is not None else "customer"
    try:
        if opportunity_ref is not None:
            opp = find_opportunity(session, opportunity_ref)
            if opp.status != OppStatus.OPEN.value:
                raise BadInput(
                    f"{opp.title} is {opp.status}; add the task to its customer instead",
                    field=field,
                )
            return opp, session.get_one(Customer, opp.customer_id)
        assert customer_ref is not None
        return None, find_customer(session, customer_ref)
    except NotFound as exc:
        raise BadInput(exc.message, field=field) from None
    except BadInput as exc:
        raise BadInput(exc.message, field=field) from None
