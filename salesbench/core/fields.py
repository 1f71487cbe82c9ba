"""Parsing user-typed values into typed record fields.

One parser per field, shared by the CLI, the TUI forms and importers, so a bad
value is rejected the same way everywhere and the message always names the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from salesbench.core import money as money_marks
from salesbench.core import numbers
from salesbench.core.date_range import check_day, check_instant
from salesbench.core.enums import (
    Channel,
    CustomerKind,
    CustomerStatus,
    DecisionRole,
    Grade,
    OppStatus,
    Role,
)
from salesbench.core.errors import BadInput
from salesbench.core.i18n import _
from salesbench.core.phones import check_phone

Parser = Callable[[str], Any]

MONEY_LIMIT = Decimal(10) ** 13  # fits comfortably in a signed 64-bit count of cents
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


TEXT_LIMIT = 2000  # a free-text field: a summary, a custom or playbook field's value
# C0 controls but tab, line feed and carriage return: NUL cannot be stored in PostgreSQL
# text at all, and ESC, BEL and the rest are terminal commands, not text. Refused alike on
# both back ends, so a bundle moves between them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: str, max_len: int = TEXT_LIMIT) -> str:
    """`value` (stripped) if it fits a text column of `max_len` characters and holds no
    control characters; else ValueError saying which rule it breaks."""
    value = value.strip()
    if len(value) > max_len:
        raise ValueError(f"is longer than {max_len:,} characters ({len(value):,})")
    bad = _CONTROLS.search(value)
    if bad:
        raise ValueError(
            f"holds the control character U+{ord(bad.group()):04X} at character "
            f"{bad.start() + 1} (only tab and line breaks are allowed)"
        )
    return value


# Line breaks: CR, LF, NEL, and Unicode's line and paragraph separators. A one-line field
# (a name, a phone, an email) holding one would become a second line, or a second vCard
# property, wherever it is written out.
_LINE_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]")


def check_line(value: str, max_len: int = TEXT_LIMIT) -> str:
    """`value` as check_text gives it, refused also when it holds a line break."""
    value = check_text(value, max_len)
    found = _LINE_BREAKS.search(value)
    if found:
        raise ValueError(
            f"holds a line break at character {found.start() + 1} (this field is one line)"
        )
    return value


class TextParser:
    """A text field's parser; `max_len` is its column's length (tests hold it to the
    models). Multi-line: tab and line breaks are allowed."""

    def __init__(self, max_len: int) -> None:
        self.max_len = max_len

    def __call__(self, value: str) -> str:
        return check_text(value, self.max_len)


class LineParser(TextParser):
    """A one-line text field's parser: no line breaks."""

    def __call__(self, value: str) -> str:
        return check_line(value, self.max_len)


class PhoneParser(LineParser):
    """A phone: one line, and a phone number (core.phones)."""

    def __call__(self, value: str) -> str:
        return check_phone(super().__call__(value))


def text(max_len: int = TEXT_LIMIT) -> Parser:
    """A free-text field (a summary, a note): several lines allowed."""
    return TextParser(max_len)


def line(max_len: int = 200) -> Parser:
    """A one-line field (a name, a title, a phone)."""
    return LineParser(max_len)


def choice(enum: type[StrEnum]) -> Parser:
    allowed = [m.value for m in enum]
    by_folded = {v.casefold(): v for v in allowed}

    def parse(value: str) -> str:
        found = by_folded.get(value.strip().casefold().replace("-", "_").replace(" ", "_"))
        if found is None:
            known = ", ".join(allowed)
            raise ValueError(
                _("unknown value {value!r} (expected one of: {known})").format(
                    value=value, known=known
                )
            )
        return found

    return parse


def money(value: str) -> int:
    """One amount as a person types it into a form, into minor units (cents):
    `1,234.56`, `1.234,56`, `12,50`, `35万`, `USD 1,200`, `¥ 99.50`. A value that
    reads two ways (`2.500`) is refused: a form has no column to decide it from."""
    text = money_marks.split_mark(value).text
    try:
        decimal = numbers.decide_decimal([text])
    except numbers.AmbiguousColumn:
        if "," in text:
            decimal = "."  # 1,200: a decimal comma writes cents (12,50), not three places
        else:
            whole = f"{numbers.parse_number(text, ','):f}"
            part = f"{numbers.parse_number(text, '.').normalize():f}"
            raise ValueError(
                f"{value.strip()!r} could be {whole} or {part}: write {whole} or {part}"
            ) from None
    try:
        amount = numbers.parse_number(text, decimal)
    except ValueError:
        raise ValueError(_("{value!r} is not an amount").format(value=value)) from None
    if amount < 0:
        raise ValueError(_("must not be negative (got {value})").format(value=value))
    if amount >= MONEY_LIMIT:
        raise ValueError(f"{value} is too large")
    try:
        return numbers.minor_units(amount)
    except ValueError as exc:
        raise ValueError(f"{value!r} {exc}") from None


