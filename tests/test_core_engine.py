"""The pure engine: durations, workdays, templates, stage progress, moves and chains."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from salesbench.core import engine
from salesbench.core.durations import parse_duration
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.playbook_load import load_playbook
from salesbench.core.render import placeholders, render
from salesbench.core.snooze import snooze_until
from salesbench.core.workday import EOD, MORNING, Workday

SH = Workday("Asia/Shanghai")  # 09:00-18:00, Monday to Friday


def sh(*args: int) -> datetime:
    """A Shanghai wall-clock time as aware UTC."""
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "hours", "has_time"),
    [
        ("P0D", 0, False),
        ("P3D", 72, False),
        ("P2W", 336, False),
        ("PT24H", 24, True),
        ("PT1H30M", 1.5, True),
        ("P1DT4H", 28, True),
        ("p1d", 24, False),
    ],
)
def test_durations(text: str, hours: float, has_time: bool) -> None:
    d = parse_duration(text)
    assert d.delta.total_seconds() == hours * 3600 and d.has_time is has_time


@pytest.mark.parametrize("bad", ["3D", "P", "PT", "P1DT", "P-1D", "1 day", "P1.5D", ""])
def test_bad_durations(bad: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(bad)


def test_day_rules_are_due_at_close_of_the_working_day() -> None:
    monday_10 = sh(2026, 11, 23, 10)
    assert SH.due(monday_10, parse_duration("P0D")) == sh(2026, 11, 23, 18)
    assert SH.due(monday_10, parse_duration("P3D")) == sh(2026, 11, 26, 18)


def test_hour_rules_are_exact() -> None:
    assert SH.due(sh(2026, 11, 23, 10), parse_duration("PT24H")) == sh(2026, 11, 24, 10)
    assert SH.due(sh(2026, 11, 23, 17, 30), parse_duration("PT1H")) == sh(2026, 11, 23, 18, 30)


def test_due_on_a_closed_day_moves_to_the_next_working_morning() -> None:
    friday_15 = sh(2026, 11, 27, 15)
    assert SH.due(friday_15, parse_duration("PT24H")) == sh(2026, 11, 30, 9)  # Saturday -> Monday
    assert SH.due(friday_15, parse_duration("P1D")) == sh(2026, 11, 30, 9)
    six_day = Workday("Asia/Shanghai", weekdays=frozenset(range(6)))
    assert six_day.due(friday_15, parse_duration("PT24H")) == sh(2026, 11, 28, 15)


def test_review_mode_follows_the_workday() -> None:
    assert SH.review_mode(sh(2026, 11, 23, 8, 59)) is None  # before hours: no prompt
    assert SH.review_mode(sh(2026, 11, 23, 9, 0)) == MORNING
    assert SH.review_mode(sh(2026, 11, 23, 13, 29)) == MORNING
    assert SH.review_mode(sh(2026, 11, 23, 13, 30)) == EOD
    assert SH.review_mode(sh(2026, 11, 23, 18, 0)) is None
    assert SH.review_mode(sh(2026, 11, 28, 10)) is None  # Saturday
    assert SH.default_mode(sh(2026, 11, 23, 20)) == EOD
    assert SH.default_mode(sh(2026, 11, 23, 7)) == MORNING


def test_other_timezones() -> None:
    berlin = Workday("Europe/Berlin", time(8, 30), time(17, 0))
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert berlin.review_mode(at) == MORNING
    assert berlin.today(datetime(2026, 11, 23, 23, 30, tzinfo=UTC)) == date(2026, 11, 24)
    with pytest.raises(ValueError, match="timezone"):
        Workday("Mars/Olympus")


def test_snooze_presets() -> None:
    now = sh(2026, 11, 27, 16)  # Friday afternoon
    assert snooze_until("1h", now, SH) == sh(2026, 11, 27, 17)
    assert snooze_until("tomorrow", now, SH) == sh(2026, 11, 30, 9)
    assert snooze_until("next-week", now, SH) == sh(2026, 11, 30, 9)
    assert snooze_until("2026-12-02", now, SH) == sh(2026, 12, 2, 9)
    assert snooze_until("2026-12-05", now, SH) == sh(2026, 12, 7, 9)  # a Saturday
    with pytest.raises(ValueError, match="not a snooze time"):
        snooze_until("whenever", now, SH)


def test_render_fills_falls_back_and_keeps_missing_visible() -> None:
    ctx = {"rep": {"name": "王芳"}, "contact": {"name": None}, "customer": {"name": "ACME"}}
    out = render("{contact.name|您好}，我是{rep.name}. {{x}} {customer.age} / {customer.name}", ctx)
    assert out.text == "您好，我是王芳. {x} {customer.age} / ACME"
    assert out.missing == ("customer.age",)


def test_placeholders_reject_malformed_templates() -> None:
    assert placeholders("Hi {rep.name|x} {{literal}}") == [("rep", "name")]
    for bad in ["Hi {rep}", "Hi {rep.name", "oops }"]:
        with pytest.raises(ValueError):
            placeholders(bad)


MINI = """
[playbook]
key = "mini"
name = "Mini"
language = "en"
version = "1"

[[fields]]
key = "budget"
type = "money"

[[fields]]
key = "signed_on"
type = "date"

[[stages]]
key = "zero"
name = "Zero"
probability = 0.1

[[stages.tasks]]
key = "meet"
title = "Meet"

