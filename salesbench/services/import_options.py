"""What an import is asked to do and what it did: its options, its report, and the
errors that stop it before anything is written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from salesbench.core import importing as im
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.settings import DEFAULT_CURRENCY


class ImportProblems(BadInput):
    """Rows that cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[im.Problem]) -> None:
        self.source, self.problems = source, problems
        n = len(problems)
        super().__init__(f"{source}: {n:,} problem{'s' * (n != 1)}; nothing was imported")


class ImportConflicts(Conflict):
    """Rows that match stored records under --on-conflict fail; nothing was written."""

    def __init__(self, source: str, problems: list[im.Problem]) -> None:
        self.source, self.problems = source, problems
        n = len(problems)
        super().__init__(
            f"{source}: {n:,} row{'s' * (n != 1)} match stored records (--on-conflict fail); "
            "nothing was imported"
        )


@dataclass
class ImportOptions:
    kind: str
    mode: str = "create"
    on_conflict: str = "skip"
    on_duplicate: str = "new"  # a weak match (same name, phone, email): new | skip | update
    preset: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    skip: list[str] = field(default_factory=list)
    strict: bool = False
    dry_run: bool = False
    rep: str | None = None
    timezone: str | None = None
    date_format: str | None = None
    decimal: str | None = None  # of amounts: "," or "."; None decides it per column
    currency: str | None = None  # --currency: of amounts that name none
    default_currency: str = DEFAULT_CURRENCY  # the team's, when there is no --currency
    playbook: str | None = None
    format: str = "csv"
    owner_map: dict[str, str] = field(default_factory=dict)  # their owner -> rep email or name
    owner_fallback: str | None = None  # "me": unknown owners' rows go to the importing rep
    stage_map: dict[str, str] = field(default_factory=dict)  # their stage -> stage key
    customer: str | None = None  # --customer: tasks' customer when a row names none


@dataclass
class Report:
    kind: str
    source: str
    dry_run: bool
    preset: str | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    custom_columns: list[str] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch_id: uuid.UUID | None = None

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "dry_run": self.dry_run,
            "preset": self.preset,
            "batch": str(self.batch_id) if self.batch_id else None,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"line": n, "reason": r} for n, r in self.skipped],
            "possible_duplicates": [{"line": n, "reason": r} for n, r in self.duplicates],
            "custom_columns": self.custom_columns,
            "ignored_columns": self.skipped_columns,
            "notes": self.notes,
        }
