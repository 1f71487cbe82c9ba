"""Findings from walking i16-int (issue 16): a standard the mode enforces holds on a
manual `done` as on an automatic one; every deal is reachable in the workbench (a deal
waiting at its gate is in the queue); complaint times in the rep's zone and the
complaint's task linked to its deal."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def rep(cli):
    ok(cli("init", "--name", "Wang Fang", "--email", "wf@example.com"))
    return cli


def negotiation(db) -> list[tuple]:
    return rows(db, "SELECT status, custom FROM task WHERE origin = 'commercial_negotiation'")


QUICK = ("--playbook", "solution-selling", "--stage", "present_value", "--mode", "quick_knife")
BELOW_FLOOR = ("list_price=100000", "amount=70000", "terms_agreed=yes", "agrees_to_sign=yes")


def quick_deal_below_floor(rep, db) -> str:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "ERP SS", *QUICK))
    ok(rep("opp", "set", "ERP SS", *BELOW_FLOOR))
    ((task,),) = rows(db, "SELECT id FROM task WHERE origin = 'commercial_negotiation'")
    return str(task)[:8]


@pytest.mark.both_backends
def test_manual_done_below_an_enforced_price_floor_is_refused_and_names_the_standard(
    rep, db
) -> None:
    task = quick_deal_below_floor(rep, db)
    refused = rep("task", "done", task)
    assert refused.exit_code == 2, refused.output
    assert "price at 70% of list; Quick knife keeps at least 80%" in refused.output
    assert "Traceback" not in refused.output
    assert [s for s, _ in negotiation(db)] == ["open"]
    ok(rep("task", "done", task, "--reason", "director approved the discount"))
    ((state, custom),) = negotiation(db)
    assert state == "done"
    kept = json.loads(custom)["done_anyway"]
    assert kept["reason"] == "director approved the discount"
    assert any("Quick knife keeps at least 80%" in o for o in kept["open"])
