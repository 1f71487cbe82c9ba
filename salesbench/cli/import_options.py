"""The options of `salesbench import`, one place for their names and help."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salesbench.io.readers import format_help

FileArg = Annotated[Path, typer.Argument(help="The file to read.", show_default=False)]
FormatOpt = Annotated[str | None, typer.Option("--format", "-F", help=format_help())]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        help="Text encoding, e.g. gb18030 or cp1252 (default: detected, and said in the summary)."
    ),
]
DelimiterOpt = Annotated[
    str | None, typer.Option(help="CSV delimiter: , ; tab or | (default: sniffed from the file).")
]
SheetOpt = Annotated[str | None, typer.Option(help="XLSX: the sheet to read (default: the first).")]
PresetOpt = Annotated[
    str | None,
    typer.Option(
        help="Column names of an export from hubspot, salesforce or pipedrive "
        "(default: recognised from the header)."
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help='our_field="Their Header" (repeatable), for columns not recognised.'
    ),
]
SkipOpt = Annotated[
    list[str] | None, typer.Option("--skip", help="A column to ignore (repeatable).")
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Unknown columns are an error instead of custom fields.")
]
ModeOpt = Annotated[
    str,
    typer.Option(help="create (new records only), update (matched ones only) or upsert (both)."),
]
ConflictOpt = Annotated[
    str,
    typer.Option(
        "--on-conflict",
        help="With --mode create, a row that matches a stored record: "
        "skip it (reported), update the record, or fail the import.",
    ),
]
DuplicateOpt = Annotated[
    str,
    typer.Option(
        "--on-duplicate",
        help="A row that only resembles a stored record (same name, phone or email, no "
        "shared id): import it as a new record listed by `salesbench duplicates` (new), "
        "skip it, or update the look-alike (never renaming it).",
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Check everything and say what would change; write nothing."),
]
TimezoneOpt = Annotated[
    str | None,
    typer.Option(
        help="Timezone of times without an offset (default: the rep's, e.g. Asia/Shanghai)."
    ),
]
DateFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        help="How the file writes dates, e.g. %m/%d/%Y (default: ISO, "
        "2026/11/23 and 2026年11月23日 read too).",
    ),
]
DecimalOpt = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="The decimal separator of amounts: , or . (default: decided per column "
        "from its values; a column they leave undecided is refused).",
    ),
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency",
        help="The currency of amounts that name none (no currency column, no USD, $ or € "
        "in the cell); default: the team's, SALESBENCH_CURRENCY (CNY when unset).",
    ),
]
PlaybookOpt = Annotated[
    str | None,
    typer.Option(
        help="Opportunities: the playbook to put open deals on (their stage column is "
        "read against it, and each gets its stage's tasks)."
    ),
]

OwnerMapOpt = Annotated[
    Path | None,
    typer.Option(
        "--owner-map",
        help="A CSV of two columns: the file's owner (id or name), the rep (email or name).",
    ),
]
OwnerFallbackOpt = Annotated[
    str | None,
    typer.Option(
        "--owner-fallback",
        help="me: rows whose owner is no rep are yours (default: such a file is refused).",
    ),
]
StageMapOpt = Annotated[
    Path | None,
    typer.Option(
        "--stage-map",
        help="Opportunities: a CSV of two columns: the file's stage, the playbook's "
        "stage key (or won, lost, open).",
    ),
]
CustomerOpt = Annotated[
    str | None,
    typer.Option(
        "--customer",
        help="Tasks: the customer (name, short id or id) of the rows that name none, "
        "as to-dos from Apple Reminders, Thunderbird or Google Tasks.",
    ),
]
MaxSizeOpt = Annotated[
    str,
    typer.Option(
        "--max-size",
        help="The largest file an import reads, e.g. 2GB or 500MB; past it the import "
        "stops with an error (a pipe or /dev/zero too).",
    ),
]
