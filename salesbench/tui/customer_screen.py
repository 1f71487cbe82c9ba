"""The customer center: find anyone as you type, see everything about them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core.i18n import _
from salesbench.tui.actions import CUSTOMER_ACTIONS, bindings
from salesbench.tui.customer_keys import CustomerKeys
from salesbench.tui.customer_lines import (
    deal_options,
    detail_markup,
    history_markup,
    result_options,
)
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


class CustomerScreen(CustomerKeys):
    BINDINGS = bindings(CUSTOMER_ACTIONS)
    ACTIONS = CUSTOMER_ACTIONS

    def __init__(self, customer_id: str | None = None) -> None:
        """`customer_id`: open on that customer, its deals ready to open (from the
        queue's `o` on a task that belongs to no deal)."""
        super().__init__()
        self.selected: str | None = customer_id
        self.came_for = customer_id  # the customer the screen was opened on, if any
        self.view: CustomerView | None = None
        self.opening = customer_id is not None  # the search box fills in once it is read
        self.to_deals = customer_id is not None  # focus its deals once they are shown
        self.searched: str | None = None  # the text the results were last found for
        self.keep = False  # the next results keep the customer selected (not the top match)

    def compose(self) -> ComposeResult:
        title = _("Customer center")
        yield Static(f"[b]{title}[/b]", id="title")
        yield Input(
            placeholder=_(
                "search: name, pinyin or initials (lina, ln), number, phone, email, "
                "a word of a note (/ back here)"
            ),
            id="search",
        )
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield OptionList(id="results")
            with VerticalScroll(id="customer-right"):
                yield Static("", id="customer-detail")
                yield OptionList(id="customer-deals", compact=True)
                yield Static("", id="customer-history")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#customer-deals", OptionList).display = False
        if self.selected is not None:
            self.load(self.selected)
            return
        self.query_one("#search", Input).focus()
        self.search("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#results", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a customer opens it: its deals take the keys; Enter on a deal opens
        the deal."""
        event.stop()
        if event.option_list.id == "customer-deals":
            if event.option.id:
                self.open_deal(event.option.id)
            return
        self.to_deals = True
        if self.view is not None and str(self.view.customer.id) == self.selected:
            self._focus_deals()

    def _focus_deals(self) -> None:
        self.to_deals = False
        deals = self.query_one("#customer-deals", OptionList)
        if self.view is None or not self.view.opportunities:
            key = "ctrl+o"
            self.notify(_("No deal yet: {key} opens one.").format(key=key))
            return
        deals.focus()
        if deals.highlighted is None:
            deals.highlighted = 0

    def open_deal(self, opportunity_id: str) -> None:
        from salesbench.tui.opportunity_screen import OpportunityScreen

        def back(_result: Any) -> None:
            if self.selected is not None:
                self.load(self.selected)  # the deal may have moved on or closed

        self.app.push_screen(OpportunityScreen(opportunity_id), callback=back)

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
            results.add_option(Option(_("No customer matches."), disabled=True))
            self.selected = self.view = None  # nobody's detail under an empty list
            self._clear_detail()
            return
        results.add_options(result_options(found))
        ids = [str(c.id) for c, _why in found]
        # new text: its best match; the same search again (after a save): the same customer
        kept = self.selected if self.keep or text == self.searched else None
        self.searched, self.keep = text, False
        results.highlighted = ids.index(kept) if kept in ids else 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "results" and event.option.id:  # not one of its deals
            self.selected = event.option.id
            self.load(event.option.id)

    def load(self, customer_id: str) -> None:
        def failed(message: str) -> None:
            if customer_id == self.selected:  # not what an earlier selection left
                self.view = None
                self._clear_detail()
            self.failed(message)

        self.load_latest(
            "detail",
            lambda: self.app.customer_view(customer_id),
            lambda view: self.show(customer_id, view),
            failed,
        )

    def _clear_detail(self) -> None:
        self.query_one("#customer-detail", Static).update("")
        self.query_one("#customer-history", Static).update("")
        deals = self.query_one("#customer-deals", OptionList)
        deals.clear_options()
        deals.display = False

    def show(self, customer_id: str, view: CustomerView) -> None:
        if customer_id != self.selected:
            return
        self.view = view
        if self.opening:  # opened on this customer: find it, namesakes beside it
            self.opening, self.keep = False, True
            self.query_one("#search", Input).value = view.customer.name
        self.query_one("#customer-detail", Static).update(detail_markup(view))
        self._show_deals(view)
        self.query_one("#customer-history", Static).update(history_markup(view))
        if self.to_deals:
            self._focus_deals()

    def _show_deals(self, view: CustomerView) -> None:
        deals = self.query_one("#customer-deals", OptionList)
        was = deals.highlighted_option.id if deals.highlighted_option else None
        deals.clear_options()
        deals.display = bool(view.opportunities)
        deals.add_options(deal_options(view))
        ids = [str(o.id) for o in view.opportunities]
        if ids:
            deals.highlighted = ids.index(was) if was in ids else 0

    # ------------------------------------------------------------ actions

    def _after(self, _result: Any = None) -> None:
        self.search(self.query_one("#search", Input).value)

    def action_add_customer(self) -> None:
        self._customer_form(_("New customer"), None)

    def action_edit_customer(self) -> None:
        if self.view is not None:
            self._customer_form(_("Edit {name}").format(name=self.view.customer.name), self.view)

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

        def saved(values: dict[str, str], form: FormModal) -> None:
            if c is None:
                self.app.save_customer(
                    None, values, then=form.closing(self._after), refused=form.refused
                )
                return
            changed = changed_fields(fields, values)
            if not changed:
                form.closing(lambda: self.notify("Nothing changed"))()
                return
            self._save_customer(str(c.id), changed, c.model_dump(), form)

        self.app.push_screen(FormModal(title, fields, note=note, submit=saved))

    def _save_customer(
        self, ref: str, changed: dict[str, str], started: dict[str, Any], form: FormModal
    ) -> None:
        from salesbench.services.customers import customer_view, edit_customer

        app = self.app
        raw: dict[str, str | None] = dict(changed)

        def conflicted(message: str, view: CustomerView) -> None:
            self.notify(message, severity="error", timeout=10)
            self.selected = str(view.customer.id)
            self.show(self.selected, view)
            title = _("Edit {name} (as it is now)").format(name=view.customer.name)
            self._customer_form(title, view, note=typed_note(changed, form.fields))

        save_edit(
            self,
            lambda: edit_customer(
                app.store, ref, raw, clock=app.clock, currency=app.currency, started_from=started
            ),
            lambda: customer_view(app.store, ref),
            saved="Customer saved",
            conflicted=form.closing(conflicted),
            then=form.closing(self._after),
            refused=form.refused,  # a bad value: the form stays, marked where
        )

    def action_add_contact(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)
        fields = contact_fields(None)

        def saved(values: dict[str, str], form: FormModal) -> None:
            self.app.add_contact(ref, values, then=form.closing(self._after), refused=form.refused)

        self.app.push_screen(
            FormModal(
                _("New contact at {name}").format(name=self.view.customer.name),
                fields,
                submit=saved,
            )
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
            self._contact_form(ref, now[0], note=typed_note(changed, fields))

        def saved(values: dict[str, str], form: FormModal) -> None:
            changed.clear()
            changed.update(changed_fields(fields, values))
            if not changed:
                form.closing(lambda: self.notify("Nothing changed"))()
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
                conflicted=form.closing(conflicted),
                then=form.closing(self._after),
                refused=form.refused,  # a bad value: the form stays, marked where
            )

        title = _("Edit {name}").format(name=contact.name)
        self.app.push_screen(FormModal(title, fields, note=note, submit=saved))

    def action_add_opportunity(self) -> None:
        if self.view is None:
            return
        ref = str(self.view.customer.id)
        fields: list[FormField] = [
            ("title", _("Title"), None, ""),
            ("playbook_key", _("Playbook"), self.app.playbook_keys(), ""),
            ("amount", _("Amount (e.g. 250000, 1.234,56 or USD 1,200)"), None, ""),
            ("expected_close", _("Expected close (YYYY-MM-DD)"), None, ""),
        ]

        def saved(values: dict[str, str], form: FormModal) -> None:
            self.app.add_opportunity(
                ref, values, then=form.closing(self._after), refused=form.refused
            )

        self.app.push_screen(
            FormModal(
                _("New opportunity for {name}").format(name=self.view.customer.name),
                fields,
                submit=saved,
            )
        )

    def action_pause(self) -> None:
        if self.view is not None:
            from salesbench.tui.customer_forms import pause_form

            c = self.view.customer
            pause_form(self.app, str(c.id), c.name, self._after)

    def action_complaint(self) -> None:
        if self.view is not None:
            from salesbench.tui.customer_forms import complaint_form

            c = self.view.customer
            complaint_form(self.app, str(c.id), c.name, self._after)
