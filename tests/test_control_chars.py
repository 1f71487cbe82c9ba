"""Hostile characters in stored text: inert on a terminal (CLI and workbench), exact in
the database and in --json; never a new vCard or iCalendar property; never a second
crontab line; and a planted playbook cache file is never run."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesbench.core.remind import cron_command
from salesbench.core.render import REPLACEMENT, inert
from tests.conftest import rows, subprocess_env

pytestmark = pytest.mark.both_backends

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # writes the reader's clipboard
TITLE = "\x1b]0;pwned\x07"  # retitles the window
EVIL = f"Evil{OSC52}Co"
INDUSTRY = f"x{TITLE}y\x9b31m"  # and a C1 CSI
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)] + [
    chr(c) for c in range(0x80, 0xA0)
]


# ------------------------------------------------------------------ the one function


@pytest.mark.parametrize("ch", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_inert_replaces_every_control_character(ch: str) -> None:
    assert inert(f"a{ch}b") == f"a{REPLACEMENT}b"


def test_inert_keeps_text_tabs_newlines_and_crlf() -> None:
    kept = "Wang Fang 王芳\tMüller\n+86 138\r\n[b]x[/b] \\x1b ﬁ"
    assert inert(kept) == kept
    assert inert("over\rwrite") == f"over{REPLACEMENT}write"
    assert inert(EVIL) == f"Evil{REPLACEMENT}]52;c;ZWNobyBwd25lZA=={REPLACEMENT}Co"


@given(st.text())
def test_inert_leaves_no_control_character_and_touches_nothing_else(text: str) -> None:
    shown = inert(text)
    assert not any(ch in shown for ch in CONTROLS)
    assert "\r" not in shown.replace("\r\n", "")
    assert len(shown) == len(text)  # one for one: columns line up
    kept = [(a, b) for a, b in zip(text, shown, strict=True) if a != b]
    assert all(b == REPLACEMENT and (a in CONTROLS or a == "\r") for a, b in kept)


def test_a_file_shown_on_a_terminal_is_inert_and_exact_in_a_pipe(monkeypatch, capsysbinary):
    import sys

    from salesbench.io.export import write

    data = f"name\r\n{EVIL}\r\n".encode()
    write(data, None)
    assert capsysbinary.readouterr().out == data  # a pipe gets the file as it is
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    write(data, None)
    assert capsysbinary.readouterr().out == inert(data.decode()).encode()
    assert b"\x1b" not in inert(data.decode()).encode()


# ------------------------------------------------------------------ the CLI


@pytest.fixture
def hostile(cli, db, tmp_path: Path, monkeypatch):
    """A customer whose name and industry carry ESC sequences. Input refuses them now
    (tests/test_hostile_values.py); these are stored by an older version or written to
    the team's database by another client, and must still be shown inert."""
    monkeypatch.setenv("SALESBENCH_REP", "ann@example.com")
    assert cli("init", "--name", "Ann", "--email", "ann@example.com").exit_code == 0
    assert cli("customer", "add", "Plain Co", "--industry", "Retail").exit_code == 0
    rows(db, "UPDATE customer SET name = ?, industry = ?", EVIL, INDUSTRY)
    ((ident,),) = rows(db, "SELECT id FROM customer")
    opened = cli("opp", "add", str(ident), "Refit", "--playbook", "retail-5")
    assert opened.exit_code == 0, opened.output
    return cli, str(ident)


def assert_inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert f"Evil{REPLACEMENT}]52;c;" in text


def test_queue_and_customer_show_print_stored_escapes_inert(hostile, db) -> None:
    cli, ident = hostile
    for command in (("queue",), ("customer", "show", ident), ("customer", "list")):
        shown = cli(*command)
        assert shown.exit_code == 0, shown.output
        assert_inert(shown.output)
    assert REPLACEMENT + "]0;pwned" in cli("customer", "show", ident).output
    # what is stored is what was imported, exactly
    assert rows(db, "SELECT name, industry FROM customer") == [(EVIL, INDUSTRY)]


