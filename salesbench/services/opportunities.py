"""Opportunities: the unit the SOP follows (one customer may have several)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.fields import OPPORTUNITY_FIELDS, parse_record
from salesbench.core.modes import Deviation
from salesbench.core.opportunities import apply_opportunity_rules
from salesbench.core.playbook import Gate, ModeDef, ModeVisit, Playbook
from salesbench.services.customers import find_customer, merge_custom
from salesbench.services.field_views import FieldView, value_words
from salesbench.services.refs import find
from salesbench.services.reps import find_rep
from salesbench.store.engine import Store
from salesbench.store.models import (
    Activity,
    ActivityChange,
    Customer,
    Opportunity,
    Rep,
    StageMove,
    Task,
)


def find_opportunity(session: Session, ref: str) -> Opportunity:
    return find(session, Opportunity, ref, label="opportunity", names=("title",), told=_told)


def _told(session: Session, opp: Opportunity) -> str:
    """Two deals of one title (a sofa for two customers) told apart by their customer."""
    customer = session.get(Customer, opp.customer_id)
    return f"{opp.title} · {customer.name}" if customer else opp.title


def add_opportunity(
    store: Store,
    customer_ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    owner: str | None = None,
    custom: dict[str, str] | None = None,
    currency: str | None = None,
) -> Opportunity:
    """`currency`: the team's, for a deal whose amount and options name none."""
    now = clock.now()
    values = apply_opportunity_rules({}, parse_record(OPPORTUNITY_FIELDS, raw), now)
    if currency and not values.get("currency"):
        values["currency"] = currency
    with store.write(clock) as session:
        customer = find_customer(session, customer_ref)
        owner_id = find_rep(session, owner).id if owner else customer.owner_id
        opp = Opportunity(
            **{k: v for k, v in values.items() if v is not None},
            customer_id=customer.id,
            owner_id=owner_id,
            custom=merge_custom({}, custom or {}),
            created_at=now,
            updated_at=now,
        )
        if opp.stage_key:
            opp.stage_entered_at = now
        session.add(opp)
        session.flush()
        if opp.playbook_key:
            from salesbench.services.playbook_start import start_playbook

            start_playbook(session, opp, now)
    return opp


def check_version(opp: Opportunity, expected: int | None) -> None:
    if expected is not None and opp.version != expected:
        raise Conflict(
            f"{opp.title!r} was changed by someone else since you read it "
            f"(version {expected}, now {opp.version}); nothing was saved: reload it and "
            "redo your change"
        )


