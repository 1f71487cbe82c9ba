"""Which stored record an imported row is.

Only strong identity makes a row an existing record: salesbench's own id, the
source system's id (kept per source system), or a company-scoped work email of a
contact. Weak evidence (same name, same phone, a shared or free-mail email, a
look-alike at another company) never renames, merges or drops anything: the row
goes in as a new record, listed as a possible duplicate of its look-alike, unless
`--on-duplicate` says otherwise. A row that says nothing its look-alike does not
already say (a re-import) is that record, unchanged."""

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
# Mail services anyone can sign up to: a shared address there says nothing of a company.
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.de",
        "yahoo.fr",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.de",
        "hotmail.fr",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "freenet.de",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "protonmail.com",
        "proton.me",
        "zoho.com",
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "naver.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
    ]
)
ON_DUPLICATE = ("new", "skip", "update")
# Keys by which a row *is* a stored record; every other key is weak evidence.
STRONG = ("id", "ext", "email")
KEY_LABEL = {
    "ext": "external id",
    "email": "email",
    "natural": "name",
    "phone": "phone",
    "any_email": "email",
    "contact_email": "contact email",
    "contact_phone": "contact phone",
}


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


def free_mail(email: str) -> bool:
    return email.rpartition("@")[2].strip().casefold() in FREE_MAIL


def ext_key(source: str | None, external_id: str | None) -> str | None:
    """The source system's id, in that system's namespace (NULL source: its own)."""
    if not external_id:
        return None
    return f"{source or ''}|{external_id}"


@dataclass(slots=True)
class Known:
    """A stored record (or one planned earlier in the same file), as matching sees it."""

    id: uuid.UUID
    label: str
    values: dict[str, Any]  # stored column values, for comparing and for before-images
    identity: dict[str, set[str]]  # key -> normalised values, e.g. {"ext": {...}}
    line: int | None = None  # set for records planned from this file
    scope: Any = None  # the company (of a contact or deal): matches stay inside it


@dataclass
class Index:
    by_key: dict[str, dict[str, list[Known]]] = field(default_factory=dict)

    def add(self, known: Known, *, removable: bool = False) -> None:
        """Index the record by every key; it then keeps only its strong ids (all that
        `lookalikes` reads of a record found), since an import indexes every row,
        unless it may be removed again."""
        for key, values in known.identity.items():
            table = self.by_key.setdefault(key, {})
            for value in values:
                if value:
                    table.setdefault(value, []).append(known)
        if not removable:
            known.identity = {k: v for k, v in known.identity.items() if k in STRONG_IDS}

    def remove(self, known: Known) -> None:
        for key, values in known.identity.items():
            table = self.by_key.get(key, {})
            for value in values:
                table[value] = [k for k in table.get(value, ()) if k.id != known.id]

    def hits(self, key: str, value: str) -> list[Known]:
        return self.by_key.get(key, {}).get(value, [])

    def find(self, identity: Mapping[str, set[str]]) -> tuple[Known, str] | None:
        """The record a strong key names (or, given only weak keys, the first hit)."""
        keys = [k for k in STRONG if identity.get(k)] or list(identity)
        for key in keys:
            for value in sorted(identity.get(key) or ()):
                found = self.hits(key, value)
                if found:
                    return found[0], key
        return None

    def strong(self, identity: Mapping[str, set[str]]) -> tuple[Known, str] | None:
        """The record a strong key of the row names, if any."""
        for key in STRONG:
            values = identity.get(key)
            table = self.by_key.get(key)
            if not values or not table:
                continue
            for value in values if len(values) == 1 else sorted(values):
                found = table.get(value)
                if found:
                    return found[0], key
        return None

    def lookalikes(self, identity: Mapping[str, set[str]]) -> list[tuple[Known, str]]:
        """Records sharing weak evidence with the row, except those its strong ids
        already tell apart (another id of the same source system)."""
        result: list[tuple[Known, str]] = []
        seen: set[uuid.UUID] = set()
        namespaces: set[str] | None = None
        for key in WEAK_ORDER:
            values = identity.get(key)
            table = self.by_key.get(key)
            if not values or not table:
                continue
            for value in values if len(values) == 1 else sorted(values):
                for known in table.get(value, ()):
                    if known.id in seen:
                        continue
                    theirs = known.identity
                    if identity.get("id") and theirs.get("id"):
                        continue
                    if namespaces is None:
                        namespaces = {v.partition("|")[0] for v in identity.get("ext") or ()}
                    if namespaces and namespaces & {
                        v.partition("|")[0] for v in theirs.get("ext") or ()
                    }:
                        continue
                    seen.add(known.id)
                    result.append((known, key))
        return result


