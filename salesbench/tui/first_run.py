"""Who is at the keyboard, asked by the workbench itself: on a database with no rep, a
form creates the first one; with several reps and none named, a picker chooses one
(remembered for next time in the user's config, settings_user). Either way the queue
follows, with no command to type elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from salesbench.core.reps import LANGUAGES
from salesbench.tui.base import SalesbenchModal, plain

if TYPE_CHECKING:
    from salesbench.tui.app import SalesbenchApp

# key, label; the timezone is prefilled with the machine's (resolved by the shell)
REP_FORM = (
    ("name", "Your name"),
    ("email", "Work email"),
    ("team", "Team (optional)"),
    ("timezone", "Timezone"),
)
PLACEHOLDERS = {"email": "you@example.com", "timezone": "e.g. Asia/Shanghai"}
LANGUAGE_NAMES = {"en": "English", "zh-CN": "中文（简体）"}

FIRST_RUN_CSS = """
FirstRepScreen, RepPickerScreen { align: center middle; }
#first-rep, #rep-picker-box { width: 100%; max-width: 84; height: auto; max-height: 100%;
    padding: 0 1; border: round $accent; background: $surface; }
#first-rep-grid { grid-size: 2; grid-columns: 24 1fr; grid-rows: auto; height: auto; }
#first-rep-grid Label { margin-top: 1; }
.field-error { color: $error; height: auto; column-span: 2; }
#first-rep-buttons { height: auto; }
#first-rep-buttons Label { margin: 1 2; }
#rep-picker { height: auto; max-height: 20; }
"""


class FirstRepScreen(SalesbenchModal[dict[str, str]]):
    """The first rep's form. Every field keeps what was typed; a value the service
    refuses is marked under its field in the rep's words, and the form stays."""

    DEFAULT_CSS = FIRST_RUN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        # before the key reaches the field: the focus moves at once, so what is typed
        # straight after Enter lands in the next field, however busy the machine
        Binding("enter", "next_field", show=False, priority=True),
    ]

    def __init__(self, timezone: str) -> None:
        super().__init__()
        self.timezone = timezone

    def _language(self) -> str:
        from salesbench.core import i18n

        asked = getattr(self.app, "asked_language", None) or i18n.language()
        return asked if asked in LANGUAGES else LANGUAGES[0]

    def compose(self) -> ComposeResult:
        # scrolls on a short terminal (80x24): the field with the focus stays in sight
        with VerticalScroll(id="first-rep"):
            yield Label("Welcome to salesbench: who are you? Your queue follows.")
            yield Static("", id="first-rep-error", classes="field-error")
            with Grid(id="first-rep-grid"):
                for key, label in REP_FORM:
                    yield Label(label)
                    yield Input(
                        self.timezone if key == "timezone" else "",
                        placeholder=PLACEHOLDERS.get(key, ""),
                        id=f"rep-{key}",
                    )
                    yield Static("", id=f"rep-{key}-error", classes="field-error")
                yield Label("Language")
                yield Select(
                    [(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
                    # the language the person asked for or their machine speaks
                    value=self._language(),
                    allow_blank=False,
                    id="rep-language",
                )
                yield Static("", id="rep-language-error", classes="field-error")
            with Horizontal(id="first-rep-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Label("ctrl+q quits without adding anyone")

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        self.query_one("#rep-name", Input).focus()

    def values(self) -> dict[str, str]:
        out = {key: self.query_one(f"#rep-{key}", Input).value.strip() for key, _ in REP_FORM}
        out["language"] = str(self.query_one("#rep-language", Select).value)
        return out

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def action_next_field(self) -> None:
        """Enter in a field moves to the next one; in the last it saves. Elsewhere (the
        language list, the button) Enter does what it does there."""
        keys = [key for key, _ in REP_FORM]
        focused = self.focused
        key = (focused.id or "").removeprefix("rep-") if isinstance(focused, Input) else ""
        if key not in keys:
            raise SkipAction()
        if key == keys[-1]:
            self.action_save()
        else:
            self.set_focus(self.query_one(f"#rep-{keys[keys.index(key) + 1]}", Input))

    def action_save(self) -> None:
        self.show_error(None, "")
        self.app.add_first_rep(self, self.values())

    def on_input_changed(self, event: Input.Changed) -> None:
        """A marked field edited: its message goes as the rep types (it stayed until
        the next save)."""
        for line in self.query(f"#{event.input.id}-error"):
            line.display = False

    def show_error(self, field: str | None, message: str) -> None:
        """Mark `field` (or the whole form, for a refusal of no field) with `message`;
        an empty message clears every mark."""
        for error in self.query(".field-error"):
            error.display = False
        if not message:
            return
        known = {key for key, _ in REP_FORM} | {"language"}
        target = f"#rep-{field}-error" if field in known else "#first-rep-error"
        labels = dict(REP_FORM) | {"language": "Language"}
        if field in labels and message.startswith(("is ", "must ")):
            message = f"{labels[field].split(' (')[0]} {message}"  # "Your name is required"
        shown = self.query_one(target, Static)
        shown.update(plain(message[0].upper() + message[1:]))
        shown.display = True
        if field in known and field != "language":
            self.query_one(f"#rep-{field}", Input).focus()


class RepPickerScreen(SalesbenchModal[str]):
    """Several reps and none named: choose who you are (name, email, team)."""

    DEFAULT_CSS = FIRST_RUN_CSS

    def __init__(self, reps: list[tuple[str, str, str, str | None]]) -> None:
        super().__init__()
        self.reps = reps  # (id, name, email, team)

    def compose(self) -> ComposeResult:
        with Vertical(id="rep-picker-box"):
            yield Label("Who are you? Choose your name", classes="dialog-title")
            yield OptionList(
                *(
                    Option(plain(f"{name}  ·  {email}" + (f"  ·  {team}" if team else "")), id=rep)
                    for rep, name, email, team in self.reps
                ),
                id="rep-picker",
            )
            yield Label("Enter chooses; salesbench remembers it for next time.")

    def on_mount(self) -> None:
        picker = self.query_one("#rep-picker", OptionList)
        picker.focus()
        picker.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option.id is not None
        self.dismiss(event.option.id)


def ask_rep(app: SalesbenchApp, several: bool, then: Callable[[], object]) -> None:
    """Ask who is at the keyboard, once however many reads found out, then `then`."""
    if app.asking_rep:
        return
    app.asking_rep = True

    def chosen(rep_id: str | None) -> None:
        app.asking_rep = False
        if rep_id:
            app.rep = rep_id
            then()

    if not several:
        from salesbench.settings_env import machine_timezone

        def created(values: dict[str, str] | None) -> None:
            chosen(values["id"] if values else None)

        app.push_screen(FirstRepScreen(machine_timezone()), callback=created)
        return

    def listed(reps: list[tuple[str, str, str, str | None]]) -> None:
        def picked(rep_id: str | None) -> None:
            if rep_id:
                app.remember_rep(rep_id)
            chosen(rep_id)

        app.push_screen(RepPickerScreen(reps), callback=picked)

    app.run_worker(lambda: app.call_from_thread(listed, _reps(app)), thread=True)


def _reps(app: SalesbenchApp) -> list[tuple[str, str, str, str | None]]:
    from salesbench.services.reps import list_reps

    return [
        (str(r.id), r.name, r.email, r.team)
        for r in sorted(list_reps(app.store), key=lambda r: r.name.casefold())
        if r.departed_at is None
    ]


def add_first_rep(app: SalesbenchApp, form: FirstRepScreen, values: dict[str, str]) -> None:
    """Add the rep the form describes, in a worker; the form closes once it is saved,
    else shows why beside the field at fault."""
    from salesbench.core.errors import DatabaseUnusable, SalesbenchError
    from salesbench.services.reps import add_rep

    # an empty timezone is refused like a wrong one: never the model's default zone
    raw: dict[str, str | None] = {k: v or None for k, v in values.items()}
    raw["timezone"] = values.get("timezone", "")

    def run() -> None:
        try:
            rep: Any = add_rep(app.store, raw, clock=app.clock)
        except DatabaseUnusable:
            raise  # the app stops (tui/reads.py _handle_exception)
        except SalesbenchError as exc:
            app.call_from_thread(form.show_error, exc.field, exc.message)
            return

        def welcome() -> None:  # in the language just chosen, as the queue that follows
            from salesbench.core.i18n import _

            app.speak(rep.language)
            app.notify(_("Welcome, {name}: here is your queue").format(name=rep.name))

        app.call_from_thread(welcome)
        app.call_from_thread(form.dismiss, {"id": str(rep.id)})

    app.write_worker(run)
