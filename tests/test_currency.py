"""Money typed into forms keeps its currency; sums across currencies stay per currency."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Redwood Retail").exit_code == 0


def _deal(db, title: str) -> tuple[int | None, str]:
    found = rows(db, "SELECT amount, currency FROM opportunity WHERE title = ?", title)
    assert len(found) == 1
    return found[0][0], found[0][1]


@pytest.mark.parametrize(
    ("typed", "minor", "currency"),
    [
        ("1,234.56", 123456, "CNY"),
        ("1.234,56", 123456, "CNY"),
        ("12,50", 1250, "CNY"),
        ("35万", 35000000, "CNY"),
        ("USD 1,200", 120000, "USD"),
        ("1.200,00 €", 120000, "EUR"),
        ("$99.5", 9950, "USD"),
        ("HK$ 10", 1000, "HKD"),
    ],
)
def test_opp_add_reads_money_as_typed(rep, cli, db, typed, minor, currency) -> None:
    result = cli("opp", "add", "Redwood Retail", "Deal", "--amount", typed)
    assert result.exit_code == 0, result.output
    assert _deal(db, "Deal") == (minor, currency)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("(1.62)", "must not be negative"),
        ("2.500", "could be 2500 or 2.5: write 2500 or 2.5"),
        ("-5", "must not be negative"),
        ("abc", "not an amount"),
        ("$12 EUR", "two currencies"),
    ],
)
def test_opp_add_refuses_what_cannot_be_one_amount(rep, cli, db, typed, message) -> None:
    before = snapshot(db)
    result = cli("opp", "add", "Redwood Retail", "Deal", "--amount", typed)
    assert result.exit_code == 2
    assert message in result.output
    assert "amount" in result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before


def test_a_currency_in_the_amount_against_the_option_is_refused(rep, cli, db) -> None:
    before = snapshot(db)
    result = cli(
        "opp", "add", "Redwood Retail", "Deal", "--amount", "USD 1,200", "--currency", "EUR"
    )
    assert result.exit_code == 2
    assert "is in USD, but the currency given is EUR" in result.output
    assert snapshot(db) == before
    same = cli("opp", "add", "Redwood Retail", "Deal", "--amount", "USD 1,200", "--currency", "usd")
    assert same.exit_code == 0, same.output
    assert _deal(db, "Deal") == (120000, "USD")


def test_team_currency_for_new_deals_and_edits_keep_theirs(rep, cli, db, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_CURRENCY", "eur")
    assert cli("opp", "add", "Redwood Retail", "Deal", "--amount", "1000").exit_code == 0
    assert _deal(db, "Deal") == (100000, "EUR")
    assert cli("opp", "add", "Redwood Retail", "Empty").exit_code == 0
    assert _deal(db, "Empty") == (None, "EUR")
    assert cli("opp", "edit", "Deal", "--amount", "2.000,50").exit_code == 0
    assert _deal(db, "Deal") == (200050, "EUR")
    edited = cli("opp", "edit", "Deal", "--amount", "GBP 7")
    assert edited.exit_code == 0, edited.output
    assert _deal(db, "Deal") == (700, "GBP")
    assert "amount 7.00 GBP" in edited.output
    refused = cli("opp", "edit", "Deal", "--amount", "2.500")
    assert refused.exit_code == 2
    assert _deal(db, "Deal") == (700, "GBP")


def test_a_bad_team_currency_is_one_line(rep, cli, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_CURRENCY", "dollars")
    result = cli("opp", "add", "Redwood Retail", "Deal", "--amount", "1")
    assert result.exit_code == 2
    assert "SALESBENCH_CURRENCY" in result.output
    assert "Traceback" not in result.output


def _customer(db, name: str) -> tuple[int | None, str | None]:
    found = rows(db, "SELECT annual_purchase, currency FROM customer WHERE name = ?", name)
    return found[0][0], found[0][1]


def test_customer_annual_purchase_keeps_its_currency(rep, cli, db, monkeypatch) -> None:
    assert cli("customer", "add", "Alpha", "--annual-purchase", "USD 12,500.00").exit_code == 0
    assert _customer(db, "Alpha") == (1250000, "USD")
    assert cli("customer", "add", "Beta", "--annual-purchase", "35万").exit_code == 0
    assert _customer(db, "Beta") == (35000000, "CNY")
    assert _customer(db, "Redwood Retail") == (None, None)

    monkeypatch.setenv("SALESBENCH_CURRENCY", "GBP")
    shown = cli("customer", "edit", "Alpha", "--annual-purchase", "13.000,00")
    assert shown.exit_code == 0, shown.output
    assert _customer(db, "Alpha") == (1300000, "USD")  # edits keep the customer's currency
    assert "annual purchase 13000.00 USD" in shown.output
    assert cli("customer", "edit", "Redwood Retail", "--annual-purchase", "5").exit_code == 0
    assert _customer(db, "Redwood Retail") == (500, "GBP")
    assert cli("customer", "edit", "Alpha", "--annual-purchase", "").exit_code == 0
    assert _customer(db, "Alpha") == (None, None)

    listed = cli("customer", "list", "--json")
    assert listed.exit_code == 0, listed.output
    got = {c["name"]: c.get("currency") for c in json.loads(listed.output)}
    assert got["Redwood Retail"] == "GBP"


def test_opp_list_and_show_name_the_currency(rep, cli, db) -> None:
    assert cli("opp", "add", "Redwood Retail", "Dollar deal", "--amount", "USD 10").exit_code == 0
    assert cli("opp", "add", "Redwood Retail", "Yuan deal", "--amount", "20").exit_code == 0
    listed = cli("opp", "list")
    assert listed.exit_code == 0, listed.output
    assert "10.00 USD" in listed.output
    assert "20.00 CNY" in listed.output
    shown = cli("customer", "show", "Redwood Retail")
    assert "10.00 USD" in shown.output and "20.00 CNY" in shown.output
