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


class OppStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


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