def test_json_output_stays_exact(hostile) -> None:
    cli, _ident = hostile
    listed = cli("customer", "list", "--json")
    assert "\x1b" not in listed.output  # JSON escapes C0 itself
    (customer,) = json.loads(listed.output)
    assert (customer["name"], customer["industry"]) == (EVIL, INDUSTRY)


def test_an_error_message_quoting_stored_text_is_inert(capsys) -> None:
    from salesbench.cli.common import echo_error

    echo_error(f"{EVIL} was purged already")  # messages name records by their name
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.startswith(f"salesbench: error: Evil{REPLACEMENT}]52")


def test_what_commands_echo_is_inert(hostile) -> None:
    cli, ident = hostile
    edited = cli("customer", "edit", ident, "--grade", "A")
    assert edited.exit_code == 0, edited.output
    assert_inert(edited.output)


def test_a_file_carrying_escape_sequences_is_refused_naming_its_cells(cli, db, tmp_path) -> None:
    assert cli("init", "--name", "Ann", "--email", "ann@example.com").exit_code == 0
    source = tmp_path / "hostile.csv"
    source.write_text(f'name,industry\n"{EVIL}","{INDUSTRY}"\n', encoding="utf-8")
    refused = cli("import", "customers", str(source))
    assert refused.exit_code == 2
    assert "hostile.csv:2:1: name" in refused.output and "\x1b" not in refused.output
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_a_problem_report_naming_a_hostile_file_is_inert(cli, db, tmp_path) -> None:
    cli("init", "--name", "Ann", "--email", "ann@example.com")
    source = tmp_path / f"e{TITLE}.csv"
    source.write_text("name,annual_purchase\nAcme,lots\n", encoding="utf-8")
    refused = cli("import", "customers", str(source))
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert lines and all("\x1b" not in line and "\x07" not in line for line in lines)
    assert all(f"e{REPLACEMENT}]0;pwned{REPLACEMENT}.csv" in line for line in lines)
    assert rows(db, "SELECT count(*) FROM customer") == [(0,)]


def test_a_file_written_to_a_pipe_stays_exact(hostile) -> None:
    cli, _ident = hostile
    exported = cli("export", "customers", "--format", "jsonl")
    assert exported.exit_code == 0
    assert json.loads(exported.stdout)["name"] == EVIL


# ------------------------------------------------------------------ the workbench


async def test_the_workbench_shows_stored_escapes_inert(hostile, store) -> None:
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.tui_support import settle

    app = SalesbenchApp(store, clock=CLOCK, clipboard_tool=None)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        from textual.widgets import OptionList

        screen = app.screen
        listed = screen.query_one("#queue", OptionList)
        lines = [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]
        heading = next(line for line in lines if "Evil" in line)
        assert_inert(heading)
        panel = str(screen.query_one("#task-heading").render())
        assert_inert(panel)


async def test_no_control_character_reaches_the_terminal_from_any_widget(hostile, store) -> None:
    """The last line of defence: an input holding stored text as it is (to edit it)
    still paints without its controls."""
    from textual.geometry import Region
    from textual.widgets import Input

    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.tui_support import settle

    app = SalesbenchApp(store, clock=CLOCK, clipboard_tool=None)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        app.screen.action_filter()  # the queue's filter box, as `/` opens it
        await settle(pilot)
        box = app.screen.query_one("#filter", Input)
        box.value = f"x{OSC52}{INDUSTRY}"
        await pilot.pause()
        await settle(pilot)
        assert box.value == f"x{OSC52}{INDUSTRY}"  # the value is kept exactly
        painted = "".join(
            segment.text
            for strip in box.render_lines(Region(0, 0, *box.outer_size))
            for segment in strip
        )
        assert "]52;c;" in painted and "]0;pwned" in painted
        assert not any(ch in painted for ch in CONTROLS)


# ------------------------------------------------------------------ vCard and iCalendar

BREAKS = ["\r\n", "\n", "\r"]