def money_currency(value: str) -> str | None:
    """The currency written in an amount (`USD 1,200` -> USD), if any."""
    try:
        return money_marks.split_mark(value).currency
    except ValueError:
        return None


def format_money(minor: int | None) -> str | None:
    if minor is None:
        return None
    return f"{Decimal(minor) / 100:.2f}"


def iso_date(value: str) -> date:
    """A date within the range salesbench handles (see core.date_range)."""
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # the form is right, the day is not
            wrong = _("{value!r} is not a day of the calendar")
            raise ValueError(wrong.format(value=value)) from None
        wrong = _("{value!r} is not a date (use YYYY-MM-DD)")
        raise ValueError(wrong.format(value=value)) from None
    return check_day(day)


def iso_datetime(value: str) -> datetime:
    """An ISO 8601 timestamp; one without an offset is rejected rather than guessed."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time (use YYYY-MM-DDTHH:MM+08:00)") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset (add one, e.g. +08:00 or Z)")
    return check_instant(parsed)


def email(value: str) -> str:
    value = check_line(value, 320)
    if not _EMAIL.match(value):
        raise ValueError(_("{value!r} is not an email address").format(value=value))
    return value


def currency(value: str) -> str:
    """A currency code (`usd` -> USD); also as a mark names it (`RMB`, `¥`, `US$`)."""
    return money_marks.currency_code(value)


@dataclass(frozen=True)
class FieldSpec:
    parse: Parser
    required: bool = False
    help: str = ""


def parse_record(
    specs: Mapping[str, FieldSpec], raw: Mapping[str, str | None], *, partial: bool = False
) -> dict[str, Any]:
    """Parse the given raw strings; `None` means "not given", "" clears an optional field.

    With `partial=False` (creating a record) every required field must be present.
    Raises BadInput naming the first field that is wrong.
    """
    unknown = sorted(set(raw) - set(specs))
    if unknown:
        raise BadInput(f"unknown field (known: {', '.join(specs)})", field=unknown[0])
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        given = raw.get(name)
        if given is None:
            if spec.required and not partial:
                raise BadInput(_("is required"), field=name)
            continue
        if given.strip() == "":
            if spec.required:
                raise BadInput(_("must not be empty"), field=name)
            values[name] = None
            continue
        try:
            values[name] = spec.parse(given)
        except ValueError as exc:
            raise BadInput(str(exc), field=name) from None
        if spec.required and values[name] == "":
            raise BadInput(_("must not be empty"), field=name)
    _money_currency(specs, raw, values)
    return values


def _money_currency(
    specs: Mapping[str, FieldSpec], raw: Mapping[str, str | None], values: dict[str, Any]
) -> None:
    """The currency written in an amount sets the record's currency, unless the
    currency is given apart and says otherwise (then the amount is refused)."""
    if "currency" not in specs:
        return
    for name, spec in specs.items():
        if spec.parse is not money or raw.get(name) is None:
            continue
        if values.get(name) is None:
            if name == "annual_purchase":
                values["currency"] = None  # a customer's currency is that of its amount
            continue
        written = money_currency(raw[name] or "")
        given = values.get("currency")
        if written and given and written != given:
            raise BadInput(f"is in {written}, but the currency given is {given}", field=name)
        if written:
            values["currency"] = written


REP_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec(line(200), required=True),
    "email": FieldSpec(email, required=True),
    "team": FieldSpec(line(200)),
    "region": FieldSpec(line(200)),
    "branch": FieldSpec(line(200)),
    "role": FieldSpec(choice(Role), help="rep (sees their own book) or lead (their team's)"),
}

CUSTOMER_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec(line(200), required=True),
    "kind": FieldSpec(choice(CustomerKind)),
    "number": FieldSpec(line(64), help="your customer number, e.g. CRM-2024-001"),
    "industry": FieldSpec(line(200)),
    "size": FieldSpec(line(64)),
    "source_channel": FieldSpec(line(200)),
    "grade": FieldSpec(choice(Grade)),
    "status": FieldSpec(choice(CustomerStatus)),
    "paused_until": FieldSpec(iso_date),
    "annual_purchase": FieldSpec(money),
    "currency": FieldSpec(currency, help="of annual_purchase"),
}

CONTACT_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec(line(200), required=True),
    "title": FieldSpec(line(200)),
    "phone": FieldSpec(PhoneParser(64)),
    "email": FieldSpec(email),
    "decision_role": FieldSpec(choice(DecisionRole)),
}

OPPORTUNITY_FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec(line(200), required=True),
    "playbook_key": FieldSpec(line(64)),
    "stage_key": FieldSpec(line(64)),
    "mode": FieldSpec(line(64)),
    "amount": FieldSpec(money),
    "currency": FieldSpec(currency),
    "expected_close": FieldSpec(iso_date),
    "status": FieldSpec(choice(OppStatus)),
    "lost_reason": FieldSpec(text(500)),
}

# The follow-up record of a contact.
ACTIVITY_FIELDS: dict[str, FieldSpec] = {
    "channel": FieldSpec(choice(Channel), required=True),
    "started_at": FieldSpec(iso_datetime),
    "ended_at": FieldSpec(iso_datetime),
    "summary": FieldSpec(text()),
    "needs": FieldSpec(text()),
    "objections": FieldSpec(text()),
    "commitments": FieldSpec(text()),
    "next_step_owner": FieldSpec(line(200)),
    "next_step_date": FieldSpec(iso_date),
    "next_step_content": FieldSpec(text()),
    "help_needed": FieldSpec(text()),
}

# The complaint record.
COMPLAINT_FIELDS: dict[str, FieldSpec] = {
    "content": FieldSpec(text(), required=True),
    "received_at": FieldSpec(iso_datetime),
    "complainant": FieldSpec(line(200)),
    "contact_info": FieldSpec(line(200)),
}
RESOLUTION_FIELDS: dict[str, FieldSpec] = {
    "resolution": FieldSpec(text(), required=True),
    "cause_analysis": FieldSpec(text()),
    "customer_feedback": FieldSpec(text()),
    "improvement": FieldSpec(text()),
}

CHANNELS = [c.value for c in Channel]


def parse_custom_fields(pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs for a record's custom fields (an empty value removes the key)."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadInput(f"expected key=value, got {pair!r}", field="custom")
        try:
            key, result[key] = check_custom(key, value)
        except ValueError as exc:
            raise BadInput(str(exc), field=f"custom {check_shown(key)}") from None
    return result


CUSTOM_KEY_LIMIT = 200


def check_custom(key: str, value: str) -> tuple[str, str]:
    """A custom field as stored, from any path (an option, a form, an import's column, a
    custom object): a one-line key, a text value within TEXT_LIMIT (several lines
    allowed); ValueError saying which rule it breaks."""
    key = check_line(key, CUSTOM_KEY_LIMIT)
    if not key:
        raise ValueError("a custom field needs a name")
    return key, check_text(value)


def check_custom_object(found: Mapping[str, object]) -> dict[str, object]:
    """A JSON object of custom fields (our export's `custom` column, a bundle's): each
    key and text value held to check_custom; numbers, true/false and null kept as they
    are; ValueError naming the field otherwise."""
    checked: dict[str, object] = {}
    for key, value in found.items():
        shown = check_shown(key)
        try:
            if isinstance(value, str):
                key, value = check_custom(key, value)
            elif value is None or isinstance(value, bool | int | float):
                key = check_line(key, CUSTOM_KEY_LIMIT)
            else:
                raise ValueError("is neither text nor a number")
        except ValueError as exc:
            raise ValueError(f"custom {shown}: {exc}") from None
        checked[key] = value
    return checked


def check_shown(key: str) -> str:
    """A key as an error names it: printable, and short."""
    shown = _LINE_BREAKS.sub("?", _CONTROLS.sub("?", key)).replace("\t", "?")
    return shown if len(shown) <= 40 else shown[:32] + "…"
