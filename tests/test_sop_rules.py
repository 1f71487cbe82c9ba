"""Rules that fire once and where they belong (issue 16, items 7 and 8), through the
command line, checked against the database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from salesbench.core.playbook_load import load_playbook
from salesbench.core.playbook_reader import PlaybookInvalid
from tests.conftest import NOW, rows

pytestmark = pytest.mark.both_backends

# conftest's cli fixture pins SALESBENCH_NOW to Monday 2026-11-23 09:30 UTC (17:30 in Shanghai)


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def ok(result) -> None:
    assert result.exit_code == 0, result.output


def tasks(db, where: str, *args: object) -> list[tuple]:
    return rows(db, f"SELECT origin, status FROM task WHERE {where} ORDER BY origin", *args)


def custom(db, title: str) -> dict:
    (value,) = rows(db, "SELECT custom FROM opportunity WHERE title = ?", title)[0]
    return json.loads(value) if isinstance(value, str) else value


def queue_items(rep, monkeypatch, when) -> list[dict]:
    monkeypatch.setenv("SALESBENCH_NOW", when.isoformat())
    out = js(rep("queue", "--json"))
    return [t for s in out["sections"] for g in s["groups"] for t in g["tasks"]]


# ------------------------------------------------------------------ first visit only


def test_thank_you_after_the_first_visit_only(rep, db) -> None:
    ok(rep("customer", "add", "Acme"))
    ok(rep("opp", "add", "Acme", "ERP", "--playbook", "solution-selling"))
    for hour in (1, 3, 5, 7):  # four visits on the same deal, one after the other
        at = (NOW - timedelta(hours=8) + timedelta(hours=hour)).isoformat()
        ok(rep("log", "visit", "--opp", "ERP", "--at", at, "--summary", f"visit at {hour}"))
    assert rows(db, "SELECT count(*) FROM activity WHERE channel = 'visit'") == [(4,)]
    assert tasks(db, "origin = 'visit_thanks'") == [("visit_thanks", "open")]


def test_without_a_playbook_every_visit_is_thanked(rep, db) -> None:
    ok(rep("customer", "add", "Loose"))  # no deal, so no playbook says "once"
    for hour in (1, 2):
        at = (NOW - timedelta(hours=hour)).isoformat()
        ok(rep("log", "visit", "--customer", "Loose", "--at", at))
    assert tasks(db, "origin = 'visit_thanks'") == [("visit_thanks", "open")] * 2


# ------------------------------------------------------------------ one first email


def test_trade_show_lead_gets_one_first_email(rep, db) -> None:
    ok(rep("customer", "add", "Zeta", "--source", "Trade show Shanghai 2026"))
    ok(rep("opp", "add", "Zeta", "Lead", "--playbook", "b2b-lifecycle"))
    opened = tasks(db, "origin IN ('trade_show_email', 'first_email') AND status = 'open'")
    assert opened == [("first_email", "open")]  # the playbook's task does the rule's job
    # the trade show was carried into the lead channel: that task starts done
    assert custom(db, "Lead")["lead_channel"] == "trade show"
    assert tasks(db, "origin = 'record_channel'") == [("record_channel", "done")]
    ok(rep("opp", "set", "Lead", "first_email_on=2026-11-23"))
    assert tasks(db, "origin IN ('trade_show_email', 'first_email') AND status = 'open'") == []
    assert tasks(db, "origin = 'first_email'") == [("first_email", "done")]


def test_first_email_on_closes_the_rule_task_when_it_is_the_only_one(rep, db) -> None:
    ok(rep("customer", "add", "Omega", "--source", "expo"))
    # a deal put straight at screening has no first-email task: the rule's task stays
    ok(
        rep(
            "opp",
            "add",
            "Omega",
            "Late",
            "--playbook",
            "b2b-lifecycle",
            "--stage",
            "lead_screening",
        )
    )
    assert tasks(db, "origin = 'trade_show_email'") == [("trade_show_email", "open")]
    ok(rep("opp", "set", "Late", "first_email_on=2026-11-23"))
    assert rows(db, "SELECT status, completed_how FROM task WHERE origin = 'trade_show_email'") == [
        ("done", "auto")
    ]


def test_thank_referrer_only_for_referral_leads(rep, db) -> None:
    ok(rep("customer", "add", "Referred Co", "--source", "referral"))
    ok(rep("customer", "add", "Web Co", "--source", "online"))
    ok(rep("opp", "add", "Referred Co", "Via Li", "--playbook", "b2b-lifecycle"))
    ok(rep("opp", "add", "Web Co", "Via web", "--playbook", "b2b-lifecycle"))
    referral = rows(
        db,
        "SELECT o.title, t.status FROM task t JOIN opportunity o ON o.id = t.opportunity_id "
        "WHERE t.origin = 'thank_referrer'",
    )
    assert referral == [("Via Li", "open")]
    # "thank them the same day": due by the end of today's working day (18:00 in Shanghai)
    (due,) = rows(db, "SELECT due_at FROM task WHERE origin = 'thank_referrer'")[0]
    assert str(due)[:16].replace("T", " ") == "2026-11-23 10:00"
    ok(rep("opp", "set", "Via Li", "referrer=Li Lei, 5% off renewal"))
    assert tasks(db, "origin = 'thank_referrer'") == [("thank_referrer", "done")]


def test_a_lead_channel_set_to_referral_later_asks_for_the_thanks(rep, db) -> None:
    ok(rep("customer", "add", "Quiet Co"))  # no source known when the deal starts
    ok(rep("opp", "add", "Quiet Co", "Lead", "--playbook", "b2b-lifecycle"))
    assert tasks(db, "origin = 'thank_referrer'") == []
    ok(rep("opp", "set", "Lead", "lead_channel=online"))
    assert tasks(db, "origin = 'thank_referrer'") == []
    ok(rep("opp", "set", "Lead", "lead_channel=referral"))
    assert tasks(db, "origin = 'thank_referrer'") == [("thank_referrer", "open")]
    # a slip corrected back and forth thanks the referrer once (`once = true`)
    ok(rep("opp", "set", "Lead", "lead_channel=online"))
    ok(rep("opp", "set", "Lead", "lead_channel=referral"))
    assert tasks(db, "origin = 'thank_referrer'") == [("thank_referrer", "open")]


# ------------------------------------------------------------------ the nurture pool


def test_screening_result_moves_the_deal_not_the_customer(rep, db, monkeypatch) -> None:
    ok(rep("customer", "add", "Slow Co", "--grade", "A"))
    ok(
        rep(
            "opp",
            "add",
            "Slow Co",
            "Lead",
            "--playbook",
            "b2b-lifecycle",
            "--stage",
            "lead_screening",
        )
    )
    ok(
        rep(
            "opp", "add", "Slow Co", "Service", "--playbook", "b2b-lifecycle", "--stage", "solution"
        )
    )
    out = js(rep("opp", "set", "Lead", "screening_result=nurture", "--json"))
    assert "deal moved to nurture" in out["notes"]
    assert rows(db, "SELECT status FROM customer") == [("active",)]
    assert rows(db, "SELECT status FROM opportunity ORDER BY title") == [("open",), ("open",)]
    ok(rep("log", "call", "--customer", "Slow Co"))
    # grade A: a follow-up every 7 days goes on for the customer's other deal
    items = queue_items(rep, monkeypatch, NOW + timedelta(days=8))
    assert [t["title"] for t in items if t["origin"] == "cadence"] == [
        "Follow up with Slow Co (grade A, every 7 days)"
    ]


def test_the_nurture_pool_gets_a_quarterly_touch(rep, db, monkeypatch) -> None:
    ok(rep("customer", "add", "Next Year Co", "--grade", "C"))
    ok(
        rep(
            "opp",
            "add",
            "Next Year Co",
            "Lead",
            "--playbook",
            "b2b-lifecycle",
            "--stage",
            "lead_screening",
        )
    )
    ok(rep("opp", "set", "Lead", "screening_result=nurture"))
    ok(rep("log", "call", "--customer", "Next Year Co"))
    # its one deal waits in the pool: no monthly chasing ...
    assert not [
        t
        for t in queue_items(rep, monkeypatch, NOW + timedelta(days=45))
        if t["origin"] == "cadence"
    ]
    # ... but a light touch every three months
    touch = [
        t
        for t in queue_items(rep, monkeypatch, NOW + timedelta(days=92))
        if t["origin"] == "cadence"
    ]
    assert [t["title"] for t in touch] == [
        "Nurture touch with Next Year Co: a useful note, every three months"
    ]
    ok(rep("task", "done", touch[0]["id"]))
    assert rows(db, "SELECT origin, status FROM task WHERE origin = 'cadence'") == [
        ("cadence", "done")
    ]
    # the touch done, the next one is three months on
    assert not [
        t
        for t in queue_items(rep, monkeypatch, NOW + timedelta(days=150))
        if t["origin"] == "cadence"
    ]
    assert [
        t
        for t in queue_items(rep, monkeypatch, NOW + timedelta(days=185))
        if t["origin"] == "cadence"
    ]


def test_a_customer_in_the_pool_gets_the_quarterly_touch_too(rep, db, monkeypatch) -> None:
    ok(rep("customer", "add", "Pooled", "--status", "nurture"))
    assert not queue_items(rep, monkeypatch, NOW + timedelta(days=60))
    items = queue_items(rep, monkeypatch, NOW + timedelta(days=92))
    assert [t["origin"] for t in items] == ["cadence"]


# ------------------------------------------------------------------ not asked again


def test_walk_in_source_fills_how_they_found_us(rep, db) -> None:
    ok(rep("customer", "add", "Mrs Liu", "--kind", "person", "--source", "walk-in"))
    ok(rep("opp", "add", "Mrs Liu", "Sofa", "--playbook", "retail-5"))
    assert custom(db, "Sofa")["visit_source"] == "walk-in"
    # the rest of the visit record needs only what the rep has not said yet
    ok(rep("opp", "set", "Sofa", "companions=husband", "decision_maker=both"))
    assert tasks(db, "origin = 'visit_data'") == [("visit_data", "done")]


def test_a_source_the_rep_set_on_the_deal_is_kept(rep, db) -> None:
    ok(rep("customer", "add", "Mr Zhao", "--kind", "person", "--source", "walk-in"))
    ok(rep("opp", "add", "Mr Zhao", "Bed", "--playbook", "retail-5", "-f", "visit_source=online"))
    assert custom(db, "Bed")["visit_source"] == "online"


def test_a_source_that_fits_no_choice_is_not_guessed(rep, db) -> None:
    ok(rep("customer", "add", "Ms Sun", "--kind", "person", "--source", "my cousin"))
    ok(rep("opp", "add", "Ms Sun", "Table", "--playbook", "retail-5"))
    assert "visit_source" not in custom(db, "Table")


def test_logging_a_visit_records_the_visit_only_when_its_facts_are_in(rep, db) -> None:
    ok(rep("customer", "add", "Mrs Wu", "--kind", "person"))
    ok(rep("opp", "add", "Mrs Wu", "Wardrobe", "--playbook", "retail-5"))
    assert tasks(db, "origin = 'visit_data'") == [("visit_data", "open")]
    ok(rep("log", "visit", "--opp", "Wardrobe", "--summary", "looked at wardrobes with her son"))
    # source, companions and who decides are still unknown (tests/test_forms_add_up.py)
    assert rows(db, "SELECT status, completed_how FROM task WHERE origin = 'visit_data'") == [
        ("open", None)
    ]


def test_a_call_does_not_record_the_visit(rep, db) -> None:
    ok(rep("customer", "add", "Mr He", "--kind", "person"))
    ok(rep("opp", "add", "Mr He", "Desk", "--playbook", "retail-5"))
    ok(rep("log", "call", "--opp", "Desk"))
    assert tasks(db, "origin = 'visit_data'") == [("visit_data", "open")]


# ------------------------------------------------------------------ the format


BASE = """
[playbook]
key = "p"
name = "P"
language = "en"
version = "1"

