"""Demo deals: an opportunity at a stage of its playbook with the tasks, activities and
stage moves the engine would have made on the way, its cadence history and complaints."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from salesbench.core.enums import Channel
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS
from salesbench.core.rules import COMPLAINT_RESPOND, COMPLAINT_SOLVE, VISIT_THANKS, cadence_title
from salesbench.services.demo_data import (
    COMPANY_PLAYBOOKS,
    DEAL_TITLES,
    NEXT_STEP_DUE,
    RETAIL_PLAYBOOKS,
    Gen,
    task_row,
)
from salesbench.services.demo_notes import COMPLAINTS, OBJECTIONS, SUMMARIES
from salesbench.services.demo_steps import NEXT_STEPS

# a realistic few: the share of open deals idle past their stage's rot_days, of
# stage steps left open after their due time, of next steps let slip
ROTTING = 0.05
LEFT_LATE = 0.01
SLIPPED = 0.008
CONTACT_LENGTH = timedelta(minutes=30)


def opportunity_rows(
    g: Gen,
    rows: dict[str, list[dict[str, Any]]],
    customer: dict[str, Any],
    contacts: list[uuid.UUID],
    language: str,
) -> None:
    """One deal of the customer, in the language of its owner's book."""
    r = g.rnd
    cid, owner, since = customer["id"], customer["owner_id"], customer["created_at"]
    customer_status = customer["status"]
    key = r.choice(RETAIL_PLAYBOOKS if customer["kind"] == "person" else COMPANY_PLAYBOOKS)
    pb = g.playbooks[(key, language)]
    stage_index = r.randrange(len(pb.stages))
    status = r.choices(["open", "won", "lost"], [74, 14, 12])[0]
    if customer_status in ("closed", "nurture") and status == "open":
        status = "lost"
    # as in life, won deals went the whole way and lost ones mostly fell out early,
    # which gives the forecast's back-test something real to find
    if status == "won" and r.random() < 0.6:
        stage_index = max(stage_index, len(pb.stages) - 1 - r.randrange(3))
    elif status == "lost" and r.random() < 0.6:
        stage_index //= 2
    oid = g.uid()
    created = min(g.ago(300, 3), max(since, g.now - timedelta(days=300)) + timedelta(days=1))
    # an open deal entered its current stage within what the stage allows (a few linger
    # past its rot_days); closed ones spread their stages over their whole life
    rot = pb.stages[stage_index].rot_days or 14
    idle = rot + r.uniform(1, 8) if r.random() < ROTTING else r.uniform(0, rot * 0.9)
    current_since = g.now - timedelta(days=idle)
    closed_at = g.now - timedelta(days=r.uniform(1, 60)) if status != "open" else None
    if closed_at is not None and closed_at < created:
        closed_at = created + (g.now - created) / 2
    last_entry = max(created, current_since) if closed_at is None else closed_at
    if stage_index == 0 and closed_at is None:
        created = last_entry  # still in its first stage: a deal opened lately
    span = (last_entry - created) / max(stage_index, 1)
    entered = created
    for i in range(stage_index + 1):
        stage = pb.stages[i]
        rows["stage_move"].append(
            dict(
                id=g.uid(),
                opportunity_id=oid,
                rep_id=owner,
                from_stage=pb.stages[i - 1].key if i else None,
                to_stage=stage.key,
                via="advance" if i else "start",
                answer="yes" if i and pb.stages[i - 1].gate else None,
                moved_at=entered,
                created_at=entered,
                updated_at=entered,
            )
        )
        current = i == stage_index
        for task in stage.tasks:
            if not task.on_entry:
                continue
            due = g.workday.due(entered, task.due) if task.due else None
            # steps already past due were done but for a few; most still ahead are open
            still_open = LEFT_LATE if due is not None and due < g.now else 0.9
            step = dict(
                opportunity_id=oid,
                owner_id=owner,
                origin=task.key,
                stage_key=stage.key,
                title=task.title,
                due_at=due,
                created_at=entered,
            )
            if current and status == "open" and r.random() < still_open:
                task_row(g, rows, **step)
                continue
            if current:
                # a handful were finished earlier today, the rest on earlier days
                start_of_day = g.workday.at(g.workday.today(g.now), time(0))
                when = entered + (max(entered, start_of_day) - entered) * r.uniform(0.05, 0.98)
                if r.random() < 0.08:
                    when = max(entered, g.now - timedelta(hours=r.uniform(0.1, 1.5)))
            else:
                when = min(g.now - timedelta(days=1), entered + r.uniform(0.1, 0.9) * span)
            task_row(
                g,
                rows,
                **step,
                status="skipped" if r.random() < 0.05 else "done",
                completed_at=when,
                completed_how="auto" if task.complete_when else "manual",
            )
        if not current:
            entered = entered + span if i + 1 < stage_index else last_entry
    last_contact = None
    for _ in range(r.randint(1, 4)):
        # logged at work: within the deal's life if it has working hours, else the
        # working week before (a deal opened this morning before the showroom opened)
        started = (
            g.at_work(created, g.now, CONTACT_LENGTH)
            or g.at_work(created - timedelta(days=7), g.now, CONTACT_LENGTH)
            or created
        )
        channel = r.choice([c.value for c in Channel])
        last_contact = max(last_contact or started, started)
        rows["activity"].append(
            dict(
                id=g.uid(),
                customer_id=cid,
                opportunity_id=oid,
                contact_id=r.choice(contacts),
                owner_id=owner,
                started_at=started,
                ended_at=started + CONTACT_LENGTH,
                channel=channel,
                summary=r.choice(SUMMARIES[(key, language)][channel]),
                needs=None,
                objections=r.choice([None, *OBJECTIONS[(key, language)]]),
                commitments=None,
                next_step_owner=None,
                next_step_date=None,
                next_step_content=None,
                help_needed=None,
                created_at=started,
                updated_at=started,
            )
        )
        if channel == "visit":
            # thanked at work by the time it was due, as the rule asks (still to do
            # when the visit was only just now)
            due = g.workday.due(started, VISIT_THANKS.due)
            thanked = g.at_work(started + timedelta(minutes=10), min(due, g.now))
            task_row(
                g,
                rows,
                opportunity_id=oid,
                owner_id=owner,
                origin_kind="rule",
                origin=VISIT_THANKS.key,
                title=VISIT_THANKS.title(language, customer["name"]),
                due_at=due,
                created_at=started,
                status="open" if thanked is None else "done",
                completed_at=thanked,
                completed_how=None if thanked is None else "auto",
            )
    if status == "open":
        # next steps agreed with the customer, as fit the stage the deal is at
        steps = NEXT_STEPS[(key, language)][pb.stages[stage_index].key]
        for title in r.sample(steps, min(len(steps), r.randint(2, 4))):
            ahead = -r.uniform(0.2, 3) if r.random() < SLIPPED else r.uniform(0, 14)
            due = g.workday.due(g.now + timedelta(days=ahead), NEXT_STEP_DUE)
            task_row(
                g,
                rows,
                opportunity_id=oid,
                owner_id=owner,
                origin_kind="manual",
                origin="next_step",
                title=title,
                due_at=due,
                created_at=min(due, g.now) - timedelta(days=2),
            )
    amount = int(r.lognormvariate(11, 1.1)) * 100
    rows["opportunity"].append(
        dict(
            id=oid,
            customer_id=cid,
            owner_id=owner,
            title=r.choice(DEAL_TITLES[(key, language)]),
            playbook_key=key,
            stage_key=pb.stages[stage_index].key,
            stage_entered_at=entered,
            mode=r.choice([m.key for m in pb.modes]) if pb.modes else None,
            amount=amount,
            currency="CNY",
            expected_close=(g.now + timedelta(days=r.randint(-20, 120))).date(),
            status=status,
            lost_reason=r.choice(["price", "competitor", "no budget", "timing"])
            if status == "lost"
            else None,
            closed_at=closed_at,
            custom={},
            created_at=created,
            updated_at=last_contact or created,
        )
    )


