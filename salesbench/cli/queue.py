"""`salesbench queue`: what to do today, morning or end of day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    RepOpt,
    acting,
    clock,
    emit_json,
    fail,
    settings,
    speak,
    store,
)

if TYPE_CHECKING:
    from salesbench.services.queue import QueueView

ModeOpt = Annotated[
    str | None,
    typer.Option("--mode", "-m", help="morning or eod (default: by the clock and your workday)."),
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Show the queue of another day, YYYY-MM-DD.")
]
AllOpt = Annotated[bool, typer.Option("--all", "-a", help="Also show tasks done or skipped today.")]
SuggestOpt = Annotated[
    int, typer.Option("--suggest", min=0, max=50, help="How many next steps to suggest.")
]


def load(
    db: str | None,
    rep: str | None,
    mode: str | None,
    on: str | None,
    include_done: bool,
    suggest: int = 5,
) -> QueueView:
    from salesbench.services.queue import load_queue

    if mode is not None and mode not in ("morning", "eod"):
        fail(f"unknown mode {mode!r} (expected morning or eod)", field="--mode")
    day = None
    if on is not None:
        from salesbench.core.fields import iso_date

        try:
            day = iso_date(on)
        except ValueError as exc:
            fail(str(exc), field="--date")
    return load_queue(
        store(db, lazy=True),
        now=clock().now(),
        rep=acting(rep, db),
        mode=mode,
        on=day,
        include_done=include_done,
        currency=settings().currency,
        suggest=suggest,
    )


def queue(
    rep: RepOpt = None,
    mode: ModeOpt = None,
    on: DateOpt = None,
    include_done: AllOpt = False,
    suggest: SuggestOpt = 5,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Today's queue: complaint clocks first, then overdue, what is due within 24 hours,
    follow-ups, and suggested next steps."""
    view = load(db, rep, mode, on, include_done, suggest)
    speak(view.rep.language)  # the queue is the rep's: in their language
    if as_json:
        from salesbench.services.queue_json import queue_dict

        emit_json(queue_dict(view))
        return
    typer.echo(render_text(view))


def render_text(view: QueueView) -> str:
    from salesbench.core.i18n import _, listed
    from salesbench.core.labels import weekday
    from salesbench.core.queue import group_heading
    from salesbench.core.queue_heads import counts_line, review_name, section_heading

    q, tz = view.queue, view.rep.workday
    c = q.counts
    lines = [
        f"{review_name(q.mode)} · {weekday(q.day, short=True)} {q.day:%Y-%m-%d} · {view.rep.name}",
        counts_line(c, next_steps=False),
    ]
    for section in q.sections:
        if not section.groups:
            continue
        shown = [s.item for g in section.groups for s in g.items]
        lines += ["", section_heading(section, shown, q.now)]
        for group in section.groups:
            lines.append(f"  {group_heading(group)}")
            for scored in group.items:
                item = scored.item
                marks = {"done": "✓", "skipped": "–"}  # as the workbench marks them
                mark = "!" if section.key == "overdue" else marks.get(item.status, "·")
                due = (
                    tz.local(item.due_at).strftime("%m-%d %H:%M") if item.due_at else _("any time")
                )
                ident = item.id if item.virtual else item.id.replace("-", "")[:8]
                lines.append(f"    {mark} [{ident}] {due}  {item.title}")
    if q.no_next_step:
        lines += ["", _("No next step ({n})").format(n=len(q.no_next_step))]
        lines += [f"  {cu.name} / {o.title}  [{o.stage_name or '-'}]" for cu, o in q.no_next_step]
    if q.eod is not None:
        e = q.eod
        # the header's counts: "open" is the header's number, today's share beside it
        later = c.open - c.open_by_tonight
        line = _("Done today: {n}").format(n=c.done_today)
        if c.skipped_today:
            line += _(" · skipped: {n}").format(n=c.skipped_today)
        line += _(" · open: {n}").format(n=c.open)
        if later:
            line += _(" ({tonight} due by tonight, {later} later)").format(
                tonight=c.open_by_tonight, later=later
            )
        lines += ["", line]
        if e.not_logged:
            names = listed(e.not_logged_names())
            lines.append(_("Contacts not logged today: {names}").format(names=names))
        if e.tomorrow:
            lines.append(_("Tomorrow ({n}):").format(n=len(e.tomorrow)))
            lines += [f"  · {i.customer.name}: {i.title}" for i in e.tomorrow[:10]]
    if c.open == 0 and not q.no_next_step:
        lines += ["", _("Nothing left for today.")]
    return "\n".join(lines)
