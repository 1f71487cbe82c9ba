"""Edits that never undo a colleague's: compare-and-set on a record's version, or on
the values the person started from.

Customers, contacts and tasks carry a `version` the ORM checks and bumps on every
update (`UPDATE … SET <changed columns>, version = version + 1 WHERE id = ? AND
version = ?`): only the columns that changed are written, so a field nobody touched
keeps whatever a colleague stored meanwhile. A form also says which values it
showed (`started_from`): a field changed in the form that someone else changed since
is a Conflict naming both values, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session

from salesbench.core.errors import ChangedMeanwhile
from salesbench.core.fields import format_money

T = TypeVar("T")

# A change to one of these fields is checked against the others it goes with: a grade
# is set by hand or by the rule, an amount is in its currency.
GOES_WITH: dict[str, tuple[str, ...]] = {
    "grade": ("grade", "grade_set_by"),
    "annual_purchase": ("annual_purchase", "currency"),
    "currency": ("annual_purchase", "currency"),
    "status": ("status", "paused_until"),
    "paused_until": ("status", "paused_until"),
}
MONEY = {"annual_purchase", "amount"}
# A row changed between our read and our write is read again, this often: enough for a
# handful of colleagues logging and finishing tasks on one customer at the same moment.
ATTEMPTS = 5
# PostgreSQL's answers that mean "another transaction got in the way; run yours again":
# serialization_failure and deadlock_detected (nothing of this one was saved).
TRANSIENT_STATES = frozenset({"40001", "40P01"})


class Stale(Exception):
    """The row changed between this write's read and its update (PostgreSQL, whose
    transactions read what others committed meanwhile): read it again."""


def _shown(column: str, value: Any) -> str:
    if value is None or value == "":
        return "-"
    if column in MONEY and isinstance(value, int):
        return format_money(value) or "-"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def columns_changed(changed: Iterable[str]) -> list[str]:
    """The stored columns a change of these fields depends on, in a stable order."""
    out: list[str] = []
    for key in changed:
        for column in GOES_WITH.get(key, (key,)):
            if column not in out:
                out.append(column)
    return out


def check_started_from(
    label: str, record: Any, started_from: Mapping[str, Any] | None, changed: Iterable[str]
) -> None:
    """ChangedMeanwhile if a field the person changed is no longer what they started from."""
    if started_from is None:
        return
    clashes = [
        (column, started_from[column], getattr(record, column))
        for column in columns_changed(changed)
        if column in started_from and started_from[column] != getattr(record, column)
    ]
    if clashes:
        what = ", ".join(f"{c}: {_shown(c, was)} → {_shown(c, now)}" for c, was, now in clashes)
        raise ChangedMeanwhile(
            f"{label} was changed by someone else meanwhile ({what}): nothing saved; here it is now"
        )


def check_version(label: str, record: Any, expected: int | None) -> None:
    if expected is not None and record.version != expected:
        raise ChangedMeanwhile(
            f"{label} was changed by someone else meanwhile (version {expected} → "
            f"{record.version}): nothing saved; here it is now"
        )


def flush(session: Session) -> None:
    """Send the updates now, so a row changed since it was read raises Stale here."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        session.flush()
    except StaleDataError:
        raise Stale from None


def is_transient(exc: BaseException) -> bool:
    """A write the database gave up on because of another's (a deadlock, a serialization
    failure): rolled back whole, and right if simply run again."""
    from sqlalchemy.exc import DBAPIError

    return (
        isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in TRANSIENT_STATES
    ) or isinstance(exc, Stale)


def with_retries(label: str, write: Callable[[], T]) -> T:
    """Run `write` (one whole transaction that ends with `flush`) again when its row
    changed under it, or the database undid it for another's (is_transient): its
    checks then see the new values."""
    for _ in range(ATTEMPTS):
        try:
            return write()
        except Exception as exc:
            if not is_transient(exc):
                raise
    raise ChangedMeanwhile(
        f"{label} changed under this write again and again: nothing saved; try again"
    )


def bumped(table: Any) -> dict[str, Any]:
    """For a Core UPDATE of `table`'s rows (imports, undo, merge): the version bump the
    ORM gives its own updates, where the table has a version."""
    return {"version": table.c.version + 1} if "version" in table.c else {}
