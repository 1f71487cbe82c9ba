"""The currency of each imported amount: the row's currency column, else the mark in
the cell (`USD 12,500.00`, `$140,000.00`, `12.500,00 €`), else the currency given for
the file (`--currency`, or the team's default). A cell whose mark contradicts its row's
currency column is a problem of that cell, never a guess."""

from __future__ import annotations

from collections import Counter
from typing import Any

from salesbench.core import money
from salesbench.core.import_values import money_column


class Amounts:
    """Settles the `currency` of each parsed row of one file."""

    def __init__(self, default: str | None, kind: str, default_from: str = "") -> None:
        self.columns: dict[int, str] = {}  # money column index -> its field
        self.default = default
        self.default_from = default_from
        # customer.currency is the currency of annual_purchase: NULL without one
        self.nullable = kind == "customers"
        self.assumed: Counter[str] = Counter()
        self.defaulted = 0
        self.marked: Counter[str] = Counter()

    def column(self, index: int, name: str, cells: list[str], decimal: str | None) -> Any:
        """The parser of money column `index` (ValueError when it cannot say its
        decimal separator); its cells' currencies are settled row by row."""
        parse = money_column(cells, decimal)
        self.columns[index] = name
        return parse

    def settle(self, cells: list[str], values: dict[str, Any]) -> tuple[int, str] | None:
        """Set values["currency"]; the column index and message of a cell that
        contradicts it, if one does."""
        if not self.columns and not self.nullable:
            return None
        given: str | None = values.get("currency")
        found: str | None = None
        has_amount = False
        for index, name in self.columns.items():
            if name not in values:
                continue
            has_amount = True
            raw = cells[index].strip()
            if raw[:1].isdigit() and raw[-1:].isdigit():
                continue
            marked = money.split_mark(raw)
            if marked.currency is None:
                continue
            if (given or found) and marked.currency != (given or found):
                other = given or found
                where = "its row's currency column says" if given else "another amount is in"
                return index, f"is in {marked.currency}, but {where} {other}"
            found = marked.currency
            self.marked[marked.currency] += 1
            note = money.assumption(marked.mark)
            if note:
                self.assumed[note] += 1
        if not has_amount:
            if self.nullable:
                values.pop("currency", None)
            return None
        if given is None:
            if found is not None:
                values["currency"] = found
            elif self.default is not None:
                values["currency"] = self.default
                self.defaulted += 1
        return None

    def notes(self) -> list[str]:
        lines = [f"{note} ({n:,} amount{'s' * (n != 1)})" for note, n in self.assumed.items()]
        if self.defaulted:
            origin = f" ({self.default_from})" if self.default_from else ""
            lines.append(
                f"amounts without a currency: {self.default}{origin}; "
                f"{self.defaulted:,} amount{'s' * (self.defaulted != 1)}"
            )
        return lines
