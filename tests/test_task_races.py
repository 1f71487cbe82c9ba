"""Two people finishing the same task at the same moment: exactly one of them wins,
the other is told (exit 4), and what finishing sets off happens once.

Each racer is a real `salesbench` process (this module run with -m): it imports and
opens everything, says "ready", and starts its command when the common start file
appears, so both commands reach the database together.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from salesbench.services.activities import log_activity
from salesbench.services.customers import add_customer
from salesbench.services.reps import add_rep
from tests.conftest import CLOCK, NOW, rows, subprocess_env

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
TIMEOUT = 180  # seconds: the machine is slow and shared


def _racers(
    db: object, go: Path, commands: list[list[str]], now: datetime = NOW
) -> list[subprocess.Popen[str]]:
    """Start the commands, each waiting (after "ready") for `go` to appear; at `now`."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.test_task_races", str(db), str(go), *command],
            cwd=ROOT,
            env=subprocess_env(SALESBENCH_NOW=now.isoformat()),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", (line, proc.stderr.read() if proc.stderr else "")
    return procs


def race(db: object, tmp_path: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Run the commands at once; (exit code, stdout, stderr) of each."""
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    procs = _racers(db, go, commands)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        results.append((proc.returncode, out, err))
    return results


def _visit_thanks_task(store, db, n: int) -> str:
    """A fresh customer with a visit logged: its thank-you task (whose done starts the
    three-day wait for a reply, a follow-up task)."""
    customer = add_customer(store, {"name": f"Racer {n}"}, clock=CLOCK)
    log_activity(
        store,
        {"channel": "visit", "summary": "came by"},
        clock=CLOCK,
        customer_ref=str(customer.id),
    )
    ((task_id,),) = rows(
        db,
        "SELECT id FROM task WHERE customer_id = ? AND origin = 'visit_thanks'",
        customer.id.hex,
    )
    return str(task_id)


def _state(db, task_id: str) -> tuple[str, int, int]:
    """The task's status and version, and how many follow-ups its customer has."""
    ((status, version, customer_id),) = rows(
        db, "SELECT status, version, customer_id FROM task WHERE id = ?", task_id
    )
    ((follow_ups,),) = rows(
        db,
        "SELECT count(*) FROM task WHERE customer_id = ? AND origin = 'no_reply_call'",
        customer_id,
    )
    return status, version, follow_ups


@pytest.fixture
def world(store):
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    return store


def test_two_racing_task_done_make_one_winner_and_one_follow_up(world, db, tmp_path) -> None:
    for n in range(ROUNDS):
        task_id = _visit_thanks_task(world, db, n)
        results = race(db, tmp_path, [["task", "done", task_id]] * 2)
        codes = sorted(code for code, _out, _err in results)
        assert codes == [0, 4], results
        (loser,) = [err for code, _out, err in results if code == 4]
        assert "already done" in loser and "Traceback" not in loser
        assert _state(db, task_id) == ("done", 2, 1)


def test_done_racing_skip_has_exactly_one_winner(world, db, tmp_path) -> None:
    for n in range(ROUNDS):
        task_id = _visit_thanks_task(world, db, 100 + n)
        results = race(db, tmp_path, [["task", "done", task_id], ["task", "skip", task_id]])
        codes = [code for code, _out, _err in results]
        assert sorted(codes) == [0, 4], results
        won = "done" if codes[0] == 0 else "skipped"
        status, version, follow_ups = _state(db, task_id)
        assert (status, version) == (won, 2)
        assert follow_ups == 1  # what the winner set off, once


def test_snooze_racing_done_has_exactly_one_winner(world, db, tmp_path) -> None:
    for n in range(2):
        task_id = _visit_thanks_task(world, db, 200 + n)
        results = race(
            db,
            tmp_path,
            [["task", "snooze", task_id, "--until", "tomorrow"], ["task", "done", task_id]],
        )
        codes = [code for code, _out, _err in results]
        status, version, follow_ups = _state(db, task_id)
        if codes == [0, 0]:
            # snoozed first: a snoozed task is still open, and done then finishes it
            assert (status, version, follow_ups) == ("done", 3, 1)
        else:
            assert codes == [4, 0], results  # done first: a finished task does not snooze
            assert (status, version, follow_ups) == ("done", 2, 1)


def _worker(db: str, go: str, args: list[str]) -> None:
    from salesbench.cli import run
    from salesbench.store.open import open_store

    open_store(db).close()  # everything imported and the database at head: ready to race
    print("ready", flush=True)
    start = Path(go)
    while not start.exists():  # the common start: spin, so both go within a millisecond
        time.sleep(0.0005)
    sys.argv = ["salesbench", *args, "--db", db]
    run()


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2], sys.argv[3:])
