"""Imports keep every phone, email and address a row gives, in order, and never twice."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def points(db, name: str) -> list[tuple[str, str, str]]:
    return rows(
        db,
        "SELECT p.kind, p.label, p.value FROM contact_point p JOIN contact c "
        "ON c.id = p.contact_id WHERE c.name = ? ORDER BY p.position",
        name,
    )


def first_points_hold(db) -> None:
    """contact.phone and contact.email are the first phone and email, for every contact."""
    for cid, phone, email in rows(db, "SELECT id, phone, email FROM contact"):
        for kind, stored in (("phone", phone), ("email", email)):
            listed = rows(
                db,
                "SELECT value FROM contact_point WHERE contact_id = ? AND kind = ? "
                "ORDER BY position LIMIT 1",
                cid,
                kind,
            )
            assert (listed[0][0] if listed else None) == stored, (cid, kind)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_two_chinese_phone_columns_are_both_kept(rep, cli, db, tmp_path) -> None:
    path = write(
        tmp_path,
        "cn.csv",
        "客户名称,联系人,电话,手机,邮箱\n"
        "华东家具有限公司,李雷,021-6666 8888,+86 138 0000 0001,li@hd.cn\n",
    )
    result = cli("import", "customers", path)
    assert result.exit_code == 0, result.output
    assert points(db, "李雷") == [
        ("phone", "other", "021-6666 8888"),
        ("phone", "mobile", "+86 138 0000 0001"),
        ("email", "other", "li@hd.cn"),
    ]
    assert rows(db, "SELECT phone, email FROM contact") == [("021-6666 8888", "li@hd.cn")]
    first_points_hold(db)


def test_salesforce_phone_and_mobilephone_on_a_contacts_file(rep, cli, db, tmp_path) -> None:
    path = write(
        tmp_path,
        "sf.csv",
        "FirstName,LastName,Account,Phone,MobilePhone,Fax,Email\n"
        "Ana,Souza,Acme,+1 415 555 0100,+1 415 555 0199,+1 415 555 0101,ana@acme.example\n",
    )
    result = cli("import", "contacts", path)
    assert result.exit_code == 0, result.output
    assert points(db, "Ana Souza") == [
        ("phone", "other", "+1 415 555 0100"),
        ("phone", "mobile", "+1 415 555 0199"),
        ("phone", "fax", "+1 415 555 0101"),
        ("email", "other", "ana@acme.example"),
    ]
    first_points_hold(db)


def test_labelled_columns_list_cells_and_addresses_on_a_contact(rep, cli, db, tmp_path) -> None:
    addresses = json.dumps(
        [{"kind": "home", "street": "1 Rue de Rivoli", "city": "Paris", "country": "FR"}]
    )
    path = write(
        tmp_path,
        "c.csv",
        "name,customer,mobile_phone,phones,work_email,emails,street,city,postcode,addresses\n"
        f'Zoé,Acme,138 0000 0002,"手机: 138 0000 0002; 传真: 010-1234; work: 010-5555",'
        f'z@acme.example,"home: zoe@home.example; other: Z@ACME.example",'
        f'"5 Main St",Springfield,12345,"{addresses.replace(chr(34), chr(34) * 2)}"\n',
    )
    result = cli("import", "contacts", path)
    assert result.exit_code == 0, result.output
    assert points(db, "Zoé") == [
        ("phone", "mobile", "138 0000 0002"),
        ("phone", "fax", "010-1234"),
        ("phone", "work", "010-5555"),
        ("email", "work", "z@acme.example"),
        ("email", "home", "zoe@home.example"),
    ]
    got = rows(
        db,
        "SELECT a.kind, a.street, a.city, a.postcode, a.country, a.customer_id FROM address a "
        "JOIN contact c ON c.id = a.contact_id ORDER BY a.position",
    )
    assert got == [
        ("other", "5 Main St", "Springfield", "12345", None, None),
        ("home", "1 Rue de Rivoli", "Paris", None, "FR", None),
    ]
    first_points_hold(db)


def test_a_customers_file_gives_the_customer_its_billing_address(rep, cli, db, tmp_path) -> None:
    path = write(
        tmp_path,
        "cust.csv",
        "name,street,city,region,country,contact,phone\n"
        "北方建材,朝阳路 1 号,北京,北京,中国,王芳,010-8888\n",
    )
    result = cli("import", "customers", path)
    assert result.exit_code == 0, result.output
    assert rows(
        db,
        "SELECT a.kind, a.street, a.city, a.region, a.country, a.contact_id FROM address a "
        "JOIN customer c ON c.id = a.customer_id",
    ) == [("billing", "朝阳路 1 号", "北京", "北京", "中国", None)]
    assert points(db, "王芳") == [("phone", "other", "010-8888")]
    again = snapshot(db)
    assert cli("import", "customers", path, "--mode", "upsert").exit_code == 0
    assert snapshot(db)["address"] == again["address"]


def test_reimport_adds_nothing_and_an_update_appends_new_points(rep, cli, db, tmp_path) -> None:
    first = write(
        tmp_path,
        "a.csv",
        "external_id,name,customer,phone,mobile_phone,email\n"
        "C1,Sam Lee,Acme,+86 10 1234 5678,13800000003,sam@acme.example\n",
    )
    assert cli("import", "contacts", first).exit_code == 0
    before = snapshot(db)
    again = cli("import", "contacts", first, "--mode", "upsert")
    assert again.exit_code == 0, again.output
    assert snapshot(db) == before
    # the same numbers written differently are the same points; a new one goes last
    second = write(
        tmp_path,
        "b.csv",
        "external_id,name,customer,phone,phones,email\n"
        'C1,Sam Lee,Acme,+86 138 0000 0003,"home: 0086 10 1234 5678; home: 020-777",'
        "SAM@acme.example\n",
    )
    updated = cli("import", "contacts", second, "--mode", "upsert")
    assert updated.exit_code == 0, updated.output
    assert points(db, "Sam Lee") == [
        ("phone", "other", "+86 10 1234 5678"),
        ("phone", "mobile", "13800000003"),
        ("email", "other", "sam@acme.example"),
        ("phone", "home", "020-777"),
    ]
    assert rows(db, "SELECT phone, email FROM contact") == [
        ("+86 10 1234 5678", "sam@acme.example")
    ]
    first_points_hold(db)
    # undo takes the added point back and leaves the first import as it was
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    assert cli("import", "undo", batch, "--yes").exit_code == 0
    assert snapshot(db)["contact_point"] == before["contact_point"]


def test_a_stored_contact_without_a_phone_gets_its_first_one(rep, cli, db, tmp_path) -> None:
    assert cli("customer", "add", "Acme").exit_code == 0
    assert cli("contact", "add", "Acme", "Kim", "--email", "kim@acme.example").exit_code == 0
    path = write(tmp_path, "k.csv", "name,customer,email,fax\nKim,Acme,kim@acme.example,010-99\n")
    result = cli("import", "contacts", path, "--mode", "upsert")
    assert result.exit_code == 0, result.output
    assert points(db, "Kim") == [("email", "other", "kim@acme.example"), ("phone", "fax", "010-99")]
    assert rows(db, "SELECT phone, email FROM contact") == [("010-99", "kim@acme.example")]
    first_points_hold(db)
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    assert cli("import", "undo", batch, "--yes").exit_code == 0
    assert rows(db, "SELECT phone, email FROM contact") == [(None, "kim@acme.example")]
    first_points_hold(db)


def test_undo_of_an_import_removes_its_points_and_addresses(rep, cli, db, tmp_path) -> None:
    path = write(
        tmp_path,
        "u.csv",
        "name,customer,phone,mobile_phone,city\nLi,Acme,010-1,138 0000 0009,上海\n",
    )
    before = snapshot(db)
    assert cli("import", "contacts", path).exit_code == 0
    assert rows(db, "SELECT count(*) FROM contact_point") == [(2,)]
    batch = json.loads(cli("import", "history", "--json").stdout)[0]["batch"]
    assert cli("import", "undo", batch, "--yes").exit_code == 0
    after = snapshot(db)
    for table in ("contact", "contact_point", "address", "customer"):
        assert after[table] == before[table], table


HOSTILE = [
    (
        'name,customer,phones\nAl,Acme,"pager: 123"\n',
        "bad.csv:2:3: phones: unknown label 'pager'",
    ),
    (
        "name,customer,addresses\nAl,Acme,{street: 1}\n",
        "bad.csv:2:3: addresses: is not a JSON list of addresses",
    ),
    (
        'name,customer,addresses\nAl,Acme,"[{""kind"": ""moon"", ""city"": ""X""}]"\n',
        "bad.csv:2:3: addresses: address 1: unknown value",
    ),
    (
        "name,customer,mobile_phone\nAl,Acme," + "1" * 300 + "\n",
        "bad.csv:2:3: mobile_phone: is longer than 64 characters",
    ),
    (
        "name,customer,emails\nAl,Acme,work: a@b.example; not-an-email\n",
        "bad.csv:2:3: emails: entry 2: the value is not an email address",
    ),
    (
        "name,customer,street\nAl,Acme," + "s" * 501 + "\n",
        "bad.csv:2:3: street: is longer than 500 characters",
    ),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_cells_name_line_and_column_and_write_nothing(
    rep, cli, db, tmp_path, text, message
) -> None:
    path = write(tmp_path, "bad.csv", text)
    before = snapshot(db)
    result = cli("import", "contacts", path)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "not-an-email" not in result.output
    assert snapshot(db) == before


def test_long_values_within_the_limits_are_kept_whole(rep, cli, db, tmp_path) -> None:
    street = "長" * 300
    email = "a" * 60 + "@" + "b" * 50 + ".example"
    path = write(
        tmp_path, "long.csv", f"name,customer,street,work_email\nAl,Acme,{street},{email}\n"
    )
    assert cli("import", "contacts", path).exit_code == 0
    assert rows(db, "SELECT street FROM address") == [(street,)]
    assert points(db, "Al") == [("email", "work", email)]


def test_a_phone_cell_with_two_numbers_keeps_both_with_the_columns_label(
    rep, cli, db, tmp_path
) -> None:
    path = write(
        tmp_path,
        "two.csv",
        "姓名,公司,手机,电话\n王芳,华东,138 0000 0001；139 0000 0002,电话：021-1234 5678\n",
    )
    result = cli("import", "contacts", path)
    assert result.exit_code == 0, result.output
    assert points(db, "王芳") == [  # in the file's order: 手机 before 电话
        ("phone", "mobile", "138 0000 0001"),
        ("phone", "mobile", "139 0000 0002"),
        ("phone", "other", "021-1234 5678"),
    ]
    first_points_hold(db)


def test_a_vcard_import_keeps_the_first_points_too(rep, cli, db) -> None:
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "import" / "contacts.vcf"
    result = cli("import", "contacts", str(fixture))
    assert result.exit_code == 0, result.output
    with_phone = rows(db, "SELECT count(*) FROM contact WHERE phone IS NOT NULL")[0][0]
    # every TEL of a card is kept (the fixture's first card has two); each contact with a
    # phone has points, the first of them its phone
    with_points = "SELECT count(DISTINCT contact_id) FROM contact_point WHERE kind = 'phone'"
    assert with_phone and rows(db, with_points) == [(with_phone,)]
    assert rows(db, "SELECT count(*) FROM contact_point WHERE kind = 'phone'")[0][0] > with_phone
    first_points_hold(db)


def test_a_customers_file_adds_new_points_to_its_stored_main_contact(
    rep, cli, db, tmp_path
) -> None:
    first = write(tmp_path, "c1.csv", "name,contact,phone\nAcme,Ann Lee,010-1\n")
    assert cli("import", "customers", first).exit_code == 0
    before = snapshot(db)
    assert cli("import", "customers", first, "--mode", "upsert").exit_code == 0
    assert snapshot(db) == before
    second = write(
        tmp_path,
        "c2.csv",
        "name,contact,phone,mobile,email\nAcme,Ann Lee,010 1,139 2,a@acme.example\n",
    )
    result = cli("import", "customers", second, "--mode", "upsert")
    assert result.exit_code == 0, result.output
    assert points(db, "Ann Lee") == [
        ("phone", "other", "010-1"),
        ("phone", "mobile", "139 2"),
        ("email", "other", "a@acme.example"),
    ]
    assert rows(db, "SELECT count(*) FROM contact") == [(1,)]
    first_points_hold(db)
