"""A deal's tasks opened together (a stage's, due alike) are listed in the order its SOP
gives them: the deal screen read them in whatever order an index handed them back, and
a new index (migration 0012) turned "Welcome the customer" from first to third."""

from __future__ import annotations

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity, opportunity_view
from salesbench.services.playbooks import load_catalog
from salesbench.services.reps import add_rep
from tests.sop_world import sh


def test_tasks_due_alike_are_listed_in_the_sops_order(store, clock) -> None:
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    view = opportunity_view(store, "Sofa", clock=clock)
    first = load_catalog(store).get("retail-5", "en").stages[0]
    listed = [t.origin for t in view.tasks if t.stage_key == first.key]
    assert len(listed) > 2
    assert listed == [t.key for t in first.tasks if t.key in listed]
