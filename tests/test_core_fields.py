from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from salesbench.core.errors import BadInput
from salesbench.core.fields import (
    CUSTOMER_FIELDS,
    OPPORTUNITY_FIELDS,
    format_money,
    iso_datetime,
    money,
    parse_custom_fields,
    parse_record,
)
from salesbench.core.grading import apply_customer_rules, suggest_grade
from salesbench.core.opportunities import apply_opportunity_rules


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0", 0),
        ("1200", 120000),
        ("1,200,000", 120000000),
        ("¥ 99.50", 9950),
        ("250000元", 25000000),
        ("CNY 10", 1000),
        ("1_000.01", 100001),
        ("1.234,56", 123456),
        ("12,50", 1250),
        ("35万", 35000000),
        ("USD 1,200", 120000),
        ("1.200.000", 120000000),
        ("€ 1.234,5", 123450),
    ],
)
def test_money_parses_what_people_type(text: str, cents: int) -> None:
    assert money(text) == cents


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-5", "negative"),
        ("abc", "not an amount"),
        ("1.0051", "two decimal places"),
        ("1.005", "could be 1005 or 1.005: write 1005 or 1.005"),
        ("2.500", "could be 2500 or 2.5: write 2500 or 2.5"),
        ("(1.62)", "negative"),
        ("NaN", "not an amount"),
        ("Infinity", "not an amount"),
        ("1e20", "not an amount"),
        ("100000000000000", "too large"),
        ("$12 EUR", "two currencies"),
    ],
)
def test_money_rejects_bad_amounts(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        money(text)


def test_format_money_round_trips() -> None:
    assert format_money(money("1,234,567.89")) == "1234567.89"
    assert format_money(None) is None


def test_iso_datetime_needs_an_offset() -> None:
    assert iso_datetime("2026-11-23T09:00:00+08:00") == datetime(2026, 11, 23, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="no UTC offset"):
        iso_datetime("2026-11-23T09:00:00")


def test_parse_record_names_the_bad_field() -> None:
    with pytest.raises(BadInput) as err:
        parse_record(CUSTOMER_FIELDS, {"name": "Acme", "grade": "D"})
    assert err.value.field == "grade"
    assert str(err.value).startswith("grade: unknown value 'D'")


def test_parse_record_requires_required_fields_on_create_only() -> None:
    with pytest.raises(BadInput, match="name: is required"):
        parse_record(CUSTOMER_FIELDS, {"grade": "A"})
    assert parse_record(CUSTOMER_FIELDS, {"grade": "a"}, partial=True) == {"grade": "A"}


def test_parse_record_empty_string_clears_but_never_a_required_field() -> None:
    assert parse_record(CUSTOMER_FIELDS, {"industry": ""}, partial=True) == {"industry": None}
    with pytest.raises(BadInput, match="name: must not be empty"):
        parse_record(CUSTOMER_FIELDS, {"name": "  "}, partial=True)


def test_parse_record_rejects_unknown_fields() -> None:
    with pytest.raises(BadInput, match="colour: unknown field"):
        parse_record(CUSTOMER_FIELDS, {"name": "Acme", "colour": "red"})


def test_choices_fold_case_and_separators() -> None:
    from salesbench.core.fields import CONTACT_FIELDS

    parsed = parse_record(CONTACT_FIELDS, {"name": "Li", "decision_role": "Decision Maker"})
    assert parsed["decision_role"] == "decision_maker"


def test_currency_and_dates() -> None:
    parsed = parse_record(
        OPPORTUNITY_FIELDS, {"title": "x", "currency": "rmb", "expected_close": "2026-12-31"}
    )
    assert parsed["currency"] == "CNY"
    assert parsed["expected_close"] == date(2026, 12, 31)
    with pytest.raises(BadInput, match="currency"):
        parse_record(OPPORTUNITY_FIELDS, {"title": "x", "currency": "yuan"})


def test_custom_fields_pairs() -> None:
    assert parse_custom_fields(["style=modern", "budget = 3w ", "old="]) == {
        "style": "modern",
        "budget": "3w",
        "old": "",
    }
    with pytest.raises(BadInput, match="key=value"):
        parse_custom_fields(["nonsense"])


@pytest.mark.parametrize(
    ("cents", "grade"),
    [
        (None, "C"),
        (0, "C"),
        (299_999_99, "C"),
        (300_000_00, "B"),
        (999_999_99, "B"),
        (1_000_000_00, "A"),
        (5_000_000_00, "A"),
    ],
)
def test_grade_follows_annual_purchase_b_from_300k_a_from_1m(cents: int | None, grade: str) -> None:
    assert suggest_grade(cents).value == grade


def test_hand_set_grade_sticks_until_cleared() -> None:
    created = apply_customer_rules({}, {"grade": "A", "annual_purchase": 100})
    assert (created["grade"], created["grade_set_by"]) == ("A", "manual")
    later = apply_customer_rules({**created}, {"annual_purchase": 10})
    assert "grade" not in later  # manual grade untouched
    cleared = apply_customer_rules({**created}, {"grade": None})
    assert (cleared["grade"], cleared["grade_set_by"]) == ("C", "rule")


def test_rule_grade_moves_with_annual_purchase() -> None:
    current = apply_customer_rules({}, {"annual_purchase": 100})
    assert current["grade"] == "C"
    assert apply_customer_rules(current, {"annual_purchase": 400_000_00})["grade"] == "B"


def test_pausing_needs_a_date_and_unpausing_forgets_it() -> None:
    with pytest.raises(BadInput, match="paused_until"):
        apply_customer_rules({}, {"status": "paused"})
    paused = apply_customer_rules({}, {"paused_until": date(2027, 1, 31)})
    assert paused["status"] == "paused"
    resumed = apply_customer_rules(
        {**paused, "paused_until": date(2027, 1, 31)}, {"status": "active"}
    )
    assert resumed["paused_until"] is None


NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_losing_needs_a_reason_and_stamps_closed_at() -> None:
    with pytest.raises(BadInput, match="lost_reason"):
        apply_opportunity_rules({"status": "open"}, {"status": "lost"}, NOW)
    lost = apply_opportunity_rules(
        {"status": "open"}, {"status": "lost", "lost_reason": "price"}, NOW
    )
    assert lost["closed_at"] == NOW


def test_reopening_clears_close_fields() -> None:
    current = {"status": "lost", "lost_reason": "price", "closed_at": NOW}
    reopened = apply_opportunity_rules(current, {"status": "open"}, NOW)
    assert reopened["closed_at"] is None and reopened["lost_reason"] is None


def test_lost_reason_on_an_open_deal_is_refused() -> None:
    with pytest.raises(BadInput, match="only applies"):
        apply_opportunity_rules({"status": "open"}, {"lost_reason": "x"}, NOW)


def test_a_date_of_the_right_form_but_no_such_day_says_so() -> None:
    """2027-02-30 is written as asked (YYYY-MM-DD): telling the rep to use that form
    again misleads; the day does not exist."""
    import pytest

    from salesbench.core.fields import iso_date

    with pytest.raises(ValueError, match=r"'2027-02-30' is not a day of the calendar"):
        iso_date("2027-02-30")
    with pytest.raises(ValueError, match=r"use YYYY-MM-DD"):
        iso_date("30/02/2027")
