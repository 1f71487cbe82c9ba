"""`restore` that must wait for another process's write says so, as every writer does
(issue 15), then restores once the write is over."""

from __future__ import annotations

import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from salesbench.store.engine import BUSY_TIMEOUT_MS
from tests.conftest import subprocess_env

pytestmark = pytest.mark.xdist_group("writers")

WAITING = "salesbench: waiting for another salesbench process to finish writing to"

# Holds SQLite's write lock on the file until a line arrives on stdin.
WRITER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_restore_says_it_waits_for_a_writer_then_restores(cli, db_path: Path, tmp_path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Backed Up Co")
    copy = tmp_path / "backup.db"
    assert cli("backup", str(copy)).exit_code == 0
    cli("customer", "add", "Newer Co")

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "holding"
    restore = subprocess.Popen(
        [sys.executable, "-m", "salesbench", "restore", str(copy), "--yes", "--db", str(db_path)],
        env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert restore.stderr is not None
        # the readiness line: it waits, and says so (long before its busy timeout)
        ready, _, _ = select.select([restore.stderr], [], [], BUSY_TIMEOUT_MS / 1000 / 2)
        assert ready, "restore waited without saying so"
        line = restore.stderr.readline()
        assert line.startswith(WAITING) and str(db_path) in line, line
        with sqlite3.connect(db_path) as conn:  # nothing restored yet
            assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 2
    except BaseException:
        restore.kill()
        raise
    finally:
        writer.stdin.write("\n")
        writer.stdin.close()
        writer.wait(timeout=60)
    out, err = restore.communicate(timeout=120)
    assert restore.returncode == 0, err
    assert "restored" in out and "Traceback" not in err
    with sqlite3.connect(db_path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM customer")]
    assert names == ["Backed Up Co"]