[[fields]]
key = "channel"
label = "Channel"
type = "choice"
choices = ["web", "referral"]

[[stages]]
key = "s"
name = "S"
probability = 0.1

[[stages.tasks]]
key = "t"
title = "T"
complete_when = ["channel"]
"""


@pytest.mark.parametrize(
    ("rules", "line", "message"),
    [
        ('[[rules.builtin]]\nkey = "visit_thank"\n', 2, "no built-in rule 'visit_thank'"),
        (
            '[[rules.builtin]]\nkey = "visit_thanks"\nanswered_by = "nope"\n',
            3,
            "answered_by names no task: 'nope'",
        ),
        ('[rules]\nsource_field = "nope"\n', 2, "source_field names no field of the deal"),
        (
            '[[rules.timed]]\nkey = "x"\nwhen = "channel"\ndue = "P1D"\ntitle = "X"\n'
            'answered_by = "nope"\n',
            6,
            "answered_by names no task: 'nope'",
        ),
        ('[rules.contact_completes]\nvisit = ["nope"]\n', 2, "visit: names no task 'nope'"),
        (
            '[[rules.status]]\nkey = "x"\nwhen = "channel"\nequals = "web"\n'
            'customer_status = "closed"\nscope = "deal"\n',
            6,
            "only the nurture pool can take a single deal",
        ),
        (
            '[[rules.timed]]\nkey = "x"\nwhen = "channel"\nequals = "mail"\ndue = "P1D"\n'
            'title = "X"\n',
            4,
            "'mail' is not a choice of channel",
        ),
    ],
)
def test_bad_rule_settings_name_the_line(rules: str, line: int, message: str) -> None:
    """Each problem names the file, and the line of the key at fault."""
    if not rules.startswith("[rules]"):
        rules = "[rules]\n" + rules
        line += 1
    text = BASE + "\n" + rules
    offset = BASE.count("\n") + 1
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(text, "p.toml")
    shown = str(caught.value)
    assert message in shown
    assert f"p.toml:{offset + line}:" in shown


def test_a_timed_rule_fires_once_and_not_beside_the_task_that_answers_it() -> None:
    from salesbench.core.engine import NewTask
    from salesbench.core.rules import answered_rules, timed_wanted

    rule = (
        '[rules]\n[[rules.timed]]\nkey = "x"\nwhen = "channel"\ndue = "P1D"\ntitle = "X"\n'
        'once = true\nanswered_by = "t"\n'
    )
    playbook = load_playbook(BASE + "\n" + rule, "p.toml")
    plan = NewTask(title="X", origin_kind="rule", origin="x", due_at=NOW)
    assert timed_wanted(playbook, [plan], had=(), open_tasks=()) == [plan]
    assert timed_wanted(playbook, [plan], had={"x"}, open_tasks=()) == []  # once
    assert timed_wanted(playbook, [plan], had=(), open_tasks={"t"}) == []  # answered
    assert answered_rules(playbook, "t") == {"x"}


# ------------------------------------------------------------------ the workbench


async def test_the_workbench_visit_log_records_the_visit_and_thanks_once(store, db) -> None:
    from textual.widgets import Input, Select

    from salesbench.core.clock import FixedClock
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.sop_world import sh
    from tests.tui_support import settle

    clock = FixedClock(sh(2026, 11, 23, 10))
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(
        store, {"name": "李娜", "kind": "person", "source_channel": "walk-in"}, clock=clock
    )
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    assert custom(db, "Sofa")["visit_source"] == "walk-in"
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        for summary in ("first look at sofas", "came back with her husband"):
            await settle(pilot)
            await pilot.press("l")
            await pilot.pause()
            modal = app.screen
            modal.query_one("#log-channel", Select).value = "visit"
            modal.query_one("#log-summary", Input).value = summary
            await pilot.press("ctrl+s")
            await settle(pilot)
            clock.at += timedelta(hours=2)
        titles = [i.title for i in app.screen.view.items]
    assert rows(db, "SELECT count(*) FROM activity WHERE channel = 'visit'") == [(2,)]
    assert tasks(db, "origin = 'visit_thanks'") == [("visit_thanks", "open")]
    # logging the visit does not say who came along or who decides: the record stays open
    assert rows(db, "SELECT status, completed_how FROM task WHERE origin = 'visit_data'") == [
        ("open", None)
    ]
    assert "Record the visit: source, companions, decision maker" in titles
