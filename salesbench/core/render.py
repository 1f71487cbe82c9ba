"""Script templates: `{customer.name}`, `{contact.name|there}`; `{{` and `}}` are braces.
An amount fills in with its currency (`12,500.00 USD`), unless the template places the
record's currency itself (`{opportunity.amount} {opportunity.currency}`).

And `inert`: stored text made safe to show on a terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# C0 controls but tab and newline (a CR only before a newline is kept: CSV's CR LF),
# DEL, and C1 controls (U+0080-U+009F: CSI, OSC, DCS... as single code points).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
REPLACEMENT = "\ufffd"
_NAME = re.compile(r"^\s*([a-z_]+)\.([a-z0-9_]+)\s*(?:\|(.*))?$", re.S)


@dataclass(frozen=True)
class Amount:
    """An amount as a script shows it (`12,500.00`) and the currency it is in."""

    number: str
    currency: str | None

    def shown(self, with_currency: bool) -> str:
        return f"{self.number} {self.currency}" if with_currency and self.currency else self.number


Context = Mapping[str, Mapping[str, "str | Amount | None"]]


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # placeholders with neither a value nor a fallback


def _parse(inner: str) -> tuple[str, str, str | None]:
    m = _NAME.match(inner)
    if not m:
        raise ValueError(
            f"{{{inner}}} is not a placeholder (use {{record.field}} or "
            "{record.field|fallback}; write {{ and }} for braces)"
        )
    return m.group(1), m.group(2), m.group(3)


def placeholders(body: str) -> list[tuple[str, str]]:
    """Every (record, field) a template names; raises ValueError on a malformed one."""
    found: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(body):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            raise ValueError(f"unmatched {token!r} (write {token * 2} for a literal brace)")
        ns, attr, _ = _parse(m.group(1))
        found.append((ns, attr))
    return found


def render(body: str, context: Context) -> Rendered:
    """Fill a template. A placeholder with no value and no fallback stays visible as
    `{record.field}` and is listed in `missing`, so nothing is silently dropped."""
    missing: list[str] = []
    try:
        placed = {ns for ns, attr in placeholders(body) if attr == "currency"}
    except ValueError:
        placed = set()

    def fill(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if token in ("{", "}"):
            return token
        try:
            ns, attr, fallback = _parse(m.group(1))
        except ValueError:
            return token
        value = context.get(ns, {}).get(attr)
        if isinstance(value, Amount):
            return value.shown(ns not in placed)
        if value not in (None, ""):
            return str(value)
        if fallback is not None:
            return fallback
        missing.append(f"{ns}.{attr}")
        return "{" + f"{ns}.{attr}" + "}"

    return Rendered(_TOKEN.sub(fill, body), tuple(missing))


def inert(text: str, replacement: str = REPLACEMENT) -> str:
    """`text` with every control character a terminal acts on (C0 but tab and newline,
    DEL, C1; so every ESC sequence: OSC 52 clipboard writes, window titles, colours,
    cursor moves) replaced by U+FFFD, one visible column that no typed text contains,
    so nothing stored can act on the reader's terminal and the table keeps its shape.
    For display only: what is stored, and what --json prints, stay exact. (The
    workbench's last-line filter passes `replacement=""`: a control takes no column.)"""
    if text.isprintable():  # the usual case, and fast
        return text
    return _CONTROL.sub(replacement, text)
