"""Logging a contact (the follow-up record: summary, needs, objections, commitments,
next step) and what it sets off."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlmodel import Session, col, or_, select

from salesbench.core import rules
from salesbench.core.clock import Clock
from salesbench.core.durations import parse_duration
from salesbench.core.enums import OPEN_STATES, CompletedHow, TaskOrigin, TaskStatus
from salesbench.core.errors import BadInput
from salesbench.core.fields import ACTIVITY_FIELDS, parse_record
from salesbench.services import rule_links as links
from salesbench.services.contacts import find_contact
from salesbench.services.customers import find_customer
from salesbench.services.edits import with_retries
from salesbench.services.opportunities import find_opportunity
from salesbench.services.task_rows import (
    Outcome,
    add_tasks,
    after_done,
    field_values,
    finished,
    workday_for,
)
from salesbench.services.tasks import transition
from salesbench.store.engine import Store
from salesbench.store.models import Activity, Customer, Opportunity, Rep, Task


def log_activity(
    store: Store,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    customer_ref: str | None = None,
    opportunity_ref: str | None = None,
    contact_ref: str | None = None,
) -> tuple[Activity, Outcome]:
    now = clock.now()
    values = parse_record(ACTIVITY_FIELDS, raw)
    started = values.get("started_at") or now
    if values.get("ended_at") and values["ended_at"] < started:
        raise BadInput("ends before it starts", field="ended_at")
    if started > now:
        raise BadInput("is in the future; log contacts that happened", field="started_at")

    def write() -> tuple[Activity, Outcome]:
        with store.write(clock) as session:
            opp: Opportunity | None = None
            if opportunity_ref:
                opp = find_opportunity(session, opportunity_ref)
                customer = session.get_one(Customer, opp.customer_id)
            elif customer_ref:
                customer = find_customer(session, customer_ref)
            else:
                raise BadInput("say whom the contact was with: --opp or --customer")
            contact_id = None
            if contact_ref:
                contact = find_contact(session, contact_ref)
                if contact.customer_id != customer.id:
                    raise BadInput(
                        f"{contact.name} is not a contact of {customer.name}", field="contact"
                    )
                contact_id = contact.id
            owner = session.get_one(Rep, (opp or customer).owner_id)
            activity = Activity(
                **{k: v for k, v in values.items() if v is not None and k != "started_at"},
                started_at=started,
                customer_id=customer.id,
                opportunity_id=opp.id if opp else None,
                contact_id=contact_id,
                owner_id=owner.id,
                created_at=now,
                updated_at=now,
            )
            session.add(activity)
            outcome = _react_to_contact(session, activity, customer, opp, owner, now)
            # kept so a later correction knows what this contact set off
            activity.set_off = {
                "finished": [str(t.id) for t in outcome.completed],
                "made": [str(t.id) for t in outcome.created],
            }
        return activity, outcome

    # What a log sets off is judged inside its transaction (the tasks open then), not on
    # what the person saw: a task finished meanwhile by someone else is read again.
    return with_retries("this customer's open tasks", write)


def _react_to_contact(
    session: Session,
    activity: Activity,
    customer: Customer,
    opp: Opportunity | None,
    owner: Rep,
    now: datetime,
) -> Outcome:
    outcome = Outcome()
    workday = workday_for(owner)
    opp_ids = select(Opportunity.id).where(Opportunity.customer_id == customer.id)
    open_rule_tasks = session.exec(
        select(Task).where(
            or_(Task.customer_id == customer.id, col(Task.opportunity_id).in_(opp_ids)),
            Task.origin_kind == TaskOrigin.RULE.value,
            col(Task.status).in_(OPEN_STATES),
        )
    ).all()
    for task in open_rule_tasks:
        fits = task.origin == "cadence" or rules.completed_by_contact(task.origin, activity.channel)
        if fits and task.created_at <= activity.started_at:
            # only if still as read (Stale: another process finished it first)
            transition(session, task, finished(TaskStatus.DONE.value, CompletedHow.AUTO.value, now))
            outcome.completed.append(task)
            outcome.created += add_tasks(
                session,
                rules.after_rule_done(
                    task.origin, activity.started_at, workday, owner.language, customer.name
                ),
                owner_id=task.owner_id,
                now=now,
                opportunity_id=task.opportunity_id,
                customer_id=customer.id,
            )
    subject: dict[str, Any] = {
        "opportunity_id": opp.id if opp else None,
        "customer_id": customer.id,
    }
    session.flush()
    for task, playbook, deal in links.contact_completes(
        session, activity, customer, opp, outcome, now
    ):
        values = field_values(playbook, customer, deal)
        after_done(session, playbook, task, outcome, now, workday, values, owner.language, customer)
    outcome.created += add_tasks(
        session,
        rules.after_contact(
            activity.channel,
            activity.started_at,
            workday,
            owner.language,
            customer.name,
            skip=links.skipped_rules(session, customer, activity),
        ),
        owner_id=owner.id,
        now=now,
        **subject,
    )
    if activity.next_step_date is not None:
        from salesbench.core.engine import NewTask

        due = workday.due(workday.at(activity.next_step_date, time(0)), parse_duration("P0D"))
        title = activity.next_step_content or f"Next step with {customer.name}"
        outcome.created += add_tasks(
            session,
            [
                NewTask(
                    title=title[:300],
                    origin_kind=TaskOrigin.MANUAL.value,
                    origin="next_step",
                    due_at=due,
                )
            ],
            owner_id=owner.id,
            now=now,
            **subject,
        )
    return outcome
