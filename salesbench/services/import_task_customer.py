"""`import tasks --customer REF`: the customer of the task rows that name none (to-dos
from Apple Reminders, Thunderbird or Google Tasks), and the one problem for the
file that asks for it when it is not given."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from salesbench.core import importing as im
from salesbench.core.errors import BadInput, SalesbenchError
from salesbench.services.import_plan import Planner

SUBJECT_REFS = (
    "customer",
    "customer_id",
    "customer_external_id",
    "opportunity_id",
    "opportunity_external_id",
)


def with_default_customer(planner: Planner, rows: Iterable[im.Row]) -> Iterator[im.Row]:
    """The rows, those that name no customer nor deal (to-dos from Apple Reminders,
    Thunderbird, Google Tasks) given `--customer`'s; without it, such rows are one
    problem for the file, at the first of them, that says to give it."""
    from salesbench.services.refs import find
    from salesbench.store.models import Customer

    default: str | None = None
    if planner.options.customer is not None:  # a wrong one is told even if unused
        try:
            found = find(
                planner.session,
                Customer,
                planner.options.customer,
                label="customer",
                names=("name",),
            )
        except SalesbenchError as exc:
            raise BadInput(str(exc), field="--customer") from None
        default = str(found.id)
    orphans: list[im.Row] = []
    for row in rows:
        if any(row.refs.get(ref) for ref in SUBJECT_REFS):
            yield row
        elif default is None:
            orphans.append(row)
        else:
            row.refs["customer_id"] = default
            yield row
    if orphans:
        n = len(orphans)
        what = ("to-do", "to-dos") if planner.options.format == "ics" else ("row", "rows")
        planner.problem(
            orphans[0],
            None,
            f"{n:,} {what[n != 1]} name{'s' * (n == 1)} no customer (no customer, customer_id "
            "or customer_external_id): give --customer NAME (a customer's name, short id or "
            f"id) for {'them' if n != 1 else 'it'}",
        )
