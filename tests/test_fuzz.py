"""Random input never ends in a traceback: import files of random bytes and random
cells, random `opp set` values and random playbook TOML either work or are refused
with a message (exit 2 / PlaybookInvalid)."""

from __future__ import annotations

import contextlib
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesbench.cli import app
from salesbench.core.playbook_load import PlaybookInvalid, load_playbook
from salesbench.playbooks import bundled_sources

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CRASH_SIGNS = ("Traceback", "internal error")


@pytest.fixture(scope="module")
def team_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    runner = CliRunner()
    env = {"SALESBENCH_DB": str(db), "SALESBENCH_NOW": "2026-11-23T02:00:00+00:00"}
    for args in (
        ["init", "--name", "Wang Fang", "--email", "wf@example.com"],
        ["customer", "add", "Walk-in", "--kind", "person"],
        ["opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5"],
    ):
        assert runner.invoke(app, args, env=env).exit_code == 0
    return db


def invoke(db: Path, *args: str):
    env = {"SALESBENCH_DB": str(db), "SALESBENCH_NOW": "2026-11-23T02:00:00+00:00"}
    return CliRunner().invoke(app, list(args), env=env)


def refused_or_done(result) -> None:
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert not any(sign in result.output for sign in CRASH_SIGNS), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


KINDS = {"csv": "customers", "json": "customers", "jsonl": "customers", "vcf": "contacts"}


@FUZZ
@given(data=st.binary(max_size=1500), fmt=st.sampled_from(sorted(KINDS)))
def test_random_bytes_as_an_import_file(
    team_db: Path, tmp_path: Path, data: bytes, fmt: str
) -> None:
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(data)
    refused_or_done(invoke(team_db, "import", KINDS[fmt], str(path), "--dry-run"))


HEADERS = ["name", "grade", "annual_purchase", "email", "phone", "paused_until", "status",
           "kind", "owner", "number", "external_id", "客户名称", "Annual Revenue"]  # fmt: skip
CELL = st.text(alphabet=string.printable + "李娜,;\"'=+-@年月日\t", max_size=20)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_cells_in_a_customer_csv(
    team_db: Path, tmp_path: Path, header, rows, delimiter
) -> None:
    import csv

    path = tmp_path / "cells.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    refused_or_done(invoke(team_db, "import", "customers", str(path), "--dry-run"))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELL, inner, max_size=3),
    max_leaves=10,
)


@FUZZ
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(HEADERS) | CELL, JSON_VALUE, max_size=5), max_size=5
    )
)
def test_random_json_records(team_db: Path, tmp_path: Path, records) -> None:
    import json

    path = tmp_path / "records.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    refused_or_done(invoke(team_db, "import", "customers", str(path), "--dry-run"))


FIELDS = ["name", "age", "gender", "visit_source", "companions", "decision_maker",
          "product_category", "style", "budget", "move_in_on", "amount", "deposit_paid",
          "nonexistent", ""]  # fmt: skip


@FUZZ
@given(pairs=st.lists(st.tuples(st.sampled_from(FIELDS), CELL), min_size=1, max_size=4))
def test_random_values_through_opp_set(team_db: Path, pairs) -> None:
    assignments = [f"{field}={value}" for field, value in pairs]
    refused_or_done(invoke(team_db, "opp", "set", "Sofa", *assignments))


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400))
def test_random_text_as_a_playbook(text: str) -> None:
    with contextlib.suppress(PlaybookInvalid):  # a refusal with a message is fine
        load_playbook(text, "random.toml")


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
    try:
        load_playbook(text, "damaged.toml")
    except PlaybookInvalid as exc:
        assert str(exc)
