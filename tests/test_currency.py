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


# ---------------------------------------------------------------- reports, two currencies


@pytest.fixture
def two_currencies(cli, db):
    """Ann wins 1,000 CNY and 50 USD, Bo wins 300 USD; Ann has 2,000 CNY and 70 EUR open."""
    assert cli("init", "--name", "Ann", "--email", "ann@example.com").exit_code == 0
    assert cli("rep", "add", "Bo", "bo@example.com").exit_code == 0
    assert cli("customer", "add", "Alpha", "--rep", "ann@example.com").exit_code == 0
    assert cli("customer", "add", "Beta", "--rep", "bo@example.com").exit_code == 0
    deals = [
        ("Alpha", "Yuan won", "1000", "ann@example.com", "won"),
        ("Alpha", "Dollar won", "USD 50", "ann@example.com", "won"),
        ("Beta", "Bo dollar won", "$300", "bo@example.com", "won"),
        ("Alpha", "Yuan open", "2,000", "ann@example.com", None),
        ("Alpha", "Euro open", "70 €", "ann@example.com", None),
    ]
    for customer, title, amount, owner, status in deals:
        made = cli("opp", "add", customer, title, "--amount", amount, "--rep", owner)
        assert made.exit_code == 0, made.output
        if status:
            closed = cli("opp", "edit", title, "--status", status)
            assert closed.exit_code == 0, closed.output
    got = {t: c for t, c in rows(db, "SELECT title, currency FROM opportunity")}
    assert got == {
        "Yuan won": "CNY",
        "Dollar won": "USD",
        "Bo dollar won": "USD",
        "Yuan open": "CNY",
        "Euro open": "EUR",
    }


