"""When a stage's SOP is done: one rule for the engine (what `opp move` and the
workbench say) and for the reports (how much of a stage was done at a past moment).

Every required task of the stage counts, created or not, and so does every task a gate
opened there (a turnaround's) while it is not done. Only done counts: a skipped task is
still open for the stage."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

DONE = "done"
STILL_OPEN = frozenset({"open", "snoozed"})


def counts_as_done(status: str) -> bool:
    """A task's status that finishes it for the stage: done, never skipped."""
    return status == DONE


def stage_tally(
    required: Iterable[str],
    gate: Collection[str],
    statuses: Mapping[str, Collection[str]],
) -> tuple[list[str], list[str]]:
    """The task keys that count for the stage, and those of them finished.
    `statuses` holds, per task key, the statuses of its copies in the stage."""
    needed = list(dict.fromkeys(required))
    keys = list(needed)
    for key in gate:
        # a gate's task counts once opened, until every copy of it is done
        if key in statuses and key not in keys:
            keys.append(key)
    finished = []
    for key in keys:
        seen = statuses.get(key, ())
        gate_task = key in gate and key not in needed
        if any(counts_as_done(s) for s in seen) and not (
            gate_task and any(s in STILL_OPEN for s in seen)
        ):
            finished.append(key)
    return keys, finished
