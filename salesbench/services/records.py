"""The record types services hand to the shells, named here so a shell can annotate
with them without importing the store layer."""

from __future__ import annotations

from salesbench.store.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Opportunity,
    Rep,
    StageMove,
    Task,
)

__all__ = [
    "Activity",
    "Complaint",
    "Contact",
    "Customer",
    "Opportunity",
    "Rep",
    "StageMove",
    "Task",
]
