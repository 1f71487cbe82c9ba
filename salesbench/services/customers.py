"""The customer center: customers with their contacts and opportunities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.fields import CUSTOMER_FIELDS, parse_record
from salesbench.core.grading import apply_customer_rules
from salesbench.core.reach import Reach
from salesbench.core.settings import DEFAULT_CURRENCY
from salesbench.services.refs import find
from salesbench.services.reps import acting_rep, find_rep
from salesbench.store.engine import Store
from salesbench.store.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Handover,
    Opportunity,
    Rep,
    Task,
)


def find_customer(session: Session, ref: str) -> Customer:
    return find(session, Customer, ref, label="customer", names=("name", "number"))


def merge_custom(current: dict[str, Any], changes: dict[str, str]) -> dict[str, Any]:
    merged = dict(current)
    for key, value in changes.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def add_customer(
    store: Store,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    owner: str | None = None,
    custom: dict[str, str] | None = None,
    addresses: Sequence[str] = (),
    currency: str | None = None,
) -> Customer:
    """Add a customer; a trade-show lead gets its 24-hour email task. `addresses` as
    `--address` takes them (the first without a kind is the billing address); `currency`:
    the team's, for an annual purchase that names none."""
    from salesbench.core.rules import for_new_customer
    from salesbench.services import contact_reach as cr
    from salesbench.services.task_rows import add_tasks, workday_for

    now = clock.now()
    values = parse_record(CUSTOMER_FIELDS, raw)
    places = cr.parse_address_options(addresses, "billing")
    if currency and values.get("annual_purchase") is not None and not values.get("currency"):
        values["currency"] = currency
    values = apply_customer_rules({}, values, currency or DEFAULT_CURRENCY)
    with store.write(clock) as session:
        rep = acting_rep(session, owner)
        customer = Customer(
            **{k: v for k, v in values.items() if v is not None},
            owner_id=rep.id,
            custom=merge_custom({}, custom or {}),
            created_at=now,
            updated_at=now,
        )
        session.add(customer)
        session.flush()
        if places:
            cr.replace_addresses(session, places, customer_id=customer.id)
        plans = for_new_customer(
            customer.source_channel, now, workday_for(rep), rep.language, customer.name
        )
        add_tasks(session, plans, owner_id=rep.id, now=now, customer_id=customer.id)
    return customer


def pause_customer(
    store: Store, ref: str, *, clock: Clock, months: int | None = None, until: date | None = None
) -> Customer:
    """'Not needed for now': pause follow-up for one or two months, or to a date."""
    from salesbench.core.enums import OPEN_STATES, CompletedHow, TaskStatus
    from salesbench.core.rules import pause_until
    from salesbench.services.task_rows import finish_row, workday_for

    now = clock.now()
    with store.write(clock) as session:
        customer = find_customer(session, ref)
        rep = session.get_one(Rep, customer.owner_id)
        today = workday_for(rep).today(now)
        if until is None:
            try:
                until = pause_until(today, months or 1)
            except ValueError as exc:
                raise BadInput(str(exc), field="months") from None
        if until <= today:
            raise BadInput("must be after today", field="paused_until")
        customer.status, customer.paused_until, customer.updated_at = "paused", until, now
        for task in session.exec(
            select(Task).where(Task.customer_id == customer.id, Task.origin == "cadence")
        ):
            if task.status in OPEN_STATES:
                finish_row(task, TaskStatus.SKIPPED.value, CompletedHow.AUTO.value, now)
                session.add(task)
        session.add(customer)
    return customer


