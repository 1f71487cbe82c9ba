"""One registry of the workbench's actions: key bindings and command-palette entries
are both made from it, so the two can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from salesbench.core.i18n import N_


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
    "0",
    "pick_script",
    N_("Copy a script…"),
    N_("Choose any of the task's scripts to copy"),
    footer=False,
)

QUEUE_ACTIONS: tuple[UIAction, ...] = (
    UIAction(
        "s",
        "start_focus",
        N_("Start"),
        N_("Work through the open tasks one by one (or Enter)"),
        priority=2,
    ),
    UIAction("d", "done", N_("Done"), N_("Mark the selected task done"), priority=3),
    UIAction("x", "skip", N_("Skip"), N_("Skip the selected task"), priority=3),
    UIAction(
        "z",
        "snooze",
        N_("Snooze"),
        N_("Snooze the selected task (1 h, tomorrow, next week, a date)"),
        priority=3,
    ),
    UIAction("f", "fill", N_("Fill in"), N_("Jump to the selected task's form"), priority=2),
    UIAction(
        "c", "copy(1)", N_("Copy"), N_("Copy the first script of the task, filled in"), priority=2
    ),
    UIAction(
        "l", "log", N_("Log"), N_("Log a contact with the follow-up record's fields"), priority=2
    ),
    UIAction(
        "ctrl+z",
        "undo",
        N_("Undo"),
        N_("Take back the last done, skip, snooze or save (again: the one before)"),
        priority=1,
    ),
    UIAction(
        "o",
        "open_opportunity",
        N_("Deal"),
        N_("Open the selected task's deal (a task with no deal: its customer)"),
        priority=3,
    ),
    UIAction(
        "n",
        "new_task",
        N_("New task"),
        N_("Add your own task at a date and time, for the selected deal or customer"),
        priority=0,
    ),
    UIAction("u", "customers", N_("Customers"), N_("Open the customer center"), priority=1),
    # the customer center's keys, for the highlighted task's customer
    UIAction(
        "ctrl+y",
        "pause",
        N_("Not needed now"),
        N_("Pause follow-up of the task's customer for one or two months"),
        footer=False,
    ),
    UIAction(
        "ctrl+r",
        "complaint",
        N_("Complaint"),
        N_("Record (report) a complaint from the task's customer"),
        footer=False,
    ),
    UIAction(
        "b",
        "leaderboard",
        N_("Leaderboard"),
        N_("Ranks by won amount, A customers or tasks done"),
        priority=0,
    ),
    UIAction(
        "p", "forecast", N_("Forecast"), N_("Win chances of your open deals, explained"), priority=0
    ),
    UIAction(
        "v",
        "pipeline",
        N_("Pipeline"),
        N_("Your open deals by stage, sortable, to open any"),
        priority=1,
    ),
    UIAction(
        "m",
        "toggle_mode",
        N_("Morning/EOD"),
        N_("Switch between morning and end-of-day review"),
        priority=0,
    ),
    UIAction(
        "h", "toggle_done", N_("Show done"), N_("Show or hide the tasks finished today"), priority=0
    ),
    # `/` and the keys after it: before the list's own keys (see TYPING_FIRST)
    UIAction(
        "slash",
        "filter",
        N_("Filter"),
        N_("Filter the queue by customer, deal or task"),
        first=True,
    ),
    UIAction(
        "r", "refresh", N_("Refresh"), N_("Read the queue again from the database"), footer=False
    ),
    UIAction("j", "cursor_down", N_("Down"), N_("Next task"), footer=False),
    UIAction("k", "cursor_up", N_("Up"), N_("Previous task"), footer=False),
    *_COPY_NTH,
    _PICK_SCRIPT,
)

# q quits from the queue; one screen deep it goes back as Esc does, so a rep who reads
# q as "close this" keeps the workbench and their place (the footer shows Back there)
Q_BACK = UIAction("q", "leave", N_("Back"), N_("Back"), footer=False, palette=False)

FOCUS_ACTIONS: tuple[UIAction, ...] = (
    UIAction("d", "done", N_("Done"), N_("Mark this task done and go to the next")),
    UIAction("x", "skip", N_("Skip"), N_("Skip this task and go to the next")),
    UIAction("z", "snooze", N_("Snooze"), N_("Snooze this task and go to the next")),
    UIAction(
        "ctrl+z",
        "undo",
        N_("Undo"),
        N_("Take back the last done, skip, snooze or save"),
        footer=False,
    ),
    UIAction("c", "copy(1)", N_("Copy"), N_("Copy the first script, filled in")),
    _PICK_SCRIPT,
    UIAction("escape", "leave", N_("Back"), N_("Back to the queue")),
    Q_BACK,
)

# The task panel's form (tui/task_panel.py), while the cursor is in it.
FORM_ACTIONS: tuple[UIAction, ...] = (
    UIAction(
        "ctrl+s", "save_form", N_("Save"), N_("Save the task's form (Enter in its last field)")
    ),
    UIAction(
        "escape", "leave_form", N_("Leave form"), N_("Back to the list; what was typed stays")
    ),
    UIAction("enter", "next_field", N_("Next field"), N_("On to the next field"), palette=False),
)

OPPORTUNITY_ACTIONS: tuple[UIAction, ...] = (
    UIAction("a", "advance", N_("Next stage"), N_("Move to the next stage (answering its gate)")),
    UIAction("e", "edit", N_("Edit"), N_("Edit the title, amount, expected close or mode")),
    UIAction("l", "log", N_("Log"), N_("Log a contact for this opportunity")),
    UIAction("t", "correct_contact", N_("Correct contact"), N_("Edit or delete a logged contact")),
    UIAction(
        "n", "new_task", N_("New task"), N_("Add your own task at a date and time for this deal")
    ),
    UIAction("w", "won", N_("Won"), N_("Close the opportunity as won")),
    UIAction("L", "lost", N_("Lost"), N_("Close the opportunity as lost, with a reason")),
    UIAction("escape", "leave", N_("Back"), N_("Back to the previous screen")),
    Q_BACK,
)

CUSTOMER_ACTIONS: tuple[UIAction, ...] = (
    UIAction("ctrl+n", "add_customer", N_("New customer"), N_("Add a customer")),
    UIAction("f2", "edit_customer", N_("Edit"), N_("Edit the selected customer")),
    UIAction(
        "ctrl+t", "add_contact", N_("Add contact"), N_("Add a contact to the selected customer")
    ),
    UIAction(
        "ctrl+g", "edit_contact", N_("Edit contact"), N_("Edit one of the customer's contacts")
    ),
    UIAction(
        "ctrl+o", "add_opportunity", N_("New deal"), N_("Open an opportunity for the customer")
    ),
    UIAction("ctrl+y", "pause", N_("Not needed now"), N_("Pause follow-up for one or two months")),
    UIAction(
        "ctrl+r", "complaint", N_("Complaint"), N_("Record (report) a complaint from the customer")
    ),
    UIAction(
        "slash",
        "search",
        N_("Search"),
        N_("Type a new search (from the results or the deals)"),
        footer=False,  # the footer keeps Back; the search box's placeholder names it
        first=True,
    ),
    UIAction("escape", "leave", N_("Back"), N_("Back to the queue")),
    Q_BACK,
)

LEADERBOARD_ACTIONS: tuple[UIAction, ...] = (
    UIAction("b", "measure", N_("Measure"), N_("Rank by won amount, A customers or tasks done")),
    UIAction("g", "group", N_("Group"), N_("Rank reps, teams, regions or branches")),
    UIAction("p", "period", N_("Period"), N_("This week, month or quarter")),
    UIAction("r", "refresh", N_("Refresh"), N_("Read the ranks again"), footer=False),
    UIAction("escape", "leave", N_("Back"), N_("Back to the queue")),
    Q_BACK,
)

FORECAST_ACTIONS: tuple[UIAction, ...] = (
    UIAction("a", "toggle_scope", N_("Mine/all"), N_("Your deals or everyone's")),
    UIAction("r", "refresh", N_("Refresh"), N_("Compute the forecast again"), footer=False),
    UIAction("escape", "leave", N_("Back"), N_("Back to the queue")),
    Q_BACK,
)

PIPELINE_ACTIONS: tuple[UIAction, ...] = (
    UIAction(
        "s", "sort", N_("Sort"), N_("Sort by amount, days in stage, expected close or next due")
    ),
    UIAction(
        "slash", "filter", N_("Filter"), N_("Filter the deals by customer or deal"), first=True
    ),
    UIAction("r", "refresh", N_("Refresh"), N_("Read the pipeline again"), footer=False),
    UIAction("j", "cursor_down", N_("Down"), N_("Next deal"), footer=False),
    UIAction("k", "cursor_up", N_("Up"), N_("Previous deal"), footer=False),
    UIAction("escape", "leave", N_("Back"), N_("Back to the queue")),
    Q_BACK,
)

APP_ACTIONS: tuple[UIAction, ...] = (
    UIAction("question_mark", "help", N_("Keys"), N_("Show every key"), priority=3),
    UIAction("q", "quit", N_("Quit"), N_("Quit salesbench"), priority=0),
    # Tab before the keys typed behind it: as Textual's ordinary binding it moved the
    # cursor on only once those keys had gone to the field it was leaving
    UIAction(
        "tab",
        "focus_next",
        N_("Next field"),
        N_("To the next field"),
        footer=False,
        palette=False,
        first=True,
    ),
    UIAction(
        "shift+tab",
        "focus_previous",
        N_("Previous field"),
        N_("To the previous field"),
        footer=False,
        palette=False,
        first=True,
    ),
    # Esc puts `?` away before a screen leaves or a list clears its filter
    UIAction(
        "escape",
        "hide_keys",
        N_("Hide keys"),
        N_("Put the keys away"),
        footer=False,
        palette=False,
        first=True,
    ),
)


def bindings(actions: tuple[UIAction, ...]) -> list[BindingType]:
    return [Binding(a.keys, a.action, a.title, show=a.footer, priority=a.first) for a in actions]
