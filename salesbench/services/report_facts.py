"""What reports are read from: whose figures (the scope and its timezone), the stages
and modes of the playbooks in use, and deals with their stage moves and finished
steps, in plain SQL on the fast read path."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from salesbench.core import labels
from salesbench.core import weekly_facts as wf
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.history import MoveFact, OppFact, Progress, StageFact, StepFact
from salesbench.core.i18n import _
from salesbench.core.money import DEFAULT_CURRENCY
from salesbench.core.playbook import ModeDef, Playbook
from salesbench.core.reps import default_scope, find_rep_row
from salesbench.core.workday import zone
from salesbench.store.raw import (
    KEY_SEPARATOR,
    Rows,
    hex_id,
    joined,
    rep_rows,
    to_dt,
    to_instant,
)

if TYPE_CHECKING:
    from salesbench.store.engine import Store


@dataclass
class Scope:
    """Whose figures a report shows, and the timezone its weeks are cut in."""

    reps: list[wf.RepFact]
    label: str
    timezone: str
    language: str
    me: str | None = None  # the caller's rep id, when known
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {r.id for r in self.reps}

    def rep(self, rep_id: str) -> wf.RepFact | None:
        return next((r for r in self.reps if r.id == rep_id), None)


def load_scope(
    rows: Rows,
    *,
    rep: str | None = None,
    team: str | None = None,
    region: str | None = None,
    branch: str | None = None,
    timezone: str | None = None,
    me: str | None = None,
    scoped: bool = False,
) -> Scope:
    """The reps a report covers. With `scoped` and no rep, team, region or branch
    asked for, the caller's default view: a lead's team, or a rep's own figures."""
    every = rep_rows(rows)
    if not every:
        from salesbench.core.errors import no_rep_yet

        raise no_rep_yet()
    chosen: list[Mapping[str, Any]] = list(every)
    label = _("all reps")  # shown to a person: in the language in use (core/i18n)
    if scoped and me and not any((rep, team, region, branch)):
        view = default_scope(every, me)
        if view.team is not None:
            team = view.team
        else:
            rep = me
    if rep is not None:
        chosen = [find_rep_row(every, rep)]
        label = _("rep {name}").format(name=chosen[0]["name"])
    for level, value in (("team", team), ("region", region), ("branch", branch)):
        if value is None:
            continue
        chosen = [r for r in chosen if (r[level] or "").casefold() == value.casefold()]
        if not chosen:
            known = sorted({r[level] for r in every if r[level]})
            raise NotFound(f"no rep in {level} {value!r} (known: {', '.join(known) or 'none'})")
        label = _("{level} {value}").format(
            level=labels.label(labels.GROUPS, level), value=chosen[0][level]
        )

    notes: list[str] = []
    zones = Counter(r["timezone"] for r in chosen)
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
    if me:
        try:
            me_id = hex_id(find_rep_row(every, me)["id"])
        except (NotFound, BadInput):
            me_id = None
    elif len(every) == 1:
        me_id = hex_id(every[0]["id"])
    reps = [
        wf.RepFact(hex_id(r["id"]), r["name"], r["team"], r["region"], r["branch"]) for r in chosen
    ]
    return Scope(reps, label, timezone, languages.most_common(1)[0][0], me_id, notes)


@dataclass
class Books:
    """Stage and mode facts of the playbooks in use, in the report's language."""

    stages: dict[tuple[str, str], StageFact] = field(default_factory=dict)
    modes: dict[tuple[str, str], ModeDef] = field(default_factory=dict)
    cadence: dict[str, dict[str, int]] = field(default_factory=dict)


def load_books(rows: Rows, keys: Iterable[str | None], language: str) -> Books:
    from salesbench.services.playbooks import catalog_from_rows

    catalog = catalog_from_rows(rows)
    books = Books()
    for key in sorted({k for k in keys if k}):
        try:
            pb: Playbook = catalog.get(key, language)
        except NotFound:
            continue
        for index, s in enumerate(pb.stages):
            required = frozenset(t.key for t in s.tasks if t.required)
            gate = frozenset(pb.gate_tasks(s.key))
            books.stages[(key, s.key)] = StageFact(
                key, s.key, s.name, index, s.probability, required, gate
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


def _custom_of(r: Mapping[str, Any]) -> dict[str, Any]:
    try:
        value = r["custom"]
    except (KeyError, IndexError):  # not read (a dict says KeyError, sqlite3.Row IndexError)
        return {}
    return _custom(value)


OPP_COLUMNS = """o.id, o.owner_id, o.customer_id, o.title, o.amount, o.status, o.created_at,
o.closed_at, o.lost_reason, o.playbook_key, o.stage_key, o.mode, o.expected_close, c.grade,
c.name AS customer_name, o.currency"""


def opp_fact(
    r: Mapping[str, Any],
    moves: dict[str, list[MoveFact]],
    steps: dict[str, list[StepFact]],
    progress: Mapping[str, Progress] | None = None,
) -> OppFact:
    """`progress` for a fact as it stands now (see OppFact.progress), else `steps`."""
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
        custom=_custom_of(r),
        customer_name=r["customer_name"],
        currency=r["currency"] or DEFAULT_CURRENCY,
        progress=None if progress is None else progress.get(oid, {}),
    )


