"""Imports from other systems: owners through --owner-map (or --owner-fallback me),
stages through --stage-map, IsWon/IsClosed and close times, report footers, and
which vendor a header is; one problem told once, however many rows it concerns."""

from __future__ import annotations

import json

import pytest

from salesbench.core.errors import BadInput
from salesbench.core.import_presets import detect_preset
from salesbench.core.import_sidefiles import read_map, strip_footer
from salesbench.core.importing import Sheet
from tests.conftest import rows
from tests.presets_support import (
    A1,
    FIXTURES,
    O1,
    O2,
    SF_OWNERS,
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


def test_owner_fallback_me_gives_unknown_owners_rows_to_the_importer(reps, cli, db) -> None:
    path = str(FIXTURES / "sf-accounts.csv")
    result = ok(cli, "customers", path, "--owner-fallback", "me", "--rep", "wf@example.com")
    assert f"note: owner '{O1}' is not a rep (3 rows): imported as yours" in result.output
    assert f"note: owner '{O2}' is not a rep (1 row): imported as yours" in result.output
    owners = rows(db, "SELECT DISTINCT r.email FROM customer c JOIN rep r ON r.id = c.owner_id")
    assert owners == [("wf@example.com",)]
    assert rows(db, "SELECT COUNT(*) FROM customer") == [(4,)]


def test_owner_fallback_takes_only_me(reps, cli, db) -> None:
    path = str(FIXTURES / "sf-accounts.csv")
    result = cli("import", "customers", path, "--owner-fallback", "them")
    assert result.exit_code == 2
    assert "--owner-fallback: is me (got 'them')" in result.output
    assert rows(db, "SELECT COUNT(*) FROM customer") == [(0,)]


def test_owner_map_problems_are_one_line_each(reps, cli, db, tmp_path) -> None:
    bad = tmp_path / "owners.csv"
    bad.write_text(f"{O1},wf@example.com\n{O2},Li Lei,extra\n", encoding="utf-8")
    result = cli("import", "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: expected two cells (theirs, ours), got 3" in result.output
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(f"{O1},wf@example.com\n{O2},Nobody Here\n", encoding="utf-8")
    result = cli(
        "import", "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", str(unknown)
    )
    assert result.exit_code == 2
    assert (
        f"owner '{O2}' is mapped to 'Nobody Here' by --owner-map, who is not a rep (1 row)"
        in result.output
    )
    assert "Traceback" not in result.output
    assert rows(db, "SELECT COUNT(*) FROM customer") == [(0,)]
    missing = cli("import", "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", "nope")
    assert missing.exit_code == 2 and "nope: no such file" in missing.output


def test_rows_of_an_unknown_owner_are_counted_once_each(reps, cli, db, tmp_path) -> None:
    """A contact of a company not yet stored asks for its owner twice (the new
    company's, its own): still one row."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Record ID,First Name,Last Name,Company Name,Contact owner,Lead Status\n"
        "1,Ann,Lee,NewCo,Ghost Rep,Open\n2,Bo,Wu,OtherCo,Ghost Rep,Open\n",
        encoding="utf-8",
    )
    refused = cli("import", "contacts", str(path))
    assert refused.exit_code == 2
    assert "contacts.csv:2: Contact owner: owner 'Ghost Rep' is not a rep (2 rows)" in (
        refused.output
    )
    result = ok(cli, "contacts", str(path), "--owner-fallback", "me", "--rep", "wf@example.com")
    assert "owner 'Ghost Rep' is not a rep (2 rows): imported as yours" in result.output
    owners = rows(
        db,
        "SELECT DISTINCT r.email FROM contact p JOIN customer c ON c.id = p.customer_id "
        "JOIN rep r ON r.id = c.owner_id",
    )
    assert owners == [("wf@example.com",)]
    assert counts(db) == (2, 2, 0)


def test_no_rep_yet_is_told_once_for_the_file(cli, db, tmp_path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("name\n" + "".join(f"Shop {n}\n" for n in range(40)), encoding="utf-8")
    result = cli("import", "customers", str(path))
    assert result.exit_code == 2
    assert result.output.count("no rep yet") == 1
    assert "(40 rows)" in result.output
    assert rows(db, "SELECT COUNT(*) FROM customer") == [(0,)]


def test_is_won_and_is_closed_decide_without_a_stage_column(reps, cli, db, tmp_path) -> None:
    ok(cli, "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", SF_OWNERS)
    path = tmp_path / "deals.csv"
    path.write_text(
        "Id,AccountId,Name,Amount,CloseDate,IsClosed,IsWon,OwnerId\r\n"
        f"006A,{A1},Won one,100,2026-10-04,true,true,{O1}\r\n"
        f"006B,{A1},Lost one,200,2026-09-01,true,false,{O1}\r\n"
        f"006C,{A1},Open one,300,2027-01-31,false,false,{O1}\r\n",
        encoding="utf-8",
    )
    ok(cli, "opportunities", str(path), "--owner-map", SF_OWNERS)
    got = by_external_id(
        db, "SELECT external_id, status, expected_close, closed_at, lost_reason FROM opportunity"
    )
    assert got == {
        "006A": ("won", "2026-10-04", "2026-10-04 10:00:00.000000", None),
        "006B": ("lost", "2026-09-01", "2026-09-01 10:00:00.000000", "not recorded (imported)"),
        "006C": ("open", "2027-01-31", None, None),
    }


def test_a_closed_at_column_is_when_the_deal_closed(reps, cli, db, tmp_path) -> None:
    """Our own export's closed_at (and any file's) wins over the expected close."""
    path = tmp_path / "deals.csv"
    path.write_text(
        "customer,title,status,expected_close,closed_at,lost_reason\n"
        "Redwood Retail,Store refit,won,2026-12-31,2026-10-04T09:30:00+00:00,\n"
        "Redwood Retail,Pantry line,lost,2026-12-31,2026-10-05T09:30:00+00:00,Price\n"
        "Redwood Retail,Cold chain,open,2027-03-31,2026-10-06T09:30:00+00:00,\n",
        encoding="utf-8",
    )
    ok(cli, "opportunities", str(path), "--rep", "wf@example.com")
    got = {
        r[0]: r[1:]
        for r in rows(db, "SELECT title, status, expected_close, closed_at FROM opportunity")
    }
    assert got == {
        "Store refit": ("won", "2026-12-31", "2026-10-04 09:30:00.000000"),
        "Pantry line": ("lost", "2026-12-31", "2026-10-05 09:30:00.000000"),
        "Cold chain": ("open", "2027-03-31", None),  # an open deal has not closed
    }
    before = records(db)
    ok(cli, "opportunities", str(path), "--rep", "wf@example.com")
    assert records(db) == before


def test_stage_map_places_deals_on_the_playbook(reps, cli, db, tmp_path) -> None:
    ok(cli, "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", SF_OWNERS)
    stage_map = tmp_path / "stages.csv"
    stage_map.write_text(
        "stage,stage key\nNegotiation/Review,negotiation\nSigned,won\n"
        "Prospecting,lead_development\n",
        encoding="utf-8",
    )
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Id,AccountId,Name,StageName,CloseDate,OwnerId\n"
        f"006A,{A1},Refit,Negotiation/Review,2027-01-15,{O1}\n"
        f"006B,{A1},Pilot,Signed,2026-10-04,{O1}\n"
        f"006C,{A1},Maybe,Id. Decision Makers,2027-02-01,{O1}\n",
        encoding="utf-8",
    )
    mapped = ("--owner-map", SF_OWNERS, "--stage-map", str(stage_map))
    no_playbook = cli("import", "opportunities", str(deals), *mapped)
    assert no_playbook.exit_code == 2
    assert (
        "deals.csv:2: StageName: --stage-map maps it to 'negotiation', a stage of which "
        "playbook? (--playbook) (1 row)"
    ) in no_playbook.output
    args = ("opportunities", str(deals), "--owner-map", SF_OWNERS, "--playbook", "b2b-lifecycle")
    wrong = cli("import", *args, "--stage-map", str(stage_map))
    assert wrong.exit_code == 2
    assert "deals.csv:4: StageName: no stage 'Id. Decision Makers' in the playbook" in wrong.output
    assert rows(db, "SELECT COUNT(*) FROM opportunity") == [(0,)]
    with stage_map.open("a", encoding="utf-8") as out:
        out.write("Id. Decision Makers,solution\n")
    ok(cli, *args, "--stage-map", str(stage_map))
    got = by_external_id(db, "SELECT external_id, stage_key, status, closed_at FROM opportunity")
    assert got == {
        "006A": ("negotiation", "open", None),
        "006B": (None, "won", "2026-10-04 10:00:00.000000"),
        "006C": ("solution", "open", None),
    }


def test_stage_map_file_problems(reps, cli, db, tmp_path) -> None:
    twice = tmp_path / "stages.csv"
    twice.write_text("Signed,won\nSigned,lost\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"stages\.csv:2: 'Signed' is mapped twice"):
        read_map(twice.read_text(encoding="utf-8"), str(twice), "--stage-map")
    result = cli(
        "import", "customers", str(FIXTURES / "sf-accounts.csv"), "--stage-map", str(twice)
    )
    assert result.exit_code == 2 and "--stage-map is for opportunities" in result.output


def test_an_unknown_stage_on_many_rows_is_told_once(reps, cli, db, tmp_path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "customer,title,stage\n" + "".join(f"Shop {n},Deal {n},Prospecting\n" for n in range(25)),
        encoding="utf-8",
    )
    args = ("--playbook", "b2b-lifecycle", "--rep", "wf@example.com")
    result = cli("import", "opportunities", str(path), *args)
    assert result.exit_code == 2
    assert result.output.count("no stage 'Prospecting'") == 1
    assert "deals.csv:2: stage: no stage 'Prospecting' in the playbook" in result.output
    assert "--stage-map) (25 rows)" in result.output
    assert rows(db, "SELECT COUNT(*) FROM opportunity") == [(0,)]


def sheet(*cells: list[str]) -> Sheet:
    return Sheet("f.csv", ["a", "b", "c"], [(n + 2, list(c)) for n, c in enumerate(cells)], [])


def test_footer_lines_go_and_a_short_last_record_stays() -> None:
    kept = sheet(["Acme", "1", "x"], ["Solo", "", ""])
    assert strip_footer(kept) is None and len(kept.rows) == 2
    report = sheet(
        ["Acme", "1", "x"],
        ["Grand Totals (1 record)", "1", ""],
        ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.", "", ""],
    )
    assert strip_footer(report) == (
        "skipped the report footer (lines 3–4, from 'Grand Totals (1 record)'): not records"
    )
    assert report.rows == [(2, ["Acme", "1", "x"])]
    names = sheet(["Acme", "1", "x"], ["Total Gym Ltd", "", ""], ["Copyright Agency", "", ""])
    assert strip_footer(names) is None and len(names.rows) == 3  # customers, not a footer
    confidential = sheet(["Acme", "1", "x"], ["Confidential Information - Do Not Distribute"])
    assert strip_footer(confidential) is not None and len(confidential.rows) == 1


def test_our_own_exports_are_not_taken_for_a_vendor() -> None:
    ours = {
        "customers": "id,name,kind,number,industry,owner_id,owner_email,created_at,updated_at,"
        "external_id,external_source,custom",
        "contacts": "id,customer_id,customer_name,name,title,phone,email,external_id,"
        "external_source,created_at",
        "opportunities": "id,customer_id,customer_name,owner_id,owner_email,title,stage_key,"
        "status,amount,currency,expected_close,closed_at,lost_reason,external_id,created_at",
    }
    for kind, header in ours.items():
        assert detect_preset(kind, header.split(",")) is None, kind
    assert detect_preset("opportunities", ["ID", "ACCOUNTID", "NAME", "STAGENAME", "ISWON"]) == (
        "salesforce"
    )
    assert detect_preset("contacts", ["Person - Name", "Person - Email - Work"]) == "pipedrive"


def test_an_upsert_that_wins_a_deal_closes_it_on_its_close_date(reps, cli, db, tmp_path) -> None:
    ok(cli, "customers", str(FIXTURES / "sf-accounts.csv"), "--owner-map", SF_OWNERS)
    header = "Id,AccountId,Name,StageName,CloseDate,IsClosed,IsWon,OwnerId\n"
    open_deal, won_deal = tmp_path / "open.csv", tmp_path / "won.csv"
    row = f"006X,{A1},Deal,Negotiation/Review,2026-10-04,false,false,{O1}\n"
    open_deal.write_text(header + row, encoding="utf-8")
    row = f"006X,{A1},Deal,Closed Won,2026-10-06,true,true,{O1}\n"
    won_deal.write_text(header + row, encoding="utf-8")
    mapped = ("--owner-map", SF_OWNERS)
    ok(cli, "opportunities", str(open_deal), *mapped)
    ok(cli, "opportunities", str(won_deal), *mapped, "--mode", "upsert")
    query = "SELECT status, expected_close, closed_at, custom FROM opportunity"
    ((status, expected, closed, custom),) = rows(db, query)
    assert (status, expected, closed) == ("won", "2026-10-06", "2026-10-06 10:00:00.000000")
    assert json.loads(custom)["stage"] == "Closed Won"
    ok(cli, "opportunities", str(open_deal), *mapped, "--mode", "upsert")
    assert rows(db, "SELECT status, closed_at FROM opportunity") == [("open", None)]
