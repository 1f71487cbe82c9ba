"""`salesbench search TEXT`: customers, contacts, deals and notes by Chinese, pinyin,
initials, a phone fragment or a word of a note."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    clock,
    emit_json,
    emit_table,
    fail,
    speak_as,
    store,
)
from salesbench.core.i18n import N_, _

app = typer.Typer()

KINDS = {"customer": N_("customer"), "contact": N_("contact"), "deal": N_("deal"),
         "note": N_("note")}  # fmt: skip
WAYS = {"text": N_("text"), "phone": N_("phone"), "pinyin": N_("pinyin")}


@app.command()
def search(
    text: Annotated[
        str, typer.Argument(help="李娜, lina, ln, a phone fragment or a word of a note.")
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="How many records to list.")
    ] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find customers, contacts, deals and logged notes, the best matches first: by
    their Chinese, by full pinyin or its initials, by a phone number's digits however
    they are spaced, or by a word of a note."""
    from salesbench.services.search import find

    if not text.strip():
        fail(_("give the text to look for"), field="TEXT")
    opened = store(db)
    speak_as(opened, db)  # in the language of whoever is searching
    hits = find(opened, text, clock=clock(), limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "kind": h.kind,
                    "id": str(h.record_id),
                    "customer_id": str(h.customer_id),
                    "customer": h.customer,
                    "text": h.text,
                    "matched_by": h.by,
                }
                for h in hits
            ]
        )
        return
    if not hits:
        typer.echo(_('nothing matches "{text}"').format(text=text.strip()))
        return
    emit_table(
        None,
        [_("kind"), _("customer"), _("found"), _("by"), _("id")],
        [[_(KINDS[h.kind]), h.customer, h.text, _(WAYS[h.by]), str(h.record_id)[:8]] for h in hits],
    )
