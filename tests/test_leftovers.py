"""What salesbench leaves beside a database: nothing beside a file that is no database
(a text file, a picture, a folder, another program's SQLite file), nothing beside a
backup it made or restored from, and beside a live database only the lock files,
which must stay (issue 15)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import rows
from tests.test_corrupt_db import _freeze, frozen  # noqa: F401 (a fixture)

pytestmark = pytest.mark.sqlite_only

# Lock files of a real database may stay: flock locks belong to the open file, so
# unlinking one while another process holds or waits for it would let a third lock a
# new file of the same name beside it, and the two would exclude nothing.
LOCKS = {".sales.db.open.lock", ".sales.db.migrate.lock", ".sales.db.import.lock"}


def beside(folder: Path, *stems: str) -> set[str]:
    """The names in `folder` that belong to the files `stems`: the files, their -wal,
    -shm and -journal, and any hidden file salesbench names after them."""
    return {p.name for p in folder.iterdir() if any(s in p.name for s in stems)}


def _text(path: Path) -> None:
    path.write_text("Dear customer,\nthank you.\n", encoding="utf-8")


def _png(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def _folder(path: Path) -> None:
    path.mkdir()


def _other_program(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
        conn.execute("INSERT INTO bookmarks VALUES ('https://example.com')")
    conn.close()


MAKERS = {"text": _text, "png": _png, "folder": _folder, "other-sqlite": _other_program}
COMMANDS = [
    ("queue",),
    ("customer", "list"),
    ("log", "call", "--customer", "Acme", "--summary", "a call"),
    ("init", "--name", "Wang Fang", "--email", "wf@example.com"),
]


def _content(path: Path) -> bytes | list[str]:
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else path.read_bytes()


@pytest.mark.empty_db
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", MAKERS)
def test_a_db_that_is_no_database_is_refused_and_nothing_is_made_beside_it(
    cli, tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    target = shelf / "letter"
    MAKERS[kind](target)
    before, content = beside(shelf, "letter"), _content(target)
    result = cli(*args, "--db", str(target))
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"salesbench: error: --db: {target} is not a salesbench database")
    assert "internal error" not in line and "Traceback" not in result.output
    assert beside(shelf, "letter") == before  # no lock file, no -wal, -shm or -journal
    assert _content(target) == content


def test_a_live_database_keeps_only_its_lock_files_beside_it(cli, db_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Acme")
    assert cli("queue").exit_code == 0
    assert beside(db_path.parent, "sales.db") <= {"sales.db", *LOCKS}


def test_backup_leaves_no_wal_or_shm_beside_the_backup_or_the_database(
    cli, db_path: Path, tmp_path: Path
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Acme")
    assert beside(tmp_path, "sales.db") <= {"sales.db", *LOCKS}
    assert cli("backup", str(tmp_path / "backup.db")).exit_code == 0
    assert beside(tmp_path, "backup.db") == {"backup.db"}
    assert beside(tmp_path, "sales.db") <= {"sales.db", *LOCKS}
    assert rows(tmp_path / "backup.db", "SELECT name FROM customer") == [("Acme",)]


def test_restore_leaves_no_wal_or_shm_beside_the_backup_or_the_database(
    cli, db_path: Path, tmp_path: Path
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Acme")
    copy = tmp_path / "backup.db"
    assert cli("backup", str(copy)).exit_code == 0
    cli("customer", "add", "Later Co")
    assert cli("restore", str(copy), "--yes").exit_code == 0
    assert beside(tmp_path, "backup.db") == {"backup.db"}
    assert beside(tmp_path, "sales.db") <= {"sales.db", *LOCKS}
    assert rows(db_path, "SELECT name FROM customer") == [("Acme",)]


def test_a_refused_restore_leaves_nothing_beside_the_backup(
    cli, db_path: Path, tmp_path: Path
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    copy = tmp_path / "backup.db"
    assert cli("backup", str(copy)).exit_code == 0
    with sqlite3.connect(copy) as conn:  # as a newer salesbench would have left it
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    assert beside(tmp_path, "backup.db") == {"backup.db"}
    assert cli("restore", str(copy), "--yes").exit_code == 2
    assert beside(tmp_path, "backup.db") == {"backup.db"}


@pytest.mark.parametrize("args", COMMANDS[:3], ids=" ".join)
def test_a_read_only_folder_is_left_as_it_was(
    cli,
    db_path: Path,
    frozen,  # noqa: F811
    args: tuple[str, ...],
) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    cli("customer", "add", "Acme")
    for side in ("-wal", "-shm"):  # as after the last process closed it
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    for lock in LOCKS:
        db_path.with_name(lock).unlink(missing_ok=True)
    before, content = beside(db_path.parent, "sales.db"), db_path.read_bytes()
    _freeze(frozen, db_path.parent)
    result = cli(*args)
    assert result.exit_code in (0, 2), result.output  # a write is refused as read-only
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert beside(db_path.parent, "sales.db") == before == {"sales.db"}
    assert db_path.read_bytes() == content


def test_doctor_leaves_no_wal_or_shm_beside_the_database(cli, db_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    assert beside(db_path.parent, "sales.db") <= {"sales.db", *LOCKS}
    result = cli("doctor")
    assert "integrity_check: ok" in result.output, result.output
    assert beside(db_path.parent, "sales.db") <= {"sales.db", *LOCKS}
