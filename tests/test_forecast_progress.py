"""Today's forecast reads each open deal's tasks as they stand, grouped per stage and
status from an index (migration 0012), instead of every task with its times. Both
readings go through the one stage rule (core/stage_rule.py) and must agree."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salesbench.core import forecast as fc
from salesbench.core.history import OppFact, StageFact, StepFact, completion_at, progress_from
from salesbench.core.stage_rule import keys_by_status, stage_tally
from salesbench.services.report_facts import (
    OPP_COLUMNS,
    PROGRESS_SQL,
    load_books,
    opp_fact,
    read_progress,
    read_steps,
)
from salesbench.store.raw import store_rows

OPEN = "o.status = 'open'"
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


def opp() -> OppFact:
    created = datetime(2026, 10, 1, tzinfo=UTC)
    return OppFact("d1", "r1", "c1", "Sofa", 100, "open", created, playbook="pb", stage="s1")


def test_a_gate_task_counts_once_opened_and_only_when_no_copy_is_still_open() -> None:
    # "redo" is opened by a gate here: one copy done, another snoozed: not finished
    by_status = keys_by_status([("a", "done"), ("b", "skipped"), ("redo", "done")])
    by_status |= keys_by_status([("redo", "snoozed")])
    assert stage_tally(["a", "b"], {"redo", "never"}, by_status) == (
        ["a", "b", "redo"],
        ["a"],  # b was skipped, not done; redo has a copy still open; never was not opened
    )
    assert stage_tally(["a", "b"], {"redo"}, keys_by_status([("redo", "done")])) == (
        ["a", "b", "redo"],
        ["redo"],
    )


def test_progress_at_a_past_moment_leaves_out_what_came_later() -> None:
    early, late = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
    steps = (
        StepFact("s1", "a", early, "done", early),
        StepFact("s1", "b", late, "done", early),  # finished later: open at `between`
        StepFact("s1", "c", None, "open", late),  # created later: not there yet
    )
    between = datetime(2026, 11, 10, tzinfo=UTC)
    assert progress_from(steps, between) == {"s1": {"done": {"a"}, "open": {"b"}}}
    fact = StageFact("pb", "s1", "One", 0, 0.5, frozenset({"a", "b", "c"}))
    deal = opp()
    deal.steps = steps
    assert completion_at(deal, between, {("pb", "s1"): fact}, "s1") == pytest.approx(1 / 3)
    assert completion_at(deal, NOW, {("pb", "s1"): fact}, "s1") == pytest.approx(2 / 3)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, new_sqlite_db) -> Path:
    from typer.testing import CliRunner

    from salesbench.cli import app

    db = new_sqlite_db(tmp_path_factory.mktemp("progress") / "demo.db")
    env = {"SALESBENCH_DB": str(db), "SALESBENCH_NOW": NOW.isoformat()}
    result = CliRunner().invoke(app, ["demo", "--customers", "150"], env=env)
    assert result.exit_code == 0, result.output
    return db


def test_every_open_deal_is_forecast_alike_from_its_tasks_as_they_stand_and_their_times(
    demo: Path,
) -> None:
    from salesbench.services.session import open_store

    store = open_store(str(demo), lazy=True)
    try:
        with store_rows(store) as rows:
            deals = list(
                rows.each(
                    f"SELECT {OPP_COLUMNS}, o.custom FROM opportunity o "
                    f"JOIN customer c ON c.id = o.customer_id WHERE {OPEN}"
                )
            )
            books = load_books(rows, [d["playbook_key"] for d in deals], "en")
            standing = read_progress(rows, OPEN)
            timed = read_steps(rows, OPEN)
    finally:
        store.close()
    assert len(deals) > 50 and len(standing) > 50
    checked = 0
    for row in deals:
        now_read = opp_fact(row, {}, {}, standing)
        rebuilt = opp_fact(row, {}, timed)
        assert now_read.progress is not None and rebuilt.progress is None
        ours = fc.predict(now_read, NOW, books.stages, books.modes)
        theirs = fc.predict(rebuilt, NOW, books.stages, books.modes)
        assert ours.factors == theirs.factors, row["title"]
        assert ours.raw == theirs.raw
        checked += any(f.key == "stage_sop" for f in ours.factors)
    assert checked > 50  # the deals compared were measured on their SOP, not skipped


def test_the_progress_of_each_deal_is_read_from_the_index_alone(demo: Path) -> None:
    conn = sqlite3.connect(demo)
    try:
        plan = [
            row[3]
            for row in conn.execute(
                "EXPLAIN QUERY PLAN "
                + PROGRESS_SQL.format(keys="group_concat(t.origin, char(31))", where=OPEN)
            )
        ]
    finally:
        conn.close()
    assert any("COVERING INDEX ix_task_opportunity_progress" in step for step in plan), plan
    assert not any(step.startswith("SCAN t") for step in plan), plan


def test_the_benchmark_floor_reads_and_prints_the_deals_the_forecast_scores(demo: Path) -> None:
    # scripts/bench compares the forecast with this floor: it must be the same work
    import json
    import subprocess
    import sys

    from typer.testing import CliRunner

    from salesbench.cli import app

    root = Path(__file__).resolve().parents[1]
    floor = subprocess.run(
        [sys.executable, str(root / "scripts" / "bench_forecast.py"), str(demo)],
        capture_output=True,
        text=True,
        check=True,
    )
    env = {"SALESBENCH_DB": str(demo), "SALESBENCH_NOW": NOW.isoformat()}
    ours = CliRunner().invoke(app, ["forecast", "--all", "--json"], env=env)
    assert ours.exit_code == 0, ours.output
    scored = {d["id"].replace("-", "") for d in json.loads(ours.stdout)["opportunities"]}
    printed = json.loads(floor.stdout)["opportunities"]
    assert {d["id"] for d in printed} == scored and len(printed) == len(scored) > 50
    assert sum(len(d.get("progress", ())) for d in printed) > len(printed)  # tasks read too
