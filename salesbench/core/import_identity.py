"""Which stored record an imported row is: normalised names, phones and emails, the
index of known records by each key, and the decision to create, update or skip."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from salesbench.core.ids import short_id

_COMPANY_SUFFIXES = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司|"
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|gmbh|plc|sa|ag)\b)",
)
_NOT_WORD = re.compile(r"[\W_]+")


def norm_name(value: str) -> str:
    """A company or person name as compared for duplicates."""
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).casefold()
    text = _COMPANY_SUFFIXES.sub(" ", text)
    return _NOT_WORD.sub("", text)


def norm_phone(value: str) -> str:
    """Digits only, without China's country code, so +86 138 0000 0000 == 13800000000."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def norm_email(value: str) -> str:
    return value.strip().casefold()


# Keys in the order they are tried; a match on a weak key where identifying
# fields disagree is a possible duplicate, never merged silently.
STRONG = ("id", "external_id", "email")
KEY_ORDER = ("id", "external_id", "email", "phone", "natural")


@dataclass
class Known:
    """A stored record (or one planned earlier in the same file), as matching sees it."""

    id: uuid.UUID
    label: str
    values: dict[str, Any]  # stored column values, for comparing and for before-images
    identity: dict[str, set[str]]  # key -> normalised values, e.g. {"email": {...}}
    line: int | None = None  # set for records planned from this file


@dataclass
class Index:
    by_key: dict[str, dict[str, list[Known]]] = field(
        default_factory=lambda: {k: {} for k in KEY_ORDER}
    )

    def add(self, known: Known) -> None:
        for key, values in known.identity.items():
            for value in values:
                if value:
                    self.by_key[key].setdefault(value, []).append(known)

    def find(self, identity: Mapping[str, set[str]]) -> tuple[Known, str] | None:
        for key, values in identity.items() if len(identity) == 1 else self._ordered(identity):
            table = self.by_key[key]
            for value in values if len(values) == 1 else sorted(values):
                hits = table.get(value)
                if hits:
                    return hits[0], key
        return None

    @staticmethod
    def _ordered(identity: Mapping[str, set[str]]) -> list[tuple[str, set[str]]]:
        return [(key, identity[key]) for key in KEY_ORDER if identity.get(key)]


def disagreement(known: Known, identity: Mapping[str, set[str]], key: str) -> str | None:
    """Why a weak match may be another record: an identifying value that differs."""
    if key in STRONG:
        return None
    for other in ("external_id", "email", "phone", "natural"):
        if other == key:
            continue
        mine, theirs = identity.get(other) or set(), known.identity.get(other) or set()
        if mine and theirs and not (mine & theirs):
            label = {"natural": "name"}.get(other, other.replace("_", " "))
            return f"same {'name' if key == 'natural' else key}, different {label}"
    return None


@dataclass
class Decision:
    verb: str  # create | update | unchanged | skip | duplicate | conflict
    known: Known | None = None
    key: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def decide(
    index: Index,
    identity: Mapping[str, set[str]],
    new_values: Mapping[str, Any],
    *,
    mode: str,
    on_conflict: str,
    updatable: Collection[str] | None = None,
) -> Decision:
    """What to do with one row, given what is stored and planned so far.

    `updatable` limits which of `new_values` an update may change."""
    found = index.find(identity)
    if found is None:
        if mode == "update":
            return Decision("skip", reason="no matching record (--mode update only updates)")
        return Decision("create")
    known, key = found
    doubt = disagreement(known, identity, key)
    if doubt:
        return Decision(
            "duplicate", known, key, reason=f"possible duplicate of {describe(known)}: {doubt}"
        )
    if known.line is not None:
        return Decision("skip", known, key, reason=f"repeats line {known.line} ({key})")
    if mode == "create":
        if on_conflict == "fail":
            return Decision(
                "conflict", known, key, reason=f"{describe(known)} exists (matched by {key})"
            )
        if on_conflict == "skip":
            return Decision(
                "skip", known, key, reason=f"{describe(known)} exists (matched by {key})"
            )
    if updatable is not None:
        new_values = {k: v for k, v in new_values.items() if k in updatable}
    changes = changed_values(known.values, new_values)
    if not changes:
        return Decision("unchanged", known, key)
    return Decision("update", known, key, changes)


def describe(known: Known) -> str:
    return f"{short_id(known.id)} ({known.label})"


def changed_values(stored: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The given values that differ from the stored ones; custom fields merge key by key."""
    changes: dict[str, Any] = {}
    for name, value in new.items():
        if name == "custom":
            merged = {**(stored.get("custom") or {}), **value}
            if merged != (stored.get("custom") or {}):
                changes["custom"] = merged
        elif stored.get(name) != value:
            changes[name] = value
    return changes