def edit_customer(
    store: Store,
    ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    owner: str | None = None,
    custom: dict[str, str] | None = None,
    addresses: Sequence[str] | None = None,
    currency: str | None = None,
    started_from: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Customer:
    """Change a customer's fields; `addresses`, when given, become all of its
    addresses ('' alone: none). Only the fields in `raw` (and what follows from them,
    such as a grade by the rule) are written, so a colleague's change to another
    field is kept. `started_from` (the record as a form showed it) or
    `expected_version`: a Conflict, and nothing saved, when a field being changed
    (or, with the version, anything) was changed by someone else meanwhile."""
    from salesbench.services import contact_reach as cr
    from salesbench.services.edits import check_started_from, check_version, flush, with_retries

    changes = parse_record(CUSTOMER_FIELDS, raw, partial=True)
    places = None if addresses is None else cr.parse_address_options(addresses, "billing")

    def write() -> Customer:
        with store.write(clock) as session:
            customer = find_customer(session, ref)
            label = f"customer {customer.name}"
            check_version(label, customer, expected_version)
            check_started_from(label, customer, started_from, changes)
            current = customer.model_dump()
            mine = dict(changes)
            amount = mine.get("annual_purchase")
            if currency and amount is not None and "currency" not in mine:
                mine["currency"] = current.get("currency") or currency
            for key, value in apply_customer_rules(
                current, mine, currency or DEFAULT_CURRENCY
            ).items():
                setattr(customer, key, value)
            if owner:
                customer.owner_id = find_rep(session, owner).id
            if custom:
                customer.custom = merge_custom(customer.custom, custom)
            session.add(customer)
            if places is not None:
                cr.replace_addresses(session, places, customer_id=customer.id)
            flush(session)
        return customer

    return with_retries(f"customer {ref}", write)


def list_customers(
    store: Store,
    *,
    grade: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    owners: list[Any] | None = None,
    pinyin_at: Any = None,
) -> list[Customer]:
    """By name; with `pinyin_at` (a clock), by the names' pinyin, as a Chinese reader
    orders a list (李 li before 王 wang), the names not yet spelled spelled first."""
    order: Any = col(Customer.name)
    if pinyin_at is not None:
        from sqlalchemy import func

        from salesbench.services.search_index import catch_up
        from salesbench.store.search_keys import SearchKey

        catch_up(store, clock=pinyin_at)
        order = func.coalesce(func.nullif(SearchKey.spelled, ""), func.lower(Customer.name))
    with store.read() as session:
        query = select(Customer).order_by(order, col(Customer.name), col(Customer.id))
        if pinyin_at is not None:
            query = query.outerjoin(SearchKey, col(SearchKey.text) == Customer.name)
        if grade:
            query = query.where(Customer.grade == grade.upper())
        if status:
            query = query.where(Customer.status == status.lower())
        if owner:
            query = query.where(Customer.owner_id == find_rep(session, owner).id)
        elif owners is not None:
            query = query.where(col(Customer.owner_id).in_(owners))
        if search:
            pattern = f"%{search.strip()}%"
            query = query.where(
                or_(col(Customer.name).ilike(pattern), col(Customer.number).ilike(pattern))
            )
        if limit:
            query = query.limit(limit)
        return list(session.exec(query))


def customer_detail(
    store: Store, ref: str
) -> tuple[Customer, Rep, list[Contact], list[Opportunity], list[tuple[str, Any]]]:
    """The customer, its owner, contacts and deals, and its custom values as shown
    (label, value: see field_views)."""
    from salesbench.services.field_views import custom_shown

    with store.read() as session:
        customer = find_customer(session, ref)
        owner = session.get_one(Rep, customer.owner_id)
        contacts = list(
            session.exec(
                select(Contact)
                .where(Contact.customer_id == customer.id)
                .order_by(col(Contact.name), col(Contact.id))
            )
        )
        opps = list(
            session.exec(
                select(Opportunity)
                .where(Opportunity.customer_id == customer.id)
                .order_by(col(Opportunity.created_at).desc(), col(Opportunity.id))
            )
        )
        return (
            customer,
            owner,
            contacts,
            opps,
            custom_shown(session, customer, opps, owner.language),
        )


def search(store: Store, text: str, *, clock: Any, limit: int = 50) -> list[tuple[Customer, str]]:
    """The customers `text` finds (services/search: Chinese, pinyin, initials, phone,
    a note's word), best first, each with what matched when it is not the customer's
    own name; with no text, the customers changed last."""
    from salesbench.core.i18n import _
    from salesbench.services.search import find

    with store.read() as session:
        if not text.strip():
            rows = session.exec(
                select(Customer)
                .order_by(col(Customer.updated_at).desc(), col(Customer.id))
                .limit(limit)
            ).all()
            return [(c, "") for c in rows]
    why: dict[Any, str] = {}
    for hit in find(store, text, clock=clock, limit=limit * 2):
        if hit.customer_id in why or len(why) >= limit:
            continue
        by_phone = hit.kind == "contact" and hit.by == "phone"  # digits typed: say so
        why[hit.customer_id] = {
            "customer": "",
            "contact": _("contact {name}, by phone or email") if by_phone else _("contact {name}"),
            "deal": _("deal {title}"),
            "note": _("note: {text}"),
        }[hit.kind].format(name=hit.text, title=hit.text, text=hit.text)
    with store.read() as session:
        found = {
            c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_(list(why))))
        }
    return [(found[i], reason) for i, reason in why.items() if i in found]


