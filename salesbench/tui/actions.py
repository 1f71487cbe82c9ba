"""One registry of the workbench's actions: key bindings and command-palette entries
are both made from it, so the two can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class UIAction:
    keys: str  # comma-separated Textual keys
    action: str  # the action name, run on the active screen
    title: str  # the palette entry and footer label
    help: str
    footer: bool = True
    # When the footer is too narrow for every key (80 columns), the lowest priority gives
    # way first (tui/footer.py); `?` and the palette list them all. 3: the task's own
    # keys, 2: what a rep reaches for all day, 1 (a new key): when there is room.
    priority: int = 1


_COPY_NTH = tuple(
    UIAction(
        str(n), f"copy({n})", f"Copy script {n}", f"Copy the task's script number {n}", footer=False
    )
    for n in range(1, 10)
)

QUEUE_ACTIONS: tuple[UIAction, ...] = (
    UIAction(
        "s", "start_focus", "Start", "Work through the open tasks one by one (or Enter)", priority=2
    ),
    UIAction("d", "done", "Done", "Mark the selected task done", priority=3),
    UIAction("x", "skip", "Skip", "Skip the selected task", priority=3),
    UIAction(
        "z",
        "snooze",
        "Snooze",
        "Snooze the selected task (1 h, tomorrow, next week, a date)",
        priority=3,
    ),
    UIAction("f", "fill", "Fill in", "Jump to the selected task's form", priority=2),
    UIAction("c", "copy(1)", "Copy", "Copy the first script of the task, filled in", priority=2),
    UIAction("l", "log", "Log", "Log a contact with the follow-up record's fields", priority=2),
    UIAction("o", "open_opportunity", "Deal", "Open the selected task's opportunity", priority=3),
    UIAction("u", "customers", "Customers", "Open the customer center", priority=1),
    UIAction(
        "b",
        "leaderboard",
        "Leaderboard",
        "Ranks by won amount, A customers or tasks done",
        priority=0,
    ),
    UIAction("p", "forecast", "Forecast", "Win chances of your open deals, explained", priority=0),
    UIAction(
        "m",
        "toggle_mode",
        "Morning/EOD",
        "Switch between morning and end-of-day review",
        priority=0,
    ),
    UIAction("h", "toggle_done", "Show done", "Show or hide the tasks finished today", priority=0),
    UIAction("slash", "filter", "Filter", "Filter the queue by customer, deal or task", priority=1),
    UIAction("r", "refresh", "Refresh", "Read the queue again from the database", footer=False),
    UIAction("j", "cursor_down", "Down", "Next task", footer=False),
    UIAction("k", "cursor_up", "Up", "Previous task", footer=False),
    *_COPY_NTH,
    UIAction(
        "0", "pick_script", "All scripts", "Choose any of the task's scripts to copy", footer=False
    ),
)

FOCUS_ACTIONS: tuple[UIAction, ...] = (
    UIAction("d", "done", "Done", "Mark this task done and go to the next"),
    UIAction("x", "skip", "Skip", "Skip this task and go to the next"),
    UIAction("z", "snooze", "Snooze", "Snooze this task and go to the next"),
    UIAction("c", "copy(1)", "Copy", "Copy the first script, filled in"),
    UIAction(
        "0", "pick_script", "All scripts", "Choose any of the task's scripts to copy", footer=False
    ),
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

OPPORTUNITY_ACTIONS: tuple[UIAction, ...] = (
    UIAction("a", "advance", "Next stage", "Move to the next stage (answering its gate)"),
    UIAction("e", "edit", "Edit", "Edit the title, amount, expected close or mode"),
    UIAction("l", "log", "Log", "Log a contact for this opportunity"),
    UIAction("w", "won", "Won", "Close the opportunity as won"),
    UIAction("L", "lost", "Lost", "Close the opportunity as lost, with a reason"),
    UIAction("escape", "leave", "Back", "Back to the previous screen"),
)

CUSTOMER_ACTIONS: tuple[UIAction, ...] = (
    UIAction("ctrl+n", "add_customer", "New customer", "Add a customer"),
    UIAction("f2", "edit_customer", "Edit", "Edit the selected customer"),
    UIAction("ctrl+t", "add_contact", "Add contact", "Add a contact to the selected customer"),
    UIAction("ctrl+g", "edit_contact", "Edit contact", "Edit one of the customer's contacts"),
    UIAction("ctrl+o", "add_opportunity", "New deal", "Open an opportunity for the customer"),
    UIAction("ctrl+y", "pause", "Not needed now", "Pause follow-up for one or two months"),
    UIAction("ctrl+r", "complaint", "Complaint", "Record (report) a complaint from the customer"),
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

LEADERBOARD_ACTIONS: tuple[UIAction, ...] = (
    UIAction("b", "measure", "Measure", "Rank by won amount, A customers or tasks done"),
    UIAction("g", "group", "Group", "Rank reps, teams, regions or branches"),
    UIAction("p", "period", "Period", "This week, month or quarter"),
    UIAction("r", "refresh", "Refresh", "Read the ranks again", footer=False),
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

FORECAST_ACTIONS: tuple[UIAction, ...] = (
    UIAction("a", "toggle_scope", "Mine/all", "Your deals or everyone's"),
    UIAction("r", "refresh", "Refresh", "Compute the forecast again", footer=False),
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

APP_ACTIONS: tuple[UIAction, ...] = (
    UIAction("question_mark", "help", "Keys", "Show every key", priority=3),
    UIAction("q", "quit", "Quit", "Quit salesbench", priority=0),
)


def bindings(actions: tuple[UIAction, ...]) -> list[BindingType]:
    return [Binding(a.keys, a.action, a.title, show=a.footer) for a in actions]
