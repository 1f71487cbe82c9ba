"""Open tasks as iCalendar (RFC 5545): VTODO with DUE, or 30-minute VEVENTs.

Times are written in UTC (`…Z`). A task due on a day rather than at a time (stored,
as the importers store a bare date, at midnight in its owner's timezone) is written
as `DUE;VALUE=DATE:YYYYMMDD`, which is that day wherever the calendar is read. The
X-SALESBENCH-* properties carry what an import needs to give back the same task."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from salesbench.core.enums import is_open

# property -> the task column (or export column) it holds
X_PROPERTIES = {
    "X-SALESBENCH-ID": "id",
    "X-SALESBENCH-TITLE": "title",
    "X-SALESBENCH-CUSTOMER-ID": "customer_id",
    "X-SALESBENCH-OPPORTUNITY-ID": "opportunity_id",
    "X-SALESBENCH-OWNER": "owner_email",
    "X-SALESBENCH-STATUS": "status",
    "X-SALESBENCH-DUE-AT": "due_at",
    "X-SALESBENCH-EXTERNAL-ID": "external_id",
    "X-SALESBENCH-EXTERNAL-SOURCE": "external_source",
    "X-SALESBENCH-CUSTOM": "custom",
}


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def day_only(due: datetime, zone_name: str | None) -> date | None:
    """The day of a due that is a day, not a time: midnight in the owner's timezone."""
    zone = _zone(zone_name)
    if zone is None:
        return None
    local = due.astimezone(zone)
    return local.date() if local.time() == time(0) else None


def written(rows: list[dict[str, Any]], *, as_events: bool = False) -> list[dict[str, Any]]:
    """The rows a calendar holds: open tasks (as events, only those with a due time)."""
    chosen = []
    for row in rows:
        if not is_open(row["status"]):
            continue
        if as_events and _due(row) is None:
            continue
        chosen.append(row)
    return chosen


def _due(row: dict[str, Any]) -> datetime | None:
    due: datetime | None = row["snoozed_until"] if row["status"] == "snoozed" else row["due_at"]
    return due


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _x_value(value: Any) -> Any:
    """An X-SALESBENCH-* value: as it is (the import reads these raw, so `,;\\` stay
    exact), unless it holds a line break, which would end the property (and could
    start another): then escaped as TEXT, every break as \\n, as SUMMARY is."""
    from icalendar import vText

    if isinstance(value, datetime):
        return _utc(value).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return vText(text) if "\r" in text or "\n" in text else text


def to_ics(
    rows: list[dict[str, Any]],
    *,
    as_events: bool = False,
    calendar_name: str = "salesbench",
    zones: Mapping[uuid.UUID, str] | None = None,
) -> bytes:
    from icalendar import Calendar, Event, Todo

    zones = zones or {}
    calendar = Calendar()
    calendar.add("prodid", "-//salesbench//tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", calendar_name)
    for row in written(rows, as_events=as_events):
        due = _due(row)
        component = Event() if as_events else Todo()
        component.add("uid", f"{row['id']}@salesbench")
        component.add(
            "summary",
            row["title"] + (f" ({row['customer_name']})" if row.get("customer_name") else ""),
        )
        component.add("dtstamp", _utc(row["updated_at"]))
        if row.get("created_at"):
            component.add("created", _utc(row["created_at"]))
        day = day_only(due, zones.get(row.get("owner_id"))) if due is not None else None  # type: ignore[arg-type]
        if as_events:
            assert due is not None
            if day is not None:
                component.add("dtstart", day)
                component.add("dtend", day + timedelta(days=1))
            else:
                component.add("dtstart", _utc(due))
                component.add("dtend", _utc(due) + timedelta(minutes=30))
        else:
            component.add("status", "NEEDS-ACTION")
            if due is not None:
                component.add("due", day if day is not None else _utc(due))
        for prop, key in X_PROPERTIES.items():
            value = row.get(key)
            if value is None or value in ("", {}):
                continue
            component.add(prop, _x_value(value))
        calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data
