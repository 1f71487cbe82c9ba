"""The demo data set's raw material: names, places and trades in Chinese and English,
and the seeded generator every demo row is drawn from."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from salesbench.core.durations import parse_duration
from salesbench.core.playbook import Playbook
from salesbench.core.workday import Workday
from salesbench.services.playbooks import Catalog

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
# a person buys furniture for their home on the retail playbook; a company buys on
# the B2B lifecycle or as a solution-selling project
RETAIL_PLAYBOOKS = ("retail-5",)
COMPANY_PLAYBOOKS = ("b2b-lifecycle", "solution-selling")
PLAYBOOKS = (*RETAIL_PLAYBOOKS, *COMPANY_PLAYBOOKS)
# what a deal on each playbook is called, in the playbook's language: a furniture
# purchase on the retail playbook, an account deal on the B2B one, a project on
# solution selling (never a "Cloud migration" asking for a delivery date)
DEAL_TITLES = {
    ("retail-5", "en"): [
        "Living room sofa set",
        "Dining table and chairs",
        "Bedroom suite",
        "Kitchen cabinets",
        "Whole-home custom furniture",
        "Study shelving",
        "Mattress and bed frame",
        "Walk-in wardrobe",
    ],
    ("retail-5", "zh-CN"): [
        "客厅沙发组合",
        "餐桌椅套装",
        "卧室家具套装",
        "整体橱柜",
        "全屋定制",
        "书房书柜",
        "床垫与床架",
        "衣帽间定制",
    ],
    ("b2b-lifecycle", "en"): [
        "Annual supply contract",
        "Office furniture refit",
        "Distributor agreement",
        "Warehouse shelving order",
        "Meeting room furniture",
        "Quarterly restock order",
        "Showroom fit-out",
    ],
    ("b2b-lifecycle", "zh-CN"): [
        "年度供货合同",
        "办公家具改造",
        "经销商合作协议",
        "仓储货架采购",
        "会议室家具",
        "季度补货订单",
        "展厅装修",
    ],
    ("solution-selling", "en"): [
        "ERP rollout",
        "Cloud migration",
        "Warehouse management system",
        "Data platform",
        "CRM implementation",
        "Security review programme",
        "Supply chain analytics",
    ],
    ("solution-selling", "zh-CN"): [
        "ERP 实施",
        "云迁移",
        "仓储管理系统",
        "数据平台建设",
        "CRM 实施",
        "信息安全评估",
        "供应链分析平台",
    ],
}
NEXT_STEP_DUE = parse_duration("P0D")
ONE_DAY = timedelta(days=1)


class Gen:
    def __init__(self, seed: int, now: datetime, catalog: Catalog) -> None:
        self.rnd = random.Random(seed)
        self.now = now
        self.playbooks: dict[tuple[str, str], Playbook] = {
            (k, lang): catalog.get(k, lang) for k in PLAYBOOKS for lang in ("en", "zh-CN")
        }
        self.workday = Workday()
        self._hours: dict[date, tuple[datetime, datetime] | None] = {}

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

    def at_work(
        self, lo: datetime, hi: datetime, length: timedelta = timedelta(0)
    ) -> datetime | None:
        """A moment in the reps' working hours between lo and hi, with `length` of the
        same working day after it and ending by hi, or None when no such moment exists:
        reps log visits and calls at work, never at 03:00 or on a Sunday."""
        rnd, tz = self.rnd, self.workday.zone
        latest = hi - length
        if latest < lo:
            return None
        picked = (lo + (latest - lo) * rnd.random()).astimezone(tz).date()
        # the day drawn, else the nearest working day before it, else after it
        first, last = lo.astimezone(tz).date(), latest.astimezone(tz).date()
        day = picked
        while day >= first:
            if moment := self._slot(day, lo, latest, length):
                return moment
            day -= ONE_DAY
        day = picked + ONE_DAY
        while day <= last:
            if moment := self._slot(day, lo, latest, length):
                return moment
            day += ONE_DAY
        return None

    def _slot(
        self, day: date, lo: datetime, latest: datetime, length: timedelta
    ) -> datetime | None:
        hours = self.hours(day)
        if hours is None:
            return None
        start, end = max(hours[0], lo), min(hours[1] - length, latest)
        return start + (end - start) * self.rnd.random() if start <= end else None

    def hours(self, day: date) -> tuple[datetime, datetime] | None:
        """When the working day opens and closes, None on a closed day: kept per day,
        as a large demo asks for the same few hundred days tens of thousands of times."""
        if day not in self._hours:
            w = self.workday
            self._hours[day] = (w.opens(day), w.closes(day)) if w.is_working_day(day) else None
        return self._hours[day]


def phone_number(g: Gen) -> str:
    r = g.rnd
    return f"+86 1{r.randint(30, 99)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}"


CITIES = (("上海", "上海"), ("北京", "北京"), ("广州", "广东"), ("杭州", "浙江"), ("成都", "四川"))


def reach_rows(
    rows: dict[str, list[dict[str, Any]]],
    n: int,
    customer_id: uuid.UUID,
    created: datetime,
    contact_ids: list[uuid.UUID],
) -> None:
    """The contact points of customer n's contacts (their phone and email first, as the
    contact rows have them; some with an office line too) and, for some, a billing
    address. Derived from what is drawn already, so the rest of the demo stays the same."""
    stamps = {"created_at": created, "updated_at": created, "import_batch_id": None}
    by_id = {c["id"]: c for c in rows["contact"][-len(contact_ids) :]}
    for k, contact_id in enumerate(contact_ids):
        contact = by_id[contact_id]
        points = [("phone", "mobile", contact["phone"]), ("email", "work", contact["email"])]
        if (n + k) % 3 == 0:
            points.insert(1, ("phone", "work", f"+86 21 6{n % 1000:03d} {1000 + k:04d}"))
        for position, (kind, label, value) in enumerate(points):
            rows["contact_point"].append(
                dict(
                    id=uuid.uuid5(contact_id, f"{kind}{position}"),
                    contact_id=contact_id,
                    kind=kind,
                    label=label,
                    value=value,
                    position=position,
                    **stamps,
                )
            )
    if n % 4 == 0:
        city, region = CITIES[n % len(CITIES)]
        rows["address"].append(
            dict(
                id=uuid.uuid5(customer_id, "billing"),
                customer_id=customer_id,
                contact_id=None,
                kind="billing",
                street=f"建设路 {n % 200 + 1} 号",
                city=city,
                region=region,
                postcode=None,
                country="中国",
                position=0,
                **stamps,
            )
        )


def task_row(g: Gen, rows: dict[str, list[dict[str, Any]]], **values: Any) -> None:
    base: dict[str, Any] = dict(
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
