"""Imports among other writers (issue 15): two imports of one file at once give one set
of records; a long import does not lock everyone else out; a dry run takes no lock; an
import never reverts a colleague's edit made while it was being checked."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from salesbench.core.clock import FixedClock
from salesbench.core.errors import Conflict
from salesbench.io.readers import read_sheet
from salesbench.io.sheets import ReadOptions
from salesbench.services.customers import edit_customer
from salesbench.services.import_plan import ImportOptions
from salesbench.services.imports import import_sheet
from salesbench.store.engine import Store
from salesbench.store.locks import advisory_key, file_lock, lock_path
from tests.conftest import NOW, PgDb, rows, snapshot, subprocess_env

pytestmark = pytest.mark.both_backends
SALESBENCH = [sys.executable, "-m", "salesbench"]
WAITING = "waiting for another import into this database"


def start(db: Path | PgDb, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SALESBENCH, *args, "--db", str(db)],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(db: Path | PgDb, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SALESBENCH, *args, "--db", str(db)],
        env=subprocess_env(), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def init(db: Path | PgDb) -> None:
    done = run(db, "init", "--name", "Wang Fang", "--email", "wf@example.com")
    assert done.returncode == 0, done.stderr


def write_customers(path: Path, n: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["name", "number", "contact", "phone", "email", "industry", "city"])
        for i in range(n):
            person = (f"Person {i}", f"+86 138 {i:08d}", f"k{i}@example.com")
            out.writerow([f"Kunde {i:06d}", f"N-{i:06d}", *person, "Retail", "上海"])
    return path


def scratch_files(db: Path | PgDb) -> list[str]:
    if isinstance(db, PgDb):
        return []
    return sorted(p.name for p in db.parent.iterdir() if ".import-" in p.name and ".tmp" in p.name)


def test_two_imports_of_one_file_at_once_give_one_set(db, tmp_path: Path) -> None:
    init(db)
    data = write_customers(tmp_path / "customers.csv", 2_000)
    both = [start(db, "import", "customers", str(data), "--json") for _ in range(2)]
    outcomes = [(p.communicate(timeout=600), p.returncode) for p in both]
    reports = []
    for (out, err), code in outcomes:
        assert code == 0, err
        reports.append(json.loads(out))
    created = sorted(r["created"].get("customer", 0) for r in reports)
    assert created == [0, 2_000]
    second = next(r for r in reports if not r["created"].get("customer"))
    assert second["unchanged"] == 2_000 and not second["updated"]
    assert rows(db, "SELECT count(*), count(DISTINCT name) FROM customer") == [(2_000, 2_000)]
    assert rows(db, "SELECT count(*) FROM contact") == [(2_000,)]
    assert rows(db, "SELECT count(*) FROM import_batch") == [(1,)]
    assert scratch_files(db) == []


def test_imports_of_two_kinds_at_once_make_each_company_once(db, tmp_path: Path) -> None:
    """A contacts file creates the companies it names, as a customers file does: two
    imports of different kinds take turns too, or both would create the same companies."""
    init(db)
    customers = write_customers(tmp_path / "customers.csv", 1_000)
    contacts = tmp_path / "contacts.csv"
    with contacts.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["name", "email", "company"])
        for i in range(1_000):
            out.writerow([f"Buyer {i}", f"b{i}@kunde{i}.example", f"Kunde {i:06d}"])
    both = [
        start(db, "import", "customers", str(customers)),
        start(db, "import", "contacts", str(contacts)),
    ]
    for proc in both:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    # Taking turns, the second plans against what the first wrote, as if run one after
    # the other: contacts after customers join their companies by name; customers after
    # contacts are new records (a same name is weak evidence) listed as look-alikes of the
    # companies the contacts made. Side by side, neither saw the other: 2,000 companies
    # and no look-alike.
    order = [kind for (kind,) in rows(db, "SELECT kind FROM import_batch ORDER BY stamp")]
    assert sorted(order) == ["contacts", "customers"]
    companies = rows(db, "SELECT count(*), count(DISTINCT name) FROM customer")
    lookalikes = rows(db, "SELECT count(*) FROM possible_duplicate")
    if order == ["customers", "contacts"]:
        assert companies == [(1_000, 1_000)] and lookalikes == [(0,)]
    else:
        assert companies == [(2_000, 1_000)] and lookalikes == [(1_000,)]
    assert rows(db, "SELECT count(*) FROM contact") == [(2_000,)]


class HeldImportLock:
    """The import lock, held by this test as another import would."""

    def __init__(self, db: Path | PgDb) -> None:
        self.db = db

    def __enter__(self) -> HeldImportLock:
        if isinstance(self.db, PgDb):
            import psycopg

            self.conn = psycopg.connect(self.db.libpq(), autocommit=True)
            self.conn.execute("SELECT pg_advisory_lock(%s)", (advisory_key("import"),))
        else:
            self.held = file_lock(lock_path(self.db, "import"), wait=0)
            self.held.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.db, PgDb):
            self.conn.close()
        else:
            self.held.__exit__(None, None, None)


def test_an_import_waits_for_the_running_one_says_so_and_plans_on_what_it_wrote(
    db, tmp_path: Path
) -> None:
    init(db)
    data = tmp_path / "one.csv"
    data.write_text("name,industry\nAcme Trading,Retail\n", encoding="utf-8")
    with HeldImportLock(db):
        waiting = start(db, "import", "customers", str(data), "--json")
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # its readiness line: it waits for the lock
        assert WAITING in line, line
        assert waiting.poll() is None
        # what the running import writes meanwhile (here, the same customer by hand)
        added = run(db, "customer", "add", "Acme Trading", "--industry", "Retail")
        assert added.returncode == 0, added.stderr
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    report = json.loads(out)
    assert report["created"] == {} and report["unchanged"] == 1
    assert rows(db, "SELECT count(*) FROM customer") == [(1,)]
    assert rows(db, "SELECT count(*) FROM import_batch") == [(0,)]


def _sheet(path: Path) -> Any:
    return read_sheet(path, ReadOptions())


def test_a_colleague_edit_during_the_import_is_kept_and_the_import_refused(
    db, store: Store, tmp_path: Path
) -> None:
    init(db)
    added = run(db, "customer", "add", "Kunde 000001", "--industry", "Wholesale")
    assert added.returncode == 0, added.stderr
    data = write_customers(tmp_path / "customers.csv", 6_000)  # two chunks: an edit between
    before = snapshot(db)
    edited = []

    def progress(phase: str, _n: int, _total: int) -> None:
        if phase == "writing" and not edited:  # the first chunk is planned, not written
            clock = FixedClock(NOW + timedelta(minutes=5))
            edit_customer(store, "Kunde 000001", {"industry": "Colleague's"}, clock=clock)
            edited.append(True)

    options = ImportOptions(kind="customers", mode="upsert", on_duplicate="update")
    with pytest.raises(Conflict, match="changed while it was being checked"):
        import_sheet(store, _sheet(data), options, now=NOW, progress=progress)
    assert edited
    assert rows(db, "SELECT industry FROM customer WHERE name = 'Kunde 000001'") == [
        ("Colleague's",)
    ]
    after = snapshot(db)
    assert after["import_batch"] == [] and len(after["customer"]) == len(before["customer"])
    assert scratch_files(db) == []


@pytest.mark.sqlite_only
def test_a_dry_run_does_not_wait_for_a_writer(db: Path, tmp_path: Path) -> None:
    init(db)
    data = write_customers(tmp_path / "customers.csv", 50)
    before = snapshot(db)
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock for the whole dry run
        began = time.monotonic()
        done = run(db, "import", "customers", str(data), "--dry-run", "--json", timeout=120)
        took = time.monotonic() - began
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"]["customer"] == 50
    assert "waiting" not in done.stderr
    assert snapshot(db) == before
    assert took < 60, took  # it did not sit out a busy timeout (a lost lock would fail)


@pytest.mark.sqlite_only
def test_the_scratch_file_goes_on_error_and_a_left_one_is_swept(db: Path, tmp_path: Path) -> None:
    init(db)
    left = db.with_name(f".{db.name}.import-customers-0123456789abcdef.tmp")
    left.write_bytes(b"what a killed import left")
    other = db.with_name(f".{db.name}.import-contacts-0123456789abcdef.tmp")  # not ours
    other.write_bytes(b"an import of contacts is using this")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,annual_purchase\nAcme,12x\n", encoding="utf-8")
    failed = run(db, "import", "customers", str(bad))
    assert failed.returncode == 2, failed.stderr
    assert not left.exists() and other.exists()
    assert scratch_files(db) == [other.name]
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]
    good = write_customers(tmp_path / "good.csv", 10)
    assert run(db, "import", "customers", str(good)).returncode == 0
    assert scratch_files(db) == [other.name]
    assert rows(db, "SELECT count(*) FROM customer") == [(10,)]


@pytest.mark.slow
def test_a_long_import_does_not_lock_out_calls_logged_meanwhile(db, tmp_path: Path) -> None:
    init(db)
    assert run(db, "customer", "add", "Walk-in Customer").returncode == 0
    data = write_customers(tmp_path / "big.csv", 200_000)
    importing = start(db, "import", "customers", str(data))
    logs = []
    overlapping = 0
    for n in range(10):
        time.sleep(2)  # spread over the import's life, not a synchronisation
        overlapping += importing.poll() is None
        logs.append(
            start(db, "log", "call", "--customer", "Walk-in Customer", "--summary", f"call {n}")
        )
    for n, proc in enumerate(logs):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (n, err)
    _, err = importing.communicate(timeout=900)
    assert importing.returncode == 0, err
    assert overlapping >= 8  # the calls really were logged while the import ran
    summaries = rows(db, "SELECT summary FROM activity ORDER BY summary")
    assert summaries == [(f"call {n}",) for n in range(10)]
    assert rows(db, "SELECT count(*) FROM customer") == [(200_001,)]
    assert scratch_files(db) == []


def test_a_dry_run_does_not_wait_for_a_running_import(db, tmp_path: Path) -> None:
    init(db)
    data = write_customers(tmp_path / "customers.csv", 20)
    before = snapshot(db)
    with HeldImportLock(db):
        done = run(db, "import", "customers", str(data), "--dry-run", "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    assert WAITING not in done.stderr
    assert json.loads(done.stdout)["created"]["customer"] == 20
    assert snapshot(db) == before
