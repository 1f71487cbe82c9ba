"""Small dialogs: snooze, log a contact, choose a script, confirm."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from salesbench.core import labels
from salesbench.core.enums import Channel
from salesbench.core.i18n import N_, _
from salesbench.tui.base import SalesbenchModal
from salesbench.tui.field_errors import RefusingModal, dialog_error, error_label
from salesbench.tui.picking import PickedSelect


class SnoozeModal(RefusingModal[str | None]):
    """Presets, or a date: returns a snooze spec for core.snooze. With `submit`, the
    spec goes to it (with the dialog) and the dialog stays until the snooze is saved,
    a refused date shown under the date box."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]
    FIELD_PREFIX = "snooze-"

    def __init__(self, *, submit: Callable[[str, SnoozeModal], object] | None = None) -> None:
        super().__init__()
        self.submit = submit

    def field_labels(self) -> Mapping[str, str]:
        return {"date": _("Date")}

    def field_aliases(self) -> Mapping[str, str]:
        return {"until": "date"}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Snooze until…"), classes="dialog-title")
            yield dialog_error()
            with Horizontal(classes="presets"):
                yield Button(_("1 hour"), id="snooze-1h")
                yield Button(_("Tomorrow morning"), id="snooze-tomorrow", variant="primary")
                yield Button(_("Next week"), id="snooze-next-week")
            yield Input(placeholder=_("or a date, YYYY-MM-DD, then Enter"), id="snooze-date")
            yield error_label("date")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self._chosen(event.button.id.removeprefix("snooze-"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._chosen(event.value.strip())

    def _chosen(self, spec: str) -> None:
        self.result = spec
        if self.submit is None:
            self.dismiss(spec)
        else:
            self.clear_refusal()
            self.submit(spec, self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScriptPickerModal(SalesbenchModal[int | None]):
    """Every script of a task (the number keys reach only the first nine): returns the
    chosen script's number, 1-based, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, titles: Sequence[str]) -> None:
        super().__init__()
        self.titles = list(titles)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Copy which script?"), classes="dialog-title")
            yield OptionList(
                *(f"{n}  {title}" for n, title in enumerate(self.titles, 1)), id="script-picker"
            )

    def on_mount(self) -> None:
        self.query_one("#script-picker", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index + 1)

    def action_cancel(self) -> None:
        self.dismiss(None)


LOG_FIELDS = (  # labels in English, shown in the rep's language
    ("summary", N_("What happened")),
    ("needs", N_("Needs")),
    ("objections", N_("Objections")),
    ("commitments", N_("Customer commitments")),
    ("next_step_content", N_("Next step")),
    ("next_step_date", N_("Next step date (YYYY-MM-DD)")),
    ("help_needed", N_("Help needed from other teams")),
)


class LogModal(RefusingModal[dict[str, Any] | None]):
    """The follow-up record a rep writes after each contact: what happened, needs,
    objections, commitments and the next step; returns the raw fields. With `submit`,
    they go to it (with the dialog), which stays open until they are saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save")),
    ]
    FIELD_PREFIX = "log-"

    def __init__(
        self,
        subject: str,
        *,
        values: dict[str, str] | None = None,
        title: str | None = None,
        submit: Callable[[dict[str, Any], LogModal], object] | None = None,
    ) -> None:
        super().__init__()
        self.subject = subject
        self.values = values or {}  # a logged contact being corrected: its fields
        self.title_text = title or _("Log a contact with {subject}").format(subject=subject)
        self.submit = submit

    def field_labels(self) -> Mapping[str, str]:
        return {"channel": _("Channel"), **{key: _(label) for key, label in LOG_FIELDS}}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield dialog_error()
            with Grid(id="log-grid"):
                yield Label(_("Channel"))
                yield Select(
                    [(labels.label(labels.CHANNELS, c.value), c.value) for c in Channel],
                    value=self.values.get("channel", "call"),
                    allow_blank=False,
                    id="log-channel",
                )
                for key, label in LOG_FIELDS:
                    yield Label(_(label))
                    yield Vertical(
                        Input(self.values.get(key, ""), id=f"log-{key}"),
                        error_label(key),
                        classes="field-cell",
                    )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        raw: dict[str, Any] = {"channel": str(self.query_one("#log-channel", Select).value)}
        for key, _label in LOG_FIELDS:
            value = self.query_one(f"#log-{key}", Input).value.strip()
            raw[key] = value or None
        self.result = raw
        if self.submit is None:
            self.dismiss(raw)
        else:
            self.clear_refusal()
            self.submit(raw, self)

    def action_cancel(self) -> None:
        self.dismiss(None)


Choice = str | tuple[str, str]  # a choice shown as it is stored, or (label, stored value)
FormField = tuple[str, str, Sequence[Choice] | None, str]  # key, label, choices or None, value


class FormModal(RefusingModal[dict[str, str] | None]):
    """A small form: (key, label, options or None, value) per field; returns raw strings.

    Values are checked by the service the form feeds. With `submit`, Save hands the
    values (and the form) to it and the form stays open: the write closes it on
    success (`form.closing(then)`), or shows a refusal under the field it names
    (`form.refused`), the typed values kept.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save")),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        *,
        note: str | None = None,
        submit: Callable[[dict[str, str], FormModal], object] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.note = note  # shown under the title: why the form opened again, say
        self.submit = submit
        self.aliases = dict(aliases or {})  # the service's name for a field -> the form's

    def field_labels(self) -> Mapping[str, str]:
        return {key: label for key, label, _options, _value in self.fields}

    def field_aliases(self) -> Mapping[str, str]:
        # a form asking only for a reason: the service calls it lost_reason
        lost = {"lost_reason": "reason"} if "reason" in self.field_labels() else {}
        return {**lost, **self.aliases}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.note:
                yield Label(self.note, id="form-note", markup=False)
            yield dialog_error()
            with Grid(id="log-grid"):
                for key, label, options, value in self.fields:
                    yield Label(label)
                    pairs = [(o, o) if isinstance(o, str) else o for o in options or ()]
                    widget: Select[str] | Input = (
                        PickedSelect(
                            pairs,
                            prompt=_("choose"),  # Textual's own says "Select"
                            id=f"form-{key}",
                            value=value if value in {v for _l, v in pairs} else Select.NULL,
                        )
                        if options is not None
                        else Input(value, id=f"form-{key}")
                    )
                    yield Vertical(widget, error_label(key), classes="field-cell")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query("Input, Select").first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def on_picked_select_picked(self, event: PickedSelect.Picked) -> None:
        """A choice picked with Enter: on to the next field, as Enter moves on from a
        typed one; from the last, to Save (Enter again saves, rather than reopening)."""
        fields = list(self.query("Input, Select"))
        later = fields[fields.index(event.select) + 1 :]
        (later[0] if later else self.query_one("#save")).focus()

    def action_save(self) -> None:
        out: dict[str, str] = {}
        for key, _label, _options, _value in self.fields:
            widget = self.query_one(f"#form-{key}")
            if isinstance(widget, Select):
                out[key] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, Input)
                out[key] = widget.value.strip()
        self.result = out
        if self.submit is None:
            self.dismiss(out)
        else:
            self.clear_refusal()
            self.submit(out, self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuestionModal(SalesbenchModal[str | None]):
    """A stage's decision gate: yes moves on, no takes the turnaround path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("y", "answer('yes')", N_("Yes")),
        Binding("n", "answer('no')", N_("No")),
    ]

    def __init__(self, question: str, turnaround: str) -> None:
        super().__init__()
        self.question = question
        self.turnaround = turnaround

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield Label(
                _("No takes the turnaround path back to {stage}.").format(stage=self.turnaround)
            )
            with Horizontal(classes="presets"):
                yield Button(_("Yes (y)"), id="answer-yes", variant="primary")
                yield Button(_("No (n)"), id="answer-no", variant="warning")
                yield Button(_("Cancel"), id="answer-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("answer-")
        self.dismiss(None if answer == "cancel" else answer)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(SalesbenchModal[bool]):
    """A change that cannot be taken back, said in full: Enter or y does it, Esc or n
    does not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", N_("Cancel")),
        Binding("y", "answer(True)", N_("Yes")),
    ]

    def __init__(self, title: str, message: str, yes: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, id="confirm-message", markup=False)  # wraps
            with Horizontal(classes="presets"):
                yes = _("{yes} (y)").format(yes=self.yes)
                yield Button(yes, id="confirm-yes", variant="primary")
                yield Button(_("Cancel (Esc)"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()  # Enter presses it

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
