"""A sales mode's standards (how long a deal may take, what it needs) checked against
an opportunity, the mode an assessment score points to, and what a mode that
enforces its standards (`enforce = "block"`) holds back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from salesbench.core import labels
from salesbench.core.i18n import _, listed, n_
from salesbench.core.playbook import ModeDef, ModeVisit

# the fields each standard reads: a task completing on them waits while the standard
# is broken under `enforce = "block"` (the agreed price below the floor keeps the
# negotiation open)
STANDARD_FIELDS = {"price_floor": frozenset({"amount", "list_price"})}


@dataclass(frozen=True)
class Deviation:
    standard: str  # "time_box" | "visits" | "price_floor" | "team" | "score"
    message: str
    blocks: bool = False  # the mode enforces this standard


def check_mode(
    mode: ModeDef,
    *,
    opened_at: datetime,
    now: datetime,
    visits: int,
    amount: int | None,
    list_price: int | None,
    people: int | None = None,  # who worked on the deal; None: not known, not checked
    score: float | None = None,
    modes: Iterable[ModeDef] = (),
) -> list[Deviation]:
    """Where the deal breaks its mode's standards: past the time box, over the visit
    count, priced under the floor share of list price, run alone where the mode works
    as a team (from the second visit on: the first visit is the rep's alone), or
    assessed with a score that points to another of `modes`."""
    out: list[Deviation] = []
    block = mode.enforce == "block"
    if mode.max_days is not None:
        age = (now - opened_at).days
        if age > mode.max_days:
            out.append(
                Deviation(
                    "time_box",
                    n_(
                        "open {age} days; {mode} closes within {max} day",
                        "open {age} days; {mode} closes within {max} days",
                        mode.max_days,
                    ).format(age=age, mode=mode.name, max=mode.max_days),
                    block,
                )
            )
    if mode.max_visits is not None and visits > mode.max_visits:
        out.append(
            Deviation(
                "visits",
                _("{visits} visits; {mode} plans for {max}").format(
                    visits=visits, mode=mode.name, max=mode.max_visits
                ),
                block,
            )
        )
    if mode.min_price_ratio is not None and amount is not None and list_price:
        ratio = amount / list_price
        if ratio < mode.min_price_ratio:
            out.append(
                Deviation(
                    "price_floor",
                    _("price at {ratio} of list; {mode} keeps at least {floor}").format(
                        ratio=f"{ratio:.0%}", mode=mode.name, floor=f"{mode.min_price_ratio:.0%}"
                    ),
                    block,
                )
            )
    if mode.team and people is not None and visits >= 2 and people < 2:
        out.append(
            Deviation(
                "team",
                _(
                    "one person on the deal after {visits} visits; {mode} works as a team "
                    "(rep, advisor and manager)"
                ).format(visits=visits, mode=mode.name),
                block,
            )
        )
    suggested = suggest_mode(modes, score)
    if suggested is not None and suggested.key != mode.key and score is not None:
        out.append(
            Deviation(
                "score",
                _("assessment score {score} points to {suggested}, not {mode}").format(
                    score=f"{score:g}", suggested=suggested.name, mode=mode.name
                ),
            )
        )
    return out


def suggest_mode(modes: Iterable[ModeDef], score: float | None) -> ModeDef | None:
    """The first mode whose score range (`min_score`..`max_score`) holds the score."""
    if score is None:
        return None
    for mode in modes:
        if mode.min_score is None and mode.max_score is None:
            continue
        if (mode.min_score is None or score >= mode.min_score) and (
            mode.max_score is None or score <= mode.max_score
        ):
            return mode
    return None


def holding(deviations: Iterable[Deviation], fields: Iterable[str]) -> Deviation | None:
    """The enforced, broken standard that keeps a task completing on `fields` open."""
    wanted = set(fields)
    for d in deviations:
        if d.blocks and wanted & STANDARD_FIELDS.get(d.standard, frozenset()):
            return d
    return None


def programme(visits: Iterable[ModeVisit], done: int) -> list[str]:
    """The mode's visit programme as lines, the visits made ticked and the next one
    with its guidance: what `opp show` and the deal screen print."""
    lines: list[str] = []
    for n, visit in enumerate(visits, start=1):
        mark = "✓" if n <= done else "▶" if n == done + 1 else "·"
        who = listed(labels.label(labels.TEAM_ROLES, r) for r in visit.roles)
        lines.append(f"{mark} {n}. {visit.title} ({who})")
        if n == done + 1 and visit.guidance:
            lines += [f"     {line}" for line in visit.guidance.splitlines()]
    return lines
