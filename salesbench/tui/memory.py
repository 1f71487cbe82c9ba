"""Garbage collection for the workbench, a process that starts big and then lives all day.

Python's cyclic collector walks every tracked object on each full collection. After
Textual, the queue and (in the warm-up) SQLAlchemy are loaded, that is hundreds of
thousands of objects that live as long as the process: a full collection took 0.16 to
0.2 s, landed on a cursor move or the first paint, and ran eight times in a minute of
use (1.8 s in all, measured with gc.callbacks under scripts/tui_paint.py). So the
collector waits while the workbench starts, and what start-up made is then frozen out
of its walks (gc.freeze, made for this); it still collects whatever comes after.
"""

from __future__ import annotations

import gc


def starting() -> None:
    """From the app's construction to the end of its warm-up: nothing made at start-up
    is garbage worth a walk, and a walk then delays the first paint."""
    gc.disable()


def started() -> None:
    """Start-up is over (queue shown, database layer loaded): keep its objects out of
    every later collection and collect again."""
    gc.freeze()
    gc.enable()


def stopped() -> None:
    """The app is gone (tests make many in one process): its objects may be collected
    again like any others."""
    gc.unfreeze()
    gc.enable()
