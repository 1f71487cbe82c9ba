"""Rules for opportunity changes that do not depend on a playbook."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from salesbench.core.enums import OppStatus, TaskOrigin
from salesbench.core.errors import BadInput
from salesbench.core.i18n import _
from salesbench.core.playbook import Playbook


def apply_opportunity_rules(
    current: dict[str, Any], changes: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Closing needs a reason when lost and stamps `closed_at`; reopening clears both."""
    result = dict(changes)
    merged = {**current, **result}
    status = merged.get("status") or OppStatus.OPEN.value
    if status == OppStatus.LOST.value and not merged.get("lost_reason"):
        raise BadInput(_("is required when an opportunity is lost"), field="lost_reason")
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


def ended_by_close(playbook: Playbook | None, status: str, task: Any) -> bool:
    """Whether closing a deal as `status` ends its open `task` (skipped, by itself).

    Lost: all of it, nothing is left to do. Won: its playbook's steps, which lead to the
    sale and are moot once it is made (a walk-in who buys at once leaves the first
    stage's steps; a deal won anyway, the ones it was won without), but for those the
    last stage has as optional, which follow the sale (turn it into a reference case).
    The rules' tasks (payments, handover) and the rep's own go on."""
    if status == OppStatus.LOST.value:
        return True
    if status != OppStatus.WON.value or task.origin_kind != TaskOrigin.PLAYBOOK.value:
        return False
    if playbook is None or not playbook.stages:
        return True
    last = playbook.stages[-1]
    return task.stage_key != last.key or task.origin not in {
        t.key for t in last.tasks if not t.required
    }
