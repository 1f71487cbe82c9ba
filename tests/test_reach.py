"""Several phones, emails and addresses: the list cells, the CLI, show, and the
export -> import round trip. `contact.phone`/`contact.email` stay the first of each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesbench.core import reach
from tests.conftest import rows
from tests.test_import_reach import first_points_hold

POINTS = "SELECT c.name, p.kind, p.label, p.value, p.position FROM contact_point p " + (
    "JOIN contact c ON c.id = p.contact_id ORDER BY c.name, p.position"
)
ADDRESSES = (
    "SELECT coalesce(cu.name, co.name), a.kind, a.street, a.city, a.region, a.postcode, "
    "a.country, a.position FROM address a LEFT JOIN customer cu ON cu.id = a.customer_id "
    "LEFT JOIN contact co ON co.id = a.contact_id ORDER BY 1, a.position"
)


# ---------------------------------------------------------------- list cells


def test_list_cells_read_labels_in_english_chinese_and_vcard_words() -> None:
    text = "手机: 138 0000 0001; 工作：010-1; 家庭: 020-2; 住宅: 030-3; 传真: 040-4; 其他: 5"
    assert reach.parse_points(text, "phone") == [
        ("mobile", "138 0000 0001"),
        ("work", "010-1"),
        ("home", "020-2"),
        ("home", "030-3"),
        ("fax", "040-4"),
        ("other", "5"),
    ]
    assert reach.parse_points("cell: 1; Voice: 2; +86 3", "phone") == [
        ("mobile", "1"),
        ("other", "2"),
        ("other", "+86 3"),
    ]
    assert reach.vcard_label(["WORK", "FAX"]) == "fax"
    assert reach.vcard_label(["cell,voice"]) == "mobile"
    assert reach.vcard_label(["HOME"]) == "home"
    assert reach.vcard_label(["pref", "internet"]) == "other"


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("pager: 1", "phone", "unknown label 'pager'"),
        ("work: a@b.example; x@", "email", "entry 2: the value is not an email address"),
        ("work: " + "9" * 65, "phone", "is longer than 64 characters"),
    ],
)
def test_list_cells_refuse_what_they_cannot_keep(text, kind, message) -> None:
    with pytest.raises(ValueError, match=message):
        reach.parse_points(text, kind)


def test_format_and_parse_round_trip_and_same_points() -> None:
    points = [("mobile", "+86 138 0000 0001"), ("fax", "010-6552 1234"), ("other", "9")]
    assert reach.parse_points(reach.format_points(points), "phone") == points
    assert reach.point_key("phone", "+86 10 1234 5678") == reach.point_key(
        "phone", "0086 10 12345678"
    )
    assert reach.point_key("email", "A@B.example") == reach.point_key("email", "a@b.example")
    assert reach.new_points(
        "phone", ["13800000001"], [("work", "+86 138 0000 0001"), points[1]]
    ) == [points[1]]


def test_addresses_cell_is_a_json_list_of_known_keys() -> None:
    found = reach.parse_addresses('[{"city": "上海", "kind": "shipping"}, {"street": "1 Rd"}]')
    assert found[0]["kind"] == "shipping" and found[0]["city"] == "上海"
    assert found[1]["kind"] == "other"
    assert reach.parse_addresses(reach.format_addresses(found)) == found
    for bad, message in (
        ("{street", "is not a JSON list of addresses"),
        ('[{"planet": "Mars"}]', "address 1: unknown key 'planet'"),
        ('[{"kind": "home"}]', "address 1: an address needs at least one"),
        ('["1 Rd"]', "address 1 is not an object"),
        ('[{"postcode": "' + "1" * 33 + '"}]', "postcode is longer than 32"),
    ):
        with pytest.raises(ValueError, match=message):
            reach.parse_addresses(bad)


# phones as written: digits grouped any way, maybe a + first and an extension last
PHONE_TEXT = st.from_regex(r"\+?[0-9][0-9 ().\-]{0,30}( ?x[0-9]{1,4})?", fullmatch=True)
PART = st.text(min_size=1, max_size=60).filter(lambda t: t.strip() == t and t)


@given(st.lists(st.tuples(st.sampled_from(reach.LABELS), PHONE_TEXT), max_size=6))
def test_any_phone_list_reads_back_as_written(points) -> None:
    points = [(label, value.strip()) for label, value in points]
    assert reach.parse_points(reach.format_points(points), "phone") == points


@given(
    st.lists(
        st.fixed_dictionaries(
            {"kind": st.sampled_from(reach.ADDRESS_KINDS)},
            optional={k: PART for k in ("street", "city", "region", "country")},
        ).filter(lambda a: len(a) > 1),
        max_size=4,
    )
)
def test_any_address_list_reads_back_as_written(addresses) -> None:
    found = reach.parse_addresses(reach.format_addresses(addresses))
    assert [{k: v for k, v in a.items() if v is not None} for a in found] == addresses


# ---------------------------------------------------------------- the CLI

pytestmark = pytest.mark.both_backends


@pytest.fixture
def acme(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    added = cli("customer", "add", "Acme", "--address", "1 Dock Rd; Hamburg; ; 20457; DE")
    assert added.exit_code == 0, added.output
    result = cli(
        "contact",
        "add",
        "Acme",
        "李雷",
        "--phone",
        "手机: +86 138 0000 0001",
        "--phone",
        "work: 010-6552 1234",
        "--phone",
        "fax: 010-6552 1235",
        "--email",
        "li@acme.example",
        "--email",
        "home: lei@home.example",
        "--address",
        "home: 朝阳路 1 号; 北京; 北京; 100020; 中国",
    )
    assert result.exit_code == 0, result.output
    return cli


def test_contact_add_keeps_every_phone_email_and_address(acme, db) -> None:
    assert rows(db, POINTS) == [
        ("李雷", "phone", "mobile", "+86 138 0000 0001", 0),
        ("李雷", "phone", "work", "010-6552 1234", 1),
        ("李雷", "phone", "fax", "010-6552 1235", 2),
        ("李雷", "email", "other", "li@acme.example", 3),
        ("李雷", "email", "home", "lei@home.example", 4),
    ]
    assert rows(db, ADDRESSES) == [
        ("Acme", "billing", "1 Dock Rd", "Hamburg", None, "20457", "DE", 0),
        ("李雷", "home", "朝阳路 1 号", "北京", "北京", "100020", "中国", 0),
    ]
    assert rows(db, "SELECT phone, email FROM contact") == [
        ("+86 138 0000 0001", "li@acme.example")
    ]
    first_points_hold(db)


def test_contact_edit_replaces_a_kind_and_the_one_field_edits_the_first(acme, db) -> None:
    edited = acme("contact", "edit", "李雷", "--phone", "home: 020-1", "--phone", "mobile: 139 1")
    assert edited.exit_code == 0, edited.output
    assert [r[1:4] for r in rows(db, POINTS) if r[1] == "phone"] == [
        ("phone", "home", "020-1"),
        ("phone", "mobile", "139 1"),
    ]
    assert [r[3] for r in rows(db, POINTS) if r[1] == "email"] == [
        "li@acme.example",
        "lei@home.example",
    ]
    first_points_hold(db)
    # `--email ''` clears them all, and contact.email with them
    assert acme("contact", "edit", "李雷", "--email", "").exit_code == 0
    assert rows(db, "SELECT phone, email FROM contact") == [("020-1", None)]
    first_points_hold(db)
    # a customer's addresses are replaced the same way
    assert acme("customer", "edit", "Acme", "--address", "shipping: 9 Pier; Kiel").exit_code == 0
    assert [r[:4] for r in rows(db, ADDRESSES) if r[0] == "Acme"] == [
        ("Acme", "shipping", "9 Pier", "Kiel")
    ]


def test_the_service_one_field_edit_changes_only_the_first(acme, db, store, clock) -> None:
    from salesbench.services.contacts import edit_contact

    edit_contact(store, "李雷", {"phone": "+86 139 9999 0000"}, clock=clock)
    phones = [r[2:4] for r in rows(db, POINTS) if r[1] == "phone"]
    assert phones == [
        ("mobile", "+86 139 9999 0000"),
        ("work", "010-6552 1234"),
        ("fax", "010-6552 1235"),
    ]
    edit_contact(store, "李雷", {"phone": ""}, clock=clock)
    assert rows(db, "SELECT phone FROM contact") == [("010-6552 1234",)]
    first_points_hold(db)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--phone", "pager: 1"), "--phone: unknown label 'pager'"),
        (("--email", "work: nope"), "--email: the value is not an email address"),
        (("--address", "moon: 1 Crater"), "--address:"),
        (("--phone", "1" * 300), "--phone: is longer than 64 characters"),
    ],
)
def test_bad_options_exit_2_in_one_line_and_write_nothing(acme, db, args, message) -> None:
    before = rows(db, POINTS), rows(db, ADDRESSES), rows(db, "SELECT * FROM contact")
    result = acme("contact", "add", "Acme", "Zed", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert (rows(db, POINTS), rows(db, ADDRESSES), rows(db, "SELECT * FROM contact")) == before


def test_show_lists_every_phone_and_email_with_its_label(acme) -> None:
    shown = acme("contact", "show", "李雷")
    assert shown.exit_code == 0, shown.output
    for line in (
        "phone    mobile    +86 138 0000 0001",
        "phone    fax       010-6552 1235",
        "email    home      lei@home.example",
        "address  home      朝阳路 1 号, 100020, 北京, 北京, 中国",
    ):
        assert line in shown.output
    customer = acme("customer", "show", "Acme")
    assert customer.exit_code == 0, customer.output
    assert "address  billing   1 Dock Rd, 20457, Hamburg, DE" in customer.output
    assert "    phone    work      010-6552 1234" in customer.output
    assert max(len(line) for line in customer.output.splitlines()) <= 80
    data = json.loads(acme("customer", "show", "Acme", "--json").stdout)
    (contact,) = data["contacts"]
    assert [p["label"] for p in contact["phones"]] == ["mobile", "work", "fax"]
    assert data["addresses"][0]["city"] == "Hamburg"


def test_search_finds_a_contact_by_its_second_phone(acme) -> None:
    found = json.loads(acme("contact", "list", "--search", "6552 1235", "--json").stdout)
    assert [c["name"] for c in found] == ["李雷"]
    assert json.loads(acme("contact", "list", "--search", "0000 9999", "--json").stdout) == []


# ---------------------------------------------------------------- round trip


def test_the_contacts_export_writes_labelled_list_cells(acme, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "c.csv"
    assert acme("export", "contacts", "--out", str(out)).exit_code == 0
    (row,) = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert row["phones"] == ("mobile: +86 138 0000 0001; work: 010-6552 1234; fax: 010-6552 1235")
    assert row["emails"] == "other: li@acme.example; home: lei@home.example"
    assert json.loads(row["addresses"]) == [
        {
            "kind": "home",
            "street": "朝阳路 1 号",
            "city": "北京",
            "region": "北京",
            "postcode": "100020",
            "country": "中国",
        }
    ]
    customers = tmp_path / "k.csv"
    assert acme("export", "customers", "--out", str(customers)).exit_code == 0
    (company,) = list(csv.DictReader(customers.open(encoding="utf-8", newline="")))
    assert json.loads(company["addresses"]) == [
        {
            "kind": "billing",
            "street": "1 Dock Rd",
            "city": "Hamburg",
            "postcode": "20457",
            "country": "DE",
        }
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "xlsx"])
def test_export_then_import_gives_the_same_points_and_addresses(
    acme, db, other_db, tmp_path: Path, fmt
) -> None:
    acme("contact", "add", "Acme", "Nobody")  # no points at all
    init = ("init", "--name", "Wang Fang", "--email", "wf@example.com", "--db", str(other_db))
    assert acme(*init).exit_code == 0
    for kind in ("customers", "contacts"):
        out = tmp_path / f"{kind}.{fmt}"
        assert acme("export", kind, "--format", fmt, "--out", str(out)).exit_code == 0
        loaded = acme("import", kind, str(out), "--db", str(other_db))
        assert loaded.exit_code == 0, loaded.output
    assert rows(other_db, POINTS) == rows(db, POINTS)
    assert rows(other_db, ADDRESSES) == rows(db, ADDRESSES)
    assert rows(other_db, "SELECT name, phone, email FROM contact ORDER BY name") == rows(
        db, "SELECT name, phone, email FROM contact ORDER BY name"
    )
    first_points_hold(other_db)
    # and importing the export again adds nothing
    again = acme("import", "contacts", str(tmp_path / f"contacts.{fmt}"), "--db", str(other_db))
    assert again.exit_code == 0, again.output
    assert rows(other_db, POINTS) == rows(db, POINTS)


# ---------------------------------------------------------------- the TUI and the demo


async def test_customer_center_lists_every_phone_and_email(store, clock, db) -> None:
    from salesbench.services.contacts import add_contact, edit_contact
    from salesbench.services.customers import add_customer
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from tests.test_tui_customers import open_center

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock, addresses=["上海"])
    add_contact(
        store,
        "李娜",
        {"name": "王伟", "phone": "+86 138 0000 0001"},
        clock=clock,
        phones=["传真: 021-5555 0002"],
        emails=["work: ww@example.cn"],
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(80, 40)) as pilot:
        screen = await open_center(pilot, "李")
        shown = str(screen.query_one("#customer-detail").render())
        for line in (  # the contact's, narrow enough not to wrap a number at 80 columns
            "    other  +86 138 0000 0001",
            "    fax    021-5555 0002",
            "    work   ww@example.cn",
            "address  billing   上海",  # the customer's own, in full
        ):
            assert line in shown
    # the form's one phone field (what the TUI edits) changes the first phone only
    edit_contact(store, "王伟", {"phone": "+86 139 0000 0003"}, clock=clock)
    assert [r[3] for r in rows(db, POINTS)] == [
        "+86 139 0000 0003",
        "021-5555 0002",
        "ww@example.cn",
    ]
    first_points_hold(db)


def test_the_demo_keeps_its_contacts_first_points(cli, db) -> None:
    assert cli("demo", "--customers", "40").exit_code == 0
    assert rows(db, "SELECT count(*) FROM contact_point WHERE label = 'work' AND kind = 'phone'")[
        0
    ][0]
    assert rows(db, "SELECT count(*) FROM address")[0][0] == 10
    first_points_hold(db)


def test_vcard_lines_carry_every_point_with_its_type() -> None:
    from salesbench.io.export_reach import vcard_lines

    lines = vcard_lines(
        {
            "phones": "mobile: +86 138 0000 0001; fax: 010 1",
            "emails": "work: a@b.example; other: c@d.example",
            "addresses": [{"kind": "billing", "street": "1; Rd\nEnd", "city": "上海"}],
        }
    )
    assert lines == [
        "TEL;VALUE=text;TYPE=cell:+86 138 0000 0001",
        "TEL;VALUE=text;TYPE=fax:010 1",
        "EMAIL;TYPE=work:a@b.example",
        "EMAIL:c@d.example",
        "ADR;TYPE=x-billing:;;1\\; Rd\\nEnd;上海;;;",
    ]
    assert reach.vcard_label(["cell"]) == "mobile"
    assert reach.vcard_address_kind(["x-billing"]) == "billing"
    assert reach.vcard_address_kind(["HOME"]) == "home"


def test_vcard_cells_keep_every_tel_email_and_adr_for_a_reader() -> None:
    cells = reach.vcard_cells(
        [(["CELL", "PREF"], "+86 138 0000 0001"), (["WORK", "FAX"], "010 1"), ([], "tel:5")],
        [(["INTERNET", "WORK"], "a@b.example"), (["HOME"], "mailto:c@d.example")],
        [(["HOME"], ["", "", "1 Rd", "上海", "", "200000", "中国"]), (["WORK"], ["", "", ""])],
    )
    assert reach.parse_points(cells["phones"], "phone") == [
        ("mobile", "+86 138 0000 0001"),
        ("fax", "010 1"),
        ("other", "5"),
    ]
    assert reach.parse_points(cells["emails"], "email") == [
        ("work", "a@b.example"),
        ("home", "c@d.example"),
    ]
    assert reach.parse_addresses(cells["addresses"]) == [
        {
            "kind": "home",
            "street": "1 Rd",
            "city": "上海",
            "region": None,
            "postcode": "200000",
            "country": "中国",
        }
    ]
