from __future__ import annotations

from datetime import UTC, date, time, timedelta, timezone

from salesbench.core.remind import MARK_BEGIN, MARK_END, cron_lines, replace_block
from salesbench.core.workday import Workday


def test_cron_lines_convert_the_reps_hours_to_the_machines_clock() -> None:
    shanghai = Workday("Asia/Shanghai")  # 09:00-18:00 Mon-Fri
    lines = cron_lines(shanghai, UTC, "salesbench remind", date(2026, 11, 23))
    assert lines == [
        MARK_BEGIN,
        "0 1 * * 1,2,3,4,5 salesbench remind --mode morning",
        "30 9 * * 1,2,3,4,5 salesbench remind --mode eod",
        MARK_END,
    ]


def test_cron_days_shift_when_the_time_crosses_midnight() -> None:
    tokyo = Workday("Asia/Tokyo", time(8, 0), time(17, 0))  # 08:00 JST is 23:00 UTC the day before
    lines = cron_lines(tokyo, UTC, "x", date(2026, 11, 23))
    assert lines[1] == "0 23 * * 0,1,2,3,4 x --mode morning"  # Sunday-Thursday evenings
    assert lines[2] == "30 7 * * 1,2,3,4,5 x --mode eod"
    local = cron_lines(tokyo, timezone(timedelta(hours=9)), "x", date(2026, 11, 23))
    assert local[1] == "0 8 * * 1,2,3,4,5 x --mode morning"


def test_replace_block_keeps_other_entries_and_is_idempotent() -> None:
    lines = [MARK_BEGIN, "0 1 * * 1 a", MARK_END]
    first = replace_block("MAILTO=me\n5 * * * * backup\n", lines)
    assert first == f"MAILTO=me\n5 * * * * backup\n\n{MARK_BEGIN}\n0 1 * * 1 a\n{MARK_END}\n"
    again = replace_block(first, [MARK_BEGIN, "0 2 * * 1 b", MARK_END])
    assert again.count(MARK_BEGIN) == 1 and "0 2 * * 1 b" in again and "0 1 * * 1 a" not in again
    assert "5 * * * * backup" in again


def test_remind_is_silent_after_hours_unless_forced(cli, monkeypatch) -> None:
    cli("init", "--name", "Wang Fang", "--email", "wf@example.com")
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-23T13:00:00+00:00")  # 21:00 in Shanghai
    assert cli("remind", "--no-notify").output == ""
    forced = cli("remind", "--no-notify", "--force")
    assert forced.output.startswith("End-of-day review · Wang Fang")
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-23T01:30:00+00:00")  # 09:30
    assert cli("remind", "--no-notify").output.startswith("Morning review · Wang Fang")
    monkeypatch.setenv("TZ", "UTC")  # cron reads its lines in the machine's zone
    installed = cli("remind", "--install")
    assert "0 1 * * 1,2,3,4,5 " in installed.output and "--mode eod" in installed.output
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # the rep's own zone: the same 09:00
    assert "0 9 * * 1,2,3,4,5 " in cli("remind", "--install").output


def test_a_zh_cn_reps_reminder_speaks_chinese(cli, monkeypatch) -> None:
    """The morning and end-of-day prompts said "Morning review · 王芳", "3 tasks today,
    0 overdue. First: …" to a zh-CN rep (issue 18): the notification is in their words."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    assert cli("customer", "add", "李娜", "--kind", "person").exit_code == 0
    assert cli("opp", "add", "李娜", "沙发", "--playbook", "retail-5").exit_code == 0
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-23T01:30:00+00:00")  # 09:30 in Shanghai
    morning = cli("remind", "--no-notify").output
    assert morning.startswith("早盘点 · 王芳\n"), morning
    assert "个待办" in morning and "先做：" in morning, morning
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-23T09:40:00+00:00")  # 17:40
    evening = cli("remind", "--no-notify").output
    assert evening.startswith("下班前盘点 · 王芳\n"), evening
    assert "今日完成" in evening and "离开前记录今天的跟进" in evening, evening
    assert not any(w in morning + evening for w in ("review", "tasks today", "First", "done today"))
