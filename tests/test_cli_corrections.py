"""Corrections on the command line: a rep's own task with a time of day (`task add`),
and logged contacts edited and deleted (`activity edit`, `activity delete`), each
checked in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends

# conftest pins the clock to Monday 2026-11-23 09:30 UTC: 17:30 on Wang Fang's Shanghai clock


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Acme")
    assert cli("opp", "add", "Acme", "Sofa", "--playbook", "retail-5").exit_code == 0
    return cli


def test_task_add_on_a_deal_due_at_a_time_on_the_reps_clock(rep, db) -> None:
    out = js(
        rep(
            "task",
            "add",
            "Call back about the quote",
            "--opp",
            "Sofa",
            "--due",
            "2026-12-03 15:00",
            "--json",
        )
    )
    assert (out["origin_kind"], out["origin"]) == ("manual", "own")
    found = rows(db, "SELECT title, due_at, status, customer_id FROM task WHERE origin = 'own'")
    assert found == [("Call back about the quote", "2026-12-03 07:00:00.000000", "open", None)]
    said = rep(
        "task", "add", "回访：确认报价 客户张伟", "--customer", "Acme", "--due", "2026-11-23 18:15"
    )
    assert said.exit_code == 0, said.output
    assert "due 2026-11-23 18:15" in said.output  # said back on the rep's clock
    assert rows(db, "SELECT due_at FROM task WHERE title = '回访：确认报价 客户张伟'") == [
        ("2026-11-23 10:15:00.000000",)
    ]


def test_an_own_task_is_in_todays_queue_and_done_like_any_other(rep, db) -> None:
    rep("task", "add", "Ring Acme at six", "--opp", "Sofa", "--due", "2026-11-23 18:00")
    queue = js(rep("queue", "--json"))
    items = [t for s in queue["sections"] for g in s["groups"] for t in g["tasks"]]
    own = [i for i in items if i["title"] == "Ring Acme at six"]
    assert len(own) == 1
    assert rep("task", "done", own[0]["id"]).exit_code == 0
    assert rows(db, "SELECT status FROM task WHERE origin = 'own'") == [("done",)]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("Late", "--opp", "Sofa", "--due", "2026-11-23 08:00"),
            "--due: 2026-11-23 08:00 is already past",
        ),
        (("Feb", "--opp", "Sofa", "--due", "2026-02-30 10:00"), "--due: "),
        (("Feb", "--opp", "Sofa", "--due", "2026-02-30"), "is not a day of the calendar"),
        (("Hour", "--opp", "Sofa", "--due", "2026-12-03 25:00"), "is not a time of day"),
        (("Soon", "--opp", "Sofa", "--due", "whenever"), "--due: "),
        (("   ", "--opp", "Sofa", "--due", "tomorrow"), "TITLE: say what the task is"),
        (("Both", "--opp", "Sofa", "--customer", "Acme", "--due", "tomorrow"), "one of them"),
        (("None", "--due", "tomorrow"), "one of them"),
        (("Nobody", "--customer", "Nobody Ltd", "--due", "tomorrow"), "--customer: no customer"),
    ],
)
def test_task_add_refuses_bad_input_in_one_line_writing_nothing(rep, db, args, said) -> None:
    before = snapshot(db)
    result = rep("task", "add", *args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], result.output
    assert snapshot(db) == before


def test_task_add_on_a_deal_ref_matching_several_deals_says_so(rep, db) -> None:
    rep("customer", "add", "Beta")
    rep("opp", "add", "Beta", "Sofa", "--playbook", "retail-5")
    before = snapshot(db)
    result = rep("task", "add", "Which one?", "--opp", "Sofa", "--due", "tomorrow")
    assert result.exit_code == 2
    assert "error: --opp: 'Sofa' matches several" in result.output, result.output
    assert snapshot(db) == before


def _log(rep, *args: str) -> str:
    out = js(rep("log", *args, "--json"))
    return str(out["activity"]["id"])


def test_activity_edit_changes_the_fields_and_keeps_what_they_were(rep, db) -> None:
    activity = _log(rep, "call", "--opp", "Sofa", "--summary", "谈了价格", "--needs", "sofa")
    out = js(
        rep("activity", "edit", activity[:8], "--summary", "谈了交期", "--needs", "", "--json")
    )
    assert sorted(out["changed"]) == ["needs", "summary"]
    assert rows(db, "SELECT summary, needs, edited_at FROM activity") == [
        ("谈了交期", None, "2026-11-23 09:30:00.000000")
    ]
    kind, before = rows(db, "SELECT kind, before FROM activity_change")[0]
    assert kind == "edited"
    assert (json.loads(before) if isinstance(before, str) else before) == {
        "summary": "谈了价格",
        "needs": "sofa",
    }


def test_activity_edit_moves_the_open_next_step_task(rep, db) -> None:
    activity = _log(
        rep, "call", "--opp", "Sofa", "--next", "Send the quote", "--next-date", "2026-11-25"
    )
    result = rep(
        "activity", "edit", activity, "--next-date", "2026-11-27", "--next", "Send the new quote"
    )
    assert result.exit_code == 0, result.output
    assert "its next-step task is now “Send the new quote”, due 2026-11-27" in result.output
    assert rows(db, "SELECT title, due_at FROM task WHERE origin = 'next_step'") == [
        ("Send the new quote", "2026-11-27 10:00:00.000000")
    ]


def test_activity_edit_keeps_the_channel_a_contact_was_judged_on(rep, db) -> None:
    activity = _log(rep, "visit", "--customer", "Acme", "--summary", "tour")
    assert rows(db, "SELECT count(*) FROM task WHERE origin = 'visit_thanks'") == [(1,)]
    before = snapshot(db)
    result = rep("activity", "edit", activity, "--channel", "call")
    assert result.exit_code == 2
    assert "error: --channel: stays as logged: logging this contact made 1 task" in result.output
    assert snapshot(db) == before
    bad = rep("activity", "edit", activity, "--at", "2026-11-30T10:00:00+08:00")
    assert bad.exit_code == 2 and "--at: " in bad.output
    assert rep("activity", "edit", activity).exit_code == 2  # nothing to change
    assert snapshot(db) == before


def test_activity_delete_asks_keeps_the_record_and_leaves_the_tasks(rep, db) -> None:
    activity = _log(rep, "visit", "--customer", "Acme", "--summary", "tour")
    before = snapshot(db)
    refused = rep("activity", "delete", activity)  # no terminal, no --yes
    assert refused.exit_code == 2
    assert len(refused.output.strip().splitlines()) == 1 and "--yes" in refused.output
    assert snapshot(db) == before

    result = rep("activity", "delete", activity, "--yes")
    assert result.exit_code == 0, result.output
    assert "stay open: " in result.output  # the thank-you it made is still to do
    assert rows(db, "SELECT count(*) FROM activity") == [(0,)]
    kind, record = rows(db, "SELECT kind, before FROM activity_change")[0]
    record = json.loads(record) if isinstance(record, str) else record
    assert (kind, record["summary"], record["channel"]) == ("deleted", "tour", "visit")
    assert rows(db, "SELECT status FROM task WHERE origin = 'visit_thanks'") == [("open",)]
    assert rep("activity", "delete", activity, "--yes").exit_code == 3  # gone already


def test_snooze_takes_the_same_day_and_time_on_the_reps_clock(rep, db) -> None:
    """One parser for both: what `task add --due` takes, `task snooze --until` takes."""
    out = js(rep("task", "add", "Ring back", "--opp", "Sofa", "--due", "tomorrow", "--json"))
    assert rep("task", "snooze", out["id"], "--until", "2026-11-26 16:30").exit_code == 0
    assert rows(db, "SELECT status, snoozed_until FROM task WHERE origin = 'own'") == [
        ("snoozed", "2026-11-26 08:30:00.000000")
    ]
    bad = rep("task", "snooze", out["id"], "--until", "2026-02-30 16:30")
    assert bad.exit_code == 2 and "is not a day of the calendar" in bad.output
