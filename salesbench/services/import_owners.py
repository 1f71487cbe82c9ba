"""Whose the imported records are: owner cells read through --owner-map and the
reps, unknown owners told once each (or given to the importing rep with
--owner-fallback me), and the companies after the first that a cell may list."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from salesbench.core import importing as im
from salesbench.core.errors import BadInput, NotFound, SalesbenchError
from salesbench.core.ids import hex32
from salesbench.core.import_presets import map_lookup
from salesbench.core.reps import find_rep_row
from salesbench.store.raw import AlchemyRows, rep_rows

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session


UNKNOWN_OWNER = "add them (`salesbench rep add`), or --owner-map FILE, or --owner-fallback me"


class OwnerResolution:
    """The owner part of the import Planner."""

    session: Session
    conn: Connection
    sheet: im.Sheet
    options: Any  # import_plan.ImportOptions (which imports this module)
    report: Any  # import_plan.Report
    problems: list[im.Problem]
    default_owner: uuid.UUID | None

    def column(self, name: str) -> str:
        raise NotImplementedError

    def read_reps(self) -> None:
        self.rep_rows = rep_rows(AlchemyRows(self.conn))
        # owner cells as resolved: the rep, or why none
        self.reps: dict[str, uuid.UUID | str] = {}
        self.rep_zone: dict[uuid.UUID, str] = {}
        self.rep_language: dict[uuid.UUID, str] = {}
        # problems of the whole file or of one value on many rows, told once each:
        # message -> [first line, column, rows, last line, what to do]
        self.once: dict[str, tuple[int, str | None, int, int, str]] = {}
        self.fallen_back: dict[str, tuple[int, int]] = {}  # unknown owner -> (rows, last line)
        self.other_parents: list[tuple[int, str]] = []  # line, the companies after the first
        for r in self.rep_rows:
            rep_id = uuid.UUID(hex32(r["id"]))
            self.rep_zone[rep_id] = r["timezone"]
            self.rep_language[rep_id] = r["language"]

    def rep_named(self, row: im.Row, ref: str) -> uuid.UUID | None:
        """The rep an owner cell names (through --owner-map, then by the rules of
        core.reps; resolved once per value). An owner who is no rep is told once,
        with the number of their rows; with --owner-fallback me the rows are the
        importing rep's."""
        if ref not in self.reps:
            mapped = map_lookup(self.options.owner_map, ref)
            try:
                self.reps[ref] = uuid.UUID(hex32(find_rep_row(self.rep_rows, mapped or ref)["id"]))
            except NotFound:
                self.reps[ref] = (
                    f"owner {ref!r} is mapped to {mapped!r} by --owner-map, who is not a rep"
                    if mapped
                    else f"owner {ref!r} is not a rep"
                )
            except BadInput as exc:
                self.reps[ref] = f"owner {ref!r}: {exc}"
        found = self.reps[ref]
        if not isinstance(found, str):
            return found
        if self.options.owner_fallback == "me":
            try:
                me = self.acting()
            except SalesbenchError as exc:
                self.problem_once(row, self.column("owner"), str(exc))
                return None
            count, last = self.fallen_back.get(found, (0, 0))
            self.fallen_back[found] = (count + (row.line != last), row.line)
            return me
        self.problem_once(row, self.column("owner"), found, UNKNOWN_OWNER)
        return None

    def acting(self) -> uuid.UUID:
        if self.default_owner is None:
            from salesbench.services.reps import acting_rep

            self.default_owner = acting_rep(self.session, self.options.rep).id
        return self.default_owner

    def problem_once(self, row: im.Row, column: str | None, message: str, hint: str = "") -> None:
        """A problem that may concern many rows: told once, at its first row, with the
        number of rows and what to do about it."""
        line, col, count, last, hint = self.once.get(message, (row.line, column, 0, 0, hint))
        if row.line != last:  # a row may ask twice (its new customer's owner, its own)
            self.once[message] = (line, col, count + 1, row.line, hint)

    def first_parent(self, row: im.Row, ext: str) -> str:
        """The first of the ids a cell may list ("Associated Company IDs": 1;2;3) is the
        row's company; the others are kept as a custom field and listed in a note."""
        ids = [part.strip() for part in ext.split(";") if part.strip()]
        if len(ids) < 2:
            return ids[0] if ids else ""
        column = self.column("customer_external_id")
        row.custom[f"{column} (others)"] = "; ".join(ids[1:])
        names = row.refs.get("customer", "").split(";")
        if len(names) == len(ids):  # "Associated Company", in the same order
            row.refs["customer"] = names[0].strip()
            row.custom[f"{self.column('customer')} (others)"] = "; ".join(
                n.strip() for n in names[1:]
            )
        self.other_parents.append((row.line, ", ".join(ids[1:])))
        return ids[0]

    def finish_told_once(self) -> None:
        """The problems told once, as problems (refusing the file), and the owners
        whose rows went to the importing rep, as notes."""
        for message, (line, column, count, _, hint) in self.once.items():
            text = f"{message} ({count:,} row{'s' * (count != 1)})" + (f": {hint}" if hint else "")
            self.problems.append(im.Problem(self.sheet.source, line, column, text))
        self.once = {}
        for message, (count, _) in self.fallen_back.items():
            self.report.notes.append(
                f"{message} ({count:,} row{'s' * (count != 1)}): imported as yours "
                "(--owner-fallback me)"
            )
        self.fallen_back = {}
        if self.other_parents:
            column = self.column("customer_external_id")
            n = len(self.other_parents)
            listed = "; ".join(f"line {line}: {ids}" for line, ids in self.other_parents[:10])
            if n > 10:
                listed += f"; and {n - 10:,} more"
            rows = "1 row names" if n == 1 else f"{n:,} rows name"
            self.report.notes.append(
                f"{rows} several companies in {column!r}: the first is theirs, "
                f"the others are kept in '{column} (others)' ({listed})"
            )
            self.other_parents = []

    def owner(self, row: im.Row, fallback: uuid.UUID | None) -> uuid.UUID | None:
        ref = row.refs.get("owner")
        if ref:
            return self.rep_named(row, ref)
        if fallback is not None:
            return fallback
        try:
            return self.acting()
        except SalesbenchError as exc:
            self.problem_once(row, self.column("owner"), str(exc))
            return None
