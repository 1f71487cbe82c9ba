"""Money keeps its currency wherever it is shown: the queue, `opp show --json`, scripts,
playbook money fields, and the grade rule (whose thresholds are in the team's currency)."""

from __future__ import annotations

import json

import pytest

from salesbench.core.grading import apply_customer_rules, grade_note
from salesbench.core.render import Amount, render
from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme", "--grade", "A").exit_code == 0
    return cli


def _groups(queue: dict) -> list[dict]:
    return [g for s in queue["sections"] for g in s["groups"]]


# ---------------------------------------------------------------- the queue


def test_queue_json_gives_each_deal_amount_its_currency(rep, db) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "USD 12,500.50")
    assert rows(db, "SELECT amount, currency FROM opportunity") == [(1250050, "USD")]
    queue = js(rep("queue", "--json"))
    (opp,) = {g["opportunity"]["id"]: g["opportunity"] for g in _groups(queue)}.values()
    assert opp["amount"] == 12500.5
    assert opp["currency"] == "USD"


def test_queue_json_deal_without_amount_still_names_its_currency(rep, db) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5").exit_code == 0
    queue = js(rep("queue", "--json"))
    opps = [g["opportunity"] for g in _groups(queue)]
    assert opps and all(o["amount"] is None and o["currency"] == "CNY" for o in opps)


def test_task_why_names_the_deal_currency(rep, db, monkeypatch) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "EUR 50000")
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin='welcome'")[0]
    out = js(rep("task", "why", str(task_id)[:8], "--json"))
    # sizes are scored in the team's currency (CNY): a EUR deal is not compared with them
    assert out["terms"]["size"] == {
        "value": 0.0,
        "why": "deal of 50,000 EUR: not scored, sizes count in CNY",
    }
    assert rep("opp", "add", "Acme", "Desk", "--playbook", "retail-5", "--amount", "50000")
    monkeypatch.setenv("SALESBENCH_CURRENCY", "EUR")
    again = js(rep("task", "why", str(task_id)[:8], "--json"))
    assert again["terms"]["size"] == {"value": 2.35, "why": "deal of 50,000 EUR"}
    queue = js(rep("queue", "--json"))
    scores = {g["opportunity"]["title"]: g["tasks"][0]["terms"] for g in _groups(queue)}
    assert scores["Desk"]["size"]["why"] == "deal of 50,000 CNY: not scored, sizes count in EUR"
    assert scores["Sofa"]["size"]["value"] == 2.35


# ---------------------------------------------------------------- opp show --json


def test_opp_show_json_money_is_exact_and_names_its_currency(rep, db) -> None:
    big = "USD 9,999,999,999,999.99"
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", big)
    assert rep("opp", "set", "Sofa", "budget=0.10").exit_code == 0
    result = rep("opp", "show", "Sofa", "--json")
    shown = js(result)
    assert rows(db, "SELECT amount, currency FROM opportunity") == [(999999999999999, "USD")]
    assert '"amount": 9999999999999.99' in result.output  # the exact decimal, no float noise
    assert shown["currency"] == "USD"
    assert shown["fields"]["budget"] == {
        "label": "Budget",
        "type": "money",
        "on": "opportunity",
        "value": 0.1,
        "currency": "USD",
    }
    assert shown["fields"]["amount"]["value"] == 9999999999999.99
    assert shown["fields"]["amount"]["currency"] == "USD"
    assert "currency" not in shown["fields"]["room_size"]


def test_opp_show_text_names_playbook_money_currency(rep, db) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "GBP 7")
    assert rep("opp", "set", "Sofa", "budget=1.200,50").exit_code == 0
    out = rep("opp", "show", "Sofa")
    assert "Budget: 1200.50 GBP" in out.output  # the field by its label


# ---------------------------------------------------------------- opp set money fields


def test_opp_set_money_field_in_the_deal_currency(rep, db) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "1000")
    assert rep("opp", "set", "Sofa", "budget=CNY 3,000").exit_code == 0
    assert rows(db, "SELECT custom FROM opportunity") == [('{"budget": 300000}',)]
    assert rep("opp", "set", "Sofa", "budget=¥ 4,000").exit_code == 0
    assert rows(db, "SELECT custom FROM opportunity") == [('{"budget": 400000}',)]


@pytest.mark.parametrize("pair", ["budget=USD 3,000", "amount=$5", "budget=3.000,00 €"])
def test_opp_set_refuses_money_in_another_currency(rep, db, pair) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "1000")
    before = snapshot(db)
    result = rep("opp", "set", "Sofa", pair)
    assert result.exit_code == 2, result.output
    assert "the deal's amounts are in CNY" in result.output
    assert pair.partition("=")[0] in result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before


# ---------------------------------------------------------------- scripts


def test_render_amount_carries_its_currency_unless_the_template_places_it() -> None:
    ctx = {"opportunity": {"amount": Amount("12,500.00", "USD"), "currency": "USD"}}
    assert render("Quote: {opportunity.amount}.", ctx).text == "Quote: 12,500.00 USD."
    placed = render("{opportunity.amount} {opportunity.currency|}", ctx)
    assert placed.text == "12,500.00 USD"
    empty = {"opportunity": {"amount": None, "currency": "USD"}}
    assert render("Quote: {opportunity.amount|(total)}", empty).text == "Quote: (total)"


