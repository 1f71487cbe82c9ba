"""Strong identities are unique in the schema (issue 15): a source system's id names one
record per table, even when a write bypasses the import lock; recurring iCalendar to-dos
are told apart by their RECURRENCE-ID; a unique violation is explained by the record and
the identity; `import all` takes the import lock; a customer added while an import was
being planned is listed as a possible duplicate of the import's look-alike."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from salesbench.services import bundle, import_write
from salesbench.store.engine import make_engine
from salesbench.store.location import resolve
from salesbench.store.migrate import ensure_head, upgrade
from salesbench.store.open import open_store
from tests.conftest import PgDb, rows, snapshot, subprocess_env

FIXTURES = Path(__file__).parent / "fixtures"
SALESBENCH = [sys.executable, "-m", "salesbench"]


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def _insert_customer(db: Path | PgDb, name: str, ext: str | None, source: str | None) -> None:
    """A customer written straight into the database, past every check salesbench makes."""
    store = open_store(str(db))
    try:
        with store.engine.begin() as conn:
            owner = conn.execute(text("SELECT id FROM rep")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, "
                    "custom, external_id, external_source, version, created_at, updated_at) "
                    "VALUES (:id, 'company', :name, 'rule', 'active', :owner, '{}', :ext, "
                    ":source, 1, :now, :now)"
                ),
                {
                    "id": uuid.uuid4().hex if isinstance(db, Path) else str(uuid.uuid4()),
                    "name": name,
                    "owner": owner,
                    "ext": ext,
                    "source": source,
                    "now": "2026-12-01 10:00:00.000000",
                },
            )
    finally:
        store.close()


# ------------------------------------------------------------ 1. the schema


@pytest.mark.both_backends
def test_two_records_cannot_share_a_source_id_of_one_system(rep, db) -> None:
    _insert_customer(db, "Acme", "001A", "salesforce")
    _insert_customer(db, "Acme again", "001A", "hubspot")  # another system: another record
    _insert_customer(db, "No source", "001A", None)
    _insert_customer(db, "No id", None, "salesforce")
    _insert_customer(db, "No id either", None, "salesforce")
    for name, source in (("Acme twin", "salesforce"), ("No source twin", None)):
        with pytest.raises(IntegrityError):
            _insert_customer(db, name, "001A", source)
    assert sorted(n for (n,) in rows(db, "SELECT name FROM customer")) == [
        "Acme",
        "Acme again",
        "No id",
        "No id either",
        "No source",
    ]


@pytest.mark.both_backends
def test_every_table_with_source_ids_has_its_unique_index(rep, db) -> None:
    if isinstance(db, PgDb):
        found = rows(db, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'uq_%_external'")
    else:
        found = rows(db, "SELECT name FROM sqlite_master WHERE name LIKE 'uq_%_external'")
    assert sorted(n for (n,) in found) == [
        f"uq_{t}_external" for t in ("activity", "contact", "customer", "opportunity", "task")
    ]


def _at_0008(db: Path | PgDb, tmp_path: Path) -> str:
    """An empty database of schema revision 0008, on the back end of `db`."""
    if isinstance(db, Path):
        return str(tmp_path / "at-0008.db")
    import psycopg

    name = f"sb_0008_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db.libpq(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return db.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.both_backends
def test_0009_keeps_records_that_already_share_a_source_id_and_doctor_lists_them(
    db, tmp_path: Path, cli
) -> None:
    url = _at_0008(db, tmp_path)
    location = resolve(url)
    engine = make_engine(location)
    upgrade(engine, "0008")
    owner = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO rep (id, name, email, timezone, workday_start, workday_end, "
                "workdays, language, role, created_at, updated_at) VALUES (:id, 'Wang Fang', "
                "'wf@example.com', 'UTC', '09:00', '18:00', '0,1,2,3,4', 'en', 'rep', :t, :t)"
            ),
            {"id": owner.hex if isinstance(db, Path) else owner, "t": "2026-01-05 01:00:00"},
        )
        # two customers of one HubSpot id, as an import before 0009 could leave them
        for name in ("Alice Chen", "Alice Chen (2)"):
            made = uuid.uuid4()
            conn.execute(
                text(
                    "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, "
                    "custom, external_id, external_source, version, created_at, updated_at) "
                    "VALUES (:id, 'person', :name, 'rule', 'active', :owner, '{}', 'hs-9001', "
                    "'hubspot', 1, :t, :t)"
                ),
                {
                    "id": made.hex if isinstance(db, Path) else made,
                    "name": name,
                    "owner": owner.hex if isinstance(db, Path) else owner,
                    "t": "2026-01-07 02:00:00",
                },
            )
    with engine.connect() as conn:
        before = list(conn.execute(text("SELECT * FROM customer ORDER BY id")))
    ensure_head(location, engine)
    with engine.connect() as conn:
        assert list(conn.execute(text("SELECT * FROM customer ORDER BY id"))) == before
        if isinstance(db, PgDb):
            listed = "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'uq_%'"
        else:
            listed = "SELECT name FROM sqlite_master WHERE type = 'index'"
        indexes = {n for (n,) in conn.execute(text(listed))}
    engine.dispose()
    assert "uq_customer_external" not in indexes  # left off: nothing deleted or merged
    assert {"uq_contact_external", "uq_task_external"} <= indexes
    result = cli("doctor", "--db", url)
    lines = [line for line in result.output.splitlines() if "source id" in line]
    assert len(lines) == 1, result.output
    assert "customer" in lines[0] and "hubspot id hs-9001" in lines[0]
    assert "2 records" in lines[0]
    if isinstance(db, PgDb):
        drop = PgDb(url)
        from tests.conftest import drop_pg_database

        drop_pg_database(drop)


# ------------------------------------------------------------ 2. recurring to-dos

RECURRING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Recurring to-dos//EN
BEGIN:VTODO
UID:weekly-call@example.com
SUMMARY:Weekly call
DTSTART:20261207T090000Z
DUE:20261207T100000Z
RRULE:FREQ=WEEKLY;COUNT=4
END:VTODO
BEGIN:VTODO
UID:weekly-call@example.com
RECURRENCE-ID:20261214T090000Z
SUMMARY:Weekly call (moved)
DUE:20261215T100000Z
END:VTODO
BEGIN:VTODO
UID:weekly-call@example.com
RECURRENCE-ID;TZID=Europe/Berlin:20261221T100000
SUMMARY:Weekly call (done early)
STATUS:COMPLETED
COMPLETED:20261220T080000Z
DUE:20261221T100000Z
END:VTODO
BEGIN:VTODO
UID:weekly-call@example.com
RECURRENCE-ID;VALUE=DATE:20261228
SUMMARY:Weekly call (all day)
DUE;VALUE=DATE:20261228
END:VTODO
END:VCALENDAR
"""


