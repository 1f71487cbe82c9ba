"""Every built-in timed rule, with the clock moved across its boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from salesbench.services.activities import log_activity
from salesbench.services.complaints import add_complaint, resolve_complaint, respond_complaint
from salesbench.services.customers import edit_customer, pause_customer
from salesbench.services.sop import set_fields
from tests.sop_world import World, sh

MONDAY_10 = sh(2026, 11, 23, 10)
MINUTE = timedelta(minutes=1)

pytestmark = pytest.mark.both_backends


@pytest.fixture
def world(store, db) -> World:
    return World(store, db, MONDAY_10)


def log(world: World, channel: str, **kw: str) -> None:
    log_activity(world.store, {"channel": channel}, clock=world.clock, **kw)


def test_visit_asks_for_a_thank_you_within_24_hours(world: World) -> None:
    world.customer("Acme")
    log(world, "visit", customer_ref="Acme")
    assert world.due_of("visit_thanks") == sh(2026, 11, 24, 10)
    assert world.at(sh(2026, 11, 24, 10) - MINUTE).where("visit_thanks") == "rules"
    assert world.at(sh(2026, 11, 24, 10) + MINUTE).where("visit_thanks") == "overdue"


def test_thank_you_sent_then_no_reply_for_three_days_asks_for_a_call(world: World) -> None:
    world.customer("Acme")
    log(world, "visit", customer_ref="Acme")
    world.at(sh(2026, 11, 23, 15))
    log(world, "message", customer_ref="Acme")  # the thank-you
    assert world.where("visit_thanks") is None
    assert world.due_of("no_reply_call") == sh(2026, 11, 26, 18)
    assert world.at(sh(2026, 11, 26, 18) - MINUTE).where("no_reply_call") == "rules"
    assert world.at(sh(2026, 11, 26, 18) + MINUTE).where("no_reply_call") == "overdue"
    log(world, "call", customer_ref="Acme")  # they answered
    assert world.where("no_reply_call") is None


def test_no_reply_three_days_after_a_proposal(world: World) -> None:
    world.customer("Beta Ltd")
    world.opp("Beta Ltd", "Platform", "b2b-lifecycle", stage="solution")
    set_fields(world.store, "Platform", ["presented_on=2026-11-23"], clock=world.clock)
    assert world.due_of("answer_questions") == sh(2026, 11, 24, 18)  # within 24 hours
    world.at(sh(2026, 11, 24, 11))
    set_fields(world.store, "Platform", ["questions_answered=yes"], clock=world.clock)
    assert world.due_of("no_reply_call") == sh(2026, 11, 27, 18)
    assert world.at(sh(2026, 11, 27, 18) - MINUTE).where("no_reply_call") == "today"
    assert world.at(sh(2026, 11, 27, 18) + MINUTE).where("no_reply_call") == "overdue"


def test_signed_contract_asks_for_payment_within_24_hours(world: World) -> None:
    world.customer("Gamma")
    world.opp("Gamma", "Deal", "b2b-lifecycle", stage="contract")
    set_fields(world.store, "Deal", ["contract_signed_on=2026-11-23"], clock=world.clock)
    assert world.due_of("first_payment_reminder") == sh(2026, 11, 24, 10)
    assert world.at(sh(2026, 11, 24, 10) - MINUTE).where("first_payment_reminder") == "rules"
    assert world.at(sh(2026, 11, 24, 10) + MINUTE).where("first_payment_reminder") == "overdue"
    set_fields(world.store, "Deal", ["first_payment_on=2026-11-24"], clock=world.clock)
    assert world.where("first_payment_reminder") is None  # paid: the reminder closed itself


def test_acceptance_asks_for_the_final_payment_within_three_days(world: World) -> None:
    world.customer("Delta")
    world.opp("Delta", "Install", "b2b-lifecycle", stage="order_execution")
    set_fields(
        world.store,
        "Install",
        ["accepted_on=2026-11-23", "acceptance_report=ok"],
        clock=world.clock,
    )
    assert world.due_of("final_payment_reminder") == sh(2026, 11, 26, 18)
    assert world.at(sh(2026, 11, 26, 18) - MINUTE).where("final_payment_reminder") == "rules"
    assert world.at(sh(2026, 11, 26, 18) + MINUTE).where("final_payment_reminder") == "overdue"


def test_complaint_needs_an_answer_in_an_hour_and_a_solution_in_a_day(world: World) -> None:
    world.customer("Epsilon")
    complaint, _tasks = add_complaint(
        world.store, "Epsilon", {"content": "Late delivery"}, clock=world.clock
    )
    assert world.due_of("complaint_respond") == sh(2026, 11, 23, 11)
    assert world.due_of("complaint_solve") == sh(2026, 11, 24, 10)
    # a complaint's clocks head the queue, before and after they run out
    assert world.at(sh(2026, 11, 23, 11) - MINUTE).where("complaint_respond") == "complaints"
    assert world.at(sh(2026, 11, 23, 11) + MINUTE).where("complaint_respond") == "complaints"
    assert world.queue().queue.counts.overdue == 1  # the hour has run out, the day not yet
    respond_complaint(world.store, str(complaint.id), clock=world.clock)
    assert world.where("complaint_respond") is None
    assert world.at(sh(2026, 11, 24, 10) + MINUTE).where("complaint_solve") == "complaints"
    resolve_complaint(world.store, str(complaint.id), {"resolution": "Discount"}, clock=world.clock)
    assert world.where("complaint_solve") is None


def test_trade_show_lead_gets_an_email_within_24_hours(world: World) -> None:
    world.customer("Zeta", source_channel="Trade show Shanghai 2026")
    world.customer("Eta", source_channel="referral")
    assert world.due_of("trade_show_email") == sh(2026, 11, 24, 10)
    assert world.at(sh(2026, 11, 24, 10) - MINUTE).where("trade_show_email") == "rules"
    assert world.at(sh(2026, 11, 24, 10) + MINUTE).where("trade_show_email") == "overdue"
    assert len([i for i in world.queue().items if i.origin == "trade_show_email"]) == 1
    log(world, "call", customer_ref="Zeta")
    assert world.where("trade_show_email") == "overdue"  # a call is not the email
    log(world, "email", customer_ref="Zeta")
    assert world.where("trade_show_email") is None


def test_friday_afternoon_rule_lands_on_monday_morning(world: World) -> None:
    world.at(sh(2026, 11, 27, 15)).customer("Theta")
    log(world, "visit", customer_ref="Theta")
    assert world.due_of("visit_thanks") == sh(2026, 11, 30, 9)


@pytest.mark.parametrize(
    ("grade", "due"),
    [
        ("A", sh(2026, 11, 30, 18)),  # 7 days after Monday's call: the next Monday's close
        ("B", sh(2026, 12, 7, 18)),  # 14 days
        ("C", sh(2026, 12, 23, 18)),  # 30 days: a Wednesday
    ],
)
def test_grade_cadence_counts_from_the_last_contact(world: World, grade: str, due) -> None:
    world.customer("Iota", grade=grade)
    log(world, "call", customer_ref="Iota")
    assert world.at(due - timedelta(days=1) - MINUTE).where("cadence") is None
    assert world.at(due - MINUTE).where("cadence") == "rules"
    assert world.at(due + MINUTE).where("cadence") == "overdue"
    log(world, "message", customer_ref="Iota")  # the follow-up resets the clock
    assert world.where("cadence") is None


def test_no_cadence_for_nurture_or_paused_customers(world: World) -> None:
    world.customer("Kappa", grade="A")
    world.customer("Lambda", grade="A", status="nurture")
    later = world.at(MONDAY_10 + timedelta(days=10))
    assert [i.customer.name for i in later.queue().items if i.origin == "cadence"] == ["Kappa"]
    pause_customer(world.store, "Kappa", clock=world.clock, months=1)
    assert [i for i in world.queue().items if i.origin == "cadence"] == []


def test_not_needed_now_pauses_for_one_or_two_months_then_follow_up_returns(world: World) -> None:
    world.customer("Mu", grade="B")
    paused = pause_customer(world.store, "Mu", clock=world.clock, months=2)
    assert paused.paused_until == date(2027, 1, 23)
    assert world.at(sh(2027, 1, 22, 12)).where("cadence") is None
    assert world.at(sh(2027, 1, 25, 10)).where("cadence") == "overdue"  # back on Monday


def test_cadence_follows_grade_changes(world: World) -> None:
    world.customer("Nu", annual_purchase="100000")  # grade C by rule
    assert world.at(MONDAY_10 + timedelta(days=10)).where("cadence") is None
    edit_customer(world.store, "Nu", {"annual_purchase": "1500000"}, clock=world.clock)  # now A
    assert world.where("cadence") == "overdue"