def test_script_render_shows_amounts_with_currency(rep, db) -> None:
    assert rep("opp", "add", "Acme", "Sofa", "--playbook", "retail-5", "--amount", "USD 8,000")
    assert rep("opp", "set", "Sofa", "budget=7500").exit_code == 0
    quote = rep("script", "render", "quote_message", "--opp", "Sofa")
    assert quote.exit_code == 0, quote.output
    assert "quotation: 8,000.00 USD, covering" in quote.output
    summary = rep("script", "render", "needs_summary", "--opp", "Sofa")
    assert "budget around 7,500.00 USD" in summary.output


def test_script_with_a_currency_placeholder_shows_it_once(rep, db) -> None:
    assert rep("customer", "add", "Big Co").exit_code == 0
    assert rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--amount", "EUR 10")
    out = js(rep("script", "render", "review_request", "--opp", "ERP", "--json"))
    assert "for Big Co (10.00 EUR). Custom" in out[0]["text"]
    cover = js(rep("script", "render", "quotation_cover", "--opp", "ERP", "--json"))
    assert "quotation of 10.00 EUR. It covers" in cover[0]["text"]


# ---------------------------------------------------------------- grading


def test_grade_rule_compares_only_amounts_in_the_team_currency() -> None:
    cny = apply_customer_rules({}, {"annual_purchase": 2_000_000_00, "currency": "CNY"})
    assert (cny["grade"], cny["grade_set_by"]) == ("A", "rule")
    usd = apply_customer_rules({}, {"annual_purchase": 12_000_00, "currency": "USD"})
    assert (usd["grade"], usd["grade_set_by"]) == (None, "rule")
    eur = apply_customer_rules(
        {}, {"annual_purchase": 400_000_00, "currency": "EUR"}, team_currency="EUR"
    )
    assert eur["grade"] == "B"
    kept = apply_customer_rules(
        {"grade": "B", "grade_set_by": "manual"}, {"annual_purchase": 1, "currency": "USD"}
    )
    assert "grade" not in kept  # a hand-set grade sticks whatever the currency
    assert grade_note({"annual_purchase": 12_000_00, "currency": "USD", "grade": None}, "CNY") == (
        "not graded: the annual purchase is in USD and the grade thresholds are in CNY; "
        "set a grade with --grade"
    )
    graded = {"annual_purchase": 12_000_00, "currency": "CNY", "grade": "C"}
    assert grade_note(graded, "CNY") is None


def test_customer_in_another_currency_is_left_ungraded_with_a_note(rep, db, monkeypatch) -> None:
    added = rep("customer", "add", "Dollar Co", "--annual-purchase", "USD 12,000")
    assert added.exit_code == 0, added.output
    assert rows(
        db, "SELECT grade, grade_set_by, currency FROM customer WHERE name='Dollar Co'"
    ) == [(None, "rule", "USD")]
    shown = rep("customer", "show", "Dollar Co")
    assert "not graded: the annual purchase is in USD" in shown.output
    assert rep("customer", "add", "Yuan Co", "--annual-purchase", "1,200,000").exit_code == 0
    assert rows(db, "SELECT grade FROM customer WHERE name='Yuan Co'") == [("A",)]
    # the team's currency is the thresholds' currency
    monkeypatch.setenv("SALESBENCH_CURRENCY", "USD")
    edited = rep("customer", "edit", "Dollar Co", "--annual-purchase", "USD 1,500,000")
    assert edited.exit_code == 0, edited.output
    assert rows(db, "SELECT grade FROM customer WHERE name='Dollar Co'") == [("A",)]
    assert rep("customer", "edit", "Yuan Co", "--annual-purchase", "CNY 2,000,000").exit_code == 0
    assert rows(db, "SELECT grade FROM customer WHERE name='Yuan Co'") == [(None,)]


def _playbook_with_annual_purchase(tmp_path) -> str:
    from pathlib import Path

    import salesbench

    text = (Path(salesbench.__file__).parent / "playbooks" / "retail-5.en.toml").read_text("utf-8")
    text = text.replace('key = "retail-5"', 'key = "retail-ap"', 1)
    text += (
        '\n[[fields]]\nkey = "annual_purchase"\nlabel = "Spends a year"\n'
        'type = "money"\non = "customer"\n'
    )
    path = tmp_path / "retail-ap.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_opp_set_annual_purchase_keeps_currency_and_grades_by_the_rule(rep, db, tmp_path) -> None:
    imported = rep("playbook", "import", _playbook_with_annual_purchase(tmp_path))
    assert imported.exit_code == 0, imported.output
    assert rep("customer", "add", "Dollar Co").exit_code == 0
    assert rep("opp", "add", "Dollar Co", "Desk", "--playbook", "retail-ap").exit_code == 0
    assert rep("opp", "set", "Desk", "annual_purchase=USD 2,000,000").exit_code == 0
    ask = "SELECT annual_purchase, currency, grade, grade_set_by FROM customer WHERE name = ?"
    assert rows(db, ask, "Dollar Co") == [(200000000, "USD", None, "rule")]
    refused = rep("opp", "set", "Desk", "annual_purchase=EUR 5")
    assert refused.exit_code == 2 and "the customer's amounts are in USD" in refused.output
    assert rep("opp", "set", "Desk", "annual_purchase=").exit_code == 0
    assert rows(db, ask, "Dollar Co") == [(None, None, "C", "rule")]
    assert rep("opp", "set", "Desk", "annual_purchase=1,500,000").exit_code == 0
    assert rows(db, ask, "Dollar Co") == [(150000000, "CNY", "A", "rule")]
