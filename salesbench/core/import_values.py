"""Cell values as other systems write them: loose dates and times, ids, and deal
stages named the way CRMs name them."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import UTC, date, datetime, tzinfo

from salesbench.core import fields as f
from salesbench.core import money, numbers
from salesbench.core.enums import OppStatus
from salesbench.core.import_presets import fold_header

_LOOSE_DATE = re.compile(r"^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$")


_MINOR_LIMIT = int(f.MONEY_LIMIT * 100)


def amount_text(value: str) -> str:
    """A money cell without the currency written around it (as written when it names
    two currencies: the parser then reports it)."""
    try:
        return money.split_mark(value).text
    except ValueError:
        return value.strip()


def money_column(cells: list[str], decimal: str | None) -> f.Parser:
    """The parser of one money column, its decimal separator decided from all of
    `cells` (or given as `decimal`); raises ValueError when the column cannot say."""
    chosen = numbers.decide_decimal([amount_text(c) for c in cells], decimal)

    def parse(value: str) -> int:
        minor = numbers.plain_minor(value, chosen)  # most cells, and the fastest way
        if minor is not None and minor < _MINOR_LIMIT:
            return minor
        amount = numbers.parse_number(money.split_mark(value).text, chosen)
        if amount < 0:
            raise ValueError(f"must not be negative (got {value})")
        if amount >= f.MONEY_LIMIT:
            raise ValueError(f"{value} is too large")
        try:
            return numbers.minor_units(amount)
        except ValueError as exc:
            raise ValueError(f"{value!r} {exc}") from None

    return parse


def import_date(date_format: str | None) -> f.Parser:
    """ISO dates, `2026/11/23` and `2026年11月23日`; or exactly `date_format` when given."""

    def parse(value: str) -> date:
        value = value.strip()
        if date_format:
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                raise ValueError(f"{value!r} does not match --date-format {date_format}") from None
        loose = _LOOSE_DATE.match(value)
        if loose:
            value = "-".join((loose[1], loose[2].zfill(2), loose[3].zfill(2)))
        elif "T" in value or " " in value:
            value = value.replace("T", " ").split(" ")[0]  # a timestamp where a day is meant
        return f.iso_date(value)

    return parse


def import_datetime(zone: tzinfo, date_format: str | None) -> f.Parser:
    """ISO timestamps; one without an offset, or a bare date, is read in `zone`."""
    day = import_date(date_format)

    def parse(value: str) -> datetime:
        value = value.strip()
        parsed: datetime | None
        try:
            parsed = datetime.fromisoformat(value.replace("/", "-"))
        except ValueError:
            parsed = None
            if date_format:
                with contextlib.suppress(ValueError):
                    parsed = datetime.strptime(value, date_format)
            if parsed is None:
                try:
                    d = day(value)
                except ValueError:
                    raise ValueError(f"{value!r} is not a date and time") from None
                parsed = datetime(d.year, d.month, d.day)
        assert parsed is not None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)

    return parse


def external_id(value: str) -> str:
    value = value.strip()
    if len(value) > 128:
        raise ValueError("is longer than 128 characters")
    return value


def uuid_value(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a UUID") from None


_WON = {"won", "closedwon", "closed won", "赢单", "成交", "已成交"}
_LOST = {"lost", "closedlost", "closed lost", "输单", "丢单", "已丢单"}


def interpret_stage(
    raw: str, stages: list[tuple[str, str]] | None
) -> tuple[str | None, str | None]:
    """A stage as another CRM writes it: (our stage key, status it implies).

    "Closed Won"/"Closed Lost" close the deal; a stage of the playbook (by key or
    name) places it; anything else is an error with a playbook, and kept as a
    custom field without one.
    """
    folded = raw.strip().casefold()
    squashed = fold_header(raw)
    if folded in _WON or squashed in _WON:
        return None, OppStatus.WON.value
    if folded in _LOST or squashed in _LOST:
        return None, OppStatus.LOST.value
    if stages is None:
        return None, None
    for key, name in stages:
        if squashed in (fold_header(key), fold_header(name)):
            return key, None
    known = ", ".join(k for k, _ in stages)
    raise ValueError(
        f"no stage {raw.strip()!r} in the playbook (stages: {known}; or Closed Won/Lost)"
    )
