"""A rep's rows as the queue's facts: deals with their stage, chance and idle limit,
the cadence a customer follows, deals waiting in the nurture pool."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from salesbench.core import queue as core
from salesbench.core.playbook import Playbook
from salesbench.store.raw import dashed, hex_id, to_dt


def latest(*marks: datetime | None) -> datetime | None:
    present = [m for m in marks if m is not None]
    return max(present) if present else None


def deal_facts(r: dict[str, Any], playbook: Playbook | None) -> core.OppFacts:
    stage_name, index, count, probability, rot = r["stage_key"], 0, 1, 0.0, None
    if playbook is not None and r["stage_key"]:
        try:
            stage = playbook.stage(r["stage_key"])
            index, count = playbook.stage_index(stage.key), len(playbook.stages)
            stage_name, probability, rot = stage.name, stage.probability, stage.rot_days
        except (KeyError, ValueError):
            pass
    return core.OppFacts(
        id=dashed(hex_id(r["id"])),
        title=r["title"],
        playbook_key=r["playbook_key"],
        stage_key=r["stage_key"],
        stage_name=stage_name,
        stage_index=index,
        stage_count=count,
        probability=probability,
        amount=r["amount"],
        currency=r["currency"],
        stage_entered_at=to_dt(r["stage_entered_at"]),
        last_touch=to_dt(r["last_contact"]),
        rot_days=rot,
    )


def cadence_days(opps: Any, playbook: Any) -> dict[str, dict[str, int]]:
    """A customer follows the strictest cadence among the playbooks of its open deals."""
    out: dict[str, dict[str, int]] = {}
    for r in opps:
        pb = playbook(r["playbook_key"])
        if pb is None or r["status"] != "open":
            continue
        cid = hex_id(r["customer_id"])
        current = out.get(cid, {})
        out[cid] = {g: min(current.get(g, d), d) for g, d in pb.cadence_days.items()}
    return out


def in_nurture_pool(r: dict[str, Any], playbook: Playbook | None) -> bool:
    """An open deal its playbook put into the nurture pool on its own (`scope = "deal"`)."""
    if playbook is None or r["status"] != "open":
        return False
    custom = r["custom"]
    if isinstance(custom, str | bytes):
        custom = json.loads(custom or "{}")
    values = custom if isinstance(custom, dict) else {}
    return any(
        rule.scope == "deal"
        and rule.customer_status == "nurture"
        and values.get(rule.when) == rule.equals
        for rule in playbook.status_rules
    )
