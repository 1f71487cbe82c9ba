"""A damaged database gets one clear line from every command and a report from
`doctor`; a read-only one is diagnosed as read-only, never as damage."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.sqlite_only

READERS = [
    ("queue",),
    ("queue", "--json"),
    ("report", "weekly", "--all"),
    ("forecast", "--all"),
    ("customer", "list"),
    ("leaderboard",),
]
WRITERS = [
    ("log", "call", "--customer", "Acme 7", "--summary", "a call"),
    ("customer", "add", "Newco"),
]
COMMANDS = READERS + WRITERS
DAMAGED = re.compile(
    r"salesbench: error: the database at (.+) is damaged \((.+)\): run `salesbench doctor`"
)


@pytest.fixture
def filled(cli, db_path: Path):
    """A database with enough customers, deals and tasks to span many pages."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        ((rep,),) = conn.execute("SELECT id FROM rep").fetchall()
        for n in range(400):
            conn.execute(
                "INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, custom,"
                " created_at, updated_at) VALUES (?, 'company', ?, 'rule', 'active', ?, '{}',"
                " '2026-11-01 00:00:00.000000', '2026-11-01 00:00:00.000000')",
                (f"{n + 1:032x}", f"Acme {n} " + "x" * 150, rep),
            )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return cli


def _scribble(db_path: Path) -> None:
    """Overwrite data pages as a bad disk would: the middle of the customer table and
    the reps' one page, which every command reads (a command that reads no damaged
    page cannot know of the damage; `doctor` finds it wherever it is)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()

        def leaves(table: str) -> list[int]:
            return [
                p
                for (p,) in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'"
                    " ORDER BY pageno",
                    (table,),
                )
            ]

        customers, reps = leaves("customer"), leaves("rep")
    assert len(customers) > 6 and len(reps) == 1
    with db_path.open("r+b") as f:
        for p in [*customers[2:-2], *reps]:
            f.seek((p - 1) * page_size + 8)
            f.write(bytes((n * 37 + 11) % 256 for n in range(600)))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_on_a_damaged_database_says_so_in_one_line(
    filled, db_path: Path, args
) -> None:
    _scribble(db_path)
    before = db_path.read_bytes()
    result = filled(*args)
    assert result.exit_code == 4, result.output
    (line,) = result.stderr.splitlines()
    found = DAMAGED.fullmatch(line)
    assert found is not None and found.group(1) == str(db_path), line
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert db_path.read_bytes() == before  # nothing written
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_doctor_reports_the_damage_without_crashing(filled, db_path: Path) -> None:
    _scribble(db_path)
    result = filled("doctor", "--json")
    assert result.exit_code == 1, result.output
    checks = {c["name"]: c for c in json.loads(result.output)["checks"]}
    integrity = checks["integrity"]
    assert integrity["status"] == "fail"
    assert integrity["detail"].startswith("damaged: integrity_check found ")
    assert "\n" not in integrity["detail"] and "restore" in integrity["fix"]
    assert checks["foreign keys"]["status"] in ("fail", "ok")
    assert "access" not in checks  # damage is not a permissions problem
    text = filled("doctor")
    assert text.exit_code == 1 and "Traceback" not in text.output
    assert text.output.rstrip().endswith("needs fixing: see FAIL above")


# ------------------------------------------------------------------ read-only


@pytest.fixture
def frozen() -> Iterator[list[Path]]:
    """Makes paths read-only for this process: chmod, or for root (who writes through
    any mode) the immutable attribute; undone afterwards."""
    made: list[Path] = []
    yield made
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o700 if path.is_dir() else 0o600)


def _freeze(frozen: list[Path], path: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root writes anywhere, and there is no chattr")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not available here: {done.stderr!r}")
    else:
        path.chmod(0o500 if path.is_dir() else 0o400)
    frozen.append(path)
    assert not os.access(path, os.W_OK)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_read_only_folder_is_diagnosed_as_such(filled, db_path: Path, frozen, args) -> None:
    for side in ("-wal", "-shm"):  # as after the last process closed it
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    before = db_path.read_bytes()
    _freeze(frozen, db_path.parent)
    result = filled(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"salesbench: error: {db_path} is read-only: its folder {db_path.parent} is not "
        "writable, and SQLite keeps its -wal and -shm files beside the database"
    ]
    assert db_path.read_bytes() == before


def test_a_read_only_file_can_be_read_but_not_written(filled, db_path: Path, frozen) -> None:
    _freeze(frozen, db_path)
    assert filled("customer", "list", "--json").exit_code == 0
    result = filled("customer", "add", "Newco")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"salesbench: error: {db_path} is read-only: the file is not writable "
        "(chmod u+w it, or use a copy)"
    ]
    assert rows(db_path, "SELECT count(*) FROM customer WHERE name = 'Newco'") == [(0,)]


@pytest.mark.parametrize("what", ["folder", "file"])
def test_doctor_says_read_only_and_never_advises_a_restore(
    filled, db_path: Path, frozen, what
) -> None:
    _freeze(frozen, db_path.parent if what == "folder" else db_path)
    result = filled("doctor", "--json")
    assert result.exit_code == 1, result.output
    checks = {c["name"]: c for c in json.loads(result.output)["checks"]}
    assert checks["access"]["status"] == "fail"
    assert checks["access"]["detail"].startswith(f"{db_path} is read-only: ")
    assert "do not restore" in checks["access"]["fix"]
    assert checks["integrity"]["status"] == "ok"  # the data itself is sound
    assert not [c for c in checks.values() if "restore the last backup" in c["fix"]]
