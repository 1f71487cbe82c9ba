"""The workbench reads the rep's queue before its first frame: each of its reads is
answered from an index (migration 0011), never by walking every finished task, every
task of a customer or every contact logged on a deal. Asserted on the query plan of
a database at head, with the queue's own SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesbench.services.queue import CUSTOMER_SQL, OPP_SQL, TASK_SQL

DONE_TODAY = TASK_SQL.format(
    where="t.status IN ('done', 'skipped') AND t.completed_at >= :start AND t.completed_at < :end"
)
READS = {
    "today's finished tasks": (DONE_TODAY, "ix_task_finished"),
    "each customer's last cadence contact": (
        CUSTOMER_SQL.format(where="c.owner_id = :rep"),
        "COVERING INDEX ix_task_customer_origin",
    ),
    "each deal's last contact": (
        OPP_SQL.format(where="o.owner_id = :rep AND o.status = 'open'"),
        "COVERING INDEX ix_activity_opportunity_started",
    ),
}


@pytest.mark.parametrize("read", list(READS))
def test_the_first_queue_reads_come_from_an_index(read: str, db_path: Path) -> None:
    sql, index = READS[read]
    conn = sqlite3.connect(db_path)
    try:
        plan = [
            row[3]
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN {sql}", {"rep": "a" * 32, "start": "", "end": ""}
            )
        ]
    finally:
        conn.close()
    assert any(index in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