def _unfolded(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\r" not in text.replace("\r\n", "")  # a lone CR ends a line for some readers
    assert "\n" not in text.replace("\r\n", "")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


@pytest.mark.parametrize("brk", BREAKS, ids=["crlf", "lf", "cr"])
def test_no_vcard_value_becomes_a_property_or_parameter(cli, db, tmp_path, brk) -> None:
    inject = f"v{brk}EMAIL:x@evil.example{brk}X-EVIL;TYPE=a:b"
    cli("init", "--name", "Ann", "--email", "ann@example.com")
    cli("customer", "add", "Acme")
    done = cli("contact", "add", "Acme", "Li Lei", "--phone", "123", "--email", "li@example.cn",
               "--address", "work: 1 Road; Shanghai; SH; 200000; CN")  # fmt: skip
    assert done.exit_code == 0, done.output
    ((contact,),) = rows(db, "SELECT id FROM contact")
    for column in ("name", "title", "external_id"):
        rows(db, f"UPDATE contact SET {column} = ? WHERE id = ?", inject, contact)
    rows(db, "UPDATE contact SET external_source = ?", f"s{brk}X-EVIL:b")  # 32 at most
    rows(db, "UPDATE customer SET name = ?", inject)
    rows(db, "UPDATE contact_point SET value = ?", inject)
    for column in ("street", "city", "region", "country"):
        rows(db, f"UPDATE address SET {column} = ?", inject)
    rows(db, "UPDATE contact SET custom = ?", json.dumps({"note": inject}))
    out = tmp_path / "c.vcf"
    exported = cli("export", "contacts", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    lines = _unfolded(out.read_bytes())
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
    assert "X-EVIL" not in names and names.count("EMAIL") == 1 and names.count("TEL") == 1
    assert names.count("ADR") == 1
    for line in lines:
        head = line.split(":", 1)[0]
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*(;[A-Za-z]+=[A-Za-z0-9-]+)*", head), line


@pytest.mark.parametrize("brk", BREAKS, ids=["crlf", "lf", "cr"])
def test_no_icalendar_value_becomes_a_property(cli, db, tmp_path, brk) -> None:
    inject = f"v{brk}ATTENDEE:mailto:x@evil.example{brk}X-EVIL:b"
    cli("init", "--name", "Ann", "--email", "ann@example.com")
    cli("customer", "add", "Acme")
    assert cli("opp", "add", "Acme", "Refit", "--playbook", "retail-5").exit_code == 0
    rows(db, "UPDATE task SET title = ?", inject)
    # source ids are unique per source system: each task carries its own after the break
    rows(db, "UPDATE task SET external_id = ? || CAST(id AS TEXT)", inject)
    rows(db, "UPDATE task SET external_source = ?", f"s{brk}X-EVIL:b")  # 32 at most
    rows(db, "UPDATE task SET custom = ?", json.dumps({"note": inject}))
    rows(db, "UPDATE customer SET name = ?", inject)
    for extra in ((), ("--as-events",)):
        out = tmp_path / f"t{len(extra)}.ics"
        done = cli("export", "tasks", "--format", "ics", "--out", str(out), *extra)
        assert done.exit_code == 0, done.output
        names = [line.split(":", 1)[0].split(";", 1)[0] for line in _unfolded(out.read_bytes())]
        assert "ATTENDEE" not in names and "X-EVIL" not in names


# ------------------------------------------------------------------ crontab


def test_cron_commands_quote_paths_and_escape_percent() -> None:
    line = cron_command(["/opt/sales bench/salesbench", "remind", "--db", "/tmp/50%.db"])
    assert line == "'/opt/sales bench/salesbench' remind --db /tmp/50\\%.db"
    for bad in ("/tmp/a\nb.db", "/tmp/a\rb.db"):
        with pytest.raises(ValueError):
            cron_command(["salesbench", "--db", bad])


def test_remind_install_refuses_a_db_with_a_line_break(cli, tmp_path) -> None:
    cli("init", "--name", "Ann", "--email", "ann@example.com")
    bad = tmp_path / "x\n* * * * * rm -rf ~ #.db"
    refused = cli("remind", "--install", "--db", str(bad))
    assert refused.exit_code == 2
    assert refused.output.splitlines()[0].startswith("salesbench: error: --db: ")
    assert "line break" in refused.output and len(refused.output.splitlines()) == 1
    assert not bad.exists()


def test_remind_install_escapes_percent_in_the_db_path(cli, tmp_path) -> None:
    db = tmp_path / "50% off.db"
    made = cli("init", "--name", "Ann", "--email", "ann@example.com", "--db", str(db))
    assert made.exit_code == 0, made.output
    shown = cli("remind", "--install", "--db", str(db))
    assert shown.exit_code == 0, shown.output
    entries = [line for line in shown.stdout.splitlines() if not line.startswith("#")]
    assert len(entries) == 2
    assert all(f"--db '{tmp_path}/50\\% off.db'" in line for line in entries)
    assert all("%" not in line.replace("\\%", "") for line in entries)


# ------------------------------------------------------------------ the playbook cache


class _Planted:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os

        return (os.system, (f"touch {_Planted.marker}",))

    marker = ""


def test_a_planted_playbook_cache_file_is_never_loaded(hostile, tmp_path, monkeypatch) -> None:
    import hashlib
    import os

    from salesbench.playbooks import bundled_sources
    from salesbench.services import playbooks

    cli, _ident = hostile
    playbooks._parse.cache_clear()
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "salesbench" / "playbooks"
    cache.mkdir(parents=True, exist_ok=True)
    marker = tmp_path / "ran"
    _Planted.marker = str(marker)
    for text in bundled_sources().values():  # every name the old cache would read
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        (cache / f"{digest}.pickle").write_bytes(pickle.dumps(_Planted()))
    shown = cli("queue")
    assert shown.exit_code == 0, shown.output
    assert not marker.exists()
    assert sorted(p.suffix for p in cache.iterdir()) == [".pickle"] * len(bundled_sources())


def test_help_and_usage_errors_on_a_terminal_keep_their_own_colours(tmp_path: Path) -> None:
    """Typer's help and error panels are Rich's own styling, not stored text: on a
    terminal their escape codes reach it whole (U+FFFD before `[1;33m` was a garble)."""
    import shutil
    import subprocess
    import sys

    if shutil.which("script") is None:
        pytest.skip("needs script(1) for a terminal")
    for args in ("--help", "queue --bogus"):
        shown = subprocess.run(
            ["script", "-qc", f"{sys.executable} -m salesbench {args}", "/dev/null"],
            capture_output=True,
            cwd=tmp_path,
            env={**subprocess_env(), "TERM": "xterm-256color", "COLUMNS": "100"},
            timeout=60,
        )
        out = shown.stdout.decode("utf-8", "replace")
        assert REPLACEMENT not in out, repr(out[:200])
        if args == "--help":
            assert "Usage" in out and "\x1b[" in out, repr(out[:200])
        else:  # a usage error is one plain line, as every refusal (cli/refusals.py)
            assert out.strip() == (
                "salesbench: error: No such option: --bogus (see `salesbench queue -h`)"
            ), repr(out)


def test_del_and_c1_stay_exact_in_json_and_in_a_bundle_on_a_pipe(cli, db, tmp_path) -> None:
    """JSON leaves DEL and C1 raw; --json escapes them (the same value for a reader, inert
    for a terminal), and `export all` into a pipe writes them exactly: a bundle imports
    back as it was."""
    assert cli("init", "--name", "Ann", "--email", "ann@example.com").exit_code == 0
    assert cli("customer", "add", "Plain Co").exit_code == 0
    odd = "Del\x7fCo \x85Nel \x9b31m"
    rows(db, "UPDATE customer SET name = ?", odd)
    listed = cli("customer", "list", "--json")
    assert listed.exit_code == 0 and "\\u007f" in listed.output and "\x9b" not in listed.output
    assert json.loads(listed.output)[0]["name"] == odd
    bundle = cli("export", "all")
    assert bundle.exit_code == 0 and odd in bundle.stdout
