"""Numbers as people write them: separators decided per column, never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesbench.core.import_values import money_column
from salesbench.core.numbers import (
    AmbiguousColumn,
    decide_decimal,
    minor_units,
    parse_column,
    parse_number,
)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1,234.56"], [Decimal("1234.56")]),
        (["1.234,56"], [Decimal("1234.56")]),
        (["1'234'567,89"], [Decimal("1234567.89")]),
        (["1'234.56"], [Decimal("1234.56")]),
        (["1 234,56"], [Decimal("1234.56")]),
        (["1\u202f234,56"], [Decimal("1234.56")]),
        (["1\u00a0234,56"], [Decimal("1234.56")]),
        (["(1.62)"], [Decimal("-1.62")]),
        (["-12,50"], [Decimal("-12.50")]),
        (["12,50"], [Decimal("12.50")]),
        (["12.5"], [Decimal("12.5")]),
        (["1,234,567"], [Decimal("1234567")]),
        (["1.234.567"], [Decimal("1234567")]),
        (["0,500"], [Decimal("0.5")]),
        (["1234.567"], [Decimal("1234.567")]),
        (["35万"], [Decimal("350000")]),
        (["1.2亿"], [Decimal("120000000")]),
        (["3,5万"], [Decimal("35000")]),
        (["2000000", "120000"], [Decimal("2000000"), Decimal("120000")]),
        # one cell decides the column: 1.250,00 proves the comma is the decimal
        (["12,50", "1.250,00", "2.500"], [Decimal("12.50"), Decimal("1250.00"), Decimal("2500")]),
        (["2,500", "12.5"], [Decimal("2500"), Decimal("12.5")]),
        (["", "12,50"], [None, Decimal("12.50")]),
    ],
)
def test_columns_read_as_written(cells: list[str], expected: list[Decimal | None]) -> None:
    assert parse_column(cells) == expected


@pytest.mark.parametrize(
    "cells", [["2.500"], ["2,500"], ["2.500", "125.000", "", "7"], [" 2,500", "1 234 "]]
)
def test_a_column_of_only_three_digit_tails_is_ambiguous(cells: list[str]) -> None:
    with pytest.raises(AmbiguousColumn) as caught:
        decide_decimal(cells)
    assert "--decimal , or --decimal ." in str(caught.value)


def test_the_choice_settles_an_ambiguous_column() -> None:
    assert parse_column(["2.500"], decimal=",") == [Decimal("2500")]
    assert parse_column(["2.500"], decimal=".") == [Decimal("2.5")]
    assert parse_column(["2,500"], decimal=",") == [Decimal("2.5")]


def test_a_column_mixing_styles_is_refused() -> None:
    with pytest.raises(ValueError, match="--decimal"):
        decide_decimal(["1,234.56", "1.234,56"])


@pytest.mark.parametrize(
    ("cell", "decimal"),
    [
        ("1,23,4.5", "."),
        ("12,34.5", "."),
        ("1.2.3", "."),
        ("1 23,5", ","),
        ("lots", "."),
        ("", "."),
    ],
)
def test_badly_grouped_or_not_numbers(cell: str, decimal: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_number(cell, decimal)


def test_indian_grouping() -> None:
    assert parse_number("1,23,456.78", ".") == Decimal("123456.78")


def test_minor_units_are_exact_and_round_float_artefacts() -> None:
    assert minor_units(Decimal("12.50")) == 1250
    assert minor_units(Decimal("112.99999999999999")) == 11300
    assert minor_units(Decimal("0.1000000000001")) == 10
    assert minor_units(Decimal("350000")) == 35000000
    with pytest.raises(ValueError, match="more than two decimal places"):
        minor_units(Decimal("1.005"))


# ---------------------------------------------------------------- never a wrong amount

STYLES = {
    "en": (",", "."),
    "de": (".", ","),
    "fr": ("\u202f", ","),
    "fr-space": (" ", ","),
    "ch": ("'", "."),
    "plain": ("", "."),
    "plain-comma": ("", ","),
}


def render(amount: Decimal, style: str) -> str:
    group, decimal = STYLES[style]
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):f}"
    whole, _, frac = digits.partition(".")
    if group:
        parts = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = group.join([whole, *parts])
    return sign + whole + (decimal + frac if frac else "")


amounts = st.integers(min_value=0, max_value=2).flatmap(
    lambda places: st.decimals(
        min_value=-(10**9), max_value=10**9, places=places, allow_nan=False, allow_infinity=False
    )
)


@given(
    st.lists(amounts, min_size=1, max_size=12),
    st.sampled_from(sorted(STYLES)),
    st.sampled_from(["", " ", "\t"]),
)
def test_a_rendered_column_reads_back_exactly_or_is_refused(
    column: list[Decimal], style: str, pad: str
) -> None:
    cells = [pad + render(a, style) + pad[:1] * (n % 2) for n, a in enumerate(column)]
    try:
        got = parse_column(cells)
    except AmbiguousColumn:
        return
    assert got == column, (cells, style)


@given(st.lists(amounts, min_size=1, max_size=12), st.sampled_from(sorted(STYLES)))
def test_money_cells_come_out_in_exact_cents_or_the_column_is_refused(
    column: list[Decimal], style: str
) -> None:
    cells = [render(abs(a), style) for a in column]
    try:
        parse = money_column(cells, None)
    except AmbiguousColumn:
        return
    assert [parse(c) for c in cells] == [int(abs(a) * 100) for a in column], (cells, style)


def test_money_cells_keep_their_currency_marks_out_of_the_way() -> None:
    parse = money_column(["¥ 350,000.50", "1,500,000", "12,000元"], None)
    assert [parse(c) for c in ["¥ 350,000.50", "1,500,000", "12,000元"]] == [
        35000050,
        150000000,
        1200000,
    ]
