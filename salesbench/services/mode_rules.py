"""A deal's sales mode at work: its standards checked on the deal's own record (visits,
who worked on it, the agreed price), what an enforcing mode holds back, and the mode
the assessment score suggests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from salesbench.core import engine
from salesbench.core.modes import Deviation, check_mode, holding, suggest_mode
from salesbench.core.playbook import ModeDef, Playbook
from salesbench.store.models import Activity, Opportunity, Task


def deal_mode(playbook: Playbook, key: str | None) -> ModeDef | None:
    if not key:
        return None
    try:
        return playbook.mode(key)
    except KeyError:
        return None


def score_of(playbook: Playbook, values: dict[str, Any]) -> float | None:
    key = playbook.rule_settings.score_field
    value = values.get(key) if key else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def deviations(
    session: Session, playbook: Playbook, opp: Opportunity, values: dict[str, Any], now: datetime
) -> list[Deviation]:
    """Where the deal breaks its mode's standards, counted from the database: its visits,
    the people who logged contacts or own its tasks, the agreed and list price."""
    mode = deal_mode(playbook, opp.mode)
    if mode is None:
        return []
    activities = list(session.exec(select(Activity).where(Activity.opportunity_id == opp.id)))
    owners = {opp.owner_id} | {a.owner_id for a in activities}
    owners |= {t.owner_id for t in session.exec(select(Task).where(Task.opportunity_id == opp.id))}
    amount, list_price = values.get("amount", opp.amount), values.get("list_price")
    return check_mode(
        mode,
        opened_at=opp.created_at,
        now=now,
        visits=sum(1 for a in activities if a.channel == "visit"),
        amount=amount if isinstance(amount, int) else None,
        list_price=list_price if isinstance(list_price, int) else None,
        people=len(owners),
        score=score_of(playbook, values),
        modes=playbook.modes,
    )


def held_back(
    playbook: Playbook, mode_key: str | None, task: Task, found: list[Deviation]
) -> str | None:
    """Why an enforcing mode keeps this task from completing by itself, or None."""
    mode = deal_mode(playbook, mode_key)
    if mode is None:
        return None
    state = engine.TaskState(
        task.id, task.origin_kind, task.origin, task.stage_key, task.status, task.suggested
    )
    d = holding(found, engine.completion_fields(playbook, state))
    if d is None:
        return None
    return f"{task.title!r} stays open: {d.message} (the {mode.name} mode enforces it)"


def standard_held(
    session: Session, playbook: Playbook, opp: Opportunity, task: Task, values: dict[str, Any],
    now: datetime,
) -> str | None:  # fmt: skip
    """The enforced standard a manual `done` of this task would break, in the rep's words
    (an open criterion like the task's own), or None."""
    mode = deal_mode(playbook, opp.mode)
    if mode is None or mode.enforce != "block":
        return None
    state = engine.TaskState(
        task.id, task.origin_kind, task.origin, task.stage_key, task.status, task.suggested
    )
    found = deviations(session, playbook, opp, values, now)
    d = holding(found, engine.completion_fields(playbook, state))
    if d is None:
        return None
    return f"{d.message} (the {mode.name} mode enforces it)"


def score_note(playbook: Playbook, before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """The mode a newly entered assessment score suggests."""
    score = score_of(playbook, after)
    if score is None or score == score_of(playbook, before):
        return None
    mode = suggest_mode(playbook.modes, score)
    if mode is None:
        return None
    return f"assessment score {score:g} suggests the {mode.name} mode ({mode.key})"
