"""The installed command as a shell script sees it: exit codes, streams, no prompts."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from salesbench import __version__
from tests.conftest import subprocess_env


def run(*args: str, db: Path | None = None, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "salesbench", *args],
        env=subprocess_env(db),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        **kw,
    )


def test_version_via_module_and_console_script() -> None:
    assert run("--version").stdout.strip() == f"salesbench {__version__}"
    script = shutil.which("salesbench", path=os.path.dirname(sys.executable))
    assert script is not None
    out = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"salesbench {__version__}"


def test_init_makes_a_private_wal_database(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    done = run("init", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_bad_input_is_one_line_on_stderr_with_exit_2(tmp_path: Path, new_sqlite_db) -> None:
    db = new_sqlite_db(tmp_path / "x.db")
    run("init", "--name", "A", "--email", "a@example.com", db=db)
    done = run("customer", "add", "Bad", "--grade", "Z", db=db)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "salesbench: error: --grade: unknown value 'Z' (expected one of: A, B, C)"
    ]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("customer", "add", db=tmp_path / "x.db").returncode == 2  # missing NAME
    assert run("no-such-command").returncode == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("queue", "--bogus"), "No such option: --bogus (see `salesbench queue -h`)"),
        (("--bogus",), "No such option: --bogus (see `salesbench -h`)"),
        (("opp", "lsit"), "No such command 'lsit'. Did you mean"),
        (("customer", "add"), "Missing argument 'name' (see `salesbench customer add -h`)"),
        (("search", "li", "--limit", "0"), "Invalid value for '--limit'"),
    ],
)
def test_a_usage_error_is_one_line_naming_the_option_and_where_help_is(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    """Typer drew a box of five lines; a script author reads one line, as for every
    other refusal."""
    done = run(*args, db=tmp_path / "x.db")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("salesbench: error: "), done.stderr
    assert said in lines[0], lines[0]
    assert "╭" not in done.stderr and "Usage:" not in done.stderr


def test_not_found_exits_3(tmp_path: Path, new_sqlite_db) -> None:
    db = new_sqlite_db(tmp_path / "x.db")
    run("init", "--name", "A", "--email", "a@example.com", db=db)
    done = run("opp", "show", "nothing-here", db=db)
    assert done.returncode == 3 and "no opportunity matches" in done.stderr


def test_unusable_database_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    done = run("customer", "list", "--db", str(bad))
    assert done.returncode == 2  # a --db that is no database is bad input, like any option
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.slow  # five processes
def test_a_reader_that_leaves_early_gets_no_error_message(tmp_path: Path, new_sqlite_db) -> None:
    """`salesbench ... | head -1`: when the reader has gone, the command ends quietly,
    with no "Broken pipe" message and no traceback on stderr."""
    db = new_sqlite_db(tmp_path / "small.db")
    env = subprocess_env(db)
    subprocess.run(
        [sys.executable, "-m", "salesbench", "init", "--name", "Wang Fang", "--email", "wf@x.io"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    for args in (["export", "reps"], ["rep", "list", "--json"], ["queue"], ["import", "--help"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first byte: every write fails
        try:
            done = subprocess.run(
                [sys.executable, "-m", "salesbench", *args],
                env=env, stdout=write_end, stderr=subprocess.PIPE, timeout=60,
            )  # fmt: skip
        finally:
            os.close(write_end)
        assert done.stderr.decode() == "", (args, done.stderr)
        assert done.returncode in (1, 141), (args, done.returncode)
