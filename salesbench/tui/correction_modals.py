"""Dialogs for corrections: pick a logged contact to edit or delete, and confirm a
delete. (The edit itself is the log dialog, filled in with the contact's fields.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from salesbench.core.i18n import N_, _
from salesbench.tui.base import SalesbenchModal, plain


class ContactPickerModal(SalesbenchModal[tuple[str, str] | None]):
    """The deal's logged contacts, newest first: returns ("edit" or "delete", id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("e", "choose('edit')", N_("Edit")),
        Binding("delete,x", "choose('delete')", N_("Delete")),
    ]

    def __init__(self, contacts: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.contacts = list(contacts)  # (activity id, its timeline line)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Correct which contact?"), classes="dialog-title")
            yield Label(_("Enter or e edits it · Del or x deletes it · Esc goes back"))
            yield OptionList(
                *(Option(plain(line), id=ref) for ref, line in self.contacts), id="contact-picker"
            )

    def on_mount(self) -> None:
        self.query_one("#contact-picker", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose("edit")

    def action_choose(self, what: str) -> None:
        picker = self.query_one("#contact-picker", OptionList)
        if picker.highlighted is None:
            return
        ref = picker.get_option_at_index(picker.highlighted).id
        if ref is not None:
            self.dismiss((what, ref))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(SalesbenchModal[bool]):
    """Yes or no for a change that takes something away; Esc is no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", N_("No")),
        Binding("y", "answer(True)", N_("Yes")),
    ]

    def __init__(self, question: str, note: str) -> None:
        super().__init__()
        self.question = question
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            yield Label(self.note, markup=False)
            with Horizontal(classes="presets"):
                yield Button("Delete (y)", id="confirm-yes", variant="error")
                yield Button("Keep it (n)", id="confirm-no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
