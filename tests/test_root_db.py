"""`salesbench --db X …`: the database given before the command is the command's, as
the README says (`--db` on any command overrides SALESBENCH_DB); a command's own
`--db` still wins; with no command it opens that database's queue."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from tests.conftest import NOW, subprocess_env


def names(db: Path) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM customer ORDER BY name")]


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    env_db, given = tmp_path / "env.db", tmp_path / "given.db"
    monkeypatch.setenv("SALESBENCH_DB", str(env_db))
    monkeypatch.setenv("SALESBENCH_NOW", NOW.isoformat())
    runner = CliRunner()
    for db in (env_db, given):
        done = runner.invoke(app, ["init", "--db", str(db), "--name", "A", "--email", "a@x.com"])
        assert done.exit_code == 0, done.output
    return env_db, given


def test_db_before_the_command_is_the_commands_database(two) -> None:
    env_db, given = two
    runner = CliRunner()
    added = runner.invoke(app, ["--db", str(given), "customer", "add", "Lotus"])
    assert added.exit_code == 0, added.output
    assert names(given) == ["Lotus"] and names(env_db) == []
    listed = runner.invoke(app, ["--db", str(given), "customer", "list"])
    assert "Lotus" in listed.output
    # the command's own --db wins over the one before it
    own = runner.invoke(app, ["--db", str(given), "customer", "add", "Peony", "--db", str(env_db)])
    assert own.exit_code == 0, own.output
    assert names(env_db) == ["Peony"] and names(given) == ["Lotus"]
    # without --db, SALESBENCH_DB as before
    assert runner.invoke(app, ["customer", "add", "Orchid"]).exit_code == 0
    assert names(env_db) == ["Orchid", "Peony"]


def test_db_before_no_command_shows_that_databases_queue(two) -> None:
    _, given = two
    runner = CliRunner()
    runner.invoke(app, ["--db", str(given), "customer", "add", "Lotus"])
    # a follow-up due today, on the given database only
    logged = runner.invoke(
        app,
        ["--db", str(given), "log", "call", "--customer", "Lotus", "--next", "Call Lotus back",
         "--next-date", "2026-11-23"],
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    shown = runner.invoke(app, ["--db", str(given)])
    assert shown.exit_code == 0, shown.output
    assert "Call Lotus back" in shown.output
    assert "Call Lotus back" not in runner.invoke(app, []).output


def test_as_a_subprocess_a_new_database_before_the_command_gets_nothing_of_the_others(
    two, tmp_path: Path
) -> None:
    env_db, _ = two
    nowhere = tmp_path / "new" / "x.db"
    done = subprocess.run(
        [sys.executable, "-m", "salesbench", "--db", str(nowhere), "customer", "add", "Lotus"],
        env=subprocess_env(env_db),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "there is no rep yet" in done.stderr  # the new database's, not SALESBENCH_DB's
    assert names(nowhere) == [] and names(env_db) == []
