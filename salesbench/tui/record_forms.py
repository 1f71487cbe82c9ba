"""The customer and contact forms of the customer center, and how an edit in them is
saved without undoing a colleague's: only the fields changed in the form are written,
and only while their stored values are still those the form showed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from salesbench.core import labels
from salesbench.core.enums import CustomerKind, CustomerStatus, DecisionRole, Grade
from salesbench.core.errors import ChangedMeanwhile, DatabaseUnusable, SalesbenchError
from salesbench.core.fields import format_money
from salesbench.core.i18n import _, listed
from salesbench.core.money import with_code
from salesbench.tui.modals import FormField

if TYPE_CHECKING:
    from salesbench.services.records import Contact, Customer
    from salesbench.tui.base import SalesbenchScreen

T = TypeVar("T")
GRADES = ["", *(g.value for g in Grade)]


def _choices(shown: dict[str, str], values: list[str]) -> list[tuple[str, str]]:
    """Each stored value with its label in the rep's language (个人, 决策人)."""
    return [(labels.label(shown, v), v) for v in values]


def customer_fields(c: Customer | None) -> list[FormField]:
    """The customer form: empty for a new one, else the customer as stored."""
    return [
        ("name", _("Name"), None, c.name if c else ""),
        (
            "kind",
            _("Kind"),
            _choices(labels.CUSTOMER_KINDS, [k.value for k in CustomerKind]),
            c.kind if c else "company",
        ),
        (
            "grade",
            _("Grade (empty: by annual purchase)"),
            GRADES,
            (c.grade or "") if c and c.grade_set_by == "manual" else "",
        ),
        (
            "status",
            _("Status"),
            _choices(labels.CUSTOMER_STATES, [s.value for s in CustomerStatus]),
            c.status if c else "active",
        ),
        ("industry", _("Industry"), None, (c.industry if c else None) or ""),
        ("source_channel", _("Source"), None, (c.source_channel if c else None) or ""),
        (
            "annual_purchase",
            _("Annual purchase (e.g. 1,200,000, 1.234,56 or USD 50,000)"),
            None,
            (
                with_code(format_money(c.annual_purchase) or "", c.currency)
                if c and c.annual_purchase is not None
                else ""
            ),
        ),
        ("number", _("Customer number"), None, (c.number if c else None) or ""),
    ]


def contact_fields(contact: Contact | None) -> list[FormField]:
    """The contact form: empty for a new one, else the contact as stored."""
    return [
        ("name", _("Name"), None, contact.name if contact else ""),
        ("title", _("Job title"), None, (contact.title if contact else None) or ""),
        ("phone", _("Phone"), None, (contact.phone if contact else None) or ""),
        ("email", _("Email"), None, (contact.email if contact else None) or ""),
        (
            "decision_role",
            _("Decision role"),
            _choices(labels.DECISION_ROLES, [r.value for r in DecisionRole]),
            (contact.decision_role if contact else None) or "",
        ),
    ]


def changed_fields(fields: list[FormField], values: dict[str, str]) -> dict[str, str]:
    """The fields whose value in the form is not the one it opened with."""
    shown = {key: value for key, _label, _options, value in fields}
    return {k: v for k, v in values.items() if v != shown.get(k)}


def typed_note(typed: dict[str, str], fields: Sequence[FormField] = ()) -> str:
    """What the rep had typed, by the fields' labels (never their keys)."""
    from salesbench.tui.field_errors import key_words, short_label

    shown = {key: short_label(label) for key, label, _options, _value in fields}
    empty = _("(empty)")
    yours = listed(
        f"{shown.get(key) or key_words(key)} {value or empty}" for key, value in typed.items()
    )
    return _("Not saved: someone changed it meanwhile. You had typed: {yours}").format(yours=yours)


def save_edit(
    screen: SalesbenchScreen[Any],
    save: Callable[[], object],
    reload: Callable[[], T],
    *,
    saved: str,
    conflicted: Callable[[str, T], object],
    then: Callable[[], object],
    refused: Callable[[SalesbenchError], object] | None = None,
) -> None:
    """Run `save` in a worker. On a Conflict (someone changed a field being saved):
    `reload` the record as it is now and hand it with the message to `conflicted`;
    other refusals go to `refused` (the form, to show in place) or become a toast;
    success says `saved`, then `then`."""

    app = screen.app

    def run() -> None:
        try:
            save()
        except DatabaseUnusable:
            raise  # the app stops (tui/reads.py _handle_exception)
        except ChangedMeanwhile as exc:
            try:
                now = reload()
            except SalesbenchError as gone:
                app.call_from_thread(app.notify, f"{exc}; {gone}", severity="error", timeout=10)
                return
            app.call_from_thread(conflicted, str(exc), now)
            return
        except SalesbenchError as exc:
            if refused is not None:
                app.call_from_thread(refused, exc)
            else:
                app.call_from_thread(app.notify, str(exc), severity="error", timeout=6)
            return
        app.call_from_thread(app.notify, saved)
        app.call_from_thread(then)

    app.write_worker(run)  # one write at a time, saying what it waits for (tui/writes.py)
