"""No lost updates on a team database: an edit writes only the fields the person
changed, and a field a colleague changed meanwhile is a conflict, never overwritten.
Checked on the database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from textual.widgets import Input, Select

from salesbench.core.errors import Conflict
from salesbench.services.contacts import add_contact, edit_contact
from salesbench.services.customers import add_customer, customer_detail, edit_customer
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from salesbench.tui.modals import FormModal
from tests.conftest import CLOCK, PgDb, rows
from tests.sop_world import sh
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.both_backends

MONDAY_10 = sh(2026, 11, 23, 10)
CUSTOMER = "SELECT grade, grade_set_by, annual_purchase, number, industry, version FROM customer"


@pytest.fixture
def world(store, clock):
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(
        store,
        {"name": "华东家具", "number": "N-1", "annual_purchase": "600000", "industry": "retail"},
        clock=clock,
    )
    return store


def colleague_edits(store, clock) -> None:
    """What a colleague saves with `customer edit` while the form is open."""
    edit_customer(
        store,
        "华东家具",
        {"grade": "A", "annual_purchase": "2000000", "number": "N-2"},
        clock=clock,
    )


async def open_form(pilot, app: SalesbenchApp) -> FormModal:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    await pilot.press(*"华东")
    await settle(pilot)
    await pilot.press("f2")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, FormModal)
    return form


async def test_form_saved_after_a_colleagues_edit_keeps_their_values_and_shows_the_conflict(
    world, clock, db
) -> None:
    app = SalesbenchApp(world, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        form = await open_form(pilot, app)
        assert form.query_one("#form-number", Input).value == "N-1"
        form.query_one("#form-grade", Select).value = "C"
        form.query_one("#form-annual_purchase", Input).value = "100000"
        form.query_one("#form-number", Input).value = "N-9"
        form.query_one("#form-industry", Input).value = "furniture"

        colleague_edits(world, clock)  # meanwhile, from the CLI

        await pilot.press("ctrl+s")
        await settle(pilot)
        # the colleague's grade, amount and number kept; nothing of the form saved
        assert rows(db, CUSTOMER) == [("A", "manual", 200000000, "N-2", "retail", 2)]
        errors = [n.message for n in notices if n.severity == "error"]
        assert len(errors) == 1
        assert errors[0].startswith("customer 华东家具 was changed by someone else meanwhile (")
        assert "annual_purchase: 600000.00 → 2000000.00" in errors[0]
        assert "number: N-1 → N-2" in errors[0]
        assert "nothing saved; here it is now" in errors[0]
        assert "Customer saved" not in [n.message for n in notices]
        # the record as it is now: the form again, with the stored values, and the
        # person's own typing quoted to redo it
        again = app.screen
        assert isinstance(again, FormModal) and "(as it is now)" in again.title_text
        assert again.query_one("#form-number", Input).value == "N-2"
        assert again.query_one("#form-grade", Select).value == "A"
        assert "2000000.00" in again.query_one("#form-annual_purchase", Input).value
        note = str(again.query_one("#form-note").render())
        assert "Customer number N-9" in note and "Industry furniture" in note  # by label

        # saving it again now writes the one field changed in it
        again.query_one("#form-industry", Input).value = "furniture"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db, CUSTOMER) == [("A", "manual", 200000000, "N-2", "furniture", 3)]
        assert notices[-1].message == "Customer saved"


async def test_form_changing_other_fields_than_the_colleague_saves_them_beside_theirs(
    world, clock, db
) -> None:
    app = SalesbenchApp(world, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#form-industry", Input).value = "furniture"
        form.query_one("#form-source_channel", Input).value = "referral"

        colleague_edits(world, clock)

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db, CUSTOMER) == [("A", "manual", 200000000, "N-2", "furniture", 3)]
        assert rows(db, "SELECT source_channel FROM customer") == [("referral",)]
        assert [n.message for n in notices] == ["Customer saved"]


async def test_contact_form_saved_after_a_colleagues_edit_of_the_same_field_is_a_conflict(
    world, clock, db
) -> None:
    add_contact(world, "华东家具", {"name": "王伟", "title": "Buyer"}, clock=CLOCK)
    app = SalesbenchApp(world, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("escape")
        await pilot.press("ctrl+g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal) and form.title_text == "Edit 王伟"
        form.query_one("#form-title", Input).value = "Purchasing lead"
        form.query_one("#form-email", Input).value = "ww@example.cn"

        edit_contact(world, "王伟", {"title": "Director"}, clock=clock)  # meanwhile

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db, "SELECT title, email, version FROM contact") == [("Director", None, 2)]
        errors = [n.message for n in notices if n.severity == "error"]
        assert len(errors) == 1 and "title: Buyer → Director" in errors[0]
        again = app.screen
        assert isinstance(again, FormModal)
        assert again.query_one("#form-title", Input).value == "Director"


def test_customer_edit_writes_only_the_fields_given(world, clock, cli, db) -> None:
    colleague_edits(world, clock)
    result: Any = cli("customer", "edit", "华东家具", "--industry", "furniture")
    assert result.exit_code == 0, result.output
    assert rows(db, CUSTOMER) == [("A", "manual", 200000000, "N-2", "furniture", 3)]


def test_edit_from_a_stale_record_is_refused_field_by_field(world, clock, db) -> None:
    """The service's own check: the values a form started from, against those stored."""
    ((before,),) = rows(db, "SELECT version FROM customer")
    shown = customer_detail(world, "华东家具")[0].model_dump()  # what a form showed
    colleague_edits(world, clock)
    with pytest.raises(Conflict, match=r"\(number: N-1 → N-2\): nothing saved"):
        edit_customer(world, "华东家具", {"number": "N-3"}, clock=clock, started_from=shown)
    with pytest.raises(Conflict, match=r"version 1 → 2"):
        edit_customer(world, "华东家具", {"size": "10"}, clock=clock, expected_version=before)
    edit_customer(world, "华东家具", {"name": "华东家具 Ltd"}, clock=clock, started_from=shown)
    assert rows(db, "SELECT name, number, size, version FROM customer") == [
        ("华东家具 Ltd", "N-2", None, 3)
    ]


