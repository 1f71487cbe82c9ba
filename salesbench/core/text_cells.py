"""How wide text is on a terminal or in a spreadsheet: a CJK character takes two
columns, so 手机 fills what "mobile" nearly does, and padding by len() misaligns."""

from __future__ import annotations

import unicodedata


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` filled on the right to `width` columns."""
    return text + " " * max(0, width - cells(text))


def rpad(text: str, width: int) -> str:
    """`text` filled on the left to `width` columns (right-aligned)."""
    return " " * max(0, width - cells(text)) + text
