"""Reading the facts reports are computed from: plain SQL on the fast read path, the
figures themselves in salesbench.core (weekly, leaderboard, forecast)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from salesbench.core import weekly
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.history import MoveFact, OppFact, StageFact, StepFact
from salesbench.core.periods import Period, current, parse_week
from salesbench.core.playbook import DEFAULT_CADENCE_DAYS, ModeDef, Playbook
from salesbench.core.workday import zone
from salesbench.store.raw import (
    Rows,
    hex_id,
    id_list,
    imported_playbooks,
    reading,
    skip_index,
    to_dt,
)

TZ_ENV = "SALESBENCH_TIMEZONE"


@dataclass
class Scope:
    """Whose figures a report shows, and the timezone its weeks are cut in."""

    reps: list[weekly.RepFact]
    label: str
    timezone: str
    language: str
    me: str | None = None  # the caller's rep id, when known
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {r.id for r in self.reps}

    def rep(self, rep_id: str) -> weekly.RepFact | None:
        return next((r for r in self.reps if r.id == rep_id), None)


def _find_rep(rows: list[dict[str, Any]], ref: str) -> dict[str, Any]:
    wanted = ref.strip().casefold()
    prefix = wanted.replace("-", "")
    found = [
        r
        for r in rows
        if wanted in (r["email"].casefold(), r["name"].casefold())
        or (len(prefix) >= 4 and hex_id(r["id"]).startswith(prefix))
    ]
    if not found:
        raise NotFound(f"no rep matches {ref!r}")
    if len(found) > 1:
        raise BadInput(f"{ref!r} matches several reps; give more of the id or the email")
    return found[0]


def load_scope(
    rows: Rows,
    *,
    rep: str | None = None,
    team: str | None = None,
    region: str | None = None,
    branch: str | None = None,
    timezone: str | None = None,
    me: str | None = None,
) -> Scope:
    every = rows.all(
        "SELECT id, name, email, team, region, branch, timezone, language FROM rep ORDER BY name"
    )
    if not every:
        from salesbench.core.errors import no_rep_yet

        raise no_rep_yet()
    chosen = every
    label = "all reps"
    if rep is not None:
        chosen = [_find_rep(every, rep)]
        label = f"rep {chosen[0]['name']}"
    for level, value in (("team", team), ("region", region), ("branch", branch)):
        if value is None:
            continue
        chosen = [r for r in chosen if (r[level] or "").casefold() == value.casefold()]
        if not chosen:
            known = sorted({r[level] for r in every if r[level]})
            raise NotFound(f"no rep in {level} {value!r} (known: {', '.join(known) or 'none'})")
        label = f"{level} {chosen[0][level]}"

    notes: list[str] = []
    zones = Counter(r["timezone"] for r in chosen)
    if timezone is None:
        timezone = os.environ.get(TZ_ENV) or None
    if timezone is None:
        timezone = zones.most_common(1)[0][0]
        if len(zones) > 1:
            notes.append(
                f"reps work in {len(zones)} timezones; weeks are cut in {timezone} "
                "(choose with --timezone)"
            )
    try:
        zone(timezone)
    except ValueError as exc:
        raise BadInput(str(exc), field="timezone") from None
    languages = Counter(r["language"] for r in chosen)

    me_id = None
    ref = me or os.environ.get("SALESBENCH_REP")
    if ref:
        try:
            me_id = hex_id(_find_rep(every, ref)["id"])
        except (NotFound, BadInput):
            me_id = None
    elif len(every) == 1:
        me_id = hex_id(every[0]["id"])
    reps = [
        weekly.RepFact(hex_id(r["id"]), r["name"], r["team"], r["region"], r["branch"])
        for r in chosen
    ]
    return Scope(reps, label, timezone, languages.most_common(1)[0][0], me_id, notes)


@dataclass
class Books:
    """Stage and mode facts of the playbooks in use, in the report's language."""

    stages: dict[tuple[str, str], StageFact] = field(default_factory=dict)
    modes: dict[tuple[str, str], ModeDef] = field(default_factory=dict)
    cadence: dict[str, dict[str, int]] = field(default_factory=dict)


