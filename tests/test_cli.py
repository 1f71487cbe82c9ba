"""The CLI through Typer's CliRunner; every write is checked in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import count_rows, rows

pytestmark = pytest.mark.both_backends


@pytest.fixture
def seeded(cli, db):
    assert (
        cli("init", "--name", "Wang Fang", "--email", "wf@example.com", "--team", "East").exit_code
        == 0
    )
    return cli


@pytest.mark.sqlite_only
@pytest.mark.empty_db
def test_init_creates_a_wal_database_and_first_rep(seeded, db) -> None:
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "SELECT name, email, team FROM rep") == [
        ("Wang Fang", "wf@example.com", "East")
    ]


def test_init_off_a_tty_never_prompts(cli, db) -> None:
    result = cli("init", input="Should Not Be Read\n")
    assert result.exit_code == 0
    assert count_rows(db, "rep") == 0


def test_rep_add_and_list(seeded, db) -> None:
    result = seeded("rep", "add", "Sam Lee", "sam@example.com", "--team", "West", "--region", "SW")
    assert result.exit_code == 0, result.output
    listed = json.loads(seeded("rep", "list", "--json").output)
    assert [r["name"] for r in listed] == ["Wang Fang", "Sam Lee"]  # by team: East, West
    assert rows(db, "SELECT region FROM rep WHERE email='sam@example.com'") == [("SW",)]


def test_duplicate_rep_email_is_a_conflict(seeded, db) -> None:
    result = seeded("rep", "add", "Other", "WF@example.com")
    assert result.exit_code == 4
    assert "exists already" in result.output
    assert count_rows(db, "rep") == 1


def test_customer_add_show_and_edit(seeded, db) -> None:
    result = seeded(
        "customer",
        "add",
        "华东家具有限公司",
        "--annual-purchase",
        "1,500,000",
        "--number",
        "CRM-2024-001",
        "--source",
        "trade show",
        "-f",
        "风格=modern",
        "--json",
    )
    assert result.exit_code == 0, result.output
    added = json.loads(result.output)
    assert added["grade"] == "A" and added["grade_set_by"] == "rule"
    assert added["annual_purchase"] == 1500000.0
    assert rows(db, "SELECT grade, annual_purchase, source_channel, custom FROM customer") == [
        ("A", 150000000, "trade show", '{"风格": "modern"}')
    ]

    shown = json.loads(seeded("customer", "show", "CRM-2024-001", "--json").output)
    assert shown["id"] == added["id"] and shown["owner"]["name"] == "Wang Fang"

    edited = seeded(
        "customer",
        "edit",
        added["id"][:6],
        "--grade",
        "b",
        "--industry",
        "furniture",
        "-f",
        "风格=",
        "--json",
    )
    assert edited.exit_code == 0, edited.output
    assert rows(db, "SELECT grade, grade_set_by, industry, custom FROM customer") == [
        ("B", "manual", "furniture", "{}")
    ]


def test_customer_pause_needs_a_date(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    assert seeded("customer", "edit", "Acme", "--status", "paused").exit_code == 2
    assert seeded("customer", "edit", "Acme", "--paused-until", "2027-01-31").exit_code == 0
    assert rows(db, "SELECT status, paused_until FROM customer") == [("paused", "2027-01-31")]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        # each named by the option typed, not the record's field
        (["--grade", "D"], "--grade"),
        (["--paused-until", "2026-02-30"], "--paused-until"),
        (["--annual-purchase", "-100"], "--annual-purchase"),
        (["--annual-purchase", "lots"], "--annual-purchase"),
        (["--kind", "robot"], "--kind"),
        (["--status", "sleeping"], "--status"),
    ],
)
def test_customer_add_bad_value_exits_2_and_writes_nothing(seeded, db, args, field) -> None:
    result = seeded("customer", "add", "Bad Co", *args)
    assert result.exit_code == 2
    assert result.output.startswith(f"salesbench: error: {field}: ")
    assert result.output.count("\n") == 1  # one line, no traceback
    assert count_rows(db, "customer") == 0


def test_customer_list_filters(seeded) -> None:
    seeded("customer", "add", "Alpha", "--annual-purchase", "2000000")
    seeded("customer", "add", "Beta", "--annual-purchase", "500000")
    seeded("customer", "add", "Gamma")

    def names(*a: str) -> list[str]:
        return [c["name"] for c in json.loads(seeded("customer", "list", "--json", *a).output)]

    assert names() == ["Alpha", "Beta", "Gamma"]
    assert names("--grade", "B") == ["Beta"]
    assert names("--search", "amm") == ["Gamma"]
    assert names("--limit", "1") == ["Alpha"]
    table = seeded("customer", "list").output
    assert "Alpha" in table and "2000000.00" in table


def test_unknown_reference_exits_3(seeded) -> None:
    result = seeded("customer", "show", "Nobody")
    assert result.exit_code == 3
    assert "no customer matches 'Nobody'" in result.output


def test_ambiguous_reference_exits_2(seeded, db) -> None:
    seeded("customer", "add", "Twin")
    seeded("customer", "add", "Twin")
    result = seeded("customer", "show", "twin")
    assert result.exit_code == 2 and "matches several customers" in result.output


def test_ambiguous_deal_names_its_plural(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    seeded("opp", "add", "Acme", "Twin deal")
    seeded("opp", "add", "Acme", "Twin deal")
    result = seeded("opp", "show", "twin deal")
    assert result.exit_code == 2, result.output
    assert "matches several opportunities" in result.output
    assert rows(db, "SELECT count(*) FROM opportunity") == [(2,)]


def test_ambiguous_deals_of_two_customers_are_told_apart_by_customer(seeded) -> None:
    """Two 客厅沙发组合 of two customers were listed as "3add6527 (客厅沙发组合),
    6af7ea31 (客厅沙发组合)": nothing told the rep which is whose (walkthrough)."""
    seeded("customer", "add", "李娜", "--kind", "person")
    seeded("customer", "add", "唐磊", "--kind", "person")
    seeded("opp", "add", "李娜", "客厅沙发组合")
    seeded("opp", "add", "唐磊", "客厅沙发组合")
    result = seeded("opp", "show", "客厅沙发组合")
    assert result.exit_code == 2, result.output
    assert "(客厅沙发组合 · 李娜)" in result.output and "(客厅沙发组合 · 唐磊)" in result.output


