"""The text rules of core.fields applied to a whole stored row (a bundle's), so a row
that arrives without going through a form, an option or an import's parser is held to
the same rules: one-line fields without line breaks, custom fields within their limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from salesbench.core import fields as f

# Each table's fields as the forms and options parse them.
TABLE_FIELDS: dict[str, Mapping[str, f.FieldSpec]] = {
    "rep": f.REP_FIELDS,
    "customer": f.CUSTOMER_FIELDS,
    "contact": f.CONTACT_FIELDS,
    "opportunity": f.OPPORTUNITY_FIELDS,
}


def row_problem(table: str, row: Mapping[str, object]) -> tuple[str, str] | None:
    """(column, problem) of the first text in `row` of `table` that the rules refuse,
    else None. Only one-line fields and custom fields: other columns keep the checks
    the bundle reader gives them."""
    for column, spec in TABLE_FIELDS.get(table, {}).items():
        value = row.get(column)
        if isinstance(spec.parse, f.LineParser) and isinstance(value, str):
            try:
                f.check_line(value, spec.parse.max_len)
            except ValueError as exc:
                return column, str(exc)
    custom = row.get("custom")
    if isinstance(custom, Mapping):
        try:
            f.check_custom_object(custom)
        except ValueError as exc:
            return "custom", str(exc)
    return None