STRONG_IDS = ("id", "ext")  # the keys a record found by its weak keys is compared by
WEAK_ORDER = ("natural", "any_email", "contact_email", "phone", "contact_phone")


@dataclass
class Decision:
    verb: str  # create | update | unchanged | skip | conflict
    known: Known | None = None  # the record matched, or (creating) its look-alike
    key: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    record_id: uuid.UUID | None = None  # once applied: the record created, updated or kept

    @property
    def lookalike(self) -> bool:
        """A create beside a record it resembles: a possible duplicate to store."""
        return self.verb == "create" and self.known is not None


def decide(
    index: Index,
    identity: Mapping[str, set[str]],
    new_values: Mapping[str, Any],
    *,
    mode: str,
    on_conflict: str,
    on_duplicate: str = "new",
    updatable: Collection[str] | None = None,
    scope: Any = None,
    keep: Collection[str] = ("name", "title"),
) -> Decision:
    """What to do with one row, given what is stored and planned so far.

    `updatable` limits which of `new_values` an update may change; `keep` lists
    the names a weak match may never change (it would rename another record)."""
    found = index.strong(identity)
    near = index.lookalikes(identity) if found is None else []
    if found is None and not near:
        if mode == "update":
            return Decision("skip", reason="no matching record (--mode update only updates)")
        return Decision("create")
    if updatable is not None:
        new_values = {k: v for k, v in new_values.items() if k in updatable}
    if found is not None:
        known, key = found
        if key != "id" and identity.get("id"):
            reason = f"its {KEY_LABEL.get(key, key)} is {describe(known)}'s, whose id differs"
            return Decision("conflict", known, key, reason=reason)
        if known.line is not None:
            return Decision("skip", known, key, reason=f"repeats line {known.line} ({key})")
        return _matched(known, key, new_values, mode, on_conflict)
    for known, key in near:
        same_scope = known.line is None and known.scope == scope
        if same_scope and not changed_values(known.values, new_values):
            return Decision("unchanged", known, key)
    inside = [(k, key) for k, key in near if k.scope == scope]
    known, key = near[0]
    why = f"same {KEY_LABEL.get(key, key)} as {describe(known)}"
    if on_duplicate == "skip":
        reason = f"possible duplicate: {why} (--on-duplicate skip)"
        return Decision("skip", known, key, reason=reason)
    if on_duplicate == "update" and inside:
        known, key = inside[0]
        if known.line is not None:
            return Decision("skip", known, key, reason=f"repeats line {known.line} ({key})")
        kept = {k: v for k, v in new_values.items() if k not in keep}
        return _matched(known, key, kept, mode, on_conflict)
    if mode == "update":
        return Decision(
            "skip",
            known,
            key,
            reason=f"no matching record (--mode update only updates); {why} "
            "(--on-duplicate update to update it)",
        )
    return Decision("create", known, key, reason=f"{why}; imported as a new record")


def _matched(
    known: Known, key: str, new_values: Mapping[str, Any], mode: str, on_conflict: str
) -> Decision:
    if mode == "create" and on_conflict in ("fail", "skip"):
        verb = "conflict" if on_conflict == "fail" else "skip"
        why = f"{describe(known)} exists (matched by {KEY_LABEL.get(key, key)})"
        return Decision(verb, known, key, reason=why)
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
