"""When a stage's SOP is done: one rule for the engine (what `opp move` and the
workbench say) and for the reports (how much of a stage was done at a past moment).

Every required task of the stage counts, created or not, and so does every task a gate
opened there (a turnaround's) while it is not done. Only done counts: a skipped task is
still open for the stage."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

DONE = "done"
FINISHING = (DONE,)  # the statuses that finish a task for its stage: never skipped
STILL_OPEN = ("open", "snoozed")


def counts_as_done(status: str) -> bool:
    """A task's status that finishes it for the stage: done, never skipped."""
    return status in FINISHING


def _keys_in(by_status: Mapping[str, Collection[str]], statuses: Sequence[str]) -> Collection[str]:
    """The keys with a copy in any of `statuses`; not a copy when one status is asked."""
    if len(statuses) == 1:
        return by_status.get(statuses[0], ())
    found: set[str] = set()
    for status in statuses:
        found.update(by_status.get(status, ()))
    return found


def done_keys(by_status: Mapping[str, Collection[str]]) -> Collection[str]:
    """The task keys with a copy that is done, of `by_status` (per status, the keys
    with a copy in that status)."""
    return _keys_in(by_status, FINISHING)


def stage_tally(
    required: Iterable[str],
    gate: Collection[str],
    by_status: Mapping[str, Collection[str]],
) -> tuple[list[str], list[str]]:
    """The task keys that count for the stage, and those of them finished.
    `by_status` holds, per status, the keys of the stage's tasks with a copy in it."""
    needed = list(dict.fromkeys(required))
    keys = list(needed)
    opened = set().union(*by_status.values()) if gate else ()
    for key in gate:
        # a gate's task counts once opened, until every copy of it is done
        if key in opened and key not in keys:
            keys.append(key)
    done = done_keys(by_status)
    still_open = _keys_in(by_status, STILL_OPEN)
    plain = set(needed)
    finished = [
        key
        for key in keys
        if key in done and (key in plain or key not in gate or key not in still_open)
    ]
    return keys, finished


def keys_by_status(statuses: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """`by_status` from (task key, status) pairs, one per copy of a task."""
    out: dict[str, set[str]] = {}
    for key, status in statuses:
        out.setdefault(status, set()).add(key)
    return out
