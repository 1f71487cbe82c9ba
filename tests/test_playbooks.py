"""Bundled playbooks are complete, and broken ones are reported line by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core.playbook_load import PlaybookInvalid, check_playbook, load_playbook
from salesbench.playbooks import bundled_sources

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "salesbench" / "playbooks"
SOURCES = bundled_sources()
KEYS = sorted({k for k, _ in SOURCES})


def test_three_playbooks_in_two_languages() -> None:
    assert KEYS == ["b2b-lifecycle", "generic-10", "retail-5", "solution-selling"]
    assert set(SOURCES) == {(k, lang) for k in KEYS for lang in ("en", "zh-CN")}


@pytest.mark.parametrize("key", KEYS)
def test_languages_share_one_structure(key: str) -> None:
    en = load_playbook(SOURCES[(key, "en")])
    zh = load_playbook(SOURCES[(key, "zh-CN")])
    assert (en.key, en.language, zh.language) == (key, "en", "zh-CN")

    def shape(pb):
        return (
            [
                (
                    s.key,
                    s.probability,
                    s.rot_days,
                    s.gate.turnaround if s.gate else None,
                    [
                        (
                            t.key,
                            t.complete_when,
                            str(t.due),
                            t.manual,
                            t.required,
                            t.on_entry,
                            t.scripts,
                            [(c.task, c.mode, str(c.after)) for c in t.chains],
                        )
                        for t in s.tasks
                    ],
                )
                for s in pb.stages
            ],
            [(f.key, f.type, f.on, f.choices) for f in pb.fields],
            [(s.key, s.channel, s.stage) for s in pb.scripts],
            [(m.key, m.max_days, m.max_visits, m.min_price_ratio) for m in pb.modes],
            [(r.key, r.when, str(r.due), r.complete_when) for r in pb.timed_rules],
            [(r.key, r.when, r.equals, r.customer_status, r.close_as) for r in pb.status_rules],
            pb.cadence_days,
        )

    assert shape(en) == shape(zh)


@pytest.mark.parametrize("source", sorted(SOURCES), ids=lambda k: f"{k[0]}.{k[1]}")
def test_every_playbook_has_scripts_and_fields_for_data_tasks(source: tuple[str, str]) -> None:
    pb = load_playbook(SOURCES[source])
    assert len(pb.scripts) >= 25
    for stage in pb.stages:
        assert stage.tasks and stage.exit_criteria
        for task in stage.tasks:
            # a task either completes by its field criteria or is explicitly a manual one
            assert task.criteria or task.manual, task.key


def test_retail_has_five_stages_and_first_contact_completes_by_its_fields() -> None:
    pb = load_playbook(SOURCES[("retail-5", "en")])
    assert [s.key for s in pb.stages] == [
        "first_contact",
        "build_trust",
        "confirm_needs",
        "recommend",
        "negotiation",
    ]
    tasks = {t.key: t for t in pb.stages[0].tasks}
    assert set(tasks["welcome"].scripts) >= {"welcome", "self_intro"}
    assert tasks["basic_data"].complete_when == ("name", "age", "gender")
    assert tasks["visit_data"].complete_when == ("visit_source", "companions", "decision_maker")
    assert tasks["first_intent"].complete_when == ("product_category", "style")


def test_b2b_payment_reminders_nurture_rule_and_needs_report() -> None:
    pb = load_playbook(SOURCES[("b2b-lifecycle", "en")])
    assert len(pb.stages) == 8
    rules = {r.key: r for r in pb.timed_rules}
    assert (rules["first_payment_reminder"].when, str(rules["first_payment_reminder"].due)) == (
        "contract_signed_on",
        "PT24H",
    )
    assert (rules["final_payment_reminder"].when, str(rules["final_payment_reminder"].due)) == (
        "accepted_on",
        "P3D",
    )
    assert any(r.customer_status == "nurture" for r in pb.status_rules)
    report = pb.task("needs_report").complete_when
    assert report == ("current_state", "pain_points", "goals", "budget_range", "decision_process")
    assert str(pb.task("first_email").due) == "PT24H"
    assert [c.after.text for c in pb.task("answer_questions").chains] == ["P3D"]


def test_solution_selling_has_fifteen_activities_three_gates_three_modes() -> None:
    pb = load_playbook(SOURCES[("solution-selling", "en")])
    assert len(pb.stages) == 5
    # the 15 key activities; a gate's turnaround and reference-case tasks open on its answer
    assert sum(1 for s in pb.stages for t in s.tasks if t.on_entry) == 15
    assert all(t.purpose and t.guidance and t.check for s in pb.stages for t in s.tasks)
    assert [s.gate is not None for s in pb.stages] == [False, True, True, True, False]
    modes = {m.key: m for m in pb.modes}
    assert (
        modes["quick_knife"].max_days,
        modes["quick_knife"].max_visits,
        modes["quick_knife"].min_price_ratio,
    ) == (7, 3, 0.8)
    assert (modes["advisor"].max_days, modes["advisor"].max_visits) == (30, 5)
    assert modes["strategic"].team
    keys = {s.key for s in pb.scripts}
    assert len([k for k in keys if k.startswith("close_")]) == 9
    assert len([k for k in keys if k.startswith("objection_")]) == 4
    assert {
        "follow_up_letter_1",
        "follow_up_letter_2",
        "follow_up_letter_3",
        "fbv_pitch",
        "phone_opener",
        "funnel_open",
        "funnel_summary",
    } <= keys


RETAIL = SOURCES[("retail-5", "en")]


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'complete_when = ["name", "age", "gender"]',
            'complete_when = ["name", "age", "shoe_size"]',
            '"shoe_size"',
            "unknown field 'shoe_size'",
        ),
        ('key = "style_question"', 'key = "welcome"', 'key = "welcome"', "duplicate script key"),
        ('due = "P3D"', 'due = "three days"', 'due = "three days"', "not a duration"),
        (
            "{opportunity.style} style",
            "{opportunity.colour} style",
            "{opportunity.colour",
            "names no field",
        ),
        ('key = "share_cases"', 'key = "welcome"', 'key = "welcome"', "duplicate task key"),
        ("probability = 0.25", "probability = 2.5", "probability = 2.5", "between 0 and 1"),
        (
            'scripts = ["budget_question"]',
            'scripts = ["budget_questoin"]',
            "budget_questoin",
            "no script 'budget_questoin'",
        ),
    ],
)
def test_validator_names_the_line_of_each_problem(
    old: str, new: str, needle: str, message: str
) -> None:
    assert old in RETAIL
    broken = RETAIL.replace(old, new, 1)
    _pb, problems = check_playbook(broken)
    assert problems, "the broken copy was accepted"
    expected_line = RETAIL[: RETAIL.index(old)].count("\n") + 1
    assert needle in broken.splitlines()[expected_line - 1]
    assert any(message in p.message and p.line == expected_line for p in problems), problems


def test_stage_without_tasks_and_unknown_keys() -> None:
    text = RETAIL.replace(
        '[[stages]]\nkey = "build_trust"',
        '[[stages]]\nkey = "empty"\nname = "Empty"\nprobability = 0.2\ncolour = "red"\n\n'
        '[[stages]]\nkey = "build_trust"',
        1,
    )
    _pb, problems = check_playbook(text)
    messages = " | ".join(p.message for p in problems)
    assert "stage 'empty' has no tasks" in messages
    assert "unknown key 'colour'" in messages
    assert any(p.line == _line_of(text, 'colour = "red"') for p in problems)


def test_syntax_error_reports_line_and_column() -> None:
    _pb, problems = check_playbook('[playbook]\nkey = "x"\nname = \n')
    assert len(problems) == 1 and problems[0].line == 3
    assert problems[0].message.startswith("not valid TOML")


def test_load_raises_with_every_problem() -> None:
    with pytest.raises(PlaybookInvalid) as err:
        load_playbook(RETAIL.replace('due = "P3D"', 'due = "3D"'), "retail.toml")
    assert str(err.value).startswith("retail.toml:")
    assert len(err.value.problems) >= 3


def test_cli_validate_accepts_bundled_and_rejects_a_broken_copy(tmp_path: Path) -> None:
    runner = CliRunner()
    files = [str(p) for p in sorted(BUNDLED_DIR.glob("*.toml"))]
    ok = runner.invoke(app, ["playbook", "validate", *files])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count(": ok (") == len(files)

    broken = tmp_path / "broken.toml"
    broken.write_text(RETAIL.replace('"age", "gender"]', '"age", "gendre"]', 1), encoding="utf-8")
    bad = runner.invoke(app, ["playbook", "validate", str(broken)])
    assert bad.exit_code == 2
    line = _line_of(broken.read_text(encoding="utf-8"), '"gendre"')
    assert f"{broken}:{line}:" in bad.output and "unknown field 'gendre'" in bad.output
