"""Hostile CLI values and playbooks: refused with one line naming the option or the
place (exit 2), never a crash, nothing written; both back ends validate text alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesbench.core.date_range import FIRST_YEAR, LAST_YEAR, MAX_DURATION_DAYS
from salesbench.core.playbook_load import check_playbook
from salesbench.playbooks import bundled_sources
from tests.conftest import rows, snapshot

pytestmark = pytest.mark.both_backends

RETAIL = bundled_sources()[("retail-5", "en")]
SOLUTION = bundled_sources()[("solution-selling", "en")]


@pytest.fixture
def world(cli, db):
    """A rep, a customer, a retail deal and its open tasks."""
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme").exit_code == 0
    made = cli("opp", "add", "Acme", "Shop", "--playbook", "retail-5", "--json")
    assert made.exit_code == 0, made.output
    return cli


def _one_line_refusal(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("salesbench: error: "), lines
    assert "Traceback" not in result.output and "internal error" not in result.output
    for needle in needles:
        assert needle in lines[0], lines


def _open_task(db) -> str:
    ((task_id,),) = rows(db, "SELECT id FROM task WHERE status = 'open' ORDER BY title LIMIT 1")
    return str(task_id)


# ------------------------------------------------------------------ dates, periods, durations


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("queue", "--date", "9999-12-31"), "--date"),
        (("queue", "--date", "0001-01-01"), "--date"),
        (("report", "weekly", "--week", "9999-W52"), "--week"),
        (("report", "weekly", "--week", "0001-W01"), "--week"),
        (("forecast", "--month", "9999-12"), "--month"),
        (("forecast", "--month", "0001-01"), "--month"),
        (("leaderboard", "--period", "month", "--at", "9999-12"), "--at"),
        (("leaderboard", "--period", "week", "--at", "0001-W01"), "--at"),
        (("leaderboard", "--period", "quarter", "--at", "9999-Q4"), "--at"),
    ],
)
def test_dates_and_periods_beyond_the_range_are_refused_naming_the_option(
    world, db, args, option
) -> None:
    before = snapshot(db)
    result = world(*args)
    _one_line_refusal(result, 2, f"error: {option}: ", f"{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ("queue", "--date", f"{LAST_YEAR}-12-31"),
        ("queue", "--date", f"{FIRST_YEAR}-01-01"),
        ("report", "weekly", "--week", f"{LAST_YEAR}-W52"),
        ("report", "weekly", "--week", f"{FIRST_YEAR}-W01"),
        ("forecast", "--month", f"{LAST_YEAR}-12"),
        ("leaderboard", "--period", "quarter", "--at", f"{LAST_YEAR}-Q4"),
        ("leaderboard", "--period", "week", "--at", f"{FIRST_YEAR}-W01"),
    ],
)
def test_the_edges_of_the_range_work(world, args) -> None:
    result = world(*args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("until", "needle"),
    [
        ("99999999999h", f"more than {MAX_DURATION_DAYS} days away"),
        (f"{MAX_DURATION_DAYS * 24 + 1}h", f"more than {MAX_DURATION_DAYS} days away"),
        ("9999-12-31", "year 9999 is outside"),
        ("9999-12-31T23:00:00-05:00", "year 9999 is outside"),
    ],
)
def test_snooze_too_far_is_refused_and_the_task_stays_open(world, db, until, needle) -> None:
    task = _open_task(db)
    before = snapshot(db)
    result = world("task", "snooze", task, "--until", until)
    _one_line_refusal(result, 2, "until: ", needle)
    assert snapshot(db) == before


def test_snooze_up_to_the_longest_duration_works(world, db) -> None:
    task = _open_task(db)
    result = world("task", "snooze", task, "--until", f"{MAX_DURATION_DAYS * 24}h")
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT status FROM task WHERE id = ?", task) == [("snoozed",)]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        # named by the option typed (the record's fields are started_at, next_step_date)
        (("--at", "0001-01-01T00:00:00+14:00"), "--at"),
        (("--at", f"{FIRST_YEAR}-01-01T00:00:00+14:00"), "--at"),
        (("--next-date", "9999-12-31"), "--next-date"),
    ],
)
def test_log_with_a_time_out_of_range_writes_nothing(world, db, args, field) -> None:
    before = snapshot(db)
    result = world("log", "call", "--opp", "Shop", *args)
    _one_line_refusal(result, 2, f"{field}: ", "is outside the dates salesbench handles")
    assert snapshot(db) == before


# ------------------------------------------------------------------ playbooks


def _problems(text: str) -> list[str]:
    """The problems the product finds (tomli's compiled parser), which must be the
    standard library's parser's too: core's default and the product's agree."""
    from salesbench.services.playbooks import parse_toml

    playbook, problems = check_playbook(text, parse_toml)
    assert playbook is None, "the hostile playbook was accepted"
    found = [f"{p.line}:{p.column}: {p.message}" for p in problems]
    assert [f"{p.line}:{p.column}: {p.message}" for p in check_playbook(text)[1]] == found
    return found


@pytest.mark.parametrize("due", ["P99999999D", "PT99999999999H", f"P{MAX_DURATION_DAYS + 1}D"])
def test_a_due_beyond_ten_years_is_refused_on_its_line(due) -> None:
    text = RETAIL.replace('due = "P0D"', f'due = "{due}"', 1)
    line = text[: text.index(f'due = "{due}"')].count("\n") + 1
    found = _problems(text)
    assert any(
        p.startswith(f"{line}:") and f"longer than {MAX_DURATION_DAYS} days" in p for p in found
    ), found


def test_a_due_of_exactly_ten_years_is_accepted() -> None:
    playbook, problems = check_playbook(
        RETAIL.replace('due = "P0D"', f'due = "P{MAX_DURATION_DAYS}D"', 1)
    )
    assert problems == [] and playbook is not None


@pytest.mark.parametrize(
    "nest",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,
        "x = " + "{a = " * 5_000 + "1" + "}" * 5_000,
        "x = " + "[" * 17 + "]" * 17,
        "x" + ".x" * 40 + " = 1",
    ],
    ids=["arrays-100000", "inline-tables-5000", "arrays-17", "dotted-keys-41"],
)
def test_deeply_nested_toml_is_refused_not_a_recursion_error(nest) -> None:
    found = _problems(RETAIL + "\n" + nest + "\n")
    assert found == [f"{RETAIL.count(chr(10)) + 2}:{found[0].split(':')[1]}: nested deeper "
                     "than 16 levels"], found  # fmt: skip


def test_brackets_in_strings_and_comments_do_not_count_as_nesting() -> None:
    text = RETAIL.replace(
        'description = "', "# " + "[" * 40 + "\n" + 'description = "' + '[{\\"' * 40, 1
    )
    assert text.count("[{") == 40
    playbook, problems = check_playbook(text)
    assert problems == [] and playbook is not None


@pytest.mark.parametrize("turnaround", ["guide_needs", "set_criteria", "realize_sale"])
def test_a_gate_must_turn_back_to_an_earlier_stage(turnaround) -> None:
    old = 'turnaround = "develop_opportunity",'
    assert old in SOLUTION  # the gate of guide_needs, the second stage
    text = SOLUTION.replace(old, f'turnaround = "{turnaround}",', 1)
    line = text[: text.index(f'turnaround = "{turnaround}"')].count("\n") + 1
    found = _problems(text)
    assert any(p.startswith(f"{line}:") and "must be a stage before 'guide_needs'" in p
               for p in found), found  # fmt: skip


def test_bundled_playbooks_still_pass() -> None:
    for (key, lang), source in bundled_sources().items():
        playbook, problems = check_playbook(source)
        assert problems == [] and playbook is not None, (key, lang, problems)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('due = "P0D"', 'due = "P99999999D"', "longer than 3650 days"),
        ('key = "retail-5"', 'key = "retail-5"\nx = ' + "[" * 10_000 + "]" * 10_000, "nested"),
    ],
)
def test_validate_and_import_refuse_what_opp_add_would_crash_on(
    world, db, tmp_path: Path, old, new, needle
) -> None:
    bad = tmp_path / "hostile.toml"
    bad.write_text(RETAIL.replace(old, new, 1), encoding="utf-8")
    checked = world("playbook", "validate", str(bad))
    assert checked.exit_code == 2 and f"{bad}:" in checked.stderr and needle in checked.stderr
    before = snapshot(db)
    imported = world("playbook", "import", str(bad))
    _one_line_refusal(imported, 2, f"{bad}:", needle)
    assert snapshot(db) == before
    added = world("opp", "add", "Acme", "Another", "--playbook", "retail-5", "--json")
    assert added.exit_code == 0, added.output  # the bundled one still serves


# ------------------------------------------------------------------ text values


def test_text_limits_in_core_are_the_model_column_lengths() -> None:
    from salesbench.core import fields as f
    from salesbench.store import models as m

    pairs = [
        (f.REP_FIELDS, m.Rep),
        (f.CUSTOMER_FIELDS, m.Customer),
        (f.CONTACT_FIELDS, m.Contact),
        (f.OPPORTUNITY_FIELDS, m.Opportunity),
        (f.ACTIVITY_FIELDS, m.Activity),
        (f.COMPLAINT_FIELDS, m.Complaint),
    ]
    checked = 0
    for specs, model in pairs:
        columns = model.__table__.columns  # type: ignore[attr-defined]
        for name, spec in specs.items():
            if isinstance(spec.parse, f.TextParser) and name in columns:
                length = getattr(columns[name].type, "length", None)
                assert length is None or spec.parse.max_len <= length, (model, name)
                checked += 1
    assert checked >= 20


LONG = "x" * 5000


@pytest.mark.parametrize(
    ("args", "field", "needle"),
    [
        (("opp", "set", "Shop", f"name={LONG}"), "name", "longer than 200 characters"),
        (("opp", "set", "Shop", "name=a\x00b"), "name", "U+0000"),
        (("opp", "set", "Shop", "companions=a\x00b"), "companions", "U+0000"),
        (("opp", "set", "Shop", "companions=a\x1b]52;c;eA==\x07"), "companions", "U+001B"),
        (("opp", "set", "Shop", "companions=" + "y" * 2001), "companions", "longer than 2,000"),
        (("opp", "set", "Shop", "age=" + "9" * 40), "age", "must be between"),
        (("opp", "edit", "Shop", "--title", LONG), "--title", "longer than 200"),
        (("opp", "edit", "Shop", "--title", "a\x00b"), "--title", "U+0000"),
        (("customer", "edit", "Acme", "--industry", "a\x00b"), "--industry", "U+0000"),
        (("customer", "add", "x\x1b]0;owned\x07"), "name", "U+001B"),
        (("contact", "add", "Acme", "Li", "--title", "1\x00"), "--title", "U+0000"),
        (("log", "call", "--opp", "Shop", "--summary", "a\x00b"), "--summary", "U+0000"),
        (("opp", "edit", "Shop", "-f", "note=a\x00b"), "custom note", "U+0000"),
    ],
)
def test_text_is_validated_alike_on_both_back_ends(world, db, args, field, needle) -> None:
    before = snapshot(db)
    result = world(*args)
    _one_line_refusal(result, 2, f"error: {field}: ", needle)
    assert snapshot(db) == before


def test_tabs_and_line_breaks_in_multi_line_text_are_kept(world, db) -> None:
    result = world("log", "call", "--opp", "Shop", "--summary", "one\ttwo\nthree", "--json")
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT summary FROM activity") == [("one\ttwo\nthree",)]


def test_a_value_at_the_column_length_is_stored(world, db) -> None:
    result = world("opp", "set", "Shop", "name=" + "n" * 200, "--json")
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT name FROM customer") == [("n" * 200,)]
    assert json.loads(world("customer", "list", "--json").output)[0]["name"] == "n" * 200


def test_the_readme_gives_the_value_paths_and_their_counts() -> None:
    from pathlib import Path

    from salesbench.core import date_range
    from salesbench.core.playbook_reader import MAX_DEPTH
    from tests import test_fuzz_values as fuzz

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    text = " ".join(readme.split())
    fuzzed = [n for n in dir(fuzz) if n.startswith("test_")]  # one per value path
    assert f"adds {fuzz.CASES:,} generated cases per value path" in text
    assert f"{fuzz.CASES * len(fuzzed):,} in all" in text
    assert f"years {date_range.FIRST_YEAR} to {date_range.LAST_YEAR}" in text
    assert f"up to {date_range.MAX_DURATION_DAYS:,} days" in text
    assert f"nested deeper than {MAX_DEPTH} levels" in text


@pytest.mark.parametrize(
    "shape",
    [{}, {"a": {}}, {"a": []}, {"a": [[[]]]}, {"a": 1}, {"a": {"b": [1, {"c": {"d": 2}}]}}, []],
    ids=repr,
)
def test_the_quick_depth_check_counts_as_the_located_one(shape) -> None:
    """Every load measures depth without paths (playbook_reader.nesting); the path is
    found only for a playbook refused: both must agree on every shape."""
    from salesbench.core.playbook_reader import deepest, nesting

    assert nesting(shape) == deepest(shape)[0]


def test_the_quick_depth_check_agrees_on_every_bundled_playbook() -> None:
    import tomllib

    from salesbench.core.playbook_reader import deepest, nesting
    from salesbench.playbooks import bundled_sources

    for name, text in bundled_sources().items():
        data = tomllib.loads(text)
        assert nesting(data) == deepest(data)[0], name
