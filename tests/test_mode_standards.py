"""A sales mode's standards at work (issue 16, item 6): an enforced price floor holds
the negotiation open, the team standard is checked, the assessment score suggests the
mode, and the mode's description is shown (`opp show`, the workbench's deal screen)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salesbench.core.modes import check_mode, holding, suggest_mode
from salesbench.core.playbook import ModeDef
from salesbench.services.activities import log_activity
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.services.sop import set_fields
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.opportunity_screen import OpportunityScreen
from tests.conftest import CLOCK, NOW, rows, tick_checklists
from tests.sop_world import sh
from tests.tui_support import settle


def js(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def rep(cli):
    ok(cli("init", "--name", "Wang Fang", "--email", "wf@example.com"))
    return cli


def negotiation(db) -> list[tuple]:
    return rows(
        db, "SELECT status, completed_how FROM task WHERE origin = 'commercial_negotiation'"
    )


AGREED = ("terms_agreed=yes", "agrees_to_sign=yes")  # seed 004's negotiation criteria
QUICK_DEAL = ("--playbook", "solution-selling", "--stage", "present_value", "--mode", "quick_knife")


@pytest.mark.both_backends
def test_quick_knife_floor_holds_the_negotiation_at_70_percent(rep, db) -> None:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "Finance pack", *QUICK_DEAL))
    assert negotiation(db) == [("open", None)]
    tick_checklists(rep, db, origin="commercial_negotiation")  # the standard is the point here
    out = js(
        rep("opp", "set", "Finance pack", "list_price=100000", "amount=70000", *AGREED, "--json")
    )
    assert negotiation(db) == [("open", None)]  # 70 % of list: not done by itself
    assert any(
        "stays open: price at 70% of list; Quick knife keeps at least 80%" in note
        for note in out["notes"]
    ), out["notes"]
    shown = rep("opp", "show", "Finance pack")
    assert "! price at 70% of list; Quick knife keeps at least 80%  (enforced)" in shown.output
    ok(rep("opp", "set", "Finance pack", "amount=85000"))  # back above the floor
    assert negotiation(db) == [("done", "auto")]


@pytest.mark.both_backends
def test_ticking_the_last_item_does_not_get_round_the_floor(rep, db) -> None:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "Finance pack", *QUICK_DEAL))
    said = js(
        rep("opp", "set", "Finance pack", "list_price=100000", "amount=70000", *AGREED, "--json")
    )
    notes = " ".join(said["notes"])  # the standard, not "tick it to finish"
    assert "Quick knife keeps at least 80%" in notes and "to tick" not in notes, notes
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'commercial_negotiation'")[0]
    out = js(rep("task", "check", str(task_id), "1", "--json"))
    assert negotiation(db) == [("open", None)]  # 70 % of list: the tick does not finish it
    assert any("Quick knife keeps at least 80%" in note for note in out["notes"]), out
    ok(rep("opp", "set", "Finance pack", "amount=85000"))
    assert negotiation(db) == [("done", "auto")]


@pytest.mark.both_backends
def test_a_mode_without_the_floor_lets_the_negotiation_complete(rep, db) -> None:
    ok(rep("customer", "add", "Mid Co"))
    ok(
        rep(
            "opp", "add", "Mid Co", "Suite", "--playbook", "solution-selling", "--stage",
            "present_value", "--mode", "advisor",
        )
    )  # fmt: skip
    tick_checklists(rep, db, origin="commercial_negotiation")
    ok(rep("opp", "set", "Suite", "list_price=100000", "amount=70000", *AGREED))
    assert negotiation(db) == [("done", "auto")]


def test_warn_only_reports_and_holds_nothing() -> None:
    mode = ModeDef("q", "Quick", min_price_ratio=0.8, enforce="warn")
    found = check_mode(
        mode, opened_at=NOW, now=NOW, visits=1, amount=70_00, list_price=100_00, people=1
    )
    assert [(d.standard, d.blocks) for d in found] == [("price_floor", False)]
    assert holding(found, ["list_price", "amount"]) is None
    blocking = ModeDef("q", "Quick", min_price_ratio=0.8, enforce="block")
    found = check_mode(
        blocking, opened_at=NOW, now=NOW, visits=1, amount=70_00, list_price=100_00, people=1
    )
    assert holding(found, ["amount"]) == found[0]
    assert holding(found, ["contract_signed_on"]) is None  # only what reads the price waits


@pytest.mark.both_backends
def test_the_team_standard_is_checked(rep, db, monkeypatch) -> None:
    ok(rep("rep", "add", "Li Advisor", "li@example.com"))
    monkeypatch.setenv("SALESBENCH_REP", "wf@example.com")
    ok(rep("customer", "add", "Group Co"))
    ok(
        rep(
            "opp", "add", "Group Co", "Integration", "--playbook", "solution-selling",
            "--mode", "advisor",
        )
    )  # fmt: skip
    ok(rep("log", "visit", "--opp", "Integration", "--at", "2026-11-23T02:00:00+00:00"))
    assert [
        d["standard"] for d in js(rep("opp", "show", "Integration", "--json"))["mode_check"]
    ] == []
    ok(rep("log", "visit", "--opp", "Integration", "--at", "2026-11-23T04:00:00+00:00"))
    checks = js(rep("opp", "show", "Integration", "--json"))["mode_check"]
    assert [d["standard"] for d in checks] == ["team"]  # two visits, still one person
    # the advisor takes the deal on and visits: two people have worked on it
    ok(rep("opp", "edit", "Integration", "--owner", "Li Advisor"))
    ok(rep("log", "visit", "--opp", "Integration", "--at", "2026-11-23T06:00:00+00:00"))
    assert rows(db, "SELECT count(DISTINCT owner_id) FROM activity") == [(2,)]
    assert js(rep("opp", "show", "Integration", "--json"))["mode_check"] == []


@pytest.mark.both_backends
def test_the_assessment_score_suggests_the_mode(rep, db) -> None:
    ok(rep("customer", "add", "Unknown Co"))
    ok(rep("opp", "add", "Unknown Co", "Package", "--playbook", "solution-selling"))
    out = js(rep("opp", "set", "Package", "assessment_score=30", "--json"))
    assert "assessment score 30 suggests the Quick knife mode (quick_knife)" in out["notes"]
    assert rows(db, "SELECT mode FROM opportunity") == [(None,)]  # a suggestion, not a choice
    view = js(rep("opp", "show", "Package", "--json"))
    assert view["suggested_mode"] == "quick_knife"
    assert (
        "the assessment score suggests the Quick knife mode" in rep("opp", "show", "Package").output
    )
    ok(rep("opp", "set", "Package", "mode=strategic"))
    assert rows(db, "SELECT mode FROM opportunity") == [("strategic",)]
    checks = js(rep("opp", "show", "Package", "--json"))["mode_check"]
    assert {
        "standard": "score",
        "message": "assessment score 30 points to Quick knife, not Strategic",
    } in [{"standard": d["standard"], "message": d["message"]} for d in checks]


def test_score_ranges_pick_the_mode() -> None:
    modes = [
        ModeDef("quick", "Quick", min_score=0, max_score=39),
        ModeDef("advisor", "Advisor", min_score=40, max_score=74),
        ModeDef("strategic", "Strategic", min_score=75),
    ]
    assert [suggest_mode(modes, s).key for s in (0, 39, 40, 74, 75, 100)] == [  # type: ignore[union-attr]
        "quick", "quick", "advisor", "advisor", "strategic", "strategic",
    ]  # fmt: skip
    assert suggest_mode(modes, None) is None
    assert suggest_mode([ModeDef("plain", "Plain")], 50) is None


@pytest.mark.both_backends
def test_opp_show_gives_the_mode_description(rep, db) -> None:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "Finance pack", *QUICK_DEAL))
    shown = rep("opp", "show", "Finance pack").output
    assert "Quick knife mode: Small deals done fast" in shown
    modes = js(rep("opp", "show", "Finance pack", "--json"))["modes"]
    assert modes[0]["key"] == "quick_knife" and modes[0]["description"].startswith("Small deals")
    assert rows(db, "SELECT mode FROM opportunity") == [("quick_knife",)]


def test_bad_mode_keys_name_the_line() -> None:
    from salesbench.core.playbook_load import load_playbook
    from salesbench.core.playbook_reader import PlaybookInvalid

    text = (
        '[playbook]\nkey = "p"\nname = "P"\nlanguage = "en"\nversion = "1"\n'
        'score_field = "nope"\n\n'
        '[[modes]]\nkey = "q"\nname = "Q"\nenforce = "always"\nmin_score = 50\nmax_score = 10\n\n'
        '[[stages]]\nkey = "s"\nname = "S"\nprobability = 0.1\n'
    )
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(text, "p.toml")
    found = {(p.line, p.message) for p in caught.value.problems}
    assert (11, "mode 'q': enforce must be warn or block") in found
    assert (12, "mode 'q': min_score is above max_score") in found
    assert (6, "score_field names no field: 'nope'") in found


# ------------------------------------------------------------------ the workbench


async def test_the_deal_screen_shows_the_mode_and_its_enforced_floor(
    store, db_path: Path, clock
) -> None:
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Small Co"}, clock=clock)
    add_opportunity(
        store,
        "Small Co",
        {
            "title": "Finance pack",
            "playbook_key": "solution-selling",
            "stage_key": "present_value",
            "mode": "quick_knife",
        },
        clock=clock,
    )
    set_fields(store, "Finance pack", ["list_price=100000", "amount=70000"], clock=clock)
    log_activity(
        store,
        {"channel": "call", "started_at": datetime(2026, 11, 23, 1, tzinfo=UTC).isoformat()},
        clock=clock,
        opportunity_ref="Finance pack",
    )
    assert rows(db_path, "SELECT status FROM task WHERE origin = 'commercial_negotiation'") == [
        ("open",)
    ]
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        facts = str(screen.query_one("#opp-facts").render())
        assert "Quick knife mode: Small deals done fast" in facts
        assert "price at 70% of list; Quick knife keeps at least 80%" in facts


# ------------------------------------------------------------------ the visit programmes


def _bundled(language: str):
    from importlib import resources

    from salesbench.core.playbook_load import load_playbook

    name = f"solution-selling.{language}.toml"
    text = resources.files("salesbench.playbooks").joinpath(name).read_text(encoding="utf-8")
    return load_playbook(text, name)


def test_quick_knife_and_advisor_have_their_visit_programmes_in_both_languages() -> None:
    en, zh = _bundled("en"), _bundled("zh-CN")
    for pb in (en, zh):
        quick, advisor = pb.mode("quick_knife"), pb.mode("advisor")
        assert [v.roles for v in quick.visits] == [("rep",)] * 3  # the rep alone, three visits
        assert len(advisor.visits) == 5 and advisor.visits[0].roles == ("rep",)
        # from the second visit on the advisor works as a team, the manager leads the last
        assert all({"rep", "advisor", "manager"} <= set(v.roles) for v in advisor.visits[1:])
        assert advisor.visits[4].roles[0] == "manager"
        assert all(v.title and v.guidance for m in (quick, advisor) for v in m.visits)
    assert [v.roles for v in en.mode("advisor").visits] == [
        v.roles for v in zh.mode("advisor").visits
    ]
    assert "发起人" in zh.mode("advisor").visits[0].guidance  # written for the zh-CN team


@pytest.mark.both_backends
def test_opp_show_walks_the_visit_programme(rep, db) -> None:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "Finance pack", *QUICK_DEAL))
    ok(rep("log", "visit", "--opp", "Finance pack", "--at", "2026-11-23T02:00:00+00:00"))
    assert rows(db, "SELECT count(*) FROM activity WHERE channel = 'visit'") == [(1,)]
    shown = rep("opp", "show", "Finance pack").output
    assert "✓ 1. First visit: the need and the decision maker's vision (rep)" in shown
    assert "▶ 2. Second visit: present, negotiate, fix the signing date (rep)" in shown
    assert "During: present the solution; negotiate; agree when to sign." in shown
    assert "· 3. Third visit: sign and collect the first payment (rep)" in shown
    view = js(rep("opp", "show", "Finance pack", "--json"))
    assert len(view["mode_visits"]) == 3


def test_a_visit_role_must_be_known() -> None:
    from salesbench.core.playbook_load import load_playbook
    from salesbench.core.playbook_reader import PlaybookInvalid

    text = (
        '[playbook]\nkey = "p"\nname = "P"\nlanguage = "en"\nversion = "1"\n\n'
        '[[modes]]\nkey = "q"\nname = "Q"\n\n'
        '[[modes.visits]]\ntitle = "First"\nrole = ["rep", "boss"]\n\n'
        '[[stages]]\nkey = "s"\nname = "S"\nprobability = 0.1\n'
    )
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(text, "p.toml")
    found = [(p.line, p.message) for p in caught.value.problems]
    assert (13, "role 'boss' must be one of rep, manager, advisor") in found
