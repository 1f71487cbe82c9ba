"""One opportunity: where it stands on its playbook, what is done, what happened."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from salesbench.core import labels
from salesbench.core.i18n import _
from salesbench.core.modes import programme
from salesbench.core.money import format_amount, with_code
from salesbench.tui.actions import OPPORTUNITY_ACTIONS, QUEUE_ACTIONS, UIAction, bindings
from salesbench.tui.base import bold, escape
from salesbench.tui.footer import FittingFooter
from salesbench.tui.hanging_lines import hanging_lines
from salesbench.tui.live import LiveScreen

if TYPE_CHECKING:
    from salesbench.services.opportunities import OpportunityView
    from salesbench.services.task_rows import Outcome


def _key(actions: tuple[UIAction, ...], action: str) -> str:
    """The key the registry binds to `action`, so what a notice says is what works."""
    return next(a.keys.split(",")[0] for a in actions if a.action == action)


def ready_words(outcome: Outcome) -> str | None:
    """The stage-complete notice in workbench words: the keys to press, never a command;
    led by the deal's name (two such notices side by side could not be told apart)."""
    words = _ready_words(outcome)
    if words is None or outcome.deal is None:
        return words
    return f"{outcome.deal}: {words[:1].upper()}{words[1:]}"


def _ready_words(outcome: Outcome) -> str | None:
    step = outcome.next_step
    if step is None:
        return outcome.ready  # e.g. what a skip left open: no command in it
    done = _("Stage {stage} is complete: open the deal ({key})").format(
        stage=step.stage, key=_key(QUEUE_ACTIONS, "open_opportunity")
    )
    if step.question is not None:
        advance = _key(OPPORTUNITY_ACTIONS, "advance")
        then = _("{done} and press {key} to answer “{question}”")
        return then.format(done=done, key=advance, question=step.question)
    if step.next_stage is None:
        won = _key(OPPORTUNITY_ACTIONS, "won")
        return _("{done} and press {key} to close it as won").format(done=done, key=won)
    advance = _key(OPPORTUNITY_ACTIONS, "advance")
    then = _("{done} and press {key} to move on to {stage}")
    return then.format(done=done, key=advance, stage=step.next_stage)


OPEN_DEAL_ONLY = frozenset({"advance", "won", "lost"})


