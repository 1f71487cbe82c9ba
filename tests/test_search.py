"""Chinese search: by the characters, full pinyin, initials, a phone fragment and a
word of a logged note (services/search.py), from the CLI and the customer center."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from salesbench.core.search_terms import read_query, spelled_quality
from salesbench.services.search_index import spell
from tests.conftest import rows


@pytest.fixture
def people(cli, db):
    assert cli("init", "--name", "王芳", "--email", "wf@example.com").exit_code == 0
    for name, kind in (
        ("李娜", "person"),
        ("杭州华东办公家具有限公司", "company"),
        ("单田芳", "person"),
        ("Lina Books", "company"),
        ("重庆长安汽车", "company"),
    ):
        assert cli("customer", "add", name, "--kind", kind).exit_code == 0
    assert (
        cli(
            "contact", "add", "杭州华东办公家具有限公司", "李雷", "--phone", "+86 138 0013 8000"
        ).exit_code
        == 0
    )
    assert cli("opp", "add", "杭州华东办公家具有限公司", "华东总部搬迁").exit_code == 0
    done = cli("log", "visit", "--customer", "杭州华东办公家具有限公司",
               "--needs", "客户关心交货周期，希望月底前送到")  # fmt: skip
    assert done.exit_code == 0, done.output
    return cli


def found(cli, text: str) -> list[dict[str, str]]:
    result = cli("search", text, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def names(cli, text: str) -> list[tuple[str, str]]:
    return [(h["kind"], h["text"]) for h in found(cli, text)]


@pytest.mark.both_backends
def test_full_pinyin_and_initials_find_the_chinese_name(people) -> None:
    assert names(people, "lina")[0] == ("customer", "李娜")
    assert names(people, "li na")[0] == ("customer", "李娜")
    assert names(people, "LiNa")[0] == ("customer", "李娜")
    assert ("customer", "Lina Books") in names(people, "lina")  # the letters themselves too
    assert names(people, "ln")[0] == ("customer", "李娜")
    assert names(people, "hzhd")[0] == ("customer", "杭州华东办公家具有限公司")
    assert names(people, "hangzhou")[0] == ("customer", "杭州华东办公家具有限公司")
    # a phrase read in its context: 重庆 is chongqing, 长安 chang'an
    assert names(people, "chongqing")[0] == ("customer", "重庆长安汽车")
    assert names(people, "cqca")[0] == ("customer", "重庆长安汽车")


@pytest.mark.both_backends
def test_a_chinese_character_finds_names_contacts_and_deals(people) -> None:
    hits = names(people, "李")
    assert ("customer", "李娜") in hits and ("contact", "李雷") in hits
    east = names(people, "华东")
    # the title that starts with it before the name that holds it further on
    assert east == [("deal", "华东总部搬迁"), ("customer", "杭州华东办公家具有限公司")]
    contact = next(h for h in found(people, "李雷") if h["kind"] == "contact")
    assert contact["customer"] == "杭州华东办公家具有限公司"


@pytest.mark.both_backends
def test_a_phone_fragment_is_found_however_it_is_spaced(people) -> None:
    for fragment in ("0013 8000", "00138000", "138-0013", "+86 138"):
        assert ("contact", "李雷") in names(people, fragment), fragment


@pytest.mark.both_backends
def test_a_word_of_a_logged_note_finds_the_customer(people) -> None:
    hit = found(people, "交货周期")[0]
    assert hit["kind"] == "note" and hit["customer"] == "杭州华东办公家具有限公司"
    assert "交货周期" in hit["text"]


@pytest.mark.both_backends
def test_a_surname_is_found_by_its_surname_reading(people) -> None:
    # 单 alone reads dan; as a surname it is shan
    assert names(people, "shantianfang")[0] == ("customer", "单田芳")
    assert names(people, "stf")[0] == ("customer", "单田芳")
    assert names(people, "dtf")[0] == ("customer", "单田芳")


@pytest.mark.both_backends
def test_the_name_itself_ranks_before_a_pinyin_match(people) -> None:
    assert people("customer", "add", "ln").exit_code == 0
    assert names(people, "ln")[0] == ("customer", "ln")
    assert names(people, "ln")[1] == ("customer", "李娜")


@pytest.mark.both_backends
def test_wildcards_are_taken_as_themselves(people) -> None:
    for text in ("%", "_", "%%", "\\", "'", '"'):
        assert found(people, text) == [], text


def test_a_name_written_by_another_process_is_found_by_its_pinyin(people, db) -> None:
    """No write path has to remember the index: a name added behind salesbench's back
    (here by SQL) is spelled by the next search, and the key is kept."""
    (owner,) = rows(db, "SELECT id FROM rep")[0]
    sql = ("INSERT INTO customer (id, kind, name, grade_set_by, status, owner_id, custom, "
           "created_at, updated_at, version) VALUES ('00000000000000000000000000000c99', "
           "'person', '张伟', 'rule', 'active', ?, '{}', '2026-11-20 01:00:00', "
           "'2026-11-20 01:00:00', 1)")  # fmt: skip
    with sqlite3.connect(db) as conn:
        conn.execute(sql, (owner,))
    assert rows(db, "SELECT count(*) FROM search_key WHERE text = '张伟'") == [(0,)]
    assert names(people, "zw")[0] == ("customer", "张伟")
    assert rows(db, "SELECT spelled, initials FROM search_key WHERE text = '张伟'") == [
        ("zhangwei", "zw")
    ]


def test_nothing_found_says_so_in_one_line_and_the_rep_s_language(people, monkeypatch) -> None:
    result = people("search", "xyzzy")
    assert result.exit_code == 0 and result.stdout.strip() == 'nothing matches "xyzzy"'
    monkeypatch.setenv("SALESBENCH_LANG", "zh_CN")
    listed = people("search", "lina")
    assert listed.exit_code == 0
    assert "客户" in listed.stdout and "拼音" in listed.stdout, listed.stdout
    assert "customer" not in listed.stdout and "pinyin" not in listed.stdout


def test_a_limit_out_of_range_is_refused_naming_the_option(people) -> None:
    result = people("search", "li", "--limit", "0")
    assert result.exit_code == 2 and "--limit" in result.output


def test_a_backup_leaves_the_index_out_and_the_restored_book_is_searched(
    people, db_path: Path, tmp_path: Path
) -> None:
    assert found(people, "lina")  # the index holds the names now
    bundle = tmp_path / "book.db"
    assert people("backup", str(bundle)).exit_code == 0
    assert people("restore", str(bundle), "--yes").exit_code == 0
    assert names(people, "ln")[0] == ("customer", "李娜")


def test_spelling_of_mixed_and_odd_names() -> None:
    assert spell("Acme 科技") == ("acmekeji", "akj")
    assert spell("Acme Ltd") == ("", "")
    assert spell("") == ("", "")
    spelled, initials = spell("吕布")
    assert "lvbu" in spelled.split("|") and "lubu" in spelled.split("|")
    assert spelled_quality(spelled, initials, read_query("lubu")) is not None
    assert read_query("li'na").spelling == "lina"
    assert read_query("李娜").spelling is None
    assert read_query("138 0013").digits == "1380013"
    assert read_query("12").digits is None  # too short to be a phone fragment


async def test_the_customer_center_finds_by_pinyin_initials_and_a_note(store, clock) -> None:
    from textual.widgets import OptionList

    from salesbench.services.activities import log_activity
    from tests.test_i18n import _zh_app
    from tests.test_tui_customers import open_center
    from tests.tui_support import settle

    app = await _zh_app(store, clock, 10)
    log_activity(
        store, {"channel": "visit", "needs": "想要灰色布艺沙发"}, clock=clock, customer_ref="李娜"
    )
    async with app.run_test(size=(160, 48)) as pilot:
        for typed, shown in (
            ("lina", "李娜"),
            ("ln", "李娜"),
            ("布艺", "跟进记录：想要灰色布艺沙发"),
        ):
            screen = await open_center(pilot, typed)
            results = screen.query_one("#results", OptionList)
            first = str(results.get_option_at_index(0).prompt)
            assert shown in first, (typed, first)
            await pilot.press("escape")
            await settle(pilot)


def test_a_key_an_older_speller_wrote_is_spelled_again(people, db_path: Path) -> None:
    assert found(people, "lina")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE search_key SET spelled = 'wrong', initials = 'x', speller = 0 "
                     "WHERE text = '李娜'")  # fmt: skip
    assert names(people, "lina")[0] == ("customer", "李娜")
    assert rows(
        db_path, "SELECT spelled, initials, speller FROM search_key WHERE text = '李娜'"
    ) == [("lina", "ln", 1)]


def test_the_demo_spells_its_names_as_it_is_made(cli, db_path: Path) -> None:
    assert cli("demo", "--customers", "30").exit_code == 0
    missing = rows(db_path, "SELECT count(*) FROM customer c WHERE NOT EXISTS "
                   "(SELECT 1 FROM search_key k WHERE k.text = c.name)")  # fmt: skip
    assert missing == [(0,)]


def test_an_empty_search_is_refused_in_one_line(people) -> None:
    result = people("search", "  ")
    assert result.exit_code == 2
    assert result.output.strip() == "salesbench: error: TEXT: give the text to look for"


def test_the_search_speaks_the_language_of_the_rep_searching(people) -> None:
    """王芳, the only rep, speaks zh-CN: the CLI's table is hers without SALESBENCH_LANG."""
    assert people("rep", "edit", "wf@example.com", "--lang", "zh-CN").exit_code == 0
    listed = people("search", "lina")
    assert "客户" in listed.stdout and "拼音" in listed.stdout, listed.stdout
    assert people("search", "xyzzy").stdout.strip() == "没有与“xyzzy”匹配的记录"


def test_the_customer_center_says_a_contact_was_found_by_phone(people, db) -> None:
    """A customer found by a contact's phone said only "contact 李雷": nothing told the
    rep why typing digits brought up that company (walkthrough)."""
    from salesbench.core.clock import FixedClock
    from salesbench.services.customers import search
    from salesbench.store.open import open_store
    from tests.conftest import NOW

    store = open_store(str(db))
    try:
        found = search(store, "0013 8000", clock=FixedClock(NOW))
    finally:
        store.close()
    assert [(c.name, why) for c, why in found] == [
        ("杭州华东办公家具有限公司", "contact 李雷, by phone or email")
    ]
