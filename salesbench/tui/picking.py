"""A choice field that says when the rep picked from its list (Enter on an option),
whether or not the value changed: picking the value it already showed (the common
case, keeping the default) sent no Changed, so the cursor stayed and the next Enter
opened the list again instead of saving."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import Select
from textual.widgets._select import SelectOverlay


class PickedSelect(Select[str]):
    class Picked(Message):
        def __init__(self, select: PickedSelect) -> None:
            super().__init__()
            self.select = select

    @on(SelectOverlay.UpdateSelection)
    def _picked(self, _event: SelectOverlay.UpdateSelection) -> None:
        # after Select's own handler has set the value (messages are handled in turn)
        self.post_message(self.Picked(self))
