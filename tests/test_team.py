"""Team mode: many reps writing to one database at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from salesbench.core.errors import Conflict
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity, edit_opportunity
from salesbench.services.reps import add_rep
from salesbench.store.models import Task
from tests.conftest import CLOCK, rows, subprocess_env

pytestmark = pytest.mark.both_backends
ROOT = Path(__file__).resolve().parents[1]
WORKERS, CALLS, TASKS = 8, 200, 50


@pytest.fixture
def deal(store, clock):
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Acme"}, clock=clock)
    return add_opportunity(store, "Acme", {"title": "Refit", "amount": "1000"}, clock=clock)


@pytest.mark.slow
@pytest.mark.xdist_group("writers")  # with tests/test_crash.py, never at once
def test_eight_reps_at_once_lose_nothing(store, db, clock) -> None:
    """8 processes, each a rep logging 200 calls and finishing 50 tasks at the same
    time: every write lands, and nobody sees "database is locked"."""
    work = []
    for n in range(WORKERS):
        rep = add_rep(store, {"name": f"Rep {n}", "email": f"rep{n}@example.com"}, clock=CLOCK)
        customer = add_customer(store, {"name": f"Customer {n}"}, clock=clock, owner=rep.email)
        ids = [uuid.uuid4() for _ in range(TASKS)]
        with store.write(CLOCK) as session:
            for i, task_id in enumerate(ids):
                session.add(
                    Task(
                        id=task_id,
                        customer_id=customer.id,
                        owner_id=rep.id,
                        title=f"task {i}",
                        due_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
                    )
                )
        work.append((str(customer.id), ",".join(str(i) for i in ids)))
    start = time.time() + 4  # time for every process to import and connect
    env = subprocess_env()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.team_worker", str(db), customer, tasks, str(start)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for customer, tasks in work
    ]
    results = [p.communicate(timeout=300) for p in procs]
    errors = [err for p, (_out, err) in zip(procs, results, strict=True) if p.returncode]
    assert errors == []
    assert all("locked" not in err for _out, err in results)
    # the common start worked: there was a moment when every worker was writing
    spans = [tuple(map(float, out.split())) for out, _err in results]
    assert max(began for began, _ in spans) < min(ended for _, ended in spans), spans
    assert rows(db, "SELECT count(*) FROM activity") == [(WORKERS * CALLS,)]
    assert rows(db, "SELECT count(*) FROM task WHERE status = 'done'") == [(WORKERS * TASKS,)]
    # each rep's own work, all of it
    per_rep = rows(
        db,
        "SELECT r.email, count(*) FROM activity a JOIN rep r ON r.id = a.owner_id "
        "GROUP BY r.email ORDER BY r.email",
    )
    assert per_rep == [(f"rep{n}@example.com", CALLS) for n in range(WORKERS)]


def test_edit_of_a_stale_version_is_refused(store, db, clock, deal) -> None:
    """Two people read version 1 of the deal and both save: the first wins, the
    second gets a conflict, and the first one's change is what stays."""
    assert deal.version == 1
    edit_opportunity(
        store, str(deal.id), {"title": "Refit, phase 1"}, clock=clock, expected_version=1
    )
    with pytest.raises(Conflict, match="changed by someone else since you read it"):
        edit_opportunity(store, str(deal.id), {"amount": "5"}, clock=clock, expected_version=1)
    assert rows(db, "SELECT title, amount, version FROM opportunity") == [
        ("Refit, phase 1", 100000, 2)
    ]


