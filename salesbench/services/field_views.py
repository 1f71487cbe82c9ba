"""Playbook fields as the rep reads them: by their label, a choice by its label, a
yes/no in the rep's language, money with its currency (FieldView, for `opp show` and
the deal screen); and a customer's own fields (`on = "customer"`, kept in its custom
values) the same way, where values no playbook of its deals defines (a `--field` of the
rep's own) keep their key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from salesbench.core.errors import NotFound
from salesbench.core.playbook import FieldDef
from salesbench.store.models import Customer, Opportunity


@dataclass(frozen=True)
class FieldView:
    """A playbook field and its value as stored: money in minor units (cents)."""

    key: str
    label: str
    type: str
    on: str  # "customer" or "opportunity"
    value: Any
    currency: str | None = None  # of a money field: the deal's, or the customer's
    words: str | None = None  # a choice's label, a yes/no, in the playbook's language

    def shown(self) -> Any:
        """The value as `opp show` prints it: money as `1200.50 USD`, a choice by its
        label and a yes/no in the rep's language (the key stays in --json)."""
        from salesbench.core.money import format_amount

        if self.type == "money" and isinstance(self.value, int):
            return format_amount(self.value, self.currency)
        return self.words if self.words is not None else self.value


def value_words(f: FieldDef, value: Any, language: str) -> str | None:
    """A choice's label or a yes/no in `language`; None for any other value."""
    if value is None or value == "":
        return None
    if f.type == "choice":
        return f.label_of(str(value))
    if f.type == "bool" and isinstance(value, bool):
        if language.lower().startswith("zh"):
            return "是" if value else "否"
        return "yes" if value else "no"
    return None


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
