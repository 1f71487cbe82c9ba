"""What the customer center shows of a customer, as markup and list lines: its
detail, its deals (a list Enter opens from), its history; and the search results."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.widgets.option_list import Option

from salesbench.core.ids import short_id
from salesbench.core.tables import shown
from salesbench.tui.base import escape, plain

if TYPE_CHECKING:
    from salesbench.services.customers import CustomerView


def detail_markup(view: CustomerView) -> str:
    """The customer's facts and contacts, down to the heading of its deals."""
    c = view.customer
    purchase = (
        f"{shown(c.annual_purchase, 'money')} {c.currency or ''}".strip()
        if c.annual_purchase is not None
        else "-"
    )
    status = c.status + (f" until {c.paused_until}" if c.paused_until else "")
    lines = [
        f"[b]{escape(c.name)}[/b]  {c.kind}  {escape(c.number or '')}",
        f"grade {c.grade or '-'} ({c.grade_set_by}) · {status} · owner {escape(view.owner.name)}",
        f"industry {escape(c.industry or '-')} · source {escape(c.source_channel or '-')}"
        f" · annual purchase {purchase}",
    ]
    lines += [f"{escape(label)}: {escape(str(val))}" for label, val in view.custom]
    lines += [escape(line) for line in view.addresses.lines()]
    lines.append("\n[b]Contacts[/b]")
    for p in view.contacts:
        lines.append(
            f"  {escape(p.name)}  {escape(p.title or '')}  "
            f"{(p.decision_role or '').replace('_', ' ')}"
        )
        reach = view.reach.get(p.id)
        # every phone, email and address with its label, one a line, short enough
        # not to break a number in two in the panel at 80 columns
        lines += [f"    {escape(line)}" for line in (reach.compact_lines() if reach else [])]
    if not view.contacts:
        lines.append("  none yet (ctrl+t adds one)")
    lines.append(
        "\n[b]Opportunities[/b]"
        + ("  (Enter, then Enter on one, opens it)" if view.opportunities else "")
    )
    if not view.opportunities:
        lines.append("  none yet (ctrl+o opens one)")
    return "\n".join(lines)


def deal_options(view: CustomerView) -> list[Option]:
    """The customer's deals, titles padded by terminal cells so CJK ones align."""
    width = max((cell_len(o.title) for o in view.opportunities), default=0)
    options = []
    for o in view.opportunities:
        line = plain("  " + o.title + " " * (width - cell_len(o.title)))
        line.append(f"  [{view.stage_names.get(o.id, o.stage_key or '-')}]  {o.status}")
        if o.amount is not None:
            line.append(f"  {shown(o.amount, 'money')} {o.currency}")
        options.append(Option(line, id=str(o.id)))
    return options


def history_markup(view: CustomerView) -> str:
    from salesbench.core.workday import workday_of

    o = view.owner  # times in the owner's day, as the deal screen shows them, not UTC's
    local = workday_of(o.timezone, o.workday_start, o.workday_end, o.workdays).local
    """Complaints and the timeline, below the deals."""
    lines: list[str] = []
    if view.complaints:
        lines.append("\n[b]Complaints[/b]")
        lines += [
            f"  {local(k.received_at):%Y-%m-%d}  {escape(k.content)}  "
            f"{'resolved' if k.resolved_at else 'open'}"
            for k in view.complaints
        ]
    lines.append("\n[b]Timeline[/b]")
    events = [(a.started_at, f"{a.channel}  {escape(a.summary or '')}") for a in view.activities]
    events += [
        (
            h.handover.handed_at,
            f"handed over  {escape(h.from_rep or '?')} → {escape(h.to_rep or '?')}"
            f" ({h.handover.opportunities} deals, {h.handover.tasks} tasks)"
            + (f"  {escape(h.handover.note)}" if h.handover.note else ""),
        )
        for h in view.handovers
    ]
    events.sort(key=lambda e: e[0], reverse=True)
    lines += [f"  {local(at):%Y-%m-%d %H:%M}  {text}" for at, text in events] or [
        "  no contact yet"
    ]
    return "\n".join(lines)


def result_options(found: list[tuple[Any, str]]) -> list[Option]:
    """One line a customer; namesakes (two 唐磊) told apart by their number, or by the
    end of their id when they have none."""
    names = Counter(c.name for c, _why in found)
    options = []
    for customer, why in found:
        line = plain(f"{customer.name}  ")
        if names[customer.name] > 1:
            line.append(f"{customer.number or '#' + short_id(customer.id)}  ", style="bold")
        line.append(f"{customer.grade or '-'} · {customer.status}", style="dim")
        if why:
            line.append(f"  ({why})", style="italic")
        options.append(Option(line, id=str(customer.id)))
    return options
