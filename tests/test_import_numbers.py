"""Amounts in imported files: decimal commas read right, an undecidable column refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_decimal_commas_are_decided_from_the_whole_column(rep, cli, db, tmp_path) -> None:
    data = _write(
        tmp_path / "kunden.csv",
        ["name;Jahresumsatz", "Alpha GmbH;12,50", "Beta AG;1.250,00", "Gamma KG;2.500"],
    )
    result = cli("import", "customers", data, "--map", "annual_purchase=Jahresumsatz")
    assert result.exit_code == 0, result.output
    got = dict(rows(db, "SELECT name, annual_purchase FROM customer"))
    assert got == {"Alpha GmbH": 1250, "Beta AG": 125000, "Gamma KG": 250000}


def test_a_german_list_needs_no_map(rep, cli, db, tmp_path) -> None:
    """`Jahresumsatz` and `Währung` are read as the annual purchase and its currency."""
    data = _write(
        tmp_path / "kunden.csv",
        ["Name;Jahresumsatz;Währung", "Alpha GmbH;12,50;EUR", "Beta AG;1.250,00;EUR"],
    )
    result = cli("import", "customers", data)
    assert result.exit_code == 0, result.output
    got = {r[0]: r[1:] for r in rows(db, "SELECT name, annual_purchase, currency FROM customer")}
    assert got == {"Alpha GmbH": (1250, "EUR"), "Beta AG": (125000, "EUR")}
    assert "kept as custom fields" not in result.output


def test_a_column_that_could_be_read_two_ways_is_refused(rep, cli, db, tmp_path) -> None:
    data = _write(
        tmp_path / "kunden.csv", ["name;Jahresumsatz", "Alpha GmbH;2.500", "Beta AG;125.000"]
    )
    before = snapshot(db)
    result = cli("import", "customers", data, "--map", "annual_purchase=Jahresumsatz")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "Jahresumsatz" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{data}:1:2: Jahresumsatz: ")
    assert "--decimal" in lines[0]
    assert snapshot(db) == before

    chosen = cli(
        "import", "customers", data, "--map", "annual_purchase=Jahresumsatz", "--decimal", ","
    )
    assert chosen.exit_code == 0, chosen.output
    got = dict(rows(db, "SELECT name, annual_purchase FROM customer"))
    assert got == {"Alpha GmbH": 250000, "Beta AG": 12500000}


def test_deal_amounts_in_words_and_float_artefacts(rep, cli, db, tmp_path) -> None:
    cli("customer", "add", "Redwood Retail")
    data = _write(
        tmp_path / "deals.csv",
        [
            "customer,title,amount",
            "Redwood Retail,Refit,35万",
            "Redwood Retail,Line,112.99999999999999",
        ],
    )
    result = cli("import", "opportunities", data)
    assert result.exit_code == 0, result.output
    got = dict(rows(db, "SELECT title, amount FROM opportunity"))
    assert got == {"Refit": 35000000, "Line": 11300}


def test_decimal_must_be_a_comma_or_a_dot(rep, cli, tmp_path) -> None:
    data = _write(tmp_path / "c.csv", ["name,annual_purchase", "Alpha,1"])
    result = cli("import", "customers", data, "--decimal", ";")
    assert result.exit_code == 2
    assert "--decimal: is , or ." in result.output