def edit_opportunity(
    store: Store,
    ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    owner: str | None = None,
    custom: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> Opportunity:
    """Change a deal. With `expected_version` (the version the caller read), a deal
    changed since by someone else is refused rather than overwritten."""
    now = clock.now()
    changes = parse_record(OPPORTUNITY_FIELDS, raw, partial=True)
    with store.write(clock) as session:
        opp = find_opportunity(session, ref)
        check_version(opp, expected_version)
        new_playbook = changes.get("playbook_key", opp.playbook_key)
        if "stage_key" in changes and changes["stage_key"] != opp.stage_key and new_playbook:
            raise BadInput(
                "an opportunity on a playbook changes stage with `opp move`", field="stage_key"
            )
        changes = apply_opportunity_rules(opp.model_dump(), changes, now)
        if "stage_key" in changes and changes["stage_key"] != opp.stage_key:
            changes["stage_entered_at"] = now if changes["stage_key"] else None
        restart = "playbook_key" in changes and changes["playbook_key"] != opp.playbook_key
        for key, value in changes.items():
            setattr(opp, key, value)
        if restart and opp.playbook_key:
            from salesbench.services.playbook_start import start_playbook

            opp.stage_key = None
            start_playbook(session, opp, now)
        if owner:
            opp.owner_id = find_rep(session, owner).id
        if custom:
            opp.custom = merge_custom(opp.custom, custom)
        opp.updated_at = now
        session.add(opp)
    return opp


def list_opportunities(
    store: Store,
    *,
    status: str | None = None,
    owner: str | None = None,
    customer: str | None = None,
    playbook: str | None = None,
    stage: str | None = None,
    limit: int | None = None,
    owners: list[Any] | None = None,
) -> list[tuple[Opportunity, Customer]]:
    with store.read() as session:
        query = (
            select(Opportunity, Customer)
            .join(Customer, col(Customer.id) == Opportunity.customer_id)
            .order_by(col(Opportunity.expected_close).is_(None), col(Opportunity.expected_close))
        )
        if status:
            query = query.where(Opportunity.status == status.lower())
        if owner:
            query = query.where(Opportunity.owner_id == find_rep(session, owner).id)
        elif owners is not None:
            query = query.where(col(Opportunity.owner_id).in_(owners))
        if customer:
            query = query.where(Opportunity.customer_id == find_customer(session, customer).id)
        if playbook:
            query = query.where(Opportunity.playbook_key == playbook)
        if stage:
            query = query.where(Opportunity.stage_key == stage)
        if limit:
            query = query.limit(limit)
        return [(opp, cust) for opp, cust in session.exec(query)]


def nurture_since(opp: Opportunity) -> str | None:
    """The day an open deal went into the nurture pool on its own (None: not in it)."""
    since = (opp.custom or {}).get("nurture_since")
    if opp.status != "open" or not isinstance(since, str):
        return None
    return since[:10]


@dataclass(frozen=True)
class StageView:
    """One stage of the deal's playbook, and how far the deal got through it."""

    key: str
    name: str
    probability: float
    current: bool
    passed: bool
    done: int  # the stage's tasks done...
    total: int  # ... of this many
    gate: Gate | None
    open_titles: tuple[str, ...] = ()  # what keeps the stage from being complete


@dataclass(frozen=True)
class ModeView:
    key: str
    name: str
    description: str = ""
    visits: tuple[ModeVisit, ...] = ()  # its per-visit programme


@dataclass(frozen=True)
class OpportunityView:
    """Everything `opp show` and the TUI's opportunity screen need: the deal with its
    customer and owner, its tasks, timeline and stage moves, the stage path with
    completion, the playbook's fields and modes, and the sales mode's warnings."""

    opportunity: Opportunity
    customer: Customer
    owner: Rep
    tasks: tuple[Task, ...]
    activities: tuple[Activity, ...]  # newest first
    stage_moves: tuple[StageMove, ...]  # oldest first
    stages: tuple[StageView, ...] = ()
    mode_check: tuple[Deviation, ...] = ()
    fields: tuple[FieldView, ...] = ()
    modes: tuple[ModeView, ...] = ()
    mode: ModeView | None = None  # the deal's mode, with its description
    suggested_mode: ModeView | None = None  # the one its assessment score points to
    deleted: tuple[ActivityChange, ...] = ()  # contacts taken back, newest first

    def as_json(self) -> dict[str, Any]:
        """The shape `opp show --json` prints: records as `--json` prints them
        everywhere, money in main units."""
        from salesbench.services.serialize import record

        view = record(self.opportunity, customer=record(self.customer), owner=record(self.owner))
        view["tasks"] = [record(t) for t in self.tasks]
        view["activities"] = [record(a) for a in self.activities]
        view["stage_moves"] = [record(m) for m in self.stage_moves]
        view["stages"] = [
            {
                "key": s.key,
                "name": s.name,
                "probability": s.probability,
                "current": s.current,
                "passed": s.passed,
                "done": s.done,
                "total": s.total,
                "gate": {"question": s.gate.question, "turnaround": s.gate.turnaround}
                if s.gate
                else None,
            }
            for s in self.stages
        ]
        view["mode_check"] = [
            {"standard": d.standard, "message": d.message} for d in self.mode_check
        ]
        view["fields"] = {f.key: _field_json(f) for f in self.fields}
        view["modes"] = [
            {"key": m.key, "name": m.name, "description": m.description} for m in self.modes
        ]
        view["suggested_mode"] = self.suggested_mode.key if self.suggested_mode else None
        view["mode_visits"] = [
            {"title": v.title, "roles": list(v.roles), "guidance": v.guidance}
            for v in (self.mode.visits if self.mode else ())
        ]
        return view


def _field_json(f: FieldView) -> dict[str, Any]:
    from salesbench.services.serialize import money_number

    out: dict[str, Any] = {"label": f.label, "type": f.type, "on": f.on, "value": f.value}
    if f.type == "money":
        out["value"] = money_number(f.value) if isinstance(f.value, int) else f.value
        out["currency"] = f.currency
    return out


def _in_sop_order(tasks: tuple[Task, ...], playbook: Playbook) -> tuple[Task, ...]:
    """Tasks due alike (a stage's, opened together) in the order the SOP lists them,
    not in whatever order an index hands them back."""
    place = {(s.key, t.key): n for s in playbook.stages for n, t in enumerate(s.tasks)}
    return tuple(
        sorted(
            tasks,
            key=lambda t: (
                t.due_at is None,
                t.due_at or t.created_at,
                place.get((t.stage_key or "", t.origin or ""), len(place)),
                t.created_at,
            ),
        )
    )


def opportunity_view(store: Store, ref: str, *, clock: Clock) -> OpportunityView:
    """The deal `ref` names, with everything its screen shows (see OpportunityView)."""
    from salesbench.core import engine
    from salesbench.core.modes import suggest_mode
    from salesbench.services import mode_rules
    from salesbench.services.playbooks import catalog_from_session
    from salesbench.services.task_rows import field_currency, field_values, task_state

    now = clock.now()
    with store.read() as session:
        opp = find_opportunity(session, ref)
        customer = session.get_one(Customer, opp.customer_id)
        owner = session.get_one(Rep, opp.owner_id)
        tasks = tuple(
            session.exec(
                select(Task)
                .where(Task.opportunity_id == opp.id)
                .order_by(col(Task.due_at).is_(None), col(Task.due_at), col(Task.created_at))
            )
        )
        activities = tuple(
            session.exec(
                select(Activity)
                .where(Activity.opportunity_id == opp.id)
                .order_by(col(Activity.started_at).desc())
            )
        )
        moves = tuple(
            session.exec(
                select(StageMove)
                .where(StageMove.opportunity_id == opp.id)
                .order_by(col(StageMove.moved_at))
            )
        )
        from salesbench.services.activity_edits import deleted_on

        deleted = tuple(deleted_on(session, opp.id))
        if not opp.playbook_key:
            return OpportunityView(opp, customer, owner, tasks, activities, moves, deleted=deleted)
        playbook = catalog_from_session(session).get(opp.playbook_key, owner.language)
        tasks = _in_sop_order(tasks, playbook)
        view = OpportunityView(opp, customer, owner, tasks, activities, moves, deleted=deleted)
        values = field_values(playbook, customer, opp)
        deviations = tuple(mode_rules.deviations(session, playbook, opp, values, now))
    states = [task_state(t) for t in tasks]
    current = playbook.stage_index(opp.stage_key) if opp.stage_key else -1
    stages = tuple(
        StageView(
            s.key,
            s.name,
            s.probability,
            current=i == current,
            passed=i < current,
            done=(p := engine.stage_progress(playbook, s.key, states)).done,
            total=p.total,
            gate=s.gate,
            open_titles=p.open_titles,
        )
        for i, s in enumerate(playbook.stages)
    )
    fields = tuple(
        FieldView(
            f.key,
            f.label,
            f.type,
            f.on,
            values.get(f.key),
            field_currency(f, customer, opp) if f.type == "money" else None,
            value_words(f, values.get(f.key), playbook.language),
        )
        for f in playbook.fields
    )
    mode = _mode(playbook, opp.mode)
    suggested = suggest_mode(playbook.modes, mode_rules.score_of(playbook, values))
    return replace(
        view,
        stages=stages,
        mode_check=deviations,
        fields=fields,
        modes=tuple(ModeView(m.key, m.name, m.description) for m in playbook.modes),
        mode=ModeView(mode.key, mode.name, mode.description, mode.visits) if mode else None,
        suggested_mode=ModeView(suggested.key, suggested.name, suggested.description)
        if suggested
        else None,
    )


def _mode(playbook: Playbook, key: str | None) -> ModeDef | None:
    if not key:
        return None
    try:
        return playbook.mode(key)
    except KeyError:
        return None
