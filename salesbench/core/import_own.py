"""The columns salesbench's own export writes beside the fields people type, read back
so that `export KIND` then `import KIND` gives the same rows.

`custom` is the record's custom fields as one JSON object (not a custom field called
"custom"); `created_at`, `closed_at` and the other stamps keep their moments; the
owner's id and the customer's name (`owner_id`, `owner_email`, `customer_name`) are
references, never custom fields. Columns every import writes anew (`updated_at`,
`import_batch_id`, `version`) are listed as ignored. A column is read this way only
when no field of the kind already has the name, so the mapping people use wins.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from salesbench.core import fields as f
from salesbench.core.enums import CompletedHow, GradeSetBy, TaskOrigin
from salesbench.core.import_problems import without_value
from salesbench.core.import_values import import_datetime

# Written by the import itself: the batch, its stamp, the deal's edit counter; and a
# task's complaint, since complaints travel only in the `export all` bundle.
BOOKKEEPING = frozenset({"updated_at", "import_batch_id", "version"})
IGNORED = {"tasks": frozenset({"complaint_id"})}


def ignored(kind: str) -> frozenset[str]:
    """Columns of our export that an import of `kind` lists as ignored."""
    return BOOKKEEPING | IGNORED.get(kind, frozenset())


# References our export writes; `owner_id` stands in for the owner when no owner
# column (such as owner_email) names them.
OWN_REFS: dict[str, tuple[str, ...]] = {
    "customers": ("owner_id",),
    "contacts": (),
    "opportunities": ("owner_id",),
    "activities": ("owner_id", "contact_id"),
    "tasks": ("owner_id",),
}


def custom_object(value: str) -> dict[str, Any]:
    """The `custom` column: a JSON object of custom fields."""
    try:
        found = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not a JSON object of custom fields ({exc.msg})") from None
    if not isinstance(found, dict):
        raise ValueError("is not a JSON object of custom fields")
    return f.check_custom_object(found)


def custom_cells(
    custom: dict[str, Any], columns: list[tuple[int, str]], cells: list[str]
) -> list[tuple[int, str]]:
    """Add a row's custom columns (index, key) to `custom`, each held to the rule every
    path holds a custom field to (core.fields.check_custom); the (index, problem) of
    each cell that breaks it, its value never quoted."""
    wrong = []
    for i, key in columns:
        cell = cells[i].strip()
        if not cell:
            continue
        try:
            key, custom[key] = f.check_custom(key, cell)
        except ValueError as exc:
            wrong.append((i, without_value(str(exc), cell)))
    return wrong


def objects_column(cells: list[str]) -> bool:
    """Whether a `custom` column is ours: every cell empty or a JSON object."""
    for cell in cells:
        text = cell.strip()
        if not text:
            continue
        if not text.startswith("{"):
            return False
        try:
            if not isinstance(json.loads(text), dict):
                return False
        except json.JSONDecodeError:
            return False
    return True


def flag(value: str) -> bool:
    folded = value.strip().casefold()
    if folded in ("true", "1", "yes"):
        return True
    if folded in ("false", "0", "no"):
        return False
    raise ValueError("is not true or false")


def own_specs(kind: str, zone: tzinfo, date_format: str | None) -> dict[str, f.FieldSpec]:
    """The parsed own-export columns of `kind` (created_at, custom, closed_at, …)."""
    moment = import_datetime(zone, date_format)
    specs = {
        "custom": f.FieldSpec(custom_object),
        "created_at": f.FieldSpec(moment),
        "external_source": f.FieldSpec(f.text(32)),  # the column is 32 wide,
    }
    if kind == "customers":
        specs["currency"] = f.FieldSpec(f.currency)
        specs["grade_set_by"] = f.FieldSpec(f.choice(GradeSetBy))
    elif kind == "opportunities":
        specs["closed_at"] = f.FieldSpec(moment)
        specs["stage_entered_at"] = f.FieldSpec(moment)
    elif kind == "tasks":
        specs["origin_kind"] = f.FieldSpec(f.choice(TaskOrigin))
        specs["origin"] = f.FieldSpec(f.text(128))
        specs["stage_key"] = f.FieldSpec(f.text(64))
        specs["suggested"] = f.FieldSpec(flag)
        specs["completed_how"] = f.FieldSpec(f.choice(CompletedHow))
        specs["snoozed_until"] = f.FieldSpec(moment)
    return specs


def own_refs(kind: str) -> tuple[str, ...]:
    return OWN_REFS.get(kind, ())


def settle_row(kind: str, values: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
    """Fold the own-export columns of a parsed row into what the planners expect; the
    custom-field object comes back, to go under the row's other custom columns. A row
    that cannot stand raises ValueError(message, field)."""
    if kind == "tasks" and values.get("status") == "snoozed" and not values.get("snoozed_until"):
        raise ValueError("a snoozed task needs its snoozed_until; or import it as open", "status")
    custom = values.pop("custom", None) or {}
    owner_id = refs.pop("owner_id", None)
    if owner_id and not refs.get("owner"):
        refs["owner"] = owner_id
    if kind == "customers" and values.get("grade_set_by") == GradeSetBy.RULE.value:
        values.pop("grade", None)  # the rule sets it again from the annual purchase
    return dict(custom)
