"""Records as the import and export commands name them (plural), and the table that
holds each kind (the table is named for one record: the singular)."""

from __future__ import annotations

TABLE_OF_KIND: dict[str, str] = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "activities": "activity",
    "tasks": "task",
    "complaints": "complaint",
    "reps": "rep",
}
