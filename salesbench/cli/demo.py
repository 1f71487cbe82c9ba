"""`salesbench demo`: a realistic, reproducible data set to try everything on."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, store


def demo(
    customers: Annotated[int, typer.Option(min=1, max=1_000_000, help="How many customers.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 7,
    reps: Annotated[
        int | None,
        typer.Option(min=1, max=500, help="How many reps (default: one per 250 customers)."),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fill an empty database with demo reps, customers, opportunities, tasks and activities."""
    from dataclasses import asdict

    from salesbench.services.demo import generate

    opened = store(db)
    counts = generate(opened, customers=customers, seed=seed, now=clock().now(), reps=reps)
    if as_json:
        emit_json(asdict(counts))
        return
    typer.echo(
        f"demo data in {opened.location.display()}: "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in asdict(counts).items())
    )
    from salesbench.settings_env import launcher

    typer.echo(f"try: {launcher()} queue --rep rep1@demo.salesbench.dev")
