"""The customer center: find anyone as you type, see everything about them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core.enums import CustomerKind, CustomerStatus, DecisionRole, Grade
from salesbench.tui.actions import CUSTOMER_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen
from salesbench.tui.modals import FormField, FormModal

GRADES = ["", *(g.value for g in Grade)]


class CustomerScreen(SalesbenchScreen[None]):
    BINDINGS = bindings(CUSTOMER_ACTIONS)
    ACTIONS = CUSTOMER_ACTIONS

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None
        self.view: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static("[b]Customer center[/b]", id="title")
        yield Input(
            placeholder="search customers and contacts: name, number, phone, email", id="search"
        )
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield OptionList(id="results")
            yield VerticalScroll(Static("", id="customer-detail"), id="customer-right")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.search("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#results", OptionList).focus()

    @work(thread=True, exclusive=True, group="search")
    def search(self, text: str) -> None:
        found = self.app.search_customers(text)
        self.app.call_from_thread(self.show_results, text, found)

    def show_results(self, text: str, found: list[tuple[Any, str]]) -> None:
        if text != self.query_one("#search", Input).value:
            return  # an older search finishing late: thread workers cannot be cancelled
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not found:
            results.add_option(Option("No customer matches.", disabled=True))
            return
        for customer, why in found:
            line = Text(f"{customer.name}  ")
            line.append(f"{customer.grade or '-'} · {customer.status}", style="dim")
            if why:
                line.append(f"  ({why})", style="italic")
            results.add_option(Option(line, id=str(customer.id)))
        results.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.selected = event.option.id
            self.load(event.option.id)

    @work(thread=True, exclusive=True, group="detail")
    def load(self, customer_id: str) -> None:
        view = self.app.customer_view(customer_id)
        self.app.call_from_thread(self.show, customer_id, view)

    def show(self, customer_id: str, v: dict[str, Any]) -> None:
        if customer_id != self.selected:
            return
        self.view = v
        purchase = f"{v['annual_purchase']:,.2f}" if v["annual_purchase"] is not None else "-"
        status = v["status"] + (f" until {v['paused_until']}" if v["paused_until"] else "")
        lines = [
            f"[b]{escape(v['name'])}[/b]  {v['kind']}  {escape(v['number'] or '')}",
            f"grade {v['grade'] or '-'} ({v['grade_set_by']}) · {status} · owner "
            f"{escape(v['owner']['name'])}",
            f"industry {escape(v['industry'] or '-')} · source {escape(v['source_channel'] or '-')}"
            f" · annual purchase {purchase}",
        ]
        lines += [f"{escape(k)}: {escape(str(val))}" for k, val in sorted(v["custom"].items())]
        lines.append("\n[b]Contacts[/b]")
        lines += [
            f"  {escape(c['name'])}  {escape(c['title'] or '')}  "
            f"{(c['decision_role'] or '').replace('_', ' ')}  {escape(c['phone'] or '')}"
            for c in v["contacts"]
        ] or ["  none yet (ctrl+t adds one)"]
        lines.append("\n[b]Opportunities[/b]")
        lines += [
            f"  {escape(o['title'])}  {escape('[' + (o['stage_key'] or '-') + ']')}  "
            f"{o['status']}" + (f"  {o['amount']:,.2f}" if o["amount"] is not None else "")
            for o in v["opportunities"]
        ] or ["  none yet (ctrl+o opens one)"]
        if v["complaints"]:
            lines.append("\n[b]Complaints[/b]")
            lines += [
                f"  {c['received_at'][:10]}  {escape(c['content'])}  "
                f"{'resolved' if c['resolved_at'] else 'open'}"
                for c in v["complaints"]
            ]
        lines.append("\n[b]Timeline[/b]")
        events = [
            (a["started_at"], f"{a['channel']}  {escape(a['summary'] or '')}")
            for a in v["activities"]
        ] + [
            (
                h["handed_at"],
                f"handed over  {escape(h['from_rep'] or '?')} → {escape(h['to_rep'] or '?')}"
                f" ({h['opportunities']} deals, {h['tasks']} tasks)"
                + (f"  {escape(h['note'])}" if h["note"] else ""),
            )
            for h in v.get("handovers", [])
        ]
        events.sort(key=lambda e: e[0], reverse=True)
        lines += [f"  {at[:16].replace('T', ' ')}  {text}" for at, text in events] or [
            "  no contact yet"
        ]
        self.query_one("#customer-detail", Static).update("\n".join(lines))

    # ------------------------------------------------------------ actions

    def _after(self, _result: Any = None) -> None:
        self.search(self.query_one("#search", Input).value)

    def action_add_customer(self) -> None:
        self._customer_form("New customer", {}, None)

    def action_edit_customer(self) -> None:
        if self.view is not None:
            self._customer_form(f"Edit {self.view['name']}", self.view, self.view["id"])

    def _customer_form(self, title: str, v: dict[str, Any], ref: str | None) -> None:
        purchase = v.get("annual_purchase")
        fields: list[FormField] = [
            ("name", "Name", None, v.get("name") or ""),
            ("kind", "Kind", [k.value for k in CustomerKind], v.get("kind") or "company"),
            (
                "grade",
                "Grade (empty: by annual purchase)",
                GRADES,
                (v.get("grade") or "") if v.get("grade_set_by") == "manual" else "",
            ),
            ("status", "Status", [s.value for s in CustomerStatus], v.get("status") or "active"),
            ("industry", "Industry", None, v.get("industry") or ""),
            ("source_channel", "Source", None, v.get("source_channel") or ""),
            (
                "annual_purchase",
                "Annual purchase",
                None,
                f"{purchase:.2f}" if purchase is not None else "",
            ),
            ("number", "Customer number", None, v.get("number") or ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.save_customer(ref, values, then=self._after)

        self.app.push_screen(FormModal(title, fields), callback=saved)

    def action_add_contact(self) -> None:
        if self.view is None:
            return
        ref = self.view["id"]
        fields: list[FormField] = [
            ("name", "Name", None, ""),
            ("title", "Title", None, ""),
            ("phone", "Phone", None, ""),
            ("email", "Email", None, ""),
            ("decision_role", "Decision role", [r.value for r in DecisionRole], ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_contact(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"New contact at {self.view['name']}", fields), callback=saved
        )

    def action_edit_contact(self) -> None:
        if self.view is None:
            return
        contacts = {c["id"]: c for c in self.view["contacts"]}
        if not contacts:
            self.notify("No contact yet: ctrl+t adds one.")
            return
        ref = self.view["id"]

        def edit(contact: dict[str, Any]) -> None:
            fields: list[FormField] = [
                ("name", "Name", None, contact["name"]),
                ("title", "Title", None, contact["title"] or ""),
                ("phone", "Phone", None, contact["phone"] or ""),
                ("email", "Email", None, contact["email"] or ""),
                (
                    "decision_role",
                    "Decision role",
                    [r.value for r in DecisionRole],
                    contact["decision_role"] or "",
                ),
            ]

            def saved(values: dict[str, str] | None) -> None:
                if values is not None:
                    self.app.edit_contact(ref, contact["id"], values, then=self._after)

            self.app.push_screen(FormModal(f"Edit {contact['name']}", fields), callback=saved)

        if len(contacts) == 1:
            edit(next(iter(contacts.values())))
            return
        from salesbench.core.ids import short_id

        by_name = {f"{c['name']} ({short_id(UUID(c['id']))})": c for c in contacts.values()}

        def picked(values: dict[str, str] | None) -> None:
            if values is not None and values["contact"] in by_name:
                edit(by_name[values["contact"]])

        self.app.push_screen(
            FormModal("Which contact?", [("contact", "Contact", list(by_name), "")]),
            callback=picked,
        )

    def action_add_opportunity(self) -> None:
        if self.view is None:
            return
        ref = self.view["id"]
        fields: list[FormField] = [
            ("title", "Title", None, ""),
            ("playbook_key", "Playbook", self.app.playbook_keys(), ""),
            ("amount", "Amount", None, ""),
            ("expected_close", "Expected close (YYYY-MM-DD)", None, ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_opportunity(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"New opportunity for {self.view['name']}", fields), callback=saved
        )

    def action_pause(self) -> None:
        if self.view is None:
            return
        ref = self.view["id"]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.pause_customer(ref, values["months"], then=self._after)

        self.app.push_screen(
            FormModal(
                f"Not needed now: pause {self.view['name']}",
                [("months", "For how many months", ["1", "2"], "1")],
            ),
            callback=saved,
        )

    def action_complaint(self) -> None:
        if self.view is None:
            return
        ref = self.view["id"]
        fields: list[FormField] = [
            ("content", "What is wrong", None, ""),
            ("complainant", "Who complains", None, ""),
            ("contact_info", "How to reach them", None, ""),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.add_complaint(ref, values, then=self._after)

        self.app.push_screen(
            FormModal(f"Complaint from {self.view['name']}", fields), callback=saved
        )

    def action_leave(self) -> None:
        self.dismiss(None)