def read_moves(rows: Rows, where: str, **params: Any) -> dict[str, list[MoveFact]]:
    out: dict[str, list[MoveFact]] = {}
    for r in rows.all(
        "SELECT m.opportunity_id, m.rep_id, m.from_stage, m.to_stage, m.via, m.moved_at "
        f"FROM stage_move m WHERE {where} ORDER BY m.moved_at, m.id",
        **params,
    ):
        out.setdefault(hex_id(r["opportunity_id"]), []).append(
            MoveFact(
                to_instant(r["moved_at"]),
                hex_id(r["rep_id"]),
                r["from_stage"],
                r["to_stage"],
                r["via"],
            )
        )
    return out


# Finished tasks and still-open ones (an opened turnaround task keeps a stage open);
# which of them count is core.stage_rule's call, not the query's.
STEP_SQL = """SELECT t.opportunity_id, t.stage_key, t.origin, t.completed_at, t.status,
t.created_at
FROM {source} JOIN opportunity o ON o.id = t.opportunity_id
WHERE t.origin_kind = 'playbook' AND (t.completed_at IS NOT NULL
OR t.status IN ('open', 'snoozed')) AND {where}"""
# Tasks of the stages deals left since :since, found from the moves (an index lookup
# per move) rather than by a subquery per task.
LEFT_STAGES = (
    "stage_move m JOIN task t ON t.opportunity_id = m.opportunity_id "
    "AND t.stage_key = m.from_stage AND m.moved_at >= :since"
)


def read_steps(
    rows: Rows, where: str, source: str = "task t", **params: Any
) -> dict[str, list[StepFact]]:
    out: dict[str, list[StepFact]] = {}
    for r in rows.each(STEP_SQL.format(source=source, where=where), **params):
        out.setdefault(hex_id(r["opportunity_id"]), []).append(
            StepFact(
                r["stage_key"],
                r["origin"],
                to_dt(r["completed_at"]) if r["status"] in ("done", "skipped") else None,
                r["status"],
                to_dt(r["created_at"]),
            )
        )
    return out


# Each deal's playbook tasks as they stand, per stage and status, from an index alone
# (migration 0012): what a forecast of today needs of 136,684 tasks, in 56,000 rows.
PROGRESS_SQL = """SELECT t.opportunity_id, t.stage_key, t.status, {keys} AS keys
FROM task t WHERE t.origin_kind = 'playbook' AND t.stage_key IS NOT NULL
AND t.origin IS NOT NULL AND t.opportunity_id IN (SELECT o.id FROM opportunity o WHERE {where})
GROUP BY t.opportunity_id, t.stage_key, t.status"""


def read_progress(rows: Rows, where: str, **params: Any) -> Mapping[str, Progress]:
    """Per deal (`where` on opportunity o), its playbook tasks as they stand now."""
    out: dict[str, dict[str, dict[str, set[str]]]] = {}
    sql = PROGRESS_SQL.format(keys=joined(rows, "t.origin"), where=where)
    for r in rows.each(sql, **params):
        stages = out.setdefault(hex_id(r["opportunity_id"]), {})
        stages.setdefault(r["stage_key"], {})[r["status"]] = set(r["keys"].split(KEY_SEPARATOR))
    return out


def language_of(store: Store, ref: str | None) -> str | None:
    """The language of the rep `ref` names (else of the only rep), for a command to
    speak before it reads; None when no one is named and there are several, or no
    such rep (the command itself then says so), read without an engine."""
    from salesbench.core.errors import SalesbenchError
    from salesbench.core.reps import acting_rep_row
    from salesbench.store.raw import store_rows

    with store_rows(store) as rows:
        try:
            return str(acting_rep_row(rep_rows(rows), ref)["language"])
        except SalesbenchError:
            return None
