"""First run on the command line (issue 17, item 6): `init --timezone` defaulting to
the machine's zone, `rep add --language`, and messages that name `scripts/run` when
that is how the person started."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import count_rows, rows


def test_init_takes_a_timezone(cli, db_path: Path) -> None:
    result = cli(
        "init", "--name", "Wang Fang", "--email", "wf@example.com", "--timezone", "Europe/Berlin"
    )
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT name, timezone, language FROM rep") == [
        ("Wang Fang", "Europe/Berlin", "en")
    ]


def test_init_defaults_to_the_machines_timezone(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert rows(db_path, "SELECT timezone FROM rep") == [("America/New_York",)]


@pytest.mark.empty_db
def test_init_with_a_bad_timezone_writes_nothing(cli, db_path: Path) -> None:
    result = cli("init", "--name", "Wang Fang", "--email", "wf@example.com", "--timezone", "Mars")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "salesbench: error: --timezone: 'Mars' is not a known timezone (e.g. Asia/Shanghai)"
    ]
    assert not db_path.exists()


def test_init_takes_a_language(cli, db_path: Path) -> None:
    result = cli("init", "--name", "王芳", "--email", "wf@example.com", "--language", "zh-CN")
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT language FROM rep") == [("zh-CN",)]


def test_rep_add_takes_a_language(cli, db_path: Path) -> None:
    assert cli("rep", "add", "王芳", "wf@example.com", "--language", "zh-CN").exit_code == 0
    assert cli("rep", "add", "Li Lei", "ll@example.com").exit_code == 0
    assert rows(db_path, "SELECT email, language FROM rep ORDER BY email") == [
        ("ll@example.com", "en"),
        ("wf@example.com", "zh-CN"),
    ]


def test_rep_add_with_a_bad_language_writes_nothing(cli, db_path: Path) -> None:
    result = cli("rep", "add", "Li Lei", "ll@example.com", "--language", "fr")
    assert result.exit_code == 2
    assert result.output.splitlines() == ["salesbench: error: --language: must be en or zh-CN"]
    assert count_rows(db_path, "rep") == 0


def test_rep_add_takes_a_timezone(cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert cli("rep", "add", "Li Lei", "ll@example.com").exit_code == 0
    assert cli("rep", "add", "Ann", "ann@example.com", "--timezone", "Europe/Paris").exit_code == 0
    result = cli("rep", "add", "Bo", "bo@example.com", "--timezone", "Nowhere/Land")
    assert result.exit_code == 2 and "--timezone: 'Nowhere/Land'" in result.output
    assert rows(db_path, "SELECT email, timezone FROM rep ORDER BY email") == [
        ("ann@example.com", "Europe/Paris"),
        ("ll@example.com", "Asia/Tokyo"),
    ]


def test_messages_name_scripts_run_when_that_started_it(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESBENCH_LAUNCHER", "scripts/run")
    result = cli("queue")
    assert result.exit_code == 2
    assert "run `scripts/run init --name NAME --email EMAIL`" in result.output
    assert "`scripts/run demo --db /tmp/demo.db`" in result.output
    assert "salesbench init" not in result.output
    monkeypatch.delenv("SALESBENCH_LAUNCHER")
    assert "run `salesbench init --name NAME" in cli("queue").output


def test_the_machines_timezone(tmp_path: Path) -> None:
    from salesbench.settings_env import machine_timezone

    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Asia/Kolkata")
    assert machine_timezone({}, link) == "Asia/Kolkata"
    assert machine_timezone({"TZ": ":Europe/Rome"}, link) == "Europe/Rome"
    assert machine_timezone({"TZ": "Not/AZone"}, link) == "Asia/Kolkata"
    assert machine_timezone({}, tmp_path / "none") == "UTC"
