"""The demo looks like a rep's ordinary day (issue 17): most of the work due today or
ahead, a realistic few overdue and rotting, deals named for the playbook they run on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesbench.services.demo import generate
from salesbench.services.demo_data import DEAL_TITLES
from salesbench.services.queue import load_queue
from salesbench.store.open import open_store
from tests.sop_world import sh

MONDAY_10 = sh(2026, 11, 23, 10)


def build(path: Path, customers: int, seed: int) -> Path:
    store = open_store(str(path))
    generate(store, customers=customers, seed=seed, now=MONDAY_10)
    store.close()
    return path


@pytest.fixture(scope="module")
def demo500(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("day") / "demo.db", 500, 7)


def test_the_demo_day_has_a_realistic_few_overdue_tasks_and_rotting_deals(demo500) -> None:
    with sqlite3.connect(demo500) as conn:
        reps = [r for (r,) in conn.execute("SELECT email FROM rep ORDER BY email")]
    store = open_store(str(demo500))
    try:
        for rep in reps:
            counts = load_queue(store, now=MONDAY_10, rep=rep, mode="morning").queue.counts
            with sqlite3.connect(demo500) as conn:
                (deals,) = conn.execute(
                    "SELECT count(*) FROM opportunity o JOIN rep r ON r.id = o.owner_id "
                    "WHERE r.email = ? AND o.status = 'open'",
                    (rep,),
                ).fetchone()
            assert counts.open >= 30, rep  # a day's work, not an empty list
            share = counts.overdue / counts.open
            assert 0.03 <= share <= 0.15, (rep, counts)
            assert counts.due_today > counts.overdue, (rep, counts)
            assert 0 < counts.rotting <= 0.12 * deals, (rep, counts, deals)
    finally:
        store.close()


def test_every_demo_deal_is_named_from_its_playbooks_list_in_its_language(demo500) -> None:
    with sqlite3.connect(demo500) as conn:
        deals = conn.execute(
            "SELECT o.title, o.playbook_key, r.language FROM opportunity o "
            "JOIN rep r ON r.id = o.owner_id"
        ).fetchall()
    assert len(deals) > 500
    wrong = [d for d in deals if d[0] not in DEAL_TITLES[(d[1], d[2])]]
    assert wrong == []
    # each list speaks its playbook's language: Chinese titles on zh-CN playbooks
    for (_key, language), titles in DEAL_TITLES.items():
        cjk = [any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles]
        assert all(cjk) if language == "zh-CN" else not any(cjk), titles


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def test_the_same_seed_gives_the_same_demo(tmp_path: Path) -> None:
    one = dump(build(tmp_path / "one.db", 60, 3))
    assert one == dump(build(tmp_path / "two.db", 60, 3))
    assert one["task"] != dump(build(tmp_path / "three.db", 60, 4))["task"]
