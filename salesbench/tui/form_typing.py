"""The task panel's form, what it keeps: the typing the rep has not saved (past Esc and
a reread, until saved or another task is shown), and checklist items that wrap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

if TYPE_CHECKING:
    from salesbench.core.playbook import FieldDef
    from salesbench.services.taskview import TaskDetail


def shown(field: FieldDef, value: Any) -> str:
    """A stored value as its field shows it."""
    if value is None:
        return ""
    if field.type == "money" and isinstance(value, int):
        return f"{value / 100:.2f}"
    if field.type == "bool":
        return "yes" if value else "no"
    return str(value)


class KeptTyping:
    """By field: the value shown when the rep began (stored) and the one typed over it."""

    def __init__(self) -> None:
        self.typed: dict[str, tuple[str, str]] = {}
        self.task_id: str | None = None

    def showing(self, detail: TaskDetail | None) -> None:
        """The panel shows `detail`: another task's typing is let go."""
        if detail is None or detail.task_id != self.task_id:
            self.typed, self.task_id = {}, detail.task_id if detail else None

    def note(self, detail: TaskDetail | None, widget: Input | Select[Any]) -> None:
        """What the rep typed (or chose) in one of the form's fields."""
        name = widget.id or ""
        if detail is None or not name.startswith("field-"):
            return
        key = name.removeprefix("field-")
        found = next(((f, v) for f, v in detail.fields if f.key == key), None)
        if found is None:
            return
        base = shown(*found)
        if isinstance(widget, Select):
            typed = "" if widget.value is Select.NULL else str(widget.value)
        else:
            typed = widget.value
        if typed == base:
            self.typed.pop(key, None)
        else:
            self.typed[key] = (base, typed)

    def put_back(self, panel: Widget, detail: TaskDetail) -> None:
        """What was typed over a value still stored as it was goes back into its field;
        a value stored since (saved, or changed elsewhere) wins over the typing."""
        for field, value in detail.fields:
            base, typed = self.typed.get(field.key, (None, None))
            if typed is None or not detail.is_open:
                continue
            if shown(field, value) != base:
                del self.typed[field.key]
                continue
            widget = panel.query_one(f"#field-{field.key}")
            if isinstance(widget, Select):
                widget.value = typed or Select.NULL
            elif isinstance(widget, Input):
                widget.value = typed
                widget.cursor_position = len(typed)  # on after it, as the rep left it

    def forget(self, task_id: str) -> None:
        """Saved: the typing is stored now (ctrl+z may set it back, not the typing)."""
        if task_id == self.task_id:
            self.typed = {}


class ChecklistBox(Checkbox):
    """A checklist item that wraps under its box (app.tcss): Textual's toggle buttons
    are one line high whatever their label, so a sentence-long item was cut."""

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        rules: Any = self.styles  # Textual's own widgets measure with their styles too
        return max(1, self.render().get_height(rules, width))

    @property
    def _button(self) -> Any:
        # Textual draws X in both states, ticked or not told apart by colour alone
        # (a monochrome terminal, a colour-blind rep): an unticked item's box is empty
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
