"""The task panel shown again in place: most cursor moves land on a task drawn with the
same widgets as the one shown (a rep's book is mostly a few kinds of task), and removing
and mounting them all again made the slowest frame of a move (issue 17). The panel builds
the new task's widgets as always, unmounted, and when they match the shown ones kind for
kind each shown widget takes what its fresh twin holds; otherwise it mounts them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static

from salesbench.tui.picking import PickedSelect

Shape = tuple[tuple[Any, ...], ...]


class FieldSelect(PickedSelect):
    """A choice field that keeps its options: set again in place they would reset the
    choice, so a shown choice takes another task's only if its options are the same."""

    def __init__(self, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self.choices = tuple(options)
        # what it was built to show: a Select takes its value only once mounted, and
        # one poured in place is never mounted (its value then read "choose")
        self.stored: Any = kwargs.get("value", Select.NULL)


KINDS = (Static, Checkbox, Input, Select, Horizontal)  # those _adopt knows


def shape(widgets: Sequence[Widget]) -> Shape | None:
    """What must be alike for shown widgets to take fresh ones' content: each one's kind
    and id in order (and a choice's options); None with a kind never shown in place.
    Texts, values, ticks, classes and whether a field is editable are taken over."""
    if not all(isinstance(w, KINDS) for w in widgets):
        return None
    return tuple((type(w), w.id, w.choices if isinstance(w, FieldSelect) else ()) for w in widgets)


def adopt(panel: Widget, shown: Sequence[Widget], fresh: Sequence[Widget]) -> None:
    """Each shown widget takes what its fresh twin would show. Values set here post no
    Changed: a checklist box set to the new task's tick is no tick by the rep (it would be
    saved), a field set to its stored value is no typing to keep."""
    with panel.prevent(Checkbox.Changed, Input.Changed, Select.Changed):
        for old, new in zip(shown, fresh, strict=True):
            _adopt(old, new)


def _adopt(old: Widget, new: Widget) -> None:
    if isinstance(old, Checkbox) and isinstance(new, Checkbox):  # a Static too: first
        old.label = new.label
        old.value = new.value
        old.disabled = new.disabled
    elif isinstance(old, Static) and isinstance(new, Static):  # Labels too
        old.update(new.content)
        old.set_classes(new.classes)  # e.g. a script's "not-ready"
        old.display = new.display  # a field's refusal line starts hidden
    elif isinstance(old, Input) and isinstance(new, Input):
        old.validators = new.validators  # the new field's, before its value is checked
        old.placeholder = new.placeholder
        old.disabled = new.disabled
        old.value = new.value
        old.cursor_position = len(old.value)  # after the value, as a fresh input has it
        for state in ("-valid", "-invalid"):  # as fresh: not the rep's last typing's
            old.set_class(new.has_class(state), state)
    elif isinstance(old, Select) and isinstance(new, Select):
        old.prompt = new.prompt
        old.disabled = new.disabled
        old.value = new.stored if isinstance(new, FieldSelect) else new.value
    # a Horizontal is the save button's row, the same for every open form ("Fill in")
