"""Use cases of the SOP engine on a deal: each opens one transaction, asks the core,
writes rows. Finishing and snoozing tasks by hand live in services.tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from salesbench.core import engine
from salesbench.core.clock import Clock
from salesbench.core.enums import OPEN_STATES, CompletedHow, OppStatus, TaskStatus
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.opportunities import apply_opportunity_rules, ended_by_close
from salesbench.core.playbook import Playbook
from salesbench.core.settings import DEFAULT_CURRENCY
from salesbench.core.values import parse_assignments, totals
from salesbench.services import mode_rules
from salesbench.services.opportunities import find_opportunity
from salesbench.services.playbook_start import deal_context
from salesbench.services.rule_links import (
    absorb_rule_tasks,
    close_by_fields,
    mark_nurture,
    timed_plans,
)
from salesbench.services.task_rows import (
    Outcome,
    add_tasks,
    after_done,
    field_currency,
    field_values,
    finish_row,
    offer_next,
    task_state,
    won_anyway,
    workday_for,
)
from salesbench.services.tasks import opp_tasks
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, StageMove, Task


def _apply_values(
    playbook: Playbook, customer: Customer, opp: Opportunity, changes: dict[str, Any]
) -> None:
    customer_custom, opp_custom = dict(customer.custom), dict(opp.custom)
    for key, value in changes.items():
        f = playbook.field(key)
        record: Any = customer if f.on == "customer" else opp
        if f.is_column:
            if value is None and key in ("name", "title"):
                raise BadInput("must not be empty", field=key)
            if f.type == "date" and value is not None:
                value = date.fromisoformat(value)
            setattr(record, key, value)
        else:
            target = customer_custom if f.on == "customer" else opp_custom
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
    customer.custom, opp.custom = customer_custom, opp_custom  # new dicts: JSON change tracked


def _check_currencies(
    playbook: Playbook,
    pairs: list[str],
    customer: Customer,
    opp: Opportunity,
    team: str | None,
) -> None:
    """A money field is in its record's currency (the deal's; the customer's, else the
    team's): an amount typed in another currency is refused, never stored as if it were
    in that one. An annual purchase set where there was none takes the typed currency."""
    from salesbench.core.fields import money_currency

    for pair in pairs:
        key, _, raw = pair.partition("=")
        f = playbook.field(key.strip())
        if f.type != "money" or not raw.strip():
            continue
        typed = money_currency(raw)
        if f.on == "customer" and f.key == "annual_purchase" and customer.currency is None:
            customer.currency = typed or team or DEFAULT_CURRENCY
            continue
        expected = field_currency(f, customer, opp, team)
        if typed is None or expected is None or typed == expected:
            continue
        whose = "the customer's" if f.on == "customer" else "the deal's"
        hint = "" if f.on == "customer" else f" (opp edit --amount '{typed} …' changes it)"
        raise BadInput(f"is in {typed}, but {whose} amounts are in {expected}{hint}", field=f.key)


def _regrade(customer: Customer, current: dict[str, Any], team: str) -> None:
    """An annual purchase set through a playbook field grades as `customer edit` does."""
    from salesbench.core.grading import apply_customer_rules

    purchase = customer.annual_purchase
    currency = customer.currency if purchase is not None else None
    changes = {"annual_purchase": purchase, "currency": currency}
    for key, value in apply_customer_rules(current, changes, team).items():
        setattr(customer, key, value)


def set_fields(
    store: Store, ref: str, pairs: list[str], *, clock: Clock, currency: str | None = None
) -> tuple[Opportunity, Outcome]:
    """`opp set OPP field=value ...`: store the values and let the SOP react. Money is
    in the deal's currency (see _check_currencies); `currency`: the team's."""
    now = clock.now()
    with store.write(clock) as session:
        opp = find_opportunity(session, ref)
        customer, rep, playbook = deal_context(session, opp)
        if playbook is None:
            raise BadInput("the opportunity follows no playbook (set one with opp edit --playbook)")
        changes = parse_assignments(playbook, pairs)
        current = customer.model_dump()
        _check_currencies(playbook, pairs, customer, opp, currency)
        before = field_values(playbook, customer, opp)
        _apply_values(playbook, customer, opp, changes)
        if "annual_purchase" in changes and playbook.field("annual_purchase").on == "customer":
            _regrade(customer, current, currency or DEFAULT_CURRENCY)
        after = field_values(playbook, customer, opp)
        derived = totals(playbook, after, {k for k, v in changes.items() if v is None})
        if derived:  # the scorecard's totals follow their lines
            _apply_values(playbook, customer, opp, derived)
            after = field_values(playbook, customer, opp)
        opp.updated_at = now
        outcome = _react(session, playbook, opp, customer, rep, before, after, now)
        session.add_all([opp, customer])
    return opp, outcome


def _react(
    session: Session,
    playbook: Playbook,
    opp: Opportunity,
    customer: Customer,
    rep: Rep,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
) -> Outcome:
    outcome = Outcome()
    workday = workday_for(rep)
    tasks = opp_tasks(session, opp.id)
    by_id = {t.id: t for t in tasks}
    broken = mode_rules.deviations(session, playbook, opp, after, now)
    states = [task_state(t) for t in tasks]
    for state, left in engine.waiting_for_ticks(playbook, states, before, after):
        held = mode_rules.held_back(playbook, opp.mode, by_id[state.id], broken)
        if held is not None:  # ticking would not finish it: say the standard instead
            outcome.notes.append(held)
            continue
        outcome.notes.append(
            f"“{by_id[state.id].title}” has what it asks for; {left} checklist "
            f"item{'s' if left > 1 else ''} to tick (or mark it done) to finish it"
        )
    still_open = opp.status == OppStatus.OPEN.value
    for state in engine.completed_by_fields(playbook, states, after, skipped_too=still_open):
        task = by_id[state.id]
        held = mode_rules.held_back(playbook, opp.mode, task, broken)
        if held is not None:  # the mode enforces a standard the deal breaks
            outcome.notes.append(held)
            continue
        finish_row(task, TaskStatus.DONE.value, CompletedHow.AUTO.value, now)
        outcome.completed.append(task)
        after_done(session, playbook, task, outcome, now, workday, after, rep.language, customer)
    outcome.created += add_tasks(
        session,
        timed_plans(
            session, playbook, opp, engine.rules_fired(playbook, before, after, now, workday)
        ),
        owner_id=opp.owner_id,
        now=now,
        opportunity_id=opp.id,
    )
    mark_nurture(playbook, opp, before, after, now)
    for rule in playbook.status_rules:
        if after.get(rule.when) == rule.equals and before.get(rule.when) != rule.equals:
            if rule.customer_status and rule.scope == "deal":
                outcome.notes.append(f"deal moved to {rule.customer_status}")  # not the customer
            elif rule.customer_status:
                customer.status = rule.customer_status
                customer.paused_until = None
                outcome.notes.append(f"customer moved to {rule.customer_status}")
            if rule.close_as and opp.status == OppStatus.OPEN.value:
                _close(session, opp, rule.close_as, rule.reason or rule.key, now, playbook)
                outcome.notes.append(f"opportunity closed as {rule.close_as}")
    outcome.completed += close_by_fields(session, playbook, customer.id, after, now)
    suggestion = mode_rules.score_note(playbook, before, after)
    if suggestion is not None:
        outcome.notes.append(suggestion)
    session.flush()
    offer_next(outcome, playbook, opp, opp_tasks(session, opp.id))
    return outcome


def move_opportunity(
    store: Store,
    ref: str,
    *,
    clock: Clock,
    to: str | None = None,
    answer: str | None = None,
    force: bool = False,
) -> tuple[Opportunity, engine.Move, list[Task]]:
    now = clock.now()
    with store.write(clock) as session:
        opp = find_opportunity(session, ref)
        customer, rep, playbook = deal_context(session, opp)
        if playbook is None or opp.stage_key is None:
            raise BadInput("the opportunity follows no playbook")
        if opp.status != OppStatus.OPEN.value:
            raise Conflict(f"the opportunity is {opp.status}; reopen it first")
        tasks = opp_tasks(session, opp.id)
        values = field_values(playbook, customer, opp)
        move = engine.plan_move(
            playbook,
            opp.stage_key,
            [task_state(t) for t in tasks],
            to=to,
            answer=answer,
            force=force,
            values=values,
        )
        from_stage = opp.stage_key
        session.add(
            StageMove(
                opportunity_id=opp.id,
                rep_id=rep.id,
                from_stage=opp.stage_key,
                to_stage=move.target,
                via=move.via,
                answer=move.answer,
                moved_at=now,
            )
        )
        opp.stage_key, opp.stage_entered_at, opp.updated_at = move.target, now, now
        existing = {(t.origin, t.status) for t in tasks if t.stage_key == move.target}
        # back in a stage (a turnaround, a jump back): what is open stays, what was done
        # stays done; only a task never done there (or skipped) is offered again
        kept = {o for o, status in existing if status in OPEN_STATES or status == "done"}
        workday = workday_for(rep)
        plans = [
            p
            for p in engine.enter_stage(playbook, move.target, now, workday, values)
            if p.origin not in kept
        ]
        # a gate's answer opens its own tasks: the turnaround's work, or a reference case
        opened = engine.gate_keys(playbook, from_stage, move)
        plans += [
            p
            for p in engine.gate_opened(playbook, opened, move.target, now, workday, values)
            if (p.origin, "open") not in existing and (p.origin, "snoozed") not in existing
        ]
        created = add_tasks(session, plans, owner_id=opp.owner_id, now=now, opportunity_id=opp.id)
        absorb_rule_tasks(session, playbook, customer.id, created, now)
        session.add(opp)
    return opp, move, created


def _close(
    session: Session,
    opp: Opportunity,
    status: str,
    reason: str | None,
    now: datetime,
    playbook: Playbook | None,
) -> None:
    changes = apply_opportunity_rules(
        opp.model_dump(), {"status": status, "lost_reason": reason}, now
    )
    for key, value in changes.items():
        setattr(opp, key, value)
    opp.updated_at = now
    for task in opp_tasks(session, opp.id):
        # what the close makes moot leaves the queue (core.opportunities.ended_by_close)
        if task.status in OPEN_STATES and ended_by_close(playbook, status, task):
            finish_row(task, TaskStatus.SKIPPED.value, CompletedHow.AUTO.value, now)
            session.add(task)


def close_opportunity(
    store: Store, ref: str, status: str, *, clock: Clock, reason: str | None = None
) -> Opportunity:
    reason = (reason or "").strip() or None  # spaces are no reason (the workbench's rule too)
    with store.write(clock) as session:
        opp = find_opportunity(session, ref)
        if opp.status != OppStatus.OPEN.value:
            raise Conflict(f"the opportunity is already {opp.status}")
        _, _, playbook = deal_context(session, opp)
        if status == OppStatus.WON.value:  # `reason`: why it is won though work is open
            kept = (
                won_anyway(playbook, opp, opp_tasks(session, opp.id), reason) if playbook else None
            )
            if kept is not None:
                opp.custom = {**opp.custom, "won_anyway": kept}
            reason = None
        _close(session, opp, status, reason, clock.now(), playbook)
        session.add(opp)
    return opp


@dataclass(frozen=True)
class Closing:
    """What closing the deal would do to its open tasks, for the rep to confirm."""

    ends: tuple[str, ...]  # the titles of those it skips
    stays: tuple[str, ...]  # those that go on


def closing(store: Store, ref: str, status: str) -> Closing:
    """The open tasks closing `ref` as `status` would end and keep, by the rule the
    close itself follows (core.opportunities.ended_by_close)."""
    with store.read() as session:
        opp = find_opportunity(session, ref)
        _, _, playbook = deal_context(session, opp)
        tasks = [t for t in opp_tasks(session, opp.id) if t.status in OPEN_STATES]
        ends = [ended_by_close(playbook, status, t) for t in tasks]
        return Closing(
            tuple(t.title for t, end in zip(tasks, ends, strict=True) if end),
            tuple(t.title for t, end in zip(tasks, ends, strict=True) if not end),
        )
