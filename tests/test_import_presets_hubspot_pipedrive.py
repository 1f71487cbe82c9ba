"""HubSpot's and Pipedrive's exports as they are: property labels, several associated
companies, "Object - Field - Kind" columns, Won time and Lost time; one record per
source record, every value kept, and a second import changing nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows
from tests.presets_support import (
    FIXTURES,
    add_reps,
    by_external_id,
    counts,
    ok,
    records,
)

pytestmark = pytest.mark.both_backends


@pytest.fixture
def reps(cli) -> None:
    add_reps(cli)


HUBSPOT = (
    ("customers", "hubspot-companies-export.csv"),
    ("contacts", "hubspot-contacts-export.csv"),
    ("opportunities", "hubspot-deals-export.csv"),
)


def test_hubspot_companies_contacts_and_deals(reps, cli, db) -> None:
    outputs = [ok(cli, kind, str(FIXTURES / name)).output for kind, name in HUBSPOT]
    assert all("read as a hubspot export" in out for out in outputs)
    assert counts(db) == (3, 3, 3)
    companies = by_external_id(
        db,
        "SELECT c.external_id, c.name, c.industry, c.annual_purchase, r.email "
        "FROM customer c JOIN rep r ON r.id = c.owner_id",
    )
    assert companies == {
        "18342871001": ("Blue Ocean Logistics Ltd", "Logistics", 200000000, "wf@example.com"),
        "18342871002": ("绿叶科技有限公司", "Software", 12000000, "lilei@example.com"),
        "18342871003": ("Müller & Söhne GmbH", "Machinery", None, "wf@example.com"),
    }
    contacts = by_external_id(
        db,
        "SELECT p.external_id, p.name, p.title, p.email, c.external_id, p.custom "
        "FROM contact p JOIN customer c ON c.id = p.customer_id WHERE p.external_id IS NOT NULL",
    )
    assert {k: v[:4] for k, v in contacts.items()} == {
        "51": ("Amy Wu", "Buyer", "amy@blueocean.example", "18342871001"),
        "52": ("张伟", "CTO", "zhangwei@lvye.example", "18342871002"),
        "53": ("Jürgen Müller", "Geschäftsführer", "j.mueller@mueller.example", "18342871003"),
    }
    # the first associated company is theirs; the others are kept, and told
    custom = json.loads(contacts["52"][4])
    assert custom["Associated Company IDs (others)"] == "18342871003"
    assert custom["Associated Company (others)"] == "Müller & Söhne GmbH"
    assert (
        "1 row names several companies in 'Associated Company IDs': the first is theirs, "
        "the others are kept in 'Associated Company IDs (others)' (line 3: 18342871003)"
    ) in outputs[1]
    deals = by_external_id(
        db,
        "SELECT o.external_id, o.title, c.external_id, o.status, o.amount, o.currency, "
        "o.expected_close, o.closed_at, o.lost_reason, r.email FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.owner_id",
    )
    assert deals == {
        "9101": (
            "Blue Ocean fleet tracking",
            "18342871001",
            "won",
            4800000,
            "USD",
            "2026-10-04",
            "2026-10-04 10:00:00.000000",
            None,
            "wf@example.com",
        ),
        "9102": (
            "绿叶 CRM 替换",
            "18342871002",
            "lost",
            15000000,
            "CNY",
            "2026-08-15",
            "2026-08-15 10:00:00.000000",
            "选择了竞争对手",
            "lilei@example.com",
        ),
        "9103": (
            "Müller Wartungsvertrag",
            "18342871003",
            "open",
            3650075,
            "EUR",
            "2027-02-28",
            None,
            None,
            "wf@example.com",
        ),
    }
    before = records(db)
    for kind, name in HUBSPOT:
        ok(cli, kind, str(FIXTURES / name))
    assert records(db) == before


def test_hubspot_internal_stage_ids_close_deals(reps, cli, db, tmp_path) -> None:
    ok(cli, "customers", str(FIXTURES / "hubspot-companies-export.csv"))
    path = tmp_path / "deals.csv"
    path.write_text(
        "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Associated Company IDs\n"
        "1,A,closedwon,2026-10-04,Wang Fang,18342871001\n"
        "2,B,closedlost,2026-10-05,Wang Fang,18342871001\n",
        encoding="utf-8",
    )
    ok(cli, "opportunities", str(path))
    assert rows(db, "SELECT external_id, status FROM opportunity ORDER BY external_id") == [
        ("1", "won"),
        ("2", "lost"),
    ]


def test_hubspot_export_as_xlsx_reads_like_its_csv(reps, cli, db, tmp_path) -> None:
    """HubSpot exports XLSX unless told otherwise: the same header, the same records."""
    import csv

    from openpyxl import Workbook

    with (FIXTURES / "hubspot-companies-export.csv").open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for record in table:
        sheet.append([int(c) if c.isdigit() else c for c in record])
    path = tmp_path / "hubspot-crm-exports-all-companies-2026-12-01.xlsx"
    book.save(path)
    result = ok(cli, "customers", str(path))
    assert "read as a hubspot export" in result.output
    got = by_external_id(db, "SELECT external_id, name, annual_purchase FROM customer")
    assert got == {
        "18342871001": ("Blue Ocean Logistics Ltd", 200000000),
        "18342871002": ("绿叶科技有限公司", 12000000),
        "18342871003": ("Müller & Söhne GmbH", None),
    }


def test_hubspot_contacts_keep_their_mobile_phones(reps, cli, db) -> None:
    for kind, name in HUBSPOT[:2]:
        ok(cli, kind, str(FIXTURES / name))
    points = rows(
        db,
        "SELECT p.external_id, cp.label, cp.value FROM contact_point cp "
        "JOIN contact p ON p.id = cp.contact_id WHERE cp.kind = 'phone' "
        "ORDER BY p.external_id, cp.position",
    )
    assert [(n, v) for n, _, v in points] == [
        ("51", "+86 21 5555 0011"),
        ("51", "+86 138 1111 0001"),
        ("52", "+86 139 2222 0002"),
        ("53", "+49 89 1234 5600"),
    ]
    mobiles = {(n, v) for n, label, v in points if label == "mobile"}
    assert mobiles == {("51", "+86 138 1111 0001"), ("52", "+86 139 2222 0002")}
    first = dict(rows(db, "SELECT external_id, phone FROM contact WHERE external_id = '52'"))
    assert first == {"52": "+86 139 2222 0002"}  # the first phone it has


PIPEDRIVE = (
    ("customers", "pipedrive-organizations.csv"),
    ("contacts", "pipedrive-persons.csv"),
    ("opportunities", "pipedrive-deals.csv"),
)


def test_pipedrive_organizations_persons_and_deals(reps, cli, db) -> None:
    outputs = [
        ok(cli, kind, str(FIXTURES / name), "--timezone", "UTC").output for kind, name in PIPEDRIVE
    ]
    assert all("read as a pipedrive export" in out for out in outputs)
    assert counts(db) == (3, 3, 3)
    orgs = by_external_id(
        db,
        "SELECT c.external_id, c.name, r.email FROM customer c JOIN rep r ON r.id = c.owner_id",
    )
    assert orgs == {
        "101": ("Nordlicht Handel AG", "wf@example.com"),
        "102": ("深圳前海云图科技有限公司", "lilei@example.com"),
        "103": ("Café Olé S.L.", "wf@example.com"),
    }
    people = by_external_id(
        db,
        "SELECT p.external_id, p.name, p.phone, p.email, c.external_id FROM contact p "
        "JOIN customer c ON c.id = p.customer_id WHERE p.external_id IS NOT NULL",
    )
    assert people == {
        "201": ("Jörg Nordmann", "+49 69 1234 0001", "joerg@nordlicht.example", "101"),
        "202": ("陈静", "+86 755 5555 0002", "chenjing@yuntu.example", "102"),
        "203": ("José Núñez", "+34 600 555 003", "jose.nunez@correo.example", "103"),
    }
    deals = by_external_id(
        db,
        "SELECT o.external_id, o.title, c.external_id, o.status, o.amount, o.currency, "
        "o.expected_close, o.closed_at, o.lost_reason, r.email FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.owner_id",
    )
    assert deals == {
        # won on its Won time, not on its expected close
        "301": (
            "Nordlicht Kassensysteme",
            "101",
            "won",
            2400000,
            "EUR",
            "2026-09-30",
            "2026-10-04 15:30:00.000000",
            None,
            "wf@example.com",
        ),
        "302": (
            "云图 数据平台",
            "102",
            "lost",
            36000000,
            "CNY",
            "2026-08-31",
            "2026-08-20 02:15:00.000000",
            "Price too high",
            "lilei@example.com",
        ),
        "303": (
            "Café Olé franquicia",
            "103",
            "open",
            990050,
            "EUR",
            "2027-03-01",
            None,
            None,
            "wf@example.com",
        ),
    }
    custom = dict(rows(db, "SELECT external_id, custom FROM opportunity"))
    assert json.loads(custom["301"])["Deal - Contact person"] == "Jörg Nordmann"
    before = records(db)
    for kind, name in PIPEDRIVE:
        ok(cli, kind, str(FIXTURES / name), "--timezone", "UTC")
    assert records(db) == before


def test_pipedrive_persons_keep_work_and_home_emails_and_phones(reps, cli, db) -> None:
    for kind, name in PIPEDRIVE[:2]:
        ok(cli, kind, str(FIXTURES / name))
    points = rows(
        db,
        "SELECT p.external_id, cp.kind, cp.label, cp.value FROM contact_point cp "
        "JOIN contact p ON p.id = cp.contact_id ORDER BY p.external_id, cp.kind, cp.position",
    )
    assert points == [
        ("201", "email", "work", "joerg@nordlicht.example"),
        ("201", "email", "home", "jn@gmail.example"),
        ("201", "phone", "work", "+49 69 1234 0001"),
        ("201", "phone", "mobile", "+49 171 555 0001"),
        ("202", "email", "work", "chenjing@yuntu.example"),
        ("202", "phone", "work", "+86 755 5555 0002"),
        ("202", "phone", "mobile", "+86 137 5555 0002"),
        ("203", "email", "home", "jose.nunez@correo.example"),
        ("203", "phone", "mobile", "+34 600 555 003"),
    ]


def test_pipedrive_organization_addresses(reps, cli, db) -> None:
    ok(cli, "customers", str(FIXTURES / "pipedrive-organizations.csv"))
    got = by_external_id(
        db,
        "SELECT c.external_id, a.street, a.city, a.region, a.postcode, a.country "
        "FROM address a JOIN customer c ON c.id = a.customer_id",
    )
    assert got["102"] == ("前海大道 88 号", "深圳", "广东", "518052", "中国")
