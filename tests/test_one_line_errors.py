"""A damaged database or backup, a full disk, an odd path: one line each, nothing left.

Real salesbench processes on a demo database: what a person sees on stderr is what is
checked, and the file system after it."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, subprocess_env

FSIZE = 50_000  # bytes a process may write to one file: above -shm's 32 KiB, below any export


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database (300 customers, their deals and calls), made once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    made = _run("demo", "--db", str(path))
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _run(
    *args: str, limit: int | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    def small_files() -> None:  # a full disk: writes past `limit` fail (EFBIG, not SIGXFSZ)
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "salesbench", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=subprocess_env(SALESBENCH_NOW=NOW.isoformat()),
        preexec_fn=small_files,
        cwd=cwd,
    )


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[:3000]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    return lines[0]


def _copy_of(db: Path, target: Path) -> Path:
    target.write_bytes(db.read_bytes())
    return target


def _overwrite_pages(path: Path, first: int = 50, count: int = 3) -> None:
    """What the tester did: `count` pages overwritten at offset 4096*`first`."""
    with path.open("r+b") as f:
        f.seek(4096 * first)
        f.write(bytes((n * 131 + 7) % 256 for n in range(4096 * count)))


def test_restore_of_a_damaged_backup_says_so_in_one_line(demo: Path, tmp_path: Path) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    backup = _copy_of(demo, tmp_path / "b.db")
    _overwrite_pages(backup)
    before = live.read_bytes()
    done = _run("restore", "--db", str(live), str(backup), "--yes")
    assert done.returncode == 2
    line = _one_line(done)
    assert "damaged" in line and "this backup cannot be restored" in line, line
    assert "***" not in line
    assert live.read_bytes() == before


def test_backup_of_a_damaged_database_says_so_in_one_line(demo: Path, tmp_path: Path) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    _overwrite_pages(live)
    out = tmp_path / "out"
    out.mkdir()
    done = _run("backup", "--db", str(live), str(out / "copy.db"))
    assert done.returncode == 4
    line = _one_line(done)
    assert "damaged" in line and "run `salesbench doctor`" in line and "***" not in line, line
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["export", "all", "--out"], "all.json"),
        (["export", "customers", "--out"], "customers.csv"),
        (["export", "contacts", "--out"], "contacts.vcf"),
    ],
)
def test_an_export_onto_a_full_disk_names_its_file_and_leaves_nothing(
    demo: Path, tmp_path: Path, command: list[str], name: str
) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    done = _run(*command[:2], "--db", str(live), *command[2:], str(target), limit=FSIZE)
    assert done.returncode == 2, done.stderr
    line = _one_line(done)
    assert line == (
        f"salesbench: error: cannot write {target}: no space left on the device; "
        "nothing was written"
    )
    assert list(out.iterdir()) == []


def test_a_purge_onto_a_full_disk_names_its_file_and_deletes_nothing(
    demo: Path, tmp_path: Path
) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    with sqlite3.connect(live) as conn:
        rep, owned = conn.execute(
            "SELECT owner_id, count(*) FROM customer GROUP BY owner_id ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "purge.json"
    done = _run(
        "rep", "purge", "--db", str(live), rep, "--export", str(target), "--yes", limit=FSIZE
    )
    assert done.returncode == 2, done.stderr
    assert _one_line(done) == (
        f"salesbench: error: cannot write {target}: no space left on the device; "
        "nothing was written"
    )
    assert list(out.iterdir()) == []
    with sqlite3.connect(live) as conn:
        left = conn.execute("SELECT count(*) FROM customer WHERE owner_id = ?", (rep,))
        assert left.fetchone()[0] == owned


def test_a_backup_onto_a_full_disk_leaves_no_journal_behind(demo: Path, tmp_path: Path) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "b.db"
    done = _run("backup", "--db", str(live), str(target), limit=FSIZE)
    assert done.returncode == 2, done.stderr
    line = _one_line(done)
    assert f"cannot write {target}" in line and "nothing was backed up" in line, line
    assert ".part" not in line
    assert os.listdir(out) == []  # no copy, no -journal of the copy


def test_a_question_mark_in_a_db_path_is_part_of_the_name_and_warns_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w15?mode=ro.db"
    made = _run("init", "--db", str(path), "--name", "Wang Fang", "--email", "wf@example.com")
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""  # no SAWarning, no source line of salesbench's
    added = _run("customer", "add", "--db", str(path), "Acme")
    assert added.returncode == 0 and added.stderr == "", added.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM customer").fetchall() == [("Acme",)]
    assert not (tmp_path / "w15").exists()


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("folder", "is a folder"),
        ("/dev/null", "is not a regular file"),
        ("/dev/zero", "is not a regular file"),
        ("empty.db", "is empty"),
        ("missing.db", "no such file"),
    ],
)
def test_restore_says_what_a_source_that_is_no_backup_file_is(
    demo: Path, tmp_path: Path, given: str, said: str
) -> None:
    live = _copy_of(demo, tmp_path / "live.db")
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.db").write_bytes(b"")
    source = given if given.startswith("/") else str(tmp_path / given)
    before = live.read_bytes()
    done = _run("restore", "--db", str(live), source, "--yes")
    assert done.returncode == 2
    line = _one_line(done)
    assert line.startswith(f"salesbench: error: {source}: {said}"), line
    assert line.endswith("nothing was restored"), line
    assert live.read_bytes() == before


def test_a_database_write_the_disk_refuses_is_not_called_damage(demo: Path, tmp_path: Path) -> None:
    """A write SQLite cannot make (EFBIG here; ENOSPC growing -shm alike) is one line
    naming the disk, and leaves no damage marker that would refuse every later command."""
    live = _copy_of(demo, tmp_path / "live.db")
    done = _run("export", "tasks", "--db", str(live), "--out", str(tmp_path / "t.ics"), limit=FSIZE)
    assert done.returncode == 2, done.stderr
    line = _one_line(done)
    assert "damaged" not in line and "the disk refused" in line, line
    assert not (tmp_path / ".live.db.damaged").exists()
    assert _run("rep", "list", "--db", str(live)).returncode == 0


def test_a_refused_value_names_the_option_typed_not_the_field(cli) -> None:
    """`opp edit … --expected-close 2027-02-30` said "expected_close: …": the person
    typed --expected-close, and a script author greps for it."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme").exit_code == 0
    assert cli("opp", "add", "Acme", "Sofa", "--playbook", "retail-5").exit_code == 0
    for args, option in (
        (("opp", "edit", "Sofa", "--expected-close", "2027-02-30"), "--expected-close: "),
        (("opp", "lost", "Sofa", "--reason", ""), "--reason: "),
        (("log", "visit", "--customer", "Acme", "--next-date", "2026-02-30"), "--next-date: "),
        (("customer", "pause", "Acme", "--until", "2020-01-01"), "--until: "),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        line = result.output.strip()
        assert line.startswith(f"salesbench: error: {option}"), (args, line)
        assert "\n" not in line and "_" not in line.split(": ")[2], line


def test_a_reason_of_spaces_is_no_reason_to_lose_a_deal(cli, db) -> None:
    from tests.conftest import rows

    """`opp lost … --reason '   '` closed the deal with "(   )"; the workbench refuses it."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme").exit_code == 0
    assert cli("opp", "add", "Acme", "Sofa", "--playbook", "retail-5").exit_code == 0
    result = cli("opp", "lost", "Sofa", "--reason", "   ")
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "salesbench: error: --reason: is required when an opportunity is lost"
    )
    assert rows(db, "SELECT status, lost_reason FROM opportunity") == [("open", None)]
    kept = cli("opp", "lost", "Sofa", "--reason", "  price  ")
    assert kept.exit_code == 0 and "(price)" in kept.output, kept.output
    assert rows(db, "SELECT status, lost_reason FROM opportunity") == [("lost", "price")]
