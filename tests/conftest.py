from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core.clock import FixedClock
from salesbench.store.engine import Store
from salesbench.store.open import open_store

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's real database or inherit their settings."""
    for var in ("SALESBENCH_DB", "SALESBENCH_REP", "SALESBENCH_NOW", "SALESBENCH_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sales.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(str(db_path))
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run a salesbench command in-process against the test database."""
    runner = CliRunner()
    monkeypatch.setenv("SALESBENCH_DB", str(db_path))
    monkeypatch.setenv("SALESBENCH_NOW", NOW.isoformat())

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


def count_rows(db_path: Path, table: str) -> int:
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            return 0
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def subprocess_env(db_path: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESBENCH_")}
    if db_path is not None:
        env["SALESBENCH_DB"] = str(db_path)
    env.update(extra)
    return env
