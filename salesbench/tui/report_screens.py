"""The leaderboard and the forecast, drawn as bars in the terminal."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core import labels
from salesbench.core.forecast import is_past, month_label
from salesbench.core.i18n import _, n_
from salesbench.core.leaderboard import GROUPS, METRICS
from salesbench.core.periods import PERIOD_KINDS
from salesbench.core.tables import shown
from salesbench.tui.actions import FORECAST_ACTIONS, LEADERBOARD_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen, bold, escape
from salesbench.tui.footer import FittingFooter

BAR_WIDTH = 28


def bar(value: float, top: float, width: int = BAR_WIDTH) -> str:
    """A bar of eighth blocks: value/top of `width` cells."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(width * 8 * min(value, top) / top)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def _cycle(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


class LeaderboardScreen(SalesbenchScreen[None]):
    BINDINGS = bindings(LEADERBOARD_ACTIONS)
    ACTIONS = LEADERBOARD_ACTIONS

    def __init__(self, me: str | None = None) -> None:
        super().__init__()
        self.me = me
        self.metric, self.group, self.period = "amount", "rep", "month"

    def compose(self) -> ComposeResult:
        yield Static(bold(_("Leaderboard")), id="title")
        yield Static(_("loading…"), id="counts")
        with VerticalScroll(id="board-scroll"):
            yield Static("", id="board")
        yield FittingFooter()  # in the rep's language, the keys that fit

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        asked = dict(metric=self.metric, group=self.group, period=self.period, me=self.me)
        self.load_latest(
            "leaderboard",
            lambda: self.app.load_leaderboard(**asked, top=20),
            self.show,
            self.failed,
        )

    def failed(self, message: str) -> None:
        self.notify(message, severity="error")

    def show(self, board: Any) -> None:
        kind = "money" if board.metric == "amount" else "int"
        measure = _(METRICS[board.metric]) + (f" ({board.currency})" if board.currency else "")
        by = _("by {group}").format(group=labels.label(labels.GROUPS, board.group))
        period = labels.label(labels.PERIODS, board.period.kind)
        title = bold(_("Leaderboard"))
        self.query_one("#title", Static).update(
            f"{title}  ·  {escape(measure)}  ·  {escape(by)}  ·  "
            f"{board.period.label} ({escape(period)})"
        )
        ranked = n_("{n} ranked", "{n} ranked", len(board.places)).format(n=len(board.places))
        keys = _("b measure · g group · p period")
        self.query_one("#counts", Static).update(escape(f"{ranked} · {keys}"))
        rows = [*board.shown, *([board.own] if board.own else [])]
        if not rows:
            self.query_one("#board", Static).update(_("Nobody to rank yet."))
            return
        boards = [(board.currency, board.shown, board.own)]
        boards += [(o.currency, o.shown, o.own) for o in board.others]
        width = max(cell_len(p.entry.name) for _, s, o in boards for p in [*s, *([o] if o else [])])
        text = Text()
        for n, (code, shown_places, own) in enumerate(boards):
            places = [*shown_places, *([own] if own else [])]
            top = max(p.entry.value for p in places) or 1  # bars within one currency
            if n:  # another currency: ranked on its own, never added up
                text.append(f"\n {_(METRICS[board.metric])} ({code})\n", style="bold")
            for p in shown_places:
                self._line(text, p, top, width, kind, code)
            if own is not None:
                text.append("   …\n", style="dim")
                self._line(text, own, top, width, kind, code)
        self.query_one("#board", Static).update(text)

    @staticmethod
    def _line(
        text: Text, place: Any, top: float, width: int, kind: str, code: str | None = None
    ) -> None:
        rank = f"{place.rank}=" if place.tied else str(place.rank)
        style = "bold reverse" if place.mine else ""
        text.append(f" {rank:>4}  {_pad(place.entry.name, width)}  ", style=style)
        text.append(_pad(bar(place.entry.value, top), BAR_WIDTH + 1), style="green")
        text.append(
            f" {shown(place.entry.value, kind)}" + (f" {code}" if code else ""), style=style
        )
        text.append(_("  ← you") + "\n" if place.mine else "\n", style="bold")

    def action_measure(self) -> None:
        self.metric = _cycle(tuple(METRICS), self.metric)
        self.reload()

    def action_group(self) -> None:
        self.group = _cycle(GROUPS, self.group)
        self.reload()

    def action_period(self) -> None:
        self.period = _cycle(PERIOD_KINDS, self.period)
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)


