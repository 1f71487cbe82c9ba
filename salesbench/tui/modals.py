"""Small dialogs: snooze, log a contact."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from salesbench.core.enums import Channel


class SnoozeModal(ModalScreen[str | None]):
    """Presets, or a date: returns a snooze spec for core.snooze."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Snooze until…", classes="dialog-title")
            with Horizontal(classes="presets"):
                yield Button("1 hour", id="snooze-1h")
                yield Button("Tomorrow morning", id="snooze-tomorrow", variant="primary")
                yield Button("Next week", id="snooze-next-week")
            yield Input(placeholder="or a date, YYYY-MM-DD, then Enter", id="snooze-date")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("snooze-"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


LOG_FIELDS = (
    ("summary", "What happened"),
    ("needs", "Needs"),
    ("objections", "Objections"),
    ("commitments", "Customer commitments"),
    ("next_step_content", "Next step"),
    ("next_step_date", "Next step date (YYYY-MM-DD)"),
    ("help_needed", "Help needed from other teams"),
)


class LogModal(ModalScreen[dict[str, Any] | None]):
    """The follow-up record (seed 003, template 1); returns the raw fields."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, subject: str) -> None:
        super().__init__()
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Log a contact with {self.subject}", classes="dialog-title")
            with Grid(id="log-grid"):
                yield Label("Channel")
                yield Select(
                    [(c.value, c.value) for c in Channel],
                    value="call",
                    allow_blank=False,
                    id="log-channel",
                )
                for key, label in LOG_FIELDS:
                    yield Label(label)
                    yield Input(id=f"log-{key}")
            with Horizontal(classes="form-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

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
        self.dismiss(raw)

    def action_cancel(self) -> None:
        self.dismiss(None)
