"""Numbers as people write them: `1,234.56`, `1.234,56`, `1'234'567,89`, `1 234,56`,
`(1.62)`, `-12,50`, `35万`.

A cell alone cannot say whether `2.500` is two and a half or two thousand five
hundred, so the decimal separator is decided once per column from all of its
cells; a column that never settles it is refused, never guessed. Values come out
as exact Decimals, and money as integer minor units; no float on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DECIMALS = (".", ",")
CHOOSE = "give --decimal , or --decimal ."
# Grouping that can never be a decimal separator: space, no-break space, narrow
# no-break space, thin space; apostrophes (Swiss); underscores.
_SPACES = frozenset(" \u00a0\u202f\u2009")
_QUOTES = frozenset("'\u2019")
_OTHER_GROUPS = _SPACES | _QUOTES | {"_"}
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_BODY = re.compile(r"^[0-9.,'\u2019_ \u00a0\u202f\u2009]*[0-9]$|^[0-9]+[.,]$")
_ARTEFACT = Decimal("1e-9")
_ONE = Decimal(1)
_PLAIN = {
    ".": re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]+)?$|^[0-9]+(?:\.[0-9]+)?$"),
    ",": re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?$|^[0-9]+(?:,[0-9]+)?$"),
}
# Grouped digits: 1,234,567 (or the Indian 12,34,567); which separator is checked apart.
_GROUPED = re.compile(
    r"^[0-9]{1,3}(?:[^0-9][0-9]{3})+$|^[0-9]{1,2}(?:[^0-9][0-9]{2})+[^0-9][0-9]{3}$"
)


class AmbiguousColumn(ValueError):
    """Every separator in the column stands before exactly three digits."""


@dataclass(frozen=True)
class _Cell:
    negative: bool
    body: str
    multiplier: Decimal


def _split(text: str) -> _Cell:
    """Sign, digits-and-separators and multiplier of a cell; ValueError if it is none."""
    value = text.strip()
    if value.isascii() and value.isdigit():
        return _Cell(False, value, _ONE)
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value[:1] in ("-", "+", "\u2212"):
        negative, value = negative or value[0] != "+", value[1:].strip()
    elif value[-1:] == "-":  # 12.50- as some ledgers write it
        negative, value = True, value[:-1].strip()
    multiplier = _ONE
    if value[-1:] in _MULTIPLIERS:
        multiplier, value = _MULTIPLIERS[value[-1]], value[:-1].strip()
    if not _BODY.match(value):
        raise ValueError(f"{text!r} is not an amount")
    return _Cell(negative, value, multiplier)


def _evidence(body: str) -> str | None:
    """The decimal separator a cell proves, "" if it has none to prove, None if it
    could be read either way (one separator before exactly three digits)."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if not dots and not commas:
        return ""
    sep = "." if dots else ","
    other = "," if dots else "."
    if dots + commas > 1:
        return other  # repeated, so it groups
    whole, _, tail = body.partition(sep)
    if len(tail) != 3 or not _OTHER_GROUPS.isdisjoint(whole):
        return sep  # not a group of three, or grouping is done by something else
    if not whole or len(whole) > 3 or whole.startswith("0"):
        return sep  # `.500`, `1234.500`, `0,500`: grouping would not be written so
    return None


def decide_decimal(cells: Iterable[str], decimal: str | None = None) -> str:
    """The column's decimal separator: `decimal` when given, else what its cells
    prove. Cells that are no number at all are left for the parser to report."""
    if decimal is not None:
        if decimal not in DECIMALS:
            raise ValueError(f"--decimal is , or . (got {decimal!r})")
        return decimal
    proven: set[str] = set()
    ambiguous = False
    for cell in cells:
        text = cell.strip()  # a stray space is no grouping: ` 2,500` proves nothing
        if not text or (text.isascii() and text.isdigit()):
            continue  # nothing to prove, nothing to doubt
        if _BODY.match(text):
            body = text  # no sign, no multiplier, no spaces around: most cells
        else:
            try:
                body = _split(text).body
            except ValueError:
                continue
        found = _evidence(body)
        if found is None:
            ambiguous = True
        elif found:
            proven.add(found)
    if len(proven) > 1:
        raise ValueError(f"mixes 1,234.56 and 1.234,56 (decimal point and comma); {CHOOSE}")
    if proven:
        return proven.pop()
    if ambiguous:
        raise AmbiguousColumn(
            "every amount has one separator before exactly three digits, so 2.500 could be "
            f"2500 or 2.5; {CHOOSE}"
        )
    return "."


def parse_number(text: str, decimal: str) -> Decimal:
    """One cell, read with the column's decimal separator; grouping must be regular."""
    if _PLAIN[decimal].match(text):  # 1,234.56 or 1.234,56: most cells, read fast
        other = "," if decimal == "." else "."
        return Decimal(text.replace(other, "").replace(decimal, "."))
    cell = _split(text)
    body = cell.body
    if body.count(decimal) > 1:
        raise ValueError(f"{text!r} is not an amount")
    whole, _, frac = body.partition(decimal)
    if not frac.isascii() or not (frac == "" or frac.isdigit()):
        raise ValueError(f"{text!r} is not an amount")
    if whole and not whole.isdigit():
        groups = {ch for ch in whole if not ch.isdigit()}
        kinds = {"s" if ch in _SPACES else ch for ch in groups}
        allowed = _OTHER_GROUPS | {"," if decimal == "." else "."}
        if len(kinds) > 1 or not groups <= allowed or not _GROUPED.match(whole):
            raise ValueError(f"{text!r} is not an amount")
        whole = "".join(ch for ch in whole if ch.isdigit())
    if not whole and not frac:
        raise ValueError(f"{text!r} is not an amount")
    amount = Decimal((whole or "0") + (f".{frac}" if frac else ""))
    if cell.multiplier is not _ONE:
        amount *= cell.multiplier
    return -amount if cell.negative else amount


def plain_minor(text: str, decimal: str, places: int = 2) -> int | None:
    """Minor units of a cell written plainly (`1,234.56` or `1234.5` with a decimal
    point), else None: the fast way through for most cells of a file."""
    if not _PLAIN[decimal].match(text):
        return None
    whole, _, frac = text.replace("," if decimal == "." else ".", "").partition(decimal)
    if len(frac) > places:
        return None
    return int(whole + frac.ljust(places, "0"))


def parse_column(cells: list[str], decimal: str | None = None) -> list[Decimal | None]:
    """Every cell of a column (None for an empty one), its separator decided first."""
    chosen = decide_decimal(cells, decimal)
    return [parse_number(c, chosen) if c.strip() else None for c in cells]


def minor_units(amount: Decimal, places: int = 2) -> int:
    """`amount` in minor units (cents for two places). A spreadsheet's float artefact,
    such as 112.99999999999999, is rounded when within 1e-9 of the precision. The
    message of the ValueError names no value: the caller says which."""
    if amount.is_finite() and amount and amount.adjusted() > 24:
        raise ValueError("is too large")  # beyond what the context keeps exactly
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -places:
        return int(amount.scaleb(places))
    quantum = Decimal(1).scaleb(-places)
    try:
        rounded = amount.quantize(quantum)
    except InvalidOperation:
        raise ValueError("is too large") from None
    if rounded != amount and abs(rounded - amount) > _ARTEFACT:
        raise ValueError(f"has more than {_PLACES.get(places, places)} decimal places")
    return int(rounded.scaleb(places))


_PLACES = {0: "no", 1: "one", 2: "two", 3: "three"}
