"""Cell values as other systems write them: loose dates and times, ids, and deal
stages named the way CRMs name them."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from salesbench.core import fields as f
from salesbench.core import money, numbers
from salesbench.core.enums import OppStatus
from salesbench.core.import_presets import fold_header, map_lookup

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


# Excel's day 0 (its serials count 1900 as a leap year, so day 60 is 1900-02-29:
# counting from 1899-12-30 is right for every serial after it).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80001)  # 1954-10-03 … 2119-01-12: a date, not an amount
_SERIAL = re.compile(r"^(\d{5})(?:\.(\d+))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")


def _excel_serial(value: str, *, moment: bool) -> datetime | None:
    """An Excel serial date (45658 is 2025-01-01; 45658.5 its noon, where a time is
    meant), as a naive date-time; None when `value` is not one."""
    found = _SERIAL.match(value)
    if not found or int(found[1]) not in _SERIALS:
        return None
    fraction = found[2] or ""
    if fraction.strip("0") and not moment:
        return None  # a time of day where only a day is meant: not taken as a date
    start = datetime.combine(_EXCEL_EPOCH + timedelta(days=int(found[1])), time(0))
    seconds = round(float("0." + (fraction or "0")) * 86400)
    return start + timedelta(seconds=seconds)


def date_hint(value: str) -> str:
    """Which --date-format would read `value`, when it is a day and month in either
    order (`01/02/2026`); else the formats that are read without one."""
    found = _DAY_MONTH.match(value)
    if not found:
        return "use YYYY-MM-DD, or give --date-format (e.g. %d.%m.%Y)"
    first, sep, second, year = int(found[1]), found[2], int(found[3]), found[4]
    y = "%Y" if len(year) == 4 else "%y"
    day_first, month_first = f"%d{sep}%m{sep}{y}", f"%m{sep}%d{sep}{y}"
    if first <= 12 and second <= 12 and first != second:
        return f"it is ambiguous: --date-format {day_first} or {month_first}"
    if second <= 12 < first:
        return f"--date-format {day_first} reads it"
    if first <= 12 < second:
        return f"--date-format {month_first} reads it"
    return f"--date-format {day_first} or {month_first}"


def import_date(date_format: str | None) -> f.Parser:
    """ISO dates, `2026/11/23`, `2026年11月23日` and Excel serial dates (45658); or
    exactly `date_format` when given."""

    def parse(value: str) -> date:
        value = value.strip()
        if date_format:
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                serial = _excel_serial(value, moment=False)
                if serial is not None:
                    return serial.date()
                raise ValueError(f"{value!r} does not match --date-format {date_format}") from None
        loose = _LOOSE_DATE.match(value)
        if loose:
            value = "-".join((loose[1], loose[2].zfill(2), loose[3].zfill(2)))
        elif "T" in value or " " in value:
            value = value.replace("T", " ").split(" ")[0]  # a timestamp where a day is meant
        else:
            serial = _excel_serial(value, moment=False)
            if serial is not None:
                return serial.date()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date: {date_hint(value)}") from None

    return parse


def import_datetime(zone: tzinfo, date_format: str | None) -> f.Parser:
    """ISO timestamps and Excel serials (45658.5); one without an offset, or a bare
    date, is read in `zone`."""
    day = import_date(date_format)

    def parse(value: str) -> datetime:
        value = value.strip()
        parsed: datetime | None
        try:
            parsed = datetime.fromisoformat(value.replace("/", "-"))
        except ValueError:
            parsed = _excel_serial(value, moment=True)
            if parsed is None and date_format:
                with contextlib.suppress(ValueError):
                    parsed = datetime.strptime(value, date_format)
            if parsed is None:
                try:
                    d = day(value)
                except ValueError:
                    hint = "" if date_format else f": {date_hint(value.split(' ')[0])}"
                    raise ValueError(f"{value!r} is not a date and time{hint}") from None
                parsed = datetime(d.year, d.month, d.day)
        assert parsed is not None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)

    return parse


# the source system's id, as wide as its column
external_id = f.text(128)


def uuid_value(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a UUID") from None


_TRUE = {"true", "1", "yes", "y", "t", "是", "x"}
_FALSE = {"false", "0", "no", "n", "f", "否"}


def flag(value: str) -> bool:
    """A yes/no cell as exports write it: true/false, 1/0, yes/no."""
    folded = value.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"{value.strip()!r} is not true or false")


def deal_closing_specs(moment: f.Parser) -> dict[str, f.FieldSpec]:
    """Fields of a deals file that say whether and when a deal closed: Salesforce's
    IsWon/IsClosed, Pipedrive's Won time/Lost time, our own closed_at."""
    return {
        "closed_at": f.FieldSpec(moment),
        "won_at": f.FieldSpec(moment),
        "lost_at": f.FieldSpec(moment),
        "is_won": f.FieldSpec(flag),
        "is_closed": f.FieldSpec(flag),
    }


_WON = {"won", "closedwon", "closed won", "赢单", "成交", "已成交"}
_LOST = {"lost", "closedlost", "closed lost", "输单", "丢单", "已丢单"}
_OPEN = {"open"}


def interpret_stage(
    raw: str,
    stages: list[tuple[str, str]] | None,
    stage_map: Mapping[str, str] | None = None,
) -> tuple[str | None, str | None]:
    """A stage as another CRM writes it: (our stage key, status it implies).

    `stage_map` (their stage -> stage key, or won/lost/open) is read first.
    "Closed Won"/"Closed Lost" close the deal; a stage of the playbook (by key or
    name) places it; anything else is an error with a playbook, and kept as a
    custom field without one.
    """
    mapped = map_lookup(stage_map, raw) if stage_map else None
    if mapped is not None:
        raw = mapped
    folded = raw.strip().casefold()
    squashed = fold_header(raw)
    if folded in _WON or squashed in _WON:
        return None, OppStatus.WON.value
    if folded in _LOST or squashed in _LOST:
        return None, OppStatus.LOST.value
    if mapped is not None and folded in _OPEN:
        return None, OppStatus.OPEN.value
    if stages is None and mapped is not None:
        raise ValueError(
            f"--stage-map maps it to {raw.strip()!r}, a stage of which playbook? (--playbook)"
        )
    if stages is None:
        return None, None
    for key, name in stages:
        if squashed in (fold_header(key), fold_header(name)):
            return key, None
    known = ", ".join(k for k, _ in stages)
    if mapped is not None:
        raise ValueError(
            f"--stage-map maps it to {raw.strip()!r}, which is not a stage of the playbook "
            f"(stages: {known}; or won, lost, open)"
        )
    raise ValueError(
        f"no stage {raw.strip()!r} in the playbook (stages: {known}; or Closed Won/Lost; "
        "or --stage-map)"
    )
