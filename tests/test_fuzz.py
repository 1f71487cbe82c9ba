"""Random input never ends in a traceback: import files of random bytes and random
cells, random `opp set` values and random playbook TOML either work or are refused
with a message (exit 2 / PlaybookInvalid)."""

from __future__ import annotations

import itertools
import sqlite3
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core.playbook_load import PlaybookInvalid, load_playbook
from salesbench.playbooks import bundled_sources
from salesbench.services.playbooks import parse_toml

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CRASH_SIGNS = ("Traceback", "internal error")
NOW = "2026-11-23T02:00:00+00:00"


@pytest.fixture(scope="module")
def team_image(tmp_path_factory: pytest.TempPathFactory, new_sqlite_db) -> bytes:
    """A rep, a customer and a retail deal: the database every example starts from."""
    db = new_sqlite_db(tmp_path_factory.mktemp("fuzz") / "team.db")
    for args in (
        ["init", "--name", "Wang Fang", "--email", "wf@example.com"],
        ["customer", "add", "Walk-in", "--kind", "person"],
        ["opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5"],
    ):
        assert invoke(db, *args).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.read_bytes()


@pytest.fixture
def team_db(team_image: bytes, tmp_path: Path) -> Callable[[], Path]:
    """A new copy of the team database for each example, so none sees another's writes."""
    made = itertools.count()

    def fresh() -> Path:
        path = tmp_path / f"example-{next(made)}.db"
        path.write_bytes(team_image)
        return path

    return fresh


def invoke(db: Path, *args: str):
    return CliRunner().invoke(
        app, list(args), env={"SALESBENCH_DB": str(db), "SALESBENCH_NOW": NOW}
    )


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def refused_or_done(result) -> None:
    """Exit 0, or exit 2 ending in one `salesbench: error:` line; never a traceback."""
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert not any(sign in result.output for sign in CRASH_SIGNS), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        assert result.stderr.splitlines()[-1].startswith("salesbench: error: "), result.stderr


def dry_run_import(db: Path, kind: str, path: Path) -> None:
    """Whatever the file holds, a dry run is refused or reported, and writes nothing."""
    before = dump(db)
    refused_or_done(invoke(db, "import", kind, str(path), "--dry-run"))
    assert dump(db) == before


KINDS = {"csv": "customers", "tsv": "customers", "json": "customers", "jsonl": "customers",
         "xlsx": "customers", "vcf": "contacts", "ics": "tasks"}  # fmt: skip


@pytest.mark.slow
@FUZZ
@given(data=st.binary(max_size=1500), fmt=st.sampled_from(sorted(KINDS)))
def test_random_bytes_as_an_import_file(team_db, tmp_path: Path, data: bytes, fmt: str) -> None:
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(data)
    dry_run_import(team_db(), KINDS[fmt], path)


HEADERS = ["name", "grade", "annual_purchase", "email", "phone", "paused_until", "status",
           "kind", "owner", "number", "external_id", "客户名称", "Annual Revenue"]  # fmt: skip
CELL = st.text(alphabet=string.printable + "李娜,;\"'=+-@年月日\t", max_size=20)


@pytest.mark.slow
@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_cells_in_a_customer_csv(team_db, tmp_path: Path, header, rows, delimiter) -> None:
    import csv

    path = tmp_path / "cells.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    dry_run_import(team_db(), "customers", path)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELL, inner, max_size=3),
    max_leaves=10,
)


@pytest.mark.slow
@FUZZ
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(HEADERS) | CELL, JSON_VALUE, max_size=5), max_size=5
    )
)
def test_random_json_records(team_db, tmp_path: Path, records) -> None:
    import json

    path = tmp_path / "records.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    dry_run_import(team_db(), "customers", path)


FIELDS = ["name", "age", "gender", "visit_source", "companions", "decision_maker",
          "product_category", "style", "budget", "move_in_on", "amount", "deposit_paid",
          "nonexistent", ""]  # fmt: skip


@pytest.mark.slow
@FUZZ
@given(pairs=st.lists(st.tuples(st.sampled_from(FIELDS), CELL), min_size=1, max_size=4))
def test_random_values_through_opp_set(team_db, pairs) -> None:
    """A refusal writes nothing; values accepted once are accepted again."""
    db = team_db()
    assignments = [f"{field}={value}" for field, value in pairs]
    before = dump(db)
    first = invoke(db, "opp", "set", "Sofa", *assignments)
    refused_or_done(first)
    if first.exit_code == 2:
        assert dump(db) == before
    else:
        again = invoke(db, "opp", "set", "Sofa", *assignments)
        assert again.exit_code == 0, again.output


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400))
def test_random_text_as_a_playbook(text: str) -> None:
    refused_with_places_or_read(text, "random.toml")


def refused_with_places_or_read(text: str, filename: str) -> None:
    """A playbook is read whole, or refused with every problem at a place in the text."""
    try:
        playbook = load_playbook(text, filename, parse_toml)
    except PlaybookInvalid as exc:
        assert exc.problems
        last_line = max(1, len(text.splitlines())) + 1  # an error may point just past the end
        for problem in exc.problems:
            assert 1 <= problem.line <= last_line and problem.column >= 1, problem
            assert problem.message.strip(), problem
        first = exc.problems[0]
        assert str(exc).startswith(f"{filename}:{first.line}:{first.column}: {first.message}")
    else:
        assert playbook.key and playbook.stages
        assert all(stage.tasks for stage in playbook.stages)


BUNDLED = bundled_sources()[("retail-5", "en")]


@settings(max_examples=150, deadline=None)
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(BUNDLED) - 1), st.integers(0, 40), st.text(max_size=8)),
        min_size=1,
        max_size=4,
    )
)
def test_a_damaged_bundled_playbook_is_refused_or_read(cuts) -> None:
    """Real playbooks with pieces cut out or replaced: the validator names the problem
    or accepts the result, and never crashes."""
    text = BUNDLED
    for at, length, insert in cuts:
        text = text[:at] + insert + text[at + length :]
    refused_with_places_or_read(text, "damaged.toml")
