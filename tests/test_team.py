"""Team mode: many reps writing to one database at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salesbench.core.errors import Conflict
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity, edit_opportunity
from salesbench.services.reps import add_rep
from salesbench.store.models import Task
from tests.conftest import rows, subprocess_env

pytestmark = pytest.mark.both_backends
ROOT = Path(__file__).resolve().parents[1]
WORKERS, CALLS, TASKS = 8, 200, 50


@pytest.fixture
def deal(store, clock):
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"})
    add_customer(store, {"name": "Acme"}, clock=clock)
    return add_opportunity(store, "Acme", {"title": "Refit", "amount": "1000"}, clock=clock)


@pytest.mark.slow
def test_eight_reps_at_once_lose_nothing(store, db, clock) -> None:
    """8 processes, each a rep logging 200 calls and finishing 50 tasks at the same
    time: every write lands, and nobody sees "database is locked"."""
    work = []
    for n in range(WORKERS):
        rep = add_rep(store, {"name": f"Rep {n}", "email": f"rep{n}@example.com"})
        customer = add_customer(store, {"name": f"Customer {n}"}, clock=clock, owner=rep.email)
        ids = [uuid.uuid4() for _ in range(TASKS)]
        with store.write() as session:
            for i, task_id in enumerate(ids):
                session.add(
                    Task(
                        id=task_id,
                        customer_id=customer.id,
                        owner_id=rep.id,
                        title=f"task {i}",
                        due_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
                    )
                )
        work.append((str(customer.id), ",".join(str(i) for i in ids)))
    start = time.time() + 4  # time for every process to import and connect
    env = subprocess_env()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.team_worker", str(db), customer, tasks, str(start)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for customer, tasks in work
    ]
    results = [p.communicate(timeout=300) for p in procs]
    errors = [err for p, (_out, err) in zip(procs, results, strict=True) if p.returncode]
    assert errors == []
    assert all("locked" not in err for _out, err in results)
    assert rows(db, "SELECT count(*) FROM activity") == [(WORKERS * CALLS,)]
    assert rows(db, "SELECT count(*) FROM task WHERE status = 'done'") == [(WORKERS * TASKS,)]
    # each rep's own work, all of it
    per_rep = rows(
        db,
        "SELECT r.email, count(*) FROM activity a JOIN rep r ON r.id = a.owner_id "
        "GROUP BY r.email ORDER BY r.email",
    )
    assert per_rep == [(f"rep{n}@example.com", CALLS) for n in range(WORKERS)]


def test_edit_of_a_stale_version_is_refused(store, db, clock, deal) -> None:
    """Two people read version 1 of the deal and both save: the first wins, the
    second gets a conflict, and the first one's change is what stays."""
    assert deal.version == 1
    edit_opportunity(
        store, str(deal.id), {"title": "Refit, phase 1"}, clock=clock, expected_version=1
    )
    with pytest.raises(Conflict, match="changed by someone else since you read it"):
        edit_opportunity(store, str(deal.id), {"amount": "5"}, clock=clock, expected_version=1)
    assert rows(db, "SELECT title, amount, version FROM opportunity") == [
        ("Refit, phase 1", 100000, 2)
    ]


def test_two_writers_racing_on_one_version(store, db, clock, deal) -> None:
    """The same, with both writers in flight at once: exactly one lands."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(title: str) -> None:
        barrier.wait()
        try:
            edit_opportunity(store, str(deal.id), {"title": title}, clock=clock, expected_version=1)
            outcomes.append(f"saved {title}")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split()[0] for o in outcomes) == ["conflict", "saved"]
    winner = next(o for o in outcomes if o.startswith("saved")).split()[1]
    assert rows(db, "SELECT title, version FROM opportunity") == [(winner, 2)]


def test_every_deal_update_bumps_its_version(store, db, clock, deal) -> None:
    edit_opportunity(store, str(deal.id), {"amount": "2000"}, clock=clock)
    edit_opportunity(store, str(deal.id), {"expected_close": "2027-01-31"}, clock=clock)
    assert rows(db, "SELECT version FROM opportunity") == [(3,)]


def test_cli_if_version_refuses_a_stale_edit(cli, db) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Acme")
    cli("opp", "add", "Acme", "Refit")
    first = cli("opp", "edit", "Refit", "--title", "Refit A", "--if-version", "1")
    assert first.exit_code == 0, first.output
    second = cli("opp", "edit", "Refit A", "--title", "Refit B", "--if-version", "1")
    assert second.exit_code == 4
    assert "changed by someone else" in second.output
    assert rows(db, "SELECT title, version FROM opportunity") == [("Refit A", 2)]
