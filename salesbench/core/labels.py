"""What the rep reads for the workbench's own keys and values: a channel, a task's
state, yes and no. Written once here, in English (the source language), and shown in
the rep's language (core/i18n.py); a key with no label is shown as it is."""

from __future__ import annotations

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


def channel(key: str) -> str:
    return _(CHANNELS[key]) if key in CHANNELS else key


def task_state(status: str) -> str:
    return _(TASK_STATES[status]) if status in TASK_STATES else ""
