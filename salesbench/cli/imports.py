"""`salesbench import`: customers, contacts, deals, activities and tasks from files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    RepOpt,
    acting,
    clock,
    emit_json,
    emit_table,
    fail,
    settings,
    store,
)
from salesbench.cli.import_options import (
    ConflictOpt,
    CurrencyOpt,
    CustomerOpt,
    DateFormatOpt,
    DecimalOpt,
    DelimiterOpt,
    DryRunOpt,
    DuplicateOpt,
    EncodingOpt,
    FileArg,
    FormatOpt,
    MapOpt,
    MaxSizeOpt,
    ModeOpt,
    OwnerFallbackOpt,
    OwnerMapOpt,
    PlaybookOpt,
    PresetOpt,
    SheetOpt,
    SkipOpt,
    StageMapOpt,
    StrictOpt,
    TimezoneOpt,
)

app = typer.Typer(
    help="Import records from CSV, JSON, JSON Lines, XLSX or vCard; every import can be undone.",
    no_args_is_help=True,
)

SHOWN = 20


def _map_file(path: Path | None, option: str) -> dict[str, str]:
    from salesbench.core.import_sidefiles import read_map

    if path is None:
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        fail(f"{path}: no such file", field=option)
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start})", field=option)
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror})", field=option)
    return read_map(text, str(path), option)


def _currency_option(value: str | None) -> str | None:
    from salesbench.core.money import currency_code

    if value is None:
        return None
    try:
        return currency_code(value)
    except ValueError as exc:
        fail(str(exc), field="--currency")


def _make(kind: str, summary: str) -> Callable[..., None]:
    def command(
        file: FileArg,
        format: FormatOpt = None,
        encoding: EncodingOpt = None,
        delimiter: DelimiterOpt = None,
        sheet: SheetOpt = None,
        preset: PresetOpt = None,
        map: MapOpt = None,
        skip: SkipOpt = None,
        strict: StrictOpt = False,
        mode: ModeOpt = "create",
        on_conflict: ConflictOpt = "skip",
        on_duplicate: DuplicateOpt = "new",
        dry_run: DryRunOpt = False,
        timezone: TimezoneOpt = None,
        date_format: DateFormatOpt = None,
        decimal: DecimalOpt = None,
        currency: CurrencyOpt = None,
        playbook: PlaybookOpt = None,
        owner_map: OwnerMapOpt = None,
        owner_fallback: OwnerFallbackOpt = None,
        stage_map: StageMapOpt = None,
        customer: CustomerOpt = None,
        max_size: MaxSizeOpt = "1GB",
        rep: RepOpt = None,
        json: JsonOpt = False,
        db: DbOpt = None,
    ) -> None:
        from salesbench.cli.progress import progress_bar
        from salesbench.core.importing import parse_map, problem_report
        from salesbench.io.readers import READERS, ReadOptions, guess_format, read_sheet
        from salesbench.io.sheets import parse_size
        from salesbench.services.import_plan import ImportConflicts, ImportOptions, ImportProblems
        from salesbench.services.imports import import_sheet, paused_gc

        if playbook and kind != "opportunities":
            fail("--playbook is for opportunities")
        if decimal not in (None, ",", "."):
            fail(f"is , or . (got {decimal!r})", field="--decimal")
        if owner_fallback not in (None, "me"):
            fail(f"is me (got {owner_fallback!r})", field="--owner-fallback")
        if stage_map and kind != "opportunities":
            fail("--stage-map is for opportunities")
        if customer is not None and kind != "tasks":
            fail("--customer is for tasks")
        owners, stages = _map_file(owner_map, "--owner-map"), _map_file(stage_map, "--stage-map")
        read = ReadOptions(format, encoding, delimiter, sheet, parse_size(max_size))
        if encoding is not None:
            from salesbench.io.encodings import given_encoding

            given_encoding(encoding)  # refused before anything is read
        fmt = guess_format(file, format)
        if (kinds := READERS[fmt].kinds) and kind not in kinds:
            fail(f"{fmt} files hold {kinds[0]}: use `salesbench import {kinds[0]}`")
        options = ImportOptions(
            kind=kind,
            mode=mode,
            on_conflict=on_conflict,
            on_duplicate=on_duplicate,
            preset=preset,
            mapping=parse_map(map or []),
            skip=list(skip or []),
            strict=strict,
            dry_run=dry_run,
            rep=acting(rep, db),
            timezone=timezone,
            date_format=date_format,
            decimal=decimal,
            currency=_currency_option(currency),
            default_currency=settings().currency,
            playbook=playbook,
            format=fmt,
        )
        options.owner_map = owners
        options.owner_fallback = owner_fallback
        options.stage_map = stages
        options.customer = customer
        target = store(db)
        try:
            with paused_gc():
                parsed = read_sheet(file, read)
                with progress_bar() as advance:
                    report = import_sheet(
                        target,
                        parsed,
                        options,
                        now=clock().now(),
                        progress=advance,
                        waiting=lambda line: typer.echo(line, err=True),
                    )
                del parsed  # 100,000 rows of cells go now, while the collector rests
        except (ImportProblems, ImportConflicts) as exc:
            for line in problem_report(exc.problems):
                typer.echo(line, err=True)
            raise  # reported with its exit code, like every error
        report.notes[:0] = read.notes
        if json:
            emit_json(report.as_dict())
        else:
            _print(report)

    command.__doc__ = summary
    return command


# (one, many) by table, in the order a summary names them
_NAMES = {
    "customer": ("customer", "customers"),
    "contact": ("contact", "contacts"),
    "contact_point": ("phone or email", "phones and emails"),
    "address": ("address", "addresses"),
    "opportunity": ("opportunity", "opportunities"),
    "activity": ("activity", "activities"),
    "task": ("task", "tasks"),
}


def _counts(counts: dict[str, int]) -> str:
    """`3 customers, 3 contacts, 5 phones and emails`, always in that order: the counts
    come back from PostgreSQL's jsonb with their keys in its own order."""
    order = list(_NAMES)
    tables = sorted(counts, key=lambda t: (order.index(t) if t in order else len(order), t))
    return ", ".join(
        f"{counts[t]:,} {_NAMES.get(t, (t, t))[counts[t] != 1]}" for t in tables if counts[t]
    )


