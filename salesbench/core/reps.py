"""Which rep a person means, and whose records they see by default: the rules every
reader shares (the ORM services and the fast raw readers alike), on plain rows.

A rep row is a mapping with at least `id`, `name`, `email`, `team` and `role`; the id
may be a UUID or its text, with or without dashes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesbench.core.enums import Role
from salesbench.core.errors import BadInput, NotFound, RepNeeded, no_rep_yet
from salesbench.core.ids import hex32

RepRow = Mapping[str, Any]

MIN_PREFIX = 4
_HEX = set("0123456789abcdef")
SAY_WHICH = "say which with --rep or SALESBENCH_REP"
# the languages a rep's playbooks, tasks and scripts can be in
LANGUAGES = ("en", "zh-CN")


def check_language(value: str, *, field: str = "language") -> str:
    """`value` if it is a language salesbench speaks, else a BadInput naming `field`."""
    if value not in LANGUAGES:
        raise BadInput(f"must be {' or '.join(LANGUAGES)}", field=field)
    return value


def find_rep_row(reps: Sequence[RepRow], ref: str) -> RepRow:
    """The rep `ref` names: a full id, an id prefix (4+ hex digits), an email, a name."""
    ref = ref.strip()
    if not ref:
        raise BadInput("empty rep reference")
    try:
        exact = uuid.UUID(ref)
    except ValueError:
        pass
    else:
        for row in reps:
            if hex32(row["id"]) == exact.hex:
                return row
        raise NotFound(f"no rep with id {ref}")
    found: list[RepRow] = []
    prefix = ref.replace("-", "").lower()
    if len(prefix) >= MIN_PREFIX and set(prefix) <= _HEX:
        found = [r for r in reps if hex32(r["id"]).startswith(prefix)]
    folded = ref.casefold()
    for column in ("email", "name"):
        if not found:
            found = [r for r in reps if str(r[column]).casefold() == folded]
    if not found:
        raise NotFound(f"no rep matches {ref!r}")
    if len(found) > 1:
        shown = ", ".join(f"{hex32(r['id'])[:8]} ({r['email']})" for r in found[:5])
        raise BadInput(f"{ref!r} matches several reps: {shown}; give more of the id")
    return found[0]


def acting_rep_row(reps: Sequence[RepRow], ref: str | None) -> RepRow:
    """The rep a command acts as: the one named, else the only rep there is."""
    if ref and ref.strip():
        return find_rep_row(reps, ref)
    if len(reps) == 1:
        return reps[0]
    if not reps:
        raise no_rep_yet()
    # none named and none chosen in the workbench (settings_user.acting_rep): say who
    # there is to choose from, and both ways to choose
    shown = ", ".join(str(r["email"]) for r in reps[:5]) + (", …" if len(reps) > 5 else "")
    raise RepNeeded(
        f"there are several reps: {SAY_WHICH}, or choose yourself once in the workbench's "
        f"picker, which the commands then follow too ({shown})",
        several=True,
    )


@dataclass(frozen=True)
class DefaultScope:
    """Whose records a rep sees when they do not say: their own, or their team's."""

    rep_id: str | None = None  # 32 hex digits
    team: str | None = None

    @property
    def everything(self) -> bool:
        return self.rep_id is None and self.team is None


def default_scope(reps: Sequence[RepRow], caller: str | None) -> DefaultScope:
    """A lead sees their team, a rep their own book; nobody named sees everything (a
    single-user database)."""
    if not caller:
        return DefaultScope()
    row = find_rep_row(reps, caller)
    if row["role"] == Role.LEAD.value and row["team"]:
        return DefaultScope(team=row["team"])
    return DefaultScope(rep_id=hex32(row["id"]))
