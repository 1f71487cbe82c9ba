"""Win probabilities that explain themselves, so a forecast tells a rep what to do next.

A deal starts from its stage's base probability; each factor multiplies it and
says why: how much of the current stage's SOP is done, whether earlier stages
were skipped over, how recently anyone talked to the customer, the customer's
grade, and the standards of the deal's sales mode (a quick-knife deal past its
one-week box is not going to close as planned). With at least 30 closed deals
the raw figure is calibrated on them (Platt scaling), and a back-test reports
the Brier score of both, the calibrated one cross-validated so it cannot
flatter itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from salesbench.core.history import OppFact, StageBook, earlier_share, stage_share
from salesbench.core.i18n import N_, _
from salesbench.core.modes import check_mode
from salesbench.core.playbook import ModeDef

NO_STAGE_BASE = 0.2
FLOOR, CEILING = 0.01, 0.99
GRADE_FACTORS = {"A": 1.1, "B": 1.0, "C": 0.9}
MODE_PENALTY = 0.8
MIN_CLOSED = 30
FOLDS = 5
BACKTEST_HORIZON = timedelta(days=14)
# (at most this many days since the last contact, multiplier, label)
RECENCY = (
    (7, 1.0, N_("within a week")),
    (14, 0.9, N_("1-2 weeks ago")),
    (30, 0.75, N_("2-4 weeks ago")),
)
STALE = (0.6, N_("over 30 days ago"))
NEVER = 0.7
GRACE_DAYS = 7  # a new deal without a contact yet is not held against

ModeBook = Mapping[tuple[str, str], ModeDef]


class Factor(NamedTuple):
    key: str
    multiplier: float
    note: str


class Touch(NamedTuple):
    at: datetime
    channel: str


class Prediction(NamedTuple):
    opp: OppFact
    stage_name: str | None
    base: float
    factors: tuple[Factor, ...]
    raw: float
    calibrated: float | None = None

    @property
    def probability(self) -> float:
        return self.calibrated if self.calibrated is not None else self.raw

    @property
    def weighted(self) -> float:
        return (self.opp.amount or 0) * self.probability


def _clamp(p: float) -> float:
    return min(CEILING, max(FLOOR, p))


def _recency(touches: Sequence[Touch], opened: datetime, at: datetime) -> Factor:
    before = [t.at for t in touches if t.at < at]
    if not before:
        if (at - opened).days < GRACE_DAYS:
            return Factor("recency", 1.0, _("opened this week, no contact yet"))
        return Factor("recency", NEVER, _("no contact logged"))
    days = (at - max(before)).days
    for limit, multiplier, label in RECENCY:
        if days <= limit:
            return Factor("recency", multiplier, _last_contact(label, days))
    return Factor("recency", STALE[0], _last_contact(STALE[1], days))


def _last_contact(when: str, days: int) -> str:
    return _("last contact {when} ({days} d)").format(when=_(when), days=days)


def predict(
    opp: OppFact,
    at: datetime,
    stages: StageBook,
    modes: ModeBook,
    touches: Sequence[Touch] = (),
) -> Prediction:
    """The raw probability of `opp` winning, as it looked at `at`."""
    stage = opp.stage_at(at)
    fact = stages.get((opp.playbook or "", stage or ""))
    factors: list[Factor] = []
    if fact is None:
        base, stage_name = NO_STAGE_BASE, stage
    else:
        base, stage_name = fact.probability, fact.name
        progress = opp.progress_at(at)
        done = stage_share(progress, fact)
        factors.append(
            Factor(
                "stage_sop",
                round(0.8 + 0.4 * done, 4),
                _("{share} of {stage} done").format(share=f"{done:.0%}", stage=fact.name),
            )
        )
        earlier = earlier_share(progress, stages, fact)
        if earlier is not None:
            factors.append(
                Factor(
                    "earlier_sop",
                    round(0.85 + 0.15 * earlier, 4),
                    _("{share} of the earlier stages' tasks done").format(share=f"{earlier:.0%}"),
                )
            )
    factors.append(_recency(touches, opp.created_at, at))
    grade = opp.grade or ""
    factors.append(
        Factor(
            "grade",
            GRADE_FACTORS.get(grade, 0.95),
            _("grade {grade}").format(grade=grade) if grade else _("no grade"),
        )
    )
    mode = modes.get((opp.playbook or "", opp.mode or ""))
    if mode is not None:
        list_price = opp.custom.get("list_price")
        for deviation in check_mode(
            mode,
            opened_at=opp.created_at,
            now=at,
            visits=sum(1 for t in touches if t.channel == "visit" and t.at < at),
            amount=opp.amount,
            list_price=list_price if isinstance(list_price, int) else None,
        ):
            factors.append(Factor(f"mode_{deviation.standard}", MODE_PENALTY, deviation.message))
    raw = base
    for f in factors:
        raw *= f.multiplier
    return Prediction(opp, stage_name, base, tuple(factors), round(_clamp(raw), 4))


# ------------------------------------------------------------------ calibration


@dataclass(frozen=True)
class Calibration:
    """p' = σ(a·logit(p) + b), fitted on closed deals."""

    a: float
    b: float
    n: int

    def __call__(self, p: float) -> float:
        return round(_clamp(_sigmoid(self.a * _logit(p) + self.b)), 4)


