"""The customer's own dialogs that more than one screen opens: not needed now (a pause)
and a complaint, from the customer center or for the queue's highlighted task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.tui.modals import FormField, FormModal


def pause_form(app: Any, customer_id: str, name: str, then: Callable[[], object]) -> None:
    def saved(values: dict[str, str], form: FormModal) -> None:
        app.pause_customer(
            customer_id,
            values["months"],
            then=form.closing(lambda *_: then()),
            refused=form.refused,
        )

    app.push_screen(
        FormModal(
            f"Not needed now: pause {name}",
            [("months", "For how many months", ["1", "2"], "1")],
            submit=saved,
        )
    )


def complaint_form(app: Any, customer_id: str, name: str, then: Callable[[], object]) -> None:
    fields: list[FormField] = [
        ("content", "What is wrong", None, ""),
        ("complainant", "Who complains", None, ""),
        ("contact_info", "How to reach them", None, ""),
    ]

    def saved(values: dict[str, str], form: FormModal) -> None:
        app.add_complaint(
            customer_id, values, then=form.closing(lambda *_: then()), refused=form.refused
        )

    app.push_screen(FormModal(f"Complaint from {name}", fields, submit=saved))