[[stages]]
key = "one"
name = "One"
probability = 0.2
gate = { question = "Go on?", turnaround = "zero" }

[[stages.tasks]]
key = "ask_budget"
title = "Ask the budget"
complete_when = ["budget"]
due = "P1D"
trigger = { task = "follow_up", after = "P2D" }

[[stages.tasks]]
key = "follow_up"
title = "Follow up"
on_entry = false
required = false

[[stages.tasks]]
key = "chat"
title = "Chat"

[[stages]]
key = "two"
name = "Two"
probability = 0.6

[[stages.tasks]]
key = "sign"
title = "Sign"
complete_when = ["signed_on"]

[[stages]]
key = "three"
name = "Three"
probability = 0.9

[[stages.tasks]]
key = "celebrate"
title = "Celebrate"
"""


def _states(plans: list[engine.NewTask]) -> list[engine.TaskState]:
    return [
        engine.TaskState(i, p.origin_kind, p.origin, p.stage_key, p.status)
        for i, p in enumerate(plans)
    ]


def test_entering_a_stage_makes_its_entry_tasks_with_due_dates() -> None:
    pb = load_playbook(MINI)
    plans = engine.enter_stage(pb, "one", sh(2026, 11, 23, 10), SH, {})
    assert [(p.origin, p.status) for p in plans] == [("ask_budget", "open"), ("chat", "open")]
    assert plans[0].due_at == sh(2026, 11, 24, 18) and plans[1].due_at is None


def test_tasks_whose_fields_are_filled_start_done() -> None:
    pb = load_playbook(MINI)
    plans = engine.enter_stage(pb, "one", sh(2026, 11, 23, 10), SH, {"budget": 100})
    assert (plans[0].status, plans[0].completed_how) == ("done", "auto")


def test_completion_by_fields_and_chaining() -> None:
    pb = load_playbook(MINI)
    states = _states(engine.enter_stage(pb, "one", sh(2026, 11, 23, 10), SH, {}))
    assert engine.completed_by_fields(pb, states, {"budget": None}) == []
    done = engine.completed_by_fields(pb, states, {"budget": 5000})
    assert [s.origin for s in done] == ["ask_budget"]
    follow = engine.chained(pb, done[0], sh(2026, 11, 23, 11), SH, {})
    assert [(f.origin, f.due_at) for f in follow] == [("follow_up", sh(2026, 11, 25, 18))]


def test_gate_needs_an_answer_and_no_turns_around() -> None:
    pb = load_playbook(MINI)
    done = [
        engine.TaskState(1, "playbook", "ask_budget", "one", "done"),
        engine.TaskState(2, "playbook", "chat", "one", "done"),
    ]
    with pytest.raises(BadInput, match="Go on"):
        engine.plan_move(pb, "one", done)
    assert engine.plan_move(pb, "one", done, answer="yes").target == "two"
    back = engine.plan_move(pb, "one", done, answer="no")
    assert (back.target, back.via) == ("zero", "turnaround")  # a gate turns back


def test_moving_on_needs_the_required_tasks_done() -> None:
    pb = load_playbook(MINI)
    open_ = [engine.TaskState(1, "playbook", "sign", "two", "open")]
    with pytest.raises(Conflict, match="open: Sign"):
        engine.plan_move(pb, "two", open_)
    assert engine.plan_move(pb, "two", open_, force=True).target == "three"
    assert engine.plan_move(pb, "two", open_, to="one").via == "jump"  # back is always fine
    with pytest.raises(Conflict, match="last stage"):
        engine.plan_move(
            pb, "three", [engine.TaskState(1, "playbook", "celebrate", "three", "done")]
        )


def test_stage_progress_counts_required_tasks_only() -> None:
    pb = load_playbook(MINI)
    progress = engine.stage_progress(
        pb,
        "one",
        [
            engine.TaskState(1, "playbook", "ask_budget", "one", "done"),
            engine.TaskState(2, "playbook", "follow_up", "one", "open"),
        ],
    )
    assert (progress.done, progress.total, progress.open_required) == (1, 2, ("chat",))


def test_timed_rules_fire_when_their_field_is_first_filled() -> None:
    pb = load_playbook(
        MINI.replace(
            '[[stages]]\nkey = "one"',
            '''[[rules.timed]]
key = "pay"
when = "signed_on"
due = "PT24H"
title = "Payment reminder"

[[stages]]
key = "one"''',
            1,
        )
    )
    at = sh(2026, 11, 23, 10)
    fired = engine.rules_fired(pb, {}, {"signed_on": "2026-11-23"}, at, SH)
    assert [(f.origin, f.due_at) for f in fired] == [("pay", sh(2026, 11, 24, 10))]
    assert engine.rules_fired(pb, {"signed_on": "x"}, {"signed_on": "y"}, at, SH) == []


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("2026-13-01", "2026-13-01 is not a day of the calendar"),
        ("2026-13-01 10:00", "'2026-13-01 10:00': 2026-13-01 is not a day of the calendar"),
    ],
)
def test_an_impossible_snooze_day_is_named_once(spec: str, said: str) -> None:
    """Saying "'2026-13-01': 2026-13-01 is not a day of the calendar" repeated what was typed
    (walkthrough); the day alone is named once, a day in a longer time is pointed at."""
    now = sh(2026, 11, 27, 16)
    with pytest.raises(ValueError) as raised:
        snooze_until(spec, now, SH)
    assert str(raised.value) == said
