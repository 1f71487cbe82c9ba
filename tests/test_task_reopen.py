"""Issue 17, undo (Seen 3): `task reopen ID` opens a done or skipped task again, wakes
a snoozed one, and withdraws the follow-ups its finish made while nobody worked them."""

from __future__ import annotations

import json

import pytest

from salesbench.services.activities import log_activity
from tests.conftest import rows, snapshot
from tests.sop_world import World, sh

pytestmark = pytest.mark.both_backends


def _thanks(store, db) -> str:
    """A visit logged: the rule asks for a thank-you; its id."""
    world = World(store, db, sh(2026, 11, 23, 10))
    world.customer("Acme")
    log_activity(store, {"channel": "visit"}, clock=world.clock, customer_ref="Acme")
    ((task_id,),) = rows(db, "SELECT id FROM task WHERE origin = 'visit_thanks'")
    return str(task_id)


def _status(db, origin: str) -> list[tuple]:
    return rows(
        db,
        "SELECT status, completed_at, completed_how FROM task WHERE origin = ?",
        origin,
    )


def test_reopen_a_done_task_withdraws_its_untouched_follow_up(cli, store, db) -> None:
    task_id = _thanks(store, db)
    done = cli("task", "done", task_id, "--json")
    assert done.exit_code == 0, done.output
    assert [t["origin"] for t in json.loads(done.output)["created"]] == ["no_reply_call"]
    result = cli("task", "reopen", task_id)
    assert result.exit_code == 0, result.output
    assert "reopened (done before)" in result.output
    assert "withdrawn, not started yet" in result.output
    assert _status(db, "visit_thanks") == [("open", None, None)]
    assert _status(db, "no_reply_call") == []  # withdrawn: done again, it is made again
    again = cli("task", "done", task_id, "--json")
    assert [t["origin"] for t in json.loads(again.output)["created"]] == ["no_reply_call"]


def test_reopen_keeps_a_follow_up_already_worked(cli, store, db) -> None:
    task_id = _thanks(store, db)
    done = json.loads(cli("task", "done", task_id, "--json").output)
    follow_up = done["created"][0]["id"]
    assert cli("task", "snooze", follow_up, "--until", "tomorrow").exit_code == 0
    result = cli("task", "reopen", task_id, "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["was"] == "done" and body["withdrawn"] == []
    assert [t["id"] for t in body["kept"]] == [follow_up]
    assert _status(db, "visit_thanks") == [("open", None, None)]
    assert [r[0] for r in _status(db, "no_reply_call")] == ["snoozed"]


def test_reopen_a_skipped_and_a_snoozed_task(cli, store, db) -> None:
    task_id = _thanks(store, db)
    assert cli("task", "skip", task_id).exit_code == 0
    result = cli("task", "reopen", task_id)
    assert result.exit_code == 0, result.output
    assert "skipped before" in result.output
    assert _status(db, "visit_thanks") == [("open", None, None)]
    assert _status(db, "no_reply_call") == []  # a skipped thank-you was never sent
    assert cli("task", "snooze", task_id).exit_code == 0
    assert cli("task", "reopen", task_id).exit_code == 0
    woken = "SELECT status, snoozed_until FROM task WHERE origin = 'visit_thanks'"
    assert rows(db, woken) == [("open", None)]


def test_reopen_an_open_task_or_a_bad_id_is_one_line_and_writes_nothing(cli, store, db) -> None:
    task_id = _thanks(store, db)
    before = snapshot(db)
    result = cli("task", "reopen", task_id)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "already open" in result.output
    unknown = cli("task", "reopen", "00000000-0000-0000-0000-000000000000")
    assert unknown.exit_code == 3  # not found, as for every command given an unknown id
    assert len(unknown.output.strip().splitlines()) == 1
    assert cli("task", "reopen", "cadence:Acme").exit_code == 2
    assert snapshot(db) == before
