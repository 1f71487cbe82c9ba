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
    palette: bool = True  # offered in the command palette (ctrl+p), with its key
    # When the footer is too narrow for every key (80 columns), the lowest priority gives
    # way first (tui/footer.py); `?` and the palette list them all. 3: the task's own
    # keys, 2: what a rep reaches for all day, 1 (a new key): when there is room.
    priority: int = 1
    # checked before any screen's or widget's binding of the same key (Textual's
    # priority binding): Esc for `?`, Tab, and `/`, whose box must have the cursor
    # before the keys typed behind it arrive (`/dx` sent at once marked a task done);
    # its action steps aside (SkipAction) where it has nothing to do, e.g. in a field
    first: bool = False


# keys only: the palette offers "Copy" (the first) and "Copy a script…" (the picker)
# rather than nine entries
_COPY_NTH = tuple(
    UIAction(
        str(n),
        f"copy({n})",
        f"Copy script {n}",
        f"Copy the task's script number {n}",
        footer=False,
        palette=False,
    )
    for n in range(1, 10)
)
_PICK_SCRIPT = UIAction(
    "0", "pick_script", "Copy a script…", "Choose any of the task's scripts to copy", footer=False
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
    UIAction(
        "ctrl+z",
        "undo",
        "Undo",
        "Take back the last done, skip, snooze or save (again: the one before)",
        priority=1,
    ),
    UIAction(
        "o",
        "open_opportunity",
        "Deal",
        "Open the selected task's deal (a task with no deal: its customer)",
        priority=3,
    ),
    UIAction(
        "n",
        "new_task",
        "New task",
        "Add your own task at a date and time, for the selected deal or customer",
        priority=0,
    ),
    UIAction("u", "customers", "Customers", "Open the customer center", priority=1),
    # the customer center's keys, for the highlighted task's customer
    UIAction(
        "ctrl+y",
        "pause",
        "Not needed now",
        "Pause follow-up of the task's customer for one or two months",
        footer=False,
    ),
    UIAction(
        "ctrl+r",
        "complaint",
        "Complaint",
        "Record (report) a complaint from the task's customer",
        footer=False,
    ),
    UIAction(
        "b",
        "leaderboard",
        "Leaderboard",
        "Ranks by won amount, A customers or tasks done",
        priority=0,
    ),
    UIAction("p", "forecast", "Forecast", "Win chances of your open deals, explained", priority=0),
    UIAction(
        "v", "pipeline", "Pipeline", "Your open deals by stage, sortable, to open any", priority=1
    ),
    UIAction(
        "m",
        "toggle_mode",
        "Morning/EOD",
        "Switch between morning and end-of-day review",
        priority=0,
    ),
    UIAction("h", "toggle_done", "Show done", "Show or hide the tasks finished today", priority=0),
    # `/` and the keys after it: before the list's own keys (see TYPING_FIRST)
    UIAction("slash", "filter", "Filter", "Filter the queue by customer, deal or task", first=True),
    UIAction("r", "refresh", "Refresh", "Read the queue again from the database", footer=False),
    UIAction("j", "cursor_down", "Down", "Next task", footer=False),
    UIAction("k", "cursor_up", "Up", "Previous task", footer=False),
    *_COPY_NTH,
    _PICK_SCRIPT,
)

FOCUS_ACTIONS: tuple[UIAction, ...] = (
    UIAction("d", "done", "Done", "Mark this task done and go to the next"),
    UIAction("x", "skip", "Skip", "Skip this task and go to the next"),
    UIAction("z", "snooze", "Snooze", "Snooze this task and go to the next"),
    UIAction(
        "ctrl+z", "undo", "Undo", "Take back the last done, skip, snooze or save", footer=False
    ),
    UIAction("c", "copy(1)", "Copy", "Copy the first script, filled in"),
    _PICK_SCRIPT,
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

# The task panel's form (tui/task_panel.py), while the cursor is in it.
FORM_ACTIONS: tuple[UIAction, ...] = (
    UIAction("ctrl+s", "save_form", "Save", "Save the task's form (Enter in its last field)"),
    UIAction("escape", "leave_form", "Leave form", "Back to the list; what was typed stays"),
    UIAction("enter", "next_field", "Next field", "On to the next field", palette=False),
)

OPPORTUNITY_ACTIONS: tuple[UIAction, ...] = (
    UIAction("a", "advance", "Next stage", "Move to the next stage (answering its gate)"),
    UIAction("e", "edit", "Edit", "Edit the title, amount, expected close or mode"),
    UIAction("l", "log", "Log", "Log a contact for this opportunity"),
    UIAction("t", "correct_contact", "Correct contact", "Edit or delete a logged contact"),
    UIAction("n", "new_task", "New task", "Add your own task at a date and time for this deal"),
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
    UIAction(
        "slash",
        "search",
        "Search",
        "Type a new search (from the results or the deals)",
        footer=False,  # the footer keeps Back; the search box's placeholder names it
        first=True,
    ),
    UIAction("escape", "leave", "Back", "Back to the queue"),
    # q quits from the queue; here, one screen deep, it goes back as Esc does
    UIAction("q", "leave", "Back", "Back to the queue", footer=False, palette=False),
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

PIPELINE_ACTIONS: tuple[UIAction, ...] = (
    UIAction("s", "sort", "Sort", "Sort by amount, days in stage, expected close or next due"),
    UIAction("slash", "filter", "Filter", "Filter the deals by customer or deal", first=True),
    UIAction("r", "refresh", "Refresh", "Read the pipeline again", footer=False),
    UIAction("j", "cursor_down", "Down", "Next deal", footer=False),
    UIAction("k", "cursor_up", "Up", "Previous deal", footer=False),
    UIAction("escape", "leave", "Back", "Back to the queue"),
)

APP_ACTIONS: tuple[UIAction, ...] = (
    UIAction("question_mark", "help", "Keys", "Show every key", priority=3),
    UIAction("q", "quit", "Quit", "Quit salesbench", priority=0),
    # Tab before the keys typed behind it: as Textual's ordinary binding it moved the
    # cursor on only once those keys had gone to the field it was leaving
    UIAction(
        "tab",
        "focus_next",
        "Next field",
        "To the next field",
        footer=False,
        palette=False,
        first=True,
    ),
    UIAction(
        "shift+tab",
        "focus_previous",
        "Previous field",
        "To the previous field",
        footer=False,
        palette=False,
        first=True,
    ),
    # Esc puts `?` away before a screen leaves or a list clears its filter
    UIAction(
        "escape",
        "hide_keys",
        "Hide keys",
        "Put the keys away",
        footer=False,
        palette=False,
        first=True,
    ),
)


def bindings(actions: tuple[UIAction, ...]) -> list[BindingType]:
    return [Binding(a.keys, a.action, a.title, show=a.footer, priority=a.first) for a in actions]
