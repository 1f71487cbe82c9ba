"""The currency of imported amounts: a currency column, else the cell's mark, else
--currency, else the team's default currency; never silently CNY."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbench.core import importing as im
from salesbench.core.import_amounts import Amounts
from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Redwood Retail").exit_code == 0


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _deals(db) -> dict[str, tuple[int | None, str]]:
    return {t: (a, c) for t, a, c in rows(db, "SELECT title, amount, currency FROM opportunity")}


def test_currency_written_in_the_cell(rep, cli, db, tmp_path) -> None:
    data = _write(
        tmp_path / "deals.csv",
        [
            "customer,title,amount",
            'Redwood Retail,A,"USD 12,500.00"',
            'Redwood Retail,B,"12,500.00 USD"',
            'Redwood Retail,C,"$140,000.00"',
            "Redwood Retail,D,€99.50",
            "Redwood Retail,E,£12",
            "Redwood Retail,F,¥350",
            "Redwood Retail,G,￥350",
            "Redwood Retail,H,35万元",
            'Redwood Retail,I,"HK$ 1,200"',
            "Redwood Retail,J,RMB 100",
            'Redwood Retail,K,"US$ 7,000"',
        ],
    )
    result = cli("import", "opportunities", data)
    assert result.exit_code == 0, result.output
    assert _deals(db) == {
        "A": (1250000, "USD"),
        "B": (1250000, "USD"),
        "C": (14000000, "USD"),
        "D": (9950, "EUR"),
        "E": (1200, "GBP"),
        "F": (35000, "CNY"),
        "G": (35000, "CNY"),
        "H": (35000000, "CNY"),
        "I": (120000, "HKD"),
        "J": (10000, "CNY"),
        "K": (700000, "USD"),
    }
    assert "bare $ is read as USD" in result.output
    assert "bare ¥ is read as CNY" in result.output


def test_currency_column_wins_and_a_contradicting_cell_is_refused(rep, cli, db, tmp_path) -> None:
    data = _write(
        tmp_path / "deals.csv",
        [
            "customer,title,amount,CurrencyIsoCode",
            "Redwood Retail,A,1200,EUR",
            "Redwood Retail,B,EUR 1200,eur",
        ],
    )
    result = cli("import", "opportunities", data)
    assert result.exit_code == 0, result.output
    assert _deals(db) == {"A": (120000, "EUR"), "B": (120000, "EUR")}

    bad = _write(
        tmp_path / "bad.csv",
        ["customer,title,amount,币种", "Redwood Retail,C,USD 5,CNY", "Redwood Retail,D,5,CNY"],
    )
    before = snapshot(db)
    refused = cli("import", "opportunities", bad)
    assert refused.exit_code == 2
    assert f"{bad}:2:3: amount: is in USD, but its row's currency column says CNY" in (
        refused.output
    )
    assert "Traceback" not in refused.output
    assert snapshot(db) == before


def test_without_a_currency_the_option_then_the_team_default(rep, cli, db, tmp_path, monkeypatch):
    data = _write(tmp_path / "a.csv", ["customer,title,amount", "Redwood Retail,A,100"])
    result = cli("import", "opportunities", data)
    assert result.exit_code == 0, result.output
    assert "amounts without a currency: CNY (team default, SALESBENCH_CURRENCY)" in result.output

    data = _write(tmp_path / "b.csv", ["customer,title,amount", "Redwood Retail,B,100"])
    result = cli("import", "opportunities", data, "--currency", "usd")
    assert result.exit_code == 0, result.output
    assert "amounts without a currency: USD (--currency)" in result.output

    monkeypatch.setenv("SALESBENCH_CURRENCY", "EUR")
    data = _write(tmp_path / "c.csv", ["customer,title,amount", "Redwood Retail,C,100"])
    result = cli("import", "opportunities", data)
    assert result.exit_code == 0, result.output
    assert "amounts without a currency: EUR (team default, SALESBENCH_CURRENCY)" in result.output
    assert _deals(db) == {"A": (10000, "CNY"), "B": (10000, "USD"), "C": (10000, "EUR")}


def test_a_bad_currency_option_is_refused(rep, cli, db, tmp_path) -> None:
    data = _write(tmp_path / "a.csv", ["customer,title,amount", "Redwood Retail,A,100"])
    before = snapshot(db)
    result = cli("import", "opportunities", data, "--currency", "dollars")
    assert result.exit_code == 2
    assert "--currency" in result.output
    assert snapshot(db) == before


def test_customers_annual_purchase_fills_their_currency(rep, cli, db, tmp_path) -> None:
    data = _write(
        tmp_path / "c.csv",
        [
            "name,年采购额,币种",
            'Alpha,"USD 12,500.00",',
            "Beta,,EUR",
            "Gamma,500,",
            "Delta,600,gbp",
        ],
    )
    result = cli("import", "customers", data)
    assert result.exit_code == 0, result.output
    got = {
        n: (a, c) for n, a, c in rows(db, "SELECT name, annual_purchase, currency FROM customer")
    }
    assert got["Alpha"] == (1250000, "USD")
    assert got["Beta"] == (None, None)  # no amount, no currency of it
    assert got["Gamma"] == (50000, "CNY")
    assert got["Delta"] == (60000, "GBP")
    assert got["Redwood Retail"] == (None, None)


# ---------------------------------------------------------------- generated


_CODES = ["USD", "EUR", "GBP", "CNY", "HKD", "JPY"]
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "HK$": "HKD"}


def _written(minor: int, decimal: str, grouped: bool) -> str:
    whole, cents = divmod(minor, 100)
    group = "," if decimal == "." else "."
    digits = f"{whole:,}".replace(",", group) if grouped else str(whole)
    return f"{digits}{decimal}{cents:02d}"


@st.composite
def _cells(draw: st.DrawFn) -> tuple[str, int, str | None, str]:
    minor = draw(st.integers(min_value=0, max_value=10**12))
    decimal = draw(st.sampled_from([".", ","]))
    text = _written(minor, decimal, draw(st.booleans()))
    kind = draw(st.sampled_from(["none", "code", "symbol", "negative"]))
    if kind == "none":
        return text, minor, None, decimal
    if kind == "negative":  # refused, whatever the currency: amounts are not negative
        if minor == 0:  # (0.00) and -0.00 are zero, not a negative amount
            text = _written(1, decimal, False)
        shape = draw(st.sampled_from(["({})", "-{}", "{}-", "-$ {}", "(€{})"]))
        return shape.format(text), -1, None, decimal
    if kind == "code":
        mark = draw(st.sampled_from(_CODES))
        code = mark
        mark = draw(st.sampled_from([mark, mark.lower()]))
    else:
        mark = draw(st.sampled_from(sorted(_SYMBOLS)))
        code = _SYMBOLS[mark]
    space = draw(st.sampled_from(["", " ", "\u00a0"]))
    before = draw(st.booleans())
    return (f"{mark}{space}{text}" if before else f"{text}{space}{mark}"), minor, code, decimal


def _sheet(cells: list[str]) -> im.Sheet:
    return im.Sheet(
        "deals.csv", ["title", "amount"], [(n + 2, [f"T{n}", c]) for n, c in enumerate(cells)], []
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_cells(), min_size=1, max_size=6), st.sampled_from(["CNY", "EUR"]))
def test_generated_cells_give_their_amount_and_currency_or_are_refused(cells, default) -> None:
    from datetime import UTC

    sheet = _sheet([c for c, _, _, _ in cells])
    columns, problems = im.map_columns("opportunities", sheet)
    assert not problems
    amounts = Amounts(default, "opportunities")
    parsed, problems = im.parse_rows("opportunities", sheet, columns, zone=UTC, amounts=amounts)
    if len({d for _, _, _, d in cells}) > 1:  # 1,234.56 beside 1.234,56: refused, not guessed
        assert [(p.line, p.column, p.field) for p in problems] == [(1, 2, "amount")]
        return
    refused = [n + 2 for n, (_, minor, _, _) in enumerate(cells) if minor < 0]
    assert [(p.line, p.column, p.field) for p in problems] == [(n, 2, "amount") for n in refused]
    assert all("negative" in p.message for p in problems)
    kept = [c for c in cells if c[1] >= 0]
    assert len(parsed) == len(kept)
    for row, (_, minor, code, _) in zip(parsed, kept, strict=True):
        assert row.values["amount"] == minor, row
        assert row.values["currency"] == (code or default)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from(["USD", "EUR"]),
    st.sampled_from(["CNY", "GBP"]),
)
def test_a_cell_against_its_currency_column_is_a_problem_of_that_cell(minor, mark, column):
    from datetime import UTC

    text = f"{mark} {Decimal(minor) / 100:.2f}"
    sheet = im.Sheet(
        "d.csv",
        ["title", "amount", "currency"],
        [(2, ["T", text, column]), (3, ["U", "1", ""])],
        [],
    )
    columns, _ = im.map_columns("opportunities", sheet)
    amounts = Amounts("CNY", "opportunities")
    parsed, problems = im.parse_rows("opportunities", sheet, columns, zone=UTC, amounts=amounts)
    assert [(p.line, p.column, p.field) for p in problems] == [(2, 2, "amount")]
    assert [r.line for r in parsed] == [3]


def test_new_deals_without_an_amount_get_the_files_currency(rep, cli, db, tmp_path) -> None:
    data = _write(tmp_path / "d.csv", ["customer,title", "Redwood Retail,Blank"])
    result = cli("import", "opportunities", data, "--currency", "GBP")
    assert result.exit_code == 0, result.output
    assert _deals(db) == {"Blank": (None, "GBP")}
    again = _write(
        tmp_path / "u.csv", ["customer,title,expected_close", "Redwood Retail,Blank,2026-12-01"]
    )
    # matched by its title alone: a look-alike, updated only when asked to
    updated = cli(
        "import",
        "opportunities",
        again,
        "--mode",
        "upsert",
        "--on-duplicate",
        "update",
        "--currency",
        "EUR",
    )
    assert updated.exit_code == 0, updated.output
    assert _deals(db) == {"Blank": (None, "GBP")}  # an update names no currency: kept
