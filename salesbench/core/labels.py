"""What the rep reads for the workbench's own keys and values: a channel, a task's
state, yes and no. Written once here, in English (the source language), and shown in
the rep's language (core/i18n.py); a key with no label is shown as it is."""

from __future__ import annotations

from datetime import date

from salesbench.core.i18n import N_, _

CHANNELS = {
    "visit": N_("visit"),
    "call": N_("call"),
    "email": N_("email"),
    "message": N_("message"),
    "meeting": N_("meeting"),
    "any": N_("any"),  # a script for any channel
}
# a finished or waiting task's state beside its title (an open task shows none)
TASK_STATES = {"done": N_("✓ done"), "skipped": N_("– skipped"), "snoozed": N_("z snoozed")}
YES, NO = N_("yes"), N_("no")
DEAL_STATES = {"open": N_("open"), "won": N_("won"), "lost": N_("lost")}
CUSTOMER_KINDS = {"company": N_("company"), "person": N_("person")}
CUSTOMER_STATES = {
    "active": N_("active"),
    "nurture": N_("nurture pool"),
    "paused": N_("paused"),
    "closed": N_("closed"),
}
GRADE_SET_BY = {"rule": N_("by rule"), "manual": N_("set by hand")}
DECISION_ROLES = {
    "decision_maker": N_("decision maker"),
    "influencer": N_("influencer"),
    "user": N_("user"),
    "coach": N_("coach"),
}
# who makes a mode's visit (core/playbook.py ROLES)
TEAM_ROLES = {"rep": N_("rep"), "manager": N_("manager"), "advisor": N_("advisor")}
# a contact's phones and emails, and addresses, by what they are (core/enums.py)
POINT_KINDS = {"phone": N_("phone"), "email": N_("email"), "address": N_("address")}
POINT_LABELS = {
    "mobile": N_("mobile"),
    "work": N_("work"),
    "home": N_("home"),
    "fax": N_("fax"),
    "other": N_("other"),
}
ADDRESS_KINDS = {**POINT_LABELS, "billing": N_("billing"), "shipping": N_("shipping")}
# how a deal came into a stage (core/engine.py Move.via, stage_move.via)
VIAS = {
    "start": N_("start"),
    "advance": N_("advance"),
    "turnaround": N_("turnaround"),
    "jump": N_("jump"),
}
# strftime's %A and %a are the C locale's, English whatever the rep speaks
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
# strftime's %b likewise: a day of a month as the rep reads it (Dec 01, 12月1日)
MONTHS_SHORT = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip


# the leaderboard's groupings and the periods it ranks over
GROUPS = {"rep": N_("rep"), "team": N_("team"), "region": N_("region"), "branch": N_("branch")}
PERIODS = {"week": N_("week"), "month": N_("month"), "quarter": N_("quarter")}


def channel(key: str) -> str:
    return _(CHANNELS[key]) if key in CHANNELS else key


def task_state(status: str) -> str:
    return _(TASK_STATES[status]) if status in TASK_STATES else ""


def weekday(day: date, *, short: bool = False) -> str:
    """The day's name in the language in use: Monday (Mon), 星期一 (周一)."""
    return _((WEEKDAYS_SHORT if short else WEEKDAYS)[day.weekday()])


def month_day(day: date) -> str:
    """Dec 01 in English, 12月1日 in Chinese."""
    return _("{month} {day:02d}").format(month=_(MONTHS_SHORT[day.month - 1]), day=day.day)


def deal_state(status: str) -> str:
    return _(DEAL_STATES[status]) if status in DEAL_STATES else status


def via(key: str) -> str:
    return _(VIAS[key]) if key in VIAS else key


def label(labels: dict[str, str], key: str | None, missing: str = "-") -> str:
    """The label of `key` among `labels`, in the language in use; a key with none is
    shown as it is, and no key as `missing`."""
    if not key:
        return missing
    return _(labels[key]) if key in labels else key