def _waiting_for_a_lock(db: PgDb) -> bool:
    return bool(
        db.rows(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
    )


@pytest.mark.parametrize("option", [["--industry", "furniture"], ["--annual-purchase", "900000"]])
def test_customer_edit_racing_a_colleagues_grade_on_postgresql(world, cli, db, option) -> None:
    """PostgreSQL reads what others committed after the transaction began: a colleague's
    grade committed between `customer edit` reading the row and writing it must stay."""
    if not isinstance(db, PgDb):
        pytest.skip("SQLite serialises whole write transactions: no read-write gap")
    import psycopg

    colleague = psycopg.connect(db.libpq())
    colleague.execute(
        "UPDATE customer SET grade = 'A', grade_set_by = 'manual', version = version + 1"
    )  # not committed yet: the edit reads the old row, then waits for this one
    outcome: dict[str, Any] = {}
    editing = threading.Thread(
        target=lambda: outcome.update(result=cli("customer", "edit", "华东家具", *option))
    )
    editing.start()
    deadline = time.monotonic() + 60
    while not _waiting_for_a_lock(db):
        assert time.monotonic() < deadline, "the edit never reached the row"
        time.sleep(0.01)
    colleague.commit()
    colleague.close()
    editing.join(timeout=60)
    result = outcome["result"]
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT grade, grade_set_by, version FROM customer") == [("A", "manual", 3)]


def test_customer_and_contact_edit_if_version_refuse_a_changed_record(
    world, clock, cli, db
) -> None:
    import json

    shown: Any = cli("customer", "show", "华东家具", "--json")
    version = json.loads(shown.output)["version"]
    colleague_edits(world, clock)
    before = rows(db, CUSTOMER)
    result: Any = cli(
        "customer", "edit", "华东家具", "--industry", "x", "--if-version", str(version)
    )
    assert result.exit_code == 4
    assert "was changed by someone else meanwhile (version 1 → 2)" in result.output
    assert rows(db, CUSTOMER) == before

    add_contact(world, "华东家具", {"name": "王伟"}, clock=CLOCK)
    edit_contact(world, "王伟", {"title": "Director"}, clock=clock)
    ((stored,),) = rows(db, "SELECT version FROM contact")
    result = cli("contact", "edit", "王伟", "--title", "Buyer", "--if-version", str(stored - 1))
    assert result.exit_code == 4 and "nothing saved" in result.output
    result = cli("contact", "edit", "王伟", "--title", "Buyer", "--if-version", str(stored))
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT title, version FROM contact") == [("Buyer", stored + 1)]


def test_every_write_to_a_customer_row_bumps_its_version(world, clock, cli, db) -> None:
    from salesbench.services.customers import pause_customer

    pause_customer(world, "华东家具", clock=clock, months=1)
    assert rows(db, "SELECT status, version FROM customer") == [("paused", 2)]
    result: Any = cli("customer", "edit", "华东家具", "--status", "active")
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT status, version FROM customer") == [("active", 3)]
