"""What the customer center shows of a customer, as markup and list lines: its
detail, its deals (a list Enter opens from), its history; and the search results."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.widgets.option_list import Option

from salesbench.core import labels
from salesbench.core.i18n import _
from salesbench.core.ids import short_id
from salesbench.core.labels import label
from salesbench.core.tables import shown
from salesbench.tui.base import bold, escape, plain

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
    status = label(labels.CUSTOMER_STATES, c.status)
    if c.paused_until:
        status = _("{status} until {day}").format(status=status, day=c.paused_until)
    kind = label(labels.CUSTOMER_KINDS, c.kind)
    lines = [
        f"[b]{escape(c.name)}[/b]  {kind}  {escape(c.number or '')}",
        _("grade {grade} ({how}) · {status} · owner {owner}").format(
            grade=c.grade or "-",
            how=label(labels.GRADE_SET_BY, c.grade_set_by),
            status=status,
            owner=escape(view.owner.name),
        ),
        _("industry {industry} · source {source} · annual purchase {purchase}").format(
            industry=escape(c.industry or "-"),
            source=escape(c.source_channel or "-"),
            purchase=purchase,
        ),
    ]
    lines += [
        _("{label}: {value}").format(label=escape(name), value=escape(str(val)))
        for name, val in view.custom
    ]
    lines += [escape(line) for line in view.addresses.lines()]
    lines.append("\n" + bold(_("Contacts")))
    for p in view.contacts:
        role = label(labels.DECISION_ROLES, p.decision_role, "")
        lines.append(f"  {escape(p.name)}  {escape(p.title or '')}  {escape(role)}")
        reach = view.reach.get(p.id)
        # every phone, email and address with its label, one a line, short enough
        # not to break a number in two in the panel at 80 columns
        lines += [f"    {escape(line)}" for line in (reach.compact_lines() if reach else [])]
    if not view.contacts:
        lines.append("  " + _("none yet (ctrl+t adds one)"))
    lines.append(
        "\n"
        + bold(_("Opportunities"))
        + ("  " + _("(Enter, then Enter on one, opens it)") if view.opportunities else "")
    )
    if not view.opportunities:
        lines.append("  " + _("none yet (ctrl+o opens one)"))
    return "\n".join(lines)


def deal_options(view: CustomerView) -> list[Option]:
    """The customer's deals, titles padded by terminal cells so CJK ones align."""
    width = max((cell_len(o.title) for o in view.opportunities), default=0)
    options = []
    for o in view.opportunities:
        line = plain("  " + o.title + " " * (width - cell_len(o.title)))
        stage = view.stage_names.get(o.id, o.stage_key or "-")
        line.append(f"  [{stage}]  {labels.deal_state(o.status)}")
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
        lines.append("\n" + bold(_("Complaints")))
        lines += [
            f"  {local(k.received_at):%Y-%m-%d}  {escape(k.content)}  "
            + (_("resolved") if k.resolved_at else _("open"))
            for k in view.complaints
        ]
    lines.append("\n" + bold(_("Timeline")))
    events = [
        (a.started_at, f"{labels.channel(a.channel)}  {escape(a.summary or '')}")
        for a in view.activities
    ]
    events += [
        (
            h.handover.handed_at,
            _("handed over  {giver} → {taker} ({deals} deals, {tasks} tasks)").format(
                giver=escape(h.from_rep or "?"),
                taker=escape(h.to_rep or "?"),
                deals=h.handover.opportunities,
                tasks=h.handover.tasks,
            )
            + (f"  {escape(h.handover.note)}" if h.handover.note else ""),
        )
        for h in view.handovers
    ]
    events.sort(key=lambda e: e[0], reverse=True)
    lines += [f"  {local(at):%Y-%m-%d %H:%M}  {text}" for at, text in events] or [
        "  " + _("no contact yet")
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
        status = label(labels.CUSTOMER_STATES, customer.status)
        line.append(f"{customer.grade or '-'} · {status}", style="dim")
        if why:
            line.append(f"  ({why})", style="italic")
        options.append(Option(line, id=str(customer.id)))
    return options
