"""Ten thousand generated hostile values per input path: the dates, periods and
durations that options take, `opp set` values, and playbook TOML. Each is refused
with a BadInput/ValueError that names what is wrong, or accepted and then usable all
the way (periods have a next and a previous, due rules land on a representable
time, text fits its column on both back ends); never another exception.

In-process on the parsers and the computations behind the options (a CliRunner
call per example would take the fuzz pass past its time); tests/test_hostile_values.py
runs the same inputs through the CLI.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbench.core.date_range import FIRST_YEAR, LAST_YEAR, MAX_DURATION, check_instant
from salesbench.core.durations import parse_duration
from salesbench.core.errors import BadInput
from salesbench.core.fields import (
    ACTIVITY_FIELDS,
    CUSTOMER_FIELDS,
    OPPORTUNITY_FIELDS,
    TextParser,
    iso_date,
    iso_datetime,
    parse_record,
)
from salesbench.core.periods import PERIOD_KINDS, parse_period
from salesbench.core.playbook_load import check_playbook, load_playbook
from salesbench.core.snooze import snooze_until
from salesbench.core.values import parse_assignments
from salesbench.core.workday import Workday
from salesbench.playbooks import bundled_sources
from salesbench.services.playbooks import parse_toml

pytestmark = pytest.mark.fuzz

CASES = int(os.environ.get("FUZZ_CASES", "10000"))  # fewer for a quick look
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    # the same cases on every run, so a CI run cannot turn red on a new seed alone;
    # FUZZ_EXPLORE=1 draws new ones (a failure then prints the case to add as a test)
    derandomize=not os.environ.get("FUZZ_EXPLORE"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WORKDAYS = [
    Workday(),
    Workday("Pacific/Kiritimati"),  # +14:00
    Workday("Etc/GMT+12", weekdays=frozenset({6})),  # -12:00, Sundays only
]
C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# ------------------------------------------------------------------ strategies

years = st.one_of(
    st.integers(0, 99999),
    st.sampled_from([0, 1, 1899, 1900, 1901, 8999, 9000, 9001, 9998, 9999]),
)
digits = st.text("0123456789", min_size=1, max_size=30)


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    y, m, d = draw(years), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    forms = [f"{y:04d}-{m:02d}-{d:02d}", f"{y}-{m}-{d}", f"{y:04d}{m:02d}{d:02d}", f"{y:04d}-W{m}"]
    return forms[draw(st.integers(0, len(forms) - 1))]


DATES = date_texts()
OFFSETS = st.sampled_from(["Z", "+14:00", "-12:00", "+08:00", "+23:59", "-23:59", ""])


@st.composite
def datetime_texts(draw: st.DrawFn) -> str:
    day = draw(DATES)
    hh, mm = draw(st.integers(0, 25)), draw(st.integers(0, 61))
    off = draw(OFFSETS)
    return f"{day}T{hh:02d}:{mm:02d}:00{off}"


@st.composite
def period_texts(draw: st.DrawFn) -> str:
    y = draw(years)
    n = draw(st.integers(-1, 60))
    forms = [f"{y:04d}-W{n:02d}", f"{y}W{n}", f"{y:04d}-{n:02d}", f"{y}-Q{n % 7}"]
    return forms[draw(st.integers(0, len(forms) - 1))]


DURATION_PARTS = st.lists(st.tuples(digits, st.sampled_from("WDHM")), max_size=4)


@st.composite
def duration_texts(draw: st.DrawFn) -> str:
    parts = draw(DURATION_PARTS)
    date_part = "".join(n + u for n, u in parts if u in "WD")
    time_part = "".join(n + u for n, u in parts if u in "HM")
    return "P" + date_part + (("T" + time_part) if time_part or draw(st.booleans()) else "")


hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(max_codepoint=0x9F), max_size=60),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "\x00", "é", "中", "\x1b"]), st.integers(0, 6000)
    ),
)


def option_values() -> st.SearchStrategy[str]:
    return st.one_of(date_texts(), datetime_texts(), period_texts(), duration_texts(),
                     st.builds(lambda n: f"{n}h", digits), st.text(max_size=40))  # fmt: skip


# ------------------------------------------------------------------ dates, periods, durations


def _usable_day(day: date, workday: Workday) -> None:
    assert FIRST_YEAR <= day.year <= LAST_YEAR
    workday.opens(workday.next_working_day(day))  # what `queue --date` computes around it
    workday.closes(day)
    workday.on_working_time(workday.opens(day))


@FUZZ
@given(option_values(), st.sampled_from(WORKDAYS), st.sampled_from(PERIOD_KINDS))
def test_date_period_and_duration_options_refuse_or_work(
    value: str, workday: Workday, kind: str
) -> None:
    with contextlib.suppress(ValueError):
        _usable_day(iso_date(value), workday)  # queue --date, --next-date, --expected-close
    try:
        at = iso_datetime(value)  # log --at, --until, SALESBENCH_NOW
    except ValueError:
        pass
    else:
        check_instant(at.astimezone(UTC) + timedelta(hours=24))  # a visit's thank-you
    try:  # report --week, forecast --month, leaderboard --at
        period = parse_period(kind, value, workday.tz, field="--at")
    except BadInput as exc:
        assert exc.field == "--at"
    else:
        for p in (period, period.previous(), period.next()):
            assert p.start < p.end
    try:
        rule = parse_duration(value)  # a playbook's due and after
    except ValueError:
        pass
    else:
        assert rule.delta <= MAX_DURATION
        check_instant(workday.due(NOW, rule))
    try:
        until = snooze_until(value, NOW, workday)  # task snooze --until
    except ValueError:
        return
    assert until.tzinfo is not None
    check_instant(until)


# ------------------------------------------------------------------ opp set and record text

RETAIL = load_playbook(bundled_sources()[("retail-5", "en")])
COLUMN_LIMIT = {
    k: s.parse.max_len
    for specs in (CUSTOMER_FIELDS, OPPORTUNITY_FIELDS)
    for k, s in specs.items()
    if isinstance(s.parse, TextParser)
}


def _storable(value: object, limit: int) -> None:
    """What PostgreSQL would accept as SQLite does: no NUL or other C0 control, and
    within the column's length."""
    if isinstance(value, str):
        assert len(value) <= limit and not C0.search(value), value[:80]
    elif isinstance(value, int) and not isinstance(value, bool):
        assert abs(value) <= 2**53


