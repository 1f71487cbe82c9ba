"""`salesbench tui`: the workbench (also what `salesbench` opens on a terminal)."""

from __future__ import annotations

from salesbench.cli.common import DbOpt, RepOpt, clock, named, settings


def tui(rep: RepOpt = None, db: DbOpt = None) -> None:
    """Open the workbench: the queue, the task panel, scripts one key away."""
    from salesbench.tui import memory

    memory.starting()  # before Textual is imported: its imports make no garbage either
    from salesbench.tui.app import run_tui

    run_tui(db, clock=clock(), rep=named(rep), language=settings().language)
