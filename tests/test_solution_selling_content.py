"""Solution selling as seed 004 teaches it: each key activity's check criteria are met
only by the customer's "yes" (or the value the seed asks for), the opportunity
assessment's rubric adds up to the score that suggests the mode, the selection
scorecard is a scored table, every activity carries the seed's key skills, the script
library is as deep as the seed, and the English and Chinese playbooks agree key for key."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from salesbench.core.criteria import Criterion, open_criteria
from salesbench.core.playbook import Playbook
from salesbench.core.playbook_load import load_playbook
from tests.conftest import rows, tick_checklists

BUNDLED = Path(__file__).parent.parent / "salesbench" / "playbooks"
LANGUAGES = ("en", "zh-CN")
ACTIVITIES = (
    "mine_opportunity",
    "assess_opportunity",
    "prepare_visit",
    "visit_verify",
    "explore_needs",
    "buying_vision",
    "confirm_scope",
    "selection_criteria",
    "provide_solution",
    "solution_presentation",
    "commercial_negotiation",
    "sign_contract",
    "first_payment",
    "handover",
    "start_implementation",
)
# the seed's check criteria (issue 16's list) and the field that carries each
SEED_CRITERIA = {
    "customer accepts a visit": ("mine_opportunity", "visit_accepted"),
    "customer enjoys talking to you": ("visit_verify", "enjoys_talking"),
    "customer recognises our expertise": ("explore_needs", "expertise_recognised"),
    "customer agrees on the needs": ("explore_needs", "needs_agreed"),
    "customer accepts the reference case": ("buying_vision", "reference_accepted"),
    "needs within our capability": ("confirm_scope", "within_capability"),
    "rivals measured with our criteria": ("selection_criteria", "scorecard_rival"),
    "reviewed by manager/advisor": ("provide_solution", "solution_reviewed"),
    "decision maker accepts the value": ("solution_presentation", "value_accepted"),
    "customer signals negotiation": ("solution_presentation", "negotiation_signal"),
    "customer agrees to sign": ("commercial_negotiation", "agrees_to_sign"),
    "numbered and archived": ("sign_contract", "contract_number"),
    "manager reviews the contract": ("sign_contract", "contract_reviewed"),
    "amount/date per contract": ("first_payment", "paid_per_contract"),
    "compliant invoice": ("first_payment", "invoice_compliant"),
    "finance handover": ("first_payment", "finance_handover"),
    "on-site handover": ("start_implementation", "onsite_handover"),
}


def playbook(language: str) -> Playbook:
    path = BUNDLED / f"solution-selling.{language}.toml"
    return load_playbook(path.read_text(encoding="utf-8"), str(path))


def meeting_value(c: Criterion) -> Any:
    """A value that meets the criterion, as the store holds it."""
    if c.op == "equals":
        return c.value
    if c.op == "in":
        return c.value[0]
    if c.op in ("at_least", "at_most"):
        return c.value * 100 if c.field_type == "money" else c.value
    return {"int": 60, "money": 100_00, "bool": True, "date": "2026-12-01"}.get(
        c.field_type, "recorded"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(SEED_CRITERIA))
def test_each_seed_criterion_is_met_only_by_its_yes_or_value(language: str, name: str) -> None:
    key, field = SEED_CRITERIA[name]
    task = playbook(language).task(key)
    (criterion,) = [c for c in task.criteria if c.field == field]
    values = {c.field: meeting_value(c) for c in task.criteria}
    assert open_criteria(task, values) == []
    wrong: list[Any] = [None, ""] + ([False] if criterion.field_type == "bool" else [])
    for value in wrong:
        assert open_criteria(task, {**values, field: value}) == [criterion.text], value
    assert criterion.text in task.check  # the rep reads it among the task's checks


def js(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli: Any) -> Any:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def status(db: Any, origin: str) -> list[tuple[Any, ...]]:
    return rows(db, "SELECT status, completed_how FROM task WHERE origin = ?", origin)


# each activity: the facts it records, then the customer's answers (bool fields)
WALK: list[tuple[str, list[str], list[str]]] = [
    ("mine_opportunity", ["source=tender", "project_need=finance system"], ["visit_accepted"]),
    (
        "assess_opportunity",
        [
            *("budget_confirmed=yes", "decision_maker=CFO Liu", "competition=one rival"),
            *("assessment_score=60", "mode=advisor"),
        ],
        [],
    ),
    ("prepare_visit", ["visit_on=2026-11-25", "visit_questions=what slows month-end?"], []),
    ("visit_verify", [], ["enjoys_talking", "assessment_verified"]),
    (
        "explore_needs",
        ["pain_points=month-end takes long"],
        ["expertise_recognised", "needs_agreed"],
    ),
    (
        "buying_vision",
        ["vision=books closed fast", "letter1_on=2026-11-26"],
        ["pain_acknowledged", "wants_pain_solved", "reference_accepted"],
    ),
    (
        "confirm_scope",
        ["scope=finance", "letter2_on=2026-12-01"],
        ["scope_confirmed", "within_capability"],
    ),
    ("selection_criteria", ["scorecard=72", "scorecard_rival=58"], ["criteria_accepted"]),
    ("provide_solution", ["solution_delivered_on=2026-12-03"], ["solution_reviewed"]),
    (
        "solution_presentation",
        ["presented_on=2026-12-07", "letter3_on=2026-12-08"],
        ["value_accepted", "negotiation_signal"],
    ),
    (
        "commercial_negotiation",
        ["list_price=300000", "amount=280000"],
        ["terms_agreed", "agrees_to_sign"],
    ),
    (
        "sign_contract",
        ["contract_signed_on=2026-12-10", "contract_number=HT-2026-01"],
        ["contract_reviewed"],
    ),
    (
        "first_payment",
        ["first_payment_on=2026-12-11"],
        ["paid_per_contract", "invoice_compliant", "finance_handover"],
    ),
    ("handover", [], ["handed_over"]),
    ("start_implementation", ["kickoff_on=2026-12-15"], ["onsite_handover", "reference_case"]),
]
STAGE_OF = {
    "mine_opportunity": "develop_opportunity",
    "prepare_visit": "guide_needs",
    "confirm_scope": "set_criteria",
    "solution_presentation": "present_value",
    "first_payment": "realize_sale",
}


@pytest.mark.both_backends
def test_walk_one_deal_where_only_the_customers_yes_completes_each_activity(rep, db) -> None:
    assert rep("customer", "add", "Big Co").exit_code == 0
    assert rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling").exit_code == 0
    for key, facts, answers in WALK:
        if key in STAGE_OF and key != "mine_opportunity":
            moved = js(rep("opp", "move", "ERP", "--yes-answer", "--json"))
            assert moved["opportunity"]["stage_key"] == STAGE_OF[key], moved
        no = [f"{a}=no" for a in answers]
        assert rep("opp", "set", "ERP", *facts, *no).exit_code == 0
        if answers or key == "sign_contract":  # every criterion but a hand-ticked one is open
            assert status(db, key) == [("open", None)], key
        tick_checklists(rep, db, origin=key)  # what the rep confirms by hand
        for answer in answers[:-1]:
            assert rep("opp", "set", "ERP", f"{answer}=yes").exit_code == 0
            assert status(db, key) == [("open", None)], (key, answer)  # one yes is not all
        if key == "sign_contract":  # numbered and archived: the number is the record
            assert rep("opp", "set", "ERP", "contract_number=").exit_code == 0
            assert rep("opp", "set", "ERP", "contract_reviewed=yes").exit_code == 0
            assert status(db, key) == [("open", None)]
            assert rep("opp", "set", "ERP", "contract_number=HT-2026-01").exit_code == 0
        elif answers:
            assert rep("opp", "set", "ERP", f"{answers[-1]}=yes").exit_code == 0
        assert status(db, key) == [("done", "auto")], key
    assert rows(db, "SELECT stage_key FROM opportunity") == [("realize_sale",)]
    assert status(db, "reference_case_step") == [("done", "auto")]
    assert rep("opp", "won", "ERP").exit_code == 0
    assert rows(db, "SELECT status FROM opportunity") == [("won",)]


RUBRIC = ("score_need", "score_budget", "score_decision", "score_competition", "score_value")
RANGE = re.compile(r"\((\d+)-(\d+)")


def top(pb: Playbook, key: str) -> int:
    (field,) = [f for f in pb.fields if f.key == key]
    found = RANGE.search(field.label.replace("（", "(").replace("）", ")"))
    assert found and found.group(1) == "0", field.label
    assert field.type == "int"
    return int(found.group(2))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rubric_adds_up_to_the_score_the_modes_split(language: str) -> None:
    pb = playbook(language)
    assert pb.rule_settings.score_field == "assessment_score"
    assert sum(top(pb, k) for k in RUBRIC) == top(pb, "assessment_score") == 100
    for key in RUBRIC:  # each item says how to score it
        (field,) = [f for f in pb.fields if f.key == key]
        assert field.help and len(re.findall(r"\d+", field.help)) >= 3, field.help
    guidance = pb.task("assess_opportunity").guidance
    for key in RUBRIC:
        assert f"(0-{top(pb, key)})" in guidance.replace("（", "(").replace("）", ")"), key
    ranges = sorted((m.min_score, m.max_score) for m in pb.modes)
    assert ranges[0][0] == 0 and ranges[-1][1] == 100
    assert all(hi + 1 == lo for (_, hi), (lo, _) in itertools.pairwise(ranges))


@pytest.mark.both_backends
def test_the_rubric_scores_sum_into_the_score_and_suggest_the_mode(rep, db) -> None:
    assert rep("customer", "add", "Mid Co").exit_code == 0
    assert rep("opp", "add", "Mid Co", "Suite", "--playbook", "solution-selling").exit_code == 0
    items = {"score_need": 20, "score_budget": 10, "score_decision": 10}
    items |= {"score_competition": 8, "score_value": 8}
    pairs = [f"{k}={v}" for k, v in items.items()]
    total = sum(items.values())
    out = js(rep("opp", "set", "Suite", *pairs, f"assessment_score={total}", "--json"))
    assert f"assessment score {total} suggests the Advisor mode (advisor)" in out["notes"]
    view = js(rep("opp", "show", "Suite", "--json"))
    assert view["suggested_mode"] == "advisor"
    assert rows(db, "SELECT mode FROM opportunity") == [(None,)]
    stored = {k: view["fields"][k]["value"] for k in RUBRIC}
    assert stored == items
    assert sum(stored.values()) == view["fields"]["assessment_score"]["value"] == total
    top_marks = ("score_need=25", "score_budget=25", "score_decision=20")
    top_marks += ("score_competition=15", "score_value=15", "assessment_score=100")
    out = js(rep("opp", "set", "Suite", *top_marks, "--json"))
    assert "assessment score 100 suggests the Strategic mode (strategic)" in out["notes"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_selection_scorecard_is_a_scored_table_ours_against_the_rival(language: str) -> None:
    pb = playbook(language)
    keys = {f.key for f in pb.fields}
    ours = sorted(k for k in keys if k.startswith("sc_") and k.endswith("_ours"))
    assert len(ours) >= 4
    for key in ours:
        assert top(pb, key) == top(pb, key.replace("_ours", "_rival"))
    assert sum(top(pb, k) for k in ours) == top(pb, "scorecard") == top(pb, "scorecard_rival")
    fields = {c.field for c in pb.task("selection_criteria").criteria}
    assert {"scorecard", "scorecard_rival", "criteria_accepted"} <= fields


def test_every_activity_has_the_seeds_key_skills_in_both_languages() -> None:
    en, zh = playbook("en"), playbook("zh-CN")
    for key in ACTIVITIES:
        assert en.task(key).skills, key
        assert len(en.task(key).skills) == len(zh.task(key).skills), key
        assert any(re.search(r"[\u4e00-\u9fff]", s) for s in zh.task(key).skills), key
    seed = {
        "mine_opportunity": "电话技巧",
        "prepare_visit": "拜访技巧",
        "visit_verify": "开场白技巧",
        "explore_needs": "提问技巧",
        "solution_presentation": "方案介绍技巧（FBV）",
        "commercial_negotiation": "促进成交技巧",
        "buying_vision": "疼痛分析技术",
        "confirm_scope": "调研技术",
        "selection_criteria": "翻盘技巧",
    }
    for key, skill in seed.items():
        assert any(skill in s for s in zh.task(key).skills), (key, skill)
    assert "异议处理技巧" in zh.task("commercial_negotiation").skills


def steps(body: str) -> int:
    return len(re.findall(r"^\d+\. ", body, re.M))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_script_library_is_as_deep_as_the_seed(language: str) -> None:
    pb = playbook(language)
    scripts = {s.key: s for s in pb.scripts}
    depth = {
        "phone_opener": 8,
        "visit_steps": 6,
        "attention_getters": 5,
        "first_visit_opening": 8,
        "question_funnel": 6,
        "handle_objection_steps": 6,
    }
    for key, count in depth.items():
        assert steps(scripts[key].body) == count, key
    closing = [k for k in scripts if k.startswith("close_")]
    objections = [k for k in scripts if k.startswith("objection_")]
    assert len(closing) == 9 and len(objections) == 4
    assert set(closing) <= set(pb.task("sign_contract").scripts)
    assert len(pb.task("sign_contract").scripts) <= 9  # the workbench shows nine
    assert "resolved_concerns" in scripts["close_elimination"].requires  # worries removed
    assert {"sign_by", "kickoff_on"} <= set(scripts["close_warning"].requires)
    assert "industry_fact" in scripts["attention_getters"].requires
    if language == "zh-CN":
        for name in ("警戒法", "排除法", "哀兵法", "忽视法", "补偿法", "转化法", "反问法"):
            assert any(name in s.title for s in pb.scripts), name
        assert (
            "差在哪" in scripts["close_sympathy"].body and "补救" in scripts["close_sympathy"].body
        )
        for kind in ("事实式", "问题式", "称赞式", "工具式", "关联式"):
            assert kind in scripts["attention_getters"].body
        for when in ("预先处理", "立即处理", "延后处理"):
            assert when in scripts["handle_objection_steps"].body
        assert all("应用模式" not in m.name for m in pb.modes)  # the modes keep their names
        assert "应用模式" in pb.description or any("应用模式" in f.label for f in pb.fields)


def test_bundled_solution_selling_validates_without_warnings(cli) -> None:
    for language in LANGUAGES:
        result = cli("playbook", "validate", str(BUNDLED / f"solution-selling.{language}.toml"))
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output


def shape(pb: Playbook) -> dict[str, Any]:
    return {
        "score_field": pb.rule_settings.score_field,
        "fields": [(f.key, f.type) for f in pb.fields],
        "stages": [
            (
                s.key,
                s.gate and (tuple(s.gate.on_no), tuple(s.gate.on_yes), s.gate.turnaround),
                [
                    (
                        t.key,
                        t.role,
                        len(t.check),
                        len(t.skills),
                        tuple(t.scripts),
                        tuple((c.field, c.op, c.value) for c in t.criteria),
                    )
                    for t in s.tasks
                ],
            )
            for s in pb.stages
        ],
        "scripts": [(s.key, s.channel, s.stage, tuple(s.requires)) for s in pb.scripts],
        "modes": [
            (m.key, m.min_score, m.max_score, [(v.title != "", v.roles) for v in m.visits])
            for m in pb.modes
        ],
    }


def test_english_and_chinese_have_the_same_keys_everywhere() -> None:
    en, zh = shape(playbook("en")), shape(playbook("zh-CN"))
    for part in en:
        assert en[part] == zh[part], part
    modes = {m.key: m for m in playbook("zh-CN").modes}
    assert len(modes["quick_knife"].visits) == 3 and len(modes["advisor"].visits) == 5
