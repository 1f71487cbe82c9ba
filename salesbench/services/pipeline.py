"""Reading a rep's pipeline: every open deal they own, in one query with its customer,
last contact and next task; the shaping is the core's (core/pipeline.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from salesbench.core import pipeline as core
from salesbench.core.enums import OPEN_STATES_SQL
from salesbench.core.errors import NotFound
from salesbench.core.playbook import Playbook
from salesbench.core.queue import CustomerFacts
from salesbench.services.queue import RepInfo, resolve_rep
from salesbench.services.queue_facts import deal_facts
from salesbench.store.raw import dashed, hex_id, skip_index, store_rows, to_date, to_dt

if TYPE_CHECKING:
    from salesbench.store.engine import Store

# The next task is the rep's open task on the deal due first (a snoozed one when it
# wakes): the same tasks the queue counts when it says a deal has no next step.
_DUE = "CASE WHEN {t}.status = 'snoozed' THEN {t}.snoozed_until ELSE {t}.due_at END"
PIPELINE_SQL = f"""
SELECT o.id, o.customer_id, o.title, o.playbook_key, o.stage_key, o.amount, o.currency,
       o.status, o.stage_entered_at, o.expected_close,
       (SELECT max(a.started_at) FROM activity a WHERE a.opportunity_id = o.id) AS last_contact,
       c.name AS customer_name, c.grade AS customer_grade,
       nt.id AS next_id, nt.title AS next_title, {_DUE.format(t="nt")} AS next_due
FROM opportunity o
JOIN customer c ON c.id = o.customer_id
LEFT JOIN task nt ON nt.id = (
    SELECT t.id FROM task t
    WHERE t.opportunity_id = o.id AND {{skip}}t.owner_id = :rep
      AND {{skip}}t.status IN {OPEN_STATES_SQL}
    ORDER BY {_DUE.format(t="t")} IS NULL, {_DUE.format(t="t")}, t.id
    LIMIT 1
)
WHERE o.owner_id = :rep AND o.status = 'open'
"""


@dataclass
class PipelineView:
    rep: RepInfo
    now: datetime
    deals: list[core.Deal]

    def groups(self, sort: str = "amount", needle: str = "") -> list[core.StageGroup]:
        return core.by_stage(self.deals, sort, needle)


def load_pipeline(store: Store, *, now: datetime, rep: str | None = None) -> PipelineView:
    from salesbench.services.playbooks import catalog_from_rows

    with store_rows(store) as rows:
        info = resolve_rep(rows, rep)
        # by the deal's own tasks (its index), not by all the rep's open tasks per deal
        sql = PIPELINE_SQL.format(skip=skip_index(rows))
        found = rows.all(sql, rep=rows.uid(info.id))
        catalog = catalog_from_rows(rows)

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

    deals = []
    for r in found:
        customer = CustomerFacts(
            dashed(hex_id(r["customer_id"])), r["customer_name"], r["customer_grade"]
        )
        following = (
            core.NextTask(dashed(hex_id(r["next_id"])), r["next_title"], to_dt(r["next_due"]))
            if r["next_id"] is not None
            else None
        )
        opp = deal_facts(r, playbook(r["playbook_key"]))
        deals.append(core.deal_of(customer, opp, to_date(r["expected_close"]), following, now))
    return PipelineView(info, now, deals)