@pytest.mark.both_backends
def test_occurrences_of_a_recurring_to_do_are_told_apart_and_a_reimport_changes_nothing(
    rep, cli, db, tmp_path: Path
) -> None:
    assert cli("customer", "add", "Acme").exit_code == 0
    made = tmp_path / "recurring.ics"
    made.write_text(RECURRING.replace("\n", "\r\n"), encoding="utf-8")
    result = cli("import", "tasks", str(made), "--customer", "Acme")
    assert result.exit_code == 0, result.output
    got = sorted(rows(db, "SELECT external_id, title, status FROM task"))
    assert got == [
        ("weekly-call@example.com", "Weekly call", "open"),
        ("weekly-call@example.com/20261214T090000Z", "Weekly call (moved)", "open"),
        # 10:00 in Berlin in winter is 09:00 UTC: the id is of the instant, not its zone
        ("weekly-call@example.com/20261221T090000Z", "Weekly call (done early)", "done"),
        ("weekly-call@example.com/20261228", "Weekly call (all day)", "open"),
    ]
    before = snapshot(db)
    again = cli("import", "tasks", str(made), "--customer", "Acme")
    assert again.exit_code == 0, again.output
    after = snapshot(db)
    for table in ("task", "customer", "possible_duplicate"):
        assert after[table] == before[table], table


# ------------------------------------------------------------ 3. a unique violation