class OpportunityScreen(LiveScreen):
    BINDINGS = bindings(OPPORTUNITY_ACTIONS)
    ACTIONS = OPPORTUNITY_ACTIONS

    def __init__(self, opportunity_id: str) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.view: OpportunityView | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("loading…"), id="title")
        yield Static("", id="stage-path")
        with Horizontal(id="main"):
            yield VerticalScroll(Static("", id="opp-tasks"), id="opp-left")
            yield VerticalScroll(Static("", id="opp-facts"), id="opp-right")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.reload()
        self.start_live()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a closed deal has no next stage and cannot be closed again: off, and out of
        # the footer (they answered "already won" before)
        closed = self.view is not None and self.view.opportunity.status != "open"
        return not (closed and action in OPEN_DEAL_ONLY)

    @work(thread=True, exclusive=True)
    def reload(self) -> None:
        self.read_mark()  # first: a write from now on is seen at the next look
        view = self.app.opportunity_view(self.opportunity_id)
        self.app.call_from_thread(self.show, view)

    def live_reload(self, elsewhere: bool) -> None:
        self.reload()

    def show(self, view: OpportunityView) -> None:
        self.view = view
        self.refresh_bindings()  # open or closed: see check_action
        v = view.opportunity
        amount = f"{_main(v.amount):,.2f} {v.currency}" if v.amount is not None else _("no amount")
        status = labels.deal_state(v.status) + (f" ({v.lost_reason})" if v.lost_reason else "")
        owner = _("owner {name}").format(name=escape(view.owner.name))
        self.query_one("#title", Static).update(
            f"[b]{escape(v.title)}[/b]  ·  {escape(view.customer.name)}  ·  {amount}  ·  "
            f"{status}  ·  {owner}"
        )
        names = {s.key: s.name for s in view.stages}  # stages by name, never by key
        path = []
        for s in view.stages:
            mark = "▶" if s.current else "✓" if s.passed else "○"
            name = f"[b reverse] {escape(s.name)} [/]" if s.current else escape(s.name)
            path.append(f"{mark} {name} {s.done}/{s.total}")
        self.query_one("#stage-path", Static).update("  →  ".join(path) or _("no playbook"))

        by_stage: dict[str, list[Any]] = {}
        for t in view.tasks:
            by_stage.setdefault(t.stage_key or "", []).append(t)
        lines: list[str] = []
        for s in view.stages:
            tasks = by_stage.pop(s.key, [])
            if not tasks and not s.current:
                continue
            lines.append(f"[b]{escape(s.name)}[/b]" + (_("  (current)") if s.current else ""))
            lines += [f"  {_mark(t.status)} {escape(t.title)}" for t in tasks]
            if s.current and s.gate:
                turn = escape(names.get(s.gate.turnaround, s.gate.turnaround))
                if_not = _("(no → {stage})").format(stage=turn)
                lines.append(f"  ? {escape(s.gate.question)}  [dim]{if_not}[/dim]")
        follow_ups = _("Follow-ups")
        for rest in by_stage.values():
            lines.append(f"[b]{follow_ups}[/b]")
            lines += [f"  {_mark(t.status)} {escape(t.title)}" for t in rest]
        # wrapped lines keep their indent (a Chinese title is one unbreakable word)
        self.query_one("#opp-tasks", Static).update(
            hanging_lines(lines) if lines else _("No tasks.")
        )

        facts: list[str] = []
        if view.mode is not None:
            mode = _("{mode} mode").format(mode=escape(view.mode.name))
            facts.append(f"[b]{mode}[/b]: {escape(view.mode.description)}")
            visits = sum(1 for a in view.activities if a.channel == "visit")
            facts += [f"  {escape(line)}" for line in programme(view.mode.visits, visits)]
        elif view.suggested_mode is not None:
            hint = view.suggested_mode
            said = _("Suggested mode")
            facts.append(f"[b]{said}[/b]: {escape(hint.name)} — {escape(hint.description)}")
        for d in view.mode_check:
            facts.append(f"[b red]! {escape(d.message)}[/]")
        filled = [
            (
                f.label,
                format_amount(f.value, f.currency, grouped=True)
                if f.type == "money" and isinstance(f.value, int)
                else f.shown(),
            )
            for f in view.fields
            if f.value not in (None, "")
        ]
        if filled:
            facts.append(bold(_("Fields")))
            facts += [
                "  "
                + _("{label}: {value}").format(label=escape(str(label)), value=escape(str(value)))
                for label, value in filled
            ]
        from salesbench.core.workday import workday_of

        o = view.owner  # times in the owner's day, not UTC's
        local = workday_of(o.timezone, o.workday_start, o.workday_end, o.workdays).local
        if view.activities or view.deleted:
            from salesbench.tui.corrections import timeline

            facts.append(bold(_("Timeline")))
            facts += timeline(view, local)
        if view.stage_moves:
            facts.append(bold(_("Stage history")))
            for m in view.stage_moves:
                came = names.get(m.from_stage, m.from_stage) if m.from_stage else "·"
                went = names.get(m.to_stage, m.to_stage)
                facts.append(
                    f"  {local(m.moved_at):%Y-%m-%d}  {escape(came)} → {escape(went)}"
                    + _(" ({via})").format(via=labels.via(m.via))
                )
        if v.closed_at is not None:  # the end of the story: where it closed, and why
            at = names.get(v.stage_key or "", v.stage_key or "·")
            if not view.stage_moves:
                facts.append(bold(_("Stage history")))
            facts.append(f"  {local(v.closed_at):%Y-%m-%d}  {escape(at)} → {escape(status)}")
        shown = hanging_lines(facts) if facts else _("Nothing logged yet.")
        self.query_one("#opp-facts", Static).update(shown)

    def action_advance(self) -> None:
        if self.view is None:
            return
        current = next((s for s in self.view.stages if s.current), None)
        if current is not None and current.open_titles:  # a gate is asked on a complete stage
            still = _("{stage} is not complete; still open: {titles}").format(
                stage=current.name, titles="; ".join(current.open_titles)
            )
            self.notify(still, severity="warning")
            return
        if current is not None and not current.gate and self.view.stages[-1] is current:
            won = _key(OPPORTUNITY_ACTIONS, "won")
            last = _("{stage} is the last stage: press {key} to close the deal as won")
            self.notify(last.format(stage=current.name, key=won))
            return
        if current is not None and current.gate:
            from salesbench.tui.modals import QuestionModal

            def answered(answer: str | None) -> None:
                if answer is not None:
                    self.app.move_opportunity(self.opportunity_id, answer, then=self.reload)

            self.app.push_screen(
                QuestionModal(
                    current.gate.question,
                    next(
                        (x.name for x in self.view.stages if x.key == current.gate.turnaround),
                        current.gate.turnaround,
                    ),
                ),
                callback=answered,
            )
            return
        self.app.move_opportunity(self.opportunity_id, None, then=self.reload)

    def action_edit(self) -> None:
        if self.view is None:
            return
        from salesbench.tui.modals import FormField, FormModal

        v = self.view.opportunity
        modes = [(m.name, m.key) for m in self.view.modes] or None  # by name, never key
        close = v.expected_close.isoformat() if v.expected_close else ""
        fields: list[FormField] = [
            ("title", _("Title"), None, v.title),
            (
                "amount",
                _("Amount (e.g. 1,234.56, 1.234,56 or USD 1,200)"),
                None,
                with_code(f"{_main(v.amount):.2f}", v.currency) if v.amount is not None else "",
            ),
            ("expected_close", _("Expected close (YYYY-MM-DD)"), None, close),
            ("mode", _("Mode"), modes, v.mode or "")
            if modes
            else ("mode", _("Mode"), None, v.mode or ""),
        ]

        def save(values: dict[str, str], form: FormModal) -> None:
            self.app.edit_opportunity(
                self.opportunity_id,
                values,
                version=v.version,
                then=form.closing(self.reload),
                refused=form.refused,  # a bad value: the form stays, marked where
            )

        self.app.push_screen(FormModal(_("Edit {name}").format(name=v.title), fields, submit=save))

    def action_log(self) -> None:
        if self.view is None:
            return
        from types import SimpleNamespace

        v = self.view
        item = SimpleNamespace(
            customer=SimpleNamespace(id=str(v.customer.id), name=v.customer.name),
            opportunity=SimpleNamespace(id=str(v.opportunity.id), title=v.opportunity.title),
        )
        self.app.log_contact(item, then=self.reload)

    def _workday(self) -> Any:
        from salesbench.core.workday import workday_of

        assert self.view is not None
        o = self.view.owner
        return workday_of(o.timezone, o.workday_start, o.workday_end, o.workdays)

    def action_correct_contact(self) -> None:
        if self.view is not None:
            from salesbench.tui.corrections import correct_contact

            correct_contact(self.app, self.view, self._workday().local, self.reload)

    def action_new_task(self) -> None:
        if self.view is not None:
            from salesbench.tui.corrections import new_task

            v = self.view
            new_task(
                self.app,
                self._workday(),
                customer=(str(v.customer.id), v.customer.name),
                deal=(str(v.opportunity.id), v.opportunity.title),
                then=self.reload,
            )

    def action_won(self) -> None:
        from salesbench.tui.closing import ask_won

        ask_won(self)  # asks first: a closed deal is not undone

    def action_lost(self) -> None:
        from salesbench.tui.closing import ask_lost

        ask_lost(self)

    def action_leave(self) -> None:
        self.dismiss(None)


def _mark(status: str) -> str:
    return {"done": "✓", "skipped": "–", "snoozed": "z"}.get(status, "☐")


def _main(minor: int) -> Decimal:
    """Money in main units, for display: the view keeps cents."""
    return Decimal(minor) / 100