@dataclass(frozen=True)
class HandoverView:
    """A handover of the customer, with the names of the reps it went from and to
    (None for a rep no longer on the books)."""

    handover: Handover
    from_rep: str | None
    to_rep: str | None


@dataclass(frozen=True)
class CustomerView:
    """Everything the customer center shows of one customer: its owner, contacts,
    every opportunity, the contact history and complaints, and the handovers. Records
    as stored: money in minor units (cents), to be formatted where it is shown."""

    customer: Customer
    owner: Rep
    contacts: tuple[Contact, ...]  # by name
    opportunities: tuple[Opportunity, ...]  # newest first
    activities: tuple[Activity, ...]  # newest first, the last 50
    complaints: tuple[Complaint, ...]  # newest first
    handovers: tuple[HandoverView, ...]  # newest first
    reach: dict[Any, Reach] = field(default_factory=dict)  # by contact id
    addresses: Reach = field(default_factory=Reach)  # the customer's own
    stage_names: dict[Any, str] = field(default_factory=dict)  # opportunity id -> its stage
    custom: tuple[tuple[str, Any], ...] = ()  # (label, value as shown): see field_views


def _stage_names(session: Any, opps: Sequence[Opportunity], language: str) -> dict[Any, str]:
    """Each deal's stage by its name in the playbook (the key where none is known)."""
    from salesbench.services.playbooks import catalog_from_session

    catalog = catalog_from_session(session)
    out: dict[Any, str] = {}
    for o in opps:
        if not (o.playbook_key and o.stage_key):
            continue
        try:
            out[o.id] = catalog.get(o.playbook_key, language).stage(o.stage_key).name
        except (KeyError, NotFound):
            out[o.id] = o.stage_key
    return out


def stage_names(store: Store, opps: Sequence[Opportunity], language: str) -> dict[Any, str]:
    """Each deal's stage by its name in the playbook in `language`, by deal id."""
    with store.read() as session:
        return _stage_names(session, opps, language)


def customer_reach(
    store: Store, customer_id: Any, contact_ids: Sequence[Any]
) -> tuple[Reach, dict[Any, Reach]]:
    """The customer's addresses, and each contact's phones, emails and addresses."""
    from salesbench.services import contact_reach as cr

    with store.read() as session:
        return cr.customer_addresses(session, customer_id), cr.reach_of(session, contact_ids)


def customer_view(store: Store, ref: str) -> CustomerView:
    """The customer `ref` names, with everything its screen shows (see CustomerView)."""
    from salesbench.services import contact_reach as cr
    from salesbench.services.field_views import custom_shown

    with store.read() as session:
        customer = find_customer(session, ref)
        names = {r.id: r.name for r in session.exec(select(Rep))}
        owner = session.get_one(Rep, customer.owner_id)
        contacts = session.exec(
            select(Contact)
            .where(Contact.customer_id == customer.id)
            .order_by(col(Contact.name), col(Contact.id))
        ).all()
        opps = session.exec(
            select(Opportunity)
            .where(Opportunity.customer_id == customer.id)
            .order_by(col(Opportunity.created_at).desc(), col(Opportunity.id))
        ).all()
        activities = session.exec(
            select(Activity)
            .where(Activity.customer_id == customer.id)
            .order_by(col(Activity.started_at).desc(), col(Activity.id))
            .limit(50)
        ).all()
        complaints = session.exec(
            select(Complaint)
            .where(Complaint.customer_id == customer.id)
            .order_by(col(Complaint.received_at).desc(), col(Complaint.id))
        ).all()
        handovers = session.exec(
            select(Handover)
            .where(Handover.customer_id == customer.id)
            .order_by(col(Handover.handed_at).desc(), col(Handover.id))
        ).all()
        return CustomerView(
            customer=customer,
            owner=owner,
            contacts=tuple(contacts),
            opportunities=tuple(opps),
            activities=tuple(activities),
            complaints=tuple(complaints),
            handovers=tuple(
                HandoverView(h, names.get(h.from_rep_id), names.get(h.to_rep_id)) for h in handovers
            ),
            reach=cr.reach_of(session, [c.id for c in contacts]),
            addresses=cr.customer_addresses(session, customer.id),
            stage_names=_stage_names(session, opps, owner.language),
            custom=tuple(custom_shown(session, customer, opps, owner.language)),
        )
