"""vCards as Android, Outlook, iPhone and Google Contacts write them (2.1, 3.0,
4.0), and iCalendar to-dos from salesbench's export, Apple Reminders,
Thunderbird and Google Tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesbench.io.readers import ReadOptions, read_sheet
from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def cards(name: str) -> list[dict[str, str]]:
    sheet = read_sheet(FIXTURES / name, ReadOptions())
    return [{k: v for k, v in zip(sheet.header, r, strict=True) if v} for _, r in sheet.rows]


def test_android_21_quoted_printable_utf8_every_phone_and_email() -> None:
    zhang, li = cards("read-android-21.vcf")
    assert zhang == {
        "name": "张三",
        "first_name": "三",
        "last_name": "张",
        "customer": "华东家具",
        "phone": "+86 158 8888 8888",
        "phones": "mobile: +86 158 8888 8888; work: +86 21 6666 0000; fax: +86 21 6666 0001",
        "email": "zhangsan@qq.com",
        "emails": "home: zhangsan@qq.com; work: zhang.san@huadong.cn",
        "addresses": json.dumps(
            [
                {
                    "kind": "home",
                    "street": "淮海中路1号",
                    "city": "上海",
                    "region": "",
                    "postcode": "200000",
                    "country": "中国",
                }
            ],
            ensure_ascii=False,
        ),
        "birthday": "1985-03-09",
        "note": "喜欢微信\n不要打电话",  # a soft line break inside quoted-printable
    }
    assert li["name"] == "李四" and li["phones"] == "mobile: 16666666666; home: 010-8888-0000"


def test_outlook_21_cp1252_quoted_printable_and_a_free_text_role() -> None:
    (card,) = cards("read-outlook-21.vcf")
    assert card["name"] == "Jürgen Müller"
    assert card["customer"] == "Müller & Söhne GmbH"
    assert card["department"] == "Einkauf"  # ORG's second part, kept
    assert card["title"] == "Leiter Einkauf"
    assert card["phones"] == "work: +49 711 123456; mobile: +49 170 1234567; fax: +49 711 123457"
    assert card["email"] == "juergen.mueller@mueller-soehne.example"
    assert json.loads(card["addresses"])[0]["street"] == "Königstraße 1"
    assert card["url"] == "https://mueller-soehne.example"
    # the ROLE is kept beside the title, never a refused decision role
    assert (
        card["note"] == "Bevorzugt E-Mail\nMesse 2026: Stand B12\nRole: Entscheider für Maschinen"
    )


def test_iphone_30_with_item_groups_and_cr_cr_lf() -> None:
    (card,) = cards("read-iphone-30.vcf")
    assert card["phone"] == "+1 (415) 555-0100"
    assert card["phones"] == "mobile: +1 (415) 555-0100; work: +1 415 555 0199"
    assert card["emails"] == "jane@acme.example; home: jane.doe@icloud.example"
    address = json.loads(card["addresses"])[0]
    assert address["street"] == "1 Market St\nSuite 300" and address["postcode"] == "94105"
    assert card["url"] == "https://acme.example"
    assert card["birthday"] == "1990-07-04"
    assert card["note"] == "Met at SaaStr, 2026\nRole: Signs off orders over 10k"


def test_google_30_folded_and_v40_uri_phones() -> None:
    (nana,) = cards("read-google-30.vcf")
    assert nana["name"] == "欧阳娜娜" and nana["title"] == "采购经理"
    assert json.loads(nana["addresses"])[0]["country"] == "中国"  # folded mid-value
    assert nana["birthday"] == "1988-02-15" and nana["note"] == "Prefers WeChat; 下午联系"
    (sam,) = cards("read-v40.vcf")
    assert sam["id"] == "0b8f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4"
    assert sam["phones"] == "mobile: +44-7700-900123; work: +44-20-7946-0000"
    assert sam["birthday"] == "--0412"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "read-android-21.vcf",
            {
                ("张三", "华东家具", "+86 158 8888 8888", "zhangsan@qq.com"),
                ("李四", None, "16666666666", "lisi@gmail.com"),
            },
        ),
        (
            "read-outlook-21.vcf",
            {
                (
                    "Jürgen Müller",
                    "Müller & Söhne GmbH",
                    "+49 711 123456",
                    "juergen.mueller@mueller-soehne.example",
                )
            },
        ),
        (
            "read-iphone-30.vcf",
            {("Jane Doe", "Acme Trading Co.", "+1 (415) 555-0100", "jane@acme.example")},
        ),
        (
            "read-google-30.vcf",
            {("欧阳娜娜", "北方建材", "+86 139 0000 0002", "nana@beifang.cn")},
        ),
        (
            "read-v40.vcf",
            {("Sam Smith", "Bookkeeping Ltd", "+44-7700-900123", "sam@bookkeeping.example")},
        ),
    ],
)
def test_each_client_file_imports_one_contact_per_card(rep, cli, db, name, expected) -> None:
    result = cli("import", "contacts", str(FIXTURES / name))
    assert result.exit_code == 0, result.output
    got = rows(
        db,
        "SELECT contact.name, customer.name, contact.phone, contact.email FROM contact "
        "JOIN customer ON customer.id = contact.customer_id",
    )
    assert len(got) == len(expected)
    # a person without a company becomes a retail customer of their own name
    assert {(n, c if c != n else None, p, e) for n, c, p, e in got} == expected


# ---------------------------------------------------------------- iCalendar


def tasks(name: str) -> list[dict[str, str]]:
    sheet = read_sheet(FIXTURES / name, ReadOptions())
    return [{k: v for k, v in zip(sheet.header, r, strict=True) if v} for _, r in sheet.rows]


def test_vtodos_from_other_clients() -> None:
    quote, tender = tasks("read-apple-reminders.ics")
    assert quote == {
        "external_id": "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF",
        "title": "Send quote to Acme",
        "due_at": "2026-12-03",  # a DATE stays a day
        "status": "done",
        "completed_at": "2026-11-05T09:30:00+00:00",
        "note": "Include the volume discount, as agreed",
    }
    assert tender["due_at"] == "2026-12-10T09:00:00-08:00"  # TZID kept
    offer, cancelled = tasks("read-thunderbird.ics")
    assert offer["status"] == "open" and offer["due_at"] == "2026-12-04T15:00:00+01:00"
    assert cancelled == {
        "external_id": "3c5e7a9b-0d2f-4e6a-8b1c-thunderbird02",
        "title": "Messe abgesagt",
        "status": "skipped",
    }
    (google,) = tasks("read-google-tasks.ics")
    assert (
        google["due_at"] == "2026-11-30" and google["note"] == "Ask for the purchase order number"
    )


def test_salesbench_ics_imports_as_tasks_and_again_changes_nothing(rep, cli, db, tmp_path) -> None:
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0
    path = str(FIXTURES / "read-salesbench-tasks.ics")
    result = cli("import", "tasks", path)
    assert result.exit_code == 0, result.output
    got = sorted(
        rows(
            db,
            "SELECT task.id, task.title, customer.name, task.due_at, task.status FROM task "
            "JOIN customer ON customer.id = task.customer_id",
        )
    )
    assert got == [
        (
            "5d0a3f7e1c2b4a5d9e8f0a1b2c3d4e5f",
            "Send samples",
            "北方建材",
            "2026-11-25 02:00:00.000000",
            "open",
        ),
        # a date-only DUE is that day in the rep's zone (Asia/Shanghai)
        (
            "6e1b4a8f2d3c4b6e8f901b2c3d4e5f60",
            "Call back (Acme)",
            "Acme Trading Co.",
            "2026-12-02 16:00:00.000000",
            "open",
        ),
    ]
    before = snapshot(db)
    assert cli("import", "tasks", path).exit_code == 0
    exported = tmp_path / "tasks.ics"
    assert cli("export", "tasks", "--format", "ics", "--out", str(exported)).exit_code == 0
    assert cli("import", "tasks", str(exported)).exit_code == 0
    after = snapshot(db)
    after.pop("import_batch", None), before.pop("import_batch", None)
    assert after == before


def test_an_ics_file_is_for_tasks_only(rep, cli, db) -> None:
    result = cli("import", "contacts", str(FIXTURES / "read-google-tasks.ics"))
    assert result.exit_code == 2
    assert "ics files hold tasks" in result.output


def test_salesbench_own_x_properties_come_back_as_their_columns() -> None:
    (card,) = cards("read-salesbench-v40.vcf")
    assert card["id"] == "6f1c2b9e-8a2d-4c3e-9f10-0a1b2c3d4e5f"
    assert card["phone"] == "+86 138-0000-0001"  # TEL;VALUE=text: exactly as written
    assert card["title"] == "ok\nEND:VCARD\nBEGIN:VCARD\nFN:Mallory"  # one value, not a card
    assert {k: card[k] for k in card if k not in VCARD_BASE} == {
        "customer_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "decision_role": "decision_maker",
        "external_source": "salesforce",
        "owner_email": "wf@example.com",
        "created_at": "2026-10-01T08:00:00+00:00",
        "custom": '{"wechat": "lilei_hd", "score": 1.50}',
    }
    assert "note" not in card  # ROLE is the decision role here, not a note
    (todo,) = tasks("read-salesbench-own.ics")
    assert todo == {
        "id": "5d0a3f7e-1c2b-4a5d-9e8f-0a1b2c3d4e5f",
        "title": "Send samples (to Beijing)",  # exactly, not split at its "("
        "customer_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "owner_email": "wf@example.com",
        "status": "snoozed",
        "due_at": "20261124T160000Z",
        "custom": '{"priority": "high"}',
    }


VCARD_BASE = {
    "id",
    "external_id",
    "name",
    "first_name",
    "last_name",
    "customer",
    "title",
    "phone",
    "phones",
    "email",
    "emails",
}
