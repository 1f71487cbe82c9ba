"""`export all` then `import all` into an empty database gives back the same data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from salesbench.services.bundle import DERIVED
from tests.conftest import count_rows, snapshot, subprocess_env

pytestmark = pytest.mark.both_backends


def test_demo_round_trips_through_the_bundle(cli, db, other_db, tmp_path: Path) -> None:
    assert cli("demo", "--customers", "60").exit_code == 0
    # an import batch with an update, so those tables travel too
    csv = tmp_path / "more.csv"
    csv.write_text("name,industry\nRound Trip Co,retail\n", encoding="utf-8")
    rep = ("--rep", "rep1@demo.salesbench.dev")
    assert cli("import", "customers", str(csv), *rep).exit_code == 0
    csv.write_text("name,industry\nRound Trip Co,wholesale\n", encoding="utf-8")
    # matched by name only: a look-alike, updated because --on-duplicate says so
    upsert = ("--mode", "upsert", "--on-duplicate", "update")
    assert cli("import", "customers", str(csv), *rep, *upsert).exit_code == 0
    bundle = tmp_path / "all.json"
    result = cli("export", "all", "--out", str(bundle))
    assert result.exit_code == 0, result.output
    assert bundle.stat().st_mode & 0o777 == 0o600
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert data["format"] == "salesbench-bundle" and data["schema"]

    loaded = cli("import", "all", str(bundle), "--db", str(other_db))
    assert loaded.exit_code == 0, loaded.output
    before, after = snapshot(db), snapshot(other_db)
    assert set(before) == set(after)
    for table, rows in before.items():
        if table in DERIVED:  # rebuilt from the rest when needed (search keys)
            assert rows and after[table] == [], table
            continue
        assert after[table] == rows, table  # same ids, same values, same counts
    assert before["task"] and before["import_change"] and before["stage_move"]


def test_import_all_needs_an_empty_database(cli, db, tmp_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    bundle = tmp_path / "all.json"
    assert cli("export", "all", "--out", str(bundle)).exit_code == 0
    before = snapshot(db)
    result = cli("import", "all", str(bundle))
    assert result.exit_code == 4
    assert "needs an empty database" in result.output
    assert snapshot(db) == before


def test_a_damaged_bundle_is_refused_whole(cli, other_db, tmp_path: Path) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    bundle = tmp_path / "all.json"
    assert cli("export", "all", "--out", str(bundle)).exit_code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["tables"]["rep"][0]["nickname"] = "x"
    bundle.write_text(json.dumps(data), encoding="utf-8")
    result = cli("import", "all", str(bundle), "--db", str(other_db))
    assert result.exit_code == 2
    assert "tables.rep[0].nickname: no such column" in result.output
    assert count_rows(other_db, "rep") == 0
    truncated = tmp_path / "cut.json"
    truncated.write_text(bundle.read_text(encoding="utf-8")[:40], encoding="utf-8")
    result = cli("import", "all", str(truncated), "--db", str(other_db))
    assert result.exit_code == 2 and "cut.json:" in result.output


def test_export_all_to_stdout_as_a_process(cli, db) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    done = subprocess.run(
        [sys.executable, "-m", "salesbench", "export", "all"],
        capture_output=True,
        text=True,
        env=subprocess_env(db),
        stdin=subprocess.DEVNULL,
        check=True,
    )
    data = json.loads(done.stdout)
    assert [r["email"] for r in data["tables"]["rep"]] == ["wf@example.com"]
