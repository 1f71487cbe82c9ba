"""Issue 17 on the CLI: the forecast marks past close months and names the currency of
an empty pipeline; the end-of-day review names each customer once."""

from __future__ import annotations

import json

import pytest

from tests.conftest import rows


@pytest.fixture
def seeded(cli, db):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def test_forecast_marks_a_past_close_month(seeded, db) -> None:
    seeded("customer", "add", "Acme")
    for title, close in (("Late", "2026-10-15"), ("Now", "2026-11-28")):
        made = seeded("opp", "add", "Acme", title, "--amount", "10000", "--expected-close", close)
        assert made.exit_code == 0, made.output
    text = seeded("forecast").stdout
    late = next(x for x in text.splitlines() if x.strip().startswith("Oct 2026"))
    now = next(x for x in text.splitlines() if x.strip().startswith("Nov 2026"))
    assert "past: expected close passed" in late and "CNY" in late
    assert "past" not in now
    assert "close 2026-10-15 (passed)" in text and "close 2026-11-28 (passed)" not in text
    doc = json.loads(seeded("forecast", "--json").stdout)
    assert [(m["month"], m["past"]) for m in doc["months"]] == [
        ("2026-10", True),
        ("2026-11", False),
    ]
    assert rows(db, "SELECT count(*) FROM opportunity") == [(2,)]


def test_an_empty_forecast_total_names_the_currency(seeded) -> None:
    text = seeded("forecast").stdout
    total = next(x for x in text.splitlines() if x.strip().startswith("total"))
    assert total.split()[-1] == "CNY" and total.count("CNY") == 2, total
