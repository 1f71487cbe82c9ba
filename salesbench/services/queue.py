"""Reading a rep's day: facts from the store, ordering and scores from the core."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from salesbench.core import queue as core
from salesbench.core.enums import OPEN_STATES_SQL
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS, Playbook
from salesbench.core.reps import acting_rep_row
from salesbench.core.rules import cadence_due, cadence_title, nurture_title
from salesbench.core.settings import DEFAULT_CURRENCY
from salesbench.core.workday import Workday, workday_of
from salesbench.services.queue_facts import cadence_days, deal_facts, in_nurture_pool, latest
from salesbench.store.raw import FIRST_ENGINE as FIRST_ENGINE  # the readers' shells hold it
from salesbench.store.raw import (
    Rows,
    dashed,
    hex_id,
    id_list,
    rep_rows,
    store_rows,
    to_date,
    to_dt,
    to_uuid,
)

if TYPE_CHECKING:
    from salesbench.store.engine import Store


@dataclass
class RepInfo:
    id: uuid.UUID
    name: str
    email: str
    team: str | None
    language: str
    workday: Workday


@dataclass
class QueueView:
    rep: RepInfo
    queue: core.Queue
    timezone: str
    items: list[core.Item]  # every open item read, including those not shown today
    currency: str = DEFAULT_CURRENCY  # the team's: deal sizes are scored in it
    read: QueueRead | None = None  # the rows it was built from

    def rebuilt(
        self, *, now: datetime, mode: str | None = None, include_done: bool = False
    ) -> QueueView | None:
        """The same rows as another view (the other review, today's finished tasks shown
        or not) without reading again: the workbench's `m` and `h`. None once `now` is
        on another day than the rows were read for, when they must be read afresh."""
        read = self.read
        if read is None or read.moved or self.rep.workday.today(now) != read.day:
            return None
        return _build(read, now, mode, include_done, read.suggest, self.currency)

    def why(self, ref: str) -> tuple[core.Item, list[core.Term]]:
        """A task's priority score, term by term (`task why`)."""
        wanted = ref.strip().lower().replace("-", "")
        found = [i for i in self.items if i.id.replace("-", "").startswith(wanted)]
        if not found:
            raise NotFound(f"no open task of {self.rep.name} matches {ref!r}")
        if len(found) > 1:
            raise BadInput(f"{ref!r} matches several tasks; give more of the id")
        return found[0], core.score(found[0], self.queue.now, self.rep.workday, self.currency)


@dataclass
class QueueRead:
    """What load_queue reads for a rep's day, before any of it is built into a queue."""

    info: RepInfo
    day: date
    task_rows: list[dict[str, Any]]
    done_rows: list[dict[str, Any]]  # finished today
    customers: dict[str, dict[str, Any]]
    opps: dict[str, dict[str, Any]]
    logged: set[str]  # customers with an activity logged today
    catalog: Any
    suggest: int
    moved: bool  # read for another day than the clock's (`on`)


def _rep_info(row: Mapping[str, Any]) -> RepInfo:
    workday = workday_of(row["timezone"], row["workday_start"], row["workday_end"], row["workdays"])
    rep_id = to_uuid(row["id"])
    assert rep_id is not None
    return RepInfo(rep_id, row["name"], row["email"], row["team"], row["language"], workday)


def resolve_rep(rows: Rows, ref: str | None) -> RepInfo:
    """The rep a queue is read for, by the rules of core.reps."""
    return _rep_info(acting_rep_row(rep_rows(rows), ref))


TASK_SQL = """
SELECT t.id, t.title, t.due_at, t.status, t.snoozed_until, t.origin_kind, t.origin,
       t.stage_key, t.suggested, t.completed_at, t.completed_how, t.opportunity_id,
       COALESCE(o.customer_id, t.customer_id) AS customer_id
FROM task t LEFT JOIN opportunity o ON o.id = t.opportunity_id
WHERE t.owner_id = :rep AND {where}
"""

CUSTOMER_SQL = """
SELECT c.id, c.name, c.grade, c.status, c.paused_until, c.created_at,
       (SELECT max(a.started_at) FROM activity a WHERE a.customer_id = c.id) AS last_contact,
       (SELECT max(t.completed_at) FROM task t
         WHERE t.customer_id = c.id AND t.origin = 'cadence') AS last_cadence
FROM customer c WHERE {where}
"""

