"""Imports: real files in, every problem named, nothing half-written, every batch undoable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import rows, snapshot, subprocess_env

pytestmark = pytest.mark.both_backends
FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


EXPECTED = {
    ("华东家具有限公司", "CRM-001", "家具", "A", 150000000),
    ("北方建材", "CRM-002", "建材", "B", 35000050),
    ("Acme Trading Co.", "CRM-003", "Trade", "C", None),
}


@pytest.mark.parametrize(
    "name",
    ["customers-utf8.csv", "customers-bom-semicolon.csv", "customers-gb18030-tab.csv"],
)
def test_each_encoding_and_delimiter_reads_the_same_customers(rep, cli, db, name) -> None:
    result = cli("import", "customers", str(FIXTURES / name))
    assert result.exit_code == 0, result.output
    got = set(rows(db, "SELECT name, number, industry, grade, annual_purchase FROM customer"))
    assert got == EXPECTED
    contacts = set(rows(db, "SELECT name, phone, email FROM contact"))
    assert ("李雷", "+86 138 0000 0001", "lilei@huadong.cn") in contacts
    assert ("Jane Doe", None, "jane@acme.example") in contacts
    if "gb18030" in name:
        assert "GB18030" in result.output


def test_explicit_encoding_and_delimiter(rep, cli, db) -> None:
    path = str(FIXTURES / "customers-gb18030-tab.csv")
    result = cli("import", "customers", path, "--encoding", "gb18030", "--delimiter", "tab")
    assert result.exit_code == 0, result.output
    assert len(rows(db, "SELECT * FROM customer")) == 3
    wrong = cli("import", "customers", path, "--encoding", "utf-8")
    assert wrong.exit_code == 2
    assert "customers-gb18030-tab.csv:2:" in wrong.output


def test_quoted_newlines_blank_lines_and_trailing_empty_columns(rep, cli, db) -> None:
    result = cli("import", "customers", str(FIXTURES / "customers-messy.csv"))
    assert result.exit_code == 0, result.output
    got = dict(rows(db, "SELECT name, custom FROM customer"))
    assert set(got) == {'上海 "精品" 家居', "Plain Shop"}
    assert json.loads(got['上海 "精品" 家居']) == {"notes": "first line\nsecond line"}
    assert json.loads(got["Plain Shop"]) == {}
    assert "kept as custom fields: notes" in result.output


MALFORMED = [
    # line and column, never the cell's content
    ("bad-date.csv", "bad-date.csv:3:3: paused_until: the value is not a date"),
    ("bad-number.csv", "bad-number.csv:3:2: annual_purchase: the value is not an amount"),
    ("missing-column.csv", "missing-column.csv:1: name: required column missing"),
    ("broken-quoting.csv", "broken-quoting.csv:3: name: broken quoting"),
    # wrong-encoding.csv (Latin-1 bytes) is now read as cp1252: tests/test_import_read_text.py
]


@pytest.mark.parametrize(("name", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_exits_2_names_the_line_and_writes_nothing(
    rep, cli, db, name, message
) -> None:
    cli("customer", "add", "Already Here")
    before = snapshot(db)
    result = cli("import", "customers", str(FIXTURES / name))
    assert result.exit_code == 2
    assert message in result.output
    assert snapshot(db) == before


def test_malformed_file_as_a_process(rep, db) -> None:
    before = snapshot(db)
    done = subprocess.run(
        [sys.executable, "-m", "salesbench", "import", "customers", str(FIXTURES / "bad-date.csv")],
        capture_output=True,
        text=True,
        env=subprocess_env(db),
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert "bad-date.csv:3:3: paused_until:" in done.stderr
    assert done.stdout == ""
    assert snapshot(db) == before


def test_every_bad_row_is_checked_but_twenty_are_shown() -> None:
    from salesbench.core.importing import Problem, problem_report

    problems = [Problem("f.csv", n + 2, f"col{n}", "is required") for n in range(25)]
    shown = problem_report(problems)
    assert shown[:2] == ["f.csv:2: col0: is required", "f.csv:3: col1: is required"]
    assert len(shown) == 21
    assert shown[-1] == "… and 5 more problems"


def test_every_bad_row_is_counted_though_told_once(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "many.csv"
    lines = ["name,paused_until"] + [f"Co {n},2026-13-{n + 1:02d}" for n in range(25)]
    path.write_text("\n".join([*lines, "Good Co,"]) + "\n", encoding="utf-8")
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    shown = [line for line in result.output.splitlines() if ": paused_until: " in line]
    assert shown == [
        f"{path}:2:2: paused_until: the value is not a date: use YYYY-MM-DD, "
        "or give --date-format (e.g. %d.%m.%Y) (25 rows: lines 2-26)"
    ]
    assert "25 problems; nothing was imported" in result.output
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_one_problem_on_many_rows_is_told_once(rep, cli, db, tmp_path) -> None:
    """40 rows with the same unknown grade are one line naming the rows, not 40 lines."""
    path = tmp_path / "grades.csv"
    cells = ["Z"] * 30 + ["B"] + ["Z"] * 10
    lines = ["name,grade"] + [f"Co {n},{grade}" for n, grade in enumerate(cells)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    told = [line for line in result.output.splitlines() if "grade:" in line]
    assert told == [
        f"{path}:2:2: grade: unknown value (expected one of: A, B, C) "
        "(40 rows: lines 2, 3, 4, 5, 6, 7 … 42)"
    ], result.output
    assert "40 problems; nothing was imported" in result.output
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_strict_refuses_unknown_columns_and_skip_drops_them(rep, cli, db) -> None:
    path = str(FIXTURES / "customers-messy.csv")
    strict = cli("import", "customers", path, "--strict")
    assert strict.exit_code == 2
    assert "customers-messy.csv:1: notes: unknown column" in strict.output
    skipped = cli("import", "customers", path, "--strict", "--skip", "notes")
    assert skipped.exit_code == 0, skipped.output
    assert all(json.loads(c) == {} for (c,) in rows(db, "SELECT custom FROM customer"))


def test_map_names_a_column_we_do_not_know(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "de.csv"
    path.write_text("Kunde;Branche\nMüller GmbH;Maschinenbau\n", encoding="utf-8")
    result = cli(
        "import", "customers", str(path), "--map", "name=Kunde", "--map", "industry=Branche"
    )
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT name, industry FROM customer") == [("Müller GmbH", "Maschinenbau")]


def test_hubspot_companies_then_contacts_by_their_record_ids(rep, cli, db) -> None:
    first = cli("import", "customers", str(FIXTURES / "hubspot-companies.csv"))
    assert first.exit_code == 0, first.output
    assert "read as a hubspot export" in first.output
    companies = {
        r[0]: r[1:]
        for r in rows(
            db,
            "SELECT name, external_id, industry, annual_purchase, grade, custom FROM customer",
        )
    }
    assert companies["Blue Ocean Ltd"][:4] == ("9001", "Logistics", 200000000, "A")
    assert json.loads(companies["Blue Ocean Ltd"][4]) == {
        "Lifecycle Stage": "customer",
        "phone": "+86 21 5555 0001",  # the company's phone: kept, not a contact
    }
    assert ("billing", "Shanghai") in rows(db, "SELECT kind, city FROM address")  # City
    assert rows(db, "SELECT count(*) FROM contact") == [(0,)]
    second = cli("import", "contacts", str(FIXTURES / "hubspot-contacts.csv"))
    assert second.exit_code == 0, second.output
    linked = dict(
        rows(
            db,
            "SELECT contact.name, customer.external_id FROM contact "
            "JOIN customer ON customer.id = contact.customer_id "
            "WHERE contact.external_id IS NOT NULL",
        )
    )
    assert linked == {"Amy Wu": "9001", "张伟": "9002", "Solo Person": None}
    # a person with no company becomes a retail (person) customer of their own
    assert rows(db, "SELECT kind FROM customer WHERE name = 'Solo Person'") == [("person",)]


def test_salesforce_deals_point_at_accounts_of_another_file(rep, cli, db) -> None:
    assert cli("import", "customers", str(FIXTURES / "salesforce-accounts.csv")).exit_code == 0
    result = cli("import", "opportunities", str(FIXTURES / "salesforce-opportunities.csv"))
    assert result.exit_code == 0, result.output
    deals = {
        r[0]: r[1:]
        for r in rows(
            db,
            "SELECT o.external_id, c.external_id, o.status, o.amount, o.closed_at, o.lost_reason, "
            "o.custom FROM opportunity o JOIN customer c ON c.id = o.customer_id",
        )
    }
    assert deals["006A01"][:4] == ("001A000001", "won", 12000000, "2026-10-30 10:00:00.000000")
    assert deals["006A03"][1] == "lost" and deals["006A03"][4] == "not recorded (imported)"
    assert deals["006A02"][1] == "open" and deals["006A02"][3] is None
    assert json.loads(deals["006A02"][5]) == {"Probability (%)": "10", "stage": "Prospecting"}
    assert len(rows(db, "SELECT * FROM customer")) == 2  # no account created twice


def test_deals_on_a_playbook_get_their_stage_tasks(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "customer,title,stage,amount\nRedwood Retail,Store refit,Needs research,1000\n",
        encoding="utf-8",
    )
    wrong = cli(
        "import",
        "opportunities",
        str(FIXTURES / "salesforce-opportunities.csv"),
        "--playbook",
        "b2b-lifecycle",
    )
    assert wrong.exit_code == 2
    assert "salesforce-opportunities.csv:3: Stage: no stage 'Prospecting'" in wrong.output
    result = cli("import", "opportunities", str(path), "--playbook", "b2b-lifecycle")
    assert result.exit_code == 0, result.output
    ((opp_id, stage),) = rows(db, "SELECT id, stage_key FROM opportunity")
    assert stage == "needs_research"
    tasks = rows(db, "SELECT stage_key, import_batch_id FROM task WHERE opportunity_id = ?", opp_id)
    assert tasks and {t[0] for t in tasks} == {"needs_research"}
    queue = json.loads(cli("queue", "--json", "--rep", "wf@example.com").stdout)
    titles = {
        g["opportunity"]["title"]
        for s in queue["sections"]
        for g in s["groups"]
        if g["opportunity"]
    }
    assert "Store refit" in titles
    # undo takes the deal, its customer, its tasks and its stage history back
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    assert cli("import", "undo", batch, "--yes").exit_code == 0
    for table in ("opportunity", "task", "stage_move", "customer"):
        assert rows(db, f"SELECT count(*) FROM {table}") == [(0,)], table


def test_vcard_with_several_folded_non_ascii_contacts(rep, cli, db) -> None:
    result = cli("import", "contacts", str(FIXTURES / "contacts.vcf"))
    assert result.exit_code == 0, result.output
    got = {
        r[0]: r[1:]
        for r in rows(
            db,
            "SELECT contact.name, customer.name, contact.title, contact.phone, contact.email, "
            "contact.id, contact.external_id, contact.custom FROM contact "
            "JOIN customer ON customer.id = contact.customer_id",
        )
    }
    assert set(got) == {"李雷", "Jürgen Müller", "欧阳娜娜"}
    assert got["李雷"][:4] == (
        "华东家具有限公司",
        "Purchasing director",
        "+86 138 0000 0001",
        "lilei@huadong.cn",
    )
    assert got["李雷"][4] == "6f1c2b9e8a2d4c3e9f100a1b2c3d4e5f"  # UID urn:uuid: kept as our id
    assert json.loads(got["李雷"][6]) == {"note": "Prefers WeChat, not calls\nMet at the 2026 fair"}
    assert got["Jürgen Müller"][0] == "Müller & Söhne GmbH"
    assert got["Jürgen Müller"][1].endswith("Baden-Württemberg")  # a folded line, unfolded
    assert got["Jürgen Müller"][5] == "crm-7788"
    assert got["欧阳娜娜"][0] == "北方建材"


def test_dry_run_reports_and_writes_nothing(rep, cli, db) -> None:
    before = snapshot(db)
    result = cli("import", "customers", str(FIXTURES / "customers-utf8.csv"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would create 3 customers, 3 contacts" in result.output
    assert "nothing was written" in result.output
    assert snapshot(db) == before


def test_the_same_file_twice_changes_nothing(rep, cli, db) -> None:
    path = str(FIXTURES / "hubspot-companies.csv")
    assert cli("import", "customers", path).exit_code == 0
    after_first = snapshot(db)
    for mode in ("create", "upsert", "update"):
        again = cli("import", "customers", path, "--mode", mode, "--json")
        assert again.exit_code == 0, again.output
        report = json.loads(again.stdout)
        assert report["created"] == {} and report["updated"] == {}
        assert snapshot(db) == after_first, mode


def test_modes_and_conflicts(rep, cli, db, tmp_path) -> None:
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "number,name,industry\nCRM-001,华东家具有限公司,办公家具\nCRM-900,New Co,retail\n",
        encoding="utf-8",
    )
    # no id: a name match is only a look-alike, unless --on-duplicate update says so
    fail = cli(
        "import", "customers", str(changed), "--on-conflict", "fail", "--on-duplicate", "update"
    )
    assert fail.exit_code == 4
    assert "changed.csv:2:" in fail.output and "exists" in fail.output
    update_only = json.loads(
        cli(
            "import",
            "customers",
            str(changed),
            "--mode",
            "update",
            "--on-duplicate",
            "update",
            "--json",
        ).stdout
    )
    assert update_only["updated"] == {"customer": 1} and update_only["created"] == {}
    assert update_only["skipped"][0]["line"] == 3
    assert rows(db, "SELECT industry FROM customer WHERE number = 'CRM-001'") == [("办公家具",)]
    upsert = json.loads(
        cli("import", "customers", str(changed), "--mode", "upsert", "--json").stdout
    )
    assert upsert["created"] == {"customer": 1} and upsert["unchanged"] == 1


def test_phone_match_with_another_email_is_a_possible_duplicate(rep, cli, db, tmp_path):
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    path = tmp_path / "dup.csv"
    path.write_text(
        "name,phone,email\n"
        "East Furniture,13800000001,buyer@other.example\n"  # 李雷's phone, written another way
        "北方建材有限公司,,\n",  # the same company name, with a legal ending
        encoding="utf-8",
    )
    before = snapshot(db)
    report = json.loads(cli("import", "customers", str(path), "--json").stdout)
    # look-alikes go in as new records, listed and stored; nothing stored is touched
    assert [d["line"] for d in report["possible_duplicates"]] == [2, 3]
    assert "same phone as" in report["possible_duplicates"][0]["reason"]
    assert "same name" in report["possible_duplicates"][1]["reason"]
    after = snapshot(db)
    for table in ("customer", "contact"):
        assert set(before[table]) <= set(after[table])
    assert len(after["customer"]) == len(before["customer"]) + 2
    assert len(rows(db, "SELECT * FROM possible_duplicate WHERE resolution IS NULL")) == 2


def test_undo_removes_created_restores_updated_and_refuses_lost_edits(rep, cli, db, tmp_path):
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    first = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    changed = tmp_path / "changed.csv"
    changed.write_text("number,name,industry\nCRM-002,北方建材,建筑材料\n", encoding="utf-8")
    original = snapshot(db)
    upsert = ("--mode", "upsert", "--on-duplicate", "update")  # matched by name only
    assert cli("import", "customers", str(changed), *upsert).exit_code == 0
    second = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    refused = cli("import", "undo", first, "--yes")
    assert refused.exit_code == 4
    assert "1 customer record it created were edited since" in refused.output
    assert cli("import", "undo", second, "--yes").exit_code == 0
    assert snapshot(db)["customer"] == original["customer"]
    # an edit by hand after an import also blocks its undo
    cli("customer", "edit", "Acme Trading Co.", "--industry", "Wholesale")
    assert cli("import", "undo", first, "--yes").exit_code == 4
    cli("customer", "edit", "Acme Trading Co.", "--industry", "Trade")
    still = cli("import", "undo", first, "--yes")
    assert still.exit_code == 4  # restoring the value by hand is still an edit since
    history = json.loads(cli("import", "history", "--json").stdout)
    assert history[0]["undone_at"] is not None and history[1]["undone_at"] is None


def test_undo_refuses_when_records_were_added_under_the_batch(rep, cli, db) -> None:
    assert cli("import", "customers", str(FIXTURES / "hubspot-companies.csv")).exit_code == 0
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    cli("opp", "add", "Blue Ocean Ltd", "Fleet deal")
    refused = cli("import", "undo", batch, "--yes")
    assert refused.exit_code == 4
    assert "1 opportunity record were added since to customer records" in refused.output
    assert rows(db, "SELECT count(*) FROM customer") == [(2,)]


def test_undo_asks_for_yes_off_a_terminal(rep, cli) -> None:
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    result = cli("import", "undo", batch)
    assert result.exit_code == 2 and "--yes" in result.output


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xlsx"])
def test_exported_customers_import_into_another_database(rep, cli, db, other_db, tmp_path, fmt):
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    out = tmp_path / f"customers.{fmt}"
    assert cli("export", "customers", "--out", str(out)).exit_code == 0
    other = other_db
    assert (
        cli(
            "init", "--db", str(other), "--name", "Wang Fang", "--email", "wf@example.com"
        ).exit_code
        == 0
    )
    result = cli(
        "import",
        "customers",
        str(out),
        "--db",
        str(other),
        "--skip",
        "owner_id",
        "--skip",
        "created_at",
        "--skip",
        "updated_at",
        "--skip",
        "import_batch_id",
        "--skip",
        "customer_name",
        "--skip",
        "grade_set_by",
        "--skip",
        "custom",
    )
    assert result.exit_code == 0, result.output
    query = "SELECT id, name, number, industry, grade, annual_purchase FROM customer"
    assert sorted(rows(other, query)) == sorted(rows(db, query))


def test_json_syntax_error_names_line_and_column(rep, cli, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"name": "A"},\n  {"name": "B",}\n]\n', encoding="utf-8")
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    assert "bad.json:3:16: not valid JSON" in result.output
    lines = tmp_path / "bad.jsonl"
    lines.write_text('{"name": "A"}\n{"name": "B", "grade": "Q"}\n', encoding="utf-8")
    result = cli("import", "customers", str(lines))
    assert result.exit_code == 2
    assert "bad.jsonl:2:2: grade: unknown value (expected one of: A, B, C)" in result.output


def test_activities_and_tasks_attach_to_stored_records(rep, cli, db, tmp_path) -> None:
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    acts = tmp_path / "visits.csv"
    acts.write_text(
        "customer,channel,date,summary,contact\n"
        "华东家具有限公司,visit,2026-11-20 14:30,Showroom visit,李雷\n"
        "Nobody Ltd,call,2026-11-21,?,\n",
        encoding="utf-8",
    )
    bad = cli("import", "activities", str(acts))
    assert bad.exit_code == 2 and "visits.csv:3: customer: no customer of that name" in bad.output
    acts.write_text(
        acts.read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + acts.read_text(encoding="utf-8").splitlines()[1]
        + "\n",
        encoding="utf-8",
    )
    assert cli("import", "activities", str(acts)).exit_code == 0
    # the rep is in Asia/Shanghai: 14:30 there is 06:30 UTC
    assert rows(db, "SELECT channel, started_at, summary FROM activity") == [
        ("visit", "2026-11-20 06:30:00.000000", "Showroom visit")
    ]
    assert rows(db, "SELECT count(*) FROM task") == [(0,)]  # history fires no rules
    tasks = tmp_path / "tasks.csv"
    tasks.write_text(
        "customer,title,due,status\n北方建材,Send samples,2026-11-25 10:00,open\n"
        "北方建材,Call back,2026-11-01,done\n",
        encoding="utf-8",
    )
    assert cli("import", "tasks", str(tasks)).exit_code == 0
    assert sorted(rows(db, "SELECT title, status, origin FROM task")) == [
        ("Call back", "done", "import"),
        ("Send samples", "open", "import"),
    ]


def test_progress_bar_only_when_asked_or_on_a_terminal(rep, cli, monkeypatch, tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("name\n" + "".join(f"Co {n}\n" for n in range(3000)), encoding="utf-8")
    quiet = cli("import", "customers", str(path))
    assert quiet.exit_code == 0 and "checking" not in quiet.output
    monkeypatch.setenv("SALESBENCH_PROGRESS", "1")
    path.write_text("name\n" + "".join(f"Firm {n}\n" for n in range(3000)), encoding="utf-8")
    shown = cli("import", "customers", str(path))
    assert shown.exit_code == 0
    assert all(phase in shown.stderr for phase in ("checking", "matching", "writing"))


def test_problems_name_line_and_column_but_never_the_customer_data(cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    data = tmp_path / "private.csv"
    data.write_text(
        "name,email,annual_purchase,grade\n李娜,li.na@@example.com,lots of money,Z\n",
        encoding="utf-8",
    )
    result = cli("import", "customers", str(data))
    assert result.exit_code == 2
    for secret in ("li.na@@example.com", "lots of money", "'Z'"):
        assert secret not in result.output
    assert f"{data}:2:2: email: the value is not an email address" in result.output
    assert f"{data}:2:3: annual_purchase: the value is not an amount" in result.output
    assert f"{data}:2:4: grade: unknown value (expected one of: A, B, C)" in result.output


def test_an_external_source_wider_than_its_column_is_refused(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(f"name,external_id,external_source\nAcme,A1,{'x' * 33}\n", encoding="utf-8")
    before = snapshot(db)
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2, result.output
    assert f"{path}:2:3: external_source: is longer than 32 characters" in result.output
    assert snapshot(db) == before


def test_a_chinese_list_headed_company_name_needs_no_map(rep, cli, db, tmp_path) -> None:
    path = tmp_path / "公司.csv"
    path.write_text(
        "公司名称,联系人,电话,手机,年采购额\n"
        "深圳华强电子,陈明,+86 755 8888 0000,+86 138 0000 0003,35万\n",
        encoding="utf-8",
    )
    result = cli("import", "customers", str(path))
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT name, annual_purchase FROM customer") == [("深圳华强电子", 35000000)]
    phones = rows(db, "SELECT value FROM contact_point WHERE kind = 'phone' ORDER BY position")
    assert phones == [("+86 755 8888 0000",), ("+86 138 0000 0003",)]
