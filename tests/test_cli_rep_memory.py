"""The CLI acts as the rep the person chose in the workbench's picker (remembered per
database in the user's config, salesbench/settings_user.py), by the workbench's rule:
--rep, else SALESBENCH_REP, else the remembered rep, else the only rep there is."""

from __future__ import annotations

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.reps import add_rep
from salesbench.services.session import database_display
from salesbench.settings_user import remember_rep
from tests.conftest import CLOCK
from tests.tui_support import rows

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def two_reps(store, db):
    first = add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    second = add_rep(store, {"name": "Li Lei", "email": "ll@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=CLOCK, owner="ll@example.com")
    return first, second


def test_with_several_reps_the_cli_acts_as_the_rep_chosen_in_the_workbench(
    two_reps, cli, db
) -> None:
    _first, second = two_reps
    remember_rep(database_display(str(db)), str(second.id))
    queue = cli("queue")
    assert queue.exit_code == 0, queue.output
    assert "· Li Lei" in queue.output.splitlines()[0]
    added = cli("customer", "add", "Walk-in", "--kind", "person")
    assert added.exit_code == 0, added.output
    assert rows(db, "SELECT r.email FROM customer c JOIN rep r ON r.id = c.owner_id "
                "WHERE c.name = 'Walk-in'") == [("ll@example.com",)]  # fmt: skip
    # --rep still wins over what is remembered
    assert "· Wang Fang" in cli("queue", "--rep", "wf@example.com").output.splitlines()[0]


def test_with_several_reps_and_none_remembered_the_error_names_them(two_reps, cli) -> None:
    queue = cli("queue")
    assert queue.exit_code != 0
    assert "wf@example.com" in queue.output and "ll@example.com" in queue.output, queue.output
    assert "--rep" in queue.output and "workbench" in queue.output, queue.output


def test_a_remembered_rep_no_longer_there_is_forgotten_as_in_the_workbench(store, cli, db) -> None:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    remember_rep(database_display(str(db)), "0123456789abcdef0123456789abcdef")
    queue = cli("queue")  # the only rep there is, as with nothing remembered
    assert queue.exit_code == 0, queue.output
    assert "· Wang Fang" in queue.output.splitlines()[0]
