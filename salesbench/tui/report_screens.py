"""The leaderboard and the forecast, drawn as bars in the terminal."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from salesbench.core.forecast import is_past, month_label
from salesbench.core.leaderboard import GROUPS, METRICS
from salesbench.core.periods import PERIOD_KINDS
from salesbench.core.tables import shown
from salesbench.core.words import count
from salesbench.tui.actions import FORECAST_ACTIONS, LEADERBOARD_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen, escape
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
        yield Static("[b]Leaderboard[/b]", id="title")
        yield Static("loading…", id="counts")
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
        measure = METRICS[board.metric] + (f" ({board.currency})" if board.currency else "")
        self.query_one("#title", Static).update(
            f"[b]Leaderboard[/b]  ·  {measure}  ·  by {board.group}  ·  "
            f"{board.period.label} ({board.period.kind})"
        )
        self.query_one("#counts", Static).update(
            f"{len(board.places)} ranked · b measure · g group · p period"
        )
        rows = [*board.shown, *([board.own] if board.own else [])]
        if not rows:
            self.query_one("#board", Static).update("Nobody to rank yet.")
            return
        boards = [(board.currency, board.shown, board.own)]
        boards += [(o.currency, o.shown, o.own) for o in board.others]
        width = max(cell_len(p.entry.name) for _, s, o in boards for p in [*s, *([o] if o else [])])
        text = Text()
        for n, (code, shown_places, own) in enumerate(boards):
            places = [*shown_places, *([own] if own else [])]
            top = max(p.entry.value for p in places) or 1  # bars within one currency
            if n:  # another currency: ranked on its own, never added up
                text.append(f"\n {METRICS[board.metric]} ({code})\n", style="bold")
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
        text.append("  ← you\n" if place.mine else "\n", style="bold")

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
        yield Static("[b]Forecast[/b]", id="title")
        yield Static("loading…", id="counts")
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
            f"calibrated on {f.calibration.n:,} closed deals" if f.calibration else "not calibrated"
        )
        open_deals = count(len(f.predictions), "open deal")
        self.query_one("#title", Static).update(
            f"[b]Forecast[/b]  ·  {escape(f.scope.label)}  ·  {open_deals}  ·  {how}"
        )
        total = " + ".join(
            f"{shown(weighted, 'money')} {code}" for code, _n, _amount, weighted in f.totals
        )
        toggle = (
            ""
            if self.rep is None
            else (" · a: everyone's deals" if self.mine else " · a: only mine")
        )
        nothing = f"{shown(0, 'money')} {f.currency}"  # no deals: the team's currency
        self.query_one("#counts", Static).update(f"weighted pipeline {total or nothing}{toggle}")
        months = Text()
        tops: dict[str, float] = {}
        for m in f.months:  # bars compare amounts of one currency only
            tops[m[1]] = max(tops.get(m[1], 0), m[4])
        for month, code, n, _amount, weighted in f.months:
            top = tops[code]
            past = is_past(month, f.this_month)  # its deals need a new date, not a bar
            months.append(f" {month_label(month, ''):<10}{count(n, 'deal'):>10}  ")
            months.append(_pad(bar(weighted, top), BAR_WIDTH + 1), style="red" if past else "cyan")
            months.append(f" {shown(weighted, 'money')} {code}")
            if past:
                months.append("  ! past: expected close passed", style="bold red")
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
                line.append(f" · ! close {p.opp.expected_close[:10]} passed", style="bold red")
            deals.add_option(Option(line, id=str(n)))
        if f.predictions:
            deals.highlighted = 0
        else:
            self.query_one("#factors", Static).update("No open deals.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.forecast is None or event.option.id is None:
            return
        p = self.forecast.predictions[int(event.option.id)]
        lines = [f"[b]{escape(p.opp.title)}[/b]: stage {escape(p.stage_name or '-')} {p.base:.0%}"]
        lines += [f"  × {f.multiplier:.2f}  {escape(f.note)}" for f in p.factors]
        tail = f"  = {p.raw:.0%}"
        if p.calibrated is not None:
            tail += f"  → calibrated {p.calibrated:.0%}"
        lines.append(tail)
        self.query_one("#factors", Static).update("\n".join(lines))

    def action_toggle_scope(self) -> None:
        if self.rep is None:
            self.notify("No rep chosen: the forecast already shows everyone's deals.")
            return
        self.mine = not self.mine
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)
