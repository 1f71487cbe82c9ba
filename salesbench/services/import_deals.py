"""Planning opportunities, activities and tasks: each under its customer, and
opportunities on their playbook's stages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select

from salesbench.core import import_identity as matching
from salesbench.core import import_values
from salesbench.core import importing as im
from salesbench.core.errors import BadInput, SalesbenchError
from salesbench.core.import_presets import PRESET_STAGES
from salesbench.core.opportunities import apply_opportunity_rules
from salesbench.services.import_people import keep_parent, row_parent
from salesbench.services.import_plan import LOST_UNKNOWN, Planner, zone_named
from salesbench.services.import_task_customer import with_default_customer


def deal_stages(planner: Planner, key: str, owner: uuid.UUID) -> list[tuple[str, str]]:
    if planner.catalog is None:
        from salesbench.services.playbooks import catalog_from_session

        planner.catalog = catalog_from_session(planner.session)
    playbook = planner.catalog.get(key, planner.rep_language.get(owner, "en"))
    return [(s.key, s.name) for s in playbook.stages]


def plan_opportunities(planner: Planner, rows: Iterable[im.Row]) -> None:
    def identity(r: Any) -> dict[str, set[str]]:
        return planner.ident(
            id=str(r.id),
            ext=matching.ext_key(r.external_source, r.external_id),
            natural=f"{r.customer_id}|{matching.norm_name(r.title)}",
        )

    index = planner.index("opportunity", identity, lambda r: r.title, lambda r: r.customer_id)
    planner.starts = []
    for row in rows:
        planner.parent_made = None
        parent = row_parent(planner, row, create=True)
        if parent is None:
            continue
        customer_id, customer_owner = parent
        owner = planner.owner(row, customer_owner)
        if owner is None:
            continue
        values = planner.sourced(row, dict(row.values))
        custom = dict(row.custom)
        playbook = values.get("playbook_key") or planner.options.playbook
        stage = row.refs.get("stage")
        try:
            stages = deal_stages(planner, playbook, owner) if playbook else None
        except SalesbenchError as exc:  # one playbook on many rows: told once
            planner.problem_once(row, planner.column("playbook_key"), str(exc))
            continue
        if playbook:
            values["playbook_key"] = playbook
        try:
            deal_status(planner, values, custom, stage, stages)
        except ValueError as exc:  # one stage on many rows: told once
            planner.problem_once(row, planner.column("stage"), str(exc))
            continue
        if custom:
            values["custom"] = custom
        ident = planner.ident(
            id=planner.given_id(row),
            ext=matching.ext_key(values.get("external_source"), values.get("external_id")),
            natural=f"{customer_id}|{matching.norm_name(values['title'])}",
        )
        decision = planner.decide(index, row, ident, values, "opportunity", customer_id)
        keep_parent(planner, decision.verb == "create")
        try:
            if decision.verb == "create":
                values = closing(planner, values, {}, owner)
                created = planner.create(
                    "opportunity",
                    {
                        **values,
                        "id": planner.new_id(row),
                        "customer_id": customer_id,
                        "owner_id": owner,
                    },
                )
                planner.lookalike("opportunity", decision, created["id"])
                index.add(
                    matching.Known(
                        created["id"], values["title"], {}, ident, line=row.line, scope=customer_id
                    )
                )
                placed = created.get("stage_entered_at")  # our own export: tasks come apart
                if created.get("playbook_key") and created.get("status", "open") == "open":
                    if not placed:
                        planner.starts.append(created["id"])
                elif created.get("stage_key"):
                    created["stage_entered_at"] = placed or planner.now
            elif decision.verb == "update" and decision.known:
                changes = closing(planner, decision.changes, decision.known.values, owner)
                changes = matching.changed_values(decision.known.values, changes)
                if changes:
                    planner.update("opportunity", decision.known, changes)
        except BadInput as exc:
            planner.problem(row, planner.column(exc.field or ""), exc.message)


def deal_status(
    planner: Planner,
    values: dict[str, Any],
    custom: dict[str, str],
    stage: str | None,
    stages: list[tuple[str, str]] | None,
) -> None:
    """Whether the deal is open, won or lost, on which stage, and when it closed.

    IsWon/IsClosed decide when given; then the status column (Pipedrive's open, won,
    lost); then the stage (--stage-map, the preset's stage names, Closed Won/Lost).
    A closed deal closes at its source's close time (closed_at, Won time, Lost time),
    else on its close date; see `closing`. Raises ValueError for an unknown stage."""
    won, closed = values.pop("is_won", None), values.pop("is_closed", None)
    won_at, lost_at = values.pop("won_at", None), values.pop("lost_at", None)
    stage_status = None
    if stage:
        preset = PRESET_STAGES.get(planner.report.preset or "", {})
        stage_map = {**preset, **planner.options.stage_map}
        stage_key, stage_status = import_values.interpret_stage(stage, stages, stage_map)
        if stage_key:
            values["stage_key"] = stage_key
        else:  # another CRM's stage (Closed Won too), kept until a playbook places it
            custom["stage"] = stage
    if won is True:
        values["status"] = "won"
    elif closed is True:
        values["status"] = "lost"
    elif closed is False:
        values["status"] = "open"
    elif stage_status and not values.get("status"):
        values["status"] = stage_status
    status = values.get("status")
    if status in ("won", "lost") and not values.get("closed_at"):
        when = won_at if status == "won" else lost_at
        if when is not None:
            values["closed_at"] = when
    elif status == "open":
        values.pop("closed_at", None)
    if status == "lost" and not values.get("lost_reason"):
        values["lost_reason"] = LOST_UNKNOWN


def closing(
    planner: Planner, values: dict[str, Any], current: dict[str, Any], owner: uuid.UUID
) -> dict[str, Any]:
    """Closed deals close when their source says they did (closed_at), else on
    their close date (6 pm in the owner's zone); never on the day of the import."""
    given = values.get("closed_at")
    result = apply_opportunity_rules(current, values, planner.now)
    status = result.get("status") or current.get("status") or "open"
    if status == "open":
        if given is not None and result.get("closed_at") == given:
            del result["closed_at"]  # an open deal has not closed, whatever the file says
        return result
    day = values.get("expected_close") or current.get("expected_close")
    if given is not None:
        result["closed_at"] = given
    elif result.get("closed_at") and day:
        zone = zone_named(planner.rep_zone.get(owner, "UTC"))
        result["closed_at"] = datetime.combine(day, time(18), zone).astimezone(UTC)
    return result


def opportunity_index(planner: Planner) -> matching.Index:
    index = matching.Index()
    table = planner.table("opportunity")
    planner.opp_parent = {}
    for r in planner.conn.execute(
        select(
            table.c.id,
            table.c.external_id,
            table.c.external_source,
            table.c.title,
            table.c.customer_id,
            table.c.owner_id,
        )
    ):
        index.add(
            matching.Known(
                r.id,
                r.title,
                {},
                planner.ident(id=str(r.id), ext=matching.ext_key(r.external_source, r.external_id)),
            )
        )
        planner.opp_parent[r.id] = (r.customer_id, r.owner_id)
    return index


def row_subject(
    planner: Planner, row: im.Row, opps: matching.Index
) -> tuple[uuid.UUID, uuid.UUID | None, uuid.UUID] | None:
    """(customer, opportunity or None, default owner) of an activity or task row."""
    opp_id, opp_ext = row.refs.get("opportunity_id"), row.refs.get("opportunity_external_id")
    if opp_id or opp_ext:
        key, value = ("id", opp_id) if opp_id else ("ext", planner.ext(row, opp_ext))
        found = opps.find({key: {value or ""}})
        if found is None:
            column = "opportunity_id" if opp_id else "opportunity_external_id"
            planner.problem(row, planner.column(column), "no opportunity of that title or id")
            return None
        customer_id, owner = planner.opp_parent[found[0].id]
        return customer_id, found[0].id, owner
    parent = row_parent(planner, row, create=False)
    if parent is None:
        return None
    return parent[0], None, parent[1]


def plan_activities(planner: Planner, rows: Iterable[im.Row]) -> None:
    def identity(r: Any) -> dict[str, set[str]]:
        return planner.ident(
            id=str(r.id),
            ext=matching.ext_key(r.external_source, r.external_id),
            natural=f"{r.customer_id}|{r.started_at.isoformat()}|{r.channel}",
        )

    index = planner.index(
        "activity",
        identity,
        lambda r: f"{r.channel} {r.started_at:%Y-%m-%d}",
        lambda r: r.customer_id,
    )
    opps = opportunity_index(planner)
    contacts: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
    for c in planner.stored("contact"):
        contacts[(c.customer_id, matching.norm_name(c.name))] = c.id
        contacts[(c.customer_id, str(c.id))] = c.id  # a contact_id column (our export)
        if c.email:
            contacts[(c.customer_id, matching.norm_email(c.email))] = c.id
    for row, customer_id, opp_id, owner, values in subject_rows(planner, rows, opps):
        contact_id = None
        if row.refs.get("contact_id"):
            contact_id = contacts.get((customer_id, row.refs["contact_id"]))
            if contact_id is None:
                planner.problem(
                    row, planner.column("contact_id"), "no such contact at this customer"
                )
                continue
        elif row.refs.get("contact"):
            ref = row.refs["contact"]
            contact_id = contacts.get((customer_id, matching.norm_name(ref))) or contacts.get(
                (customer_id, matching.norm_email(ref))
            )
            if contact_id is None:
                planner.problem(row, planner.column("contact"), "no such contact at this customer")
                continue
        started = values["started_at"]
        ident = planner.ident(
            id=planner.given_id(row),
            ext=matching.ext_key(values.get("external_source"), values.get("external_id")),
            natural=f"{customer_id}|{started.isoformat()}|{values['channel']}",
        )
        record = {
            "customer_id": customer_id,
            "opportunity_id": opp_id,
            "contact_id": contact_id,
            "owner_id": owner,
        }
        planner.apply("activity", index, row, ident, values, record, values["channel"], customer_id)


def subject_rows(
    planner: Planner, rows: Iterable[im.Row], opps: matching.Index
) -> Iterator[tuple[im.Row, uuid.UUID, uuid.UUID | None, uuid.UUID, dict[str, Any]]]:
    """Activity and task rows with their customer, deal, owner and values resolved."""
    for row in rows:
        subject = row_subject(planner, row, opps)
        if subject is None:
            continue
        customer_id, opp_id, default_owner = subject
        owner = planner.owner(row, default_owner)
        if owner is None:
            continue
        values = planner.sourced(row, dict(row.values))
        if row.custom:
            values["custom"] = row.custom
        yield row, customer_id, opp_id, owner, values


def plan_tasks(planner: Planner, rows: Iterable[im.Row]) -> None:
    def natural(subject: uuid.UUID, title: str, due: datetime | None) -> str:
        return f"{subject}|{matching.norm_name(title)}|{due.isoformat() if due else ''}"

    index = planner.index(
        "task",
        lambda r: planner.ident(
            id=str(r.id),
            ext=matching.ext_key(r.external_source, r.external_id),
            natural=natural(r.opportunity_id or r.customer_id, r.title, r.due_at),
        ),
        lambda r: r.title,
        lambda r: r.opportunity_id or r.customer_id,
    )
    opps = opportunity_index(planner)
    rows = with_default_customer(planner, rows)  # import tasks --customer
    for row, customer_id, opp_id, owner, values in subject_rows(planner, rows, opps):
        derived: dict[str, Any] = {}
        if values.get("status") in ("done", "skipped"):
            # implied, not compared: a re-import on another day is still unchanged
            if not values.get("completed_how"):
                derived["completed_how"] = "manual"
            if not values.get("completed_at"):
                derived["completed_at"] = values.get("due_at") or planner.now
        ident = planner.ident(
            id=planner.given_id(row),
            ext=matching.ext_key(values.get("external_source"), values.get("external_id")),
            natural=natural(opp_id or customer_id, values["title"], values.get("due_at")),
        )
        record = {
            "owner_id": owner,
            "opportunity_id": opp_id,
            "customer_id": None if opp_id else customer_id,
            "origin_kind": values.pop("origin_kind", "manual"),  # our export says where from
            "origin": values.pop("origin", "import"),
        }
        planner.apply(
            "task",
            index,
            row,
            ident,
            values,
            record,
            values["title"],
            opp_id or customer_id,
            derived,
        )
