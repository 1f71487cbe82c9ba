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


_COPY_NTH = tuple(
    UIAction(
        str(n), f"copy({n})", f"Copy script {n}", f"Copy the task's script number {n}", footer=False
    )
    for n in range(1, 10)
)

QUEUE_ACTIONS: tuple[UIAction, ...] = (
    UIAction("s", "start_focus", "Start", "Work through the open tasks one by one (or Enter)"),
    UIAction("d", "done", "Done", "Mark the selected task done"),
    UIAction("x", "skip", "Skip", "Skip the selected task"),
    UIAction(
        "z", "snooze", "Snooze", "Snooze the selected task (1 h, tomorrow, next week, a date)"
    ),
    UIAction("f", "fill", "Fill in", "Jump to the selected task's form"),
    UIAction("c", "copy(1)", "Copy", "Copy the first script of the task, filled in"),
    UIAction("l", "log", "Log", "Log a contact with the follow-up record's fields"),
    UIAction("o", "open_opportunity", "Deal", "Open the selected task's opportunity"),
    UIAction("u", "customers", "Customers", "Open the customer center"),
    UIAction("b", "leaderboard", "Leaderboard", "Ranks by won amount, A customers or tasks done"),
    UIAction("p", "forecast", "Forecast", "Win chances of your open deals, explained"),
    UIAction("m", "toggle_mode", "Morning/EOD", "Switch between morning and end-of-day review"),
    UIAction("h", "toggle_done", "Show done", "Show or hide the tasks finished today"),
    UIAction("slash", "filter", "Filter", "Filter the queue by customer, deal or task"),
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

# The task panel's form (tui/task_panel.py), while the cursor is in it.
FORM_ACTIONS: tuple[UIAction, ...] = (
    UIAction("ctrl+s", "save_form", "Save", "Save the task's form (Enter in its last field)"),
    UIAction("escape", "leave_form", "Leave form", "Back to the list; what was typed stays"),
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
    UIAction("question_mark", "help", "Keys", "Show every key"),
    UIAction("q", "quit", "Quit", "Quit salesbench"),
)


def bindings(actions: tuple[UIAction, ...]) -> list[BindingType]:
    return [Binding(a.keys, a.action, a.title, show=a.footer) for a in actions]
