"""The duplicate policy of imports: only strong ids (ours, or a source system's id
in that system's namespace) make a row a stored record; weak evidence (a name, a
phone, a shared or free-mail email) never renames, merges or drops anything: the
row goes in as a new record, stored as a possible duplicate. Re-imports change
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends
FIXTURES = Path(__file__).parent / "fixtures" / "import"
SF_ACCOUNTS = FIXTURES / "salesforce-dataloader-accounts.csv"
SF_OPPS = FIXTURES / "salesforce-dataloader-opportunities.csv"
# Data Loader writes API names; these say which of ours they are.
SF_ACCOUNT_MAP = ("--preset", "salesforce", "--map", "external_id=Id", "--map", "name=Name")
SF_OPP_MAP = (
    "--preset",
    "salesforce",
    "--map",
    "external_id=Id",
    "--map",
    "customer_external_id=AccountId",
    "--map",
    "title=Name",
    "--map",
    "stage=StageName",
    "--map",
    "expected_close=CloseDate",
)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def imported(cli, kind: str, path: Path, *args: str) -> dict:
    result = cli("import", kind, str(path), "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def records(created: dict) -> dict:
    """Customers, contacts, deals … created: the phones, emails and addresses they
    come with are counted too, and checked in tests/test_import_reach.py."""
    return {k: v for k, v in created.items() if k not in ("contact_point", "address")}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pairs(db) -> list[tuple[str, str, str]]:
    """Unresolved possible duplicates as (table, new record's name, look-alike's name)."""
    found = []
    for table, record, other in rows(
        db,
        "SELECT table_name, record_id, other_id FROM possible_duplicate WHERE resolution IS NULL",
    ):
        column = {"opportunity": "title"}.get(table, "name")
        (name,) = rows(db, f"SELECT {column} FROM {table} WHERE id = ?", record)[0]
        (other_name,) = rows(db, f"SELECT {column} FROM {table} WHERE id = ?", other)[0]
        found.append((table, name, other_name))
    return sorted(found)


def test_upsert_sharing_a_contact_email_with_another_company_touches_nothing(
    rep, cli, db, tmp_path
) -> None:
    alpha = write(
        tmp_path,
        "alpha.csv",
        "name,industry,contact_name,email\nAlpha Ltd,Accounting,Sam,sam@bookkeeping.example\n",
    )
    imported(cli, "customers", alpha)
    before = snapshot(db)
    beta = write(
        tmp_path,
        "beta.csv",
        "name,industry,contact_name,email\nBeta GmbH,Retail,Sam,sam@bookkeeping.example\n",
    )
    report = imported(cli, "customers", beta, "--mode", "upsert")
    assert records(report["created"]) == {"customer": 1, "contact": 1} and report["updated"] == {}
    after = snapshot(db)
    for table in ("customer", "contact"):
        assert set(before[table]) <= set(after[table])  # Alpha and Sam exactly as they were
    assert sorted(rows(db, "SELECT name, industry FROM customer")) == [
        ("Alpha Ltd", "Accounting"),
        ("Beta GmbH", "Retail"),
    ]
    beta_sam = rows(
        db,
        "SELECT contact.email FROM contact JOIN customer ON customer.id = contact.customer_id "
        "WHERE customer.name = 'Beta GmbH'",
    )
    assert beta_sam == [("sam@bookkeeping.example",)]
    assert pairs(db) == [("customer", "Beta GmbH", "Alpha Ltd")]
    (listed,) = report["possible_duplicates"]
    assert listed["line"] == 2 and "same contact email" in listed["reason"]
    assert "Alpha Ltd" in listed["reason"]


def test_rows_sharing_a_free_mail_address_are_all_imported(rep, cli, db, tmp_path) -> None:
    path = write(
        tmp_path,
        "shops.csv",
        "name,contact_name,email\n"
        "Corner Bakery,Ana,info@gmail.com\n"
        "Harbour Florist,Ben,info@gmail.com\n",
    )
    report = imported(cli, "customers", path)
    assert records(report["created"]) == {"customer": 2, "contact": 2}
    assert sorted(rows(db, "SELECT name, email FROM contact")) == [
        ("Ana", "info@gmail.com"),
        ("Ben", "info@gmail.com"),
    ]
    assert pairs(db) == [("customer", "Harbour Florist", "Corner Bakery")]
    # and two people at one company sharing a free-mail address are two contacts
    people = write(
        tmp_path,
        "people.csv",
        "customer,name,email\n"
        "Corner Bakery,Cleo,info@gmail.com\n"
        "Corner Bakery,Dan,info@gmail.com\n",
    )
    report = imported(cli, "contacts", people)
    assert records(report["created"]) == {"contact": 2}
    assert len(rows(db, "SELECT * FROM contact WHERE email = 'info@gmail.com'")) == 4


def test_salesforce_accounts_sharing_a_placeholder_phone_are_all_kept(rep, cli, db) -> None:
    report = imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP)
    assert records(report["created"]) == {"customer": 8} and report["skipped"] == []
    got = rows(db, "SELECT external_id, external_source, name, custom FROM customer")
    assert len(got) == 8
    assert {r[0] for r in got} == {f"001Dn00000AbCd{c}IA3" for c in "EFGHIJKL"}
    assert {r[1] for r in got} == {"salesforce"}
    assert sorted(r[2] for r in got if r[2].startswith("Acme")) == ["Acme Corp", "Acme Corp"]
    assert {"Müller & Söhne GmbH", "华东家具有限公司", "Crédit Léman SA"} <= {r[2] for r in got}
    assert {json.loads(r[3])["phone"] for r in got} == {"(555) 555-1212"}
    # distinct ids of one source are distinct records: nothing to review
    assert report["possible_duplicates"] == [] and pairs(db) == []
    assert rows(db, "SELECT count(*) FROM contact") == [(0,)]  # no company-named contacts
    before = snapshot(db)
    for mode in ("create", "upsert"):
        again = imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP, "--mode", mode)
        assert again["created"] == {} and again["updated"] == {}
        assert snapshot(db) == before, mode


def test_salesforce_opportunities_with_one_name_and_distinct_ids_are_all_kept(rep, cli, db) -> None:
    imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP)
    report = imported(cli, "opportunities", SF_OPPS, *SF_OPP_MAP)
    assert records(report["created"]) == {"opportunity": 6} and report["skipped"] == []
    got = rows(
        db,
        "SELECT o.external_id, o.external_source, o.title, c.external_id, o.status, o.amount "
        "FROM opportunity o JOIN customer c ON c.id = o.customer_id",
    )
    by_id = {r[0]: r[1:] for r in got}
    assert len(by_id) == 6 and {r[0] for r in by_id.values()} == {"salesforce"}
    assert [r[1] for r in by_id.values()].count("oppty1") == 5
    assert by_id["006Dn00000Xy03AAC"][2:] == ("001Dn00000AbCdEIA3", "won", 250000)
    assert by_id["006Dn00000Xy04AAC"][2:4] == ("001Dn00000AbCdFIA3", "lost")
    assert by_id["006Dn00000Xy06AAC"][2] == "001Dn00000AbCdJIA3"  # the other Acme Corp
    assert pairs(db) == []
    before = snapshot(db)
    again = imported(cli, "opportunities", SF_OPPS, *SF_OPP_MAP, "--mode", "upsert")
    assert again["created"] == {} and again["updated"] == {}
    assert snapshot(db) == before


def test_source_ids_are_kept_per_source_system(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP)
    # a HubSpot id equal to a Salesforce one names another record
    other = write(tmp_path, "hs.csv", "Record ID,Company name\n001Dn00000AbCdEIA3,Zeta Corp\n")
    report = imported(cli, "customers", other, "--preset", "hubspot", "--mode", "upsert")
    assert records(report["created"]) == {"customer": 1} and report["updated"] == {}
    assert sorted(
        rows(
            db,
            "SELECT external_source, name FROM customer WHERE external_id = ?",
            "001Dn00000AbCdEIA3",
        )
    ) == [("hubspot", "Zeta Corp"), ("salesforce", "Acme Corp")]
    # an explicit external_source column wins over the preset
    named = write(
        tmp_path,
        "named.csv",
        "external_id,external_source,name\n001Dn00000AbCdEIA3,salesforce,Acme Renamed\n",
    )
    report = imported(cli, "customers", named, "--mode", "upsert")
    assert report["updated"] == {"customer": 1} and report["created"] == {}
    assert rows(
        db,
        "SELECT name FROM customer WHERE external_source = 'salesforce' AND "
        "external_id = '001Dn00000AbCdEIA3'",
    ) == [("Acme Renamed",)]
    # no preset and no column: the id is of no named system, and matches only such ids
    plain = write(tmp_path, "plain.csv", "external_id,name\n001Dn00000AbCdEIA3,Plain Co\n")
    report = imported(cli, "customers", plain, "--mode", "upsert")
    assert records(report["created"]) == {"customer": 1}
    assert rows(db, "SELECT external_source FROM customer WHERE name = 'Plain Co'") == [(None,)]
    assert imported(cli, "customers", plain, "--mode", "upsert")["created"] == {}


KINDS = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "activities": "activity",
    "tasks": "task",
}
# columns a per-kind import does not read back yet (their round trip is another fix)
NOT_READ = (
    "owner_id",
    "custom",
    "created_at",
    "updated_at",
    "import_batch_id",
    "stage_entered_at",
    "version",
    "closed_at",
    "completed_at",
)


def test_demo_per_kind_export_reimports_every_row_and_again_changes_nothing(
    cli, db, other_db, tmp_path
) -> None:
    assert cli("demo").exit_code == 0
    for kind in KINDS:
        assert cli("export", kind, "--out", str(tmp_path / f"{kind}.csv")).exit_code == 0
    reps = rows(db, "SELECT name, email FROM rep ORDER BY email")
    (first, *others) = reps
    init = cli("init", "--db", str(other_db), "--name", first[0], "--email", first[1])
    assert init.exit_code == 0
    for name, email in others:
        assert cli("rep", "add", name, email, "--db", str(other_db)).exit_code == 0
    skip = [f"--skip={c}" for c in NOT_READ]
    for kind in KINDS:
        path = str(tmp_path / f"{kind}.csv")
        result = cli("import", kind, path, "--db", str(other_db), "--json", *skip)
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["skipped"] == [] and report["possible_duplicates"] == [], kind
    for table in KINDS.values():  # every row, by its id
        theirs = {r[0] for r in rows(db, f"SELECT id FROM {table}")}
        ours = {r[0] for r in rows(other_db, f"SELECT id FROM {table}")}
        if table == "task":  # plus the stage tasks of open deals put on their playbook
            assert ours >= theirs
        else:
            assert ours == theirs, table
    assert rows(other_db, "SELECT count(*) FROM possible_duplicate") == [(0,)]
    before = snapshot(other_db)
    for mode in ("create", "upsert"):
        for kind in KINDS:
            path = str(tmp_path / f"{kind}.csv")
            again = cli(
                "import", kind, path, "--db", str(other_db), "--json", "--mode", mode, *skip
            )
            assert again.exit_code == 0, again.output
            report = json.loads(again.stdout)
            assert report["created"] == {} and report["updated"] == {}, (kind, mode)
        assert snapshot(other_db) == before, mode


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Rossi;Anna;;;\r\nFN:Anna Rossi\r\n"
    "TEL;TYPE=CELL:+39 333 123 4567\r\nEMAIL:anna.rossi@gmail.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Chen;Jing;;;\r\nFN:陈静\r\n"
    "TEL;TYPE=CELL:+86 139 0000 0002\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dubois;Luc;;;\r\nFN:Luc Dubois\r\n"
    "EMAIL:luc@dubois.example\r\nEND:VCARD\r\n"
)


def test_vcard_list_with_no_company_is_idempotent(rep, cli, db, tmp_path) -> None:
    path = write(tmp_path, "phone.vcf", VCARDS)
    report = imported(cli, "contacts", path)
    assert records(report["created"]) == {"customer": 3, "contact": 3}
    assert sorted(rows(db, "SELECT name, kind FROM customer")) == [
        ("Anna Rossi", "person"),
        ("Luc Dubois", "person"),
        ("陈静", "person"),
    ]
    before = snapshot(db)
    for mode in ("create", "upsert"):
        again = imported(cli, "contacts", path, "--mode", mode)
        assert again["created"] == {} and again["updated"] == {}, mode
        assert snapshot(db) == before, mode


def test_files_without_ids_of_every_kind_reimport_unchanged(rep, cli, db, tmp_path) -> None:
    files = [
        ("customers", FIXTURES / "customers-utf8.csv"),
        ("customers", FIXTURES / "hubspot-companies.csv"),
        (
            "contacts",
            write(
                tmp_path,
                "contacts.csv",
                "customer,name,phone,email\n"
                "北方建材,韩梅梅,+86 139 0000 0009,\n"
                "New Partner Ltd,Olga,,olga@partner.example\n"  # its company is created once
                "Corner Shop,Pat,+86 138 0000 0001,\n",  # 李雷's phone at another company
            ),
        ),
        (
            "opportunities",
            write(
                tmp_path,
                "deals.csv",
                "customer,title,amount,stage\n"
                "北方建材,Warehouse shelving,12000,\n"
                "北方建材,Warehouse shelving,8000,\n"  # one name, two deals
                "New Partner Ltd,Pilot,500,Closed Won\n",
            ),
        ),
        (
            "activities",
            write(
                tmp_path,
                "visits.csv",
                "customer,channel,date,summary\n华东家具有限公司,visit,2026-11-20 14:30,Showroom\n",
            ),
        ),
        (
            "tasks",
            write(
                tmp_path,
                "tasks.csv",
                "customer,title,due,status\n北方建材,Send samples,2026-11-25 10:00,open\n"
                "北方建材,Call back,,done\n",
            ),
        ),
    ]
    for kind, path in files:
        imported(cli, kind, path)
    assert len(rows(db, "SELECT * FROM opportunity WHERE title = 'Warehouse shelving'")) == 2
    assert rows(
        db,
        "SELECT customer.name FROM contact JOIN customer ON customer.id = contact.customer_id "
        "WHERE contact.name = 'Pat'",
    ) == [("Corner Shop",)]
    assert rows(db, "SELECT count(*) FROM contact WHERE name = '李雷'") == [(1,)]
    before = snapshot(db)
    for mode in ("create", "upsert"):
        for kind, path in files:
            again = imported(cli, kind, path, "--mode", mode)
            assert again["created"] == {} and again["updated"] == {}, (kind, mode)
        assert snapshot(db) == before, mode


def test_on_duplicate_skip_and_update(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", FIXTURES / "customers-utf8.csv")
    path = write(tmp_path, "again.csv", "name,industry\n北方建材有限公司,建筑材料\n")
    before = snapshot(db)
    skipped = imported(cli, "customers", path, "--on-duplicate", "skip")
    assert skipped["created"] == {} and snapshot(db) == before
    ((line, reason),) = [(s["line"], s["reason"]) for s in skipped["skipped"]]
    assert line == 2 and "same name" in reason and "北方建材" in reason
    updated = imported(cli, "customers", path, "--on-duplicate", "update", "--mode", "upsert")
    assert updated["updated"] == {"customer": 1} and updated["created"] == {}
    # the look-alike takes the row's values, never its name
    assert rows(db, "SELECT name, industry FROM customer WHERE number = 'CRM-002'") == [
        ("北方建材", "建筑材料")
    ]
    new = imported(cli, "customers", write(tmp_path, "n.csv", "name\n北方建材 Ltd\n"))
    assert records(new["created"]) == {"customer": 1} and len(new["possible_duplicates"]) == 1
    bad = cli("import", "customers", str(path), "--on-duplicate", "merge")
    assert bad.exit_code == 2 and "--on-duplicate" in bad.output


def test_a_contact_matches_only_within_its_company(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", FIXTURES / "customers-utf8.csv")
    before = rows(db, "SELECT * FROM contact ORDER BY id")
    path = write(
        tmp_path,
        "moved.csv",
        "customer,name,phone,email\n"
        "北方建材,李雷,+86 138 0000 0001,lilei@huadong.cn\n",  # 华东家具's 李雷, elsewhere
    )
    report = imported(cli, "contacts", path, "--mode", "upsert")
    assert records(report["created"]) == {"contact": 1} and report["updated"] == {}
    assert set(before) <= set(rows(db, "SELECT * FROM contact ORDER BY id"))
    assert pairs(db) == [("contact", "李雷", "李雷")]
    assert "same email" in report["possible_duplicates"][0]["reason"]
    # at its own company, the same work email is the same person
    title = write(
        tmp_path,
        "title.csv",
        "customer,name,email,title\n华东家具有限公司,Lei Li,lilei@huadong.cn,Buyer\n",
    )
    report = imported(cli, "contacts", title, "--mode", "upsert")
    assert report["updated"] == {"contact": 1}
    assert rows(
        db,
        "SELECT contact.name, contact.title FROM contact JOIN customer "
        "ON customer.id = contact.customer_id WHERE customer.name = '华东家具有限公司'",
    ) == [("Lei Li", "Buyer")]


def test_undo_of_an_import_takes_its_possible_duplicates_too(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", FIXTURES / "customers-utf8.csv")
    shown = cli("import", "customers", str(write(tmp_path, "e.csv", "name\nAcme Trading\n")))
    assert "e.csv:2: possible duplicate: same name as" in shown.output
    assert "`salesbench duplicates`" in shown.output
    assert cli("import", "undo", shown.output.split("import undo ")[1][:8], "--yes").exit_code == 0
    before = snapshot(db)
    report = imported(cli, "customers", write(tmp_path, "d.csv", "name\nAcme Trading Company\n"))
    assert len(report["possible_duplicates"]) == 1 and len(pairs(db)) == 1
    assert cli("import", "undo", report["batch"], "--yes").exit_code == 0
    after = snapshot(db)
    assert after["possible_duplicate"] == [] and after["customer"] == before["customer"]


def test_history_counts_customers_and_contacts_separately(
    rep, cli, db, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one table row per batch
    imported(cli, "customers", FIXTURES / "customers-utf8.csv")
    changed = write(tmp_path, "c.csv", "number,name,industry\nCRM-002,北方建材,建筑材料\n")
    imported(cli, "customers", changed, "--mode", "upsert", "--on-duplicate", "update")
    newest, first = json.loads(cli("import", "history", "--json").stdout)
    assert records(first["created"]) == {"customer": 3, "contact": 3} and first["updated"] == {}
    assert newest["created"] == {} and newest["updated"] == {"customer": 1}
    text = cli("import", "history")
    assert text.exit_code == 0
    assert "3 customers, 3 contacts" in text.output


def test_a_done_task_reimported_another_day_is_unchanged(rep, cli, db, tmp_path, monkeypatch):
    imported(cli, "customers", FIXTURES / "customers-utf8.csv")
    tasks = write(tmp_path, "t.csv", "customer,title,status\n北方建材,Call back,done\n")
    imported(cli, "tasks", tasks)
    assert rows(db, "SELECT status, completed_at FROM task") == [
        ("done", "2026-11-23 09:30:00.000000")
    ]
    before = snapshot(db)
    monkeypatch.setenv("SALESBENCH_NOW", "2026-12-02T08:00:00+00:00")
    again = imported(cli, "tasks", tasks, "--mode", "upsert")
    assert again["created"] == {} and again["updated"] == {}
    assert snapshot(db) == before


def test_a_row_not_written_leaves_no_company_behind(rep, cli, db, tmp_path) -> None:
    alpha = write(tmp_path, "a.csv", "name,contact_name,email\nAlpha Ltd,Sam,sam@gmail.com\n")
    imported(cli, "customers", alpha)
    before = snapshot(db)
    people = write(tmp_path, "p.csv", "customer,name,email\nNew Co,Samuel,sam@gmail.com\n")
    skipped = imported(cli, "contacts", people, "--on-duplicate", "skip")
    assert skipped["created"] == {} and len(skipped["skipped"]) == 1
    updating = imported(cli, "contacts", people, "--mode", "update")
    assert updating["created"] == {} and len(updating["skipped"]) == 1
    deals = write(tmp_path, "d.csv", "customer,title\nNew Co,Pilot\n")
    assert imported(cli, "opportunities", deals, "--mode", "update")["created"] == {}
    assert snapshot(db) == before
    # written, the contact brings its company
    made = imported(cli, "contacts", people)
    assert records(made["created"]) == {"customer": 1, "contact": 1}
    assert pairs(db) == [("contact", "Samuel", "Sam")]


def test_an_id_and_a_source_id_naming_two_records_is_refused(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP)
    before = snapshot(db)
    path = write(
        tmp_path,
        "mixed.csv",
        "id,external_id,external_source,name\n"
        "6f1c2b9e-8a2d-4c3e-9f10-0a1b2c3d4e5f,001Dn00000AbCdEIA3,salesforce,Acme Corp\n",
    )
    result = cli("import", "customers", str(path), "--mode", "upsert")
    assert result.exit_code == 4
    assert "mixed.csv:2:" in result.output and "external id" in result.output
    assert snapshot(db) == before


def test_a_name_two_customers_share_is_not_guessed(rep, cli, db, tmp_path) -> None:
    imported(cli, "customers", SF_ACCOUNTS, *SF_ACCOUNT_MAP)  # two accounts named Acme Corp
    before = snapshot(db)
    people = write(tmp_path, "people.csv", "customer,name\nAcme Corp,Jo\n")
    result = cli("import", "contacts", str(people))
    assert result.exit_code == 2
    assert "people.csv:2: customer: 2 customers have that name" in result.output
    assert snapshot(db) == before
    by_id = write(tmp_path, "by-id.csv", "customer_external_id,name\n001Dn00000AbCdJIA3,Jo\n")
    assert imported(cli, "contacts", by_id, "--preset", "salesforce")["created"] == {"contact": 1}
