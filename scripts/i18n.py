"""The translation catalogs under salesbench/locale, made with Babel from the code.

    python scripts/i18n.py            extract, update every language's .po, compile .mo
    python scripts/i18n.py --check    exit 1 when a catalog is out of date, a message
                                      is untranslated or fuzzy, or a .mo is stale

English is the source: the template (salesbench.pot) holds every string the code
marks with _(), n_() or N_() (salesbench/core/i18n.py). A language's .po keeps the
translations already made and gains the new messages empty; `--check` then names
them, so a new user-facing string fails the suite (tests/test_i18n.py) until it is
translated and `scripts/i18n` has been run.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
import tokenize
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "salesbench"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "salesbench.pot"
LANGUAGES = ("zh_CN",)
# _(message), n_(singular, plural, n), N_(message): see salesbench/core/i18n.py
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def extracted() -> Catalog:
    """Every marked string of the package, where it is used (file names only: line
    numbers would change the catalogs with every edit)."""
    template = Catalog(project="salesbench", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("i18n:",),
        strip_comment_tags=True,
    ):
        location = (f"salesbench/{filename}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    for message, module in help_messages():
        where = module.replace(".", "/") + ".py"
        known = template.get(message)
        locations = [*(known.locations if known else ()), (where, 0)]
        template.add(message, None, locations)
    return template


def help_messages() -> list[tuple[str, str]]:
    """Every command's and option's `--help` (written in English where it is declared,
    given through the catalog by salesbench/cli/help_words.py), from the command tree."""
    sys.path.insert(0, str(ROOT))
    from typer.main import get_command

    from salesbench.cli import app
    from salesbench.cli.help_words import help_texts
    from salesbench.core import i18n

    i18n.use("en")
    return sorted(set(help_texts(get_command(app))))


# _("…") written inside an f-string: Babel does not look there, so the message would
# never reach the catalogs and stay English for every rep
_HIDDEN = re.compile(r"""\b(?:_|n_|N_)\(\s*["']""")


def hidden_in_fstrings(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        with path.open("rb") as f:
            tokens = list(tokenize.tokenize(f.readline))
        where = path.relative_to(package.parent)
        found += [f"{where}:{line}: {_HIDDEN_WHY}" for line in _hidden_lines(tokens)]
    return found


_HIDDEN_WHY = "a message inside an f-string is not extracted"
_MARKS = {"_", "n_", "N_"}


def _hidden_lines(tokens: list[tokenize.TokenInfo]) -> list[int]:
    """Lines where _("…") sits inside an f-string. Python 3.11 gives an f-string as one
    STRING token; 3.12 and later as FSTRING_START … FSTRING_END with the expressions'
    own tokens between, so both are looked at."""
    lines = []
    depth = 0  # f-strings open around the current token (3.12+)
    start = getattr(tokenize, "FSTRING_START", None)
    end = getattr(tokenize, "FSTRING_END", None)
    for n, token in enumerate(tokens):
        if start is not None and token.type == start:
            depth += 1
        elif end is not None and token.type == end:
            depth -= 1
        elif token.type == tokenize.STRING:
            prefix = token.string.split(token.string[-1])[0].lower()
            if "f" in prefix and _HIDDEN.search(token.string):
                lines.append(token.start[0])
        elif depth and token.type == tokenize.NAME and token.string in _MARKS:
            after = tokens[n + 1 : n + 3]
            if [(t.string if t.type == tokenize.OP else t.type) for t in after] == [
                "(",
                tokenize.STRING,
            ]:
                lines.append(token.start[0])
    return lines


def _po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, omit_header=True)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _mo_content(data: bytes) -> tuple[dict[object, str], dict[str, str]]:
    """A compiled catalog's messages and header, less the header line naming the Babel
    that compiled it: another Babel release makes the same catalog."""
    found = gettext.GNUTranslations(io.BytesIO(data))
    header = {k: v for k, v in found.info().items() if k != "generated-by"}
    messages = {k: v for k, v in found._catalog.items() if k != ""}  # type: ignore[attr-defined]
    return messages, header


def _same(path: Path, data: bytes) -> bool:
    if path.suffix == ".mo":
        try:
            return _mo_content(path.read_bytes()) == _mo_content(data)
        except OSError:
            return False
    return path.read_bytes() == data


def _po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "salesbench.po"


def updated(language: str, template: Catalog) -> Catalog:
    """The language's catalog with the template's messages: translations kept, new
    messages empty, none guessed (a fuzzy guess would ship as if translated)."""
    path = _po_path(language)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=language)
    else:
        catalog = Catalog(locale=language, project="salesbench", charset="utf-8", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()  # a message the code no longer has is gone, not kept
    # the .po carries no header (its dates would change every file on every run): the
    # compiled header is made the same each time, so --check compares like with like
    catalog.creation_date = catalog.revision_date = STAMP
    catalog.last_translator = catalog.language_team = "salesbench developers"
    catalog.msgid_bugs_address = ""
    return catalog


def problems(language: str, catalog: Catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id:
            continue  # the header
        ident = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{language}: fuzzy: {ident!r}")
        elif not all(strings):
            found.append(f"{language}: untranslated: {ident!r}")
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    template = extracted()
    wanted = {TEMPLATE: _po_text(template)}
    issues: list[str] = hidden_in_fstrings()
    for language in LANGUAGES:
        catalog = updated(language, template)
        issues += problems(language, catalog)
        po = _po_path(language)
        wanted[po] = _po_text(catalog)
        wanted[po.with_suffix(".mo")] = _mo_bytes(catalog)
    stale = [p for p, data in wanted.items() if not p.exists() or not _same(p, data)]
    if check:
        for path in stale:
            issues.append(f"{path.relative_to(ROOT)} is out of date: run scripts/i18n")
        for line in issues:
            print(line, file=sys.stderr)
        return 1 if issues else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}")
    for line in issues:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
