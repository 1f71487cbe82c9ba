"""The end-of-day block under the queue: what was done, what is still open, who was
not logged, and the rep's rank and forecast (read in a worker: it sums the month)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.widgets import Static

from salesbench.core.errors import DatabaseUnusable, SalesbenchError
from salesbench.core.i18n import _, listed, n_
from salesbench.tui.base import escape

if TYPE_CHECKING:
    from salesbench.core.queue import Counts, EndOfDay
    from salesbench.tui.app import SalesbenchApp


COMPACT_BELOW = 32  # rows: on a shorter terminal the block shows its figures only


def eod_tally(c: Counts, tomorrow: int, *, compact: bool = False) -> str:
    """The review's figures, from the queue's counts (the header's): "open" is the
    header's number, and how much of it is today's work is said beside it (unless
    `compact`: a short terminal keeps the figures to two lines of the left column)."""
    skipped = _(" · {n} skipped").format(n=c.skipped_today) if c.skipped_today else ""
    later = c.open - c.open_by_tonight
    split = (
        _(" ({tonight} due by tonight, {later} later)").format(
            tonight=c.open_by_tonight, later=later
        )
        if later and not compact
        else ""
    )
    return _("{done} done{skipped} · {open} open{split} · tomorrow {tomorrow}").format(
        done=c.done_today, skipped=skipped, open=c.open, split=split, tomorrow=tomorrow
    )


class EodBox(Static):
    if TYPE_CHECKING:  # at run time Textual's own property returns this same app
        app = getters.app(SalesbenchApp)

    def __init__(self, content: str = "", *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        self.eod: EndOfDay | None = None
        self.standing: str | None = None  # the rep's rank and forecast
        self.counts: Counts | None = None  # the queue's: the header reads the same ones

    def show(self, eod: EndOfDay | None, counts: Counts | None = None) -> None:
        self.eod = eod
        if counts is not None:
            self.counts = counts
        if eod is None or self.counts is None:
            self.display = False
            return
        self.display = True
        # a short terminal (24 rows) keeps its rows for the queue: the figures only
        compact = self.app.size.height < COMPACT_BELOW
        tally = eod_tally(self.counts, len(eod.tomorrow), compact=compact)
        heading, reading = _("End of day"), _("Your rank and forecast: reading…")
        lines = [f"[b]{heading}[/b]  {tally}", self.standing or f"[dim]{reading}[/dim]"]
        if eod.not_logged:
            named = eod.not_logged_names()
            names = listed(escape(n) for n in named[:8])
            more = len(named) - 8
            if more > 0:
                names = _("{names} and {more} more").format(names=names, more=more)
            lines.append(_("Not logged today: {names}").format(names=names))
        for item in eod.tomorrow[:3]:
            lines.append(
                _("Tomorrow: {customer}: {task}").format(
                    customer=escape(item.customer.name), task=escape(item.title)
                )
            )
        self.styles.max_height = 3 if compact else 8
        self.update("\n".join(lines[:1] if compact else lines))

    def fit(self) -> None:
        """The terminal was resized (tmux): compact or in full, as its height says."""
        if self.eod is not None:
            self.show(self.eod)

    @work(thread=True, exclusive=True, group="standing")
    def load_standing(self, rep: str) -> None:
        from salesbench.core.tables import shown

        try:
            s = self.app.load_standing(rep)
        except DatabaseUnusable:
            raise  # the app stops (tui/reads.py _handle_exception)
        except SalesbenchError as exc:
            said = _("Rank and forecast unavailable: {problem}").format(problem=escape(str(exc)))
            self.standing = f"[dim]{said}[/dim]"
        else:
            place = (
                _("#{rank} of {ranked}").format(rank=s.rank, ranked=s.ranked)
                if s.rank
                else _("not ranked")
            )
            code = s.currency
            others = "".join(
                _(" + {all} {code} ({month} {code} this month)").format(
                    all=shown(all_, "money"), month=shown(month, "money"), code=c
                )
                for c, (all_, month) in s.others.items()
            )
            deals = n_("{n} open deal", "{n} open deals", s.open_deals).format(n=s.open_deals)
            self.standing = f"[b]{s.period}[/b]: " + _(
                "{place} on won amount ({won} {code}) · forecast: {deals}, "
                "weighted {weighted} {code}, {month} {code} due to close this month{others}"
            ).format(
                place=place,
                won=shown(s.won, "money"),
                code=code,
                deals=deals,
                weighted=shown(s.weighted, "money"),
                month=shown(s.weighted_this_month, "money"),
                others=others,
            )
        if self.eod is not None:
            self.app.call_from_thread(self.show, self.eod)
