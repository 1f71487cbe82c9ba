"""A progress bar on stderr for long imports and exports, when a person is watching."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PROGRESS_ENV = "SALESBENCH_PROGRESS"  # 1 forces the bar (for tmux checks), 0 silences it

Advance = Callable[[str, int, int], None]


def wanted() -> bool:
    forced = os.environ.get(PROGRESS_ENV)
    if forced in ("0", "1"):
        return forced == "1"
    return sys.stderr.isatty()


@contextmanager
def progress_bar() -> Iterator[Advance | None]:
    """Yields advance(phase, n, total), or None when stderr is not a terminal."""
    if not wanted():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )

    from salesbench.cli.inert_output import raw_stderr

    console = Console(file=raw_stderr(), force_terminal=True)  # its own codes must pass
    with Progress(
        TextColumn("{task.description:>10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(phase: str, n: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.advance(tasks[phase], n)

        yield advance
