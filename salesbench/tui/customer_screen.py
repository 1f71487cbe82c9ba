"""The customer center: find anyone as you type, see everything about them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core.tables import shown
from salesbench.tui.actions import CUSTOMER_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen, escape, plain
from salesbench.tui.footer import FittingFooter
from salesbench.tui.modals import FormField, FormModal
from salesbench.tui.record_forms import (
    changed_fields,
    contact_fields,
    customer_fields,
    save_edit,
    typed_note,
)

if TYPE_CHECKING:
    from salesbench.services.customers import CustomerView
    from salesbench.services.records import Contact


class CustomerScreen(SalesbenchScreen[None]):
    BINDINGS = bindings(CUSTOMER_ACTIONS)
    ACTIONS = CUSTOMER_ACTIONS

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None
        self.view: CustomerView | None = None

    def compose(self) -> ComposeResult:
        yield Static("[b]Customer center[/b]", id="title")
        yield Input(
            placeholder="search customers and contacts: name, number, phone, email", id="search"
        )
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield OptionList(id="results")
            yield VerticalScroll(Static("", id="customer-detail"), id="customer-right")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.search("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#results", OptionList).focus()

    def search(self, text: str) -> None:
        self.load_latest(
            "search",
            lambda: self.app.search_customers(text),
            lambda found: self.show_results(text, found),
            self.failed,
        )

    def failed(self, message: str) -> None:
        """A read refused, e.g. a customer a colleague removed meanwhile: say so, and
        keep the customer center open."""
        self.notify(message, severity="error", timeout=6)

    def show_results(self, text: str, found: list[tuple[Any, str]]) -> None:
        if text != self.query_one("#search", Input).value:
            return  # an older search finishing late: thread workers cannot be cancelled
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not found:
            results.add_option(Option("No customer matches.", disabled=True))
            return
        for customer, why in found:
            line = plain(f"{customer.name}  ")
            line.append(f"{customer.grade or '-'} · {customer.status}", style="dim")
            if why:
                line.append(f"  ({why})", style="italic")
            results.add_option(Option(line, id=str(customer.id)))
        results.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.selected = event.option.id
            self.load(event.option.id)

    def load(self, customer_id: str) -> None:
        def failed(message: str) -> None:
            if customer_id == self.selected:  # not what an earlier selection left
                self.view = None
                self.query_one("#customer-detail", Static).update("")
            self.failed(message)

        self.load_latest(
            "detail",
            lambda: self.app.customer_view(customer_id),
            lambda view: self.show(customer_id, view),
            failed,
        )

    def show(self, customer_id: str, view: CustomerView) -> None:
        if customer_id != self.selected:
            return
        self.view = view
        c = view.customer
        purchase = (
            f"{shown(c.annual_purchase, 'money')} {c.currency or ''}".strip()
            if c.annual_purchase is not None
            else "-"
        )
        status = c.status + (f" until {c.paused_until}" if c.paused_until else "")
        lines = [
            f"[b]{escape(c.name)}[/b]  {c.kind}  {escape(c.number or '')}",
            f"grade {c.grade or '-'} ({c.grade_set_by}) · {status} · owner "
            f"{escape(view.owner.name)}",
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
        lines.append("\n[b]Opportunities[/b]")
        lines += [
            f"  {escape(o.title)}  "
            f"{escape('[' + view.stage_names.get(o.id, o.stage_key or '-') + ']')}  {o.status}"
            + (f"  {shown(o.amount, 'money')} {o.currency}" if o.amount is not None else "")
            for o in view.opportunities
        ] or ["  none yet (ctrl+o opens one)"]
        from salesbench.core.workday import workday_of

        o = view.owner  # times in the owner's day, as the deal screen shows them, not UTC's
        local = workday_of(o.timezone, o.workday_start, o.workday_end, o.workdays).local
        if view.complaints:
            lines.append("\n[b]Complaints[/b]")
            lines += [
                f"  {local(k.received_at):%Y-%m-%d}  {escape(k.content)}  "
                f"{'resolved' if k.resolved_at else 'open'}"
                for k in view.complaints
            ]
        lines.append("\n[b]Timeline[/b]")
        events = [
            (a.started_at, f"{a.channel}  {escape(a.summary or '')}") for a in view.activities
        ]
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
        self.query_one("#customer-detail", Static).update("\n".join(lines))

    # ------------------------------------------------------------ actions

    def _after(self, _result: Any = None) -> None:
        self.search(self.query_one("#search", Input).value)

    def action_add_customer(self) -> None:
        self._customer_form("New customer", None)

    def action_edit_customer(self) -> None:
        if self.view is not None:
            self._customer_form(f"Edit {self.view.customer.name}", self.view)

    def _customer_form(
        self, title: str, view: CustomerView | None, note: str | None = None
    ) -> None:
        """The form for a new customer (no `view`) or for changing the one shown. An
        edit saves only the fields changed in the form, and only if nobody changed
        those meanwhile; if someone did, nothing is saved, the conflict is shown and
        the form opens again with the values as they are now, the person's own typing
        quoted above the fields to redo it."""
        c = view.customer if view is not None else None
        fields = customer_fields(c)

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            if c is None:
                self.app.save_customer(None, values, then=self._after)
                return
            changed = changed_fields(fields, values)
            if not changed:
                self.notify("Nothing changed")
                return
            self._save_customer(str(c.id), changed, c.model_dump())

        self.app.push_screen(FormModal(title, fields, note=note), callback=saved)

    def _save_customer(self, ref: str, changed: dict[str, str], started: dict[str, Any]) -> None:
        from salesbench.services.customers import customer_view, edit_customer

        app = self.app
        raw: dict[str, str | None] = dict(changed)

        def conflicted(message: str, view: CustomerView) -> None:
            self.notify(message, severity="error", timeout=10)
            self.selected = str(view.customer.id)
            self.show(self.selected, view)
            title = f"Edit {view.customer.name} (as it is now)"
            self._customer_form(title, view, note=typed_note(changed))

        save_edit(
            self,
            lambda: edit_customer(
                app.store, ref, raw, clock=app.clock, currency=app.currency, started_from=started
            ),
            lambda: customer_view(app.store, ref),
            saved="Customer saved",
            conflicted=conflicted,
            then=self._after,
        )

    def action_add_contact(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)
        fields = contact_fields(None)

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_contact(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"New contact at {self.view.customer.name}", fields), callback=saved
        )

    def action_edit_contact(self) -> None:
        if self.view is None:
            return
        contacts = {c.id: c for c in self.view.contacts}
        if not contacts:
            self.notify("No contact yet: ctrl+t adds one.")
            return
        ref = str(self.view.customer.id)

        if len(contacts) == 1:
            self._contact_form(ref, next(iter(contacts.values())))
            return
        from salesbench.core.ids import short_id

        by_name = {f"{c.name} ({short_id(c.id)})": c.id for c in contacts.values()}

        def picked(values: dict[str, str] | None) -> None:
            if values is not None and values["contact"] in by_name:
                self._contact_form(ref, contacts[by_name[values["contact"]]])

        self.app.push_screen(
            FormModal("Which contact?", [("contact", "Contact", list(by_name), "")]),
            callback=picked,
        )

    def _contact_form(self, ref: str, contact: Contact, note: str | None = None) -> None:
        """Edit one contact: as the customer form, only the changed fields are saved,
        and a conflict shows the contact as it is now."""
        from salesbench.services.contacts import contact_detail, edit_contact

        app = self.app
        fields = contact_fields(contact)
        contact_id, started = str(contact.id), contact.model_dump()
        changed: dict[str, str] = {}

        def conflicted(message: str, now: Any) -> None:
            self.notify(message, severity="error", timeout=10)
            self._after()
            self._contact_form(ref, now[0], note=typed_note(changed))

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            changed.update(changed_fields(fields, values))
            if not changed:
                self.notify("Nothing changed")
                return
            raw: dict[str, str | None] = dict(changed)
            save_edit(
                self,
                lambda: edit_contact(
                    app.store,
                    contact_id,
                    raw,
                    clock=app.clock,
                    customer_ref=ref,
                    started_from=started,
                ),
                lambda: contact_detail(app.store, contact_id),
                saved="Contact saved",
                conflicted=conflicted,
                then=self._after,
            )

        self.app.push_screen(FormModal(f"Edit {contact.name}", fields, note=note), callback=saved)

    def action_add_opportunity(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)
        fields: list[FormField] = [
            ("title", "Title", None, ""),
            ("playbook_key", "Playbook", self.app.playbook_keys(), ""),
            ("amount", "Amount (e.g. 250000, 1.234,56 or USD 1,200)", None, ""),
            ("expected_close", "Expected close (YYYY-MM-DD)", None, ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_opportunity(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"New opportunity for {self.view.customer.name}", fields), callback=saved
        )

    def action_pause(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.pause_customer(ref, values["months"], then=self._after)

        self.app.push_screen(
            FormModal(
                f"Not needed now: pause {self.view.customer.name}",
                [("months", "For how many months", ["1", "2"], "1")],
            ),
            callback=saved,
        )

    def action_complaint(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)
        fields: list[FormField] = [
            ("content", "What is wrong", None, ""),
            ("complainant", "Who complains", None, ""),
            ("contact_info", "How to reach them", None, ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_complaint(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"Complaint from {self.view.customer.name}", fields), callback=saved
        )

    def action_leave(self) -> None:
        self.dismiss(None)
