"""One task as the rep's panel shows it: the why, the how, the form and the words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from salesbench.core.clock import Clock
from salesbench.core.criteria import checklist, met
from salesbench.core.enums import is_open
from salesbench.core.i18n import N_
from salesbench.core.playbook import FieldDef, Playbook, role_with
from salesbench.services.playbooks import Catalog, catalog_from_session
from salesbench.services.scripts import RenderedScript, context, main_contact, render_script
from salesbench.services.task_rows import field_currency, field_values
from salesbench.services.tasks import find_task
from salesbench.store.engine import Store
from salesbench.store.models import Customer, Opportunity, Rep, Task


@dataclass
class TaskDetail:
    task_id: str
    title: str
    status: str
    due_at: Any
    customer_name: str
    customer_grade: str | None
    opportunity_id: str | None = None
    opportunity_title: str | None = None
    stage_name: str | None = None
    purpose: str = ""
    guidance: str = ""
    check: tuple[str, ...] = ()
    fields: list[tuple[FieldDef, Any]] = field(default_factory=list)
    currencies: dict[str, str | None] = field(default_factory=dict)  # of each money field
    scripts: list[RenderedScript] = field(default_factory=list)
    manual: bool = True
    criteria: list[tuple[str, bool]] = field(default_factory=list)  # field criteria, met?
    role_with: str = ""  # "with your manager" for a task not the rep's alone
    skills: tuple[str, ...] = ()
    done_anyway: dict[str, Any] | None = None  # {"reason", "open"} of a task done anyway
    checklist: list[tuple[str, bool]] = field(default_factory=list)  # plain items, ticked?

    @property
    def open_criteria(self) -> list[str]:
        return [text for text, met in self.criteria if not met]

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def action_label(self) -> str:
        """The action reads "Fill in" while a task with fields is open, then "View"."""
        return N_("Fill in") if self.is_open and self.fields else N_("View")  # English


def task_detail(
    store: Store, ref: str, *, clock: Clock, catalog: Catalog | None = None
) -> TaskDetail:
    # only a cadence follow-up needs writing: opening it makes it a real task
    opened = store.write(clock) if ref.startswith("cadence:") else store.read()
    with opened as session:
        task = find_task(session, ref, now=clock.now())
        return _detail(session, task, catalog or catalog_from_session(session))


def _detail(session: Any, task: Task, catalog: Catalog) -> TaskDetail:
    opp = session.get(Opportunity, task.opportunity_id) if task.opportunity_id else None
    customer = session.get_one(Customer, opp.customer_id if opp else task.customer_id)
    rep = session.get_one(Rep, task.owner_id)
    detail = TaskDetail(
        task_id=str(task.id),
        title=task.title,
        status=task.status,
        due_at=task.snoozed_until if task.status == "snoozed" else task.due_at,
        customer_name=customer.name,
        customer_grade=customer.grade,
        opportunity_id=str(opp.id) if opp else None,
        opportunity_title=opp.title if opp else None,
        done_anyway=(task.custom or {}).get("done_anyway"),
    )
    if opp is None or not opp.playbook_key:
        return detail
    playbook: Playbook = catalog.get(opp.playbook_key, rep.language)
    stage_key = task.stage_key or opp.stage_key
    if stage_key:
        try:
            detail.stage_name = playbook.stage(stage_key).name
        except KeyError:
            detail.stage_name = stage_key
    values = field_values(playbook, customer, opp)
    ctx = context(rep, customer, main_contact(session, customer), opp, playbook)
    definition = None
    if task.origin_kind == "playbook" and task.origin:
        try:
            definition = playbook.task(task.origin)
        except KeyError:
            definition = None
    rule = next((r for r in playbook.timed_rules if r.key == task.origin), None)
    if definition is not None:
        detail.purpose, detail.guidance, detail.check = (
            definition.purpose,
            definition.guidance,
            definition.check,
        )
        keys, detail.manual = definition.complete_when, definition.manual
        keys += tuple(c.field for c in definition.criteria if c.field not in keys)
        detail.criteria = [(c.text, met(c, values)) for c in definition.criteria]
        marks = (task.custom or {}).get("ticked")
        marks = marks if isinstance(marks, list) else []
        detail.checklist = [(t, n in marks) for n, t in enumerate(checklist(definition), 1)]
        detail.role_with = role_with(definition.role, playbook.language)
        detail.skills = definition.skills
        chosen = playbook.scripts_for(definition, definition.stage)
    elif rule is not None:
        detail.guidance, keys = rule.guidance, rule.complete_when
        chosen = [playbook.script(k) for k in rule.scripts]
    else:
        keys, chosen = (), playbook.scripts_for(None, stage_key)
    detail.fields = [(playbook.field(k), values.get(k)) for k in keys]
    detail.currencies = {
        f.key: field_currency(f, customer, opp) for f, _ in detail.fields if f.type == "money"
    }
    detail.scripts = [render_script(s, ctx, playbook) for s in chosen]
    return detail
