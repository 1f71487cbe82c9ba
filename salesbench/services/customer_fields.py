"""A customer's own playbook fields (`on = "customer"`, kept in its custom values) as
the rep reads them: by their label, a choice by its label, money with its currency.
Values no playbook of the customer's deals defines (a `--custom` of the rep's own)
keep their key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from salesbench.core.errors import NotFound
from salesbench.core.playbook import FieldDef
from salesbench.services.opportunities import FieldView, value_words
from salesbench.store.models import Customer, Opportunity


def _customer_fields(
    session: Session, opps: Sequence[Opportunity], language: str
) -> dict[str, tuple[FieldDef, str]]:
    """Each customer field of the playbooks the deals follow, with that playbook's
    language (the first deal's playbook wins where two define a key)."""
    from salesbench.services.playbooks import catalog_from_session

    catalog = catalog_from_session(session)
    found: dict[str, tuple[FieldDef, str]] = {}
    for key in dict.fromkeys(o.playbook_key for o in opps if o.playbook_key):
        try:
            playbook = catalog.get(key, language)
        except (KeyError, NotFound):
            continue
        for f in playbook.fields:
            if f.on == "customer":
                found.setdefault(f.key, (f, playbook.language))
    return found


def custom_shown(
    session: Session, customer: Customer, opps: Sequence[Opportunity], language: str
) -> list[tuple[str, Any]]:
    """(label, value as shown) for each of the customer's custom values, in key order."""
    known = _customer_fields(session, opps, language)
    out: list[tuple[str, Any]] = []
    for key, value in sorted((customer.custom or {}).items()):
        if key not in known:
            out.append((key, value))
            continue
        f, words_in = known[key]
        currency = customer.currency if f.type == "money" else None
        words = value_words(f, value, words_in)
        out.append(
            (f.label, FieldView(f.key, f.label, f.type, f.on, value, currency, words).shown())
        )
    return out