def test_several_reps_need_a_choice(seeded, db, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded("rep", "add", "Sam Lee", "sam@example.com")
    result = seeded("customer", "add", "Acme")
    assert result.exit_code == 2 and "--rep" in result.output
    assert seeded("customer", "add", "Acme", "--rep", "sam@example.com").exit_code == 0
    monkeypatch.setenv("SALESBENCH_REP", "Wang Fang")
    assert seeded("customer", "add", "Beta").exit_code == 0
    owners = dict(rows(db, "SELECT c.name, r.name FROM customer c JOIN rep r ON r.id = c.owner_id"))
    assert owners == {"Acme": "Sam Lee", "Beta": "Wang Fang"}


def test_contacts(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    result = seeded(
        "contact",
        "add",
        "Acme",
        "李雷",
        "--role",
        "decision maker",
        "--email",
        "lilei@example.cn",
        "--title",
        "Director",
    )
    assert result.exit_code == 0, result.output
    assert seeded("contact", "add", "Acme", "Bad", "--email", "not-an-email").exit_code == 2
    assert seeded("contact", "add", "Acme", "Bad", "--role", "boss").exit_code == 2
    listed = json.loads(seeded("contact", "list", "--json", "--search", "李").output)
    assert [(c["name"], c["decision_role"], c["customer_name"]) for c in listed] == [
        ("李雷", "decision_maker", "Acme")
    ]
    assert count_rows(db, "contact") == 1
    assert (
        seeded("contact", "edit", "李雷", "--phone", "+86 139 1111 2222", "--title", "").exit_code
        == 0
    )
    assert rows(db, "SELECT phone, title FROM contact") == [("+86 139 1111 2222", None)]
    assert seeded("contact", "edit", "李雷", "--email", "nope").exit_code == 2


def test_opportunities(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    result = seeded(
        "opp",
        "add",
        "Acme",
        "Office refit",
        "--amount",
        "980,000",
        "--expected-close",
        "2026-12-31",
        "--stage",
        "needs",
        "--json",
    )
    assert result.exit_code == 0, result.output
    opp = json.loads(result.output)
    assert opp["amount"] == 980000.0 and opp["currency"] == "CNY"
    assert opp["stage_entered_at"] == "2026-11-23T09:30:00+00:00"  # SALESBENCH_NOW

    assert seeded("opp", "add", "Acme", "Bad", "--expected-close", "soon").exit_code == 2
    assert seeded("opp", "edit", "Office refit", "--status", "lost").exit_code == 2
    lost = seeded(
        "opp", "edit", "Office refit", "--status", "lost", "--lost-reason", "budget cut", "--json"
    )
    assert lost.exit_code == 0, lost.output
    assert rows(
        db, "SELECT status, lost_reason, closed_at IS NOT NULL, amount FROM opportunity"
    ) == [("lost", "budget cut", 1, 98000000)]
    listed = json.loads(seeded("opp", "list", "--json", "--status", "lost").output)
    assert [o["customer_name"] for o in listed] == ["Acme"]
    assert "Office refit" in seeded("opp", "show", opp["id"][:8]).output


@pytest.mark.sqlite_only
@pytest.mark.empty_db
def test_db_commands(cli, db_path: Path) -> None:
    assert cli("db", "path").output.strip() == str(db_path)
    assert cli("db", "upgrade").output.startswith("upgraded empty -> ")
    assert json.loads(cli("db", "current", "--json").output)["up_to_date"] is True
    assert cli("db", "upgrade").output.startswith("already at")


def test_queue_with_no_tasks(seeded) -> None:
    assert "Nothing left for today." in seeded().output
    data = json.loads(seeded("queue", "--json").output)
    assert data["counts"]["open"] == 0
    assert all(not s["groups"] for s in data["sections"])


def test_queue_lists_open_tasks_due_today_grouped_by_opportunity(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    opp = json.loads(seeded("opp", "add", "Acme", "Refit", "--json").output)
    ((rep_id,),) = rows(db, "SELECT owner_id FROM opportunity")
    opp_hex = opp["id"].replace("-", "")
    utc = "" if isinstance(db, Path) else "+00"  # SQLite keeps UTC without an offset
    for n, (due, status) in enumerate(
        [
            ("2026-11-22 09:00:00.000000", "open"),
            ("2026-11-23 10:00:00.000000", "open"),
            ("2026-11-23 08:00:00.000000", "done"),
            ("2026-11-30 09:00:00.000000", "open"),
        ]
    ):
        rows(
            db,
            "INSERT INTO task (id, opportunity_id, owner_id, origin_kind, title, due_at,"
            " status, created_at, updated_at, suggested) "
            "VALUES (?, ?, ?, 'manual', ?, ?, ?, ?, ?, false)",
            f"{n:032x}", opp_hex, rep_id, f"task {n}", due + utc, status, due + utc, due + utc,
        )  # fmt: skip
    data = json.loads(seeded("queue", "--json").output)
    shown = {
        s["key"]: [t["title"] for g in s["groups"] for t in g["tasks"]] for s in data["sections"]
    }
    assert shown["overdue"] == ["task 0"]
    assert shown["today"] == ["task 1"]
    # the deal already has work today, so its later step is not suggested on top
    assert shown["suggested"] == []
    group = next(s for s in data["sections"] if s["key"] == "overdue")["groups"][0]
    assert group["opportunity"]["title"] == "Refit"


def test_version(cli) -> None:
    from salesbench import __version__

    assert cli("--version").output.strip() == f"salesbench {__version__}"


def test_a_server_url_without_psycopg_says_what_to_install(monkeypatch) -> None:
    """psycopg comes with the `team` extra; without it a PostgreSQL URL is one line, exit 2."""
    import sys

    from typer.testing import CliRunner

    from salesbench.cli import app

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    url = "postgresql+psycopg://sales@127.0.0.1:1/salesbench"
    result = CliRunner().invoke(app, ["customer", "list", "--db", url])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "salesbench: error: a PostgreSQL database needs psycopg, which comes with the team "
        "extra: pip install 'salesbench[team]'"
    ]


def test_salesbench_db_names_the_database_and_db_wins(tmp_path, monkeypatch) -> None:
    """SALESBENCH_DB is read by the CLI, for a command and for the bare `salesbench`
    (which runs the queue off a terminal); --db wins over it."""
    from typer.testing import CliRunner

    from salesbench.cli import app

    runner = CliRunner()
    env_db, flag_db = tmp_path / "env.db", tmp_path / "flag.db"
    monkeypatch.setenv("SALESBENCH_NOW", "2026-11-23T09:30:00+00:00")
    monkeypatch.setenv("SALESBENCH_DB", str(env_db))
    added = runner.invoke(app, ["init", "--name", "Wang Fang", "--email", "wf@example.com"])
    assert added.exit_code == 0, added.output
    assert rows(env_db, "SELECT email FROM rep") == [("wf@example.com",)]
    assert "Nothing left for today." in runner.invoke(app, []).output
    assert runner.invoke(app, ["queue", "--json"]).exit_code == 0
    flagged = runner.invoke(
        app, ["init", "--db", str(flag_db), "--name", "Li", "--email", "l@x.io"]
    )
    assert flagged.exit_code == 0, flagged.output
    assert rows(flag_db, "SELECT email FROM rep") == [("l@x.io",)]
    assert rows(env_db, "SELECT count(*) FROM rep") == [(1,)]


def test_customer_show_and_opp_list_name_stages_roles_and_states_not_keys(seeded) -> None:
    """`customer show` listed a deal at "first_contact" and a contact as
    "decision_maker"; `opp list` the same keys (walkthrough, issue 18: labels, never
    keys). A person reads the playbook's stage name and the role's words; --json keeps
    the keys for scripts."""
    assert seeded("customer", "add", "Acme", "--kind", "company").exit_code == 0
    assert seeded("contact", "add", "Acme", "Li Lei", "--role", "decision_maker").exit_code == 0
    assert seeded("opp", "add", "Acme", "ERP", "--playbook", "b2b-lifecycle").exit_code == 0
    shown = seeded("customer", "show", "Acme")
    assert shown.exit_code == 0, shown.output
    for key in ("lead_development", "decision_maker", "grade_set_by"):
        assert key not in shown.output, key
    assert "decision maker" in shown.output
    listed = seeded("opp", "list")
    assert listed.exit_code == 0, listed.output
    assert "lead_development" not in listed.output
    stage = json.loads(seeded("opp", "list", "--json").output)[0]["stage_key"]
    assert stage == "lead_development"
    named = seeded("opp", "show", "ERP")
    assert "lead_development" not in named.output, named.output


def test_customer_show_speaks_the_acting_reps_language(cli, db) -> None:
    """A zh-CN rep's `customer show` said "grade A (by rule)   status active", "owner",
    "Contacts", "Opportunities" in English (issue 18): the rep's own words now."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    assert cli("customer", "add", "华东机械", "--annual-purchase", "2000000").exit_code == 0
    assert cli("contact", "add", "华东机械", "李雷", "--role", "decision_maker").exit_code == 0
    assert cli("opp", "add", "华东机械", "MES", "--playbook", "b2b-lifecycle").exit_code == 0
    out = cli("customer", "show", "华东机械").output
    for words in (
        "等级 A（按规则）",
        "状态 活跃",
        "负责人 王芳",
        "年采购额",
        "联系人",
        "商机",
        "决策人",
        "线索开发",
    ):
        assert words in out, (words, out)
    for words in ("grade", "status", "owner", "Contacts", "Opportunities", "decision maker"):
        assert words not in out, (words, out)


def test_a_zh_cn_reps_customer_list_sorts_by_pinyin(cli, db) -> None:
    """Chinese names were listed in code-point order (王 before 李 before 张 by chance
    of their codes); a zh-CN rep reads them by pinyin, as a Chinese list is read:
    李娜 (li), 王芳 (wang), 张伟 (zhang), with Latin names among them by their letters.
    An English rep keeps the plain order, and --limit takes the first by that order."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    for name in ("张伟", "王芳", "李娜", "Mike", "阿里"):
        assert cli("customer", "add", name, "--kind", "person").exit_code == 0

    def names(*extra: str) -> list[str]:
        out = cli("customer", "list", "--json", *extra).output
        return [c["name"] for c in json.loads(out)]

    assert names() == ["阿里", "李娜", "Mike", "王芳", "张伟"]
    assert names("--limit", "2") == ["阿里", "李娜"]
    assert rows(db, "SELECT count(*) FROM customer") == [(5,)]


def test_opp_show_speaks_the_acting_reps_language(cli) -> None:
    """`opp show` to a zh-CN rep said "customer … owner …", "playbook … mode … amount",
    "open tasks:" in English (issue 18)."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    assert cli("customer", "add", "李娜", "--kind", "person").exit_code == 0
    assert cli("opp", "add", "李娜", "沙发", "--playbook", "retail-5").exit_code == 0
    out = cli("opp", "show", "沙发").output
    for words in (
        "进行中",
        "客户 李娜",
        "负责人 王芳",
        "销售SOP retail-5",
        "未完成任务：",
        "初次接洽",
    ):
        assert words in out, (words, out)
    for words in ("customer", "owner", "playbook", "open tasks", "expected close"):
        assert words not in out, (words, out)


def test_the_leaderboard_speaks_the_acting_reps_language(cli) -> None:
    """`leaderboard` said "Leaderboard · Won amount (CNY) · by rep · 2026-11 (Nov 01 –
    Nov 30 …)" and "← you" to a zh-CN rep (issue 18)."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    out = cli("leaderboard").output
    assert out.startswith("排行榜 · 成交金额 (CNY) · 按销售 · "), out
    assert "11月1日 – 11月30日" in out and "← 你" in out, out
    assert not any(w in out for w in ("Leaderboard", "Nov", "you")), out


def test_a_zh_cn_reps_lists_have_chinese_headers_and_states(cli) -> None:
    """`customer list` and `opp list` headed their columns "name", "grade", "status",
    "stage" and printed "active" and "open" to a zh-CN rep (issue 18)."""
    assert (
        cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN").exit_code
        == 0
    )
    assert cli("customer", "add", "李娜", "--kind", "person").exit_code == 0
    assert cli("opp", "add", "李娜", "沙发", "--playbook", "retail-5").exit_code == 0
    customers = cli("customer", "list").output
    assert all(w in customers for w in ("名称", "等级", "状态", "年采购额", "活跃")), customers
    deals = cli("opp", "list").output
    assert all(w in deals for w in ("标题", "客户", "阶段", "进行中", "初次接洽")), deals
    for out in (customers, deals):
        assert not any(w in out for w in ("name", "grade", "status", "active", "open")), out
