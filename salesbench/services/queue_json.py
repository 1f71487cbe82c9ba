"""A rep's queue as JSON: the shape `queue --json` and `task why --json` print."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from salesbench.core import queue as core
from salesbench.services.queue import QueueView
from salesbench.services.serialize import money_number


def _customer(c: core.CustomerFacts) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "grade": c.grade,
        "last_contact": c.last_touch.isoformat() if c.last_touch else None,
    }


def _opportunity(o: core.OppFacts | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {
        "id": o.id,
        "title": o.title,
        "playbook": o.playbook_key,
        "stage": o.stage_key,
        "stage_name": o.stage_name,
        "probability": o.probability,
        "amount": money_number(o.amount),
        "currency": o.currency,
    }


def item_dict(item: core.Item, terms: list[core.Term] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "due_at": item.due_at.isoformat() if item.due_at else None,
        "status": item.status,
        "origin_kind": item.origin_kind,
        "origin": item.origin,
        "stage": item.stage_key,
        "suggested": item.suggested,
        "completed_at": item.completed_at.isoformat() if item.completed_at else None,
        "completed_how": item.completed_how,
    }
    if terms is not None:
        out["score"] = round(sum(t.value for t in terms), 2)
        out["terms"] = {t.name: {"value": t.value, "why": t.note} for t in terms}
    return out


def queue_dict(view: QueueView) -> dict[str, Any]:
    q = view.queue
    out: dict[str, Any] = {
        "rep": {"id": str(view.rep.id), "name": view.rep.name, "email": view.rep.email},
        "mode": q.mode,
        "date": q.day.isoformat(),
        "now": q.now.isoformat(),
        "timezone": view.timezone,
        "counts": asdict(q.counts),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "groups": [
                    {
                        "customer": _customer(g.customer),
                        "opportunity": _opportunity(g.opportunity),
                        "flags": g.flags,
                        "tasks": [item_dict(x.item, x.terms) for x in g.items],
                    }
                    for g in s.groups
                ],
            }
            for s in q.sections
        ],
        "no_next_step": [
            {"customer": _customer(c), "opportunity": _opportunity(o)} for c, o in q.no_next_step
        ],
        "rotting": [
            {"customer": _customer(c), "opportunity": _opportunity(o), "idle_days": d}
            for c, o, d in q.rotting
        ],
    }
    if q.eod is not None:
        out["eod"] = {
            "done_today": [item_dict(i) | {"customer": i.customer.name} for i in q.eod.done_today],
            "still_open": len(q.eod.still_open),
            "not_logged": [_customer(c) for c in q.eod.not_logged],
            "tomorrow": [item_dict(i) | {"customer": i.customer.name} for i in q.eod.tomorrow],
        }
    return out
