"""Closed vocabularies of the data model."""

from __future__ import annotations

from enum import StrEnum


class CustomerKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class GradeSetBy(StrEnum):
    RULE = "rule"
    MANUAL = "manual"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    NURTURE = "nurture"
    PAUSED = "paused"
    CLOSED = "closed"


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    COACH = "coach"


class PointKind(StrEnum):
    """What a contact point is: a number to call or an address to write to."""

    PHONE = "phone"
    EMAIL = "email"


class PointLabel(StrEnum):
    """Which of a contact's phones or emails it is, as address books label them."""

    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    FAX = "fax"
    OTHER = "other"


class AddressKind(StrEnum):
    BILLING = "billing"
    SHIPPING = "shipping"
    WORK = "work"
    HOME = "home"
    OTHER = "other"


class ChangeAction(StrEnum):
    """What a batch did to a stored row, so undo knows whether to restore or re-create it."""

    UPDATE = "update"
    DELETE = "delete"


class OppStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


# A task still to do: open, or snoozed until a later time.
OPEN_STATES: tuple[str, ...] = (TaskStatus.OPEN.value, TaskStatus.SNOOZED.value)


def is_open(status: str) -> bool:
    return status in OPEN_STATES


def sql_list(values: tuple[str, ...]) -> str:
    """`('a', 'b')` for a raw SQL `IN`: the values are the enums' own, never user input."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


OPEN_STATES_SQL = sql_list(OPEN_STATES)


class CompletedHow(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class TaskOrigin(StrEnum):
    PLAYBOOK = "playbook"
    RULE = "rule"
    MANUAL = "manual"


class Role(StrEnum):
    REP = "rep"  # sees their own book by default
    LEAD = "lead"  # sees their team's


class Channel(StrEnum):
    VISIT = "visit"
    CALL = "call"
    EMAIL = "email"
    MESSAGE = "message"
    MEETING = "meeting"
