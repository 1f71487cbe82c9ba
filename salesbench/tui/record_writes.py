"""The workbench's writes to deals, customers, contacts and complaints: each runs one
service call in a worker (tui/writes.py) and says what it saved in the rep's words.
Each takes `refused`: the dialog that asked, which shows a refusal in place
(tui/field_errors.py); without it a refusal is a toast."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.core.errors import SalesbenchError
from salesbench.core.i18n import n_
from salesbench.tui.field_errors import Refused
from salesbench.tui.writes import WritingApp


class RecordWritingApp(WritingApp):
    def move_opportunity(
        self, opportunity_id: str, answer: str | None, *, then: Callable[[], object]
    ) -> None:
        self._open_services()
        from salesbench.services.sop import move_opportunity

        def moved(result: Any) -> None:
            opp, move, created = result
            self.notify(
                f"{opp.title}: now at {move.target_name or opp.stage_key}"
                + (" (turnaround)" if move.via == "turnaround" else "")
            )
            if created:
                made = n_("{n} new task for the stage", "{n} new tasks for the stage", len(created))
                self.notify(made.format(n=len(created)))
            then()

        self._call(
            lambda: move_opportunity(self.store, opportunity_id, clock=self.clock, answer=answer),
            moved,
        )

    def close_opportunity(
        self,
        opportunity_id: str,
        status: str,
        reason: str | None,
        *,
        then: Callable[[], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.sop import close_opportunity

        def closed(opp: Any) -> None:
            self.notify(f"{opp.title}: {status}")
            then()

        self._call(
            lambda: close_opportunity(
                self.store, opportunity_id, status, clock=self.clock, reason=reason
            ),
            closed,
            refused,
        )

    def edit_opportunity(
        self,
        opportunity_id: str,
        values: dict[str, str],
        *,
        version: int | None = None,
        then: Callable[[], object],
        refused: Refused | None = None,
    ) -> None:
        """Save an edit made on `version` of the deal; if someone changed it since,
        say so and show the deal as it is now (`then` runs either way)."""
        self._open_services()
        from salesbench.core.errors import Conflict, DatabaseUnusable
        from salesbench.services.opportunities import edit_opportunity

        raw: dict[str, str | None] = dict(values)

        def run() -> None:
            try:
                edit_opportunity(
                    self.store, opportunity_id, raw, clock=self.clock, expected_version=version
                )
            except DatabaseUnusable:
                raise  # the app stops (tui/reads.py _handle_exception)
            except Conflict as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            except SalesbenchError as exc:
                if refused is not None:
                    self.call_from_thread(refused, exc)
                else:
                    self.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
                return
            else:
                self.call_from_thread(self.notify, "Opportunity saved")
            self.call_from_thread(then)

        self.write_worker(run)

    def _saved(self, what: str, then: Callable[[Any], object]) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            self.notify(what)
            then(result)

        return done

    def save_customer(
        self,
        ref: str | None,
        values: dict[str, str],
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.customers import add_customer, edit_customer

        raw: dict[str, str | None] = {k: v for k, v in values.items() if v or ref is not None}
        if ref is None:
            job = lambda: add_customer(  # noqa: E731
                self.store, raw, clock=self.clock, owner=self.rep, currency=self.currency
            )
        else:
            job = lambda: edit_customer(  # noqa: E731
                self.store, ref, raw, clock=self.clock, currency=self.currency
            )
        self._call(job, self._saved("Customer saved", then), refused)

    def add_contact(
        self,
        customer_id: str,
        values: dict[str, str],
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.contacts import add_contact

        raw: dict[str, str | None] = {k: v for k, v in values.items() if v}
        self._call(
            lambda: add_contact(self.store, customer_id, raw, clock=self.clock),
            self._saved("Contact added", then),
            refused,
        )

    def edit_contact(
        self,
        customer_id: str,
        contact_id: str,
        values: dict[str, str],
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        """Save a contact's form; an emptied field clears it."""
        self._open_services()
        from salesbench.services.contacts import edit_contact

        raw: dict[str, str | None] = dict(values)
        self._call(
            lambda: edit_contact(
                self.store, contact_id, raw, clock=self.clock, customer_ref=customer_id
            ),
            self._saved("Contact saved", then),
            refused,
        )

    def add_opportunity(
        self,
        customer_id: str,
        values: dict[str, str],
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.opportunities import add_opportunity

        raw: dict[str, str | None] = {k: v for k, v in values.items() if v}
        self._call(
            lambda: add_opportunity(
                self.store, customer_id, raw, clock=self.clock, currency=self.currency
            ),
            self._saved("Opportunity opened", then),
            refused,
        )

    def pause_customer(
        self,
        customer_id: str,
        months: str,
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.customers import pause_customer

        self._call(
            lambda: pause_customer(
                self.store, customer_id, clock=self.clock, months=int(months or 1)
            ),
            self._saved("Paused: no follow-ups until the pause ends", then),
            refused,
        )

    def add_complaint(
        self,
        customer_id: str,
        values: dict[str, str],
        *,
        then: Callable[[Any], object],
        refused: Refused | None = None,
    ) -> None:
        self._open_services()
        from salesbench.services.complaints import add_complaint

        raw: dict[str, str | None] = {k: v for k, v in values.items() if v}
        self._call(
            lambda: add_complaint(self.store, customer_id, raw, clock=self.clock),
            self._saved("Complaint recorded: answer within the hour", then),
            refused,
        )
