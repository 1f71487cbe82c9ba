"""Scripts rendered with the real names and numbers of an opportunity."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core.errors import NotFound
from salesbench.core.i18n import _
from salesbench.core.playbook import FieldDef, Playbook, ScriptDef
from salesbench.core.render import (
    Amount,
    Rendered,
    currency_name,
    money_amount,
    render,
    salutation,
)
from salesbench.services.contacts import find_contact
from salesbench.services.opportunities import find_opportunity
from salesbench.services.playbooks import catalog_from_session
from salesbench.services.task_rows import field_currency, field_values
from salesbench.store.engine import Store
from salesbench.store.models import Contact, Customer, Opportunity, Rep


def _money(cents: Any, currency: str | None, language: str = "en") -> Amount | None:
    if cents is None:
        return None
    return money_amount(int(cents), currency, language)


def _show(
    f: FieldDef, value: Any, currency: str | None, language: str = "en"
) -> str | Amount | None:
    """A field's value as a script says it: money with its currency, a choice by its
    label and a yes/no in the playbook's language."""
    if value is None or value == "":
        return None
    if f.type == "money":
        return _money(value, currency, language)
    if f.type == "bool":
        if language.lower().startswith("zh"):
            return "是" if value else "否"
        return "yes" if value else "no"
    if f.type == "choice":
        return f.label_of(str(value))
    return str(value)


def context(
    rep: Rep,
    customer: Customer,
    contact: Contact | None,
    opp: Opportunity,
    playbook: Playbook | None,
) -> dict[str, dict[str, str | Amount | None]]:
    language = playbook.language if playbook is not None else rep.language
    ctx: dict[str, dict[str, str | Amount | None]] = {
        "rep": {k: getattr(rep, k) for k in ("name", "email", "team", "region", "branch")},
        "customer": {
            k: getattr(customer, k)
            for k in ("name", "number", "industry", "size", "source_channel", "grade")
        },
        "contact": {
            k: getattr(contact, k) if contact else None for k in ("name", "title", "phone", "email")
        },
        "opportunity": {
            "title": opp.title,
            "amount": _money(opp.amount, opp.currency, language),
            "currency": currency_name(opp.currency, language),
            "expected_close": opp.expected_close.isoformat() if opp.expected_close else None,
            "stage": opp.stage_key,
            "mode": opp.mode,
        },
    }
    ctx["customer"]["salutation"] = None
    ctx["contact"]["salutation"] = (
        salutation(contact.name, contact.title, language) if contact else None
    )
    if playbook is not None:
        if opp.stage_key:
            with contextlib.suppress(KeyError):
                ctx["opportunity"]["stage"] = playbook.stage(opp.stage_key).name
        values = field_values(playbook, customer, opp)
        for f in playbook.fields:
            ctx[f.on][f.key] = _show(
                f, values.get(f.key), field_currency(f, customer, opp), playbook.language
            )
        if customer.kind == "person":  # 李女士: a shopper is greeted by surname and gender
            gender = {"female": "女士", "male": "先生"}.get(str(values.get("gender") or ""))
            ctx["customer"]["salutation"] = salutation(customer.name, gender, language)
    return ctx


def main_contact(session: Session, customer: Customer) -> Contact | None:
    contacts = list(
        session.exec(
            select(Contact)
            .where(Contact.customer_id == customer.id)
            .order_by(col(Contact.created_at))
        )
    )
    for contact in contacts:
        if contact.decision_role == "decision_maker":
            return contact
    return contacts[0] if contacts else None


