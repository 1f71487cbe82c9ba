"""A realistic, reproducible data set for trying salesbench, tests and benchmarks.

Reps in teams, regions and branches; customers of every grade with Chinese and
English names; opportunities at every stage of every bundled playbook, with the
tasks the engine would have made (earlier stages done, the current one partly
open, some overdue), activities, complaints and stage history. Written with one
Core `executemany` per table in one transaction: 200,000 ORM objects would take
a minute, this takes seconds.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from salesbench.core.durations import parse_duration
from salesbench.core.enums import Channel
from salesbench.core.errors import Conflict
from salesbench.core.grading import suggest_grade
from salesbench.core.playbook import Playbook
from salesbench.core.workday import Workday
from salesbench.services.playbooks import Catalog
from salesbench.store.engine import Store

SURNAMES_ZH = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN_ZH = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "子涵",
    "浩然",
    "欣怡",
]
FIRST_EN = [
    "James",
    "Mary",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emma",
    "Daniel",
    "Olivia",
    "Thomas",
    "Sophie",
    "Lucas",
    "Chloe",
    "Henry",
    "Grace",
    "Oliver",
    "Mia",
]
LAST_EN = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Martin",
    "Clark",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
]
CITIES_ZH = ["上海", "北京", "深圳", "杭州", "成都", "南京", "苏州", "武汉", "西安", "广州"]
TRADES_ZH = ["家具", "科技", "贸易", "建材", "物流", "医疗器械", "食品", "电子", "咨询", "制造"]
COMPANY_EN = [
    "Northwind",
    "Bluefield",
    "Harbor",
    "Summit",
    "Redwood",
    "Silverline",
    "Oakridge",
    "Brightpath",
    "Ironbridge",
    "Clearwater",
    "Everest",
    "Pinecrest",
]
INDUSTRIES = [
    "furniture",
    "software",
    "logistics",
    "retail",
    "manufacturing",
    "healthcare",
    "education",
    "construction",
    "food",
    "energy",
]
SOURCES = ["trade show", "online", "referral", "walk-in", "linkedin", "outbound"]
TEAMS = [
    ("East", "华东", "Shanghai"),
    ("East", "华东", "Hangzhou"),
    ("North", "华北", "Beijing"),
    ("South", "华南", "Shenzhen"),
    ("West", "西南", "Chengdu"),
]
PLAYBOOKS = ["retail-5", "b2b-lifecycle", "solution-selling"]
NEXT_STEPS = [
    "Send the revised quotation",
    "发送样品照片",
    "Call about the delivery window",
    "约决策人见面",
    "Share a reference case",
    "确认预算",
    "Book the site visit",
    "跟进方案反馈",
]
NEXT_STEP_DUE = parse_duration("P0D")


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


class _Gen:
    def __init__(self, seed: int, now: datetime, catalog: Catalog) -> None:
        self.rnd = random.Random(seed)
        self.now = now
        self.playbooks: dict[tuple[str, str], Playbook] = {
            (k, lang): catalog.get(k, lang) for k in PLAYBOOKS for lang in ("en", "zh-CN")
        }
        self.workday = Workday()

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rnd.getrandbits(128), version=4)

    def person(self, chinese: bool) -> str:
        r = self.rnd
        if chinese:
            return r.choice(SURNAMES_ZH) + r.choice(GIVEN_ZH)
        return f"{r.choice(FIRST_EN)} {r.choice(LAST_EN)}"

    def company(self, chinese: bool) -> str:
        r = self.rnd
        if chinese:
            mark = r.choice(["达", "盛", "华", "通", "远", "新"])
            return (
                f"{r.choice(CITIES_ZH)}{r.choice(SURNAMES_ZH)}{mark}{r.choice(TRADES_ZH)}有限公司"
            )
        kind = r.choice(["Trading", "Systems", "Home", "Labs", "Group", "Works"])
        return f"{r.choice(COMPANY_EN)} {kind}"

    def ago(self, max_days: float, min_days: float = 0) -> datetime:
        return self.now - timedelta(days=self.rnd.uniform(min_days, max_days))


def generate(
    store: Store, *, customers: int = 300, seed: int = 7, now: datetime, reps: int | None = None
) -> DemoCounts:
    from sqlalchemy import insert, select

    from salesbench.services.playbooks import catalog_from_session
    from salesbench.store import models as m

    with store.read() as session:
        if session.exec(select(m.Rep.id).limit(1)).first() is not None:
            raise Conflict("the database already has data; run the demo into a new file (--db)")
        catalog = catalog_from_session(session)
    g = _Gen(seed, now, catalog)
    counts = DemoCounts()
    rows: dict[str, list[dict[str, Any]]] = {
        t: []
        for t in (
            "rep",
            "customer",
            "contact",
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
                timezone="Asia/Shanghai",
                workday_start="09:00",
                workday_end="18:00",
                workdays="0,1,2,3,4",
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
        created = g.ago(360, 20)
        paused_until = (
            (now + timedelta(days=g.rnd.randint(5, 50))).date() if status == "paused" else None
        )
        name = g.person(chinese) if person else g.company(chinese)
        rows["customer"].append(
            dict(
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
                owner_id=owner,
                custom={},
                created_at=created,
                updated_at=created,
            )
        )
        contact_ids = []
        for k in range(1 if person else g.rnd.randint(1, 3)):
            contact_id = g.uid()
            contact_ids.append(contact_id)
            rows["contact"].append(
                dict(
                    id=contact_id,
                    customer_id=cid,
                    name=name if person else g.person(chinese),
                    title=None
                    if person
                    else g.rnd.choice(["采购经理", "总经理", "IT Director", "Owner", "财务总监"]),
                    phone=_phone(g),
                    email=f"c{n}.{k}@example.com",
                    decision_role=["decision_maker", "influencer", "user", "coach"][k % 4],
                    created_at=created,
                    updated_at=created,
                )
            )
        language = rows["rep"][n % n_reps]["language"]
        for _ in range(g.rnd.choices([1, 2, 3], [30, 45, 25])[0]):
            _opportunity(g, rows, cid, owner, contact_ids, created, status, language)
        for _ in range(g.rnd.randint(0, 2)):
            _cadence_history(g, rows, cid, owner, created)
        if g.rnd.random() < 0.04:
            _complaint(g, rows, cid, owner)

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
    order = ("rep", "customer", "contact", "opportunity", "complaint", "task", "activity")
    tables = {name: m.TABLES[name] for name in (*order, "stage_move")}
    with store.engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            for name, model in tables.items():
                for chunk in _chunks(rows[name], 20_000):
                    conn.execute(insert(model.__table__), chunk)  # type: ignore[attr-defined]
    return counts


def _phone(g: _Gen) -> str:
    r = g.rnd
    return f"+86 1{r.randint(30, 99)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}"


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _task(g: _Gen, rows: dict[str, list[dict[str, Any]]], **values: Any) -> None:
    base = dict(
        id=g.uid(),
        opportunity_id=None,
        customer_id=None,
        origin_kind="playbook",
        origin=None,
        stage_key=None,
        suggested=False,
        complaint_id=None,
        due_at=None,
        status="open",
        snoozed_until=None,
        completed_at=None,
        completed_how=None,
    )
    base.update(values)
    base.setdefault("created_at", base["due_at"] or g.now)
    base.setdefault("updated_at", base["completed_at"] or base["created_at"])
    rows["task"].append(base)


def _opportunity(
    g: _Gen,
    rows: dict[str, list[dict[str, Any]]],
    cid: uuid.UUID,
    owner: uuid.UUID,
    contacts: list[uuid.UUID],
    since: datetime,
    customer_status: str,
    language: str,
) -> None:
    r = g.rnd
    key = r.choice(PLAYBOOKS)
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
    # an open deal entered its current stage lately (some linger past rot_days); closed
    # ones spread their stages over their whole life
    current_since = g.now - timedelta(days=r.choice([r.uniform(0, 6), r.uniform(0, 25)]))
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
            # most steps already past due were done; most still ahead are open
            still_open = 0.2 if due is not None and due < g.now else 0.9
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
                _task(g, rows, **step)
                continue
            if current:
                # a handful were finished earlier today, the rest on earlier days
                start_of_day = g.workday.at(g.workday.today(g.now), time(0))
                when = entered + (max(entered, start_of_day) - entered) * r.uniform(0.05, 0.98)
                if r.random() < 0.08:
                    when = max(entered, g.now - timedelta(hours=r.uniform(0.1, 1.5)))
            else:
                when = min(g.now - timedelta(days=1), entered + r.uniform(0.1, 0.9) * span)
            _task(
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
        started = created + (g.now - created) * r.random()
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
                ended_at=started + timedelta(minutes=30),
                channel=channel,
                summary=r.choice(
                    ["介绍了方案", "Discussed pricing", "看样品", "Site visit", "电话回访"]
                ),
                needs=None,
                objections=r.choice([None, "价格偏高", "timing", "需要家人同意"]),
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
            _task(
                g,
                rows,
                opportunity_id=oid,
                owner_id=owner,
                origin_kind="rule",
                origin="visit_thanks",
                title="Thank the customer for the visit",
                due_at=started + timedelta(hours=24),
                created_at=started,
                status="done",
                completed_at=started + timedelta(hours=r.uniform(1, 20)),
                completed_how="auto",
            )
    if status == "open":
        for _ in range(r.randint(2, 4)):  # next steps agreed with the customer
            due = g.workday.due(g.now + timedelta(days=r.uniform(-3, 21)), NEXT_STEP_DUE)
            _task(
                g,
                rows,
                opportunity_id=oid,
                owner_id=owner,
                origin_kind="manual",
                origin="next_step",
                title=r.choice(NEXT_STEPS),
                due_at=due,
                created_at=min(due, g.now) - timedelta(days=2),
            )
    amount = int(r.lognormvariate(11, 1.1)) * 100
    rows["opportunity"].append(
        dict(
            id=oid,
            customer_id=cid,
            owner_id=owner,
            title=r.choice(
                [
                    "Office refit",
                    "全屋定制",
                    "ERP rollout",
                    "会议室家具",
                    "Annual supply contract",
                    "Sofa set",
                    "仓储系统",
                    "Training programme",
                    "门店升级",
                    "Cloud migration",
                ]
            ),
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


def _cadence_history(
    g: _Gen,
    rows: dict[str, list[dict[str, Any]]],
    cid: uuid.UUID,
    owner: uuid.UUID,
    since: datetime,
) -> None:
    when = since + (g.now - since) * g.rnd.random()
    _task(
        g,
        rows,
        customer_id=cid,
        owner_id=owner,
        origin_kind="rule",
        origin="cadence",
        title="Regular follow-up",
        due_at=when,
        created_at=when - timedelta(days=1),
        status="done",
        completed_at=when,
        completed_how="auto",
    )


def _complaint(
    g: _Gen, rows: dict[str, list[dict[str, Any]]], cid: uuid.UUID, owner: uuid.UUID
) -> None:
    received = g.ago(20)
    done = g.rnd.random() < 0.7
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
            content=g.rnd.choice(
                ["送货延迟两天", "Wrong colour delivered", "安装师傅迟到", "Invoice amount wrong"]
            ),
            cause_analysis=None,
            resolution="Replaced" if done else None,
            customer_feedback=None,
            improvement=None,
            responded_at=received + timedelta(minutes=40) if done else None,
            resolved_at=received + timedelta(hours=20) if done else None,
            created_at=received,
            updated_at=received,
        )
    )
    workday = g.workday
    for key, delta, title in (
        ("complaint_respond", timedelta(hours=1), "Respond to the complaint"),
        ("complaint_solve", timedelta(hours=24), "Give a solution with dates"),
    ):
        _task(
            g,
            rows,
            customer_id=cid,
            owner_id=owner,
            origin_kind="rule",
            origin=key,
            complaint_id=complaint_id,
            title=title,
            due_at=workday.on_working_time(received + delta),
            created_at=received,
            status="done" if done else "open",
            completed_at=received + delta - timedelta(minutes=10) if done else None,
            completed_how="auto" if done else None,
        )
