"""Writes that do not depend on what the person saw are retried when another process's
write gets between their read and their update (PostgreSQL's transactions see what
others committed meanwhile): logging a contact racing `task done` on the same customer
saves every log, finishes the task once and sets off its follow-up once. Only a real
conflict (the task already done by someone else) is refused, exit 4.

Each racer is a real `salesbench` process, started together (tests/test_task_races.py).
"""

from __future__ import annotations

import pytest

from salesbench.services.activities import log_activity
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from tests.conftest import CLOCK, rows
from tests.test_task_races import race

pytestmark = pytest.mark.both_backends

ROUNDS = 3
LOGS = 4  # racing each other as well as the task's done


@pytest.fixture
def world(store):
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    return store


def _deal_with_thanks_due(store, db, n: int) -> tuple[str, str]:
    """A customer with a deal whose visit asks for a thank-you (a rule task a message
    completes by itself, and whose done starts the wait for a reply, a follow-up)."""
    customer = add_customer(store, {"name": f"Busy {n}"}, clock=CLOCK)
    opp = add_opportunity(
        store, str(customer.id), {"title": f"Deal {n}", "playbook_key": "retail-5"}, clock=CLOCK
    )
    log_activity(
        store, {"channel": "visit", "summary": "came by"}, clock=CLOCK, opportunity_ref=str(opp.id)
    )
    ((task_id,),) = rows(
        db,
        "SELECT id FROM task WHERE opportunity_id = ? AND origin = 'visit_thanks'",
        opp.id.hex,
    )
    return str(opp.id), str(task_id)


def test_logs_racing_task_done_are_all_saved_and_the_task_is_done_once(world, db, tmp_path) -> None:
    for n in range(ROUNDS):
        opp_id, task_id = _deal_with_thanks_due(world, db, n)
        logs = [
            ["log", "message" if i % 2 else "call", "--opp", opp_id, "--summary", f"log {i}"]
            for i in range(LOGS)
        ]
        results = race(db, tmp_path, [["task", "done", task_id], *logs])
        (done_code, _out, done_err), *logged = results
        assert [code for code, _o, _e in logged] == [0] * LOGS, logged
        # done by hand, or already done by a message's log first: a real conflict, told
        assert done_code == 0 or (done_code == 4 and "already done" in done_err), results
        assert not any("Traceback" in err for _c, _o, err in results)
        summaries = rows(
            db,
            "SELECT summary FROM activity WHERE opportunity_id = ? AND channel <> 'visit'",
            opp_id.replace("-", ""),
        )
        assert sorted(s for (s,) in summaries) == [f"log {i}" for i in range(LOGS)]
        ((status, version),) = rows(db, "SELECT status, version FROM task WHERE id = ?", task_id)
        assert (status, version) == ("done", 2)
        follow_ups = rows(
            db,
            "SELECT count(*) FROM task WHERE opportunity_id = ? AND origin = 'no_reply_call'",
            opp_id.replace("-", ""),
        )
        assert follow_ups == [(1,)]
