"""Leaderboard ranks and forecast probabilities on the hand-built team of
tests/report_world.py, each expected number worked out by hand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from salesbench.core import forecast as fc
from salesbench.core.leaderboard import Entry, board, rank
from tests.conftest import PgDb, rows
from tests.test_reports import run, world  # noqa: F401  (fixtures)


def utc(db: Path | PgDb, stamp: str) -> str:
    """A UTC time as the back end's column takes it in raw SQL."""
    return stamp + (".000000" if isinstance(db, Path) else "+00")


def js(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def places(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["rank"], r["name"], r["value"], r["mine"]) for r in rows]


# ------------------------------------------------------------------ ranking rules


def test_ties_share_the_better_rank_and_skip_the_next() -> None:
    ranked = rank(
        [Entry("a", "Ann", 5), Entry("b", "Bo", 9), Entry("c", "Cy", 5), Entry("d", "Di", 1)]
    )
    assert [(p.rank, p.entry.name, p.tied) for p in ranked] == [
        (1, "Bo", False),
        (2, "Ann", True),
        (2, "Cy", True),
        (4, "Di", False),
    ]


def test_the_top_keeps_everyone_tied_with_its_last_and_shows_my_place() -> None:
    entries = [Entry(str(n), f"rep{n:02d}", 100 - n) for n in range(12)]
    entries.append(Entry("x", "rep09b", 100 - 9))  # tied with the tenth
    shown, own = board(rank(entries, mine="11"), top=10)
    assert [(p.rank, p.entry.name) for p in shown][-2:] == [(10, "rep09"), (10, "rep09b")]
    assert own is not None and (own.rank, own.entry.name, own.mine) == (13, "rep11", True)
    shown, own = board(rank(entries, mine="3"), top=10)
    assert own is None and any(p.mine for p in shown)


# ------------------------------------------------------------------ leaderboard


def test_leaderboard_by_won_amount_with_a_tie(run) -> None:  # noqa: F811
    r = js(
        run(
            "leaderboard",
            "--period",
            "week",
            "--at",
            "2026-W53",
            "--rep",
            "bo@example.com",
            "--json",
        )
    )
    # o3 (80,000) was won by Ann on Saturday; Bo and Cy won nothing and share 2nd place
    assert places(r["rows"]) == [
        (1, "Ann", 80000.0, False),
        (2, "Bo", 0, True),
        (2, "Cy", 0, False),
    ]
    assert r["period"] == {
        "kind": "week",
        "label": "2026-W53",
        "from": "2026-12-28",
        "to": "2027-01-03",
    }


def test_leaderboard_by_tasks_shows_my_place_below_the_top(run) -> None:  # noqa: F811
    r = js(
        run("leaderboard", "--by", "tasks", "--period", "week", "--at", "2026-W53",
            "--top", "1", "--rep", "bo@example.com", "--json")
    )  # fmt: skip
    # done in W53: Ann t1, t2, stay_in_touch = 3; Cy t6 = 1; Bo none (t5 came on Monday)
    assert places(r["rows"]) == [(1, "Ann", 3, False)]
    assert (r["own"]["rank"], r["own"]["name"], r["own"]["value"]) == (3, "Bo", 0)
    text = run("leaderboard", "--by", "tasks", "--period", "week", "--at", "2026-W53",
               "--top", "1", "--rep", "bo@example.com").stdout  # fmt: skip
    assert "← you" in text.splitlines()[-1] and "Bo" in text.splitlines()[-1]


def test_leaderboard_of_a_customers_by_team(run) -> None:  # noqa: F811
    r = js(
        run(
            "leaderboard",
            "--by",
            "a_customers",
            "--group",
            "team",
            "--json",
            "--rep",
            "cy@example.com",
        )
    )
    # A customers in the book: Ann cA1, Bo cB2 (paused, still in the book), Cy cC2
    assert places(r["rows"]) == [(1, "East", 2, False), (2, "West", 1, True)]
    by_rep = js(run("leaderboard", "--by", "a_customers", "--json"))
    assert [(p["rank"], p["tied"]) for p in by_rep["rows"]] == [(1, True)] * 3


def test_leaderboard_rejects_unknown_measures(run) -> None:  # noqa: F811
    result = run("leaderboard", "--by", "smiles")
    assert result.exit_code == 2 and "unknown measure 'smiles'" in result.output


# ------------------------------------------------------------------ forecast


def test_each_probability_is_explained_by_its_factors(run) -> None:  # noqa: F811
    r = js(run("forecast", "--json"))
    deals = {d["title"]: d for d in r["opportunities"]}
    assert set(deals) == {"o1", "o2"}  # o3, o4, o5 are closed
    o1 = deals["o1"]
    # build_trust 25 %; 1 of its 3 tasks done: 0.8 + 0.4/3; first_contact 2 of 4:
    # 0.85 + 0.15/2; last contact 2026-12-28 09:00, 8 days before now: 0.9; grade A: 1.1
    assert [(f["factor"], f["multiplier"]) for f in o1["factors"]] == [
        ("stage_sop", 0.9333),
        ("earlier_sop", 0.925),
        ("recency", 0.9),
        ("grade", 1.1),
    ]
    assert o1["base"] == 0.25
    assert o1["raw_probability"] == 0.2137  # 0.25 × 0.9333 × 0.925 × 0.9 × 1.1
    assert o1["weighted"] == 21370.0
    o2 = deals["o2"]
    # first_contact 10 %, none of 4 done: 0.8; Bo emailed cB1 a day ago: 1.0; grade C: 0.9
    assert [(f["factor"], f["multiplier"]) for f in o2["factors"]] == [
        ("stage_sop", 0.8),
        ("recency", 1.0),
        ("grade", 0.9),
    ]
    assert o2["raw_probability"] == o2["probability"] == 0.072
    assert r["calibrated"] is False and r["closed_available"] == 3
    assert r["months"] == [
        {
            "month": "(no date)",
            "currency": "CNY",
            "deals": 2,
            "amount": 150000.0,
            "weighted": 24970.0,
            "past": False,  # a deal without a date is never past
        }
    ]


