"""Putting a deal on its playbook: the deal's context and its first stage's tasks."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from salesbench.core import engine
from salesbench.core.errors import BadInput
from salesbench.core.playbook import Playbook
from salesbench.services.playbooks import catalog_from_session
from salesbench.services.rule_links import absorb_rule_tasks, carry_source
from salesbench.services.task_rows import add_tasks, field_values, workday_for
from salesbench.store.models import Customer, Opportunity, Rep, StageMove, Task


def deal_context(session: Session, opp: Opportunity) -> tuple[Customer, Rep, Playbook | None]:
    """The deal's customer, owner and playbook (in the owner's language)."""
    customer = session.get_one(Customer, opp.customer_id)
    rep = session.get_one(Rep, opp.owner_id)
    playbook = None
    if opp.playbook_key:
        playbook = catalog_from_session(session).get(opp.playbook_key, rep.language)
    return customer, rep, playbook


def start_playbook(session: Session, opp: Opportunity, now: datetime) -> list[Task]:
    """Put a new opportunity on its playbook's first (or chosen) stage with its tasks."""
    customer, rep, playbook = deal_context(session, opp)
    if playbook is None:
        return []
    stage_key = opp.stage_key or playbook.stages[0].key
    try:
        playbook.stage(stage_key)
    except KeyError:
        known = ", ".join(s.key for s in playbook.stages)
        raise BadInput(
            f"no stage {stage_key!r} in {playbook.key} (stages: {known})", field="stage_key"
        ) from None
    if opp.mode:
        try:
            playbook.mode(opp.mode)
        except KeyError:
            known = ", ".join(m.key for m in playbook.modes) or "none"
            raise BadInput(
                f"no mode {opp.mode!r} in {playbook.key} (modes: {known})", field="mode"
            ) from None
    opp.stage_key, opp.stage_entered_at = stage_key, now
    session.add(
        StageMove(
            opportunity_id=opp.id, rep_id=rep.id, to_stage=stage_key, via="start", moved_at=now
        )
    )
    carried = carry_source(playbook, customer, opp)
    values = field_values(playbook, customer, opp)
    plans = engine.enter_stage(playbook, stage_key, now, workday_for(rep), values)
    if carried is not None:  # the source carried over sets off its rules (thank the referrer)
        before = {**values, carried: None}
        plans += engine.rules_fired(playbook, before, values, now, workday_for(rep))
    created = add_tasks(session, plans, owner_id=opp.owner_id, now=now, opportunity_id=opp.id)
    absorb_rule_tasks(session, playbook, customer.id, created, now)
    return created
