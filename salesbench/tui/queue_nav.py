"""From the queue to everything else: the highlighted task's deal (or its customer),
the customer center, the pipeline, the reports, and a task of the rep's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesbench.core.queue import Item, OppFacts
from salesbench.tui.queue_place import PlaceKeeping

if TYPE_CHECKING:
    from salesbench.services.queue import QueueView


class QueueNavigation(PlaceKeeping):
    """The queue screen's ways out (tui/queue_screen.py holds the list itself)."""

    view: QueueView | None
    deals: dict[str, OppFacts]  # deals with no next step, by option id

    def current(self) -> Item | None:
        raise NotImplementedError

    def action_open_opportunity(self) -> None:
        item, deal = self.current(), self.deals.get(self.selected or "")
        opp = deal or (item.opportunity if item is not None else None)
        if opp is None and item is not None:  # a cadence call, say: its customer's deals
            self.open_customer(item.customer.id)
            return
        if opp is None:
            return
        from salesbench.tui.opportunity_screen import OpportunityScreen

        self.app.push_screen(OpportunityScreen(opp.id), callback=lambda _r: self.reload())

    def action_new_task(self) -> None:
        """A task of the rep's own, for the highlighted task's deal (or customer)."""
        item, deal = self.current(), self.deals.get(self.selected or "")
        if (item is None and deal is None) or self.view is None:
            self.notify("Highlight a task or a deal first: the new task goes with it.")
            return
        from salesbench.tui.corrections import new_task

        opp = deal or (item.opportunity if item is not None else None)
        new_task(
            self.app,
            self.view.rep.workday,
            customer=(item.customer.id, item.customer.name) if item is not None else None,
            deal=(opp.id, opp.title) if opp is not None else None,
            then=self.reload,
        )

    def action_pause(self) -> None:
        """ctrl+y, as in the customer center: the highlighted task's customer."""
        if (item := self.current()) is not None:
            from salesbench.tui.customer_forms import pause_form

            pause_form(self.app, item.customer.id, item.customer.name, self.reload)

    def action_complaint(self) -> None:
        """ctrl+r, as in the customer center: from the highlighted task's customer."""
        if (item := self.current()) is not None:
            from salesbench.tui.customer_forms import complaint_form

            complaint_form(self.app, item.customer.id, item.customer.name, self.reload)

    def action_customers(self) -> None:
        self.open_customer(None)

    def open_customer(self, customer_id: str | None) -> None:
        from salesbench.tui.customer_screen import CustomerScreen

        self.app.push_screen(CustomerScreen(customer_id), callback=lambda _r: self.reload())

    def action_pipeline(self) -> None:
        from salesbench.tui.pipeline_screen import PipelineScreen

        self.app.push_screen(PipelineScreen(), callback=lambda _r: self.reload())

    def _rep_ref(self) -> str | None:
        return self.view.rep.email if self.view else self.app.rep

    def action_leaderboard(self) -> None:
        from salesbench.tui.report_screens import LeaderboardScreen

        self.app.push_screen(LeaderboardScreen(self._rep_ref()))

    def action_forecast(self) -> None:
        from salesbench.tui.report_screens import ForecastScreen

        self.app.push_screen(ForecastScreen(self._rep_ref()))
