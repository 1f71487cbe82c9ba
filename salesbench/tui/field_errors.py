"""How a dialog shows a refusal in place: it stays open with what was typed, and the
service's message appears under the field it names, in the rep's words (the field's
label as the dialog shows it, never the key the service uses)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from textual.widget import Widget
from textual.widgets import Input, Label, Select

from salesbench.core.errors import BadInputs
from salesbench.core.i18n import _
from salesbench.tui.base import SalesbenchModal, plain

if TYPE_CHECKING:
    from salesbench.core.errors import SalesbenchError

R = TypeVar("R")

Refused = Callable[["SalesbenchError"], object]  # how a write hands a refusal back to its form

# A service message that starts with one of these reads on from the field's name
# ("Reason is required…"); any other is said after a colon ("Email: 'x' is not…").
_READS_ON = frozenset({"is", "must", "ends", "only", "has", "cannot", "needs", "should"})


def short_label(label: str) -> str:
    """A form label without its hint: "Expected close (YYYY-MM-DD)" -> "Expected close",
    "预计成交日（YYYY-MM-DD）" -> "预计成交日"."""
    return label.split(" (", 1)[0].split("（", 1)[0].strip()


def key_words(key: str) -> str:
    """For a field the dialog does not show: its key as words ("lost_reason" -> "Lost
    reason"), never the key itself."""
    return key.strip("-").replace("_", " ").replace("-", " ").capitalize()


def in_words(label: str, message: str) -> str:
    first = message.split(" ", 1)[0]
    if first in _READS_ON:
        return f"{label} {message}"
    return _("{label}: {message}").format(label=label, message=message)


def error_label(key: str) -> Label:
    """The (hidden) line under field `key` that a refusal fills."""
    label = Label("", id=f"error-{key}", classes="field-error", markup=False)
    label.display = False
    return label


def dialog_error() -> Label:
    """The (hidden) line under a dialog's title for a refusal that names no field on it."""
    label = Label("", id="dialog-error", classes="field-error", markup=False)
    label.display = False
    return label


class RefusingModal(SalesbenchModal[R]):
    """A dialog that saves through a write and closes only when it succeeds: field
    `key` is the widget `#{FIELD_PREFIX}{key}`, with error_label(key) under it, and
    dialog_error() under the title."""

    FIELD_PREFIX = "form-"

    def __init__(self) -> None:
        super().__init__()
        self.result: R | None = None  # what the dialog closes with once saved

    def field_labels(self) -> Mapping[str, str]:
        """Field key -> the label the dialog shows it with."""
        raise NotImplementedError

    def field_aliases(self) -> Mapping[str, str]:
        """A service's name for a field -> the dialog's (e.g. "until" -> the date box)."""
        return {}

    def closing(self, then: Callable[..., object]) -> Callable[..., None]:
        """`then`, run once the write succeeded, after closing the dialog (unless the
        rep closed it meanwhile)."""

        def done(*args: Any) -> None:
            if self.is_attached and self.app.screen is self:
                self.dismiss(self.result)
            then(*args)

        return done

    def on_input_changed(self, event: Input.Changed) -> None:
        self.put_right(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.put_right(event.select)

    def put_right(self, widget: Widget) -> None:
        """A marked field edited: its message goes as the rep types (it stayed until
        the next save, beside a value already put right); the others stay."""
        if not widget.has_class("has-error") or widget.id is None:
            return
        widget.remove_class("has-error")
        key = widget.id.removeprefix(self.FIELD_PREFIX)
        for line in self.query(f"#error-{key}"):
            line.display = False

    def clear_refusal(self) -> None:
        for line in self.query(".field-error"):
            line.display = False
        for widget in self.query(".has-error"):
            widget.remove_class("has-error")

    def refuse(self, key: str | None, message: str, *, more: bool = False) -> None:
        """Show `message` under field `key` (or under the title) and put the cursor
        there; nothing typed is touched. `more`: beside the refusals shown already
        (the cursor stays on the first)."""
        if not more:
            self.clear_refusal()
        labels = self.field_labels()
        key = self.field_aliases().get(key or "", key)
        if key is not None and key in labels:
            line = self.query_one(f"#error-{key}", Label)
            line.update(plain(in_words(short_label(labels[key]), message)))
            line.display = True
            widget = self.query_one(f"#{self.FIELD_PREFIX}{key}")
            widget.add_class("has-error")
            if not more:
                widget.focus()
            return
        text = in_words(key_words(key), message) if key else message
        general = self.query_one("#dialog-error", Label)
        general.update(plain(text[:1].upper() + text[1:]))
        general.display = True

    def refused(self, exc: SalesbenchError) -> None:
        """A write's refusal (see tui/writes.py `_call`), shown in place."""
        if not self.is_attached:
            return
        problems = exc.problems if isinstance(exc, BadInputs) else [exc]
        for n, problem in enumerate(problems):  # every wrong field marked at once
            self.refuse(problem.field, problem.message, more=n > 0)
