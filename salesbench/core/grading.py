"""Customer grade and status rules (SPEC 2.3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from salesbench.core.enums import CustomerStatus, Grade, GradeSetBy
from salesbench.core.errors import BadInput

GRADE_A_MIN = 1_000_000_00  # annual purchase in minor units
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


def apply_customer_rules(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Complete a customer change with what follows from it.

    `current` is the stored record (empty when creating); the result is the set of
    columns to write. A hand-set grade sticks; otherwise the grade follows the
    annual purchase. Pausing needs a date, and un-pausing forgets it.
    """
    result = dict(changes)
    if "grade" in changes:
        if changes["grade"] is None:
            result["grade_set_by"] = GradeSetBy.RULE.value
        else:
            result["grade_set_by"] = GradeSetBy.MANUAL.value
    merged = {**current, **result}
    if merged.get("grade_set_by", GradeSetBy.RULE.value) == GradeSetBy.RULE.value:
        result["grade"] = suggest_grade(merged.get("annual_purchase")).value
        result["grade_set_by"] = GradeSetBy.RULE.value

    if (
        "paused_until" in changes
        and changes["paused_until"] is not None
        and "status" not in changes
    ):
        result["status"] = CustomerStatus.PAUSED.value
    merged = {**current, **result}
    if merged.get("status") == CustomerStatus.PAUSED.value:
        if not isinstance(merged.get("paused_until"), date):
            raise BadInput("is required when status is paused", field="paused_until")
    elif merged.get("paused_until") is not None:
        result["paused_until"] = None
    return result
