"""`salesbench export`: spreadsheets, JSON, vCard and calendars out of the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, clock, fail, store

EXTENSIONS = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".vcf": "vcard",
    ".ics": "ics",
}


def export(
    kind: Annotated[
        str,
        typer.Argument(
            help="customers, contacts, opportunities, activities, tasks, complaints or reps "
            "(the first five import back kind by kind; complaints, reps and stage history "
            "only in a bundle); all: every table as one JSON bundle for `import all`."
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-F",
            help="csv, json, jsonl, xlsx; vcard (contacts); ics (tasks). "
            "Default: from --out's extension, else csv.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="File to write, readable by you only (default: standard output)."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only records changed on or after this date, YYYY-MM-DD.")
    ] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="Only this rep's records.")] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV with a byte-order mark, so Excel opens the Chinese right."
        ),
    ] = False,
    as_events: Annotated[
        bool, typer.Option("--as-events", help="ics: tasks as 30-minute events instead of to-dos.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out if it exists (else refused, exit 4).")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Export records; CSV cells that a spreadsheet would run as formulas are made plain text."""
    from salesbench.core.fields import iso_date
    from salesbench.io import export as ex
    from salesbench.io.private_files import check_target
    from salesbench.services.reps import rep_id

    fmt = format or (EXTENSIONS.get(out.suffix.lower()) if out else None) or "csv"
    if kind == "all":
        if format not in (None, "json"):
            fail("export all writes a JSON bundle: --format json")
        if since or rep:
            fail("export all is the whole database: --since and --rep do not apply")
        if out is not None:
            check_target(out, force=force)
        _export_all(db, out, force=force)
        return
    if fmt not in (*ex.FORMATS, "vcard", "ics"):
        fail(f"unknown format {fmt!r} (csv, json, jsonl, xlsx, vcard, ics)", field="--format")
    if fmt == "vcard" and kind != "contacts":
        fail("--format vcard is for contacts")
    if fmt == "ics" and kind != "tasks":
        fail("--format ics is for tasks")
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        fail("xlsx is a binary file: give --out FILE.xlsx")
    if out is not None:
        check_target(out, force=force)  # before any work: a folder, or a file kept
    try:
        day = iso_date(since) if since else None
    except ValueError as exc:
        fail(str(exc), field="--since")
    ex.check_kind(kind)
    source = store(db)
    owner_id = rep_id(source, rep) if rep is not None else None
    table = ex.read(source, kind, since=day, owner_id=owner_id)
    if fmt == "vcard":
        data = ex.to_vcard(table)
    elif fmt == "ics":
        data = ex.to_ics(table, as_events=as_events, zones=ex.rep_zones(source))
    elif fmt == "csv":
        data = ex.to_csv(table, excel=excel)
    else:
        data = ex.WRITERS[fmt](table)
    ex.write(data, out, force=force)
    if out is not None:
        count = ex.ics_count(table, as_events=as_events) if fmt == "ics" else len(table.rows)
        # "1 contact", "2 contacts": the kinds are plurals, their singular their table
        noun = kind if count != 1 else ex.SINGULAR.get(kind, kind)
        typer.echo(f"wrote {count:,} {noun} to {out}", err=True)


def _export_all(db: str | None, out: Path | None, *, force: bool = False) -> None:
    from salesbench.cli.progress import progress_bar
    from salesbench.io.private_files import private_output
    from salesbench.services.bundle import export_bundle

    target = store(db)
    with progress_bar() as advance:
        if out is None:
            from salesbench.cli.inert_output import raw_stdout

            # exact bytes into a pipe or file (a bundle must import back as it was); shown
            # inert only to a person at a terminal, as io.export.write does
            shown = sys.stdout if raw_stdout().isatty() else raw_stdout()
            counts = export_bundle(target, shown, advance, clock=clock())
        else:
            with private_output(out, "w", force=force) as handle:  # the whole customer base
                counts = export_bundle(target, handle, advance, clock=clock())
    if out is not None:
        typer.echo(
            f"wrote {sum(counts.values()):,} rows of {len(counts)} tables to {out}", err=True
        )
