"""Salesforce's exports as they are: Data Loader extracts (API names in capitals,
every value quoted), the weekly Data Export, and report exports (labels, BOM, CRLF,
locale dates, totals and footer); one record per source record, every value kept."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows
from tests.presets_support import (
    A1,
    A2,
    A3,
    A4,
    FIXTURES,
    O1,
    O2,
    SF_FILES,
    SF_OWNERS,
    add_reps,
    by_external_id,
    counts,
    import_salesforce,
    ok,
    records,
)

pytestmark = pytest.mark.both_backends


@pytest.fixture
def reps(cli) -> None:
    add_reps(cli)


def test_salesforce_owner_ids_refuse_the_file_once_per_owner(reps, cli, db) -> None:
    result = cli("import", "customers", str(FIXTURES / "sf-accounts.csv"))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "is not a rep" in line]
    assert lines == [
        f"{FIXTURES / 'sf-accounts.csv'}:2: OWNERID: owner '{O1}' is not a rep (3 rows): "
        "add them (`salesbench rep add`), or --owner-map FILE, or --owner-fallback me",
        f"{FIXTURES / 'sf-accounts.csv'}:3: OWNERID: owner '{O2}' is not a rep (1 row): "
        "add them (`salesbench rep add`), or --owner-map FILE, or --owner-fallback me",
    ]
    assert "Traceback" not in result.output
    assert rows(db, "SELECT COUNT(*) FROM customer") == [(0,)]


def test_salesforce_data_loader_accounts_contacts_and_deals(reps, cli, db) -> None:
    import_salesforce(cli)
    assert counts(db) == (4, 3, 4)
    accounts = by_external_id(
        db,
        "SELECT c.external_id, c.name, c.industry, c.annual_purchase, r.email "
        "FROM customer c JOIN rep r ON r.id = c.owner_id",
    )
    assert accounts == {
        A1: ("Société Générale Équipements", "Manufacturing", 250000000, "wf@example.com"),
        A2: ("上海华东家具有限公司", "Retail", 3500000000, "lilei@example.com"),
        A3: ("Acme, Inc.", "Technology", None, "wf@example.com"),
        A4: ("Acme Labs", "Technology", 12000000, "wf@example.com"),
    }
    custom = dict(rows(db, "SELECT external_id, custom FROM customer"))
    assert json.loads(custom[A1])["TYPE"] == "Customer - Direct"  # kept, not dropped
    contacts = by_external_id(
        db,
        "SELECT p.external_id, p.name, p.title, p.phone, p.email, c.external_id "
        "FROM contact p JOIN customer c ON c.id = p.customer_id WHERE p.external_id IS NOT NULL",
    )
    assert contacts == {
        "0035g00000QrStUAAV": (
            "Zoë Lefèvre",
            "Directrice achats",
            "+33 1 42 14 20 10",
            "zoe.lefevre@sge.example",
            A1,
        ),
        "0035g00000QrStVAAV": (
            "王芳",
            "采购经理",
            "+86 21 5555 0102",
            "wangfang@huadong.example",
            A2,
        ),
        "0035g00000QrStWAAV": ("Sam O'Brien", "CTO", "+1 415 555 0170", "sam@acme.example", A3),
    }
    deals = by_external_id(
        db,
        "SELECT o.external_id, o.title, c.external_id, o.status, o.amount, o.currency, "
        "o.expected_close, o.closed_at, o.lost_reason, r.email FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.owner_id",
    )
    won_on = "2026-10-04 10:00:00.000000"  # its close date, 6 pm in Shanghai
    assert deals == {
        "0065g00000WxYzAAAV": (
            "oppty1",
            A1,
            "won",
            14000000,
            "EUR",
            "2026-10-04",
            won_on,
            None,
            "wf@example.com",
        ),
        "0065g00000WxYzBAAV": (
            "oppty1",
            A3,
            "lost",
            2500000,
            "USD",
            "2026-09-12",
            "2026-09-12 10:00:00.000000",
            "not recorded (imported)",
            "wf@example.com",
        ),
        "0065g00000WxYzCAAV": (
            "华东门店改造",
            A2,
            "open",
            88000000,
            "CNY",
            "2027-01-15",
            None,
            None,
            "lilei@example.com",
        ),
        # a stage of the org's own ("Signed"), but IsWon says it is won
        "0065g00000WxYzDAAV": (
            "Acme Labs pilot",
            A4,
            "won",
            1250050,
            "USD",
            "2026-11-20",
            "2026-11-20 10:00:00.000000",
            None,
            "wf@example.com",
        ),
    }
    custom = rows(db, "SELECT external_id, custom FROM opportunity")
    stages = {k: json.loads(v).get("stage") for k, v in custom}
    assert stages == {  # their stages, kept until a playbook places the deals
        "0065g00000WxYzAAAV": "Closed Won",
        "0065g00000WxYzBAAV": "Closed Lost",
        "0065g00000WxYzCAAV": "Negotiation/Review",
        "0065g00000WxYzDAAV": "Signed",
    }


def test_salesforce_files_imported_again_change_nothing(reps, cli, db) -> None:
    import_salesforce(cli)
    before = records(db)
    for kind, name in SF_FILES:
        result = ok(cli, kind, str(FIXTURES / name), "--owner-map", SF_OWNERS)
        assert "created" not in result.output
    assert records(db) == before


def test_salesforce_data_export_opportunities(reps, cli, db) -> None:
    """Data Export (the weekly export's Opportunity.csv): API names as the object
    reference spells them, every value quoted, CRLF, system columns kept as custom."""
    ok(cli, "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", SF_OWNERS)
    path = str(FIXTURES / "sf-export-Opportunity.csv")
    result = ok(cli, "opportunities", path, "--owner-map", SF_OWNERS)
    assert "read as a salesforce export" in result.output
    deals = by_external_id(
        db,
        "SELECT o.external_id, o.title, c.external_id, o.status, o.amount, o.currency, "
        "o.expected_close, o.closed_at, r.email FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.owner_id",
    )
    assert deals == {
        "0065g00000ExPoAAAV": (
            "Renouvellement 2027",
            A1,
            "won",
            9800000,
            "EUR",
            "2026-10-04",
            "2026-10-04 10:00:00.000000",
            "wf@example.com",
        ),
        "0065g00000ExPoBAAV": (
            "华东二期",
            A2,
            "open",
            None,
            "CNY",
            "2027-06-30",
            None,
            "lilei@example.com",
        ),
    }
    custom = json.loads(rows(db, "SELECT custom FROM opportunity WHERE title = '华东二期'")[0][0])
    assert custom["NextStep"] == "报价" and custom["ForecastCategoryName"] == "Pipeline"
    assert custom["stage"] == "Qualification"


def test_salesforce_report_export_with_its_footer(reps, cli, db) -> None:
    path = FIXTURES / "sf-report-opportunities.csv"
    result = ok(cli, "opportunities", str(path), "--date-format", "%m/%d/%Y")
    assert "read as a salesforce export" in result.output
    footer = "note: skipped the report footer (lines 7–14, from 'Total'): not records"
    assert footer in result.output
    deals = by_external_id(
        db,
        "SELECT o.external_id, o.title, c.name, c.external_id, o.status, o.amount, o.currency, "
        "o.expected_close, o.closed_at, r.email FROM opportunity o "
        "JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.owner_id",
    )
    assert deals == {
        "0065g00000WxYzAAAV": (
            "oppty1",
            "Société Générale Équipements",
            A1,
            "won",
            14000000,
            "EUR",
            "2026-10-04",
            "2026-10-04 10:00:00.000000",
            "wf@example.com",
        ),
        "0065g00000WxYzBAAV": (
            "oppty1",
            "Acme, Inc.",
            A3,
            "lost",
            2500000,
            "USD",
            "2026-09-12",
            "2026-09-12 10:00:00.000000",
            "wf@example.com",
        ),
        "0065g00000WxYzCAAV": (
            "华东门店改造",
            "上海华东家具有限公司",
            A2,
            "open",
            88000000,
            "CNY",
            "2027-01-15",
            None,
            "lilei@example.com",
        ),
        "0065g00000WxYzDAAV": (
            "Acme Labs pilot",
            "Acme Labs",
            A4,
            "won",
            1250050,
            "USD",
            "2026-11-20",
            "2026-11-20 10:00:00.000000",
            "wf@example.com",
        ),
    }
    assert counts(db) == (4, 0, 4)
    before = records(db)
    ok(cli, "opportunities", str(path), "--date-format", "%m/%d/%Y")
    assert records(db) == before


def test_salesforce_contacts_keep_every_phone(reps, cli, db) -> None:
    import_salesforce(cli)
    points = rows(
        db,
        "SELECT p.external_id, cp.kind, cp.label, cp.value FROM contact_point cp "
        "JOIN contact p ON p.id = cp.contact_id ORDER BY p.external_id, cp.position",
    )
    assert points == [
        ("0035g00000QrStUAAV", "phone", "work", "+33 1 42 14 20 10"),
        ("0035g00000QrStUAAV", "phone", "mobile", "+33 6 12 34 56 78"),
        ("0035g00000QrStUAAV", "email", "other", "zoe.lefevre@sge.example"),
        ("0035g00000QrStVAAV", "phone", "work", "+86 21 5555 0102"),
        ("0035g00000QrStVAAV", "phone", "mobile", "+86 138 0000 0001"),
        ("0035g00000QrStVAAV", "phone", "other", "+86 21 5555 0199"),
        ("0035g00000QrStVAAV", "email", "other", "wangfang@huadong.example"),
        ("0035g00000QrStWAAV", "phone", "work", "+1 415 555 0170"),
        ("0035g00000QrStWAAV", "phone", "home", "+1 415 555 0177"),
        ("0035g00000QrStWAAV", "email", "other", "sam@acme.example"),
    ]


def test_salesforce_billing_and_mailing_addresses(reps, cli, db) -> None:
    import_salesforce(cli)
    billing = by_external_id(
        db,
        "SELECT c.external_id, a.kind, a.street, a.city, a.region, a.postcode, a.country "
        "FROM address a JOIN customer c ON c.id = a.customer_id",
    )
    assert billing[A1] == (
        "billing",
        "12 Rue de la Paix",
        "Paris",
        "Île-de-France",
        "75002",
        "France",
    )
    street = "南京西路 1266 号\n恒隆广场 32 楼"
    assert billing[A2] == ("billing", street, "上海", "上海", "200040", "China")
    mailing = by_external_id(
        db,
        "SELECT p.external_id, a.city, a.country FROM address a "
        "JOIN contact p ON p.id = a.contact_id",
    )
    assert mailing["0035g00000QrStUAAV"] == ("Paris", "France")


def test_salesforce_account_revenue_keeps_its_currency(reps, cli, db) -> None:
    import_salesforce(cli)
    got = dict(rows(db, "SELECT external_id, currency FROM customer"))
    assert got == {A1: "EUR", A2: "CNY", A3: None, A4: "USD"}


def test_salesforce_ids_are_kept_as_salesforce_ids(reps, cli, db) -> None:
    import_salesforce(cli)
    for table in ("customer", "contact", "opportunity"):
        sql = f"SELECT DISTINCT external_source FROM {table} WHERE external_id IS NOT NULL"
        sources = rows(db, sql)
        assert sources == [("salesforce",)], table


def test_accounts_sharing_a_placeholder_phone_are_all_kept(reps, cli, db) -> None:
    path = str(FIXTURES / "sf-accounts-placeholder-phone.csv")
    ok(cli, "customers", path, "--owner-map", SF_OWNERS)
    assert len(rows(db, "SELECT * FROM customer WHERE external_id LIKE '0015g00000PhOn%'")) == 3