class ForecastScreen(SalesbenchScreen[None]):
    BINDINGS = bindings(FORECAST_ACTIONS)
    ACTIONS = FORECAST_ACTIONS

    def __init__(self, rep: str | None = None) -> None:
        super().__init__()
        self.rep = rep
        self.mine = rep is not None
        self.forecast: Any = None

    def compose(self) -> ComposeResult:
        yield Static(bold(_("Forecast")), id="title")
        yield Static(_("loading…"), id="counts")
        yield Static("", id="months")
        yield OptionList(id="deals")
        yield Static("", id="factors")
        yield FittingFooter()  # in the rep's language, the keys that fit

    def on_mount(self) -> None:
        self.query_one("#deals", OptionList).focus()
        self.reload()

    def reload(self) -> None:
        rep, everyone = (self.rep if self.mine else None), not self.mine
        self.load_latest(
            "forecast",
            lambda: self.app.load_forecast(rep=rep, everyone=everyone),
            self.show,
            self.failed,
        )

    def failed(self, message: str) -> None:
        self.notify(message, severity="error")

    def show(self, f: Any) -> None:
        self.forecast = f
        how = (
            n_(
                "calibrated on {n} closed deal", "calibrated on {n} closed deals", f.calibration.n
            ).format(n=f"{f.calibration.n:,}")
            if f.calibration
            else _("not calibrated")
        )
        n = len(f.predictions)
        open_deals = n_("{n} open deal", "{n} open deals", n).format(n=f"{n:,}")
        title = bold(_("Forecast"))
        self.query_one("#title", Static).update(
            f"{title}  ·  {escape(f.scope.label)}  ·  {open_deals}  ·  {escape(how)}"
        )
        total = " + ".join(
            f"{shown(weighted, 'money')} {code}" for code, _n, _amount, weighted in f.totals
        )
        toggle = (
            ""
            if self.rep is None
            else " · " + (_("a: everyone's deals") if self.mine else _("a: only mine"))
        )
        nothing = f"{shown(0, 'money')} {f.currency}"  # no deals: the team's currency
        weighted = _("weighted pipeline {total}").format(total=total or nothing)
        self.query_one("#counts", Static).update(escape(weighted + toggle))
        months = Text()
        tops: dict[str, float] = {}
        for m in f.months:  # bars compare amounts of one currency only
            tops[m[1]] = max(tops.get(m[1], 0), m[4])
        for month, code, n, _amount, weighted in f.months:
            top = tops[code]
            past = is_past(month, f.this_month)  # its deals need a new date, not a bar
            deals_n = n_("{n} deal", "{n} deals", n).format(n=f"{n:,}")
            months.append(f" {_pad(month_label(month, ''), 10)}{deals_n:>10}  ")
            months.append(_pad(bar(weighted, top), BAR_WIDTH + 1), style="red" if past else "cyan")
            months.append(f" {shown(weighted, 'money')} {code}")
            if past:
                months.append(_("  ! past: expected close passed"), style="bold red")
            months.append("\n")
        self.query_one("#months", Static).update(months)
        deals = self.query_one("#deals", OptionList)
        deals.clear_options()
        for n, p in enumerate(f.predictions[:200]):
            line = Text(f" {p.probability:>4.0%} ")
            line.append(_pad(bar(p.probability, 1.0, 10), 11), style="green")
            line.append(f" {p.opp.title} · {p.opp.customer_name} · {p.stage_name or '-'}")
            line.append(f" · {shown(p.opp.amount, 'money')} {p.opp.currency}", style="dim")
            if f.close_passed(p.opp.expected_close):  # it needs a new date
                passed = _(" · ! close {date} passed").format(date=p.opp.expected_close[:10])
                line.append(passed, style="bold red")
            deals.add_option(Option(line, id=str(n)))
        if f.predictions:
            deals.highlighted = 0
        else:
            self.query_one("#factors", Static).update(_("No open deals."))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.forecast is None or event.option.id is None:
            return
        p = self.forecast.predictions[int(event.option.id)]
        stage = _("stage {stage} {base}").format(stage=p.stage_name or "-", base=f"{p.base:.0%}")
        lines = [f"{bold(p.opp.title)}: {escape(stage)}"]
        lines += [f"  × {f.multiplier:.2f}  {escape(f.note)}" for f in p.factors]
        tail = f"  = {p.raw:.0%}"
        if p.calibrated is not None:
            tail += "  → " + _("calibrated {p}").format(p=f"{p.calibrated:.0%}")
        lines.append(tail)
        self.query_one("#factors", Static).update("\n".join(lines))

    def action_toggle_scope(self) -> None:
        if self.rep is None:
            self.notify(_("No rep chosen: the forecast already shows everyone's deals."))
            return
        self.mine = not self.mine
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)