def test_a_quick_knife_deal_past_its_week_loses_probability(run, world) -> None:  # noqa: F811
    change = (
        "UPDATE opportunity SET mode = ?, playbook_key = ?, stage_key = ?, created_at = ? "
        "WHERE title = 'o2'"
    )
    # opened 2026-12-20 09:00 in Shanghai: 16 days before now
    opened = utc(world, "2026-12-20 01:00:00")
    rows(world, change, "quick_knife", "solution-selling", "develop_opportunity", opened)
    try:
        deal = next(d for d in js(run("forecast", "--json"))["opportunities"] if d["title"] == "o2")
    finally:
        before = utc(world, "2026-12-30 01:00:00")
        rows(world, change, None, "retail-5", "first_contact", before)
    # develop_opportunity 5 %; none of its 2 tasks done: 0.8; contact a day ago: 1.0;
    # grade C: 0.9; the one-week box of a quick-knife deal broken: 0.8
    assert [(f["factor"], f["multiplier"]) for f in deal["factors"]] == [
        ("stage_sop", 0.8),
        ("recency", 1.0),
        ("grade", 0.9),
        ("mode_time_box", 0.8),
    ]
    assert deal["factors"][-1]["why"] == "open 16 days; Quick knife closes within 7 days"
    assert deal["raw_probability"] == 0.0288  # 0.05 × 0.8 × 1.0 × 0.9 × 0.8


def test_forecast_by_month_and_rep(run, world) -> None:  # noqa: F811
    rows(world, "UPDATE opportunity SET expected_close = '2027-01-20' WHERE title = 'o1'")
    try:
        r = js(run("forecast", "--json", "--month", "2027-01"))
        mine = js(run("forecast", "--json", "--rep", "bo@example.com"))
    finally:
        rows(world, "UPDATE opportunity SET expected_close = NULL WHERE title = 'o1'")
    assert [d["title"] for d in r["opportunities"]] == ["o1"]
    assert r["months"] == [
        {
            "month": "2027-01",
            "currency": "CNY",
            "deals": 1,
            "amount": 100000.0,
            "weighted": 21370.0,
            "past": False,
        }
    ]
    assert [d["title"] for d in mine["opportunities"]] == ["o2"]


def test_backtest_needs_thirty_closed_deals(run) -> None:  # noqa: F811
    r = js(run("forecast", "--json", "--backtest"))
    assert r["backtest"] == {"closed": 3, "needed": 30, "brier_raw": None}
    text = run("forecast", "--backtest").stdout
    assert "needs 30 closed deals, there are 3" in text


def test_brier_scores_by_hand() -> None:
    # 40 closed deals all forecast at 20 %, half of them won:
    # raw Brier = ½·0.2² + ½·0.8² = 0.34; the calibration learns that 20 % means 50 %
    pairs = [(0.2, n % 2) for n in range(40)]
    assert fc.brier(pairs) == pytest.approx(0.34)
    result = fc.backtest(pairs)
    assert result is not None
    assert result.brier_raw == 0.34
    assert 0.25 <= result.brier_calibrated < 0.255  # (p − ½)² above the floor of ¼
    assert result.calibration(0.2) == pytest.approx(0.5, abs=0.02)
    assert fc.backtest(pairs[:29]) is None


def test_calibration_keeps_a_good_forecast_good() -> None:
    # deals at 10 % win one time in ten, deals at 90 % nine times in ten (the odd
    # outcomes spread over the five folds)
    pairs = [(0.1, int(n in (0, 11, 22, 33, 44))) for n in range(50)]
    pairs += [(0.9, int(n not in (1, 12, 23, 34, 45))) for n in range(50)]
    result = fc.backtest(pairs)
    assert result is not None
    assert result.brier_raw == pytest.approx(0.09)  # 0.1·0.9² + 0.9·0.1², each half
    assert result.brier_calibrated == pytest.approx(0.09, abs=0.005)
    assert result.calibration(0.1) == pytest.approx(0.1, abs=0.02)


def test_demo_forecast_is_calibrated_and_backtested(tmp_path: Path, new_sqlite_db) -> None:
    from typer.testing import CliRunner

    from salesbench.cli import app

    db = new_sqlite_db(tmp_path / "demo.db")
    runner = CliRunner()
    env = {"SALESBENCH_DB": str(db), "SALESBENCH_NOW": "2026-11-23T10:00:00+08:00"}
    assert runner.invoke(app, ["demo", "--customers", "150"], env=env).exit_code == 0
    r = json.loads(runner.invoke(app, ["forecast", "--json", "--backtest"], env=env).stdout)
    with sqlite3.connect(db) as conn:
        closed = conn.execute("SELECT count(*) FROM opportunity WHERE status != 'open'").fetchone()[
            0
        ]
        still_open = conn.execute(
            "SELECT count(*) FROM opportunity WHERE status = 'open'"
        ).fetchone()[0]
    assert closed >= 30
    assert r["calibrated"] is True and r["backtest"]["closed"] == closed
    assert r["open"] == len(r["opportunities"]) == still_open
    assert r["backtest"]["brier_calibrated"] < r["backtest"]["brier_raw"]
    assert all(0.01 <= d["probability"] <= 0.99 for d in r["opportunities"])
