"""Corrections to a logged contact: an edit of its fields, a delete. What each one
replaced is kept in `activity_change` (store/audit.py), so a lead sees it was changed.

What logging the contact set off stays sound: tasks it finished stay finished and the
tasks it made stay, so its channel and start time (what the SOP judged) change only on
a contact that set off nothing; a new next-step date or text moves the open next-step
task it made. Every change says what happened to those tasks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core.clock import Clock
from salesbench.core.durations import parse_duration
from salesbench.core.enums import OPEN_STATES
from salesbench.core.errors import BadInput
from salesbench.core.fields import ACTIVITY_FIELDS, parse_record
from salesbench.services.refs import find
from salesbench.services.task_rows import workday_for
from salesbench.store.audit import ActivityChange
from salesbench.store.engine import Store
from salesbench.store.models import Activity, Customer, Rep, Task

JUDGED = ("channel", "started_at")  # what the SOP read when the contact was logged
LABELS = {"channel": "Channel", "started_at": "Start time"}


@dataclass
class Correction:
    activity: Activity
    changed: list[str] = field(default_factory=list)  # the fields that changed
    notes: list[str] = field(default_factory=list)  # what it means for the tasks


def find_activity(session: Session, ref: str) -> Activity:
    return find(session, Activity, ref, label="activity", names=("summary",))


def set_off(session: Session, activity: Activity) -> tuple[list[Task], list[Task]] | None:
    """The tasks logging `activity` finished and made (those still there), as it kept
    them; None when that is not known (a contact logged before it was kept). An
    imported contact set off nothing."""
    if activity.import_batch_id is not None:
        return [], []
    if activity.set_off is None:
        return None

    def tasks(key: str) -> list[Task]:
        ids = [uuid.UUID(i) for i in (activity.set_off or {}).get(key, [])]
        return list(session.exec(select(Task).where(col(Task.id).in_(ids)))) if ids else []

    return tasks("finished"), tasks("made")


def _record(activity: Activity) -> dict[str, Any]:
    from salesbench.services.serialize import record

    return record(activity)


def edit_activity(
    store: Store, ref: str, raw: dict[str, str | None], *, clock: Clock
) -> Correction:
    """Change the given fields (None: leave it, "": clear it) of a logged contact."""
    now = clock.now()
    values = parse_record(ACTIVITY_FIELDS, raw, partial=True)
    if "started_at" in values and values["started_at"] is None:
        raise BadInput("must not be empty", field="started_at")
    with store.write(clock) as session:
        activity = find_activity(session, ref)
        changed = [k for k, v in values.items() if getattr(activity, k) != v]
        out = Correction(activity, changed)
        if not changed:
            out.notes.append("nothing changed")
            return out
        started = values.get("started_at", activity.started_at)
        ended = values.get("ended_at", activity.ended_at)
        if started > now:
            raise BadInput("is in the future; log contacts that happened", field="started_at")
        if ended is not None and ended < started:
            raise BadInput("ends before it starts", field="ended_at")
        known = set_off(session, activity)
        finished, made = known or ([], [])
        judged = [k for k in changed if k in JUDGED]
        if judged and (known is None or finished or made):
            raise BadInput(f"stays as logged: {_what_it_set_off(known)}", field=judged[0])
        before = {k: _record(activity).get(k) for k in changed}
        for key in changed:
            setattr(activity, key, values[key])
        activity.edited_at = now
        session.add(activity)
        session.add(_change(activity, "edited", before, now))
        if {"next_step_date", "next_step_content"} & set(changed):
            out.notes += _move_next_step(session, activity, made)
    return out


def _what_it_set_off(known: tuple[list[Task], list[Task]] | None) -> str:
    """Why a contact's channel or time stays: the SOP finished or made tasks on it."""
    again = "delete it and log it again to change that"
    if known is None:
        return f"it was logged before salesbench kept what a contact set off; {again}"
    finished, made = known
    parts = [f"finished {len(finished)} task(s)"] if finished else []
    parts += [f"made {len(made)} task(s)"] if made else []
    return f"logging this contact {' and '.join(parts)}; {again}"


def _move_next_step(session: Session, activity: Activity, made: list[Task]) -> list[str]:
    step = next((t for t in made if t.origin == "next_step"), None)
    if step is None:
        return ["no next-step task was made from this contact; none is added or moved"]
    if step.status not in OPEN_STATES:
        return [f"its next-step task “{step.title}” is already {step.status} and stays so"]
    owner = session.get_one(Rep, activity.owner_id)
    customer = session.get_one(Customer, activity.customer_id)
    if activity.next_step_date is not None:
        workday = workday_for(owner)
        step.due_at = workday.due(
            workday.at(activity.next_step_date, time(0)), parse_duration("P0D")
        )
    step.title = (activity.next_step_content or f"Next step with {customer.name}")[:300]
    session.add(step)
    when = f", due {activity.next_step_date}" if activity.next_step_date else ""
    return [f"its next-step task is now “{step.title}”{when}"]


def delete_activity(store: Store, ref: str, *, clock: Clock) -> Correction:
    """Take a logged contact back: it leaves every count and rule, its whole record
    stays in the audit (activity_change), and the tasks it set off stay as they are."""
    now = clock.now()
    with store.write(clock) as session:
        activity = find_activity(session, ref)
        finished, made = set_off(session, activity) or ([], [])
        session.add(_change(activity, "deleted", _record(activity), now))
        session.delete(activity)
        out = Correction(activity)
        if finished:
            out.notes.append(
                f"the {len(finished)} task(s) it finished stay done: "
                + "; ".join(t.title for t in finished)
            )
        still = [t for t in made if t.status in OPEN_STATES]
        if still:
            out.notes.append(
                f"the {len(still)} task(s) it made stay open: " + "; ".join(t.title for t in still)
            )
    return out


def _change(activity: Activity, kind: str, before: dict[str, Any], now: datetime) -> ActivityChange:
    return ActivityChange(
        activity_id=activity.id,
        customer_id=activity.customer_id,
        opportunity_id=activity.opportunity_id,
        kind=kind,
        changed_at=now,
        before=before,
    )


def deleted_on(session: Session, opportunity_id: Any) -> list[ActivityChange]:
    """The contacts taken back from a deal's timeline, newest first."""
    return list(
        session.exec(
            select(ActivityChange)
            .where(
                ActivityChange.opportunity_id == opportunity_id, ActivityChange.kind == "deleted"
            )
            .order_by(col(ActivityChange.changed_at).desc())
        )
    )
