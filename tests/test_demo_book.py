"""The demo's records read like a real book (issue 17's walkthrough): nothing happened
after the demo's now, contacts were logged in the rep's working hours, next steps fit
the deal's playbook and stage, retail deals are for people and B2B deals for
companies, and a zh-CN rep's book is written in Chinese, an English rep's in English."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salesbench.core.workday import workday_of
from salesbench.services.demo import generate
from salesbench.services.playbooks import Catalog
from salesbench.store.open import open_store
from tests.sop_world import sh

MONDAY_10 = sh(2026, 11, 23, 10)
RETAIL = "retail-5"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "demo.db"
    store = open_store(str(path))
    # three reps: two read Chinese, one English
    generate(store, customers=300, seed=7, reps=3, now=MONDAY_10)
    store.close()
    return path


def rows(path: Path, sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


def moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


# every column that says when something happened (due dates and pauses lie ahead)
HAPPENED = {
    "customer": ("created_at", "updated_at"),
    "contact": ("created_at", "updated_at"),
    "opportunity": ("created_at", "updated_at", "stage_entered_at", "closed_at"),
    "stage_move": ("moved_at", "created_at"),
    "task": ("created_at", "updated_at", "completed_at"),
    "activity": ("started_at", "ended_at", "created_at", "updated_at"),
    "complaint": ("received_at", "responded_at", "resolved_at", "created_at", "updated_at"),
}


def test_nothing_in_the_demo_happened_after_its_now(book: Path) -> None:
    future = []
    for table, columns in HAPPENED.items():
        for row in rows(book, f"SELECT {', '.join(columns)} FROM {table}"):
            future += [
                (table, c, row[c]) for c in columns if (moment(row[c]) or MONDAY_10) > MONDAY_10
            ]
    assert future == []


def test_contacts_were_logged_in_the_reps_working_hours(book: Path) -> None:
    found = rows(
        book,
        "SELECT a.started_at, a.ended_at, r.timezone, r.workday_start, r.workday_end, "
        "r.workdays FROM activity a JOIN rep r ON r.id = a.owner_id",
    )
    assert len(found) > 500
    outside = []
    for row in found:
        workday = workday_of(row["timezone"], row[3], row[4], row["workdays"])
        started, ended = moment(row["started_at"]), moment(row["ended_at"])
        assert started is not None and ended is not None
        day = workday.local(started).date()
        if not (
            workday.is_working_day(day)
            and workday.opens(day) <= started
            and ended <= workday.closes(day)
        ):
            outside.append(workday.local(started))
    assert outside == []
    # the customers and their contacts were entered at work too
    for table in ("customer", "contact"):
        for row in rows(
            book,
            f"SELECT t.created_at, r.timezone, r.workday_start, r.workday_end, r.workdays "
            f"FROM {table} t JOIN customer c ON c.id = "
            f"{'t.id' if table == 'customer' else 't.customer_id'} JOIN rep r ON r.id = c.owner_id",
        ):
            workday = workday_of(row["timezone"], row[2], row[3], row["workdays"])
            at = moment(row["created_at"])
            assert at is not None
            day = workday.local(at).date()
            assert workday.is_working_day(day), (table, workday.local(at))
            assert workday.opens(day) <= at <= workday.closes(day), (table, workday.local(at))


def test_next_steps_fit_the_deals_playbook_and_stage(book: Path) -> None:
    steps = rows(
        book,
        "SELECT t.title, o.playbook_key, o.stage_key, r.language FROM task t "
        "JOIN opportunity o ON o.id = t.opportunity_id JOIN rep r ON r.id = o.owner_id "
        "WHERE t.origin = 'next_step' AND o.status = 'open'",
    )
    assert len(steps) > 300
    # the lists differ: a showroom's first contact is not a contract's negotiation
    by_place: dict[tuple[str, str], set[str]] = defaultdict(set)
    for title, playbook, stage, _language in steps:
        by_place[(playbook, stage)].add(title)
    places = sorted(by_place)
    for i, one in enumerate(places):
        for other in places[i + 1 :]:
            assert not by_place[one] & by_place[other], (one, other)

    # and each step is drawn from its playbook's list for that stage
    from salesbench.services.demo_steps import NEXT_STEPS

    wrong = [tuple(s) for s in steps if s[0] not in NEXT_STEPS[(s[1], s[3])][s[2]]]
    assert wrong == []
    # none repeats a step the playbook gives itself: a deal never lists one step twice
    catalog = Catalog()
    for (playbook, language), stages in NEXT_STEPS.items():
        pb = catalog.get(playbook, language)
        own = {t.title for stage in pb.stages for t in stage.tasks}
        assert {s for titles in stages.values() for s in titles} & own == set(), playbook


def test_retail_deals_are_for_people_and_b2b_deals_for_companies(book: Path) -> None:
    deals = rows(
        book,
        "SELECT o.playbook_key, c.kind FROM opportunity o JOIN customer c ON c.id = o.customer_id",
    )
    kinds = {(d["playbook_key"], d["kind"]) for d in deals}
    assert (RETAIL, "person") in kinds and ("b2b-lifecycle", "company") in kinds
    assert ("solution-selling", "company") in kinds
    assert {k for k in kinds if (k[0] == RETAIL) != (k[1] == "person")} == set()


def cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_zh_cn_book_is_in_chinese_and_an_english_one_in_english(book: Path) -> None:
    texts = rows(
        book,
        "SELECT r.language, c.name AS customer, a.summary AS text FROM activity a "
        "JOIN rep r ON r.id = a.owner_id JOIN customer c ON c.id = a.customer_id "
        "UNION ALL SELECT r.language, c.name, a.objections FROM activity a "
        "JOIN rep r ON r.id = a.owner_id JOIN customer c ON c.id = a.customer_id "
        "UNION ALL SELECT r.language, c.name, a.needs FROM activity a "
        "JOIN rep r ON r.id = a.owner_id JOIN customer c ON c.id = a.customer_id "
        "UNION ALL SELECT r.language, c.name, a.next_step_content FROM activity a "
        "JOIN rep r ON r.id = a.owner_id JOIN customer c ON c.id = a.customer_id "
        "UNION ALL SELECT r.language, c.name, t.title FROM task t "
        "JOIN rep r ON r.id = t.owner_id LEFT JOIN opportunity o ON o.id = t.opportunity_id "
        "JOIN customer c ON c.id = coalesce(t.customer_id, o.customer_id) "
        "UNION ALL SELECT r.language, c.name, x.content FROM complaint x "
        "JOIN rep r ON r.id = x.owner_id JOIN customer c ON c.id = x.customer_id "
        "UNION ALL SELECT r.language, c.name, x.resolution FROM complaint x "
        "JOIN rep r ON r.id = x.owner_id JOIN customer c ON c.id = x.customer_id "
        "UNION ALL SELECT r.language, c.name, k.title FROM contact k "
        "JOIN customer c ON c.id = k.customer_id JOIN rep r ON r.id = c.owner_id",
    )
    written = [t for t in texts if t["text"]]
    assert {t["language"] for t in written} == {"en", "zh-CN"}
    # a customer's own name is theirs, in whatever script: the rep's words are the rest
    wrong = [
        (t["language"], t["text"])
        for t in written
        if cjk(t["text"].replace(t["customer"], "")) != (t["language"] == "zh-CN")
    ]
    assert wrong == []
