"""Review prompts at the two moments of high motivation: workday start and end."""

from __future__ import annotations

import shlex
from datetime import date, datetime, timedelta, tzinfo

from salesbench.core.i18n import _, listed, n_
from salesbench.core.queue import Queue
from salesbench.core.queue_heads import review_name
from salesbench.core.workday import EOD, Workday

MARK_BEGIN = "# >>> salesbench review prompts >>>"
MARK_END = "# <<< salesbench review prompts <<<"
EOD_LEAD = timedelta(minutes=30)


def summary(queue: Queue, rep_name: str) -> tuple[str, str]:
    """A notification's title and body, in the language in use (the rep's)."""
    c = queue.counts
    if queue.mode == EOD:
        title = review_name(EOD) + " · " + rep_name
        eod = queue.eod
        still = len(eod.still_open) if eod else c.open
        ahead = _(", {n} due tomorrow").format(n=len(eod.tomorrow)) if eod and eod.tomorrow else ""
        body = _(
            "{done} done today, {still} still open ({overdue} overdue){ahead}. "
            "Log today's contacts before you go."
        ).format(done=c.done_today, still=still, overdue=c.overdue, ahead=ahead)
    else:
        title = review_name(queue.mode) + " · " + rep_name
        body = n_(
            "{n} task today, {overdue} overdue.", "{n} tasks today, {overdue} overdue.", c.open
        )
        body = body.format(n=c.open, overdue=c.overdue)
    first = [
        s.item for sec in queue.sections if sec.key != "done" for g in sec.groups for s in g.items
    ][:3]
    if first:
        body += _(" First: {tasks}").format(
            tasks=listed((f"{i.customer.name}: {i.title}" for i in first), long=True)
        )
    return title, body


def cron_command(parts: list[str]) -> str:
    """One crontab command line: every part quoted for the shell, and `%`, which cron
    turns into a line break (the rest is fed to the command's input), escaped as `\\%`.
    A part holding a line break cannot be written on one crontab line: ValueError
    naming it (a NUL cannot be passed to a program at all)."""
    for part in parts:
        if any(ch in part for ch in "\r\n\x00"):
            raise ValueError(part)
    return shlex.join(parts).replace("%", "\\%")


def cron_lines(workday: Workday, machine_tz: tzinfo, command: str, on: date) -> list[str]:
    """crontab lines that prompt at workday start and half an hour before its end.

    cron runs in the machine's timezone, so the rep's hours are converted as of
    `on` (re-run after a daylight-saving change).
    """

    def at(moment: datetime) -> tuple[int, int, int]:
        local = moment.astimezone(machine_tz)
        return local.minute, local.hour, (local.date() - on).days

    lines = [MARK_BEGIN]
    for when, mode in ((workday.opens(on), "morning"), (workday.closes(on) - EOD_LEAD, "eod")):
        minute, hour, shift = at(when)
        days = sorted(((d + shift) % 7 + 1) % 7 for d in workday.weekdays)  # cron: Sunday is 0
        lines.append(
            f"{minute} {hour} * * {','.join(str(d) for d in days)} {command} --mode {mode}"
        )
    lines.append(MARK_END)
    return lines


def replace_block(crontab: str, lines: list[str]) -> str:
    """The crontab with our block replaced (or appended); everything else kept."""
    kept: list[str] = []
    inside = False
    for line in crontab.splitlines():
        if line.strip() == MARK_BEGIN:
            inside = True
            continue
        if line.strip() == MARK_END:
            inside = False
            continue
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, *([""] if kept else []), *lines]) + "\n"
