"""Where the built-in rules meet a customer's playbooks: a rule that fires once, a rule
whose job a playbook task does (`answered_by`), the contact that does a playbook task
(`contact_completes`), and the customer's source carried onto a new deal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core import rules
from salesbench.core.criteria import open_criteria
from salesbench.core.engine import NewTask
from salesbench.core.enums import OPEN_STATES, CompletedHow, OppStatus, TaskOrigin, TaskStatus
from salesbench.core.errors import NotFound
from salesbench.core.playbook import BuiltinSetting, Playbook
from salesbench.core.values import is_filled
from salesbench.services.playbooks import catalog_from_session
from salesbench.services.rule_answers import open_rule_tasks
from salesbench.services.task_rows import Outcome, field_values, finish_row
from salesbench.store.models import Activity, Customer, Opportunity, Rep, Task


def customer_deals(session: Session, customer: Customer) -> list[tuple[Opportunity, Playbook]]:
    """The customer's open deals that follow a playbook, each with it (in its owner's
    language)."""
    catalog = catalog_from_session(session)
    out: list[tuple[Opportunity, Playbook]] = []
    for opp in session.exec(
        select(Opportunity).where(
            Opportunity.customer_id == customer.id,
            Opportunity.status == OppStatus.OPEN.value,
            col(Opportunity.playbook_key).is_not(None),
        )
    ):
        rep = session.get_one(Rep, opp.owner_id)
        try:
            playbook = catalog.get(opp.playbook_key or "", rep.language)
        except NotFound:  # a playbook no longer installed: its deal follows no rules
            continue
        out.append((opp, playbook))
    return out


def settings_of(deals: Iterable[tuple[Opportunity, Playbook]]) -> list[BuiltinSetting]:
    return [s for _opp, pb in deals for s in pb.rule_settings.builtin]


def open_playbook_tasks(session: Session, opp_ids: Iterable[uuid.UUID]) -> list[Task]:
    ids = list(opp_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(Task).where(
                col(Task.opportunity_id).in_(ids),
                Task.origin_kind == TaskOrigin.PLAYBOOK.value,
                col(Task.status).in_(OPEN_STATES),
            )
        )
    )


def skipped_rules(session: Session, customer: Customer, activity: Activity) -> set[str]:
    """The built-in contact rules the customer's playbooks hold back for this contact."""
    deals = customer_deals(session, customer)
    settings = settings_of(deals)
    if not settings:
        return set()
    earlier = session.exec(
        select(Activity.id).where(
            Activity.customer_id == customer.id,
            Activity.channel == activity.channel,
            Activity.id != activity.id,
            col(Activity.started_at) <= activity.started_at,
        )
    ).first()
    open_keys = {t.origin or "" for t in open_playbook_tasks(session, (o.id for o, _ in deals))}
    return {
        key
        for key in rules.BUILTIN
        if rules.suppressed(key, settings, fired_before=earlier is not None, open_tasks=open_keys)
    }


def absorb_rule_tasks(
    session: Session, playbook: Playbook, customer_id: uuid.UUID, created: list[Task], now: datetime
) -> None:
    """A playbook task opened for a rule's job takes that job over: the rule's own open
    task is set aside, so the rep sees one first email, not two."""
    keys: set[str] = set()
    for task in created:
        if task.origin_kind == TaskOrigin.PLAYBOOK.value and task.origin:
            keys |= rules.answered_rules(playbook, task.origin)
    for rule_task in open_rule_tasks(session, customer_id, keys):
        finish_row(rule_task, TaskStatus.SKIPPED.value, CompletedHow.AUTO.value, now)
        session.add(rule_task)


def close_by_fields(
    session: Session,
    playbook: Playbook,
    customer_id: uuid.UUID,
    values: dict[str, Any],
    now: datetime,
) -> list[Task]:
    """Filling what a rule's answering task asks for (`first_email_on`) closes the
    rule's task too, whether or not that playbook task is open on this deal."""
    keys: set[str] = set()
    for rule, task_key in rules.answered_by(playbook):
        try:
            wanted = playbook.task(task_key).complete_when
        except KeyError:
            continue
        if wanted and all(is_filled(values.get(k)) for k in wanted):
            keys.add(rule)
    closed = open_rule_tasks(session, customer_id, keys)
    for task in closed:
        finish_row(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, now)
        session.add(task)
    return closed


