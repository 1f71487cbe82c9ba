"""The selected task: why and how, its form, and its scripts ready to copy."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from salesbench.core.errors import BadInput
from salesbench.core.playbook import FieldDef
from salesbench.core.values import parse_value
from salesbench.tui.base import escape

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


def shown(field: FieldDef, value: Any) -> str:
    if value is None:
        return ""
    if field.type == "money" and isinstance(value, int):
        return f"{value / 100:.2f}"
    if field.type == "bool":
        return "yes" if value else "no"
    return str(value)


def copy_key(n: int) -> str:
    """The key that copies script `n` (tui/actions.py: c and 1-9; 0 picks from all)."""
    return "c" if n == 1 else str(n) if n <= 9 else "0"


def script_markup(n: int, rendered: RenderedScript) -> str:
    """Script `n` as the panel shows it: title, channel and key, then the text. A script
    with a gap says "not ready to send" on its first line and each [missing: …] marker
    stands out in the text, so an unfinished message never passes for a finished one."""
    key = copy_key(n)
    head = f"[b]{n}[/b] {escape(rendered.script.title)} [dim]({rendered.script.channel}"
    if rendered.sendable:
        return f"{head}, press {key} to copy)[/dim]\n{escape(rendered.rendered.text)}"
    gaps = ", ".join(escape(g) for g in rendered.gaps)
    body = "".join(
        f"[b reverse]{escape(part)}[/]" if gap else escape(part) for part, gap in rendered.pieces()
    )
    anyway = f"press {key} twice" if n <= 9 else f"choose it with {key}"  # 0: the picker
    return (
        f"{head})[/dim]  [b]! not ready to send[/b]: missing {gaps}"
        f" [dim]({anyway} to copy it anyway)[/dim]\n{body}"
    )


class TaskPanel(VerticalScroll):
    """Shows one TaskDetail; posts Save with the form's field=value pairs."""

    class Save(Message):
        def __init__(self, detail: TaskDetail, pairs: list[str]) -> None:
            super().__init__()
            self.detail = detail
            self.pairs = pairs

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

    def compose(self) -> ComposeResult:
        yield Static("Select a task to see what to do.", id="task-empty")

    async def show(self, detail: TaskDetail | None) -> None:
        async with self._updating:
            await self._show(detail)

    async def _show(self, detail: TaskDetail | None) -> None:
        self.detail = detail
        await self.remove_children()
        if detail is None:
            await self.mount(Static("Nothing selected.", id="task-empty"))
            return
        widgets: list[Any] = [Static(self._heading(detail), id="task-heading")]
        if detail.purpose:
            widgets.append(Static(f"[b]Why[/b]  {escape(detail.purpose)}", classes="task-text"))
        if detail.guidance:
            widgets.append(Static(f"[b]How[/b]\n{escape(detail.guidance)}", classes="task-text"))
        if detail.check:
            widgets.append(Static(self._checks(detail), classes="task-text", id="task-checks"))
        for n, (text, ticked) in enumerate(detail.checklist, 1):  # space or enter ticks it
            box = Checkbox(escape(text), ticked, id=f"check-{n}", disabled=not detail.is_open)
            widgets.append(box)
        if detail.skills:
            skills = ", ".join(escape(s) for s in detail.skills)
            widgets.append(Static(f"[b]Key skills[/b]  {skills}", classes="task-text"))
        if detail.done_anyway:
            reason = escape(str(detail.done_anyway.get("reason", "")))
            widgets.append(Static(f"[b]Done anyway[/b]  {reason}", classes="task-text"))
        if detail.fields:
            widgets.append(Label(f"[b]{detail.action_label}[/b]", id="form-title"))
            for field, value in detail.fields:
                code = detail.currencies.get(field.key)  # money is in the deal's currency
                label = f"{field.label} ({code})" if code else field.label
                widgets.append(Label(escape(label), classes="field-label"))
                widgets.append(self._input(field, value, editable=detail.is_open, currency=code))
            if detail.is_open:
                widgets.append(
                    Horizontal(
                        Button(detail.action_label, id="save", variant="primary"),
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
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    def _checks(self, d: TaskDetail) -> str:
        """The check criteria: those the fields meet show ✓, the rest (and those the rep
        confirms by hand) ☐."""
        met = {text for text, ok in d.criteria if ok}
        lines = [f"  {'✓' if c in met else '☐'} {escape(c)}" for c, _ok in d.criteria]
        if d.checklist:
            also = "and " if lines else ""
            lines.append(f"  [dim]{also}the checklist below, ticked with space[/dim]")
        return "[b]Done when[/b]\n" + "\n".join(lines)

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
        state = {"done": "✓ done", "skipped": "– skipped", "snoozed": "z snoozed"}.get(d.status, "")
        who = f"  ·  {escape(d.role_with)}" if d.role_with and d.role_with not in d.title else ""
        return f"[b]{escape(d.title)}[/b]  {state}\n{where}{who}"

    def _input(
        self, field: FieldDef, value: Any, *, editable: bool, currency: str | None = None
    ) -> Any:
        ident = f"field-{field.key}"
        if field.type in ("choice", "bool"):
            options = (
                [(field.label_of(c), c) for c in field.choices]
                if field.type == "choice"
                else [("yes", "yes"), ("no", "no")]
            )
            current = shown(field, value) or Select.NULL
            return Select(
                options,
                value=current,
                id=ident,
                disabled=not editable,
                prompt=field.help or "choose",
            )
        money = f"amount in {currency}" if currency else "amount"
        placeholder = {"date": "YYYY-MM-DD", "money": money, "int": "number"}.get(
            field.type, field.help or ""
        )
        return Input(
            shown(field, value),
            placeholder=placeholder,
            id=ident,
            validators=[FieldValidator(field)],
            disabled=not editable,
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
                    widget.focus()
                    self.app.notify(
                        f"{field.label}: {result.failure_descriptions[0]}", severity="error"
                    )
                    return None
                value = widget.value
            out.append(f"{field.key}={value}")
        return out

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save" and self.detail is not None:
            event.stop()
            pairs = self.pairs()
            if pairs is not None:
                self.post_message(self.Save(self.detail, pairs))

    def focus_form(self) -> bool:
        for widget in self.query("Input, Select"):
            if not widget.disabled:
                widget.focus()
                return True
        return False
