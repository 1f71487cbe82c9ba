"""Damage, once seen, is sticky: the command that meets a damaged page leaves a private
marker beside the database, and every later command is refused at once, even one that
reads no damaged page, until `doctor` finds the file whole or a `restore` replaces its
content; `doctor`, `backup` and `restore` still run (issue 15)."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import rows
from tests.test_corrupt_db import DAMAGED, filled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.sqlite_only

FIRST = f"{1:032x}"  # the first customer `filled` made: on the customer table's first page
LOG = ("log", "call", "--customer", FIRST, "--summary", "a call")
SEEN = re.compile(r"seen \d{4}-\d\d-\d\d \d\d:\d\d UTC: .+")


def marker(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.damaged")


def scribble_customers(db_path: Path) -> dict[int, bytes]:
    """Scribble the middle of the customer table only (the reps' page and the first
    customers stay whole); the pages as they were, by offset, to mend them again."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        leaves = [
            p
            for (p,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'customer' AND pagetype = 'leaf'"
                " ORDER BY pageno"
            )
        ]
    conn.close()
    assert len(leaves) > 6
    were: dict[int, bytes] = {}
    with db_path.open("r+b") as f:
        for p in leaves[2:-2]:
            at = (p - 1) * page_size + 8
            f.seek(at)
            were[at] = f.read(600)
            f.seek(at)
            f.write(bytes((n * 37 + 11) % 256 for n in range(600)))
    return were


def mend(db_path: Path, were: dict[int, bytes]) -> None:
    with db_path.open("r+b") as f:
        for at, data in were.items():
            f.seek(at)
            f.write(data)


def refused(result, db_path: Path) -> str:
    """The one line a refused command printed (exit 4), naming the database."""
    assert result.exit_code == 4, result.output
    (line,) = result.stderr.splitlines()
    found = DAMAGED.fullmatch(line)
    assert found is not None and found.group(1) == str(db_path), line
    assert "Traceback" not in result.output and "internal error" not in result.output
    return found.group(2)


def calls(db_path: Path) -> int:
    ((count,),) = rows(db_path, "SELECT count(*) FROM activity")
    return int(count)


def test_a_write_on_undamaged_pages_is_refused_once_damage_was_seen(filled, db_path: Path) -> None:  # noqa: F811
    scribble_customers(db_path)
    assert not marker(db_path).exists()
    refused(filled("customer", "list"), db_path)  # it reads every customer: it meets the damage
    assert marker(db_path).is_file()
    assert stat.S_IMODE(marker(db_path).stat().st_mode) == 0o600
    when, what = marker(db_path).read_text("utf-8").splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", when) and what

    before, logged = db_path.read_bytes(), calls(db_path)
    for args in (LOG, ("customer", "add", "Newco"), ("queue",), ("forecast", "--all"), ("tui",)):
        detail = refused(filled(*args), db_path)
        assert SEEN.fullmatch(detail) and what in detail, detail
    assert calls(db_path) == logged  # `log` wrote nothing
    assert db_path.read_bytes() == before
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_without_the_marker_the_same_write_would_have_gone_through(
    filled,  # noqa: F811
    db_path: Path,
) -> None:
    """Why the marker is needed: the damage does not touch the pages `log` uses."""
    scribble_customers(db_path)
    logged = calls(db_path)
    assert filled(*LOG).exit_code == 0
    assert calls(db_path) == logged + 1
    assert not marker(db_path).exists()  # nothing met the damage: nothing to remember


def test_doctor_keeps_the_marker_while_damaged_and_removes_it_once_whole(
    filled,  # noqa: F811
    db_path: Path,
) -> None:
    were = scribble_customers(db_path)
    refused(filled("customer", "list"), db_path)
    assert filled("doctor").exit_code == 1  # doctor runs despite the marker, and says why
    assert marker(db_path).exists()
    refused(filled(*LOG), db_path)

    mend(db_path, were)  # as a repaired disk, or sqlite3 .recover copied back, would leave it
    refused(filled(*LOG), db_path)  # still refused: nothing checks the pages but doctor
    result = filled("doctor")
    assert "integrity_check: ok" in result.output, result.output
    assert "damage seen" in result.output and not marker(db_path).exists()
    logged = calls(db_path)
    assert filled(*LOG).exit_code == 0
    assert calls(db_path) == logged + 1


def test_doctor_finding_damage_leaves_the_marker(filled, db_path: Path) -> None:  # noqa: F811
    scribble_customers(db_path)
    assert filled("doctor").exit_code == 1
    assert marker(db_path).exists()
    logged = calls(db_path)
    refused(filled(*LOG), db_path)
    assert calls(db_path) == logged


def test_restore_removes_the_marker(filled, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    copy = tmp_path / "backup.db"
    assert filled("backup", str(copy)).exit_code == 0
    scribble_customers(db_path)
    refused(filled("customer", "list"), db_path)
    result = filled("restore", str(copy), "--yes")
    assert result.exit_code == 0, result.output
    assert not marker(db_path).exists()
    assert filled("customer", "list").exit_code == 0
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]


def test_backup_is_not_refused_by_the_marker(filled, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    were = scribble_customers(db_path)
    refused(filled("customer", "list"), db_path)
    copy = tmp_path / "backup.db"
    result = filled("backup", str(copy))
    assert result.exit_code == 4 and "damaged" in result.stderr  # as without a marker
    assert not copy.exists()
    mend(db_path, were)  # the pages whole again, the marker still there: backup copies
    assert marker(db_path).exists()
    assert filled("backup", str(copy)).exit_code == 0
    assert rows(copy, "PRAGMA integrity_check") == [("ok",)]
    assert rows(copy, "SELECT count(*) FROM customer") == rows(
        db_path, "SELECT count(*) FROM customer"
    )


def test_a_planted_marker_link_is_not_followed(filled, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me\n", encoding="utf-8")
    marker(db_path).symlink_to(elsewhere)
    logged = calls(db_path)
    refused(filled(*LOG), db_path)  # a marker that is a link still says damage was seen
    assert calls(db_path) == logged
    assert elsewhere.read_text("utf-8") == "keep me\n"


def test_backup_meeting_the_damage_leaves_the_marker(filled, db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    scribble_customers(db_path)
    result = filled("backup", str(tmp_path / "backup.db"))
    assert result.exit_code == 4 and "damaged" in result.stderr, result.output
    assert marker(db_path).exists() and not (tmp_path / "backup.db").exists()
    logged = calls(db_path)
    refused(filled(*LOG), db_path)
    assert calls(db_path) == logged


def test_a_database_whose_header_is_scribbled_is_called_damaged(filled, db_path: Path) -> None:  # noqa: F811
    """Not "no salesbench database": salesbench opened it before (its lock is beside it)."""
    assert filled("queue").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with db_path.open("r+b") as f:
        f.write(b"\x00" * 100)
    detail = refused(filled("customer", "list"), db_path)
    assert "header" in detail
    assert marker(db_path).exists()
    assert filled("doctor").exit_code == 1
