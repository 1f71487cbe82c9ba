"""Restore cannot lose work: the backup is checked whole before anything changes, it
is refused while another salesbench process has the database open, it copies into the
live file (same inode) rather than swapping it, and a process whose database file was
removed or replaced under it stops instead of writing into the void (issue 15)."""

from __future__ import annotations

import csv
import fcntl
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import count_rows, subprocess_env

pytestmark = pytest.mark.xdist_group("writers")

OPEN_ELSEWHERE = "the database is open in another salesbench process"
GONE = "was removed or replaced while salesbench had it open: nothing was written; start again"

# A salesbench process that keeps its Store open, as the workbench does, and writes a
# customer through the service layer for each name read on stdin.
HOLDER = r"""
import sys
from salesbench.core.clock import SystemClock
from salesbench.core.errors import SalesbenchError
from salesbench.services.customers import add_customer
from salesbench.services.session import open_store

store = open_store(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    try:
        add_customer(store, {"name": line.strip()}, clock=SystemClock(), owner="wf@example.com")
    except SalesbenchError as exc:
        print(f"error {exc.exit_code}: {exc}", flush=True)
        sys.exit(exc.exit_code)
    print("saved", flush=True)
store.close()
"""


def salesbench(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "salesbench", *args, "--db", str(db)],
        env=subprocess_env(), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def holder(db: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        env=subprocess_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def files(db: Path) -> dict[str, bytes]:
    """The database's bytes: its file and its write-ahead log."""
    return {p.name: p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists()}


def names(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM customer ORDER BY name")]


@pytest.fixture
def live(cli, db_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A database with one customer, its backup, then a second customer newer than it."""
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Backed Up Co")
    copy = tmp_path / "backup.db"
    assert cli("backup", str(copy)).exit_code == 0
    cli("customer", "add", "Newest Co")
    return db_path, copy


def test_a_backup_from_a_newer_schema_is_refused_before_anything_changes(cli, live) -> None:
    db, copy = live
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = files(db)
    refused = cli("restore", str(copy), "--yes")
    assert refused.exit_code in (2, 4)
    assert "0099" in refused.output and "nothing was restored" in refused.output
    assert files(db) == before
    assert names(db) == ["Backed Up Co", "Newest Co"]
    assert cli("customer", "list").exit_code == 0  # the live database still works


def test_a_damaged_or_incomplete_backup_is_refused_before_anything_changes(
    cli, live, tmp_path: Path
) -> None:
    db, copy = live
    before = files(db)
    damaged = tmp_path / "damaged.db"
    image = bytearray(copy.read_bytes())
    page = 4096
    for at in range(3 * page, len(image) - page, page):  # scribble over data pages
        image[at + 8 : at + 400] = b"\xa5" * 392
    damaged.write_bytes(bytes(image))
    refused = cli("restore", str(damaged), "--yes")
    assert refused.exit_code in (2, 4) and "nothing was restored" in refused.output
    assert files(db) == before

    partial = tmp_path / "partial.db"
    partial.write_bytes(copy.read_bytes())
    with sqlite3.connect(partial) as conn:
        conn.execute("DROP TABLE task")
    refused = cli("restore", str(partial), "--yes")
    assert refused.exit_code in (2, 4) and "task" in refused.output
    assert files(db) == before and names(db) == ["Backed Up Co", "Newest Co"]


def test_restore_with_nothing_else_open_copies_into_the_same_file(cli, live) -> None:
    db, copy = live
    inode = db.stat().st_ino
    assert cli("restore", str(copy), "--yes").exit_code == 0
    assert db.stat().st_ino == inode
    assert names(db) == ["Backed Up Co"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_repairs_a_live_database_too_damaged_to_copy_into(cli, live) -> None:
    """`doctor` sends the owner of a damaged database to `restore`: a live file whose
    header is gone cannot take the backup API's copy, so it is replaced whole (under
    the same lock: no other salesbench process has it open)."""
    db, copy = live
    image = bytearray(db.read_bytes())
    image[:100] = b"\x00" * 100
    db.write_bytes(bytes(image))
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    done = cli("restore", str(copy), "--yes")
    assert done.exit_code == 0, done.output
    assert names(db) == ["Backed Up Co"] and db.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [p.name for p in db.parent.glob(f".{db.name}.*.part")] == []


def test_restore_is_refused_while_a_workbench_has_the_database_open(cli, live) -> None:
    db, copy = live
    proc = holder(db)
    try:
        refused = salesbench(db, "restore", str(copy), "--yes")
        assert refused.returncode == 4, refused.stderr
        assert OPEN_ELSEWHERE in refused.stderr and "nothing was restored" in refused.stderr
        assert f"pid {proc.pid} (" in refused.stderr  # which process, where Linux says
        assert len(refused.stderr.strip().splitlines()) == 1
        assert names(db) == ["Backed Up Co", "Newest Co"]
        # the open process keeps working on the database it has, which is still there
        proc.stdin.write("Still Here Co\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        assert proc.stdout.readline().strip() == "saved"  # type: ignore[union-attr]
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        assert proc.wait(timeout=60) == 0
    assert names(db) == ["Backed Up Co", "Newest Co", "Still Here Co"]
    assert salesbench(db, "restore", str(copy), "--yes").returncode == 0
    assert names(db) == ["Backed Up Co"]


def _held(lock: Path) -> bool:
    """Whether some process holds the lock file (a try to take it exclusively fails)."""
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.mark.slow
def test_restore_during_a_long_import_is_refused_and_no_row_is_lost(
    cli, live, tmp_path: Path
) -> None:
    db, copy = live
    rows = 200_000
    data = tmp_path / "customers.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "industry", "email"])
        for n in range(rows):
            writer.writerow([f"Imported {n:06d}", "retail", f"c{n}@example.com"])
    importing = subprocess.Popen(
        [sys.executable, "-m", "salesbench", "import", "customers", str(data), "--db", str(db)],
        env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lock = db.with_name(f".{db.name}.open.lock")
    deadline = time.monotonic() + 120
    while not _held(lock):  # the import has opened the database
        assert importing.poll() is None, importing.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    refused = salesbench(db, "restore", str(copy), "--yes")
    still_running = importing.poll() is None
    out, err = importing.communicate(timeout=600)
    assert importing.returncode == 0, err
    assert refused.returncode == 4 and OPEN_ELSEWHERE in refused.stderr
    assert f"pid {importing.pid} (salesbench import customers" in refused.stderr
    assert still_running  # the refusal came while the import was at work
    assert "200,000" in out
    assert count_rows(db, "customer") == rows + 2  # every row it reported is there


def test_a_write_after_the_database_was_removed_stops_and_recreates_nothing(cli, live) -> None:
    db, _ = live
    proc = holder(db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    proc.stdin.write("Into The Void Co\n")  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    said = proc.stdout.read()  # type: ignore[union-attr]
    assert proc.wait(timeout=60) == 4
    assert said.strip() == f"error 4: the database file {db} {GONE}"
    assert not db.exists()


def test_a_write_after_the_database_was_replaced_stops(cli, live, tmp_path: Path) -> None:
    db, copy = live
    proc = holder(db)
    swapped = tmp_path / "swapped.db"
    swapped.write_bytes(copy.read_bytes())
    os.replace(swapped, db)
    before = files(db)
    proc.stdin.write("Into The Void Co\n")  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    said = proc.stdout.read()  # type: ignore[union-attr]
    assert proc.wait(timeout=60) == 4
    assert GONE in said
    assert files(db) == before and names(db) == ["Backed Up Co"]


def test_a_writer_that_waits_says_what_it_waits_for(cli, live) -> None:
    db, _ = live
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("UPDATE customer SET name = name")
    waiting = subprocess.Popen(
        [sys.executable, "-m", "salesbench", "customer", "add", "Patient Co", "--db", str(db)],
        env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = waiting.stderr.readline()  # type: ignore[union-attr]
        assert "waiting for another salesbench process to finish writing to" in line
        assert str(db) in line
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    _out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "locked" not in err and "Patient Co" in names(db)


async def test_the_workbench_says_its_database_was_removed_and_recreates_nothing(cli, live) -> None:
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.queue_screen import QueueScreen
    from tests.conftest import NOW
    from tests.tui_support import record_notices, settle

    db, _ = live
    cli("customer", "add", "Walk-in", "--kind", "person")
    assert cli("opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5").exit_code == 0
    app = SalesbenchApp(db=str(db), clock=FixedClock(NOW), clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen) and screen.order
        task = screen.order[0]
        refused = salesbench(db, "restore", str(live[1]), "--yes")
        assert refused.returncode == 4 and OPEN_ELSEWHERE in refused.stderr
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        app.finish(task, "done", then=lambda: None)
        await settle(pilot)
        await pilot.press("r")  # and a refresh reads nothing from a new, empty file
        await settle(pilot)
    errors = [n.message for n in notices if n.severity == "error"]
    assert f"the database file {db} {GONE}" in errors
    assert not any(n.message.startswith("Done") for n in notices)
    assert not db.exists()


def test_an_older_backup_is_restored_into_the_same_file_and_upgraded(
    cli, live, tmp_path: Path
) -> None:
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import HEAD_REVISION, upgrade

    db, _ = live
    old = tmp_path / "old.db"
    engine = make_engine(resolve(str(old)))
    upgrade(engine, "0005")
    engine.dispose()
    with sqlite3.connect(old) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    inode = db.stat().st_ino
    restored = salesbench(db, "restore", str(old), "--yes", timeout=120)
    assert restored.returncode == 0, restored.stderr
    assert db.stat().st_ino == inode
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 0


def test_the_holder_is_named_as_the_command_a_person_typed(tmp_path: Path) -> None:
    """Started through the console script (`…/.venv/bin/salesbench`), a holder is named
    "salesbench …", not by its interpreter's path."""
    import shutil

    from salesbench.services.backup import lock_holders
    from salesbench.store.locks import file_lock, lock_path

    script = shutil.which("salesbench") or str(Path(sys.executable).parent / "salesbench")
    lock = lock_path(tmp_path / "x.db", "open")
    hold = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from salesbench.store.locks import file_lock\n"
        "with file_lock(Path(sys.argv[1]), shared=True):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", hold, str(lock), script, "queue", "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with file_lock(lock, shared=True, wait=0):
            pass
        assert f"pid {proc.pid} (salesbench queue --json)" in lock_holders(lock)
    finally:
        proc.kill()
        proc.wait()
