"""`import tasks FILE.ics` from the clients people keep to-dos in (Apple Reminders,
Thunderbird, Google Tasks): their to-dos name no customer, `--customer` gives one;
and the hostile cases of iCalendar and vCard files, each one clear line, exit 2,
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "import"
CLIENTS = {"read-apple-reminders.ics": 2, "read-thunderbird.ics": 2, "read-google-tasks.ics": 1}


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("import", "customers", str(FIXTURES / "customers-utf8.csv")).exit_code == 0


def test_to_dos_without_a_customer_are_refused_once_naming_the_option(rep, cli, db) -> None:
    before = snapshot(db)
    result = cli("import", "tasks", str(FIXTURES / "read-apple-reminders.ics"))
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if "--customer" in line]
    assert len(problems) == 1, result.output
    assert "2 to-dos name no customer" in problems[0]
    assert "read-apple-reminders.ics:5:" in problems[0]  # the first VTODO
    assert snapshot(db) == before


@pytest.mark.parametrize("name", sorted(CLIENTS))
def test_to_dos_from_other_clients_go_to_the_customer_given(rep, cli, db, name) -> None:
    path = str(FIXTURES / name)
    result = cli("import", "tasks", path, "--customer", "Acme Trading Co.")
    assert result.exit_code == 0, result.output
    got = rows(
        db,
        "SELECT task.title, customer.name, task.opportunity_id, task.external_id "
        "FROM task JOIN customer ON customer.id = task.customer_id",
    )
    assert len(got) == CLIENTS[name]
    assert {(c, o) for _, c, o, _ in got} == {("Acme Trading Co.", None)}
    assert all(uid for *_, uid in got)  # the UID is kept as the source's id
    before = snapshot(db)
    again = cli("import", "tasks", path, "--customer", "Acme Trading Co.")
    assert again.exit_code == 0, again.output
    after = snapshot(db)
    after.pop("import_batch", None), before.pop("import_batch", None)
    assert after == before


def test_the_customer_may_be_named_by_its_short_id(rep, cli, db) -> None:
    (customer_id,) = rows(db, "SELECT id FROM customer WHERE name = '北方建材'")[0]
    short = str(customer_id).replace("-", "")[:8]
    result = cli("import", "tasks", str(FIXTURES / "read-google-tasks.ics"), "--customer", short)
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT title, customer_id FROM task") == [
        ("Follow up with 华东家具", customer_id)
    ]


def test_a_to_do_that_names_its_customer_keeps_it(rep, cli, db) -> None:
    """salesbench's own export names the customer: --customer does not move it."""
    path = str(FIXTURES / "read-salesbench-tasks.ics")
    result = cli("import", "tasks", path, "--customer", "Acme Trading Co.")
    assert result.exit_code == 0, result.output
    got = sorted(
        rows(
            db,
            "SELECT task.title, customer.name FROM task JOIN customer "
            "ON customer.id = task.customer_id",
        )
    )
    assert got == [("Call back (Acme)", "Acme Trading Co."), ("Send samples", "北方建材")]


@pytest.mark.parametrize("name", ["read-google-tasks.ics", "read-salesbench-tasks.ics"])
def test_an_unknown_customer_is_refused_naming_the_option(rep, cli, db, name) -> None:
    """Even when every row names its own: a wrong option is never ignored."""
    before = snapshot(db)
    result = cli("import", "tasks", str(FIXTURES / name), "--customer", "Nobody")
    assert result.exit_code == 2
    assert "--customer: no customer matches 'Nobody'" in result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before


def test_customer_is_an_option_of_tasks_only(rep, cli, db) -> None:
    result = cli(
        "import", "contacts", str(FIXTURES / "read-v40.vcf"), "--customer", "Acme Trading Co."
    )
    assert result.exit_code == 2 and "--customer is for tasks" in result.output


# ---------------------------------------------------------------- hostile files

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\n{}END:VCALENDAR\r\n"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def refused(cli, db, *args: str) -> str:
    before = snapshot(db)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before
    lines = [line for line in result.output.splitlines() if line.strip()]
    return "\n".join(lines)


def test_a_due_in_an_unknown_timezone_is_refused_at_its_line(rep, cli, db, tmp_path) -> None:
    todo = (
        "BEGIN:VTODO\r\nUID:x-1\r\nSUMMARY:Call Jane\r\n"
        "DUE;TZID=Mars/Olympus_Mons:20261210T090000\r\nEND:VTODO\r\n"
    )
    path = write(tmp_path, "mars.ics", CALENDAR.format(todo))
    output = refused(cli, db, "import", "tasks", path, "--customer", "Acme Trading Co.")
    assert "mars.ics:7:" in output and "DUE" in output
    assert "Mars/Olympus_Mons" in output and "timezone" in output


def test_a_to_do_without_a_summary_is_refused_at_its_line(rep, cli, db, tmp_path) -> None:
    todo = (
        "BEGIN:VTODO\r\nUID:x-1\r\nSUMMARY:Call Jane\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:x-2\r\nDUE;VALUE=DATE:20261203\r\nEND:VTODO\r\n"
    )
    path = write(tmp_path, "untitled.ics", CALENDAR.format(todo))
    output = refused(cli, db, "import", "tasks", path, "--customer", "Acme Trading Co.")
    assert "untitled.ics:8:" in output and "no SUMMARY" in output


def test_custom_fields_that_are_not_json_are_refused_at_line_and_column(
    rep, cli, db, tmp_path
) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Li Lei\r\nORG:Acme Trading Co.\r\n"
        'X-SALESBENCH-CUSTOM:{"wechat": lilei}\r\nEND:VCARD\r\n'
    )
    path = write(tmp_path, "custom.vcf", card)
    output = refused(cli, db, "import", "contacts", path)
    assert output.count("\n") == 0, output  # one line
    # line 5, column 32: where `lilei` starts (after `X-SALESBENCH-CUSTOM:{"wechat": `)
    assert "custom.vcf:5:32:" in output and "X-SALESBENCH-CUSTOM" in output
    assert "JSON" in output


def test_an_exact_title_that_is_not_a_json_string_is_refused(rep, cli, db, tmp_path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Li Lei\r\nORG:Acme Trading Co.\r\n"
        "X-SALESBENCH-TITLE:[1]\r\nEND:VCARD\r\n"
    )
    path = write(tmp_path, "title.vcf", card)
    output = refused(cli, db, "import", "contacts", path)
    assert "title.vcf:5:20:" in output and "JSON string" in output