OPP_SQL = """
SELECT o.id, o.customer_id, o.title, o.playbook_key, o.stage_key, o.amount, o.currency,
       o.status, o.custom,
       o.stage_entered_at,
       (SELECT max(a.started_at) FROM activity a WHERE a.opportunity_id = o.id) AS last_contact
FROM opportunity o WHERE {where}
"""


def open_task_count(store: Store, rep: str | None) -> int:
    """How many open tasks the rep's queue reads (by the index on owner and status):
    the workbench reads a small queue before its first frame, a big one in a worker."""
    with store_rows(store) as rows:
        rep_id = rows.uid(resolve_rep(rows, rep).id)
        found = rows.all(
            f"SELECT count(*) AS n FROM task t WHERE t.owner_id = :rep "
            f"AND t.status IN {OPEN_STATES_SQL}",
            rep=rep_id,
        )
    return int(found[0]["n"])


def reader(db: str | None) -> Store:
    """A store for the fast readers: it opens no engine for a SQLite file at head."""
    from salesbench.store.open import open_store

    return open_store(db, lazy=True)


def load_queue(
    store: Store,
    *,
    now: datetime,
    rep: str | None = None,
    mode: str | None = None,
    on: date | None = None,
    include_done: bool = False,
    suggest: int = 5,
    currency: str = DEFAULT_CURRENCY,
) -> QueueView:
    from salesbench.services.playbooks import catalog_from_rows

    with store_rows(store) as rows:
        info = resolve_rep(rows, rep)
        workday = info.workday
        if on is not None:
            now = workday.at(on, workday.local(now).time().replace(tzinfo=None))
        day = workday.today(now)
        day_start = workday.at(day, time(0))
        day_end = workday.at(day + timedelta(days=1), time(0))
        rep_id = rows.uid(info.id)

        task_rows = rows.all(TASK_SQL.format(where=f"t.status IN {OPEN_STATES_SQL}"), rep=rep_id)
        # today's finished tasks, for every view: the header counts them ("N done today")
        done_rows = rows.all(
            TASK_SQL.format(
                where="t.status IN ('done', 'skipped') "
                "AND t.completed_at >= :start AND t.completed_at < :end"
            ),
            rep=rep_id,
            start=rows.ts(day_start),
            end=rows.ts(day_end),
        )

        customers = {
            hex_id(r["id"]): r
            for r in rows.all(CUSTOMER_SQL.format(where="c.owner_id = :rep"), rep=rep_id)
        }
        opps = {
            hex_id(r["id"]): r
            for r in rows.all(
                OPP_SQL.format(where="o.owner_id = :rep AND o.status = 'open'"), rep=rep_id
            )
        }
        missing_opps = {
            hex_id(r["opportunity_id"])
            for r in task_rows + done_rows
            if r["opportunity_id"] is not None
        } - set(opps)
        if missing_opps:
            clause, params = id_list(missing_opps, rows)
            opps.update(
                {
                    hex_id(r["id"]): r
                    for r in rows.all(OPP_SQL.format(where=f"o.id IN {clause}"), **params)
                }
            )
        missing_customers = (
            {hex_id(r["customer_id"]) for r in task_rows + done_rows}
            | {hex_id(o["customer_id"]) for o in opps.values()}
        ) - set(customers)
        if missing_customers:
            clause, params = id_list(missing_customers, rows)
            customers.update(
                {
                    hex_id(r["id"]): r
                    for r in rows.all(CUSTOMER_SQL.format(where=f"c.id IN {clause}"), **params)
                }
            )
        logged = {
            dashed(hex_id(r["customer_id"]))
            for r in rows.all(
                "SELECT DISTINCT customer_id FROM activity WHERE owner_id = :rep "
                "AND started_at >= :start AND started_at < :end",
                rep=rep_id,
                start=rows.ts(day_start),
                end=rows.ts(day_end),
            )
        }
        catalog = catalog_from_rows(rows)
    read = QueueRead(
        info, day, task_rows, done_rows, customers, opps, logged, catalog, suggest, on is not None
    )
    return _build(read, now, mode, include_done, suggest, currency)