def _logit(p: float) -> float:
    p = _clamp(p)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def _loss(a: float, b: float, xs: Sequence[float], ys: Sequence[int], ridge: float) -> float:
    total = ridge / 2 * ((a - 1) ** 2 + b**2)
    for x, y in zip(xs, ys, strict=True):
        z = a * x + b
        # log(1 + e^z) - y·z, written to stay finite for large |z|
        total += max(z, 0) + math.log1p(math.exp(-abs(z))) - y * z
    return total


def fit(pairs: Sequence[tuple[float, int]], ridge: float = 1.0) -> Calibration:
    """Platt scaling by damped Newton steps, pulled gently towards the identity
    (a=1, b=0) so a handful of closed deals cannot swing the forecast to 0 or 1."""
    a, b = 1.0, 0.0
    xs = [_logit(p) for p, _y in pairs]
    ys = [y for _p, y in pairs]
    loss = _loss(a, b, xs, ys, ridge)
    for _step in range(100):
        ga, gb = ridge * (a - 1), ridge * b
        haa, hab, hbb = ridge, 0.0, ridge
        for x, y in zip(xs, ys, strict=True):
            q = _sigmoid(a * x + b)
            w = q * (1 - q)
            ga += (q - y) * x
            gb += q - y
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-6:  # halve the step until the loss goes down
            trial = _loss(a - step * da, b - step * db, xs, ys, ridge)
            if trial <= loss:
                break
            step /= 2
        else:
            break
        a, b = a - step * da, b - step * db
        improved = loss - trial
        loss = trial
        if improved < 1e-10:
            break
    return Calibration(round(a, 6), round(b, 6), len(pairs))


def brier(pairs: Iterable[tuple[float, int]]) -> float:
    pairs = list(pairs)
    return sum((p - y) ** 2 for p, y in pairs) / len(pairs)


def as_of_for_backtest(opp: OppFact) -> datetime:
    """The moment a closed deal is judged at: two weeks before it closed, or halfway
    through its life when it lived less than four weeks."""
    assert opp.closed_at is not None
    life = opp.closed_at - opp.created_at
    return opp.closed_at - min(BACKTEST_HORIZON, life / 2)


@dataclass(frozen=True)
class Backtest:
    closed: int
    won: int
    brier_raw: float
    brier_calibrated: float
    folds: int
    calibration: Calibration


