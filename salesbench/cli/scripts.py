"""`salesbench script`: the words for the step, filled in and ready to paste."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, emit_json, emit_table, fail, store

if TYPE_CHECKING:
    from salesbench.core.playbook import Playbook

app = typer.Typer(help="List, show and render scripts.", no_args_is_help=True)
PlaybookOpt = Annotated[str, typer.Option("--playbook", "-p", help="Playbook key.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language, e.g. en or zh-CN.")]


def _playbook(db: str | None, key: str, lang: str) -> Playbook:
    from salesbench.services.playbooks import load_catalog

    return load_catalog(store(db)).get(key, lang)


@app.command("list")
def list_(
    playbook: PlaybookOpt,
    stage: Annotated[str | None, typer.Option(help="Only this stage's scripts.")] = None,
    lang: LangOpt = "en",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List a playbook's scripts."""
    pb = _playbook(db, playbook, lang)
    scripts = [s for s in pb.scripts if stage is None or s.stage == stage]
    if as_json:
        emit_json(
            [
                {"key": s.key, "title": s.title, "channel": s.channel, "stage": s.stage}
                for s in scripts
            ]
        )
        return
    emit_table(
        None,
        ["key", "title", "channel", "stage"],
        [(s.key, s.title, s.channel, s.stage) for s in scripts],
    )


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Script key.")],
    playbook: PlaybookOpt,
    lang: LangOpt = "en",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a script's template, placeholders and all."""
    pb = _playbook(db, playbook, lang)
    try:
        script = pb.script(key)
    except KeyError:
        from salesbench.core.errors import NotFound

        raise NotFound(f"no script {key!r} in {playbook}") from None
    if as_json:
        emit_json(
            {
                "key": script.key,
                "title": script.title,
                "channel": script.channel,
                "stage": script.stage,
                "body": script.body,
            }
        )
    else:
        typer.echo(f"{script.title} ({script.channel})\n\n{script.body}")


@app.command("render")
def render_(
    key: Annotated[
        str | None, typer.Argument(help="Script key (default: the stage's scripts).")
    ] = None,
    opp: Annotated[str, typer.Option("--opp", "-o", help="Opportunity to fill it in for.")] = "",
    contact: Annotated[
        str | None, typer.Option(help="Contact to address (default: the decision maker).")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    r"""Fill a script in for an opportunity; each missing value shows as \[missing: label]
    and the script is marked not ready to send."""
    from salesbench.services.scripts import scripts_for_opportunity

    if not opp:
        fail("say which opportunity to render for", field="--opp")
    _opp, rendered = scripts_for_opportunity(
        store(db), opp, contact_ref=contact, keys=[key] if key else None
    )
    if as_json:
        emit_json(
            [
                {
                    "key": r.script.key,
                    "title": r.script.title,
                    "text": r.rendered.text,
                    "missing": list(r.rendered.missing),
                    "sendable": r.sendable,
                    "missing_facts": list(r.not_ready),
                }
                for r in rendered
            ]
        )
        return
    if key:
        typer.echo(rendered[0].rendered.text)
        if not rendered[0].sendable:
            typer.echo(_not_ready(rendered[0].gaps), err=True)
        return
    for r in rendered:
        typer.echo(f"── {r.script.key}: {r.script.title}\n{r.rendered.text}\n")
        if not r.sendable:
            typer.echo(_not_ready(r.gaps) + "\n")


def _not_ready(labels: tuple[str, ...]) -> str:
    return f"(not ready to send: missing {', '.join(labels)}; fill it in first, e.g. `opp set`)"