@dataclass
class RenderedScript:
    script: ScriptDef
    rendered: Rendered
    not_ready: tuple[str, ...] = ()  # labels of the required facts still empty
    gaps: tuple[str, ...] = ()  # every [missing: <label>] in the text, required or not

    @property
    def sendable(self) -> bool:
        """False while the text has a gap: a fact the script states (`requires`) or a
        placeholder with no value. Each shows as a visible "[missing: <label>]" marker,
        and the text must not be sent as it is."""
        return not self.gaps

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut at its gaps: (text, True) for each [missing: …] marker, so a
        screen can make them stand out."""
        if not self.gaps:
            return [(self.rendered.text, False)]
        markers = "|".join(re.escape(missing_marker(g)) for g in dict.fromkeys(self.gaps))
        parts = re.split(f"({markers})", self.rendered.text)
        return [(part, k % 2 == 1) for k, part in enumerate(parts) if part]


def missing_marker(label: str) -> str:
    return _("[missing: {label}]").format(label=label)  # in the rep's language


def _label(playbook: Playbook, name: str) -> str:
    """What a placeholder asks for in the rep's words: the playbook's field label
    ("Quoted total"), else its field name ("contact name")."""
    ns, attr = name.split(".", 1)
    if ns in ("customer", "opportunity"):
        with contextlib.suppress(KeyError):
            return playbook.field(attr).label
        return attr.replace("_", " ")  # the deal's or customer's own: "total"
    return f"{ns} {attr}".replace("_", " ")  # whose it is matters: "contact name"


def render_script(
    script: ScriptDef, ctx: Mapping[str, Mapping[str, str | Amount | None]], playbook: Playbook
) -> RenderedScript:
    """Fill a script in; each required fact with no value shows as [missing: <label>]
    where the script places it (or on a first line when it names no placeholder), and
    so does each other placeholder left without a value: never a bare {record.field}
    or a blank that reads like finished text."""
    rendered = render(script.body, ctx)
    text = rendered.text
    not_ready: list[str] = []
    marked: set[str] = set()
    for key in script.requires:
        try:
            f = playbook.field(key)
        except KeyError:
            continue
        name = f"{'customer' if f.on == 'customer' else 'opportunity'}.{key}"
        if ctx.get(name.split(".")[0], {}).get(key) not in (None, ""):
            continue
        not_ready.append(f.label)
        marked.add(name)
        token = "{" + name + "}"
        if token in text:
            text = text.replace(token, missing_marker(f.label))
        else:
            text = f"{missing_marker(f.label)}\n{text}"
    missing = tuple(m for m in rendered.missing if m not in marked)  # shown as [missing: …]
    gaps = list(not_ready)
    for name in dict.fromkeys(missing):
        label = _label(playbook, name)
        text = text.replace("{" + name + "}", missing_marker(label))
        gaps.append(label)
    return RenderedScript(script, Rendered(text, missing), tuple(not_ready), tuple(gaps))


def scripts_for_opportunity(
    store: Store,
    ref: str,
    *,
    task_key: str | None = None,
    contact_ref: str | None = None,
    keys: list[str] | None = None,
) -> tuple[Opportunity, list[RenderedScript]]:
    """The scripts of the task (or the current stage), filled in for this opportunity."""
    with store.read() as session:
        opp = find_opportunity(session, ref)
        customer = session.get_one(Customer, opp.customer_id)
        rep = session.get_one(Rep, opp.owner_id)
        if not opp.playbook_key:
            raise NotFound("the opportunity follows no playbook, so it has no scripts")
        playbook = catalog_from_session(session).get(opp.playbook_key, rep.language)
        contact = (
            find_contact(session, contact_ref) if contact_ref else main_contact(session, customer)
        )
        ctx = context(rep, customer, contact, opp, playbook)
        if keys:
            chosen = []
            for key in keys:
                try:
                    chosen.append(playbook.script(key))
                except KeyError:
                    raise NotFound(f"no script {key!r} in {playbook.key}") from None
        else:
            task = None
            if task_key:
                try:
                    task = playbook.task(task_key)
                except KeyError:
                    task = None
            chosen = playbook.scripts_for(task, task.stage if task else opp.stage_key)
        return opp, [render_script(s, ctx, playbook) for s in chosen]
