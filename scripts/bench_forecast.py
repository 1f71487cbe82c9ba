"""The floor of the all-deals forecast's work, for scripts/bench: the same rows of the
same file read with sqlite3 and printed as JSON, one object per open deal, with no model.

`forecast --all --json` reads every open deal with its customer, its playbook tasks
per stage and status, and its contacts, plus the 2,000 most recently closed deals with
their tasks' times, stage moves and contacts for the calibration; then it scores each
open deal and prints it. This script does the reading, the grouping per deal and the
printing alone, so the ratio of the two is what the forecast's model costs on top.

    python scripts/bench_forecast.py DB > out.json
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys

CLOSED = (
    "(SELECT id FROM opportunity WHERE status IN ('won', 'lost') AND closed_at IS NOT NULL "
    "ORDER BY closed_at DESC LIMIT 2000)"
)
DEALS = """SELECT o.id, o.owner_id, o.customer_id, o.title, o.amount, o.status, o.created_at,
o.closed_at, o.lost_reason, o.playbook_key, o.stage_key, o.mode, o.expected_close, c.grade,
c.name, o.currency, o.custom FROM opportunity o JOIN customer c ON c.id = o.customer_id
WHERE {where}"""
OPEN = "o.status = 'open'"
READS = {
    "progress": f"""SELECT t.opportunity_id, t.stage_key, t.status,
group_concat(t.origin, char(31)) FROM task t WHERE t.origin_kind = 'playbook'
AND t.stage_key IS NOT NULL AND t.origin IS NOT NULL
AND t.opportunity_id IN (SELECT o.id FROM opportunity o WHERE {OPEN})
GROUP BY t.opportunity_id, t.stage_key, t.status""",
    "contacts": f"""SELECT o.id, a.started_at, a.channel FROM activity a
JOIN opportunity o ON o.id = a.opportunity_id WHERE {OPEN}""",
    "closed tasks": f"""SELECT t.opportunity_id, t.stage_key, t.origin, t.completed_at,
t.status, t.created_at FROM task t WHERE t.origin_kind = 'playbook'
AND t.opportunity_id IN {CLOSED}""",
    "closed contacts": f"""SELECT o.id, a.started_at, a.channel FROM activity a
JOIN opportunity o ON o.id = a.opportunity_id WHERE o.id IN {CLOSED}""",
    "closed moves": f"""SELECT m.opportunity_id, m.rep_id, m.from_stage, m.to_stage, m.via,
m.moved_at FROM stage_move m WHERE m.opportunity_id IN {CLOSED} ORDER BY m.moved_at""",
}
NAMES = [
    "id",
    "owner",
    "customer",
    "title",
    "amount",
    "status",
    "created",
    "closed",
    "lost",
    "playbook",
    "stage",
    "mode",
    "expected_close",
    "grade",
    "customer_name",
    "currency",
    "custom",
]


def main(db: str) -> None:
    gc.set_threshold(100_000, 50, 100)  # as salesbench's own commands run
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    deals = conn.execute(DEALS.format(where=OPEN)).fetchall()
    # the closed deals are read for the calibration, as the forecast does, not printed
    closed = conn.execute(DEALS.format(where=f"o.id IN {CLOSED}")).fetchall()
    assert len(closed) <= 2000
    per_deal: dict[str, dict[str, list[list[object]]]] = {}
    for name, sql in READS.items():
        for deal, *rest in conn.execute(sql):
            per_deal.setdefault(deal, {}).setdefault(name, []).append(rest)
    out = []
    for row in deals:  # closed ones' rows stay in per_deal, as the calibration's would
        record = dict(zip(NAMES, row, strict=True))
        record["custom"] = json.loads(record["custom"] or "{}")
        record.update(per_deal.get(row[0], {}))
        out.append(record)
    sys.stdout.write(json.dumps({"opportunities": out}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