def _print(report: Any) -> None:
    verb = "would create" if report.dry_run else "created"
    parts = []
    if report.created:
        parts.append(f"{verb} {_counts(report.created)}")
    if report.updated:
        parts.append(f"{'would update' if report.dry_run else 'updated'} {_counts(report.updated)}")
    parts.append(f"{report.unchanged:,} unchanged")
    parts.append(f"{len(report.skipped):,} skipped")
    if report.duplicates:
        n = len(report.duplicates)
        parts.append(f"{n:,} possible duplicate{'s' * (n != 1)}")
    echo = typer.echo
    echo(f"{report.source}: " + "; ".join(parts))
    for note in report.notes:
        echo(f"  note: {note}")
    if report.preset:
        echo(f"  read as a {report.preset} export (--preset to choose another)")
    if report.custom_columns:
        echo(f"  kept as custom fields: {', '.join(report.custom_columns)}")
    if report.skipped_columns:
        echo(f"  ignored: {', '.join(report.skipped_columns)}")
    for label, items in (("skipped", report.skipped), ("possible duplicate", report.duplicates)):
        for line, reason in items[:SHOWN]:
            echo(f"  {report.source}:{line}: {label}: {reason}")
        if len(items) > SHOWN:
            echo(f"  … and {len(items) - SHOWN:,} more {label} rows")
    if report.duplicates and not report.dry_run:
        echo("  possible duplicates are kept apart: review them with `salesbench duplicates`")
    if report.dry_run:
        echo("  dry run: nothing was written")
    elif report.batch_id:
        from salesbench.core.ids import short_id

        short = short_id(report.batch_id)
        echo(f"  batch {short}: take it back with `salesbench import undo {short}`")


for _kind, _summary in (
    ("customers", "Import customers; columns for a contact (name, phone, email) add one too."),
    (
        "contacts",
        "Import contacts; a company not yet stored is created (a person alone becomes "
        "a retail customer).",
    ),
    (
        "opportunities",
        "Import opportunities (deals); Closed Won/Lost close them on their close date.",
    ),
    ("activities", "Import follow-up records (visits, calls, ...) of stored customers."),
    ("tasks", "Import tasks of stored customers or opportunities."),
):
    app.command(_kind)(_make(_kind, _summary))


@app.command("all")
def import_all(
    file: FileArg,
    max_size: MaxSizeOpt = "1GB",
    db: DbOpt = None,
) -> None:
    """Load an `export all` bundle into an empty database: same ids, same values."""
    from salesbench.cli.progress import progress_bar
    from salesbench.io.json_limits import read_utf8
    from salesbench.io.sheets import parse_size
    from salesbench.services.bundle import import_bundle

    text = read_utf8(file, parse_size(max_size))
    with progress_bar() as advance:
        counts = import_bundle(
            store(db),
            text,
            str(file),
            progress=advance,
            waiting=lambda line: typer.echo(line, err=True),
        )
    typer.echo(
        f"{file}: imported {sum(counts.values()):,} rows "
        f"({', '.join(f'{n:,} {t}' for t, n in counts.items() if n)})"
    )


@app.command("history")
def import_history(
    limit: Annotated[int, typer.Option(help="Show at most this many batches.")] = 50,
    json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """The import batches, newest first, with what each created and updated."""
    from salesbench.services.import_batches import history

    batches = history(store(db), limit)
    if json:
        emit_json(batches)
        return
    if not batches:
        typer.echo("no imports yet")
        return
    emit_table(
        None,
        ["batch", "imported", "kind", "file", "created", "updated", "undone"],
        [
            [
                b["batch"],
                f"{b['imported_at']:%Y-%m-%d %H:%M}",
                b["kind"],
                b["source"],
                _counts(b["created"]),
                _counts(b["updated"])
                + (f" (deleted {_counts(b['deleted'])})" * bool(b["deleted"])),
                f"{b['undone_at']:%Y-%m-%d %H:%M}" if b["undone_at"] else "",
            ]
            for b in batches
        ],
    )


@app.command("undo")
def import_undo(
    batch: Annotated[str, typer.Argument(help="The batch id (its first 8 characters will do).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOpt = None,
) -> None:
    """Take an import back: delete what it created, restore what it updated."""
    import sys

    from salesbench.services.import_batches import undo

    if not yes:
        if not sys.stdin.isatty():
            fail("undo deletes records: give --yes to confirm")
        typer.confirm(f"Undo import batch {batch}?", abort=True)
    report = undo(store(db), batch, clock=clock())
    deleted = _counts(report.deleted) or "nothing"
    restored = _counts(report.restored) or "nothing"
    typer.echo(f"undid batch {report.batch}: deleted {deleted}; restored {restored}")
