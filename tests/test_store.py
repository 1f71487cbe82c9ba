from __future__ import annotations

import sqlite3
import stat
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from salesbench.store.engine import Store
from salesbench.store.location import resolve
from salesbench.store.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Opportunity,
    Rep,
    Task,
)
from tests.conftest import CLOCK

pytestmark = pytest.mark.both_backends


@pytest.mark.sqlite_only
@pytest.mark.empty_db  # the settings of a file salesbench creates
def test_sqlite_settings(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.sqlite_only
@pytest.mark.empty_db
def test_database_file_is_private(store: Store, db_path: Path) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


@pytest.mark.sqlite_only
def test_writer_takes_the_write_lock_up_front(store: Store, db_path: Path) -> None:
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with store.write(CLOCK), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released on commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_write_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write(CLOCK) as session:
        session.add(Rep(name="A", email="a@example.com"))
        session.flush()
        raise RuntimeError("boom")
    with store.read() as session:
        assert session.exec(select(Rep)).all() == []


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.write(CLOCK) as session:
        session.add(Customer(name="Orphan", owner_id=uuid.uuid4()))


def test_location_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve(str(tmp_path / "a.db")).path == tmp_path / "a.db"
    assert resolve(None).path == tmp_path / "xdg-data" / "salesbench" / "salesbench.db"
    # the store is told where the database is; SALESBENCH_DB is the shell's to read
    monkeypatch.setenv("SALESBENCH_DB", str(tmp_path / "env.db"))
    assert resolve(None).path == tmp_path / "xdg-data" / "salesbench" / "salesbench.db"
    pg = resolve("postgresql+psycopg://sam:secret@db.local/sales")
    assert pg.path is None and pg.display() == "postgresql+psycopg://sam:***@db.local/sales"


def test_every_table_round_trips(store: Store) -> None:
    cst = timezone(timedelta(hours=8))
    started = datetime(2026, 11, 20, 14, 30, tzinfo=cst)
    with store.write(CLOCK) as session:
        rep = Rep(
            name="王芳", email="wf@example.com", team="East", region="华东", branch="Shanghai"
        )
        session.add(rep)
        session.flush()
        cust = Customer(
            name="华东家具",
            owner_id=rep.id,
            grade="A",
            grade_set_by="manual",
            annual_purchase=12_345_678_901_23,
            paused_until=date(2027, 1, 1),
            status="paused",
            custom={"风格": "modern", "rooms": 3},
        )
        session.add(cust)
        session.flush()
        contact = Contact(customer_id=cust.id, name="李雷", decision_role="decision_maker")
        opp = Opportunity(
            customer_id=cust.id,
            owner_id=rep.id,
            title="Villa sofa",
            amount=9_876_543_210_99,
            expected_close=date(2026, 12, 24),
            stage_key="first_contact",
            stage_entered_at=started,
            custom={"style": "classic"},
        )
        session.add_all([contact, opp])
        session.flush()
        session.add_all(
            [
                Task(
                    opportunity_id=opp.id,
                    owner_id=rep.id,
                    title="Send welcome",
                    due_at=started,
                    origin_kind="playbook",
                    origin="welcome",
                ),
                Activity(
                    customer_id=cust.id,
                    opportunity_id=opp.id,
                    contact_id=contact.id,
                    owner_id=rep.id,
                    started_at=started,
                    channel="visit",
                    next_step_date=date(2026, 11, 21),
                    objections="价格偏高",
                ),
                Complaint(
                    customer_id=cust.id,
                    owner_id=rep.id,
                    received_at=started,
                    content="Late delivery",
                ),
            ]
        )
    with store.read() as session:
        cust2 = session.exec(select(Customer)).one()
        assert cust2.custom == {"风格": "modern", "rooms": 3}
        assert cust2.annual_purchase == 12_345_678_901_23
        assert cust2.paused_until == date(2027, 1, 1)
        opp2 = session.exec(select(Opportunity)).one()
        assert opp2.amount == 9_876_543_210_99
        assert opp2.stage_entered_at == started
        assert opp2.stage_entered_at.tzinfo is UTC
        task = session.exec(select(Task)).one()
        assert task.due_at == started and task.status == "open"
        act = session.exec(select(Activity)).one()
        assert act.objections == "价格偏高" and act.started_at.utcoffset() == timedelta(0)
        assert session.exec(select(Complaint)).one().content == "Late delivery"
        rep2 = session.exec(select(Rep)).one()
        assert rep2.created_at.tzinfo is UTC and rep2.region == "华东"


def test_naive_datetimes_are_refused(store: Store) -> None:
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError, match="naive datetime"), store.write(CLOCK) as session:
        rep = Rep(name="A", email="a@example.com", created_at=datetime(2026, 1, 1))
        session.add(rep)


# ------------------------------------------------------------ stamps from the clock


def test_records_are_stamped_with_the_writes_clock(store: Store) -> None:
    from salesbench.core.clock import FixedClock

    then = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)
    with store.write(FixedClock(then)) as session:
        rep = Rep(name="Wang Fang", email="wf@example.com")
        session.add(rep)
        session.flush()
        first = Customer(name="Alpha", owner_id=rep.id)
        second = Customer(name="Beta", owner_id=rep.id)
        session.add_all([first, second])
    # the write's time, a microsecond apart so the order they were made in is kept
    assert rep.created_at == then
    assert second.created_at - first.created_at == timedelta(microseconds=1)
    assert first.updated_at == first.created_at


def test_updated_at_moves_forward_even_when_the_clock_stands_still(store: Store) -> None:
    """Import undo tells an edited record by its updated_at: a pinned clock must not
    hide an edit."""
    from salesbench.core.clock import FixedClock

    pinned = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    with store.write(pinned) as session:
        rep = Rep(name="Wang Fang", email="wf@example.com")
        session.add(rep)
        session.flush()
        customer = Customer(name="Alpha", owner_id=rep.id)
        session.add(customer)
    stamps = [customer.updated_at]
    for industry in ("Retail", "Trade"):
        with store.write(pinned) as session:
            row = session.get_one(Customer, customer.id)
            row.industry = industry
        stamps.append(row.updated_at)
    assert stamps == sorted(set(stamps)) and len(stamps) == 3
    with store.write(FixedClock(datetime(2030, 6, 1, tzinfo=UTC))) as session:
        row = session.get_one(Customer, customer.id)
        row.industry = "Later"
    assert row.updated_at == datetime(2030, 6, 1, tzinfo=UTC)


def test_a_record_made_outside_a_write_is_refused() -> None:
    with pytest.raises(RuntimeError, match="outside a write"):
        Customer(name="Nowhere")
