"""The customer's own dialogs that more than one screen opens: not needed now (a pause)
and a complaint, from the customer center or for the queue's highlighted task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.core.i18n import _
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
            _("Not needed now: pause {name}").format(name=name),
            [("months", _("For how many months"), ["1", "2"], "1")],
            submit=saved,
        )
    )


def complaint_form(app: Any, customer_id: str, name: str, then: Callable[[], object]) -> None:
    fields: list[FormField] = [
        ("content", _("What is wrong"), None, ""),
        ("complainant", _("Who complains"), None, ""),
        ("contact_info", _("How to reach them"), None, ""),
    ]

    def saved(values: dict[str, str], form: FormModal) -> None:
        app.add_complaint(
            customer_id, values, then=form.closing(lambda *_: then()), refused=form.refused
        )

    title = _("Complaint from {name}").format(name=name)
    app.push_screen(FormModal(title, fields, submit=saved))
