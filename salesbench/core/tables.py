"""Reports as plain tables, so every output format (Markdown, CSV, XLSX, HTML, JSON)
renders the same figures and none computes its own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

KINDS = ("text", "int", "money", "percent", "number", "row")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # text | int | money (minor units) | percent (0..1) | number | row
    currency: str | None = None  # of a money column: each currency has its own

    def kind_in(self, row: dict[str, Any]) -> str:
        """The cell's kind: a "row" column takes it from the row's own `kind`
        (headline figures mix counts, money and rates in one column)."""
        return str(row.get("kind", "number")) if self.kind == "row" else self.kind


def said(column: Column) -> Column:
    """The column with its label in the language spoken now (core/i18n.py); a grade's
    column names its grade ("{grade} touched" -> "A touched", "A 类已触达")."""
    from salesbench.core.i18n import _

    label = _(column.label)
    if "{grade}" in label:
        label = label.format(grade=column.key.split("_")[0].upper())
    return replace(column, label=label)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


def plain(value: Any, kind: str) -> Any:
    """A cell as JSON and CSV carry it: money in main units, percentages as fractions
    rounded to four places, everything else as is."""
    if value is None:
        return None
    if kind == "money":
        return round(value / 100, 2)
    if kind == "percent":
        return round(float(value), 4)
    if kind == "int":
        return int(value)
    if kind == "number":
        return round(float(value), 4)
    return value


def shown(value: Any, kind: str) -> str:
    """A cell as people read it: 1,234.50 · 45.0% · – for nothing."""
    if value is None:
        return "–"
    if kind == "money":
        return f"{value / 100:,.2f}"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "number":
        return f"{value:,.2f}"
    return str(value)


def table_dict(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": [
            {
                "key": c.key,
                "label": c.label,
                "kind": c.kind,
                **({"currency": c.currency} if c.currency else {}),
            }
            for c in table.columns
        ],
        "rows": [
            {
                # rows that mix kinds in one column say which figure and kind they are
                **({"key": r["key"], "kind": r["kind"]} if "kind" in r and "key" in r else {}),
                **({"currency": r["currency"]} if r.get("currency") else {}),
                **{c.key: plain(r.get(c.key), c.kind_in(r)) for c in table.columns},
            }
            for r in table.rows
        ],
        **({"note": table.note} if table.note else {}),
    }
