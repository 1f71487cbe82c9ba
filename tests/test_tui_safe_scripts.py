"""Issue 17, safe scripts: a script with a gap is visibly incomplete in the task panel,
and copying it warns first and needs the same key again within a few seconds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.playbooks import import_playbook
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from tests.conftest import CLOCK
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only

QUOTING = """\
[playbook]
key = "quoting"
name = "Quoting"
language = "en"
version = "1"

[[fields]]
key = "total"
label = "Quoted total"
type = "text"

[[stages]]
key = "one"
name = "One"
probability = 0.5

[[stages.tasks]]
key = "quote"
title = "Send the quote"
scripts = ["quote", "thanks"]

[[scripts]]
key = "quote"
title = "Quote"
body = "Our price is {opportunity.total}, as agreed."

[[scripts]]
key = "thanks"
title = "Thanks"
body = "Thank you for your time."
"""


@pytest.fixture
def app(store, clock, tmp_path: Path) -> SalesbenchApp:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    path = tmp_path / "quoting.en.toml"
    path.write_text(QUOTING, encoding="utf-8")
    import_playbook(store, path, clock=CLOCK)
    add_customer(store, {"name": "Acme"}, clock=clock)
    add_opportunity(store, "Acme", {"title": "Deal", "playbook_key": "quoting"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_a_script_with_a_gap_is_marked_not_ready(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#script-1", Static)
        shown = str(card.render())
        assert "Our price is [missing: Quoted total], as agreed." in shown
        assert "(total)" not in shown and "{opportunity.total}" not in shown
        assert "! not ready to send: missing Quoted total" in shown
        assert card.has_class("not-ready")
        gap = next(s for s in card.render().spans if "reverse" in str(s.style))
        assert str(card.render())[gap.start : gap.end] == "[missing: Quoted total]"
        ready = app.screen.query_one("#script-2", Static)
        assert not ready.has_class("not-ready") and "not ready" not in str(ready.render())


async def test_copying_a_script_with_a_gap_needs_the_key_twice(app: SalesbenchApp, clock) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == ""  # nothing copied on the first press
        assert notices[-1].severity == "warning"
        assert notices[-1].message.startswith("“Quote” is not ready to send: missing Quoted total")
        assert "Press c again" in notices[-1].message
        clock.at += timedelta(seconds=2)
        await pilot.press("c")
        await pilot.pause()
        # what the panel showed, the gap marked where the value belongs
        assert app.clipboard == "Our price is [missing: Quoted total], as agreed."
        assert notices[-1].severity == "warning"
        assert "NOT READY" in notices[-1].message
        assert "[missing: Quoted total]" in notices[-1].message

        app.copy_to_clipboard("")
        await pilot.press("1")  # warns again: each copy of an unfinished text is asked for
        clock.at += timedelta(seconds=30)
        await pilot.press("1")  # too late: it counts as a first press
        await pilot.pause()
        assert app.clipboard == ""
        await pilot.press("2")  # a finished script copies at once
        await pilot.pause()
        assert app.clipboard == "Thank you for your time."
        assert notices[-1].message == "Copied “Thanks”"


def test_the_cli_marks_the_same_gap(cli, db, tmp_path: Path) -> None:
    import json

    from tests.conftest import rows

    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    path = tmp_path / "quoting.en.toml"
    path.write_text(QUOTING, encoding="utf-8")
    assert cli("playbook", "import", str(path)).exit_code == 0
    cli("customer", "add", "Acme")
    assert cli("opp", "add", "Acme", "Deal", "--playbook", "quoting").exit_code == 0
    out = cli("script", "render", "quote", "--opp", "Deal")
    assert out.stdout.strip() == "Our price is [missing: Quoted total], as agreed."
    assert "not ready to send: missing Quoted total" in out.output
    doc = json.loads(cli("script", "render", "quote", "--opp", "Deal", "--json").stdout)
    assert doc[0]["sendable"] is False and doc[0]["missing"] == ["opportunity.total"]
    assert cli("opp", "set", "Deal", "total=12,000 a year").exit_code == 0
    done = json.loads(cli("script", "render", "quote", "--opp", "Deal", "--json").stdout)
    assert done[0]["sendable"] is True
    assert done[0]["text"] == "Our price is 12,000 a year, as agreed."
    assert rows(db, "SELECT count(*) FROM opportunity") == [(1,)]
