"""Corrections from the deal screen and the queue: a deal's timeline with what was
corrected in it, picking a logged contact to edit (in the log dialog, filled in) or
delete (after a yes), and a rep's own task with a date and a time of day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from salesbench.core import labels
from salesbench.core.i18n import _
from salesbench.tui.base import escape

if TYPE_CHECKING:
    from salesbench.core.errors import BadInputs
    from salesbench.core.workday import Workday
    from salesbench.services.opportunities import OpportunityView
    from salesbench.tui.app import SalesbenchApp

Local = Callable[[datetime], datetime]
TIMELINE_LINES = 30


def contact_line(local: Local, a: Any) -> str:
    """One logged contact as the timeline and the picker show it (plain text)."""
    edited = ""
    if a.edited_at:
        edited = "  " + _("(edited {at})").format(at=f"{local(a.edited_at):%m-%d %H:%M}")
    way = labels.channel(a.channel)
    return f"{local(a.started_at):%Y-%m-%d %H:%M}  {way}  {a.summary or ''}{edited}"


def timeline(view: OpportunityView, local: Local) -> list[str]:
    """The deal's contacts, newest first, as markup: an edited one says when, and a
    deleted one stays, struck through, with when it was deleted (its record is kept)."""
    rows: list[tuple[datetime, str]] = [
        (a.started_at, f"  {escape(contact_line(local, a))}") for a in view.activities
    ]
    for gone in view.deleted:
        was = gone.before
        started = datetime.fromisoformat(str(was.get("started_at")))
        way = labels.channel(str(was.get("channel")))
        text = f"{local(started):%Y-%m-%d %H:%M}  {way}  {was.get('summary') or ''}"
        rows.append(
            (
                started,
                f"  [dim strike]{escape(text)}[/]  [dim]"
                + _("(deleted {at})").format(at=f"{local(gone.changed_at):%m-%d %H:%M}")
                + "[/]",
            )
        )
    rows.sort(key=lambda row: row[0], reverse=True)
    return [line for _at, line in rows[:TIMELINE_LINES]]


def correct_contact(
    app: SalesbenchApp, view: OpportunityView, local: Local, then: Callable[[], object]
) -> None:
    """Pick one of the deal's logged contacts, then edit it or delete it."""
    if not view.activities:
        app.notify(_("No contact is logged on this deal yet."), severity="warning")
        return
    from salesbench.tui.correction_modals import ContactPickerModal

    by_id = {str(a.id): a for a in view.activities}

    def chosen(picked: tuple[str, str] | None) -> None:
        if picked is None:
            return
        what, ref = picked
        if what == "edit":
            _edit(app, view, by_id[ref], then)
        else:
            _delete(app, by_id[ref], local, then)

    app.push_screen(
        ContactPickerModal([(ref, contact_line(local, a)) for ref, a in by_id.items()]),
        callback=chosen,
    )


def _edit(
    app: SalesbenchApp, view: OpportunityView, activity: Any, then: Callable[[], object]
) -> None:
    from salesbench.tui.modals import LOG_FIELDS, LogModal

    values = {"channel": activity.channel}
    for key, _label in LOG_FIELDS:
        value = getattr(activity, key)
        values[key] = "" if value is None else str(value)

    def save(raw: dict[str, Any] | None) -> None:
        if raw is not None:  # a field emptied in the dialog is cleared, not left as it was
            app.edit_activity(str(activity.id), {k: v or "" for k, v in raw.items()}, then=then)

    subject = f"{view.customer.name} / {view.opportunity.title}"
    title = _("Correct the {channel} with {subject}").format(
        channel=labels.channel(activity.channel), subject=subject
    )
    app.push_screen(LogModal(subject, values=values, title=title), callback=save)


def _delete(app: SalesbenchApp, activity: Any, local: Local, then: Callable[[], object]) -> None:
    from salesbench.tui.correction_modals import ConfirmModal

    def answered(yes: bool | None) -> None:
        if yes:
            app.delete_activity(str(activity.id), then=then)

    app.push_screen(
        ConfirmModal(
            _("Delete this contact? {contact}").format(contact=contact_line(local, activity)),
            _(
                "It leaves the counts; the timeline keeps it as deleted. "
                "Tasks it finished or made stay as they are."
            ),
        ),
        callback=answered,
    )


def new_task(
    app: SalesbenchApp,
    workday: Workday,
    *,
    customer: tuple[str, str] | None,
    deal: tuple[str, str] | None,
    then: Callable[[], object],
) -> None:
    """Ask for a task's title, day and time (on the rep's clock) for the deal or the
    customer, (id, name) each; the deal comes first, the rep may pick the customer."""
    from salesbench.tui.modals import FormField, FormModal

    now = workday.local(app.clock.now())
    soon = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    subjects: dict[str, tuple[str | None, str | None]] = {}
    if deal is not None:
        subjects[_("Deal: {name}").format(name=deal[1])] = (deal[0], None)
    if customer is not None:
        subjects[_("Customer: {name}").format(name=customer[1])] = (None, customer[0])
    first = next(iter(subjects))
    fields: list[FormField] = [
        ("title", _("Task"), None, ""),
        ("day", _("Day (YYYY-MM-DD)"), None, f"{soon:%Y-%m-%d}"),
        ("time", _("Time (HH:MM)"), None, f"{soon:%H:%M}"),
        ("subject", _("For"), list(subjects), first),
    ]

    def saved(values: dict[str, str], form: FormModal) -> None:
        if (wrong := _when_problems(values["day"], values["time"])) is not None:
            form.refused(wrong)
            return
        opportunity_id, customer_id = subjects.get(values.get("subject") or first, subjects[first])
        app.add_own_task(
            values["title"],
            f"{values['day']} {values['time']}".strip(),
            opportunity_id=opportunity_id,
            customer_id=customer_id,
            then=form.closing(then),
            refused=form.refused,  # a bad day or time: the form stays, marked where
        )

    # the service checks day and time as one "due" (a time already past, say): its
    # refusal shows under the day; each alone is checked here, under its own field
    app.push_screen(FormModal(_("New task"), fields, submit=saved, aliases={"due": "day"}))


def _when_problems(day: str, clock: str) -> BadInputs | None:
    """The day and the time of day, each checked on its own, every problem at once."""
    from salesbench.core.errors import BadInput, BadInputs
    from salesbench.core.snooze import calendar_day, time_of_day

    problems = []
    for key, text, check in (("day", day, calendar_day), ("time", clock, time_of_day)):
        try:
            check(text)
        except ValueError as exc:
            problems.append(BadInput(str(exc), field=key))
    return BadInputs(problems) if problems else None
