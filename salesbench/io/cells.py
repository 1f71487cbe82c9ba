"""Cell values for files people open in spreadsheets."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# OWASP "CSV injection": a cell starting with one of these is run as a formula by
# Excel, LibreOffice and Google Sheets; a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    """A value as it goes into a CSV cell (text neutralised, ids and times as text)."""
    found = sheet_cell(value)
    return neutralise(found) if isinstance(found, str) else found


def sheet_cell(value: Any) -> Any:
    """A value as it goes into an XLSX cell: text as it is, since the writer marks it as
    a string cell, which no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# OOXML writes a character XML cannot carry as `_xHHHH_` (Excel does so for CR, which
# XML would turn into LF, and for control characters, which XML refuses); a text that
# already looks like an escape has its underscore escaped, as Excel does.
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def ooxml_text(value: str) -> str:
    return _OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
