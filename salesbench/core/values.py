"""Playbook field values: parsing what a rep types, and deciding what counts as filled."""

from __future__ import annotations

from typing import Any

from salesbench.core.errors import BadInput
from salesbench.core.fields import (
    CUSTOMER_FIELDS,
    OPPORTUNITY_FIELDS,
    TEXT_LIMIT,
    TextParser,
    check_text,
    iso_date,
    money,
)
from salesbench.core.i18n import _
from salesbench.core.playbook import FieldDef, Playbook

INT_LIMIT = 2**53  # a whole number every JSON reader keeps exactly
_TRUE = {"yes", "y", "true", "1", "on", "是", "对"}
_FALSE = {"no", "n", "false", "0", "off", "否", "不"}


def parse_value(field: FieldDef, raw: str) -> Any:
    """A typed value for storage; "" clears the field. Raises BadInput naming the field."""
    text = raw.strip()
    if text == "":
        return None
    try:
        if field.type == "int":
            try:
                number = int(text.replace(",", "").replace("_", ""))
            except ValueError:
                wrong = _("{text!r} is not a whole number").format(text=text[:40])
                raise ValueError(wrong) from None
            if abs(number) > INT_LIMIT:
                raise ValueError(
                    _("must be between -{limit} and {limit}").format(limit=f"{INT_LIMIT:,}")
                )
            return number
        if field.type == "money":
            return money(text)
        if field.type == "date":
            return iso_date(text).isoformat()
        if field.type == "bool":
            folded = text.casefold()
            if folded in _TRUE:
                return True
            if folded in _FALSE:
                return False
            raise ValueError(f"{raw!r} is not yes or no")
        if field.type == "choice":
            for choice in field.choices:  # the key, or its label in the playbook's language
                if text.casefold() in (choice.casefold(), field.label_of(choice).casefold()):
                    return choice
            raise ValueError(f"unknown value {raw!r} (expected one of: {', '.join(field.choices)})")
        return check_text(text, _text_limit(field))
    except ValueError as exc:
        raise BadInput(str(exc), field=field.key) from None


def _text_limit(field: FieldDef) -> int:
    """A field standing for a record's column (`name`, `title`...) holds what that column
    holds; any other is stored in the record's custom values, up to TEXT_LIMIT."""
    if field.is_column:
        specs = CUSTOMER_FIELDS if field.on == "customer" else OPPORTUNITY_FIELDS
        parser = specs[field.key].parse if field.key in specs else None
        if isinstance(parser, TextParser):
            return parser.max_len
    return TEXT_LIMIT


def parse_assignments(playbook: Playbook, pairs: list[str]) -> dict[str, Any]:
    """`field=value` pairs against the playbook's declared fields."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadInput(f"expected field=value, got {pair!r}")
        try:
            field = playbook.field(key)
        except KeyError:
            known = ", ".join(f.key for f in playbook.fields)
            raise BadInput(
                f"unknown field for playbook {playbook.key} (known: {known})", field=key
            ) from None
        values[key] = parse_value(field, raw)
    return values


def is_filled(value: Any) -> bool:
    return value is not None and value != "" and value != []


def all_filled(values: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return bool(keys) and all(is_filled(values.get(k)) for k in keys)


def totals(playbook: Playbook, values: dict[str, Any], cleared: set[str]) -> dict[str, Any]:
    """The `sum_of` fields to store after a change: the total once every part is
    filled, and no total once a part of it has been cleared (`cleared`)."""
    out: dict[str, Any] = {}
    for f in playbook.fields:
        if not f.sum_of:
            continue
        parts = [values.get(k) for k in f.sum_of]
        numbers = [p for p in parts if isinstance(p, int) and not isinstance(p, bool)]
        if len(numbers) == len(parts):
            total = sum(numbers)
            if values.get(f.key) != total:
                out[f.key] = total
        elif cleared & set(f.sum_of) and is_filled(values.get(f.key)):
            out[f.key] = None
    return out
