"""The pipeline's read and shaping (services/pipeline.py, core/pipeline.py), checked
against the queue's own judgement of the same deals and against the database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from salesbench.core.pipeline import SORTS, Deal, NextTask, by_stage, deal_of, next_sort
from salesbench.core.queue import CustomerFacts, OppFacts
from salesbench.services.demo import generate
from salesbench.services.pipeline import load_pipeline
from salesbench.services.queue import load_queue
from salesbench.store.open import open_store
from tests.sop_world import sh
from tests.tui_support import rows

MONDAY_10 = sh(2026, 11, 23, 10)
REP = "rep3@demo.salesbench.dev"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=MONDAY_10)
    store.close()
    return path


@pytest.mark.parametrize("days_later", [0, 40])
def test_rotting_and_no_next_step_are_the_queues(demo_db: Path, days_later: int) -> None:
    """One rule each: the pipeline flags exactly the deals the queue counts."""
    now = MONDAY_10 + timedelta(days=days_later)
    store = open_store(str(demo_db), lazy=True)
    view = load_pipeline(store, now=now, rep=REP)
    queue = load_queue(store, now=now, rep=REP).queue
    mine = rows(
        demo_db,
        "SELECT count(*) FROM opportunity o JOIN rep r ON r.id = o.owner_id "
        f"WHERE r.email = '{REP}' AND o.status = 'open'",
    )
    assert len(view.deals) == mine[0][0] > 0
    rotting = {d.opportunity.id: d.rotting for d in view.deals if d.rotting is not None}
    assert rotting == {o.id: days for _c, o, days in queue.rotting}
    assert {d.opportunity.id for d in view.deals if d.no_next_step} == {
        o.id for _c, o in queue.no_next_step
    }
    assert queue.counts.rotting == len(rotting)
    if days_later:
        assert rotting  # forty idle days rot some deal


def test_the_next_task_is_the_open_one_due_first(demo_db: Path) -> None:
    store = open_store(str(demo_db), lazy=True)
    view = load_pipeline(store, now=MONDAY_10, rep=REP)
    first = dict(
        rows(
            demo_db,
            "SELECT t.opportunity_id, t.title FROM task t JOIN rep r ON r.id = t.owner_id "
            f"WHERE r.email = '{REP}' AND t.status IN ('open', 'snoozed') "
            "ORDER BY CASE WHEN t.status = 'snoozed' THEN t.snoozed_until ELSE t.due_at END "
            "IS NULL DESC, CASE WHEN t.status = 'snoozed' THEN t.snoozed_until ELSE t.due_at END "
            "DESC, t.id DESC",
        )
    )  # the dict keeps the last row of each deal: the one due first
    with_next = [d for d in view.deals if d.next_task is not None]
    assert with_next
    for deal in with_next:
        assert deal.next_task is not None
        assert first[deal.opportunity.id.replace("-", "")] == deal.next_task.title


def _deal(title: str, stage: int, amount: int | None, days: int, close: date | None, due) -> Deal:
    now = MONDAY_10
    opp = OppFacts(
        id=title,
        title=title,
        playbook_key="p",
        stage_key=f"s{stage}",
        stage_name=f"Stage {stage}",
        stage_index=stage,
        stage_count=3,
        probability=0.5,
        amount=amount,
        stage_entered_at=now - timedelta(days=days),
        last_touch=None,
        rot_days=10,
        currency="CNY",
    )
    task = NextTask("t-" + title, "call", due) if due is not False else None
    return deal_of(CustomerFacts("c", "唐磊", "A"), opp, close, task, now)


def test_groups_follow_the_playbook_and_each_sort_orders_within_them() -> None:
    soon, later = MONDAY_10 + timedelta(hours=1), MONDAY_10 + timedelta(days=3)
    deals = [
        _deal("Sofa", 1, 500, 2, date(2027, 1, 5), later),
        _deal("Desk", 1, 9000, 30, None, soon),
        _deal("Bed", 1, None, 12, date(2026, 12, 1), False),
        _deal("Lamp", 0, 100, 1, None, soon),
    ]
    assert [g.name for g in by_stage(deals)] == ["Stage 0", "Stage 1"]

    def order(sort: str) -> list[str]:
        return [d.opportunity.title for d in by_stage(deals, sort)[1].deals]

    assert order("amount") == ["Desk", "Sofa", "Bed"]  # no amount last
    assert order("days") == ["Desk", "Bed", "Sofa"]
    assert order("close") == ["Bed", "Sofa", "Desk"]  # no expected close last
    assert order("next") == ["Bed", "Desk", "Sofa"]  # no next step first: it needs one
    assert [d.rotting for d in deals] == [None, 30, 12, None]  # rot after 10 idle days
    assert [next_sort(s) for s in SORTS] == [*list(SORTS)[1:], "amount"]
    assert [d.opportunity.title for g in by_stage(deals, needle="sOfA") for d in g.deals] == [
        "Sofa"
    ]
    assert [len(g.deals) for g in by_stage(deals, needle="唐")] == [1, 3]  # the customer too


def test_the_flags_filter_as_the_screen_marks_them() -> None:
    """! (rotting) and ? (no next step), as the pipeline marks its rows, pick those deals,
    alone or before a word; text that merely contains them still matches as text."""
    later = MONDAY_10 + timedelta(days=3)
    deals = [
        _deal("Sofa", 1, 500, 2, None, later),
        _deal("Desk", 1, 9000, 30, None, later),
        _deal("Bed", 1, None, 12, None, False),
        _deal("Lamp!", 0, 100, 1, None, later),
    ]

    def titles(needle: str) -> list[str]:
        return sorted(d.opportunity.title for g in by_stage(deals, needle=needle) for d in g.deals)

    assert titles("!") == ["Bed", "Desk"]
    assert titles("?") == ["Bed"]
    assert titles("! desk") == ["Desk"]
    assert titles("!? ") == ["Bed"]
    assert titles("lamp!") == ["Lamp!"]
