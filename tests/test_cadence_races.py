"""A grade-cadence follow-up (`cadence:<customer>` in the queue, a task only once it is
finished) is finished once: a second `task done`/`skip`/`snooze` of it, one after the
other or racing, exits 4 and writes nothing; one row per follow-up occurrence.

The racers are real `salesbench` processes (tests/test_task_races.py's worker: it says
"ready" and starts its command when the common start file appears)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.services.customers import add_customer
from salesbench.services.reps import add_rep
from tests.conftest import CLOCK, NOW, rows
from tests.test_task_races import _racers

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180  # seconds: the machine is slow and shared
LATER = NOW + timedelta(days=40)  # every grade's first follow-up is overdue by then


@pytest.fixture
def world(store):
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    return store


def _customer(store, n: int, grade: str = "B") -> str:
    return add_customer(store, {"name": f"Follow {n}", "grade": grade}, clock=CLOCK).id.hex


def _run(db, at, *args: str):
    result = CliRunner().invoke(
        app, [*args, "--db", str(db)], env={"SALESBENCH_NOW": at.isoformat()}
    )
    assert "Traceback" not in result.output, result.output
    return result


def _follow_ups(db, customer: str) -> list[tuple[str, str]]:
    found = rows(
        db,
        "SELECT status, due_at FROM task WHERE customer_id = ? AND origin = 'cadence' "
        "ORDER BY completed_at",
        uuid.UUID(customer).hex,
    )
    return [(status, str(due)) for status, due in found]


def _tasks_done(db, at) -> int:
    board = json.loads(_run(db, at, "leaderboard", "--by", "tasks", "--json").output)
    return sum(r["value"] for r in board["rows"])


def test_a_follow_up_done_twice_in_a_row_is_done_once(world, db) -> None:
    customer = _customer(world, 1)
    ref = f"cadence:{customer}"
    queue = json.loads(_run(db, LATER, "queue", "--json").output)
    shown = [t["id"] for s in queue["sections"] for g in s["groups"] for t in g["tasks"]]
    assert ref in shown

    assert _run(db, LATER, "task", "done", ref).exit_code == 0
    assert _tasks_done(db, LATER) == 1
    before = rows(db, "SELECT id, status, version, completed_at FROM task ORDER BY id")

    for verb in (["done"], ["skip"], ["snooze", "--until", "tomorrow"]):
        again = _run(db, LATER + timedelta(minutes=5), "task", *verb, ref)
        assert again.exit_code == 4, again.output
        assert "already done (by Wang Fang at 2027-01-02 17:30)" in again.output
    assert rows(db, "SELECT id, status, version, completed_at FROM task ORDER BY id") == before
    assert len(_follow_ups(db, customer)) == 1
    assert _tasks_done(db, LATER) == 1  # the leaderboard counted it once


def test_the_next_follow_up_of_the_cadence_is_a_new_one(world, db) -> None:
    customer = _customer(world, 2, grade="A")  # every 7 days
    ref = f"cadence:{customer}"
    assert _run(db, LATER, "task", "done", ref).exit_code == 0
    assert _run(db, LATER + timedelta(days=1), "task", "skip", ref).exit_code == 4
    # a week on (and past the weekend), the next step is due: that one is finished too, once
    assert _run(db, LATER + timedelta(days=10), "task", "skip", ref).exit_code == 0
    assert _run(db, LATER + timedelta(days=10), "task", "done", ref).exit_code == 4
    follow_ups = _follow_ups(db, customer)
    assert [status for status, _due in follow_ups] == ["done", "skipped"]
    assert follow_ups[0][1] != follow_ups[1][1]  # two steps, two due dates


def test_a_snoozed_follow_up_is_finished_later_as_the_same_task(world, db) -> None:
    customer = _customer(world, 3)
    ref = f"cadence:{customer}"
    assert _run(db, LATER, "task", "snooze", ref, "--until", "1h").exit_code == 0
    assert _run(db, LATER + timedelta(hours=2), "task", "done", ref).exit_code == 0
    assert [s for s, _due in _follow_ups(db, customer)] == ["done"]
    assert _run(db, LATER + timedelta(hours=3), "task", "done", ref).exit_code == 4


def race(db, tmp_path: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Run the commands at once (at LATER); (exit code, stdout, stderr) of each."""
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    procs = _racers(db, go, commands, now=LATER)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        results.append((proc.returncode, out, err))
    return results


@pytest.mark.parametrize(
    ("first", "second"),
    [("done", "done"), ("done", "skip"), ("skip", "done")],
)
def test_racing_finishes_of_one_follow_up_have_one_winner(
    world, db, tmp_path, first, second
) -> None:
    dones = 0
    for n in range(2):
        customer = _customer(world, 10 + n)
        ref = f"cadence:{customer}"
        results = race(db, tmp_path, [["task", first, ref], ["task", second, ref]])
        codes = [code for code, _out, _err in results]
        assert sorted(codes) == [0, 4], results
        (loser,) = [err for code, _out, err in results if code == 4]
        assert "already" in loser and "Traceback" not in loser
        won = [first, second][codes.index(0)]
        dones += won == "done"
        assert [s for s, _due in _follow_ups(db, customer)] == [
            "done" if won == "done" else "skipped"
        ]
    assert _tasks_done(db, LATER) == dones  # the leaderboard counts each winner once
