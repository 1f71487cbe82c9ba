"""The selected task: why and how, its form, and its scripts ready to copy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from salesbench.core import labels
from salesbench.core.errors import BadInput, SalesbenchError
from salesbench.core.i18n import _, listed, n_
from salesbench.core.playbook import FieldDef
from salesbench.core.values import parse_value
from salesbench.tui.actions import FORM_ACTIONS, QUEUE_ACTIONS, bindings
from salesbench.tui.base import escape, plain
from salesbench.tui.field_errors import in_words
from salesbench.tui.form_typing import ChecklistBox, KeptTyping, shown
from salesbench.tui.hanging_lines import titled_text
from salesbench.tui.panel_reuse import FieldSelect, Shape, adopt, shape
from salesbench.tui.picking import PickedSelect

if TYPE_CHECKING:
    from salesbench.services.scripts import RenderedScript
    from salesbench.services.taskview import TaskDetail


class FieldValidator(Validator):
    """Checks a typed value with the same parser the CLI and the importers use."""

    def __init__(self, field: FieldDef) -> None:
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_value(self.field, value)
        except BadInput as exc:
            return self.failure(exc.message)
        return self.success()


def saved_words(after: TaskDetail) -> str:
    """What a save that left the task open says: what is still open, in the rep's
    words (a criterion's text, else its field's label), or how to finish it."""
    missing = list(after.open_criteria)
    unticked = sum(1 for _text, ticked in after.checklist if not ticked)
    if unticked:
        missing.append(
            n_("{n} checklist item to tick", "{n} checklist items to tick", unticked).format(
                n=unticked
            )
        )
    if missing:
        return _("Saved; still open: {missing}").format(missing=listed(missing, long=True))
    if after.is_open and after.manual:
        done = next(a.keys for a in QUEUE_ACTIONS if a.action == "done")
        return _("Saved; press {key} when the task is done").format(key=done)
    return _("Saved")


def copy_key(n: int) -> str:
    """The key that copies script `n` (tui/actions.py: c and 1-9; 0 picks from all)."""
    return "c" if n == 1 else str(n) if n <= 9 else "0"


def script_markup(n: int, rendered: RenderedScript) -> str:
    """Script `n` as the panel shows it: title, channel and key, then the text. A script
    with a gap says "not ready to send" on its first line and each [missing: …] marker
    stands out in the text, so an unfinished message never passes for a finished one."""
    key = copy_key(n)
    head = f"[b]{n}[/b] {escape(rendered.script.title)} [dim]"
    way = labels.channel(rendered.script.channel)
    if rendered.sendable:
        said = _("({channel}, press {key} to copy)").format(channel=way, key=key)
        return f"{head}{said}[/dim]\n{escape(rendered.rendered.text)}"
    gaps = listed(escape(g) for g in rendered.gaps)
    body = "".join(
        f"[b reverse]{escape(part)}[/]" if gap else escape(part) for part, gap in rendered.pieces()
    )
    anyway = (  # 0: the picker
        _("press {key} twice to copy it anyway")
        if n <= 9
        else _("choose it with {key} to copy it anyway")
    ).format(key=key)
    ready = _("[b]! not ready to send[/b]: missing {gaps}").format(gaps=gaps)
    way = _("({channel})").format(channel=way)
    anyway = _("({words})").format(words=anyway)
    return f"{head}{way}[/dim]  {ready} [dim]{anyway}[/dim]\n{body}"


class TaskPanel(VerticalScroll):
    """Shows one TaskDetail; posts Save with the form's field=value pairs. In the form,
    Enter moves to the next field and saves from the last one, ctrl+s saves from any,
    Esc leaves it (Leave: the screen puts the cursor back on its list); a value the
    panel or the service refuses is shown under its field, nothing typed lost."""

    BINDINGS = bindings(FORM_ACTIONS)
    ACTIONS = FORM_ACTIONS
    OWN_FOOTER = True  # in the form the footer shows these keys (tui/footer.py)

    class Save(Message):
        def __init__(self, detail: TaskDetail, pairs: list[str], panel: TaskPanel) -> None:
            super().__init__()
            self.detail = detail
            self.pairs = pairs
            self.refused = panel.refused  # a refusal of the save, shown under its field
            self._forget = panel.typed.forget

        def after_saving(self, then: Callable[[bool], object]) -> Callable[[bool], None]:
            """`then`, once the save is written: what was typed is stored now, no
            longer kept over what the panel shows next (ctrl+z may set it back)."""

            def saved(done: bool) -> None:
                self._forget(self.detail.task_id)
                then(done)

            return saved

    class Leave(Message):
        """The rep left the form with Esc."""

    class Tick(Message):
        """The rep ticked (or unticked) checklist item `number` (from 1)."""

        def __init__(self, detail: TaskDetail, number: int) -> None:
            super().__init__()
            self.detail = detail
            self.number = number

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detail: TaskDetail | None = None
        # two loads may finish close together; removing and mounting children must not
        # interleave or Textual waits forever on widgets that are already gone
        self._updating = asyncio.Lock()
        self.typed = KeptTyping()  # what was typed and not saved, kept past Esc
        self._shape: Shape | None = None  # of the widgets mounted (tui/panel_reuse.py)

    def compose(self) -> ComposeResult:
        yield Static("Select a task to see what to do.", id="task-empty")

    async def show(self, detail: TaskDetail | None) -> None:
        async with self._updating:
            await self._show(detail)

    async def _show(self, detail: TaskDetail | None) -> None:
        self.detail = detail
        self.typed.showing(detail)
        widgets = self._widgets(detail)
        drawn = shape(widgets)
        shown = list(self.children)
        # the same widgets, all of them still mounted: no remount. A remount cut short (its
        # worker displaced between the removal and the mount) leaves fewer than its shape
        same = drawn is not None and drawn == self._shape and len(shown) == len(widgets)
        if same and not self._in_form():
            adopt(self, shown, widgets)
        else:  # also with the cursor in the form: its field goes with the task it was for
            self._shape = None  # until the new widgets are all mounted
            await self.remove_children()
            await self.mount_all(widgets)
            self._shape = drawn
        if detail is not None:
            self.typed.put_back(self, detail)
            self.scroll_home(animate=False)

    def _widgets(self, detail: TaskDetail | None) -> list[Widget]:
        """What the panel shows for `detail`, unmounted."""
        if detail is None:
            return [Static(_("Nothing selected."), id="task-empty")]
        widgets: list[Widget] = [Static(self._heading(detail), id="task-heading")]
        if detail.purpose:
            why = _("Why")
            widgets.append(Static(f"[b]{why}[/b]  {escape(detail.purpose)}", classes="task-text"))
        if detail.guidance:
            widgets.append(Static(titled_text(_("How"), detail.guidance), classes="task-text"))
        if detail.check:
            widgets.append(Static(self._checks(detail), classes="task-text", id="task-checks"))
        for n, (text, ticked) in enumerate(detail.checklist, 1):  # space or enter ticks it
            box = ChecklistBox(escape(text), ticked, id=f"check-{n}", disabled=not detail.is_open)
            widgets.append(box)
        if detail.skills:
            skills = listed(escape(s) for s in detail.skills)
            skilled = _("Key skills")
            widgets.append(Static(f"[b]{skilled}[/b]  {skills}", classes="task-text"))
        if detail.done_anyway:
            reason = escape(str(detail.done_anyway.get("reason", "")))
            anyway = _("Done anyway")
            widgets.append(Static(f"[b]{anyway}[/b]  {reason}", classes="task-text"))
        if detail.fields:
            widgets.append(Label(f"[b]{_(detail.action_label)}[/b]", id="form-title"))
            for field, value in detail.fields:
                code = detail.currencies.get(field.key)  # money is in the deal's currency
                label = f"{field.label} ({code})" if code else field.label
                widgets.append(Label(escape(label), classes="field-label"))
                widgets.append(self._input(field, value, editable=detail.is_open, currency=code))
                error = Label("", id=f"field-error-{field.key}", classes="field-error")
                error.display = False
                widgets.append(error)
            if detail.is_open:
                widgets.append(
                    Horizontal(
                        Button(_(detail.action_label), id="save", variant="primary"),
                        classes="form-buttons",
                    )
                )
        for n, rendered in enumerate(detail.scripts, 1):
            widgets.append(
                Static(
                    script_markup(n, rendered),
                    classes="script" if rendered.sendable else "script not-ready",
                    id=f"script-{n}",
                )
            )
        return widgets

    def on_input_changed(self, event: Input.Changed) -> None:
        self.typed.note(self.detail, event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.typed.note(self.detail, event.select)

    def on_picked_select_picked(self, event: PickedSelect.Picked) -> None:
        self._next_field(event.select)  # chosen with Enter (changed or not): on

    def _checks(self, d: TaskDetail) -> str:
        """The check criteria: those the fields meet show ✓, the rest (and those the rep
        confirms by hand) ☐."""
        met = {text for text, ok in d.criteria if ok}
        lines = [f"  {'✓' if c in met else '☐'} {escape(c)}" for c, _ok in d.criteria]
        if d.checklist:
            also = (
                _("and the checklist below, ticked with space")
                if lines
                else _("the checklist below, ticked with space")
            )
            lines.append(f"  [dim]{also}[/dim]")
        when = _("Done when")
        return f"[b]{when}[/b]\n" + "\n".join(lines)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        name = event.checkbox.id or ""
        if self.detail is not None and name.startswith("check-"):
            self.post_message(self.Tick(self.detail, int(name.removeprefix("check-"))))

    def _heading(self, d: TaskDetail) -> str:
        where = escape(d.customer_name)
        if d.opportunity_title:
            where += f" / {escape(d.opportunity_title)}"
        if d.stage_name:
            where += f"  ·  {escape(d.stage_name)}"
        state = labels.task_state(d.status)
        who = f"  ·  {escape(d.role_with)}" if d.role_with and d.role_with not in d.title else ""
        return f"[b]{escape(d.title)}[/b]  {state}\n{where}{who}"

    def _input(
        self, field: FieldDef, value: Any, *, editable: bool, currency: str | None = None
    ) -> Any:
        ident = f"field-{field.key}"
        if field.type in ("choice", "bool"):
            options = (
                [(field.option_of(c), c) for c in field.choices]
                if field.type == "choice"
                else [(_(labels.YES), "yes"), (_(labels.NO), "no")]
            )
            held = shown(field, value)  # maybe no choice now (an older playbook): kept
            if held and held not in {v for _l, v in options}:
                options.append((_("{value} (not a choice here)").format(value=held), held))
            current = held or Select.NULL
            return FieldSelect(
                options,
                value=current,
                id=ident,
                disabled=not editable,
                prompt=field.help or _("choose"),
            )
        money = _("amount in {currency}").format(currency=currency) if currency else _("amount")
        placeholder = {"date": "YYYY-MM-DD", "money": money, "int": _("number")}.get(
            field.type, field.help or ""
        )
        return Input(
            shown(field, value),
            placeholder=placeholder,
            id=ident,
            validators=[FieldValidator(field)],
            disabled=not editable,
            # the cursor lands after what is there (typing kept past Esc, a value to
            # correct): selected whole, the next key would replace it
            select_on_focus=False,
        )

    def pairs(self) -> list[str] | None:
        """The form as field=value pairs, or None (with the bad input focused) if invalid."""
        assert self.detail is not None
        out = []
        for field, _value in self.detail.fields:
            widget = self.query_one(f"#field-{field.key}")
            if isinstance(widget, Select):
                value = "" if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, Input)
                result = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    self.refuse(field.key, result.failure_descriptions[0])
                    return None
                value = widget.value
            out.append(f"{field.key}={value}")
        return out

    def refuse(self, key: str | None, message: str) -> None:
        """Show `message` under field `key` (by its label) and put the cursor there; a
        refusal naming no field of the form is a toast."""
        self._clear_refusal()
        field = (
            next((f for f, _v in self.detail.fields if f.key == key), None) if self.detail else None
        )
        if field is None:
            self.app.notify(message, severity="error", timeout=6)
            return
        line = self.query_one(f"#field-error-{field.key}", Label)
        line.update(plain(in_words(field.label, message)))
        line.display = True
        self.query_one(f"#field-{field.key}").focus()
        line.scroll_visible(animate=False)

    def refused(self, exc: SalesbenchError) -> None:
        if self.is_attached:
            self.refuse(exc.field, exc.message)

    def _clear_refusal(self) -> None:
        for line in self.query(".field-error"):
            line.display = False

    def _in_form(self) -> bool:
        """The cursor is on one of the panel's fields (not on the panel itself)."""
        focused = self.screen.focused
        return focused is not None and self in focused.ancestors

    def action_save_form(self) -> None:
        if self.detail is None or not self.detail.is_open or not self.detail.fields:
            raise SkipAction  # nothing to save: the key goes on to the screen
        pairs = self.pairs()
        if pairs is not None:
            self._clear_refusal()
            self.post_message(self.Save(self.detail, pairs, self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # on the task but in none of its fields, Esc and Enter are the screen's (the
        # focus run's Back): the footer said "Leave form" and Esc left the run
        return self._in_form() if action in ("leave_form", "next_field") else True

    def action_leave_form(self) -> None:
        if not self._in_form():
            raise SkipAction  # Esc goes on to the screen (the focus run's Back)
        self.screen.set_focus(None)  # no field keeps the keys that follow
        self.post_message(self.Leave())

    def action_next_field(self) -> None:
        """Enter where the field does not take it itself: on to the next field."""
        if not self._in_form():
            raise SkipAction
        self._next_field(self.screen.focused)

    def _next_field(self, widget: Any) -> None:
        fields = [w for w in self.query("Input, Select") if not w.disabled]
        if widget in fields and widget is not fields[-1]:
            fields[fields.index(widget) + 1].focus()
        elif widget in fields and (save := self.query("#save")):
            save.first().focus()  # after the last (a list, say): Enter on Save saves

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save" and self.detail is not None:
            event.stop()
            self.action_save_form()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: on to the next field, or save from the last one."""
        if not (event.input.id or "").startswith("field-") or self.detail is None:
            return
        event.stop()
        fields = [w for w in self.query("Input, Select") if not w.disabled]
        if event.input is fields[-1]:  # a choice after it is a field too: on to it
            self.action_save_form()
        else:
            fields[fields.index(event.input) + 1].focus()

    def focus_form(self) -> bool:
        for widget in self.query("Input, Select"):
            if not widget.disabled:
                widget.focus()
                return True
        return False
