"""What a phone number is: the one rule for a contact's phone, from the CLI, the
workbench's forms and the importers alike (core.fields, core.reach)."""

from __future__ import annotations

import re
import unicodedata

from salesbench.core.i18n import _

# A phone as people write it: digits grouped by spaces, dashes, dots or slashes, an
# area code in brackets, a leading + and an extension (ext 12, x12, #12, 转12, 分机12).
_PHONE_EXTENSION = re.compile(r"\s*(?:ext|extn|x|#|转|分机)\.?\s*\d{1,6}\s*$", re.IGNORECASE)
_PHONE_BODY = re.compile(r"^\+?[\d\s().\-/]+$")
PHONE_MIN_DIGITS = 1  # a phone is digits; how many a place dials is not ours to say


def check_phone(value: str) -> str:
    """A phone number (one line already, see core.fields.PhoneParser), kept as written;
    ValueError for one that is none (`abc`)."""
    body = _PHONE_EXTENSION.sub("", unicodedata.normalize("NFKC", value))
    if not _PHONE_BODY.match(body) or sum(c.isdigit() for c in body) < PHONE_MIN_DIGITS:
        raise ValueError(
            _(
                "{value!r} is not a phone number (e.g. +86 138 0013 8000, (010) 6552-1234 ext 8)"
            ).format(value=value)
        )
    return value
