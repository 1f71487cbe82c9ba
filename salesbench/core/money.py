"""Money as people write it and as it is summed: currency marks (`USD 12,500.00`,
`$140,000.00`, `12.500,00 €`, `35万元`), currency codes, and sums kept per currency,
never added together across currencies."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from salesbench.core.settings import CURRENCY_ENV, DEFAULT_CURRENCY

__all__ = ["CURRENCY_ENV", "DEFAULT_CURRENCY"]
_CODE = re.compile(r"^[A-Z]{3}$")

# Codes a cell may carry around its amount (a currency column may hold any code).
CODES = frozenset(
    {
        "CNY",
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "HKD",
        "TWD",
        "MOP",
        "SGD",
        "AUD",
        "NZD",
        "CAD",
        "CHF",
        "KRW",
        "INR",
        "RUB",
        "BRL",
        "MXN",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "TRY",
        "ZAR",
        "AED",
        "SAR",
        "THB",
        "MYR",
        "IDR",
        "PHP",
        "VND",
        "ILS",
    }
)
# Marks other than codes. `$` alone and `¥` alone are read as USD and CNY, and said so.
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "HK$": "HKD",
    "NT$": "TWD",
    "S$": "SGD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "R$": "BRL",
    "MOP$": "MOP",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "RMB": "CNY",
    "₩": "KRW",
    "₹": "INR",
    "円": "JPY",
    "Fr.": "CHF",
}
ASSUMED = {
    "$": "a bare $ is read as USD (write HK$, S$, A$, C$ … or a currency column otherwise)",
    "¥": "a bare ¥ is read as CNY (write JPY or a currency column for yen)",
    "￥": "a bare ¥ is read as CNY (write JPY or a currency column for yen)",
}
_MARKS = sorted([*SYMBOLS, *CODES], key=len, reverse=True)
_ALTERNATIVES = "|".join(re.escape(mark) for mark in _MARKS)
_LEADING = re.compile(rf"^(?P<sign>[(\-\u2212+]?)\s*(?P<mark>{_ALTERNATIVES})\s*", re.IGNORECASE)
_TRAILING = re.compile(rf"\s*(?P<mark>{_ALTERNATIVES})\s*(?P<sign>[)\-]?)$", re.IGNORECASE)
_BY_FOLDED = {mark.casefold(): mark for mark in _MARKS}


@dataclass(frozen=True)
class Marked:
    """An amount cell taken apart: the amount as written without its currency mark,
    the currency the mark names (None without one) and the mark itself."""

    text: str
    currency: str | None
    mark: str | None


def _code_of(mark: str) -> str:
    found = _BY_FOLDED[mark.casefold()]
    return SYMBOLS.get(found, found)


def _word(ch: str) -> bool:
    """A Latin letter: `USD` must not be read out of a word such as `XUSD`."""
    return ch.isascii() and ch.isalpha()


def split_mark(value: str) -> Marked:
    """`USD 12,500.00` -> ("12,500.00", "USD"); `12.500,00 €` -> ("12.500,00", "EUR").
    A cell with two different currencies (`$12 EUR`) raises ValueError."""
    text = value.strip()
    if text[:1].isdigit() and text[-1:].isdigit():
        return Marked(text, None, None)  # most cells: nothing to take off
    currencies: list[tuple[str, str]] = []
    lead = _LEADING.match(text)
    if lead and not (_word(lead["mark"][-1:]) and _word(text[lead.end() : lead.end() + 1])):
        currencies.append((lead["mark"], _code_of(lead["mark"])))
        text = lead["sign"] + text[lead.end() :]
    trail = _TRAILING.search(text)
    if trail:
        before = text[: trail.start()]
        if before and not (_word(trail["mark"][:1]) and _word(before[-1:])):
            currencies.append((trail["mark"], _code_of(trail["mark"])))
            text = before + trail["sign"]
    if not currencies:
        return Marked(text, None, None)
    codes = {code for _, code in currencies}
    if len(codes) > 1:
        raise ValueError(f"names two currencies ({' and '.join(sorted(codes))})")
    mark = currencies[0][0]
    return Marked(text.strip(), codes.pop(), _BY_FOLDED[mark.casefold()])


def currency_code(value: str) -> str:
    """A currency as a column or an option gives it: `usd`, `RMB`, `¥`, `US$` -> a code."""
    text = value.strip()
    folded = text.casefold()
    if folded in _BY_FOLDED:
        return _code_of(text)
    upper = text.upper()
    if not _CODE.match(upper):
        raise ValueError(f"{text!r} is not a three-letter currency code such as CNY or USD")
    return upper


def with_code(text: str, currency: str | None) -> str:
    """An amount as a form shows it to be edited: `1234.50 USD`, the code left off when
    split_mark would not read it back."""
    return f"{text} {currency}" if currency in CODES else text


def assumption(mark: str | None) -> str | None:
    """What was assumed of a mark that several currencies use, if anything."""
    return ASSUMED.get(mark or "")


# ---------------------------------------------------------------- sums per currency


def _main(minor: int) -> Decimal:
    return Decimal(minor) / 100


def format_amount(minor: int | None, currency: str | None = None, grouped: bool = False) -> str:
    """`1234.50 USD` (`1,234.50 USD` grouped); `-` without an amount."""
    if minor is None:
        return "-"
    shown = f"{_main(minor):,.2f}" if grouped else f"{_main(minor):.2f}"
    return f"{shown} {currency}" if currency else shown


def sum_by_currency(pairs: Iterable[tuple[int | None, str | None]]) -> dict[str, int]:
    """Minor units per currency, in order of first appearance; amounts without a
    currency are summed under "" (there should be none)."""
    sums: dict[str, int] = {}
    for minor, currency in pairs:
        if minor is None:
            continue
        key = currency or ""
        sums[key] = sums.get(key, 0) + minor
    return sums


def currencies_of(sums: Iterable[Mapping[str, int]], team: str = DEFAULT_CURRENCY) -> list[str]:
    """Every currency the sums name, the team's currency first, then by code."""
    found = {code for s in sums for code in s}
    return sorted(found, key=lambda code: (code != team, code))


def format_sums(sums: Mapping[str, int], empty: str = "0.00", grouped: bool = False) -> str:
    """`1,200.00 CNY + 300.00 USD`: one amount per currency, never added together."""
    if not sums:
        return empty
    return " + ".join(format_amount(minor, code, grouped) for code, minor in sums.items())


def add_sums(into: dict[str, int], other: Mapping[str, int]) -> dict[str, int]:
    for code, minor in other.items():
        into[code] = into.get(code, 0) + minor
    return into


def money_key(key: str, currency: str) -> str:
    """The tally key of a sum in one currency: sums of two currencies never meet."""
    return f"{key}|{currency}"


def codes_in(keys: Iterable[str], team: str = DEFAULT_CURRENCY) -> list[str]:
    """The currencies of tally keys made by money_key, the team's first."""
    found = {k.partition("|")[2] for k in keys if "|" in k}
    return sorted(found, key=lambda code: (code != team, code))
