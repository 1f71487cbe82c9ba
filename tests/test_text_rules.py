"""One text rule per field, on every path: what `edit` refuses, import refuses too.

core/fields.py holds the rule (a custom value at most 2,000 characters; single-line
fields without line breaks); each test writes through one path and asserts on the
database that nothing was stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import count_rows, rows

LONG = "x" * 200_000


@pytest.fixture
def rep(cli) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0


def _csv(path: Path, header: list[str], *lines: list[str]) -> Path:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    body = [",".join(cell(c) for c in header)] + [",".join(cell(c) for c in li) for li in lines]
    path.write_text("\r\n".join(body) + "\r\n", encoding="utf-8", newline="")
    return path


def _error(result) -> str:
    out = result.output.strip().splitlines()
    assert out and "Traceback" not in result.output, result.output
    return out[0]


def test_an_imported_custom_cell_is_held_to_the_limit_edit_holds_it_to(
    cli, db_path: Path, tmp_path: Path, rep: None
) -> None:
    source = _csv(tmp_path / "people.csv", ["name", "k"], ["Fine Co", "short"], ["Long Co", LONG])
    done = cli("import", "customers", str(source))
    assert done.exit_code == 2, done.output
    first = _error(done)
    assert f"{source}:3" in first and "k" in first and "longer than 2,000 characters" in first
    assert LONG[:100] not in done.output
    assert count_rows(db_path, "customer") == 0

    cli("customer", "add", "Edit Co")
    edit = cli("customer", "edit", "Edit Co", "-f", "k=" + "x" * 15_000)
    assert edit.exit_code == 2 and "longer than 2,000 characters" in edit.output
    assert rows(db_path, "SELECT custom FROM customer") == [("{}",)]


def test_a_custom_value_of_exactly_the_limit_is_stored_on_every_path(
    cli, db_path: Path, tmp_path: Path, rep: None
) -> None:
    fits = "y" * 2_000
    source = _csv(tmp_path / "fits.csv", ["name", "k"], ["Fits Co", fits])
    assert cli("import", "customers", str(source)).exit_code == 0
    assert cli("customer", "add", "Added Co", "-f", f"k={fits}").exit_code == 0
    stored = [json.loads(c)["k"] for (c,) in rows(db_path, "SELECT custom FROM customer")]
    assert stored == [fits, fits]


def test_an_imported_custom_object_is_held_to_the_same_limit(
    cli, db_path: Path, tmp_path: Path, rep: None
) -> None:
    """Our own export's `custom` column (a JSON object) goes through the same rule."""
    source = _csv(
        tmp_path / "own.csv", ["name", "custom"], ["Own Co", json.dumps({"k": "z" * 3_000})]
    )
    done = cli("import", "customers", str(source))
    assert done.exit_code == 2, done.output
    assert "longer than 2,000 characters" in _error(done)
    assert count_rows(db_path, "customer") == 0


def test_a_phone_with_a_line_break_is_refused_naming_the_option(
    cli, db_path: Path, rep: None
) -> None:
    cli("customer", "add", "Acme")
    done = cli("contact", "add", "Acme", "Li Lei", "--phone", "123\r\nEMAIL:x@evil.example")
    assert done.exit_code == 2, done.output
    assert "--phone" in _error(done) and "line break" in _error(done)
    assert count_rows(db_path, "contact") == 0
    assert count_rows(db_path, "contact_point") == 0


@pytest.mark.parametrize(
    "args",
    [
        ["customer", "add", "Two\nLines Co"],
        ["customer", "add", "Acme 2", "--industry", "steel\rEVIL"],
        ["contact", "add", "Acme", "Li\nLei"],
        ["contact", "add", "Acme", "Li Lei", "--title", "boss\u2028EVIL"],
        ["contact", "add", "Acme", "Li Lei", "--email", "li@acme.example\nEMAIL:x@evil.example"],
    ],
)
def test_single_line_fields_refuse_line_breaks_from_the_command_line(
    cli, db_path: Path, rep: None, args: list[str]
) -> None:
    cli("customer", "add", "Acme")
    done = cli(*args)
    assert done.exit_code == 2, done.output
    assert count_rows(db_path, "customer") == 1 and count_rows(db_path, "contact") == 0


def test_an_edit_refuses_a_line_break_in_a_name(cli, db_path: Path, rep: None) -> None:
    cli("customer", "add", "Acme")
    done = cli("customer", "edit", "Acme", "--name", "Acme\nEVIL")
    assert done.exit_code == 2, done.output
    assert rows(db_path, "SELECT name FROM customer") == [("Acme",)]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", "Two\nLines Co"),
        ("phone", "123\r\nEMAIL:x@evil.example"),
        ("contact_name", "Li\nLei"),
        ("industry", "steel\rEVIL"),
    ],
)
def test_an_import_refuses_a_line_break_in_a_single_line_field(
    cli, db_path: Path, tmp_path: Path, rep: None, column: str, value: str
) -> None:
    header = ["name", column] if column != "name" else ["name"]
    cells = ["Fine Co", value] if column != "name" else [value]
    source = _csv(tmp_path / "breaks.csv", header, cells)
    done = cli("import", "customers", str(source))
    assert done.exit_code == 2, done.output
    first = _error(done)
    assert f"{source}:2" in first and "line break" in first, first
    assert count_rows(db_path, "customer") == 0 and count_rows(db_path, "contact_point") == 0


def test_multi_line_text_keeps_its_line_breaks(cli, db_path: Path, rep: None) -> None:
    cli("customer", "add", "Acme", "-f", "notes=first line\nsecond line")
    (custom,) = rows(db_path, "SELECT custom FROM customer")[0]
    assert json.loads(custom) == {"notes": "first line\nsecond line"}


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("name", "Two\nLines Co", "line break"),
        ("industry", "steel\r\nX-EVIL:b", "line break"),
        ("custom", {"k": "x" * 15_000}, "longer than 2,000 characters"),
        ("custom", {"two\nlines": "v"}, "line break"),
    ],
)
def test_a_bundle_is_held_to_the_rules_every_other_path_holds_to(
    cli, db_path: Path, tmp_path: Path, rep: None, column: str, value: object, said: str
) -> None:
    cli("customer", "add", "Acme", "-f", "k=v")
    bundle = tmp_path / "all.json"
    assert cli("export", "all", "--out", str(bundle)).exit_code == 0
    tree = json.loads(bundle.read_text(encoding="utf-8"))
    tree["tables"]["customer"][0][column] = value
    bundle.write_text(json.dumps(tree), encoding="utf-8")
    empty = tmp_path / "empty.db"
    done = cli("import", "all", str(bundle), "--db", str(empty))
    assert done.exit_code == 2, done.output
    first = _error(done)
    assert f"tables.customer[0].{column}" in first and said in first, first
    assert count_rows(empty, "customer") == 0