def _build(
    read: QueueRead,
    now: datetime,
    mode: str | None,
    include_done: bool,
    suggest: int,
    currency: str,
) -> QueueView:
    """The queue from what was read: scores, sections and counts are the core's."""
    info, catalog, customers, opps = read.info, read.catalog, read.customers, read.opps
    task_rows, done_rows = read.task_rows, read.done_rows
    workday = info.workday
    mode = mode or workday.default_mode(now)
    day = read.day
    day_end = workday.at(day + timedelta(days=1), time(0))
    after_tomorrow = workday.at(day + timedelta(days=2), time(0))
    playbooks: dict[str, Playbook | None] = {}

    def playbook(key: str | None) -> Playbook | None:
        if key is None:
            return None
        if key not in playbooks:
            try:
                playbooks[key] = catalog.get(key, info.language)
            except NotFound:
                playbooks[key] = None
        return playbooks[key]

    customer_facts = {
        cid: core.CustomerFacts(
            dashed(cid),
            r["name"],
            r["grade"],
            latest(to_dt(r["last_contact"]), to_dt(r["last_cadence"])),
        )
        for cid, r in customers.items()
    }
    opp_facts = {oid: deal_facts(r, playbook(r["playbook_key"])) for oid, r in opps.items()}

    def item(r: dict[str, Any]) -> core.Item:
        due = to_dt(r["due_at"])
        if r["status"] == "snoozed":
            due = to_dt(r["snoozed_until"])
        oid = hex_id(r["opportunity_id"]) if r["opportunity_id"] is not None else None
        return core.Item(
            id=dashed(hex_id(r["id"])),
            title=r["title"],
            due_at=due,
            status=r["status"],
            origin_kind=r["origin_kind"],
            origin=r["origin"],
            customer=customer_facts[hex_id(r["customer_id"])],
            opportunity=opp_facts.get(oid) if oid else None,
            stage_key=r["stage_key"],
            suggested=bool(r["suggested"]),
            completed_at=to_dt(r["completed_at"]),
            completed_how=r["completed_how"],
        )

    nurtured = {oid for oid, r in opps.items() if in_nurture_pool(r, playbook(r["playbook_key"]))}
    items = []
    for r in task_rows:
        if r["status"] == "snoozed" and (to_dt(r["snoozed_until"]) or day_end) >= day_end:
            continue  # snoozed past today: out of sight until then
        pooled = r["opportunity_id"] is not None and hex_id(r["opportunity_id"]) in nurtured
        if pooled and r["origin_kind"] == "playbook":
            continue  # the deal waits in the nurture pool: its stage work waits too
        items.append(item(r))
    tomorrow = [
        i for i in items if i.due_at and day_end <= i.due_at < after_tomorrow and not i.suggested
    ]

    has_cadence_task = {hex_id(r["customer_id"]) for r in task_rows if r["origin"] == "cadence"}
    cadence_by_customer = cadence_days(
        [r for oid, r in opps.items() if oid not in nurtured], playbook
    )
    only_nurtured = {hex_id(opps[oid]["customer_id"]) for oid in nurtured} - {
        hex_id(r["customer_id"])
        for oid, r in opps.items()
        if oid not in nurtured and r["status"] == "open"
    }
    for cid, r in customers.items():
        if cid in has_cadence_task:
            continue
        days = cadence_by_customer.get(cid, DEFAULT_CADENCE_DAYS)
        status = r["status"]
        if status == "active" and cid in only_nurtured:
            status = "nurture"  # its one deal waits in the nurture pool
        due = cadence_due(
            grade=r["grade"],
            status=status,
            paused_until=to_date(r["paused_until"]),
            last_touch=customer_facts[cid].last_touch,
            since=to_dt(r["created_at"]),  # type: ignore[arg-type]
            cadence_days=days,
            workday=workday,
            today=day,
        )
        if due is not None and due <= now + core.HORIZON:
            grade = r["grade"] or "C"
            title = (
                nurture_title(info.language, r["name"])
                if status == "nurture"
                else cadence_title(info.language, r["name"], grade, days.get(grade, days["C"]))
            )
            items.append(
                core.Item(
                    id=f"cadence:{cid}",
                    title=title,
                    due_at=due,
                    status="open",
                    origin_kind="rule",
                    origin="cadence",
                    customer=customer_facts[cid],
                    virtual=True,
                )
            )

    open_by_opp = {hex_id(r["opportunity_id"]) for r in task_rows if r["opportunity_id"]}
    open_opps = [
        (customer_facts[hex_id(r["customer_id"])], opp_facts[oid], oid in open_by_opp)
        for oid, r in opps.items()
        if r["status"] == "open"
    ]
    queue = core.build_queue(
        items=items,
        open_opportunities=open_opps,
        now=now,
        workday=workday,
        mode=mode,
        done_today=[item(r) for r in done_rows],
        tomorrow=tomorrow,
        logged_today=read.logged,
        suggest_limit=suggest,
        include_done=include_done,
        currency=currency,
    )
    return QueueView(info, queue, workday.tz, items, currency, read)
