"""`salesbench playbook`: SOPs as data: validate, list, show, import, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, emit_table, store

app = typer.Typer(help="Validate, list, show, import and export playbooks.", no_args_is_help=True)
LangOpt = Annotated[str, typer.Option("--lang", help="Language, e.g. en or zh-CN.")]


@app.command("validate")
def validate(files: Annotated[list[Path], typer.Argument(help="Playbook TOML files.")]) -> None:
    """Check playbook files; every problem is printed as FILE:LINE:COLUMN: message (exit 2).

    A script stating a fact no field holds, or an absolute claim, is printed as
    FILE:LINE:COLUMN: warning: ... and does not fail the check."""
    from salesbench.core.playbook_load import check_playbook
    from salesbench.core.script_claims import script_warnings
    from salesbench.services.playbooks import parse_toml

    failed = False
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"{path}:1:1: cannot read: {exc}", err=True)
            failed = True
            continue
        playbook, problems = check_playbook(text, parse_toml)
        for problem in problems:
            typer.echo(problem.format(str(path)), err=True)
        for warning in script_warnings(text, playbook) if playbook is not None else []:
            typer.echo(warning.format(str(path)), err=True)
        if playbook is not None:
            scripts = len(playbook.scripts)
            tasks = sum(len(s.tasks) for s in playbook.stages)
            typer.echo(
                f"{path}: ok ({playbook.key} {playbook.language} v{playbook.version}: "
                f"{len(playbook.stages)} stages, {tasks} tasks, {scripts} scripts)"
            )
        failed = failed or bool(problems)
    if failed:
        from salesbench.core.errors import BadInput

        raise typer.Exit(BadInput.exit_code)  # the problems are printed above, one a line


@app.command("list")
def list_(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List the playbooks you can use, bundled and imported."""
    from salesbench.services.playbooks import load_catalog

    catalog = load_catalog(store(db))
    rows = []
    for (key, lang), entry in sorted(catalog.entries.items()):
        pb = entry.playbook()
        rows.append(
            {
                "key": key,
                "language": lang,
                "name": pb.name,
                "version": pb.version,
                "source": entry.source,
                "stages": len(pb.stages),
                "scripts": len(pb.scripts),
            }
        )
    if as_json:
        emit_json(rows)
        return
    emit_table(
        None,
        ["key", "language", "name", "version", "source", "stages", "scripts"],
        [list(r.values()) for r in rows],
    )


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Playbook key.")],
    lang: LangOpt = "en",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a playbook's stages, tasks and the fields that complete them."""
    from salesbench.services.playbooks import load_catalog

    pb = load_catalog(store(db)).get(key, lang)
    if as_json:
        emit_json(
            {
                "key": pb.key,
                "name": pb.name,
                "language": pb.language,
                "version": pb.version,
                "stages": [
                    {
                        "key": s.key,
                        "name": s.name,
                        "probability": s.probability,
                        "rot_days": s.rot_days,
                        "gate": {"question": s.gate.question, "turnaround": s.gate.turnaround}
                        if s.gate
                        else None,
                        "tasks": [
                            {
                                "key": t.key,
                                "title": t.title,
                                "due": str(t.due or ""),
                                "complete_when": list(t.complete_when),
                                "scripts": list(t.scripts),
                            }
                            for t in s.tasks
                        ],
                    }
                    for s in pb.stages
                ],
                "modes": [m.key for m in pb.modes],
            }
        )
        return
    typer.echo(f"{pb.name} ({pb.key}, {pb.language}, v{pb.version})")
    for n, stage in enumerate(pb.stages, 1):
        typer.echo(f"\n{n}. {stage.name} [{stage.key}] {stage.probability:.0%}")
        for task in stage.tasks:
            when = (
                f" · completes with {', '.join(task.complete_when)}" if task.complete_when else ""
            )
            typer.echo(f"   - {task.title} ({task.due or 'no due'}){when}")
        if stage.gate:
            typer.echo(f"   ? {stage.gate.question}  (no → {stage.gate.turnaround})")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A playbook TOML file.")],
    db: DbOpt = None,
) -> None:
    """Validate a playbook and store it for the team (replacing an earlier import)."""
    from salesbench.services.playbooks import import_playbook

    pb = import_playbook(store(db), file, clock=clock())
    typer.echo(f"imported {pb.key} ({pb.language}) v{pb.version}")


@app.command("export")
def export(
    key: Annotated[str, typer.Argument(help="Playbook key.")],
    lang: LangOpt = "en",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Write a playbook's TOML, to start your own from it."""
    from salesbench.services.playbooks import load_catalog

    entry = load_catalog(store(db)).entry(key, lang)
    if out is None:
        typer.echo(entry.text, nl=False)
    else:
        if out.exists():
            from salesbench.core.errors import Conflict

            raise Conflict(f"{out} exists; choose another name or remove it first")
        out.write_text(entry.text, encoding="utf-8")
        typer.echo(f"wrote {out}")