def contact_completes(
    session: Session,
    activity: Activity,
    customer: Customer,
    opp: Opportunity | None,
    outcome: Outcome,
    now: datetime,
) -> list[tuple[Task, Playbook, Opportunity]]:
    """The playbook tasks a logged contact does (`[rules.contact_completes]`: logging a
    visit records the visit), on its deal or, for a contact with the customer, on each
    of the customer's deals. Returned for the caller's follow-ups."""
    deals = customer_deals(session, customer)
    if opp is not None:
        deals = [(o, pb) for o, pb in deals if o.id == opp.id]
    done: list[tuple[Task, Playbook, Opportunity]] = []
    for deal, playbook in deals:
        wanted = set(playbook.rule_settings.completed_by(activity.channel))
        if not wanted:
            continue
        for task in open_playbook_tasks(session, [deal.id]):
            if task.origin in wanted and task.created_at <= activity.started_at:
                still = _still_open(playbook, task, field_values(playbook, customer, deal))
                if still:  # the contact is logged, but the task asks for more than that
                    outcome.notes.append(f"“{task.title}” is still open: {'; '.join(still)}")
                    continue
                finish_row(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, now)
                session.add(task)
                outcome.completed.append(task)
                done.append((task, playbook, deal))
    return done


def _still_open(playbook: Playbook, task: Task, values: dict[str, Any]) -> list[str]:
    """What a playbook task asks for beyond the contact: its criteria not met yet."""
    try:
        definition = playbook.task(task.origin or "")
    except KeyError:
        return []
    return open_criteria(definition.criteria, values)


def carry_source(playbook: Playbook, customer: Customer, opp: Opportunity) -> str | None:
    """The customer's source (`--source walk-in`) fills the deal's source field when the
    deal starts, if the rep has not set it and the source fits one of its choices.
    Returns the field filled, if any."""
    key = playbook.rule_settings.source_field
    if key is None or opp.custom.get(key) not in (None, ""):
        return None
    try:
        f = playbook.field(key)
    except KeyError:
        return None
    value = rules.source_choice(customer.source_channel, f.choices) if f.choices else None
    if value is None and not f.choices and customer.source_channel:
        value = customer.source_channel
    if value is None:
        return None
    opp.custom = {**opp.custom, key: value}
    return key


def timed_plans(
    session: Session, playbook: Playbook, opp: Opportunity, plans: list[NewTask]
) -> list[NewTask]:
    """The timed rules' tasks the deal still wants (`once`, `answered_by`)."""
    tasks = list(session.exec(select(Task).where(Task.opportunity_id == opp.id)))
    had = {t.origin or "" for t in tasks if t.origin_kind == TaskOrigin.RULE.value}
    open_keys = {
        t.origin or ""
        for t in tasks
        if t.origin_kind == TaskOrigin.PLAYBOOK.value and t.status in OPEN_STATES
    }
    return rules.timed_wanted(playbook, plans, had, open_keys)


NURTURE_SINCE = "nurture_since"  # on the deal's custom values: when it entered the pool


def mark_nurture(
    playbook: Playbook,
    opp: Opportunity,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
) -> None:
    """A deal its playbook puts into the nurture pool on its own (`scope = "deal"`)
    remembers since when; taken out of the pool, it forgets."""
    pooled = [
        r for r in playbook.status_rules if r.scope == "deal" and r.customer_status == "nurture"
    ]
    now_in = any(after.get(r.when) == r.equals for r in pooled)
    was_in = any(before.get(r.when) == r.equals for r in pooled)
    if now_in and not was_in:
        opp.custom = {**opp.custom, NURTURE_SINCE: now.isoformat()}
    elif was_in and not now_in and NURTURE_SINCE in opp.custom:
        opp.custom = {k: v for k, v in opp.custom.items() if k != NURTURE_SINCE}
