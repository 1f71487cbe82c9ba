"""Errors carry what is wrong, with which input, and the exit status it maps to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesbench.cli.common import error_exit_code
from salesbench.core.errors import BadInput, Conflict, NotFound, SalesbenchError


def test_an_error_keeps_its_field_apart_from_its_message() -> None:
    exc = BadInput("must be a date: 2026-13-01", field="--since")
    assert (exc.field, exc.message) == ("--since", "must be a date: 2026-13-01")
    assert str(exc) == "--since: must be a date: 2026-13-01"
    bare = BadInput("a: b")  # a message with a colon is not split into a field
    assert (bare.field, bare.message, str(bare)) == (None, "a: b", "a: b")


@pytest.mark.parametrize(
    ("error", "code"),
    [(SalesbenchError("x"), 1), (BadInput("x"), 2), (NotFound("x"), 3), (Conflict("x"), 4)],
)
def test_each_error_class_carries_its_exit_code(error: SalesbenchError, code: int) -> None:
    assert error_exit_code(error) == (code, "x")


def test_a_stored_data_conflict_exits_like_a_conflict() -> None:
    from sqlalchemy.exc import IntegrityError

    exc = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: rep.email"))
    code, message = error_exit_code(exc) or (None, "")
    assert code == Conflict.exit_code
    # explained by the constraint that failed, in words, not SQLite's text
    assert "same rep" in message and "nothing was written" in message


def test_usage_errors_name_the_option_and_exit_2(cli) -> None:
    result = cli("queue", "--mode", "noon")
    assert result.exit_code == 2
    assert "error: --mode: unknown mode 'noon'" in result.output


def test_exporting_a_playbook_over_a_file_is_a_conflict(cli, tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("keep me", encoding="utf-8")
    result = cli("playbook", "export", "retail-5", "--out", str(out))
    assert result.exit_code == 4
    assert "exists; choose another name" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"


def test_importing_a_playbook_goes_through_the_service(cli, tmp_path: Path) -> None:
    exported = tmp_path / "retail.toml"
    assert cli("playbook", "export", "retail-5", "--out", str(exported)).exit_code == 0
    result = cli("playbook", "import", str(exported))
    assert result.exit_code == 0, result.output
    assert "imported retail-5 (en)" in result.output
    listed = json.loads(cli("playbook", "list", "--json").output)
    sources = {(p["key"], p["language"]): p["source"] for p in listed}
    assert sources[("retail-5", "en")] == "imported"
    assert sources[("retail-5", "zh-CN")] == "bundled"
