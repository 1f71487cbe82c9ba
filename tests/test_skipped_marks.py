"""A skipped task is not a finished one: the queue's list of today's finished tasks
marks it – (as the deal screen and the task panel do), not ✓ like a task done."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from salesbench.core.queue import CustomerFacts, Item
from salesbench.tui.queue_lines import task_line


def _item(status: str) -> Item:
    customer = CustomerFacts("c1", "李娜", "A")
    return Item("t1", "Welcome the customer", None, status, "manual", None, customer)


def test_the_workbench_marks_a_skipped_task_apart_from_a_done_one() -> None:
    assert str(task_line(None, "done", _item("done")).head).lstrip().startswith("✓")
    assert str(task_line(None, "done", _item("skipped")).head).lstrip().startswith("–")


def test_queue_all_marks_a_skipped_task_apart_from_a_done_one(cli, db_path: Path) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Walk-in", "--kind", "person")
    assert cli("opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM task ORDER BY due_at, title")]
    assert len(ids) >= 2
    assert cli("task", "done", ids[0][:8], "--force", "--reason", "by phone").exit_code == 0
    assert cli("task", "skip", ids[1][:8]).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        titles = dict(conn.execute("SELECT status, title FROM task WHERE status != 'open'"))
    shown = cli("queue", "--all").stdout
    lines = {line.split("] ", 1)[-1].split("  ", 1)[-1]: line for line in shown.splitlines()}
    assert lines[titles["done"]].lstrip().startswith("✓"), shown
    assert lines[titles["skipped"]].lstrip().startswith("–"), shown