def test_two_writers_racing_on_one_version(store, db, clock, deal) -> None:
    """The same, with both writers in flight at once: exactly one lands."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    spans: list[tuple[float, float]] = []

    def write(title: str) -> None:
        barrier.wait()
        began = time.perf_counter()
        try:
            edit_opportunity(store, str(deal.id), {"title": title}, clock=clock, expected_version=1)
            outcomes.append(f"saved {title}")
        except Conflict:
            outcomes.append("conflict")
        spans.append((began, time.perf_counter()))

    threads = [threading.Thread(target=write, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # both edits were under way at once, not one after the other
    assert max(began for began, _ in spans) < min(ended for _, ended in spans), spans
    assert sorted(o.split()[0] for o in outcomes) == ["conflict", "saved"]
    winner = next(o for o in outcomes if o.startswith("saved")).split()[1]
    assert rows(db, "SELECT title, version FROM opportunity") == [(winner, 2)]


def test_every_deal_update_bumps_its_version(store, db, clock, deal) -> None:
    edit_opportunity(store, str(deal.id), {"amount": "2000"}, clock=clock)
    edit_opportunity(store, str(deal.id), {"expected_close": "2027-01-31"}, clock=clock)
    assert rows(db, "SELECT version FROM opportunity") == [(3,)]


def test_cli_if_version_refuses_a_stale_edit(cli, db) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    cli("customer", "add", "Acme")
    cli("opp", "add", "Acme", "Refit")
    first = cli("opp", "edit", "Refit", "--title", "Refit A", "--if-version", "1")
    assert first.exit_code == 0, first.output
    second = cli("opp", "edit", "Refit A", "--title", "Refit B", "--if-version", "1")
    assert second.exit_code == 4
    assert "changed by someone else" in second.output
    assert rows(db, "SELECT title, version FROM opportunity") == [("Refit A", 2)]


# ------------------------------------------------------------------ handover and purge


@pytest.fixture
def two_reps(cli, db):
    """Ann with two customers (one deal each, one already won) and Bo with one."""
    assert (
        cli("init", "--name", "Ann", "--email", "ann@example.com", "--team", "East").exit_code == 0
    )
    cli("rep", "add", "Bo", "bo@example.com", "--team", "East")
    cli("rep", "add", "Lee", "lee@example.com", "--team", "East", "--role", "lead")
    cli("rep", "add", "Cy", "cy@example.com", "--team", "West")
    for name, owner in (("Acme", "ann"), ("Birch", "ann"), ("Cedar", "bo"), ("Dune", "cy")):
        assert cli("customer", "add", name, "--rep", f"{owner}@example.com").exit_code == 0
    cli("opp", "add", "Acme", "Acme refit", "--playbook", "retail-5", "--rep", "ann@example.com")
    cli("opp", "add", "Birch", "Birch sofa", "--rep", "ann@example.com")
    cli("opp", "edit", "Birch sofa", "--status", "won")
    cli("log", "visit", "--customer", "Acme", "--needs", "bigger showroom",
        "--objections", "price", "--next", "send quote", "--next-date", "2026-11-25")  # fmt: skip
    return cli


def owners(db, table: str) -> dict[str, str]:
    found = rows(
        db,
        f"SELECT t.{'title' if table != 'customer' else 'name'}, r.email FROM {table} t "
        "JOIN rep r ON r.id = t.owner_id",
    )
    return dict(found)


def test_handover_moves_the_book_and_briefs_the_new_owner(two_reps, db) -> None:
    cli = two_reps
    refused = cli("handover", "--from", "ann@example.com", "--to", "bo@example.com")
    assert refused.exit_code == 2 and "add --yes" in refused.output
    assert owners(db, "customer")["Acme"] == "ann@example.com"  # nothing moved
    open_tasks = rows(
        db, "SELECT count(*) FROM task t JOIN rep r ON r.id = t.owner_id "
        "WHERE r.email = 'ann@example.com' AND t.status IN ('open', 'snoozed')",
    )[0][0]  # fmt: skip
    assert open_tasks > 0

    done = cli("handover", "--from", "ann@example.com", "--to", "bo@example.com",
               "--note", "Ann moves to key accounts", "--yes")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"2 customers, 1 open deal and {open_tasks} open tasks from Ann to Bo" in done.output
    assert "needs: bigger showroom" in done.output and "objections: price" in done.output
    assert "next step: 2026-11-25 send quote" in done.output
    assert owners(db, "customer") == {
        "Acme": "bo@example.com",
        "Birch": "bo@example.com",
        "Cedar": "bo@example.com",
        "Dune": "cy@example.com",
    }
    # the open deal moves; the won one stays with the rep who won it
    assert owners(db, "opportunity") == {
        "Acme refit": "bo@example.com",
        "Birch sofa": "ann@example.com",
    }
    assert rows(
        db, "SELECT count(*) FROM task t JOIN rep r ON r.id = t.owner_id "
        "WHERE r.email = 'ann@example.com' AND t.status IN ('open', 'snoozed')",
    ) == [(0,)]  # fmt: skip
    assert sorted(
        rows(db, "SELECT c.name, h.opportunities, h.tasks, h.note FROM handover h "
                 "JOIN customer c ON c.id = h.customer_id")
    ) == [
        ("Acme", 1, open_tasks, "Ann moves to key accounts"),
        ("Birch", 0, 0, "Ann moves to key accounts"),
    ]  # fmt: skip


def test_handover_of_one_customer_shows_in_its_timeline(two_reps, db, store) -> None:
    from salesbench.services.customers import customer_view

    done = two_reps("handover", "--from", "ann@example.com", "--to", "cy@example.com",
                    "--customer", "Acme", "--yes", "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert owners(db, "customer")["Birch"] == "ann@example.com"
    view = customer_view(store, "Acme")
    assert [(h.from_rep, h.to_rep) for h in view.handovers] == [("Ann", "Cy")]
    wrong = two_reps("handover", "--from", "bo@example.com", "--to", "cy@example.com",
                     "--customer", "Birch", "--yes")  # fmt: skip
    assert wrong.exit_code == 2 and "belongs to Ann, not Bo" in wrong.output


def test_purge_writes_the_book_out_then_removes_it(two_reps, db, tmp_path: Path) -> None:
    import json
    import stat

    # Ann also holds a task on Bo's customer: it must not be left in nobody's queue
    ((cedar,),) = rows(db, "SELECT id FROM customer WHERE name = 'Cedar'")
    ((ann,),) = rows(db, "SELECT id FROM rep WHERE email = 'ann@example.com'")
    t_utc = "" if isinstance(db, Path) else "+00"
    rows(
        db,
        "INSERT INTO task (id, customer_id, owner_id, origin_kind, title, status, due_at, "
        "suggested, created_at, updated_at) VALUES (?, ?, ?, 'manual', 'call Cedar', 'open', "
        "?, false, ?, ?)",
        "0" * 31 + "7", cedar, ann, *["2026-11-24 01:00:00.000000" + t_utc] * 3,
    )  # fmt: skip
    out = tmp_path / "ann.json"
    refused = two_reps("rep", "purge", "ann@example.com", "--export", str(out))
    assert refused.exit_code == 2 and not out.exists()
    assert owners(db, "customer")["Acme"] == "ann@example.com"

    done = two_reps("rep", "purge", "ann@example.com", "--export", str(out), "--yes")
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(c["name"] for c in saved["tables"]["customer"]) == ["Acme", "Birch"]
    assert sorted(o["title"] for o in saved["tables"]["opportunity"]) == [
        "Acme refit",
        "Birch sofa",
    ]
    assert saved["tables"]["activity"][0]["needs"] == "bigger showroom"
    # gone from the database, colleagues' customers untouched, the rep a nameless tombstone
    assert sorted(owners(db, "customer")) == ["Cedar", "Dune"]
    assert rows(db, "SELECT count(*) FROM opportunity") == [(0,)]
    assert rows(db, "SELECT count(*) FROM activity") == [(0,)]
    ((name, email, departed),) = rows(
        db, "SELECT name, email, departed_at IS NOT NULL FROM rep WHERE email LIKE 'departed-%'"
    )
    assert name.startswith("departed rep ") and email.endswith("@invalid") and departed == 1
    assert owners(db, "task") == {"call Cedar": "bo@example.com"}
    again = two_reps("rep", "purge", email, "--export", str(tmp_path / "again.json"), "--yes")
    assert again.exit_code == 2 and "purged already" in again.output


# ------------------------------------------------------------------ default views


def test_a_rep_sees_their_book_and_a_lead_their_team(two_reps, monkeypatch) -> None:
    import json

    def names(*args: str) -> list[str]:
        result = two_reps("customer", "list", "--json", *args)
        assert result.exit_code == 0, result.output
        return sorted(c["name"] for c in json.loads(result.output))

    assert names() == ["Acme", "Birch", "Cedar", "Dune"]  # nobody said who they are
    monkeypatch.setenv("SALESBENCH_REP", "ann@example.com")
    assert names() == ["Acme", "Birch"]
    assert names("--all") == ["Acme", "Birch", "Cedar", "Dune"]
    report = json.loads(two_reps("report", "weekly", "--format", "json").output)
    assert report["scope"] == "rep Ann"
    monkeypatch.setenv("SALESBENCH_REP", "lee@example.com")
    assert names() == ["Acme", "Birch", "Cedar"]  # East: Ann, Bo and Lee
    report = json.loads(two_reps("report", "weekly", "--format", "json").output)
    assert report["scope"] == "team East"
    assert [r["name"] for r in report["sections"]["tasks"]["rows"] if r["level"] == "rep"] == [
        "Ann", "Bo", "Lee",
    ]  # fmt: skip
    opps = json.loads(two_reps("opp", "list", "--json").output)
    assert sorted(o["title"] for o in opps) == ["Acme refit", "Birch sofa"]
    everyone = json.loads(two_reps("report", "weekly", "--all", "--format", "json").output)
    assert everyone["scope"] == "all reps"


def test_on_a_terminal_handover_and_purge_ask_first(two_reps, db, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("salesbench.cli.common.is_interactive", lambda: True)
    said_no = two_reps(
        "handover", "--from", "ann@example.com", "--to", "bo@example.com", input="n\n"
    )
    assert said_no.exit_code == 1 and "This moves 2 customers" in said_no.output
    assert owners(db, "customer")["Acme"] == "ann@example.com"
    out = tmp_path / "ann.json"
    said_no = two_reps("rep", "purge", "ann@example.com", "--export", str(out), input="n\n")
    assert said_no.exit_code == 1 and not out.exists()
    said_yes = two_reps(
        "handover", "--from", "ann@example.com", "--to", "bo@example.com", input="y\n"
    )
    assert said_yes.exit_code == 0, said_yes.output
    assert owners(db, "customer")["Acme"] == "bo@example.com"
