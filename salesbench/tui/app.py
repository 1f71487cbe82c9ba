"""The salesbench workbench app: screens on top of the same services as the CLI.

Screens reach the services only through this façade (see tui/base.py); the reads live
in tui/reads.py, the writes here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.filter import LineFilter

from salesbench.core import labels
from salesbench.core.clock import Clock
from salesbench.core.errors import SalesbenchError
from salesbench.core.i18n import _, n_
from salesbench.io import clipboard
from salesbench.tui import toasts
from salesbench.tui.actions import APP_ACTIONS, bindings
from salesbench.tui.base import INERT_FILTER
from salesbench.tui.correction_writes import CorrectionWritingApp
from salesbench.tui.palette_entries import PaletteApp
from salesbench.tui.script_copy import CopyGuard
from salesbench.tui.undo import Undo, UndoingApp, set_off_of

if TYPE_CHECKING:
    from salesbench.services.queue import QueueView
    from salesbench.services.session import Store
    from salesbench.services.taskview import TaskDetail
    from salesbench.tui.first_run import FirstRepScreen

AUTO = object()


class SalesbenchApp(PaletteApp, UndoingApp, CorrectionWritingApp):
    CSS_PATH = "app.tcss"
    TITLE = "salesbench"
    BINDINGS = bindings(APP_ACTIONS)

    def __init__(
        self,
        store: Store | None = None,
        *,
        clock: Clock,
        db: str | None = None,
        rep: str | None = None,
        clipboard_tool: Any = AUTO,
        language: str | None = None,
    ) -> None:
        super().__init__(store, clock=clock, db=db, rep=rep)
        self.asked_language = language  # SALESBENCH_LANG: wins over the rep's
        toasts.install()  # a notice keeps every Chinese character (tui/toasts.py)
        self.clipboard_tool = clipboard.local_tool() if clipboard_tool is AUTO else clipboard_tool
        self.copy_guard = CopyGuard()  # a script with a gap is copied on the second key

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that keeps stored control characters off the
        terminal (tui/base.InertFilter)."""
        return [*super().get_line_filters(), INERT_FILTER]

    def on_mount(self) -> None:
        from salesbench.tui.queue_screen import QueueScreen

        self.push_screen(QueueScreen())
        if self.config_notice:
            self.notify(self.config_notice, severity="warning", timeout=10, markup=False)

    # ------------------------------------------------------------ who is at the keyboard

    def queue_or_ask(
        self, then: Callable[[], object], again: QueueView | None = None, **kw: Any
    ) -> QueueView | None:
        """The queue (in a worker thread); None when nobody is named and there is no
        rep yet or several: the first-rep form or the rep picker opens, then `then`."""
        from salesbench.core.errors import RepNeeded

        try:
            return self.load_queue(again, **kw)
        except RepNeeded as exc:
            if self.on_ui_thread():  # the first read of a small book is made there
                self.call_later(self.ask_rep, exc.several, then)
            else:
                self.call_from_thread(self.ask_rep, exc.several, then)
            return None

    def ask_rep(self, several: bool, then: Callable[[], object]) -> None:
        from salesbench.tui.first_run import ask_rep

        ask_rep(self, several, then)

    def add_first_rep(self, form: FirstRepScreen, values: dict[str, str]) -> None:
        from salesbench.tui.first_run import add_first_rep

        add_first_rep(self, form, values)

    def speak(self, language: str) -> None:
        """Words from now on in the rep's language; the footer and the palette, made
        before the rep was known, are made again in it."""
        from salesbench.core import i18n

        language = self.asked_language or language
        if i18n.language() != language:
            i18n.use(language)
            self.refresh_bindings()
            for screen in self.screen_stack:  # words composed before (a placeholder)
                again = getattr(screen, "words_again", None)
                if again is not None:
                    again()

    def remember_rep(self, rep_id: str) -> None:
        """Remember the rep chosen for this database in the user's config."""
        from salesbench.settings_user import remember_rep

        try:
            remember_rep(self.database_key, rep_id)
        except OSError as exc:
            self.notify(f"Could not remember your choice for next time: {exc}", markup=False)

    def action_help(self) -> None:
        """`?` shows every key; `?` again hides them (the panel has no key of its own)."""
        from salesbench.tui.keys_panel import KeysHelp

        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.screen.mount(KeysHelp())  # ours: the workbench's keys first
        self.refresh_bindings()  # Esc now puts them away (or is the screen's again)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_keys":  # off unless the keys are up: the screen's Esc shows
            # by the type's name: importing HelpPanel brings Markdown and Pygments
            # (~35 ms), and the footer asks this before the first paint
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_hide_keys(self) -> None:
        self.action_help()

    def finish(self, task_id: str, status: str, *, then: Callable[[], object]) -> None:
        self._open_services()

        def done(result: Any) -> None:
            task, outcome = result
            self.remember(Undo(status, task_id, task.title, set_off_of(outcome)))
            said = _("Done: {task}") if status == "done" else _("Skipped: {task}")
            self.notify(said.format(task=task.title))
            for created in outcome.created:
                self.notify(_("Next: {task}").format(task=created.title))
            if outcome.ready:
                from salesbench.tui.opportunity_screen import ready_words

                self.notify(ready_words(outcome) or outcome.ready, timeout=8)
            then()

        from salesbench.tui.done_anyway import ask_done_anyway, finish_or_open

        def attempt(reason: str | None = None) -> None:
            self._call(
                lambda: finish_or_open(self.store, task_id, status, self.clock, reason), result
            )

        def result(value: Any) -> None:
            from salesbench.core.criteria import CriteriaOpen

            if isinstance(value, CriteriaOpen):
                ask_done_anyway(self, value, attempt)
            else:
                done(value)

        attempt()

    def snooze(self, task_id: str, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        self._open_services()
        from salesbench.services.reopen import SetOff
        from salesbench.services.tasks import snooze_task
        from salesbench.tui.modals import SnoozeModal

        def chosen(spec: str, dialog: SnoozeModal) -> None:
            def snoozed(task: Any) -> None:
                self.remember(Undo("snoozed", task_id, task.title, SetOff()))
                self.notify(_("Snoozed: {task}").format(task=task.title))
                then()

            self._call(
                lambda: snooze_task(self.store, task_id, spec, clock=self.clock),
                dialog.closing(snoozed),
                dialog.refused,  # a bad date: the dialog stays, the date kept
            )

        self.push_screen(SnoozeModal(submit=chosen))

    def log_contact(self, item: Any, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        self._open_services()
        from salesbench.services.activities import log_activity
        from salesbench.tui.modals import LogModal

        subject = item.customer.name + (f" / {item.opportunity.title}" if item.opportunity else "")

        def save(raw: dict[str, Any], dialog: LogModal) -> None:
            def logged(result: Any) -> None:
                activity, outcome = result
                way = labels.channel(activity.channel)
                self.notify(
                    _("Logged {channel} with {customer}").format(
                        channel=way, customer=item.customer.name
                    )
                )
                for created in outcome.created:
                    self.notify(_("New task: {task}").format(task=created.title))
                then()

            self._call(
                lambda: log_activity(
                    self.store,
                    raw,
                    clock=self.clock,
                    customer_ref=item.customer.id,
                    opportunity_ref=item.opportunity.id if item.opportunity else None,
                ),
                dialog.closing(logged),
                dialog.refused,  # the record stays as typed, the bad field marked
            )

        self.push_screen(LogModal(subject, submit=save))

    def save_form(
        self,
        detail: TaskDetail,
        pairs: list[str],
        *,
        then: Callable[..., object],
        report_done: bool = False,
        refused: Callable[[SalesbenchError], object] | None = None,
    ) -> None:
        """Save the task panel's form; a save that leaves the task open says what is
        still open (by label), read back after the write."""
        self._open_services()
        from salesbench.services.reopen import deal_values
        from salesbench.services.sop import set_fields
        from salesbench.tui.task_panel import saved_words

        if detail.opportunity_id is None:
            self.notify(_("This task has no opportunity to fill in."), severity="warning")
            return

        def saved(result: Any) -> None:
            previous, (_opp, outcome), values, after = result
            changed = [k for k in values if values[k] != previous.get(k)]
            if changed:  # ctrl+z sets these back
                self.remember(
                    Undo(
                        "saved",
                        detail.task_id,
                        detail.title,
                        set_off_of(outcome),
                        opp_id,
                        {k: previous.get(k) for k in changed},
                        {k: values[k] for k in changed},
                    )
                )
            completed = {str(t.id) for t in outcome.completed}
            for task in outcome.completed:
                self.notify(_("Done by itself: {task}").format(task=task.title))
            if detail.task_id not in completed:
                self.notify(saved_words(after))
            if outcome.ready:
                from salesbench.tui.opportunity_screen import ready_words

                self.notify(ready_words(outcome) or outcome.ready, timeout=8)
            then(detail.task_id in completed) if report_done else then()

        opp_id = detail.opportunity_id

        def save() -> tuple[Any, Any, Any, Any]:
            """The deal's values before and after too, for ctrl+z to set back, and the
            task read back, to say what is still open."""
            before = deal_values(self.store, opp_id)
            done = set_fields(self.store, opp_id, pairs, clock=self.clock, currency=self.currency)
            return before, done, deal_values(self.store, opp_id), self.task_detail(detail.task_id)

        self._call(save, saved, refused)  # a refused value: shown under its field

    def pick_script(self, detail: TaskDetail | None) -> None:
        """Choose any of the task's scripts, however many (keys 1-9 reach nine). The
        list says which are not ready, so a choice from it copies without asking again."""
        if detail is None or not detail.scripts:
            self.notify(_("This task has no scripts."), severity="warning")
            return
        from salesbench.tui.modals import ScriptPickerModal
        from salesbench.tui.script_copy import script_choice

        titles = [script_choice(r) for r in detail.scripts]
        self.push_screen(
            ScriptPickerModal(titles),
            lambda n: None if n is None else self.copy_script(detail, n, confirmed=True),
        )

    def copy_script(self, detail: TaskDetail | None, n: int, *, confirmed: bool = False) -> None:
        if detail is None or not detail.scripts:
            self.notify(_("This task has no scripts."), severity="warning")
            return
        if n > len(detail.scripts):
            there = n_(
                "There is only {n} script here.",
                "There are only {n} scripts here.",
                len(detail.scripts),
            )
            self.notify(there.format(n=len(detail.scripts)), severity="warning")
            return
        from salesbench.tui.task_panel import copy_key

        chosen = detail.scripts[n - 1]
        gaps = ", ".join(chosen.gaps)
        what = (detail.task_id, n, chosen.rendered.text)
        if (
            not chosen.sendable
            and not confirmed
            and not self.copy_guard.allows(what, self.clock.now())
        ):
            self.notify(
                _(
                    "“{script}” is not ready to send: missing {gaps}. "
                    "Press {key} again to copy it anyway, with the gaps marked."
                ).format(script=chosen.script.title, gaps=gaps, key=copy_key(n)),
                severity="warning",
                markup=False,
            )
            return
        self.copy_to_clipboard(chosen.rendered.text)  # what the panel shows, gaps marked
        tool = self.clipboard_tool
        if tool:
            self.run_worker(
                partial(clipboard.copy_local, chosen.rendered.text, tool),
                thread=True,
                group="clipboard",
            )
        if chosen.sendable:
            self.notify(_("Copied “{script}”").format(script=chosen.script.title))
        else:
            from salesbench.services.scripts import missing_marker

            marks = " ".join(missing_marker(g) for g in chosen.gaps)
            self.notify(
                _(
                    "Copied “{script}”, NOT READY: it still says {marks}; fill it in before sending"
                ).format(script=chosen.script.title, marks=marks),
                severity="warning",
                markup=False,
            )


def run_tui(
    db: str | None, *, clock: Clock, rep: str | None = None, language: str | None = None
) -> None:
    from salesbench.services.session import prepare

    # the database is created or upgraded first
    app = SalesbenchApp(clock=clock, db=prepare(db), rep=rep, language=language)
    try:
        app.run()
    finally:
        app.close_store()
    if app.return_code:
        raise SystemExit(app.return_code)  # its line was printed as the screen closed