CUSTOMERS = "Id,Account Name,Industry\n001A000001,Acme Trading,retail\n001A000002,Beta Ltd,tea\n"


@pytest.mark.both_backends
def test_a_record_stored_meanwhile_past_the_lock_is_named_and_nothing_is_written(
    rep, cli, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "accounts.csv"
    made.write_text(CUSTOMERS, encoding="utf-8")
    real = import_write.flush
    done: list[bool] = []

    def competitor_first(planner: Any) -> None:
        # another process (one that takes no import lock) stores Beta after the plan
        # read the customers and before this import writes them
        if not done:
            done.append(True)
            _insert_customer(db, "Beta Ltd", "001A000002", "salesforce")
        real(planner)

    monkeypatch.setattr(import_write, "flush", competitor_first)
    monkeypatch.setattr("salesbench.services.imports.flush", competitor_first)
    before = snapshot(db)
    result = cli("import", "customers", str(made), "--preset", "salesforce")
    assert result.exit_code == 4, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "another process stored customer with salesforce id 001A000002 meanwhile" in lines[0]
    assert "nothing was written" in lines[0] and "run the import again" in lines[0]
    after = snapshot(db)
    assert after["import_batch"] == before["import_batch"]
    assert sorted(n for (n,) in rows(db, "SELECT name FROM customer")) == ["Beta Ltd"]
    monkeypatch.setattr(import_write, "flush", real)
    monkeypatch.setattr("salesbench.services.imports.flush", real)
    again = cli("import", "customers", str(made), "--preset", "salesforce")
    assert again.exit_code == 0, again.output
    assert sorted(n for (n,) in rows(db, "SELECT name FROM customer")) == [
        "Acme Trading",
        "Beta Ltd",
    ]


@pytest.mark.both_backends
def test_each_refusal_is_explained_by_the_constraint_that_failed(rep, db) -> None:
    """A foreign key: a record removed meanwhile; a primary key: the same record stored;
    a source id: that record, by its id (PostgreSQL names the values, SQLite the index)."""
    from salesbench.services.import_errors import explain_integrity

    _insert_customer(db, "Acme", "001A", "salesforce")
    store = open_store(str(db))
    refused: list[IntegrityError] = []
    statements = (
        "INSERT INTO contact (id, customer_id, name, custom, version, created_at, updated_at) "
        "VALUES (:id, :gone, 'Li Lei', '{}', 1, :now, :now)",
        "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, custom, version, "
        "created_at, updated_at) SELECT id, kind, name, grade_set_by, status, owner_id, custom, "
        "version, created_at, updated_at FROM customer",
        "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, custom, "
        "external_id, external_source, version, created_at, updated_at) SELECT :id, kind, "
        "name, grade_set_by, status, owner_id, custom, external_id, external_source, version, "
        "created_at, updated_at FROM customer",
    )
    new = uuid.uuid4().hex if isinstance(db, Path) else str(uuid.uuid4())
    try:
        for statement in statements:
            with pytest.raises(IntegrityError) as caught, store.engine.begin() as conn:
                conn.execute(
                    text(statement), {"id": new, "gone": new, "now": "2026-12-01 10:00:00"}
                )
            refused.append(caught.value)
    finally:
        store.close()
    messages = [explain_integrity(exc, "f.csv", None) for exc in refused]
    assert messages[0] == (
        "f.csv: another process removed records this import refers to meanwhile; "
        "nothing was written: run the import again"
    )
    assert messages[1].startswith("f.csv: another process stored the same customer meanwhile")
    # PostgreSQL reports the values that clashed; SQLite only the index (an import finds
    # the record among its own rows, as the test above shows)
    named = "customer with salesforce id 001A" if isinstance(db, PgDb) else "a customer with"
    assert f"f.csv: another process stored {named}" in messages[2]
    assert "nothing was written" in messages[2]
    assert rows(db, "SELECT count(*) FROM customer") == [(1,)]
    assert rows(db, "SELECT count(*) FROM contact") == [(0,)]


# ------------------------------------------------------------ 4. import all


@pytest.mark.both_backends
def test_two_import_all_of_one_bundle_at_once_give_one_copy(
    rep, cli, db, other_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("customer", "add", "Acme").exit_code == 0
    assert cli("customer", "add", "Beta").exit_code == 0
    made = tmp_path / "all.json"
    assert cli("export", "all", "--out", str(made)).exit_code == 0
    data = made.read_text(encoding="utf-8")

    first_checked, second_waits = threading.Event(), threading.Event()
    real = bundle.refuse_unless_empty
    calls: list[str] = []

    def checked(conn: Any, source: str) -> None:
        real(conn, source)
        calls.append(threading.current_thread().name)
        if threading.current_thread().name == "first":
            first_checked.set()
            # hold the write open until the second import is waiting for the lock
            assert second_waits.wait(60), "the second import never waited"

    monkeypatch.setattr(bundle, "refuse_unless_empty", checked)
    outcome: dict[str, object] = {}

    def run(name: str) -> None:
        store = open_store(str(other_db))
        try:
            waiting = second_waits.set if name == "second" else None
            outcome[name] = bundle.import_bundle(
                store, data, str(made), waiting=lambda _: waiting and waiting()
            )
        except Exception as exc:  # the refusal, kept for the assertions below
            outcome[name] = exc
        finally:
            store.close()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert first_checked.wait(60)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    first.join(120)
    second.join(120)
    assert isinstance(outcome["first"], dict), outcome
    refused = outcome["second"]
    assert isinstance(refused, Exception) and "needs an empty database" in str(refused)
    assert getattr(refused, "exit_code", None) == 4
    assert rows(other_db, "SELECT count(*) FROM customer") == [(2,)]
    assert calls == ["first", "first"] or calls == ["first"]


# ------------------------------------------------------------ 5. added while planning


@pytest.mark.both_backends
def test_a_customer_added_while_an_import_is_planned_is_listed_as_a_possible_duplicate(
    rep, cli, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "customers.csv"
    made.write_text("name,industry\nAcme Trading Co.,retail\nBeta Ltd,tea\n", encoding="utf-8")
    from salesbench.services import imports

    real = imports.plan

    def plan_then_a_colleague_adds(planner: Any, progress: Any) -> Any:
        report = real(planner, progress)
        # a colleague's `customer add` commits after the plan read the customers,
        # before the import writes
        added = subprocess.run(
            [*SALESBENCH, "customer", "add", "Acme Trading", "--db", str(db)],
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        return report

    monkeypatch.setattr(imports, "plan", plan_then_a_colleague_adds)
    result = cli("import", "customers", str(made))
    assert result.exit_code == 0, result.output
    assert "1 possible duplicate" in result.output
    pairs = rows(
        db,
        "SELECT a.name, b.name, d.reason FROM possible_duplicate d "
        "JOIN customer a ON a.id = d.record_id JOIN customer b ON b.id = d.other_id",
    )
    assert pairs == [("Acme Trading Co.", "Acme Trading", "same name")]
    counts = rows(db, "SELECT counts FROM import_batch")
    assert '"possible_duplicates": 1' in counts[0][0]


@pytest.mark.both_backends
def test_two_import_all_processes_at_once_leave_one_copy(cli, db, other_db, tmp_path) -> None:
    """As two people would run it: whichever comes second is refused, exit 4."""
    assert cli("demo", "--customers", "60").exit_code == 0
    made = tmp_path / "all.json"
    assert cli("export", "all", "--out", str(made)).exit_code == 0
    command = [*SALESBENCH, "import", "all", str(made), "--db"]
    running = [
        subprocess.Popen(
            [*command, str(other_db)],
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    done = [(p.wait(300), p.stderr.read() if p.stderr else "") for p in running]
    for p in running:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    codes = sorted(code for code, _ in done)
    assert codes == [0, 4], done
    refused = next(err for code, err in done if code == 4)
    assert "import all needs an empty database" in refused, refused
    assert "Traceback" not in refused
    for table in ("customer", "contact", "opportunity", "task", "activity"):
        assert rows(other_db, f"SELECT count(*) FROM {table}") == rows(
            db, f"SELECT count(*) FROM {table}"
        ), table
