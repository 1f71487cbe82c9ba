"""Home: the day's queue beside the selected task."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from salesbench.core.enums import is_open
from salesbench.core.i18n import N_, _
from salesbench.core.queue import Item, OppFacts, group_heading
from salesbench.core.queue_heads import counts_line, section_heading
from salesbench.services.queue import QueueView
from salesbench.tui import queue_header as header
from salesbench.tui.actions import QUEUE_ACTIONS, bindings
from salesbench.tui.base import escape, plain, start_typing
from salesbench.tui.eod_box import EodBox
from salesbench.tui.footer import FittingFooter
from salesbench.tui.list_fill import fill_options
from salesbench.tui.queue_fill import fill, show_then_fill
from salesbench.tui.queue_lines import (
    DEAL,
    Hanging,
    deal_options,
    made_real,
    next_in_place,
    task_line,
)
from salesbench.tui.queue_nav import QueueNavigation
from salesbench.tui.task_panel import TaskPanel

if TYPE_CHECKING:
    from salesbench.services.taskview import TaskDetail


# Open tasks up to which the first queue is read before the first frame (about 0.2 s
# at ~40 µs a task); a bigger book shows "loading" and is read in a worker
READ_AT_ONCE = 2000


FILTER_HINT = N_("filter: customer, deal or task (Esc to clear)")


class QueueScreen(QueueNavigation):
    BINDINGS = bindings(QUEUE_ACTIONS)
    ACTIONS = QUEUE_ACTIONS

    def __init__(self) -> None:
        super().__init__()
        self.view: QueueView | None = None
        self.mode: str | None = None  # None: by the clock
        self.show_done = False
        self.filter_text = ""
        self.items: dict[str, Item] = {}
        self.order: list[str] = []  # open task ids in display order
        self.deals: dict[str, OppFacts] = {}  # deals with no next step, by option id
        self.finished_deal: str | None = None  # the deal of the task just finished
        self.selected: str | None = None
        self.reopen_asked: str | None = None  # the finished task `d` was pressed on once
        self.detail: TaskDetail | None = None
        self.detail_timer: Timer | None = None
        self.fill_asked: str | None = None  # `f` before the panel caught up (queue_fill)

    def words_again(self) -> None:
        """The rep's language is known now (app.speak): the box composed before says it."""
        for box in self.query("#filter").results(Input):  # none yet: composed in it
            box.placeholder = _(FILTER_HINT)

    def compose(self) -> ComposeResult:
        yield Static("salesbench", id="title")
        yield Static("loading today's queue…", id="counts")
        yield Input(placeholder=_(FILTER_HINT), id="filter")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield OptionList(id="queue")
                yield EodBox("", id="eod")
            yield TaskPanel(id="panel")
        yield FittingFooter()

    def on_resize(self) -> None:
        self.query_one(EodBox).fit()
        # rows rewrap at the new width and the list scrolls by lines, not rows: once
        # laid out again, bring the rep's row back into view
        self.call_after_refresh(self.query_one("#queue", OptionList).scroll_to_highlight)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#queue", OptionList).focus()
        self.reload()
        self.start_live()

    # ------------------------------------------------------------ loading

    def reload(self, *, again: bool = False) -> None:
        """Read the queue; `again`: rebuild the rows on screen as another view instead."""
        mode, include_done = self.mode, self.show_done
        shown = self.view if again else None

        def load() -> QueueView | None:
            self.read_mark()  # first: a write from now on is seen at the next look
            return self.app.queue_or_ask(self.reload, shown, mode=mode, include_done=include_done)

        first = self.view is None and not again and self.app.small_queue(READ_AT_ONCE)
        # a problem: no rep yet, several reps, an unusable database
        self.load_latest("queue", load, self.show_view, self.show_problem, here=first)

    def typing(self) -> bool:
        focused = self.app.focused
        return focused is not None and self.query_one(TaskPanel) in focused.ancestors

    def typing_in_field(self) -> bool:
        """In one of the panel's inputs (a tick on a checklist box is shown at once)."""
        focused = self.app.focused
        return (
            focused is not None
            and self.typing()
            and any(isinstance(w, (Input, Select)) for w in (focused, *focused.ancestors))
        )

    def show_problem(self, message: str) -> None:
        self.query_one("#title", Static).update("[b]salesbench[/b]")
        self.query_one("#counts", Static).update(f"[b]{escape(message)}[/b]")
        self.notify(escape(message), severity="error", timeout=15)

    def show_view(self, view: QueueView | None) -> None:
        if view is None:
            return  # the app asks who the rep is first (tui/first_run.py), then reloads
        self.view = view
        self.app.speak(view.rep.language)
        q = view.queue
        self.query_one("#title", Static).update(header.title(q, view.rep.name))
        self.query_one("#counts", Static).update(counts_line(q.counts))
        self._fill_list()
        box = self.query_one(EodBox)
        box.show(q.eod, q.counts)
        if q.eod is not None:
            box.load_standing(view.rep.email)
        self.call_after_refresh(self.app.warm_up)

    def _fill_list(self) -> None:
        assert self.view is not None
        option_list = self.query_one("#queue", OptionList)
        needle = self.filter_text.casefold()
        options: list[Option] = []
        before = self.order  # where the rep was: the place to come back to after an action
        was = self.items
        self.items, self.order, self.deals = {}, [], {}
        for section in self.view.queue.sections:
            rows: list[Option] = []
            for group in section.groups:
                head = group_heading(group)
                kept = [
                    s.item
                    for s in group.items
                    if not needle or needle in f"{head} {s.item.title}".casefold()
                ]
                if not kept:
                    continue
                rows.append(Option(plain(head, "bold"), disabled=True))
                for item in kept:
                    rows.append(Option(self._line(section.key, item), id=item.id))
                    self.items[item.id] = item
                    if section.key != "done":
                        self.order.append(item.id)
            if rows:
                on_show = [self.items[r.id] for r in rows if r.id]
                heading = section_heading(section, on_show, self.view.queue.now)
                options.append(Option(Text(heading, style="reverse"), disabled=True))
                options += rows
        options += self._deal_options(self.view.queue.no_next_step, needle)
        if not options and needle:
            options = [Option(_("No task matches the filter."), disabled=True)]
        elif not options:  # a new rep's first queue too: where the work comes from
            options = [
                Option(_("Nothing left for today."), disabled=True),
                Option(_("u opens your customers; ctrl+n there adds one."), disabled=True),
            ]
        after = DEAL + (self.finished_deal or "")
        self.finished_deal = None
        top = self.order[0] if self.order else None  # after a stage's last task: its deal
        self.selected = made_real(self.selected, was, self.items) or self.selected
        shown = self.selected in self.items or self.selected in self.deals
        self.say_gone_elsewhere(was, shown)
        target = (
            after  # the stage's last task done: its deal, waiting for the next step
            if after in self.deals
            else self.selected
            if shown
            else next_in_place(before, self.selected, self.items) or top
        )
        index = next((n for n, o in enumerate(options) if target and o.id == target), 0)
        # Measuring hundreds of lines delays the first paint: show a screenful, then the rest
        first = max(self.FIRST_LINES, index + 1)
        fill_options(option_list, options, first)
        if target is not None:
            option_list.highlighted = index
            if target != self.selected or self.detail is None or self.detail.task_id != target:
                # rebuilding the list does not always announce the highlight again
                self.selected = target
                self._follow(target)
        else:
            self.selected = None
            self.run_worker(self.query_one(TaskPanel).show(None))

    def _deal_options(self, deals: list[tuple[Any, OppFacts]], needle: str) -> list[Option]:
        options, found = deal_options(deals, needle)
        self.deals.update(found)
        return options

    def _line(self, section: str, item: Item) -> Hanging:
        return task_line(self.view.rep.workday if self.view else None, section, item)

    FIRST_LINES = 45
    DETAIL_DELAY = 0.15  # seconds the cursor rests before the task panel follows it

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            if event.option.id != self.selected:
                self.reopen_asked = None
            self.selected = event.option.id
            self._follow(event.option.id)

    def _follow(self, task_id: str) -> None:
        """Load the panel once the cursor rests, so holding j never queues up loads."""
        if self.detail_timer is not None:
            self.detail_timer.stop()
        if task_id in self.deals:  # a deal, not a task: nothing to show beside it
            self.detail = None
            self.run_worker(self.query_one(TaskPanel).show(None))
            return
        self.detail_timer = self.set_timer(self.DETAIL_DELAY, lambda: self.load_detail(task_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter on a task starts the focus run from it; on a deal opens it
        if self.selected in self.deals:
            self.action_open_opportunity()
        else:
            self.action_start_focus()

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, task_id: str) -> None:
        detail = self.app.task_detail(task_id)
        self.app.call_from_thread(self._show_detail, task_id, detail)

    def _show_detail(self, task_id: str, detail: TaskDetail) -> Awaitable[None] | None:
        """Called from the worker thread, which waits until the panel shows `detail`."""
        if task_id != self.selected:
            return None  # the cursor moved on meanwhile
        if self.typing_in_field() and self.detail is not None and self.detail.task_id == task_id:
            # a reread begun before the rep went into the form: remounting would take
            # their typing and the focus; read the task again once they are out
            self._live_due = True
            return None
        self.detail = detail
        return show_then_fill(self, self.query_one(TaskPanel), detail)

    # ------------------------------------------------------------ actions

    def current(self) -> Item | None:
        return self.items.get(self.selected or "")

    def action_cursor_down(self) -> None:
        self.query_one("#queue", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#queue", OptionList).action_cursor_up()

    def action_refresh(self) -> None:
        self.reload()

    def action_toggle_mode(self) -> None:
        current = self.view.queue.mode if self.view else "morning"
        self.mode = "morning" if current == "eod" else "eod"
        self.reload(again=True)

    def action_toggle_done(self) -> None:
        self.show_done = not self.show_done
        self.notify(
            _("Showing what was finished today") if self.show_done else _("Hiding finished tasks")
        )
        self.reload(again=True)

    def action_filter(self) -> None:
        start_typing(self.query_one("#filter", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value.strip()
            if self.view is not None:
                self._fill_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one("#queue", OptionList).focus()

    def on_key(self, event: Any) -> None:
        box = self.query_one("#filter", Input)
        if event.key == "escape" and box.has_focus:
            box.value = ""
            box.display = False
            self.query_one("#queue", OptionList).focus()
            event.stop()

    def action_fill(self) -> None:
        fill(self, self.query_one(TaskPanel))

    def action_copy(self, n: int) -> None:
        self.app.copy_script(self.detail, n)

    def action_pick_script(self) -> None:
        self.app.pick_script(self.detail)

    def action_done(self) -> None:
        self._finish("done")

    def action_skip(self) -> None:
        self._finish("skipped")

    def _finish(self, status: str) -> None:
        item = self.current()
        if item is None or self.app.busy_quietly():  # a repeat while the last one saves: dropped
            return
        if not is_open(item.status):  # shown with `h`: finished already
            self._offer_reopen(item, status)
            return
        deal = item.opportunity.id if item.opportunity else None

        def finished() -> None:
            self.finished_deal = deal
            self._left(item.id)
            self.reload()

        self.app.finish(item.id, status, then=finished)

    def action_snooze(self) -> None:
        item = self.current()
        if item is None or self.app.busy_quietly():
            return

        def snoozed() -> None:
            self._left(item.id)
            self.reload()

        self.app.snooze(item.id, then=snoozed)

    def action_log(self) -> None:
        item = self.current()
        if item is not None:
            self.app.log_contact(item, then=self.reload)

    def action_start_focus(self) -> None:
        if not self.order:
            self.notify("Nothing open to work through.")
            return
        from salesbench.tui.focus import FocusScreen

        start = self.order.index(self.selected) if self.selected in self.order else 0
        self.app.push_screen(FocusScreen(self.order[start:] + self.order[:start]), self.place)

    def on_task_panel_save(self, message: TaskPanel.Save) -> None:
        task_id = message.detail.task_id

        def saved(done: bool) -> None:
            self.query_one("#queue", OptionList).focus()  # the next key acts on the list again
            if done:
                self._left(task_id)
            self.reload()

        self.app.save_form(
            message.detail,
            message.pairs,
            then=message.after_saving(saved),
            report_done=True,
            refused=message.refused,
        )

    def on_task_panel_leave(self, _message: TaskPanel.Leave) -> None:
        self.query_one("#queue", OptionList).focus()  # the next j moves the cursor again

    def on_task_panel_tick(self, message: TaskPanel.Tick) -> None:
        from salesbench.tui.ticks import tick_checklist

        task_id = message.detail.task_id

        def ticked(done: bool) -> None:
            if done:  # finished by the tick: the place moves on as after `d`
                self._left(task_id)
            self.reload()

        tick_checklist(self.app, message, then=ticked)
