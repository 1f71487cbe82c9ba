"""First open by several processes at once: creating and migrating a new database is
serialised (a lock file beside a SQLite database, an advisory lock on PostgreSQL), so
every one of them gets a database at the head revision and none fails (issue 15)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesbench.store.migrate import HEAD_REVISION
from tests.conftest import PG_ENV, subprocess_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("writers")]
PROCESSES = 6


def at_once(db: str) -> list[subprocess.CompletedProcess[str]]:
    """`customer list --json` on `db` by PROCESSES processes started together."""
    command = [sys.executable, "-m", "salesbench", "customer", "list", "--json", "--db", db]
    env, pipe = subprocess_env(), subprocess.PIPE
    procs = [
        subprocess.Popen(command, env=env, stdout=pipe, stderr=pipe, text=True)
        for _ in range(PROCESSES)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def all_fine(done: list[subprocess.CompletedProcess[str]]) -> None:
    assert [p.returncode for p in done] == [0] * PROCESSES, [p.stderr for p in done]
    assert all(json.loads(p.stdout) == [] for p in done)
    assert not any("locked" in p.stderr or "error" in p.stderr for p in done)


def test_six_first_opens_of_a_new_sqlite_database_all_succeed(tmp_path: Path) -> None:
    db = tmp_path / "new" / "sales.db"
    all_fine(at_once(str(db)))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def fresh_pg() -> Iterator[str]:
    """A new, empty PostgreSQL database (not cloned from the migrated template)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"set {PG_ENV} to run the PostgreSQL leg")
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"sb_first_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_six_first_opens_of_a_new_postgresql_database_all_succeed(fresh_pg: str) -> None:
    import psycopg

    all_fine(at_once(fresh_pg))
    with psycopg.connect(fresh_pg.replace("postgresql+psycopg://", "postgresql://")) as conn:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert found == [(HEAD_REVISION,)]
