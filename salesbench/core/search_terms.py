"""What a search box's text asks for, and how well a record answers it.

One text is read three ways at once: as itself (李, Acme, a word of a note), as
pinyin (lina, li na, li'na -> 李娜) and as pinyin initials (ln, hzhd), and, when
it is mostly digits, as a phone fragment whatever the spaces and dashes
(138 0000, 1380000, 138-0000). A record matched several ways keeps its best.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# the order results come in: the name itself, then a whole name's pinyin or initials
# (lina, ln: 李娜 before Lina Books), then the start of a name before a part of it
(
    EXACT,
    SPELLED_EXACT,
    PREFIX,
    PART,
    SPELLED_PREFIX,
    INITIALS_PREFIX,
    SPELLED_PART,
    INITIALS_PART,
    NOTE,  # a part of a logged note: after every name
) = range(9)
# within one quality: the customer before its contacts, deals and then notes
KIND_ORDER = {"customer": 0, "contact": 1, "deal": 2, "note": 3}
SEPARATOR = "|"  # between the readings of one name (store/search_keys.py)

_SPELLING = re.compile(r"[a-z]+")
_PHONE = re.compile(r"[\d\s()+\-.]+")
_GAPS = re.compile(r"[\s'’\-]+")
_DIGITS = re.compile(r"\D+")


class Query(NamedTuple):
    text: str  # as typed, trimmed: matched as a part of names, numbers and notes
    spelling: str | None  # lower-case letters only, when it can be pinyin
    digits: str | None  # when it is a phone fragment
    folds: bool = False  # the database's LIKE needs ILIKE to match either case (PostgreSQL)


def read_query(text: str) -> Query:
    trimmed = " ".join(text.split())
    folded = _GAPS.sub("", trimmed.lower())
    spelling = folded if len(folded) >= 2 and _SPELLING.fullmatch(folded) else None
    digits = _DIGITS.sub("", trimmed)
    is_phone = len(digits) >= 3 and _PHONE.fullmatch(trimmed) is not None
    return Query(trimmed, spelling, digits if is_phone else None)


def is_han(char: str) -> bool:
    """A CJK ideograph (the unified blocks and their extensions)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
    )


def has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


def text_quality(value: str, query: Query) -> int | None:
    """How `value` (a name, number or note) holds the query's text, or None."""
    if not query.text:
        return None
    have, want = value.casefold(), query.text.casefold()
    if have == want:
        return EXACT
    if have.startswith(want):
        return PREFIX
    return PART if want in have else None


def digits_quality(value: str, query: Query) -> int | None:
    """How a phone number holds the query's digits, ignoring how it is spaced."""
    if not query.digits:
        return None
    digits = _DIGITS.sub("", value)
    if digits == query.digits:
        return EXACT
    if digits.startswith(query.digits):
        return PREFIX
    return PART if query.digits in digits else None


def spelled_quality(spelled: str, initials: str, query: Query) -> int | None:
    """How a name's readings (`|`-separated) hold the query as pinyin or initials."""
    if not query.spelling:
        return None
    want = query.spelling
    best: int | None = None
    for reading, prefix, part in (
        (spelled, SPELLED_PREFIX, SPELLED_PART),
        (initials, INITIALS_PREFIX, INITIALS_PART),
    ):
        for one in reading.split(SEPARATOR) if reading else ():
            if one == want:
                return SPELLED_EXACT
            found = prefix if one.startswith(want) else part if want in one else None
            if found is not None and (best is None or found < best):
                best = found
    return best


def snippet(text: str, query: Query, width: int = 40) -> str:
    """The part of a long note around the first place the query's text is found, on
    one line."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    at = flat.casefold().find(query.text.casefold()) if query.text else -1
    start = max(0, min(at - width // 4, len(flat) - width)) if at >= 0 else 0
    head = "…" if start > 0 else ""
    tail = "…" if start + width < len(flat) else ""
    return f"{head}{flat[start : start + width]}{tail}"