def outcomes(
    closed: Iterable[OppFact],
    stages: StageBook,
    modes: ModeBook,
    touches: Mapping[str, Sequence[Touch]],
) -> list[tuple[float, int]]:
    """(raw probability before closing, 1 if won) for each closed deal, in id order."""
    out = []
    for opp in sorted(closed, key=lambda o: o.id):
        if opp.closed_at is None or opp.status not in ("won", "lost"):
            continue
        at = as_of_for_backtest(opp)
        p = predict(opp, at, stages, modes, touches.get(opp.id, ())).raw
        out.append((p, 1 if opp.status == "won" else 0))
    return out


def backtest(pairs: Sequence[tuple[float, int]]) -> Backtest | None:
    """Brier scores of the raw and the calibrated probabilities; the calibrated one is
    scored on each fold by a calibration fitted on the other folds. None below 30."""
    if len(pairs) < MIN_CLOSED:
        return None
    held_out: list[tuple[float, int]] = []
    for k in range(FOLDS):
        train = [p for i, p in enumerate(pairs) if i % FOLDS != k]
        test = [p for i, p in enumerate(pairs) if i % FOLDS == k]
        calibration = fit(train)
        held_out += [(calibration(p), y) for p, y in test]
    return Backtest(
        closed=len(pairs),
        won=sum(y for _p, y in pairs),
        brier_raw=round(brier(pairs), 4),
        brier_calibrated=round(brier(held_out), 4),
        folds=FOLDS,
        calibration=fit(pairs),
    )


def calibrate(predictions: list[Prediction], calibration: Calibration | None) -> list[Prediction]:
    if calibration is None:
        return predictions
    return [
        Prediction(p.opp, p.stage_name, p.base, p.factors, p.raw, calibration(p.raw))
        for p in predictions
    ]


Month = tuple[str, str, int, int, float]


def by_month(predictions: Iterable[Prediction], team: str = "CNY") -> list[Month]:
    """(expected-close month, currency, deals, amount, weighted amount): one row per
    month and currency, never two currencies added up; months in order, the deals
    without a date last, the team's currency first within a month."""
    months: dict[tuple[str, str], list[float]] = {}
    for p in predictions:
        key = p.opp.expected_close[:7] if p.opp.expected_close else NO_DATE
        row = months.setdefault((key, p.opp.currency), [0, 0, 0.0])
        row[0] += 1
        row[1] += p.opp.amount or 0
        row[2] += p.weighted
    order = sorted(months, key=lambda k: (k[0] == NO_DATE, k[0], k[1] != team, k[1]))
    return [(m, c, int(months[m, c][0]), int(months[m, c][1]), months[m, c][2]) for m, c in order]


NO_DATE = N_("(no date)")  # a key in by_month's rows too: translated only where shown
_MONTH_NAMES = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def is_past(month: str, this_month: str) -> bool:
    """A close month ("2026-11") already over in the month `this_month` ("2026-12"):
    its deals were expected to close and did not, so they need a new date."""
    return month != NO_DATE and bool(this_month) and month < this_month


def month_label(month: str, this_month: str) -> str:
    """How a close month reads: "Dec 2026", and a past one "Nov 2026 (past: expected
    close passed)", so a lead never takes it for pipeline still to come."""
    if month == NO_DATE:
        return _(NO_DATE)
    year, number = month.split("-")
    name = _("{month} {year}").format(month=_(_MONTH_NAMES[int(number) - 1]), year=year)
    if is_past(month, this_month):
        return _("{month} (past: expected close passed)").format(month=name)
    return name


def totals(
    predictions: Iterable[Prediction], team: str = "CNY"
) -> list[tuple[str, int, int, float]]:
    """(currency, deals, amount, weighted amount) per currency, the team's first."""
    sums: dict[str, list[float]] = {}
    for p in predictions:
        row = sums.setdefault(p.opp.currency, [0, 0, 0.0])
        row[0] += 1
        row[1] += p.opp.amount or 0
        row[2] += p.weighted
    order = sorted(sums, key=lambda c: (c != team, c))
    return [(c, int(sums[c][0]), int(sums[c][1]), sums[c][2]) for c in order]
