"""Queue flags and suggestions, and a mode's standards checked against a deal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from salesbench.core.modes import check_mode
from salesbench.core.playbook import ModeDef
from salesbench.services.activities import log_activity
from salesbench.services.opportunities import opportunity_view
from salesbench.services.sop import set_fields
from salesbench.services.tasks import finish_task
from tests.sop_world import World, sh

MONDAY_10 = sh(2026, 11, 23, 10)
QUICK = ModeDef("quick_knife", "Quick knife", max_days=7, max_visits=3, min_price_ratio=0.8)

pytestmark = pytest.mark.both_backends


@pytest.fixture
def world(store, db) -> World:
    return World(store, db, MONDAY_10)


def test_mode_standards() -> None:
    def check(days: int, visits: int, amount: int | None, list_price: int | None) -> list[str]:
        return [
            d.standard
            for d in check_mode(
                QUICK,
                opened_at=MONDAY_10,
                now=MONDAY_10 + timedelta(days=days),
                visits=visits,
                amount=amount,
                list_price=list_price,
            )
        ]

    assert check(7, 3, 80, 100) == []
    assert check(8, 3, 80, 100) == ["time_box"]
    assert check(1, 4, 80, 100) == ["visits"]
    assert check(1, 1, 79, 100) == ["price_floor"]
    assert check(1, 1, None, 100) == [] and check(1, 1, 50, None) == []


def test_quick_knife_deal_past_its_week_is_flagged(world: World) -> None:
    world.customer("Omicron")
    world.opp("Omicron", "Box", "solution-selling")
    set_fields(
        world.store,
        "Box",
        ["mode=quick_knife", "list_price=100000", "amount=85000"],
        clock=world.clock,
    )
    for day in range(4):
        world.at(MONDAY_10 + timedelta(hours=day))
        log_activity(world.store, {"channel": "visit"}, clock=world.clock, opportunity_ref="Box")
    view = opportunity_view(world.store, "Box", clock=world.at(MONDAY_10 + timedelta(days=8)).clock)
    assert [d.standard for d in view.mode_check] == ["time_box", "visits"]
    stages = view.stages
    assert [s.current for s in stages] == [True, False, False, False, False]
    assert (stages[0].done, stages[0].total) == (0, 2)


def test_rotting_and_no_next_step(world: World) -> None:
    world.customer("Pi")
    world.opp("Pi", "Quiet deal", "retail-5")  # first contact allows 3 idle days
    assert world.at(MONDAY_10 + timedelta(days=3)).queue().queue.rotting == []
    rotting = world.at(MONDAY_10 + timedelta(days=4)).queue().queue.rotting
    assert [(o.title, days) for _c, o, days in rotting] == [("Quiet deal", 4)]
    groups = [g for s in world.queue().queue.sections for g in s.groups if g.opportunity]
    assert groups and all("rotting" in g.flags for g in groups)
    log_activity(world.store, {"channel": "call"}, clock=world.clock, opportunity_ref="Quiet deal")
    assert world.queue().queue.rotting == []  # a contact resets the idle time

    for item in [i for i in world.queue().items if i.opportunity]:
        finish_task(world.store, item.id, "skipped", clock=world.clock)
    no_next = world.queue().queue.no_next_step
    assert [o.title for _c, o in no_next] == ["Quiet deal"]


def test_suggested_follow_up_waits_in_the_suggestions(world: World) -> None:
    world.customer("Rho")
    world.opp("Rho", "Chair", "retail-5")
    set_fields(world.store, "Chair", ["product_category=sofa", "style=modern"], clock=world.clock)
    view = world.queue()
    suggested = [
        s.item
        for sec in view.queue.sections
        if sec.key == "suggested"
        for g in sec.groups
        for s in g.items
    ]
    assert [(i.origin, i.suggested) for i in suggested] == [("stay_in_touch", True)]
    assert world.where("stay_in_touch") == "suggested"