@FUZZ
@given(st.sampled_from([f.key for f in RETAIL.fields] + ["nope", "", "=="]), hostile_text)
def test_opp_set_values_refuse_or_fit_their_column(key: str, raw: str) -> None:
    try:
        values = parse_assignments(RETAIL, [f"{key}={raw}"])
    except BadInput as exc:
        assert str(exc)
        return
    for k, v in values.items():
        _storable(v, COLUMN_LIMIT.get(k, 2000))


RECORD_SPECS = [CUSTOMER_FIELDS, OPPORTUNITY_FIELDS, ACTIVITY_FIELDS]


@FUZZ
@given(st.sampled_from(range(len(RECORD_SPECS))), st.data(), hostile_text)
def test_record_fields_refuse_or_fit_their_column(which: int, data, raw: str) -> None:
    specs = RECORD_SPECS[which]
    name = data.draw(st.sampled_from(sorted(specs)))
    try:
        values = parse_record(specs, {name: raw}, partial=True)
    except BadInput as exc:
        assert exc.field == name
        return
    parser = specs[name].parse
    _storable(values.get(name), parser.max_len if isinstance(parser, TextParser) else 10**9)


# ------------------------------------------------------------------ playbook TOML

# A small playbook with every part validation looks at (gates, chains, timed rules,
# cadence, modes, typed fields): a bundled one takes tomllib 20 times as long to read, and
# ten thousand of those would not fit the fuzz pass. The bundled ones are mutated in
# tests/test_fuzz.py.
MINI = """
[playbook]
key = "mini"
name = "Mini"
language = "en"
version = "1"

[rules]
cadence = { A = "P7D", B = "P14D", C = "P30D" }

[[rules.timed]]
key = "pay"
when = "signed_on"
due = "PT24H"
title = "Payment reminder"

[[modes]]
key = "quick"
name = "Quick"
max_days = 30
max_visits = 3
min_price_ratio = 0.8

[[fields]]
key = "budget"
type = "money"

[[fields]]
key = "signed_on"
type = "date"

[[stages]]
key = "zero"
name = "Zero"
probability = 0.1
rot_days = 14

[[stages.tasks]]
key = "meet"
title = "Meet"
due = "P1D"
trigger = { task = "follow_up", after = "P2D" }

[[stages.tasks]]
key = "follow_up"
title = "Follow up"
on_entry = false
due = "PT4H"

[[stages]]
key = "one"
name = "One"
probability = 0.5
gate = { question = "Go on?", turnaround = "zero" }

[[stages.tasks]]
key = "sign"
title = "Sign"
complete_when = ["signed_on"]
due = "P2W"
"""
SOURCES = [MINI]
VALUE = re.compile(r'(?m)^(\s*[a-z_]+\s*=\s*)("[^"\n]*"|[0-9.]+|true|false)\s*$')
INLINE = re.compile(r'(?<=[=,] )("[^"\n]*"|[0-9.]+)(?=[ ,}])')


PLAYBOOK_VALUES = st.one_of(
    duration_texts().map(lambda d: f'"{d}"'),
    date_texts().map(lambda d: f'"{d}"'),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True).map(repr),
    st.integers(1, 3_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 1_500).map(lambda n: "{a = " * n + "1" + "}" * n),
    st.sampled_from(['"zero"', '"one"', '"two"', '""']),
    st.text(max_size=30).map(lambda t: '"' + re.sub(r'[\\"]', "", t) + '"'),
    st.text(max_size=30),
)


@st.composite
def playbook_texts(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(SOURCES))
    spots = _places(source)
    for _ in range(draw(st.integers(1, 4))):
        start, end = spots[draw(st.integers(0, len(spots) - 1))]
        source = source[:start] + draw(PLAYBOOK_VALUES) + source[end:]
        spots = _places(source) or spots
    return source


def _places(text: str) -> list[tuple[int, int]]:
    found = [m.span(2) for m in VALUE.finditer(text)]
    return found + [m.span(1) for m in INLINE.finditer(text)]


@FUZZ
@given(playbook_texts())
def test_playbook_toml_is_refused_with_its_place_or_fully_usable(text: str) -> None:
    playbook, problems = check_playbook(text, parse_toml)
    if playbook is None:
        assert problems and all(p.line >= 1 and p.column >= 1 and p.message for p in problems)
        return
    assert problems == []
    order = [s.key for s in playbook.stages]
    for n, stage in enumerate(playbook.stages):
        if stage.gate:
            assert order.index(stage.gate.turnaround) < n
        for task in stage.tasks:
            for rule in [task.due, *(c.after for c in task.chains)]:
                if rule is not None:
                    for workday in WORKDAYS:
                        check_instant(workday.due(NOW, rule))
    for timed in playbook.timed_rules:
        check_instant(WORKDAYS[0].due(NOW, timed.due))
