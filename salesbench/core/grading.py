"""Customer grade and status rules: the grade follows the annual purchase unless set by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from salesbench.core.enums import CustomerStatus, Grade, GradeSetBy
from salesbench.core.errors import BadInput
from salesbench.core.settings import DEFAULT_CURRENCY

# annual purchase in minor units of the team's currency: an amount in another currency
# is never compared against them (there are no exchange rates), it is left ungraded
GRADE_A_MIN = 1_000_000_00
GRADE_B_MIN = 300_000_00


def suggest_grade(annual_purchase_minor: int | None) -> Grade:
    """A at one million a year or more, B from 300,000, C below or unknown."""
    if annual_purchase_minor is None:
        return Grade.C
    if annual_purchase_minor >= GRADE_A_MIN:
        return Grade.A
    if annual_purchase_minor >= GRADE_B_MIN:
        return Grade.B
    return Grade.C


_RULE, _MANUAL = GradeSetBy.RULE.value, GradeSetBy.MANUAL.value
_PAUSED = CustomerStatus.PAUSED.value


def _other_currency(purchase: int | None, currency: str | None, team: str) -> bool:
    return purchase is not None and currency is not None and currency != team


def grade_note(values: dict[str, Any], team_currency: str = DEFAULT_CURRENCY) -> str | None:
    """Why a customer graded by the rule has no grade: its annual purchase is in another
    currency than the thresholds'. None when there is nothing to say."""
    purchase, currency = values.get("annual_purchase"), values.get("currency")
    if values.get("grade") is not None or not _other_currency(purchase, currency, team_currency):
        return None
    return (
        f"not graded: the annual purchase is in {currency} and the grade thresholds are "
        f"in {team_currency}; set a grade with --grade"
    )


def apply_customer_rules(
    current: dict[str, Any], changes: dict[str, Any], team_currency: str = DEFAULT_CURRENCY
) -> dict[str, Any]:
    """Complete a customer change with what follows from it.

    `current` is the stored record (empty when creating); the result is the set of
    columns to write. A hand-set grade sticks; otherwise the grade follows the
    annual purchase when it is in `team_currency` (the thresholds'), and is unset
    when it is in another. Pausing needs a date, and un-pausing forgets it.
    """
    result = dict(changes)
    if "grade" in changes:
        result["grade_set_by"] = _RULE if changes["grade"] is None else _MANUAL
    set_by = result.get("grade_set_by", current.get("grade_set_by", _RULE))
    if set_by == _RULE:
        purchase = (
            result["annual_purchase"]
            if "annual_purchase" in result
            else current.get("annual_purchase")
        )
        currency = result["currency"] if "currency" in result else current.get("currency")
        if _other_currency(purchase, currency, team_currency):
            result["grade"] = None  # never a grade from a comparison across currencies
        else:
            result["grade"] = suggest_grade(purchase).value
        result["grade_set_by"] = _RULE

    if (
        "paused_until" in changes
        and changes["paused_until"] is not None
        and "status" not in changes
    ):
        result["status"] = _PAUSED
    status = result["status"] if "status" in result else current.get("status")
    paused_until = (
        result["paused_until"] if "paused_until" in result else current.get("paused_until")
    )
    if status == _PAUSED:
        if not isinstance(paused_until, date):
            raise BadInput("is required when status is paused", field="paused_until")
    elif paused_until is not None:
        result["paused_until"] = None
    return result
