"""`salesbench doctor` finds each problem it claims to, and says what to do."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import count_rows


@pytest.fixture
def healthy(cli, db_path: Path):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Acme")
    return cli


def report(cli, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("doctor", "--json", *args)
    data = json.loads(result.output)
    return result.exit_code, {(c["area"], c["name"]): c for c in data["checks"]}


def test_a_healthy_database_passes(healthy) -> None:
    code, checks = report(healthy)
    assert code == 0
    for name in ("integrity", "foreign keys", "journal", "schema", "privacy"):
        assert checks[("database", name)]["status"] == "ok", name
    assert {("tools", "clipboard"), ("tools", "notifications")} <= set(checks)
    text = healthy("doctor")
    assert text.exit_code == 0 and text.output.rstrip().endswith("all good")


def test_a_file_others_can_read_needs_fixing(healthy, db_path: Path) -> None:
    db_path.chmod(0o644)
    result = healthy("doctor", "--json")
    assert result.exit_code == 1
    # one line per file: the -shm file, if SQLite made it meanwhile, takes the same mode
    privacy = [c for c in json.loads(result.output)["checks"] if c["name"] == "privacy"]
    assert {c["status"] for c in privacy} == {"fail"}
    assert f"chmod 600 {db_path}" in [c["fix"] for c in privacy]


def test_a_broken_reference_is_found(healthy, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:  # foreign keys are off in a bare connection
        conn.execute("UPDATE customer SET owner_id = '000000000000000000000000000000ff'")
    code, checks = report(healthy)
    assert code == 1
    found = checks[("database", "foreign keys")]
    assert found["status"] == "fail" and "customer" in found["detail"]


def test_a_damaged_file_is_found(healthy, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for n in range(page * 2 + 100, min(len(data), page * 6), 7):
        data[n] = 0xA5  # scribble over some b-tree pages, keep the header
    db_path.write_bytes(bytes(data))
    code, checks = report(healthy)
    assert code == 1
    assert checks[("database", "integrity")]["status"] == "fail"
    assert "restore" in checks[("database", "integrity")]["fix"]


@pytest.mark.empty_db
def test_missing_database_and_pending_migration(cli, db_path: Path, tmp_path: Path) -> None:
    code, checks = report(cli)
    assert code == 1 and checks[("database", "file")]["status"] == "fail"
    assert count_rows(db_path, "rep") == 0 and not db_path.exists()  # doctor creates nothing
    old = tmp_path / "old.db"
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import upgrade

    engine = make_engine(resolve(str(old)))
    upgrade(engine, "0004")
    engine.dispose()
    code, checks = report(cli, "--db", str(old))
    assert code == 0
    schema = checks[("database", "schema")]
    assert schema["status"] == "warn" and "db upgrade" in schema["fix"]


def test_settings_that_point_nowhere(healthy, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_REP", "nobody@example.com")
    monkeypatch.setenv("SALESBENCH_TIMEZONE", "Mars/Olympus")
    code, checks = report(healthy)
    assert code == 1
    assert checks[("config", "rep")]["status"] == "fail"
    assert checks[("config", "timezone")]["status"] == "fail"
    assert checks[("config", "clock")]["status"] == "warn"  # the test pins SALESBENCH_NOW