def test_weekly_report_sums_per_currency(two_currencies, cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-24T09:30:00+00:00")  # a day on, same week
    result = cli("report", "weekly", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["currencies"] == ["CNY", "EUR", "USD"]
    headline = {r["key"]: r for r in doc["sections"]["headline"]["rows"]}
    assert "won_amount" not in headline  # never one figure for two currencies
    assert headline["won_amount_cny"]["this_week"] == 1000.0
    assert headline["won_amount_usd"]["this_week"] == 350.0
    assert headline["won_amount_eur"]["this_week"] == 0.0
    assert headline["won_amount_usd"]["currency"] == "USD"
    assert headline["won_amount_usd"]["figure"] == "Won amount (USD)"
    assert headline["pipeline_cny"]["this_week"] == 2000.0
    assert headline["pipeline_eur"]["this_week"] == 70.0
    deals = doc["sections"]["opportunities"]
    columns = {c["key"]: c for c in deals["columns"]}
    assert columns["won_amount_usd"]["currency"] == "USD"
    assert columns["won_amount_usd"]["label"] == "Won amount (USD)"
    by_name = {(r["level"], r["name"]): r for r in deals["rows"]}
    assert by_name[("rep", "Ann")]["won_amount_cny"] == 1000.0
    assert by_name[("rep", "Ann")]["won_amount_usd"] == 50.0
    assert by_name[("rep", "Bo")]["won_amount_usd"] == 300.0
    assert by_name[("total", "Total")]["won_amount_usd"] == 350.0
    assert by_name[("total", "Total")]["won_amount_cny"] == 1000.0
    trend = doc["sections"]["trend"]["rows"][-1]
    assert (trend["won_amount_cny"], trend["won_amount_usd"]) == (1000.0, 50.0 + 300.0)

    md = cli("report", "weekly", "--all", "--format", "md")
    assert "| Won amount (CNY) | 1,000.00 |" in md.output
    assert "| Won amount (USD) | 350.00 |" in md.output
    out = tmp_path / "weekly.csv"
    assert cli("report", "weekly", "--all", "--format", "csv", "--out", str(out)).exit_code == 0
    import csv

    lines = list(csv.DictReader(out.open(encoding="utf-8")))
    won = {
        (r["row"], r["currency"]): r["value"]
        for r in lines
        if r["section"] == "opportunities" and r["metric"].startswith("won_amount")
    }
    assert won[("Total", "USD")] == "350.0"
    assert won[("Total", "CNY")] == "1000.0"


def test_one_currency_reads_as_before_plus_its_code(rep, cli) -> None:
    assert cli("opp", "add", "Redwood Retail", "Deal", "--amount", "USD 10").exit_code == 0
    assert cli("opp", "edit", "Deal", "--status", "won").exit_code == 0
    doc = json.loads(cli("report", "weekly", "--all", "--format", "json").output)
    assert doc["currencies"] == ["USD"]
    headline = {r["key"]: r for r in doc["sections"]["headline"]["rows"]}
    assert headline["won_amount"]["figure"] == "Won amount (USD)"
    assert headline["won_amount"]["this_week"] == 10.0


def test_forecast_totals_per_currency(two_currencies, cli) -> None:
    result = cli("forecast", "--all", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    totals = {t["currency"]: t for t in doc["totals"]}
    assert set(totals) == {"CNY", "EUR"}
    assert (totals["CNY"]["deals"], totals["CNY"]["amount"]) == (1, 2000.0)
    assert (totals["EUR"]["deals"], totals["EUR"]["amount"]) == (1, 70.0)
    assert doc["total"] is None  # two currencies: no one total
    assert {(m["currency"], m["amount"]) for m in doc["months"]} == {("CNY", 2000.0), ("EUR", 70.0)}
    assert {o["title"]: o["currency"] for o in doc["opportunities"]} == {
        "Yuan open": "CNY",
        "Euro open": "EUR",
    }
    text = cli("forecast", "--all").output
    assert "2,000.00 CNY" in text and "70.00 EUR" in text


def test_leaderboard_by_amount_ranks_within_each_currency(two_currencies, cli) -> None:
    result = cli("leaderboard", "--by", "amount", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["currency"] == "CNY"
    assert [(r["name"], r["value"], r["rank"]) for r in doc["rows"]] == [
        ("Ann", 1000.0, 1),
        ("Bo", 0.0, 2),
    ]
    others = {o["currency"]: o for o in doc["others"]}
    assert set(others) == {"USD"}
    assert [(r["name"], r["value"], r["rank"]) for r in others["USD"]["rows"]] == [
        ("Bo", 300.0, 1),
        ("Ann", 50.0, 2),
    ]
    text = cli("leaderboard", "--by", "amount").output
    assert "Won amount (CNY)" in text and "Won amount (USD)" in text
    assert "1,050.00" not in text and "1,300.00" not in text  # never added up


def test_leaderboard_ranks_the_only_currency_won_in(two_currencies, cli, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_CURRENCY", "USD")
    doc = json.loads(cli("leaderboard", "--by", "amount", "--json").output)
    assert doc["currency"] == "USD"
    assert [(r["name"], r["value"]) for r in doc["rows"]] == [("Bo", 300.0), ("Ann", 50.0)]
    assert [o["currency"] for o in doc["others"]] == ["CNY"]


def test_standing_keeps_the_team_currency_apart(two_currencies, store) -> None:
    from salesbench.services.rankings import load_standing
    from tests.conftest import NOW

    s = load_standing(store, now=NOW, rep="ann@example.com", currency="CNY")
    assert (s.rank, s.currency, s.won) == (1, "CNY", 100000)  # not 100000 + 5000 (USD)
    assert s.open_deals == 2
    assert set(s.others) == {"EUR"}
    assert 0 < s.weighted < 200000 and 0 < s.others["EUR"][0] < 7000


def test_weekly_xlsx_and_html_keep_the_currencies_apart(two_currencies, cli, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "weekly.xlsx"
    assert cli("report", "weekly", "--all", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out)["New, won and lost opportunities"]
    header = [c.value for c in sheet[1]]
    cny, usd = header.index("Won amount (CNY)"), header.index("Won amount (USD)")
    total = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Total")
    assert (total[cny].value, total[usd].value) == (1000, 350)  # numbers, not text
    assert total[usd].number_format == '#,##0.00 "USD"'
    html = tmp_path / "weekly.html"
    assert cli("report", "weekly", "--all", "--format", "html", "--out", str(html)).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "Won amount (CNY)" in text and "Won amount (USD)" in text
