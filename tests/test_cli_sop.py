"""The SOP through the command line, checked against the database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PgDb, subprocess_env, tick_checklists

pytestmark = pytest.mark.both_backends

# conftest's cli fixture pins SALESBENCH_NOW to Monday 2026-11-23 09:30 UTC (17:30 in Shanghai)


def q(db: Path | PgDb, sql: str, *args: object) -> list[tuple]:
    if isinstance(db, PgDb):
        return db.rows(sql, *args)
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def test_new_retail_opportunity_completes_basic_data_by_itself(rep, db) -> None:
    rep("customer", "add", "Walk-in 1123", "--kind", "person")
    opp = js(rep("opp", "add", "Walk-in 1123", "Sofa", "--playbook", "retail-5", "--json"))
    assert opp["stage_key"] == "first_contact"
    assert q(db, "SELECT origin, status FROM task ORDER BY origin") == [
        ("basic_data", "open"),
        ("first_intent", "open"),
        ("visit_data", "open"),
        ("welcome", "open"),
    ]
    out = js(rep("opp", "set", "Sofa", "name=李娜", "age=34", "gender=Female", "--json"))
    assert [(t["origin"], t["status"], t["completed_how"]) for t in out["completed"]] == [
        ("basic_data", "done", "auto")
    ]
    assert q(db, "SELECT name, custom FROM customer") == [
        ("李娜", '{"age": 34, "gender": "female"}')
    ]
    assert q(db, "SELECT status, completed_how FROM task WHERE origin='basic_data'") == [
        ("done", "auto")
    ]


def test_opp_set_rejects_bad_values_and_writes_nothing(rep, db) -> None:
    rep("customer", "add", "Acme")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5")
    for args, field in [
        (["age=old"], "age"),
        (["gender=robot"], "gender"),
        (["budget=-5"], "budget"),
        (["colour=red"], "colour"),
        (["move_in_on=2026-02-30"], "move_in_on"),
    ]:
        result = rep("opp", "set", "Sofa", "age=30", *args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"salesbench: error: {field}: ")
    assert q(db, "SELECT custom FROM customer") == [("{}",)]


def test_manual_done_of_a_field_task_needs_force(rep, db) -> None:
    rep("customer", "add", "Acme")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5")
    (task_id,) = q(db, "SELECT id FROM task WHERE origin='basic_data'")[0]
    refused = rep("task", "done", task_id[:8])
    assert refused.exit_code == 2 and "still open: Age; Gender" in refused.output
    assert rep("task", "done", task_id[:8], "--force").exit_code == 2  # needs --reason
    assert rep("task", "done", task_id[:8], "--force", "--reason", "walk-in").exit_code == 0
    assert q(db, "SELECT status, completed_how FROM task WHERE origin='basic_data'") == [
        ("done", "manual")
    ]


def test_stage_moves_gates_and_turnaround(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "guide_needs")
    blocked = rep("opp", "move", "ERP", "--yes-answer")
    assert blocked.exit_code == 4 and "still has required tasks open" in blocked.output
    tick_checklists(rep, db)  # the visit checklist, ticked as the rep prepares
    assert (
        rep(
            "opp",
            "set",
            "ERP",
            "visit_on=2026-11-25",
            "visit_questions=q",
            "assessment_verified=yes",
            "pain_points=slow",
            "vision=fast",
            "letter1_on=2026-11-23",
            *("enjoys_talking=yes", "expertise_recognised=yes", "needs_agreed=yes"),
            *("pain_acknowledged=yes", "wants_pain_solved=yes", "reference_accepted=yes"),
        ).exit_code
        == 0
    )
    ask = rep("opp", "move", "ERP")
    assert ask.exit_code == 2 and "buying vision" in ask.output
    back = js(rep("opp", "move", "ERP", "--no-answer", "--json"))
    assert (back["via"], back["opportunity"]["stage_key"]) == ("turnaround", "develop_opportunity")
    assert q(
        db, "SELECT from_stage, to_stage, via, answer FROM stage_move ORDER BY moved_at, via"
    ) == [
        (None, "guide_needs", "start", None),
        ("guide_needs", "develop_opportunity", "turnaround", "no"),
    ]
    assert {
        r[0] for r in q(db, "SELECT origin FROM task WHERE stage_key='develop_opportunity'")
    } == {  # the turnaround is work: find out why, and a new approach
        "mine_opportunity",
        "assess_opportunity",
        "turnaround_vision_why",
        "turnaround_vision_plan",
    }


def test_lost_deal_skips_its_open_tasks(rep, db) -> None:
    rep("customer", "add", "Acme")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5")
    assert rep("opp", "lost", "Sofa").exit_code == 2  # --reason is required
    assert rep("opp", "lost", "Sofa", "--reason", "bought elsewhere").exit_code == 0
    assert q(db, "SELECT DISTINCT status FROM task") == [("skipped",)]
    assert q(db, "SELECT status, lost_reason FROM opportunity") == [("lost", "bought elsewhere")]


def test_maybe_next_year_goes_to_the_nurture_pool(rep, db) -> None:
    rep("customer", "add", "Slow Co")
    rep("opp", "add", "Slow Co", "Lead", "--playbook", "b2b-lifecycle", "--stage", "lead_screening")
    out = js(rep("opp", "set", "Lead", "screening_result=nurture", "--json"))
    assert "deal moved to nurture" in out["notes"]  # the deal, not the whole customer
    assert q(db, "SELECT status FROM customer") == [("active",)]


def test_log_a_visit_creates_the_thank_you_and_next_step(rep, db) -> None:
    rep("customer", "add", "Acme")
    rep("contact", "add", "Acme", "Li Lei")
    out = js(
        rep(
            "log",
            "visit",
            "--customer",
            "Acme",
            "--contact",
            "Li Lei",
            "--summary",
            "tour",
            "--next",
            "Send the layout",
            "--next-date",
            "2026-11-25",
            "--json",
        )
    )
    assert sorted(t["origin"] for t in out["created"]) == ["next_step", "visit_thanks"]
    assert q(db, "SELECT channel, summary FROM activity") == [("visit", "tour")]
    assert q(db, "SELECT title, due_at FROM task WHERE origin='next_step'") == [
        ("Send the layout", "2026-11-25 10:00:00.000000")
    ]  # 18:00 in Shanghai
    assert rep("log", "walk", "--customer", "Acme").exit_code == 2
    assert rep("log", "call").exit_code == 2  # whom with?
    assert q(db, "SELECT count(*) FROM activity") == [(1,)]


def test_snooze_moves_a_task_out_of_today(rep, db) -> None:
    rep("customer", "add", "Acme")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5")
    (task_id,) = q(db, "SELECT id FROM task WHERE origin='welcome'")[0]
    before = js(rep("queue", "--json"))
    ids = [
        t["id"].replace("-", "")
        for s in before["sections"]
        for g in s["groups"]
        for t in g["tasks"]
    ]
    assert task_id in ids
    assert rep("task", "snooze", task_id[:8], "--until", "tomorrow").exit_code == 0
    assert q(db, "SELECT status, snoozed_until FROM task WHERE id=?", task_id) == [
        ("snoozed", "2026-11-24 01:00:00.000000")
    ]  # Tuesday 09:00 in Shanghai
    after = js(rep("queue", "--json"))
    ids = [
        t["id"].replace("-", "") for s in after["sections"] for g in s["groups"] for t in g["tasks"]
    ]
    assert task_id not in ids
    tomorrow = js(rep("queue", "--json", "--date", "2026-11-24"))
    ids = [
        t["id"].replace("-", "")
        for s in tomorrow["sections"]
        for g in s["groups"]
        for t in g["tasks"]
    ]
    assert task_id in ids
    assert rep("task", "snooze", task_id[:8], "--until", "someday").exit_code == 2


def test_task_why_explains_the_score(rep, db) -> None:
    rep("customer", "add", "Acme", "--grade", "A")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "50000")
    (task_id,) = q(db, "SELECT id FROM task WHERE origin='welcome'")[0]
    out = js(rep("task", "why", task_id[:8], "--json"))
    # Monday 17:30 in Shanghai; the welcome task is due at today's close, 18:00.
    # due today with half an hour left: 6 + 2 * (1 - 0.5 / 24) = 7.96; grade A 3;
    # stage 1 of 5: 3 * 0/4 = 0; a deal of 50,000: log10(50,000) / 2 = 4.699 / 2 = 2.35;
    # no contact yet, so no idle term.
    assert out["terms"] == {
        "due": {"value": 7.96, "why": "due today"},
        "grade": {"value": 3.0, "why": "grade A customer"},
        "stage": {"value": 0.0, "why": "stage 1 of 5"},
        "size": {"value": 2.35, "why": "deal of 50,000 CNY"},
    }
    assert out["score"] == 13.31  # 7.96 + 3 + 0 + 2.35


def test_bulk_done_by_filter_needs_yes_off_a_tty(rep, db) -> None:
    rep("customer", "add", "Alpha", "--grade", "A")
    rep("customer", "add", "Beta", "--grade", "C")
    rep("opp", "add", "Alpha", "A deal", "--playbook", "retail-5")
    rep("opp", "add", "Beta", "B deal", "--playbook", "retail-5")
    refused = rep("task", "skip", "--filter", "grade:A title:welcome")
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert q(db, "SELECT count(*) FROM task WHERE status != 'open'") == [(0,)]
    done = js(rep("task", "skip", "--filter", "grade:A title:welcome", "--yes", "--json"))
    assert done["count"] == 1
    assert q(
        db,
        "SELECT c.name, t.origin FROM task t JOIN opportunity o ON o.id = t.opportunity_id "
        "JOIN customer c ON c.id = o.customer_id WHERE t.status = 'skipped'",
    ) == [("Alpha", "welcome")]
    assert rep("task", "done", "--filter", "colour:red", "--yes").exit_code == 2


def test_complaints(rep, db) -> None:
    rep("customer", "add", "Acme")
    out = js(rep("complaint", "add", "Acme", "Sofa arrived torn", "--json"))
    assert sorted(t["origin"] for t in out["tasks"]) == ["complaint_respond", "complaint_solve"]
    assert rep("complaint", "respond", out["id"][:8]).exit_code == 0
    assert rep("complaint", "respond", out["id"][:8]).exit_code == 4
    assert rep("complaint", "resolve", out["id"][:8], "--resolution", "New cover").exit_code == 0
    assert q(db, "SELECT resolution, responded_at IS NOT NULL FROM complaint") == [("New cover", 1)]
    assert q(db, "SELECT DISTINCT status FROM task") == [("done",)]


def test_script_render_fills_the_opportunity_in(rep) -> None:
    rep("customer", "add", "Acme")
    rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5")
    rep("opp", "set", "Sofa", "name=Li Na", "product_category=sofa")
    out = rep("script", "render", "thanks_after_visit", "--opp", "Sofa")
    assert out.exit_code == 0
    assert out.stdout.strip() == (
        "Hi Li Na, this is Wang Fang. Thank you for visiting us today! Here are the photos and "
        "sizes of the sofa we looked at. Anything you want to check, just message me."
    )
    missing = js(rep("script", "render", "needs_summary", "--opp", "Sofa", "--json"))
    assert missing[0]["missing"] == []  # every placeholder there has a fallback
    stage = js(rep("script", "render", "--opp", "Sofa", "--json"))
    assert {s["key"] for s in stage} >= {"welcome", "self_intro", "style_question"}


def test_playbook_list_show_export_import(rep, db, tmp_path: Path) -> None:
    listed = js(rep("playbook", "list", "--json"))
    assert {(p["key"], p["language"]) for p in listed} >= {("retail-5", "zh-CN")}
    shown = js(rep("playbook", "show", "retail-5", "--lang", "zh-CN", "--json"))
    assert shown["stages"][0]["name"] == "初次接洽"
    out = tmp_path / "mine.toml"
    assert rep("playbook", "export", "retail-5", "--out", str(out)).exit_code == 0
    out.write_text(
        out.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1"'),
        encoding="utf-8",
    )
    assert rep("playbook", "import", str(out)).exit_code == 0
    assert q(db, "SELECT key, language, version FROM playbook") == [("retail-5", "en", "1.1")]
    broken = tmp_path / "broken.toml"
    broken.write_text("[playbook]\nkey = 'x'\n", encoding="utf-8")
    assert rep("playbook", "import", str(broken)).exit_code == 2
    assert q(db, "SELECT count(*) FROM playbook") == [(1,)]


def test_pause_and_rep_workday(rep, db) -> None:
    rep("customer", "add", "Acme")
    assert rep("customer", "pause", "Acme", "--months", "2").exit_code == 0
    assert q(db, "SELECT status, paused_until FROM customer") == [("paused", "2027-01-23")]
    assert rep("customer", "pause", "Acme", "--months", "3").exit_code == 2
    assert (
        rep(
            "rep",
            "edit",
            "wf@example.com",
            "--timezone",
            "Europe/Berlin",
            "--start",
            "8:30",
            "--days",
            "mon-sat",
            "--lang",
            "zh-CN",
        ).exit_code
        == 0
    )
    assert q(db, "SELECT timezone, workday_start, workdays, language FROM rep") == [
        ("Europe/Berlin", "08:30", "0,1,2,3,4,5", "zh-CN")
    ]
    assert rep("rep", "edit", "wf@example.com", "--timezone", "Mars/Base").exit_code == 2


def test_cadence_follow_up_done_from_the_queue(rep, db, monkeypatch) -> None:
    rep("customer", "add", "Acme", "--grade", "A")
    monkeypatch.setenv("SALESBENCH_NOW", "2026-12-03T03:00:00+00:00")
    data = js(rep("queue", "--json"))
    cadence = [
        t
        for s in data["sections"]
        for g in s["groups"]
        for t in g["tasks"]
        if t["origin"] == "cadence"
    ]
    assert len(cadence) == 1 and cadence[0]["id"].startswith("cadence:")
    assert rep("task", "done", cadence[0]["id"]).exit_code == 0
    assert q(db, "SELECT origin, status FROM task") == [("cadence", "done")]
    again = js(rep("queue", "--json"))
    assert not [
        t
        for s in again["sections"]
        for g in s["groups"]
        for t in g["tasks"]
        if t["origin"] == "cadence"
    ]


@pytest.mark.slow  # a demo team built and read by four processes
def test_demo_then_queue_as_processes(tmp_path: Path, new_sqlite_db) -> None:
    db = new_sqlite_db(tmp_path / "d.db")
    env = subprocess_env(db, SALESBENCH_NOW="2026-11-23T02:00:00+00:00")  # 10:00 in Shanghai

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "salesbench", *args],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )

    made = run("demo", "--customers", "80", "--reps", "2", "--json")
    assert made.returncode == 0, made.stderr
    counts = json.loads(made.stdout)
    assert counts["customers"] == 80 and counts["tasks"] > 500 and counts["open_tasks"] > 100
    assert run("demo").returncode == 4  # never mixes demo data into a used database

    rep = "rep1@demo.salesbench.dev"
    shown = json.loads(run("queue", "--rep", rep, "--json").stdout)
    assert shown["mode"] == "morning"
    tasks = [t for s in shown["sections"] for g in s["groups"] for t in g["tasks"]]
    assert tasks and all(t["status"] in ("open", "snoozed") for t in tasks)
    for section in shown["sections"]:
        opp_ids = [g["opportunity"]["id"] for g in section["groups"] if g["opportunity"]]
        assert len(opp_ids) == len(set(opp_ids)), "one group per opportunity"

    # every open task due before the end of the day is in the queue, and nothing else is
    with sqlite3.connect(db) as conn:
        (rep_id,) = conn.execute("SELECT id FROM rep WHERE email = ?", (rep,)).fetchone()
        due = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM task WHERE owner_id = ? AND status = 'open' AND suggested = 0 "
                "AND due_at < '2026-11-23 16:00:00'",
                (rep_id,),
            )
        }
        done_today = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM task WHERE owner_id = ? AND status IN ('done', 'skipped') "
                "AND completed_at >= '2026-11-22 16:00:00'",
                (rep_id,),
            )
        }
    shown_due = {
        t["id"].replace("-", "")
        for s in shown["sections"]
        if s["key"] != "suggested"
        for g in s["groups"]
        for t in g["tasks"]
        if not t["id"].startswith("cadence:")
    }
    assert shown_due == due

    everything = json.loads(run("queue", "--rep", rep, "--json", "--all").stdout)
    done = [
        t
        for s in everything["sections"]
        if s["key"] == "done"
        for g in s["groups"]
        for t in g["tasks"]
    ]
    assert {t["id"].replace("-", "") for t in done} == done_today
    assert done_today and all(t["status"] in ("done", "skipped") for t in done)
