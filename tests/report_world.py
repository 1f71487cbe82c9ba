"""A hand-built team around the 2026/2027 year end, for the report tests.

ISO week 2026-W53 runs Monday 2026-12-28 to Sunday 2027-01-03; in Asia/Shanghai it
starts at 2026-12-27 16:00 UTC. Every row is placed so the tests can count each
figure of the weekly report by hand; the comments say where each one lands.
Playbook retail-5 (bundled): first_contact 10 % (4 required tasks), build_trust
25 % (3), negotiation 85 % (4).
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from salesbench.core.clock import FixedClock
from salesbench.store import models as m
from salesbench.store.open import open_store
from tests.sop_world import sh

NOW = sh(2027, 1, 5, 10)  # Tuesday of 2027-W01: week 53 is complete


def uid() -> uuid.UUID:
    return uuid.uuid4()


def build(path: Path | str) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    store = open_store(str(path))
    created = sh(2026, 10, 1, 9)
    with store.write(FixedClock(created)) as s:

        def rep(key: str, name: str, team: str, region: str, branch: str) -> None:
            ids[key] = uid()
            s.add(
                m.Rep(
                    id=ids[key],
                    name=name,
                    email=f"{key}@example.com",
                    team=team,
                    region=region,
                    branch=branch,
                )
            )

        rep("ann", "Ann", "East", "华东", "Shanghai")
        rep("bo", "Bo", "East", "华东", "Hangzhou")
        rep("cy", "Cy", "West", "西南", "Chengdu")
        s.flush()

        def customer(key: str, owner: str, grade: str, status: str = "active", at=created):
            ids[key] = uid()
            s.add(
                m.Customer(
                    id=ids[key],
                    name=key,
                    grade=grade,
                    grade_set_by="manual",
                    status=status,
                    paused_until=date(2027, 2, 1) if status == "paused" else None,
                    owner_id=ids[owner],
                    created_at=at,
                )
            )

        customer("cA1", "ann", "A")
        customer("cA2", "ann", "B")
        customer("cB1", "bo", "C")
        customer("cB2", "bo", "A", status="paused")  # paused: no cadence expected
        customer("cC1", "cy", "C", at=sh(2026, 12, 30, 9))  # new: not yet due a touch
        customer("cC2", "cy", "A")
        s.flush()

        def activity(owner: str, cust: str, channel: str, at) -> None:
            s.add(
                m.Activity(
                    customer_id=ids[cust], owner_id=ids[owner], channel=channel, started_at=at
                )
            )

        activity("ann", "cA1", "visit", sh(2026, 12, 28, 0, 30))  # W53 here, W52 in UTC
        activity("ann", "cA1", "message", sh(2026, 12, 28, 9))  # thanks the visit in 8.5 h
        activity("ann", "cA2", "call", sh(2027, 1, 3, 23, 30))  # last half hour of W53
        activity("bo", "cB1", "visit", sh(2027, 1, 2, 10))  # never thanked within 24 h
        activity("bo", "cB1", "email", sh(2027, 1, 4, 0, 10))  # W01, 38 h after the visit
        activity("cy", "cC2", "meeting", sh(2026, 12, 27, 23))  # W52, an hour before W53
        activity("ann", "cA1", "call", sh(2026, 12, 22, 10))  # W52

        def task(owner: str, cust: str, title: str, due, status="open", done=None) -> None:
            s.add(
                m.Task(
                    customer_id=ids[cust],
                    owner_id=ids[owner],
                    title=title,
                    due_at=due,
                    status=status,
                    completed_at=done,
                    completed_how="manual" if done else None,
                    created_at=sh(2026, 12, 1, 9),
                )
            )

        task("ann", "cA1", "t1 on time", sh(2026, 12, 29, 18), "done", sh(2026, 12, 29, 17))
        task("ann", "cA1", "t2 late", sh(2026, 12, 29, 18), "done", sh(2026, 12, 30, 9))
        task("ann", "cA2", "t3 overdue", sh(2026, 12, 31, 12))
        task("bo", "cB1", "t4 due next week", sh(2027, 1, 5, 9))
        task("bo", "cB1", "t5 done after W53", sh(2026, 12, 30, 10), "done", sh(2027, 1, 4, 9))
        task("cy", "cC1", "t6 no due time", None, "done", sh(2026, 12, 31, 15))
        task("bo", "cB1", "t7 W52 on time", sh(2026, 12, 23, 18), "done", sh(2026, 12, 22, 11))
        task("ann", "cA2", "t8 skipped in W52", sh(2026, 12, 20, 18), "skipped", sh(2026, 12, 24))
        s.flush()

        def opp(key: str, owner: str, cust: str, amount: int, stage: str, at, **kw) -> None:
            ids[key] = uid()
            s.add(
                m.Opportunity(
                    id=ids[key],
                    customer_id=ids[cust],
                    owner_id=ids[owner],
                    title=key,
                    playbook_key="retail-5",
                    stage_key=stage,
                    amount=amount * 100,
                    created_at=at,
                    **kw,
                )
            )

        opp("o1", "ann", "cA1", 100_000, "build_trust", sh(2026, 12, 1, 9))
        opp("o2", "bo", "cB1", 50_000, "first_contact", sh(2026, 12, 30, 9))
        opp("o3", "ann", "cA2", 80_000, "negotiation", sh(2026, 11, 1, 9), status="won",
            closed_at=sh(2027, 1, 2, 12))  # fmt: skip
        opp("o4", "cy", "cC1", 30_000, "first_contact", sh(2026, 12, 30, 10), status="lost",
            closed_at=sh(2027, 1, 3, 20), lost_reason="price")  # fmt: skip
        opp("o5", "bo", "cB1", 20_000, "first_contact", sh(2026, 11, 1, 9), status="lost",
            closed_at=sh(2026, 12, 24, 12))  # fmt: skip
        s.flush()

        def move(o: str, rep_key: str, frm: str | None, to: str, at) -> None:
            s.add(
                m.StageMove(
                    opportunity_id=ids[o],
                    rep_id=ids[rep_key],
                    from_stage=frm,
                    to_stage=to,
                    via="advance" if frm else "start",
                    moved_at=at,
                )
            )

        move("o1", "ann", None, "first_contact", sh(2026, 12, 1, 9))
        move("o1", "ann", "first_contact", "build_trust", sh(2026, 12, 29, 10))  # in W53
        move("o2", "bo", None, "first_contact", sh(2026, 12, 30, 9))  # in W53

        def step(o: str, owner: str, stage: str, key: str, at) -> None:
            s.add(
                m.Task(
                    opportunity_id=ids[o],
                    owner_id=ids[owner],
                    origin_kind="playbook",
                    origin=key,
                    stage_key=stage,
                    title=key,
                    status="done",
                    completed_at=at,
                    completed_how="manual",
                    created_at=sh(2026, 12, 1, 9),
                )
            )

        step("o1", "ann", "first_contact", "welcome", sh(2026, 12, 2, 10))  # 2 of 4 by W52's end
        step("o1", "ann", "first_contact", "basic_data", sh(2026, 12, 3, 10))
        step("o1", "ann", "build_trust", "stay_in_touch", sh(2026, 12, 30, 10))  # 1 of 3 by W53's

        def complaint(owner: str, cust: str, received, responded=None, resolved=None) -> None:
            s.add(
                m.Complaint(
                    customer_id=ids[cust],
                    owner_id=ids[owner],
                    received_at=received,
                    content="late delivery",
                    responded_at=responded,
                    resolved_at=resolved,
                )
            )

        complaint("ann", "cA1", sh(2026, 12, 29, 10), sh(2026, 12, 29, 10, 30), sh(2026, 12, 30, 9))
        complaint("bo", "cB1", sh(2026, 12, 31, 15), sh(2026, 12, 31, 16, 30))  # 1.5 h, unsolved
        complaint("cy", "cC2", sh(2026, 12, 24, 9))  # W52: neither answered nor solved
    store.close()
    return ids
