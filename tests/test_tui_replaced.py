"""A workbench whose database file is replaced or removed under it stops cleanly: the
one line (shown in the app, then printed once the screen is closed), exit code 4, no
traceback, nothing recreated (issue 15)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, subprocess_env

pytestmark = pytest.mark.xdist_group("writers")

GONE = "was removed or replaced while salesbench had it open: nothing was written; start again"


@pytest.fixture
def two_files(cli, db_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The live database with a deal (so the queue has a task), and another database."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Walk-in", "--kind", "person")
    assert cli("opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5").exit_code == 0
    other = tmp_path / "new.db"
    made = subprocess.run(
        [sys.executable, "-m", "salesbench", "init", "--name", "Li Lei", "--email",
         "ll@example.com", "--db", str(other)],
        env=subprocess_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return db_path, other


async def _stopped_after(db: Path, change, key: str):
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.queue_screen import QueueScreen
    from tests.tui_support import record_notices, settle

    app = SalesbenchApp(db=str(db), clock=FixedClock(NOW), clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.order
        change()
        await pilot.press(key)
        await settle(pilot)
    return app, notices


@pytest.mark.parametrize("key", ["j", "r"])
async def test_the_workbench_stops_when_its_file_is_replaced(two_files, key) -> None:
    db, other = two_files
    before = other.read_bytes()

    def replace() -> None:
        os.replace(other, db)  # mv new.db live.db

    app, notices = await _stopped_after(db, replace, key)
    assert app.return_code == 4
    assert app.stopped_by == f"the database file {db} {GONE}"
    assert [n.message for n in notices if n.severity == "error"] == [app.stopped_by]
    assert db.read_bytes()[:100] == before[:100]  # the new file as it was moved in


async def test_the_workbench_stops_when_its_file_is_removed(two_files) -> None:
    db, _ = two_files

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    app, _notices = await _stopped_after(db, remove, "j")
    assert app.return_code == 4 and app.stopped_by is not None and GONE in app.stopped_by
    assert not db.exists()  # nothing recreated


async def test_a_write_after_the_file_was_replaced_stops_the_workbench(two_files) -> None:
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import record_notices, settle

    db, other = two_files
    app = SalesbenchApp(db=str(db), clock=FixedClock(NOW), clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        task = screen.order[0]  # type: ignore[attr-defined]
        app.warm_up()
        await settle(pilot)
        os.replace(other, db)
        app.finish(task, "done", then=lambda: None)
        await settle(pilot)
    assert app.return_code == 4 and app.stopped_by is not None and GONE in app.stopped_by
    assert not any(n.message.startswith("Done") for n in notices)


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_salesbench_tui_exits_4_with_one_line_when_its_file_was_removed(two_files) -> None:
    """As a process on a terminal: the file goes, `j` is pressed; exit 4, the line on
    the terminal after the screen closed, no traceback."""
    db, _ = two_files
    command = f"{sys.executable} -m salesbench tui --db {db}"
    proc = subprocess.Popen(
        ["script", "-qefc", command, "/dev/null"],
        env=subprocess_env(SALESBENCH_NOW=NOW.isoformat(), TERM="xterm-256color"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    seen = b""
    while b"Walk-in" not in seen:  # the queue is on screen
        chunk = os.read(proc.stdout.fileno(), 65536)
        assert chunk, seen.decode(errors="replace")
        seen += chunk
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    proc.stdin.write(b"j")
    proc.stdin.flush()
    out, _ = proc.communicate(timeout=120)
    text = (seen + out).decode(errors="replace")
    assert proc.returncode == 4, text[-2000:]
    # the terminal wraps the line anywhere, even inside the path: compare without spaces
    said = "".join(text.split())
    assert "".join(f"salesbench: error: the database file {db} {GONE}".split()) in said
    assert "Traceback" not in text
    assert not db.exists()


def test_the_fast_reader_never_creates_a_file_that_went_while_it_looked(
    two_files, monkeypatch
) -> None:
    """The raw reader checks the file's revision and then connects: a file removed in
    between must not be created empty (it was: "no such table: rep", a traceback)."""
    from salesbench.core.errors import DatabaseUnusable
    from salesbench.store import migrate
    from salesbench.store.open import open_store
    from salesbench.store.raw import store_rows

    db, _ = two_files
    store = open_store(str(db), lazy=True)
    real = migrate.sqlite_revision

    def then_gone(path: Path):
        found = real(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return found

    monkeypatch.setattr(migrate, "sqlite_revision", then_gone)
    try:
        with pytest.raises(DatabaseUnusable, match="was removed or replaced"), store_rows(store):
            pass
    finally:
        store.close()
    assert not db.exists()  # nothing recreated


def test_a_read_in_flight_when_the_file_goes_says_so_not_disk_io_error(two_files) -> None:
    """The reader is connected and another process holds the file in WAL mode when the
    file goes: SQLite answers the next statement with "disk I/O error" (an fstat on a
    removed file). That is the file gone, not a damaged disk; it was a traceback and
    exit 1 from the workbench when a refresh was reading at that moment."""
    import sqlite3

    from salesbench.core.errors import DatabaseReplaced
    from salesbench.store.open import open_store
    from salesbench.store.raw import store_rows

    db, other = two_files
    store = open_store(str(db), lazy=True)
    holder = None
    try:
        # replaced: a read begun on the old file ends on it (one consistent snapshot,
        # never half of each); the workbench's next look sees the change and stops
        with store_rows(store) as rows:
            db.unlink()
            shutil.copy(other, db)
            assert [r["name"] for r in rows.all("SELECT name FROM rep")] == ["Wang Fang"]
        holder = sqlite3.connect(db)  # the workbench's writer, say, holding the WAL
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("SELECT count(*) FROM rep").fetchall()
        gone = pytest.raises(DatabaseReplaced, match="was removed or replaced")
        with gone, store_rows(store) as rows:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            rows.all("SELECT name FROM rep")
    finally:
        store.close()
        if holder is not None:
            holder.close()
    assert not db.exists()  # nothing recreated