def load_books(rows: Rows, keys: Iterable[str | None], language: str) -> Books:
    from salesbench.services.playbooks import Catalog

    catalog = Catalog(imported_playbooks(rows))
    books = Books()
    for key in sorted({k for k in keys if k}):
        try:
            pb: Playbook = catalog.get(key, language)
        except NotFound:
            continue
        for index, s in enumerate(pb.stages):
            required = frozenset(t.key for t in s.tasks if t.required)
            books.stages[(key, s.key)] = StageFact(
                key, s.key, s.name, index, s.probability, required
            )
        for m in pb.modes:
            books.modes[(key, m.key)] = m
        books.cadence[key] = dict(pb.cadence_days)
    return books


def _custom(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        loaded = json.loads(value)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


OPP_COLUMNS = """o.id, o.owner_id, o.customer_id, o.title, o.amount, o.status, o.created_at,
o.closed_at, o.lost_reason, o.playbook_key, o.stage_key, o.mode, o.expected_close, c.grade,
c.name AS customer_name"""


def _opp(
    r: dict[str, Any], moves: dict[str, list[MoveFact]], steps: dict[str, list[StepFact]]
) -> OppFact:
    oid = hex_id(r["id"])
    close = r["expected_close"]
    return OppFact(
        id=oid,
        rep=hex_id(r["owner_id"]),
        customer=hex_id(r["customer_id"]),
        title=r["title"],
        amount=r["amount"],
        status=r["status"],
        created_at=to_dt(r["created_at"]),  # type: ignore[arg-type]
        closed_at=to_dt(r["closed_at"]),
        lost_reason=r["lost_reason"],
        playbook=r["playbook_key"],
        stage=r["stage_key"],
        mode=r["mode"],
        expected_close=str(close)[:10] if close else None,
        grade=r["grade"],
        moves=tuple(moves.get(oid, ())),
        steps=tuple(steps.get(oid, ())),
        custom=_custom(r["custom"]) if "custom" in r.keys() else {},  # noqa: SIM118 (sqlite3.Row)
        customer_name=r["customer_name"],
    )


def _moves(rows: Rows, where: str, **params: Any) -> dict[str, list[MoveFact]]:
    out: dict[str, list[MoveFact]] = {}
    for r in rows.all(
        "SELECT m.opportunity_id, m.rep_id, m.from_stage, m.to_stage, m.via, m.moved_at "
        f"FROM stage_move m WHERE {where} ORDER BY m.moved_at, m.id",
        **params,
    ):
        out.setdefault(hex_id(r["opportunity_id"]), []).append(
            MoveFact(
                to_dt(r["moved_at"]), hex_id(r["rep_id"]), r["from_stage"], r["to_stage"], r["via"]
            )  # type: ignore[arg-type]
        )
    return out


STEP_SQL = """SELECT t.opportunity_id, t.stage_key, t.origin, t.completed_at
FROM {source} JOIN opportunity o ON o.id = t.opportunity_id
WHERE t.origin_kind = 'playbook' AND t.status IN ('done', 'skipped')
AND t.completed_at IS NOT NULL AND {where}"""
# Tasks of the stages deals left since :since, found from the moves (an index lookup
# per move) rather than by a subquery per task.
LEFT_STAGES = (
    "stage_move m JOIN task t ON t.opportunity_id = m.opportunity_id "
    "AND t.stage_key = m.from_stage AND m.moved_at >= :since"
)


def _steps(
    rows: Rows, where: str, source: str = "task t", **params: Any
) -> dict[str, list[StepFact]]:
    out: dict[str, list[StepFact]] = {}
    for r in rows.each(STEP_SQL.format(source=source, where=where), **params):
        out.setdefault(hex_id(r["opportunity_id"]), []).append(
            StepFact(r["stage_key"], r["origin"], to_dt(r["completed_at"]))  # type: ignore[arg-type]
        )
    return out


# ------------------------------------------------------------------ weekly


def resolve_week(week: str | None, now: datetime, tz: str) -> Period:
    return parse_week(week, tz) if week else current("week", now, tz)


def load_weekly(
    db: str | None,
    *,
    now: datetime,
    week: str | None = None,
    rep: str | None = None,
    team: str | None = None,
    region: str | None = None,
    branch: str | None = None,
    timezone: str | None = None,
) -> tuple[weekly.WeeklyReport, Scope]:
    with reading(db) as rows:
        scope = load_scope(
            rows, rep=rep, team=team, region=region, branch=branch, timezone=timezone
        )
        period = resolve_week(week, now, scope.timezone)
        facts = _weekly_facts(rows, scope, period, now)
    report = weekly.weekly_report(facts, period, now, scope.label)
    return report, scope


def _weekly_facts(rows: Rows, scope: Scope, period: Period, now: datetime) -> weekly.WeeklyFacts:
    previous = period.previous()
    end, prev_start = period.end, previous.start
    owners, params = id_list(scope.ids, rows, "r")
    ts = rows.ts
    opp_rows = list(
        rows.each(
            f"SELECT {OPP_COLUMNS} FROM opportunity o JOIN customer c ON c.id = o.customer_id "
            f"WHERE o.owner_id IN {owners} AND o.created_at < :end "
            "AND (o.status = 'open' OR o.closed_at >= :trend)",
            end=ts(end),
            trend=ts(weekly.trend_start(period)),
            **params,
        )
    )
    books = load_books(rows, (r["playbook_key"] for r in opp_rows), scope.language)
    longest = max(
        [*DEFAULT_CADENCE_DAYS.values(), *(d for c in books.cadence.values() for d in c.values())]
    )
    since = min(weekly.trend_start(period), min(previous.end, now) - timedelta(days=longest))

    recent = (
        "m.moved_at >= :since AND m.opportunity_id IN "
        f"(SELECT id FROM opportunity WHERE owner_id IN {owners})"
    )
    moves = _moves(rows, recent, since=ts(prev_start), **params)
    open_then = (
        f"o.owner_id IN {owners} AND o.created_at < :end "
        "AND (o.status = 'open' OR o.closed_at >= :prev_end)"
    )
    window = {"end": ts(end), "prev_end": ts(previous.end), **params}
    # the stage at either week's end: the current one, or one left since
    steps = _steps(rows, f"{open_then} AND t.stage_key = o.stage_key", **window)
    for oid, left in _steps(rows, open_then, LEFT_STAGES, since=ts(prev_start), **window).items():
        steps.setdefault(oid, []).extend(left)
    opps = [_opp(r, moves, steps) for r in opp_rows]

    activities = [
        weekly.ActivityFact(
            hex_id(r["owner_id"]), hex_id(r["customer_id"]), r["channel"], to_dt(r["started_at"])
        )  # type: ignore[arg-type]
        for r in rows.each(
            "SELECT owner_id, customer_id, channel, started_at FROM activity "
            "WHERE started_at >= :since AND started_at < :until",
            since=ts(since),
            until=ts(end + weekly.THANK_WITHIN),
        )
    ]
    tasks = [
        weekly.TaskFact(
            hex_id(r["owner_id"]),
            r["status"],
            to_dt(r["created_at"]),
            to_dt(r["due_at"]),
            to_dt(r["completed_at"]),
            hex_id(r["customer_id"]) if r["customer_id"] is not None else None,
            r["origin"],
        )
        for r in rows.each(
            # the customer only where a rule needs it, the creation time only where
            # the task can be overdue: most rows need neither, and skip their parsing
            "SELECT t.owner_id, t.status, t.due_at, t.completed_at, t.origin, "
            "CASE WHEN t.due_at < :as_of THEN t.created_at END AS created_at, "
            "CASE WHEN t.origin IN ('cadence', 'visit_thanks') THEN COALESCE(t.customer_id, "
            "(SELECT o.customer_id FROM opportunity o WHERE o.id = t.opportunity_id)) "
            "END AS customer_id FROM task t "
            "WHERE t.completed_at >= :recent "
            "OR (t.origin = 'cadence' AND t.completed_at >= :since) "
            f"OR (t.status IN ('open', 'snoozed') AND t.due_at < :as_of "
            f"AND t.owner_id IN {owners})",
            recent=ts(prev_start),
            since=ts(since),
            as_of=ts(min(end, now)),
            **params,
        )
    ]
    older = weekly.trend_weeks(period)[:-2]
    cases = " ".join(f"WHEN completed_at < :w{n} THEN '{w.label}'" for n, w in enumerate(older))
    plus = skip_index(rows)
    earlier_done = {
        (hex_id(r["owner_id"]), r["week"]): r["n"]
        for r in rows.each(
            f"SELECT owner_id, CASE {cases} END AS week, count(*) AS n FROM task "
            # on the completed_at index: a few weeks of rows, not every task of the reps
            f"WHERE {plus}status = 'done' AND completed_at >= :trend AND completed_at < :recent "
            f"AND {plus}owner_id IN {owners} GROUP BY owner_id, week",
            trend=ts(older[0].start),
            recent=ts(prev_start),
            **{f"w{n}": ts(w.end) for n, w in enumerate(older)},
            **params,
        )
    }
    complaints = [
        weekly.ComplaintFact(
            hex_id(r["owner_id"]),
            to_dt(r["received_at"]),  # type: ignore[arg-type]
            to_dt(r["responded_at"]),
            to_dt(r["resolved_at"]),
        )
        for r in rows.all(
            "SELECT owner_id, received_at, responded_at, resolved_at FROM complaint "
            f"WHERE received_at >= :since AND received_at < :end AND owner_id IN {owners}",
            since=ts(prev_start),
            end=ts(end),
            **params,
        )
    ]
    cadence = _cadence_by_customer(opps, books)
    customers = [
        weekly.CustomerFact(
            cid := hex_id(r["id"]),
            hex_id(r["owner_id"]),
            r["grade"],
            r["status"],
            to_dt(r["created_at"]),  # type: ignore[arg-type]
            cadence.get(cid, DEFAULT_CADENCE_DAYS).get(r["grade"], DEFAULT_CADENCE_DAYS["C"]),
        )
        for r in rows.all(
            "SELECT id, owner_id, grade, status, created_at FROM customer "
            f"WHERE status = 'active' AND grade IS NOT NULL AND owner_id IN {owners}",
            **params,
        )
    ]
    return weekly.WeeklyFacts(
        scope.reps,
        activities,
        tasks,
        opps,
        complaints,
        customers,
        books.stages,
        earlier_done,  # type: ignore[arg-type]
    )


def _cadence_by_customer(opps: list[OppFact], books: Books) -> dict[str, dict[str, int]]:
    """The strictest cadence among the playbooks of a customer's open deals, as the
    queue uses it."""
    out: dict[str, dict[str, int]] = {}
    for o in opps:
        days = books.cadence.get(o.playbook or "")
        if days is None or o.status != "open":
            continue
        have = out.get(o.customer, {})
        out[o.customer] = {g: min(have.get(g, d), d) for g, d in days.items()}
    return out


# ------------------------------------------------------------------ leaderboard


@dataclass
class Leaderboard:
    metric: str
    group: str
    period: Period
    scope: Scope
    places: list[Any]  # core.leaderboard.Place, best first
    shown: list[Any]
    own: Any | None
    mine: str | None  # the key of the caller's row


def _metric_by_rep(rows: Rows, metric: str, period: Period) -> dict[str, int]:
    window = {"start": rows.ts(period.start), "end": rows.ts(period.end)}
    if metric == "amount":
        sql = (
            "SELECT owner_id, sum(COALESCE(amount, 0)) AS v FROM opportunity WHERE status = 'won' "
            "AND closed_at >= :start AND closed_at < :end GROUP BY owner_id"
        )
    elif metric == "tasks":
        sql = (
            "SELECT owner_id, count(*) AS v FROM task WHERE completed_at >= :start "
            "AND completed_at < :end AND status = 'done' GROUP BY owner_id"
        )
    else:  # a_customers: the book at the end of the period, whatever the period
        sql = (
            "SELECT owner_id, count(*) AS v FROM customer WHERE grade = 'A' "
            "AND status != 'closed' AND created_at < :end GROUP BY owner_id"
        )
    return {hex_id(r["owner_id"]): int(r["v"] or 0) for r in rows.all(sql, **window)}


def load_leaderboard(
    db: str | None,
    *,
    now: datetime,
    metric: str = "amount",
    group: str = "rep",
    period: str = "month",
    at: str | None = None,
    me: str | None = None,
    top: int = 10,
    timezone: str | None = None,
) -> Leaderboard:
    from salesbench.core import leaderboard as lb
    from salesbench.core.periods import PERIOD_KINDS, parse_period

    if metric not in lb.METRICS:
        raise BadInput(f"unknown measure {metric!r} (expected {', '.join(lb.METRICS)})", field="by")
    if group not in lb.GROUPS:
        raise BadInput(
            f"unknown grouping {group!r} (expected {', '.join(lb.GROUPS)})", field="group"
        )
    if period not in PERIOD_KINDS:
        raise BadInput(
            f"unknown period {period!r} (expected {', '.join(PERIOD_KINDS)})", field="period"
        )
    with reading(db) as rows:
        scope = load_scope(rows, timezone=timezone, me=me)
        span = (
            parse_period(period, at, scope.timezone) if at else current(period, now, scope.timezone)
        )
        values = _metric_by_rep(rows, metric, span)
    entries: dict[str, lb.Entry] = {}
    mine = scope.me
    for r in scope.reps:
        if group == "rep":
            key, name = r.id, r.name
        else:
            name = getattr(r, group) or weekly.NOBODY
            key = name
            if r.id == scope.me:
                mine = key
        have = entries.get(key)
        value = values.get(r.id, 0) + (have.value if have else 0)
        entries[key] = lb.Entry(key, name, value)
    places = lb.rank(entries.values(), mine)
    shown, own = lb.board(places, top)
    return Leaderboard(metric, group, span, scope, places, shown, own, mine)


# ------------------------------------------------------------------ forecast


@dataclass
class Forecast:
    now: datetime
    scope: Scope
    predictions: list[Any]  # core.forecast.Prediction, highest weighted first
    months: list[tuple[str, int, int, float]]
    calibration: Any | None
    backtest: Any | None
    closed: int


CALIBRATION_SAMPLE = 2000  # the most recent closed deals are the relevant ones


def _touches(rows: Rows, where: str, **params: Any) -> dict[str, list[Any]]:
    """Contacts per deal: those logged on the deal, and those with its customer that
    were logged on no deal at all."""
    from salesbench.core.forecast import Touch

    out: dict[str, list[Any]] = {}
    for join in (
        "o.id = a.opportunity_id",
        "a.opportunity_id IS NULL AND a.customer_id = o.customer_id",
    ):
        for r in rows.each(
            "SELECT o.id AS opportunity_id, a.started_at, a.channel FROM activity a "
            f"JOIN opportunity o ON {join} WHERE {where}",
            **params,
        ):
            out.setdefault(hex_id(r["opportunity_id"]), []).append(
                Touch(to_dt(r["started_at"]), r["channel"])  # type: ignore[arg-type]
            )
    return out


def load_forecast(
    db: str | None,
    *,
    now: datetime,
    rep: str | None = None,
    team: str | None = None,
    month: str | None = None,
    backtest: bool = False,
) -> Forecast:
    from salesbench.core import forecast as fc
    from salesbench.core.periods import parse_month

    with reading(db) as rows:
        scope = load_scope(rows, rep=rep, team=team)
        owners, params = id_list(scope.ids, rows, "r")
        span = parse_month(month, scope.timezone) if month else None
        opp_sql = (
            f"SELECT {OPP_COLUMNS}, o.custom FROM opportunity o "
            "JOIN customer c ON c.id = o.customer_id WHERE "
        )
        open_where = f"o.status = 'open' AND o.owner_id IN {owners}"
        if span is not None:
            open_where += " AND o.expected_close >= :first AND o.expected_close <= :last"
            params |= {"first": span.first.isoformat(), "last": span.last.isoformat()}
        open_rows = list(rows.each(opp_sql + open_where, **params))
        closed_rows = list(
            rows.each(
                opp_sql + "o.status IN ('won', 'lost') AND o.closed_at IS NOT NULL "
                "ORDER BY o.closed_at DESC LIMIT :n",
                n=CALIBRATION_SAMPLE,
            )
        )
        keys = [r["playbook_key"] for r in open_rows + closed_rows]
        books = load_books(rows, keys, scope.language)
        closed_ids = "(SELECT id FROM opportunity WHERE status IN ('won', 'lost') " + (
            "AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT :n)"
        )
        steps = _steps(rows, open_where, **params)
        steps.update(_steps(rows, f"o.id IN {closed_ids}", n=CALIBRATION_SAMPLE))
        touches = _touches(rows, open_where, **params)
        touches.update(_touches(rows, f"o.id IN {closed_ids}", n=CALIBRATION_SAMPLE))
        moves = _moves(
            rows,
            f"m.opportunity_id IN {closed_ids}",
            n=CALIBRATION_SAMPLE,
        )
    open_opps = [_opp(r, {}, steps) for r in open_rows]
    closed = [_opp(r, moves, steps) for r in closed_rows]
    pairs = fc.outcomes(closed, books.stages, books.modes, touches)
    calibration = fc.fit(pairs) if len(pairs) >= fc.MIN_CLOSED else None
    predictions = fc.calibrate(
        [fc.predict(o, now, books.stages, books.modes, touches.get(o.id, ())) for o in open_opps],
        calibration,
    )
    predictions.sort(key=lambda p: (-p.weighted, p.opp.title, p.opp.id))
    return Forecast(
        now,
        scope,
        predictions,
        fc.by_month(predictions),
        calibration,
        fc.backtest(pairs) if backtest else None,
        len(pairs),
    )


# ------------------------------------------------------------------ the rep's standing


@dataclass
class Standing:
    """A rep's place and prospects, for the end-of-day review."""

    rank: int | None
    ranked: int
    won: int  # minor units, this month
    period: str
    open_deals: int
    weighted: float
    weighted_this_month: float


def load_standing(db: str | None, *, now: datetime, rep: str) -> Standing:
    board = load_leaderboard(db, now=now, metric="amount", group="rep", period="month", me=rep)
    mine = next((p for p in board.places if p.mine), None)
    result = load_forecast(db, now=now, rep=rep)
    month = board.period.label
    return Standing(
        rank=mine.rank if mine else None,
        ranked=len(board.places),
        won=mine.entry.value if mine else 0,
        period=month,
        open_deals=len(result.predictions),
        weighted=sum(p.weighted for p in result.predictions),
        weighted_this_month=sum(
            p.weighted for p in result.predictions if (p.opp.expected_close or "")[:7] == month
        ),
    )