def cadence_history(
    g: Gen,
    rows: dict[str, list[dict[str, Any]]],
    customer: dict[str, Any],
    language: str,
    when: datetime | None = None,
) -> None:
    """A grade-cadence follow-up the rep made, titled as the queue titles it."""
    since = customer["created_at"]
    if when is None:
        when = since + (g.now - since) * g.rnd.random()
    grade = customer["grade"]
    days = DEFAULT_CADENCE_DAYS.get(grade, DEFAULT_CADENCE_DAYS["C"])
    task_row(
        g,
        rows,
        customer_id=customer["id"],
        owner_id=customer["owner_id"],
        origin_kind="rule",
        origin="cadence",
        title=cadence_title(language, customer["name"], grade, days),
        due_at=when,
        created_at=when - timedelta(days=1),
        status="done",
        completed_at=when,
        completed_how="auto",
    )


def complaint_rows(
    g: Gen, rows: dict[str, list[dict[str, Any]]], customer: dict[str, Any], language: str
) -> None:
    cid, owner = customer["id"], customer["owner_id"]
    done = g.rnd.random() < 0.7
    # settled ones came in on a working day at least a day ago, so their answer and
    # solution are in the past; open ones came in this morning: today's clocks
    received = (
        g.at_work(g.now - timedelta(days=20), g.now - timedelta(days=1.05))
        if done
        else g.at_work(g.now - timedelta(hours=6), g.now)
    ) or g.ago(0.25)
    content, resolution = g.rnd.choice(COMPLAINTS[language])
    complaint_id = g.uid()
    rows["complaint"].append(
        dict(
            id=complaint_id,
            customer_id=cid,
            opportunity_id=None,
            owner_id=owner,
            received_at=received,
            complainant=g.person(True),
            contact_info=None,
            content=content,
            cause_analysis=None,
            resolution=resolution if done else None,
            customer_feedback=None,
            improvement=None,
            responded_at=received + timedelta(minutes=40) if done else None,
            resolved_at=received + timedelta(hours=20) if done else None,
            created_at=received,
            updated_at=received,
        )
    )
    for rule in (COMPLAINT_RESPOND, COMPLAINT_SOLVE):
        task_row(
            g,
            rows,
            customer_id=cid,
            owner_id=owner,
            origin_kind="rule",
            origin=rule.key,
            complaint_id=complaint_id,
            title=rule.title(language, customer["name"]),
            due_at=g.workday.due(received, rule.due),
            created_at=received,
            status="done" if done else "open",
            completed_at=received + rule.due.delta - timedelta(minutes=10) if done else None,
            completed_how="auto" if done else None,
        )
