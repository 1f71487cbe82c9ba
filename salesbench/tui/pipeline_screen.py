"""The pipeline: every open deal of the rep by stage, with its amount, days in stage,
expected close and next task; sorted by a key, filtered as you type, any deal opened."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core.i18n import _, n_
from salesbench.core.money import format_amount, format_sums, sum_by_currency
from salesbench.core.pipeline import SORTS, Deal, StageGroup, next_sort
from salesbench.tui.actions import PIPELINE_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen, bold, escape, plain, start_typing
from salesbench.tui.cells import cut_words
from salesbench.tui.footer import FittingFooter
from salesbench.tui.list_fill import fill_options

if TYPE_CHECKING:
    from salesbench.core.workday import Workday
    from salesbench.services.pipeline import PipelineView

GAP = "  "
DAYS, CLOSE = 5, 10  # "123d" and YYYY-MM-DD
MARKS = 3  # "!? ": rotting, no next step


def _cell(text: str, width: int, style: str = "", right: bool = False) -> Text:
    """`text` in exactly `width` terminal cells (CJK counts two), cut at a word's end
    with an ellipsis (tui/cells.py)."""
    if right:
        return Text(" " * max(0, width - cell_len(text)) + text, style=style)
    cut = cut_words(text, width)
    return plain(cut + " " * max(0, width - cell_len(cut)), style)


def _label(deal: Deal, width: int) -> Text:
    """Customer / deal in `width` cells: when it does not fit, both are cut, the
    customer no more than to half, so the deal's title still shows."""
    customer, title = deal.customer.name, deal.opportunity.title
    if cell_len(customer) + 3 + cell_len(title) <= width:
        return _cell(f"{customer} / {title}", width)
    room = max(width // 2, width - 3 - cell_len(title))
    line = plain(cut_words(customer, room))  # unpadded: the " / " right after it
    line.append(" / ")
    line.append_text(_cell(title, width - line.cell_len))
    return line


class Columns:
    """How wide each column is for the list's width: the deal and the next task share
    what the fixed columns leave."""

    def __init__(self, width: int, deals: list[Deal], today: date) -> None:
        self.today = today
        # narrow, and every deal in one currency: its code once in the heading, not on
        # every line, the room going to the deal and its next task
        codes = {d.opportunity.currency for d in deals}
        self.code = codes.pop() if len(codes) == 1 and width < 100 else None
        said = _("Amount")
        self.amount_title = f"{said} {self.code}" if self.code else said
        widest = amount_width(deals, bare=self.code is not None)
        self.amount = max(widest, cell_len(self.amount_title))
        # narrow (80 columns): no room for the expected close; sort by it still works
        self.close = CLOSE if width >= 100 else 0
        gaps = (4 if self.close else 3) * len(GAP)
        free = max(20, width - MARKS - self.amount - DAYS - self.close - gaps)
        self.deal = max(10, min(free * 11 // 20, 56))
        self.next = max(10, free - self.deal)

    def _due(self, at: datetime, workday: Workday) -> str:
        """Today's by the hour; another day's by the date, with the hour where it fits."""
        local = workday.local(at)
        if self.next >= 30:
            return local.strftime("%m-%d %H:%M")
        same_day = workday.today(at) == self.today
        return local.strftime("%H:%M" if same_day else "%m-%d")

    def heading(self) -> Text:
        line = Text(" " * MARKS, style="bold")
        for text, width, right in (
            (_("Customer / deal"), self.deal, False),
            (self.amount_title, self.amount, True),
            (_("Days"), DAYS, True),
            (_("Close"), self.close, False),
            (_("Next task"), self.next, False),
        ):
            if width:
                line.append_text(_cell(text, width, "bold", right))
                line.append(GAP)
        return line

    def line(self, deal: Deal, workday: Workday) -> Text:
        o = deal.opportunity
        mark = ("!" if deal.rotting is not None else " ") + ("?" if deal.no_next_step else " ")
        line = Text(mark + " ", style="bold red" if deal.rotting is not None else "bold")
        line.append_text(_label(deal, self.deal))
        line.append(GAP)
        line.append_text(
            _cell(
                format_amount(o.amount, None if self.code else o.currency, grouped=True),
                self.amount,
                right=True,
            )
        )
        line.append(GAP)
        days = _("{n}d").format(n=deal.days_in_stage) if deal.days_in_stage is not None else "-"
        line.append_text(
            _cell(days, DAYS, "bold red" if deal.rotting is not None else "", right=True)
        )
        line.append(GAP)
        close = deal.expected_close.isoformat() if deal.expected_close else "-"
        if self.close:
            line.append_text(_cell(close, self.close))
            line.append(GAP)
        task = deal.next_task
        if task is None:
            line.append_text(_cell(_("no next step"), self.next, "yellow"))
        else:
            due = self._due(task.due_at, workday) if task.due_at else _("any time")
            line.append_text(_cell(f"{due} {task.title}", self.next))
        return line


def amount_width(deals: list[Deal], *, bare: bool = False) -> int:
    """The widest amount, with its currency code unless `bare`."""
    shown = [
        format_amount(d.opportunity.amount, None if bare else d.opportunity.currency, grouped=True)
        for d in deals
    ]
    return max((len(s) for s in shown), default=0)


def group_heading(group: StageGroup) -> Text:
    sums = sum_by_currency((d.opportunity.amount, d.opportunity.currency) for d in group.deals)
    total = format_sums(sums, empty=_("no amounts"), grouped=True)
    said = _("{stage} ({n}) · {total}").format(stage=group.name, n=len(group.deals), total=total)
    return plain(said, "reverse")


class PipelineScreen(SalesbenchScreen[None]):
    BINDINGS = bindings(PIPELINE_ACTIONS)
    ACTIONS = PIPELINE_ACTIONS
    FIRST_LINES = 80  # a screenful painted first, the rest after (as the queue does)

    def __init__(self) -> None:
        super().__init__()
        self.view: PipelineView | None = None
        self.sort = "amount"
        self.filter_text = ""
        self.selected: str | None = None  # the highlighted deal's id
        self.shown: dict[str, Deal] = {}

    def compose(self) -> ComposeResult:
        yield Static(bold(_("Pipeline")), id="title")
        yield Static(_("loading your deals…"), id="counts")
        yield Input(
            placeholder=_("filter: customer or deal; ! rotting, ? no next step (Esc to clear)"),
            id="pipeline-filter",
        )
        yield Static("", id="pipeline-head")
        yield OptionList(id="pipeline", compact=True)
        yield FittingFooter()  # in the rep's language, the keys that fit

    def on_mount(self) -> None:
        self.query_one("#pipeline-filter", Input).display = False
        self.query_one("#pipeline", OptionList).focus()
        self.reload()

    def reload(self) -> None:
        self.load_latest("pipeline", self.app.load_pipeline, self.show_view, self.failed)

    def failed(self, message: str) -> None:
        self.query_one("#counts", Static).update(f"[b]{escape(message)}[/b]")
        self.notify(escape(message), severity="error", timeout=10)

    def show_view(self, view: PipelineView) -> None:
        self.view = view
        heading = escape(_("Pipeline"))
        self.query_one("#title", Static).update(
            f"[b]{heading}[/b]  ·  {escape(view.rep.name)}  ·  {view.rep.workday.today(view.now)}"
        )
        self._fill()

    def on_resize(self, _event: Resize) -> None:
        if self.view is not None:
            self._fill()  # the columns follow the width

    def _fill(self) -> None:
        assert self.view is not None
        deals = self.view.deals
        groups = self.view.groups(self.sort, self.filter_text)
        rotting = sum(1 for d in deals if d.rotting is not None)
        bare = sum(1 for d in deals if d.no_next_step)
        counts = n_("{n} open deal", "{n} open deals", len(deals)).format(n=len(deals))
        counts += _(" · {n} rotting (!)").format(n=rotting) if rotting else ""
        counts += _(" · {n} without a next step (?)").format(n=bare) if bare else ""
        counts += _(" · sorted by {sort} (s)").format(sort=_(SORTS[self.sort]))
        if self.filter_text:
            found = sum(len(g.deals) for g in groups)
            counts += _(" · {n} match “{text}”").format(n=found, text=escape(self.filter_text))
        self.query_one("#counts", Static).update(counts)

        option_list = self.query_one("#pipeline", OptionList)
        # the list's width less its scroll bar (the screen's before the first layout)
        width = (option_list.size.width or self.size.width) - 2
        today = self.view.rep.workday.today(self.view.now)
        columns = Columns(max(40, width), deals, today)
        self.query_one("#pipeline-head", Static).update(columns.heading())
        options: list[Option] = []
        self.shown = {}
        for group in groups:
            options.append(Option(group_heading(group), disabled=True))
            for deal in group.deals:
                options.append(
                    Option(columns.line(deal, self.view.rep.workday), id=deal.opportunity.id)
                )
                self.shown[deal.opportunity.id] = deal
        if not options:
            empty = _("No deal matches the filter.") if self.filter_text else _("No open deal yet.")
            options = [Option(empty, disabled=True)]
        target = self.selected if self.selected in self.shown else next(iter(self.shown), None)
        index = next((n for n, o in enumerate(options) if target and o.id == target), 0)
        fill_options(option_list, options, max(self.FIRST_LINES, index + 1))
        self.selected = target
        if target is not None:
            option_list.highlighted = index

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.selected = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.open_deal(event.option.id)

    def open_deal(self, opportunity_id: str) -> None:
        from salesbench.tui.opportunity_screen import OpportunityScreen

        self.selected = opportunity_id
        self.app.push_screen(OpportunityScreen(opportunity_id), callback=lambda _r: self.reload())

    # ------------------------------------------------------------ actions

    def action_sort(self) -> None:
        self.sort = next_sort(self.sort)
        if self.view is not None:
            self._fill()

    def action_filter(self) -> None:
        start_typing(self.query_one("#pipeline-filter", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        if self.view is not None:
            self._fill()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#pipeline", OptionList).focus()

    def on_key(self, event: Any) -> None:
        box = self.query_one("#pipeline-filter", Input)
        if not box.has_focus:
            return
        if event.key == "escape":  # as in the queue: Esc clears the filter
            box.value = ""
            box.display = False
            self.query_one("#pipeline", OptionList).focus()
            event.stop()
        elif event.key == "down":
            self.query_one("#pipeline", OptionList).focus()
            event.stop()

    def action_cursor_down(self) -> None:
        self.query_one("#pipeline", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#pipeline", OptionList).action_cursor_up()

    def action_refresh(self) -> None:
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)
