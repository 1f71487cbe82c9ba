"""`opp show`: one deal as the acting rep reads it, in their words: its stages, its
sales mode's visit programme and standards, open tasks and what was done anyway."""

from __future__ import annotations

import typer

from salesbench.cli.common import clock, emit_json, speak_as, store
from salesbench.core.enums import is_open


def print_opportunity(ref: str, db: str | None, as_json: bool) -> None:
    from salesbench.core.ids import short_id
    from salesbench.core.modes import programme
    from salesbench.core.money import format_amount
    from salesbench.services.opportunities import nurture_since, opportunity_view

    opened = store(db)
    view = opportunity_view(opened, ref, clock=clock())
    if as_json:
        emit_json(view.as_json())
        return
    from salesbench.core import labels
    from salesbench.core.i18n import _

    speak_as(opened, db)  # the acting rep's words
    o = view.opportunity
    amount = format_amount(o.amount, o.currency) if o.amount is not None else f"- {o.currency}"
    pooled = nurture_since(o)
    lines = [
        f"{o.title}  [{short_id(o.id)}]  {labels.deal_state(o.status)}"
        + (f" ({o.lost_reason})" if o.lost_reason else "")
        + (_(", in the nurture pool since {day}").format(day=pooled) if pooled else ""),
        "  "
        + _("customer {customer}   owner {owner}").format(
            customer=view.customer.name, owner=view.owner.name
        ),
        "  "
        + _("playbook {playbook}   mode {mode}   amount {amount}   expected close {close}").format(
            playbook=o.playbook_key or "-",
            mode=view.mode.name if view.mode else o.mode or "-",
            amount=amount,
            close=o.expected_close or "-",
        ),
    ]
    if view.stages:
        path = []
        for s in view.stages:
            mark = "▶" if s.current else "✓" if s.passed else " "
            path.append(f"{mark} {s.name} {s.done}/{s.total}")
        lines.append("  " + "  →  ".join(path))
    if view.mode is not None:
        lines.append(
            "  "
            + _("{mode} mode: {description}").format(
                mode=view.mode.name, description=view.mode.description or "-"
            )
        )
        visits = sum(1 for a in view.activities if a.channel == "visit")
        lines += [f"    {line}" for line in programme(view.mode.visits, visits)]
    elif view.suggested_mode is not None:
        hint = view.suggested_mode
        lines.append(
            "  "
            + _("the assessment score suggests the {mode} mode ({key})").format(
                mode=hint.name, key=hint.key
            )
        )
    for d in view.mode_check:
        lines.append(f"  ! {d.message}" + (_("  (enforced)") if d.blocks else ""))
    open_tasks = [t for t in view.tasks if is_open(t.status)]
    if open_tasks:
        lines.append("  " + _("open tasks:"))
        lines += [f"    [{short_id(t.id)}] {t.title}" for t in open_tasks]
    for t in view.tasks:
        anyway = (t.custom or {}).get("done_anyway")
        if t.status == "done" and isinstance(anyway, dict):
            said = _("done anyway: {task} — {reason}")
            lines.append("  " + said.format(task=t.title, reason=anyway.get("reason")))
    won = (o.custom or {}).get("won_anyway")
    if o.status == "won" and isinstance(won, dict):
        said = _("won anyway: {reason} (open then: {open})")
        lines.append(
            "  " + said.format(reason=won.get("reason"), open="; ".join(won.get("open", [])))
        )
    for f in view.fields:
        if f.value in (None, ""):
            continue
        lines.append(f"  {f.label or f.key}: {f.shown()}")
    typer.echo("\n".join(lines))
