"""ISO 8601 durations as playbooks write them: P0D, P3D, P2W, PT24H, PT1H30M, P1DT4H."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from salesbench.core.date_range import MAX_DURATION_DAYS, OutOfRange

_ISO = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A due rule. Day-only durations mean "by the end of that working day"."""

    text: str
    delta: timedelta
    has_time: bool

    def __str__(self) -> str:
        return self.text


def parse_duration(text: str) -> Duration:
    value = text.strip().upper()
    match = _ISO.match(value)
    if not match or value in ("P", "PT") or value.endswith("T"):
        raise ValueError(
            f"{_shown(text)} is not a duration (use ISO 8601 such as P0D, P3D, PT24H or PT1H30M)"
        )
    digits = {k: v for k, v in match.groupdict().items() if v is not None}
    if any(len(v.lstrip("0")) > 9 for v in digits.values()):
        raise OutOfRange(f"{_shown(text)} is longer than {MAX_DURATION_DAYS} days")
    parts = {k: int(v) for k, v in digits.items()}
    minutes = (
        (parts.get("weeks", 0) * 7 + parts.get("days", 0)) * 24 + parts.get("hours", 0)
    ) * 60 + parts.get("minutes", 0)
    if minutes > MAX_DURATION_DAYS * 24 * 60:
        raise OutOfRange(f"{_shown(text)} is longer than {MAX_DURATION_DAYS} days")
    delta = timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
    )
    has_time = "hours" in parts or "minutes" in parts
    return Duration(value, delta, has_time)


def _shown(text: str) -> str:
    """The value as an error quotes it: whole if short, else its start."""
    return repr(text) if len(text) <= 40 else repr(text[:32]) + f"… ({len(text):,} characters)"
