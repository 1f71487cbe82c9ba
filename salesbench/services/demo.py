"""A realistic, reproducible data set for trying salesbench, tests and benchmarks.

Reps in teams, regions and branches; customers of every grade with Chinese and
English names; opportunities at every stage of every bundled playbook, with the
tasks the engine would have made (earlier stages done, the current one partly
open, some overdue), activities, complaints and stage history. Written with one
Core `executemany` per table in one transaction: 200,000 ORM objects would take
a minute, this takes seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from salesbench.core.errors import Conflict
from salesbench.core.grading import suggest_grade
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS
from salesbench.services.demo_data import (
    INDUSTRIES,
    SOURCES,
    TEAMS,
    Gen,
    phone_number,
    reach_rows,
)
from salesbench.services.demo_deals import cadence_history, complaint_rows, opportunity_rows
from salesbench.services.demo_notes import CONTACT_TITLES
from salesbench.store.engine import Store

CADENCE_SLIPPED = 0.02  # customers whose follow-up is overdue this morning


@dataclass
class DemoCounts:
    reps: int = 0
    customers: int = 0
    contacts: int = 0
    opportunities: int = 0
    tasks: int = 0
    open_tasks: int = 0
    activities: int = 0
    complaints: int = 0
    stage_moves: int = 0


def generate(
    store: Store, *, customers: int = 300, seed: int = 7, now: datetime, reps: int | None = None
) -> DemoCounts:
    from sqlalchemy import insert, select
    from sqlmodel import col

    from salesbench.services.playbooks import catalog_from_session
    from salesbench.services.search_index import spell_names
    from salesbench.store import models as m

    with store.read() as session:
        if session.execute(select(col(m.Rep.id)).limit(1)).first() is not None:
            raise Conflict("the database already has data; run the demo into a new file (--db)")
        catalog = catalog_from_session(session)
    g = Gen(seed, now, catalog)
    counts = DemoCounts()
    rows: dict[str, list[dict[str, Any]]] = {
        t: []
        for t in (
            "rep",
            "customer",
            "contact",
            "contact_point",
            "address",
            "opportunity",
            "task",
            "activity",
            "complaint",
            "stage_move",
        )
    }

    n_reps = reps or max(2, min(40, customers // 250 or 2))
    rep_ids = []
    for i in range(n_reps):
        team, region, branch = TEAMS[i % len(TEAMS)]
        chinese = i % 3 != 2
        name = g.person(chinese)
        rep_id = g.uid()
        rep_ids.append(rep_id)
        rows["rep"].append(
            dict(
                id=rep_id,
                name=name,
                email=f"rep{i + 1}@demo.salesbench.dev",
                team=team,
                region=region,
                branch=branch,
                # the workday the demo's times were drawn in
                timezone=g.workday.tz,
                workday_start=f"{g.workday.start:%H:%M}",
                workday_end=f"{g.workday.end:%H:%M}",
                workdays=",".join(str(d) for d in sorted(g.workday.weekdays)),
                language="zh-CN" if chinese else "en",
                created_at=now - timedelta(days=400),
                updated_at=now - timedelta(days=400),
            )
        )

    for n in range(customers):
        chinese = g.rnd.random() < 0.7
        person = g.rnd.random() < 0.3
        cid, owner = g.uid(), rep_ids[n % n_reps]
        purchase = int(g.rnd.lognormvariate(12.4, 1.2)) * 100
        grade = suggest_grade(purchase).value
        status = g.rnd.choices(["active", "nurture", "paused", "closed"], [85, 7, 5, 3])[0]
        created = g.at_work(now - timedelta(days=360), now - timedelta(days=20)) or g.ago(360, 20)
        language = rows["rep"][n % n_reps]["language"]
        paused_until = (
            (now + timedelta(days=g.rnd.randint(5, 50))).date() if status == "paused" else None
        )
        name = g.person(chinese) if person else g.company(chinese)
        customer: dict[str, Any] = dict(
            id=cid,
            kind="person" if person else "company",
            name=name,
            number=f"CRM-2026-{n + 1:05d}",
            industry=g.rnd.choice(INDUSTRIES),
            size=g.rnd.choice(["1-10", "10-50", "50-200", "200-1000", "1000+"]),
            source_channel=g.rnd.choice(SOURCES),
            grade=grade,
            grade_set_by="rule",
            status=status,
            paused_until=paused_until,
            annual_purchase=purchase,
            currency="CNY" if purchase is not None else None,
            owner_id=owner,
            custom={},
            created_at=created,
            updated_at=created,
        )
        rows["customer"].append(customer)
        contact_ids = []
        for k in range(1 if person else g.rnd.randint(1, 3)):
            contact_id = g.uid()
            contact_ids.append(contact_id)
            rows["contact"].append(
                dict(
                    id=contact_id,
                    customer_id=cid,
                    name=name if person else g.person(chinese),
                    title=None if person else g.rnd.choice(CONTACT_TITLES[language]),
                    phone=phone_number(g),
                    email=f"c{n}.{k}@example.com",
                    decision_role=["decision_maker", "influencer", "user", "coach"][k % 4],
                    created_at=created,
                    updated_at=created,
                )
            )
        reach_rows(rows, n, cid, created, contact_ids)
        for _ in range(g.rnd.choices([1, 2, 3], [30, 45, 25])[0]):
            opportunity_rows(g, rows, customer, contact_ids, language)
        for _ in range(g.rnd.randint(0, 2)):
            cadence_history(g, rows, customer, language)
        # the last follow-up within the grade's cadence, as a rep who keeps up (a few
        # slipped): otherwise every customer's follow-up would open the day overdue
        days = DEFAULT_CADENCE_DAYS.get(grade, DEFAULT_CADENCE_DAYS["C"])
        late = g.rnd.random() < CADENCE_SLIPPED
        ago = days + g.rnd.uniform(0.5, 3) if late else g.rnd.uniform(0.3, days - 1)
        cadence_history(g, rows, customer, language, when=max(created, now - timedelta(days=ago)))
        if g.rnd.random() < 0.04:
            complaint_rows(g, rows, customer, language)

    counts.reps = len(rows["rep"])
    counts.customers = len(rows["customer"])
    counts.contacts = len(rows["contact"])
    counts.opportunities = len(rows["opportunity"])
    counts.tasks = len(rows["task"])
    counts.open_tasks = sum(1 for t in rows["task"] if t["status"] == "open")
    counts.activities = len(rows["activity"])
    counts.complaints = len(rows["complaint"])
    counts.stage_moves = len(rows["stage_move"])

    # parents before the rows that refer to them
    order = (
        "rep",
        "customer",
        "contact",
        "contact_point",
        "address",
        "opportunity",
        "complaint",
        "task",
        "activity",
    )
    tables = {name: m.TABLES[name] for name in (*order, "stage_move")}
    with store.engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            for name, model in tables.items():
                for chunk in _chunks(rows[name], 20_000):
                    conn.execute(insert(model.__table__), chunk)  # type: ignore[attr-defined]
            # the names' pinyin while the demo is made, not on the first keystroke
            spell_names(conn, [*(r["name"] for r in rows["customer"]),
                               *(r["name"] for r in rows["contact"]),
                               *(r["title"] for r in rows["opportunity"])], now)  # fmt: skip
    return counts


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
