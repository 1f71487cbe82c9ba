"""What every screen and dialog of the workbench shares: the app, typed.

Screens call the app's façade (`self.app.finish(...)`, `self.app.load_queue(...)`);
with `app` typed as SalesbenchApp, mypy checks every such call, so a call to a method
the app does not have fails the type check instead of the running workbench.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.markup import escape as escape_markup
from rich.segment import Segment
from rich.text import Text
from textual import getters
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from salesbench.core.errors import DatabaseUnusable, SalesbenchError
from salesbench.core.render import inert

if TYPE_CHECKING:
    from salesbench.tui.app import SalesbenchApp


def escape(text: str) -> str:
    """Stored text for a widget's markup: inert (no ESC sequence reaches the terminal,
    core.render.inert) and its `[` escaped (no stored `[b]` is taken for markup)."""
    return escape_markup(inert(text))


def bold(text: str) -> str:
    """`text` as a bold heading in a widget's markup."""
    return f"[b]{escape(text)}[/b]"


def plain(text: str, style: str = "") -> Text:
    """Stored text as a Rich Text (never markup), inert."""
    return Text(inert(text), style=style)


def start_typing(box: Input) -> None:
    """Show `box` and give it the cursor, for `/` (a priority binding); typed in a field
    already, `/` is just a character and goes on to it."""
    from textual.actions import SkipAction

    if isinstance(box.screen.focused, Input):
        raise SkipAction
    box.display = True
    box.screen.set_focus(box)  # now: Widget.focus() waits a turn, the keys behind do not


class InertFilter(LineFilter):
    """The workbench's last line of defence, over every widget's painted lines (inputs
    holding stored values too): a control character still in a line is dropped (it
    takes no column, so the layout stays), never written to the terminal. Textual's own
    cursor and style codes travel outside the text and pass."""

    def apply(self, segments: list[Segment], background: Any) -> list[Segment]:
        return [
            s if s.control or s.text.isprintable() else Segment(inert(s.text, ""), s.style)
            for s in segments
        ]


INERT_FILTER = InertFilter()


R = TypeVar("R")
T = TypeVar("T")


class SalesbenchScreen(Screen[R]):
    def __init__(self) -> None:
        super().__init__()
        self._generations: dict[str, int] = {}

    if TYPE_CHECKING:  # at run time Textual's own property returns this same app
        app = getters.app(SalesbenchApp)

    def load_latest(
        self,
        group: str,
        load: Callable[[], T],
        show: Callable[[T], Any],
        failed: Callable[[str], Any],
        *,
        here: bool = False,
    ) -> None:
        """Run `load` in a worker thread and hand its result to `show` on the UI thread,
        unless the screen asked again for the same `group` meanwhile: thread workers
        cannot be cancelled, so an older read finishing late must not overwrite a newer
        one. A SalesbenchError's message goes to `failed` instead.

        `here`: on the UI thread, for a read that is short and comes before anything
        else can be done (the first queue of a small book): in a worker it competed for
        the GIL with Textual's first frames and took three times as long."""
        generation = self._generations[group] = self._generations.get(group, 0) + 1

        def run() -> None:
            try:
                result = load()
            except DatabaseUnusable as exc:
                if here:
                    self.app.stop_unusable(exc)
                    return
                raise  # the app stops (tui/reads.py _handle_exception)
            except SalesbenchError as exc:
                if here:
                    failed(str(exc))
                else:
                    self.app.call_from_thread(failed, str(exc))
                return
            if here:
                show(result)
            elif generation == self._generations[group]:
                self.app.call_from_thread(show, result)

        if here:
            run()
        else:
            self.run_worker(run, thread=True, exclusive=True, group=group)


class SalesbenchModal(ModalScreen[R]):
    if TYPE_CHECKING:  # at run time Textual's own property returns this same app
        app = getters.app(SalesbenchApp)

    def on_mount(self) -> None:
        """Every dialog's own keys at the bottom (Save, Cancel …): the screen behind it
        showed its keys instead, and at 24 rows a long form's Save was out of sight.
        (Textual runs this beside a dialog's own on_mount.)"""
        from salesbench.tui.footer import FittingFooter

        self.mount(FittingFooter())
