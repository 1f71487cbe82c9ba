"""Rules for opportunity changes that do not depend on a playbook."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from salesbench.core.enums import OppStatus
from salesbench.core.errors import BadInput


def apply_opportunity_rules(
    current: dict[str, Any], changes: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Closing needs a reason when lost and stamps `closed_at`; reopening clears both."""
    result = dict(changes)
    merged = {**current, **result}
    status = merged.get("status") or OppStatus.OPEN.value
    if status == OppStatus.LOST.value and not merged.get("lost_reason"):
        raise BadInput("is required when an opportunity is lost", field="lost_reason")
    if "status" in changes and changes["status"] != current.get("status"):
        if status == OppStatus.OPEN.value:
            result["closed_at"] = None
            result["lost_reason"] = None
        else:
            result["closed_at"] = now
            if status == OppStatus.WON.value:
                result["lost_reason"] = None
    elif status != OppStatus.LOST.value and changes.get("lost_reason"):
        raise BadInput("only applies to lost opportunities", field="lost_reason")
    return result
