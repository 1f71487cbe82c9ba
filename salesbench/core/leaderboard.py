"""Ranks for the achievement leaderboard: ties share a rank, and the
caller's own row is shown even when it sits below the top."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from salesbench.core.i18n import N_

METRICS = {
    "amount": N_("Won amount"),
    "a_customers": N_("A customers"),
    "tasks": N_("Tasks done"),
}
GROUPS = ("rep", "team", "region", "branch")


@dataclass(frozen=True)
class Entry:
    key: str  # a rep id, or the team/region/branch name
    name: str
    value: int  # minor units for amounts


@dataclass(frozen=True)
class Place:
    rank: int
    entry: Entry
    mine: bool = False
    tied: bool = False


def rank(entries: Iterable[Entry], mine: str | None = None) -> list[Place]:
    """Standard competition ranking (1, 2, 2, 4): equal values share the better rank;
    within a tie, names in alphabetical order."""
    ordered = sorted(entries, key=lambda e: (-e.value, e.name.casefold(), e.key))
    counts: dict[int, int] = {}
    for e in ordered:
        counts[e.value] = counts.get(e.value, 0) + 1
    places: list[Place] = []
    for position, e in enumerate(ordered, start=1):
        current = places[-1].rank if places and places[-1].entry.value == e.value else position
        places.append(Place(current, e, e.key == mine, counts[e.value] > 1))
    return places


def board(places: list[Place], top: int) -> tuple[list[Place], Place | None]:
    """The first `top` places (and everyone tied with the last of them), and the
    caller's own place when it is not among them."""
    if not places:
        return [], None
    cut = top
    while cut < len(places) and places[cut].rank == places[cut - 1].rank and cut > 0:
        cut += 1
    shown = places[:cut]
    own = next((p for p in places[cut:] if p.mine), None)
    return shown, own
