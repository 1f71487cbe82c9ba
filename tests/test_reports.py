"""The weekly report on a hand-built team (tests/report_world.py): every expected
figure below is counted by hand from the rows placed there, not computed by the
code under test. Weeks are cut in Asia/Shanghai unless a test says otherwise."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from tests import report_world
from tests.conftest import PG_ENV, drop_pg_database, new_pg_database

WEEK = "2026-W53"


BACKENDS = ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The team, once per module and back end."""
    if request.param == "sqlite":
        path = request.getfixturevalue("new_sqlite_db")(
            tmp_path_factory.mktemp("reports") / "team.db"
        )
        report_world.build(path)
        yield path
        return
    made = new_pg_database(request.getfixturevalue("pg_template"))
    report_world.build(made.url)
    yield made
    drop_pg_database(made)


@pytest.fixture
def run(world: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SALESBENCH_DB", str(world))
    monkeypatch.setenv("SALESBENCH_NOW", report_world.NOW.isoformat())
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def weekly(run):
    def report(*args: str) -> dict[str, Any]:
        result = run("report", "weekly", "--week", WEEK, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return report


def row(report: dict[str, Any], section: str, level: str, name: str) -> dict[str, Any]:
    rows = report["sections"][section]["rows"]
    found = [r for r in rows if r["level"] == level and r["name"] == name]
    assert len(found) == 1, f"{section}: no single {level} {name!r} in {rows}"
    return found[0]


def pick(r: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(r[k] for k in keys)


def test_the_week_and_its_boundaries(weekly) -> None:
    r = weekly()
    assert (r["week"], r["from"], r["to"], r["timezone"]) == (
        "2026-W53",
        "2026-12-28",
        "2027-01-03",
        "Asia/Shanghai",
    )
    assert r["complete"] is True
    assert r["previous_week"] == "2026-W52"


def test_activities_by_channel(weekly) -> None:
    r = weekly()
    channels = ("visit", "call", "email", "message", "meeting", "total")
    # Ann: the Monday 00:30 visit (W53 in Shanghai), its thank-you message, Sunday 23:30 call
    assert pick(row(r, "activities", "rep", "Ann"), *channels) == (1, 1, 0, 1, 0, 3)
    # Bo: Saturday's visit; the email of Monday 00:10 belongs to 2027-W01
    assert pick(row(r, "activities", "rep", "Bo"), *channels) == (1, 0, 0, 0, 0, 1)
    # Cy's meeting was Sunday 23:00 of W52
    assert pick(row(r, "activities", "rep", "Cy"), *channels) == (0, 0, 0, 0, 0, 0)
    assert pick(row(r, "activities", "team", "East"), *channels) == (2, 1, 0, 1, 0, 4)
    assert pick(row(r, "activities", "team", "West"), *channels) == (0, 0, 0, 0, 0, 0)
    assert row(r, "activities", "region", "华东")["total"] == 4
    assert row(r, "activities", "branch", "Shanghai")["total"] == 3
    assert row(r, "activities", "branch", "Hangzhou")["total"] == 1
    assert row(r, "activities", "total", "Total")["total"] == 4


def test_tasks_done_on_time_and_overdue(weekly) -> None:
    r = weekly()
    keys = ("done", "on_time", "on_time_rate", "overdue")
    # Ann: t1 on time, t2 late, o1's stay_in_touch (no due time: on time); t3 open
    # past its due time at the week's end
    assert pick(row(r, "tasks", "rep", "Ann"), *keys) == (3, 2, 0.6667, 1)
    # Bo: t5 was done only on Monday of W01, so it was overdue when W53 ended; t4 is due later
    assert pick(row(r, "tasks", "rep", "Bo"), *keys) == (0, 0, None, 1)
    # Cy: t6 has no due time, so it is on time
    assert pick(row(r, "tasks", "rep", "Cy"), *keys) == (1, 1, 1.0, 0)
    assert pick(row(r, "tasks", "team", "East"), *keys) == (3, 2, 0.6667, 2)
    assert pick(row(r, "tasks", "total", "Total"), *keys) == (4, 3, 0.75, 2)


def test_sop_completion_and_stage_moves(weekly) -> None:
    r = weekly()
    keys = ("open", "completion", "stage_complete", "moves")
    # o1 entered build_trust in W53 and did 1 of its 3 required tasks
    assert pick(row(r, "sop", "rep", "Ann"), *keys) == (1, 0.3333, 0, 1)
    # o2 started in first_contact with none of its 4 done; its start counts as a move
    assert pick(row(r, "sop", "rep", "Bo"), *keys) == (1, 0.0, 0, 1)
    assert pick(row(r, "sop", "rep", "Cy"), *keys) == (0, None, 0, 0)
    assert pick(row(r, "sop", "total", "Total"), *keys) == (2, 0.1667, 0, 2)
    moves = r["sections"]["stage_moves"]["rows"]
    assert [pick(m, "rep", "playbook", "from", "to", "via", "count") for m in moves] == [
        ("Ann", "retail-5", "First contact", "Build trust", "advance", 1),
        ("Bo", "retail-5", "(start)", "First contact", "start", 1),
    ]


def test_new_won_and_lost_opportunities(weekly) -> None:
    r = weekly()
    keys = ("new", "new_amount", "won", "won_amount", "lost", "lost_amount", "win_rate")
    assert pick(row(r, "opportunities", "rep", "Ann"), *keys) == (0, 0, 1, 80000.0, 0, 0, 1.0)
    assert pick(row(r, "opportunities", "rep", "Bo"), *keys) == (1, 50000.0, 0, 0, 0, 0, None)
    assert pick(row(r, "opportunities", "rep", "Cy"), *keys) == (1, 30000.0, 0, 0, 1, 30000.0, 0.0)
    assert pick(row(r, "opportunities", "total", "Total"), *keys) == (
        2, 80000.0, 1, 80000.0, 1, 30000.0, 0.5,
    )  # fmt: skip
    # o5 was lost in W52 without a reason: not this week's
    assert r["sections"]["lost_reasons"]["rows"] == [
        {"reason": "price", "lost": 1, "amount": 30000.0}
    ]


def test_pipeline_at_the_end_of_the_week(weekly) -> None:
    r = weekly()
    keys = ("open", "amount", "weighted")
    # o1 100,000 in build_trust (25 %); o3 was won on Saturday
    assert pick(row(r, "pipeline", "rep", "Ann"), *keys) == (1, 100000.0, 25000.0)
    # o2 50,000 in first_contact (10 %)
    assert pick(row(r, "pipeline", "rep", "Bo"), *keys) == (1, 50000.0, 5000.0)
    assert pick(row(r, "pipeline", "total", "Total"), *keys) == (2, 150000.0, 30000.0)
    funnel = r["sections"]["funnel"]["rows"]
    assert [pick(f, "stage", "open", "amount") for f in funnel] == [
        ("First contact", 1, 50000.0),
        ("Build trust", 1, 100000.0),
    ]


def test_cadence_compliance_by_grade(weekly) -> None:
    r = weekly()
    keys = ("a_rate", "a_customers", "b_rate", "b_customers", "c_rate", "c_customers", "rate")
    # cA1 (A, 7 days) visited Monday; cA2 (B, 14 days) called Sunday night
    assert pick(row(r, "cadence", "rep", "Ann"), *keys) == (1.0, 1, 1.0, 1, None, 0, 1.0)
    # cB1 (C) visited Saturday; cB2 is paused and not counted
    assert pick(row(r, "cadence", "rep", "Bo"), *keys) == (None, 0, None, 0, 1.0, 1, 1.0)
    # cC1 (C) is three days old, not yet due; cC2 (A) last met an hour before the
    # 7-day window opened
    assert pick(row(r, "cadence", "rep", "Cy"), *keys) == (0.0, 1, None, 0, 1.0, 1, 0.5)
    assert pick(row(r, "cadence", "total", "Total"), *keys) == (0.5, 2, 1.0, 1, 1.0, 2, 0.8)


def test_sla_breaches(weekly) -> None:
    r = weekly()
    keys = ("complaints", "no_answer_1h", "unsolved_24h", "visits", "no_thanks_24h", "pending")
    # answered in 30 min, solved in 23 h; the visit was thanked 8.5 h later
    assert pick(row(r, "sla", "rep", "Ann"), *keys) == (1, 0, 0, 1, 0, 0)
    # answered after 1.5 h and never solved; the visit's email came 38 h later
    assert pick(row(r, "sla", "rep", "Bo"), *keys) == (1, 1, 1, 1, 1, 0)
    assert pick(row(r, "sla", "total", "Total"), *keys) == (2, 1, 1, 2, 1, 0)


def test_week_over_week(weekly) -> None:
    r = weekly()
    head = {h["key"]: h for h in r["sections"]["headline"]["rows"]}

    def wow(key: str) -> tuple[Any, Any, Any]:
        return pick(head[key], "this_week", "previous_week", "change")

    # W52: Ann's call and Cy's meeting; t7 done on time; nothing overdue when it ended
    assert wow("activities") == (4, 2, 2)
    assert head["activities"]["change_rate"] == 1.0
    assert wow("tasks_done") == (4, 1, 3)
    assert wow("on_time_rate") == (0.75, 1.0, -0.25)
    assert wow("overdue") == (2, 0, 2)
    # W52's end: o1 in first_contact with 2 of 4 done, o3 in negotiation with none
    assert wow("sop_completion") == (0.1667, 0.25, -0.0833)
    assert wow("new_opportunities") == (2, 0, 2)
    assert wow("won_amount") == (80000.0, 0, 80000.0)
    assert wow("lost") == (1, 1, 0)
    # W52's end: o1 100,000 at 10 % and o3 80,000 at 85 %
    assert wow("pipeline") == (150000.0, 180000.0, -30000.0)
    assert wow("weighted") == (30000.0, 78000.0, -48000.0)
    # W52's end: cA1 called 12-22 (ok), cC2's meeting (ok), cA2 and cB1 untouched
    assert wow("cadence") == (0.8, 0.5, 0.3)
    # W52: Cy's complaint neither answered nor solved
    assert wow("sla_breaches") == (3, 2, 1)


def test_trend_across_the_year_end(weekly) -> None:
    r = weekly()
    trend = r["sections"]["trend"]["rows"]
    assert [t["week"] for t in trend] == [
        "2026-W46", "2026-W47", "2026-W48", "2026-W49",
        "2026-W50", "2026-W51", "2026-W52", "2026-W53",
    ]  # fmt: skip
    by_week = {
        t["week"]: pick(t, "activities", "tasks_done", "new", "won", "won_amount") for t in trend
    }
    assert by_week["2026-W53"] == (4, 4, 2, 1, 80000.0)
    assert by_week["2026-W52"] == (2, 1, 0, 0, 0)
    assert by_week["2026-W49"] == (0, 2, 1, 0, 0)  # o1 opened; welcome and basic_data done
    assert by_week["2026-W46"] == (0, 0, 0, 0, 0)


def test_weeks_cut_in_utc_move_the_boundary_activities(weekly) -> None:
    r = weekly("--timezone", "UTC")
    # In UTC, Monday 00:30 Shanghai is Sunday 16:30 of W52: Ann's visit changes week,
    # and Bo's email of Monday 00:10 Shanghai is Sunday 16:10 of W53
    assert row(r, "activities", "rep", "Ann")["visit"] == 0
    assert row(r, "activities", "rep", "Bo")["email"] == 1
    assert row(r, "activities", "total", "Total")["total"] == 4
    head = {h["key"]: h for h in r["sections"]["headline"]["rows"]}
    assert head["activities"]["previous_week"] == 3
    assert r["from"] == "2026-12-28" and r["timezone"] == "UTC"


def test_the_first_week_of_2027_follows_w53(weekly, run) -> None:
    result = run("report", "weekly", "--week", "2027-W01", "--format", "json")
    r = json.loads(result.stdout)
    assert (r["week"], r["previous_week"], r["from"]) == ("2027-W01", "2026-W53", "2027-01-04")
    assert row(r, "activities", "rep", "Bo")["email"] == 1  # Monday 00:10
    assert row(r, "tasks", "rep", "Bo")["done"] == 1  # t5, late
    assert r["complete"] is False


def test_scopes(weekly) -> None:
    east = weekly("--team", "East")
    # reps, then the team, the region and the branches (in name order), then the total
    assert [x["name"] for x in east["sections"]["tasks"]["rows"]] == [
        "Ann", "Bo", "East", "华东", "Hangzhou", "Shanghai", "Total",
    ]  # fmt: skip
    assert row(east, "tasks", "total", "Total")["done"] == 3
    one = weekly("--rep", "cy@example.com")
    assert [x["name"] for x in one["sections"]["tasks"]["rows"]] == [
        "Cy", "West", "西南", "Chengdu", "Total",
    ]  # fmt: skip
    assert one["scope"] == "rep Cy"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2026-W54"), "2026 has ISO weeks 1 to 53"),
        (("--week", "2025-W53"), "2025 has ISO weeks 1 to 52"),
        (("--week", "last week"), "is not an ISO week"),
        (("--timezone", "Mars/Olympus"), "not a known timezone"),
        (("--team", "Nowhere"), "no rep in team 'Nowhere'"),
        (("--format", "pdf"), "unknown format 'pdf'"),
        (("--team", "East", "--rep", "ann@example.com"), "choose one of"),
    ],
)
def test_bad_options_exit_2_or_3_with_one_line(run, args, message) -> None:
    result = run("report", "weekly", *args)
    assert result.exit_code in (2, 3), result.output
    assert message in result.output
    assert result.output.count("\n") == 1


def test_reports_read_the_database_without_sqlalchemy(world) -> None:
    if not isinstance(world, Path):
        pytest.skip("a server database is always read through SQLAlchemy")
    import subprocess
    import sys

    for command in ("report weekly --format json", "leaderboard --json", "forecast --json"):
        probe = (
            "import sys\n"
            f"sys.argv = ['salesbench', *{command.split()!r}, '--db', {str(world)!r}]\n"
            "from salesbench.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)"
        )
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        loaded = set(done.stderr.split())
        assert loaded.isdisjoint({"sqlalchemy", "sqlmodel", "alembic", "textual"}), command
        assert json.loads(done.stdout)


def test_the_sqlalchemy_read_path_gives_the_same_report(world) -> None:
    if not isinstance(world, Path):
        pytest.skip("PostgreSQL is read through SQLAlchemy only: nothing to compare with")
    """Databases other than an up-to-date SQLite file are read through SQLAlchemy with
    the same SQL; on SQLite that path must bind ids and times as the store keeps them."""
    from datetime import UTC, datetime

    from salesbench.core.periods import parse_week
    from salesbench.core.tables import table_dict
    from salesbench.core.weekly import weekly_report
    from salesbench.services.report_facts import load_scope
    from salesbench.services.reports import weekly_facts
    from salesbench.store.open import open_store
    from salesbench.store.raw import AlchemyRows, SqliteRows

    now = report_world.NOW.astimezone(UTC)
    assert isinstance(now, datetime)

    def report(rows) -> dict[str, Any]:
        scope = load_scope(rows)
        period = parse_week(WEEK, scope.timezone)
        made = weekly_report(weekly_facts(rows, scope, period, now), period, now)
        return {t.key: table_dict(t) for t in made.tables}

    import sqlite3

    conn = sqlite3.connect(world)
    try:
        fast = report(SqliteRows(conn))
    finally:
        conn.close()
    store = open_store(str(world))
    try:
        with store.engine.connect() as alchemy:
            slow = report(AlchemyRows(alchemy))
    finally:
        store.close()
    assert slow == fast
    assert fast["tasks"]["rows"][-1]["done"] == 4
