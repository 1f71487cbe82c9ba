"""vCard 2.1, 3.0 and 4.0: one row of contact columns per card.

Lines are unfolded here (folding, vCard 2.1's quoted-printable soft breaks, each
logical line numbered by its first physical line) and split into name, parameters
and value by vobject's parser (quoted parameters, parameters without a name such
as `TEL;CELL:`); quoted-printable values are decoded in their CHARSET, strictly,
so a cut-off value is an error naming its line. Every TEL, EMAIL, ADR, URL, BDAY,
NOTE, ORG and TITLE is kept: `phone`/`email` hold the first (the preferred one
first), `phones`/`emails` all of them as list cells (`mobile: +86 138…; work: …`),
`addresses` a JSON list. A free-text ROLE is kept in the title (or beside it).
"""

from __future__ import annotations

import codecs
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from salesbench.core.importing import Problem, Sheet
from salesbench.core.reach import vcard_address_kind
from salesbench.io.encodings import file_codec, open_text
from salesbench.io.sheets import BadFile, ReadOptions
from salesbench.io.vcard_lines import parse_line

VCARD_COLUMNS = [
    "id",
    "external_id",
    "name",
    "first_name",
    "last_name",
    "customer",
    "title",
    "phone",
    "phones",
    "email",
    "emails",
    "addresses",
    "url",
    "birthday",
    "note",
]
VERSIONS = ("2.1", "3.0", "4.0")
# salesbench's own export writes what a card has no property for as X-SALESBENCH-*
# (customer id, decision role, external id and source, owner, created, custom).
X_PREFIX = "X-SALESBENCH-"
X_COLUMNS = {"OWNER": "owner_email", "CREATED": "created_at"}
# Properties whose value is JSON: an object of custom fields, or the exact text
# (with its CRs) of a value a standard property holds with \n for each line break.
X_JSON = {"CUSTOM": dict, "NAME": str, "TITLE": str}
# TYPE values (any case) to the labels of list cells, most telling first.
_LABELS = (
    ("fax", ("FAX",)),
    ("mobile", ("CELL", "MOBILE", "IPHONE")),
    ("work", ("WORK",)),
    ("home", ("HOME",)),
)
_ADDRESS_KINDS = {"WORK": "work", "HOME": "home", "POSTAL": "other", "DOM": "other"}
_QP_BROKEN = re.compile(rb"=(?![0-9A-Fa-f]{2})")


def read(source: str, path: Path, options: ReadOptions) -> Sheet:
    notes: list[str] = []
    text = open_text(source, path, options.encoding, notes, options.max_size)
    try:
        sheet = _vcard(source, text.lines(), text.choice.encoding)
    finally:
        text.close()
    sheet.notes[:0] = notes
    return sheet


def _unfold(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of the physical line each starts on: a line
    starting with a space or tab continues the one before (3.0, 4.0), and so does
    the line after a quoted-printable value ending in a soft break `=` (2.1)."""
    current: list[str] = []
    start = 0
    soft_break = False
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if current and soft_break and not line.upper().startswith(("END:", "BEGIN:")):
            current.append("\n" + line)
        elif current and line[:1] in (" ", "\t"):
            current.append(line[1:])
        else:
            if current:
                yield start, "".join(current)
            current, start = [line], number
        soft_break = line.endswith("=") and "QUOTED-PRINTABLE" in current[0].upper()
    if current:
        yield start, "".join(current)


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split(value: str, sep: str = ";") -> list[str]:
    """A structured value's parts, split at unescaped `sep`, each unescaped."""
    parts, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return [_unescape(p).strip() for p in parts]


class _Card:
    def __init__(self, line: int) -> None:
        self.line = line
        self.values: dict[str, str] = {}
        self.phones: list[tuple[bool, str, str]] = []  # (preferred, label, value)
        self.emails: list[tuple[bool, str, str]] = []
        self.addresses: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.notes: list[str] = []
        self.role = ""
        self.given = self.family = ""

    def row(self) -> dict[str, str]:
        v = self.values
        v["phone"], v["phones"] = _points(self.phones)
        v["email"], v["emails"] = _points(self.emails)
        if self.addresses:
            v["addresses"] = json.dumps(self.addresses, ensure_ascii=False)
        v["url"] = "; ".join(self.urls)
        if self.role and not v.get("decision_role"):  # salesbench's own says it exactly
            if v.get("title"):
                self.notes.append(f"Role: {self.role}")
            else:
                v["title"] = self.role
        v["note"] = "\n".join(self.notes)
        v["first_name"], v["last_name"] = self.given, self.family
        if not v.get("name") and (self.given or self.family):
            cjk = any("\u3400" <= ch <= "\u9fff" for ch in self.family + self.given)
            parts = (self.family, self.given) if cjk else (self.given, self.family)
            v["name"] = ("" if cjk else " ").join(p for p in parts if p)
        return v


def _points(points: list[tuple[bool, str, str]]) -> tuple[str, str]:
    """The first (a preferred one first) and all, as a list cell."""
    ordered = sorted(points, key=lambda p: not p[0])  # stable: file order otherwise
    if not ordered:
        return "", ""
    cell = "; ".join(f"{label}: {value}" if label else value for _, label, value in ordered)
    return ordered[0][2], cell


def _types(params: list[list[str]]) -> set[str]:
    """TYPE=a,b / TYPE="a,b" / vCard 2.1's bare `;CELL;PREF`, upper-cased."""
    found: set[str] = set()
    for name, *values in params:
        if not values:
            found.add(name.upper())
        elif name.upper() == "TYPE":
            for value in values:
                found.update(v.strip().upper() for v in value.split(","))
        elif name.upper() == "PREF":
            found.add("PREF")
    return found


def _label(types: set[str]) -> str:
    for label, names in _LABELS:
        if types & set(names):
            return label
    return "other" if types & {"OTHER", "X-OTHER"} else ""


def _param(params: list[list[str]], key: str) -> str | None:
    for name, *values in params:
        if name.upper() == key and values:
            return values[0]
    return None


def _decode_qp(
    source: str, line: int, name: str, value: str, charset: str | None, file_encoding: str
) -> str:
    """A quoted-printable value in its CHARSET; without one, UTF-8 (Android) or else
    the file's own encoding (Outlook writes its Windows code page and no CHARSET)."""
    raw = value.encode("utf-8")
    if raw.endswith(b"=") or _QP_BROKEN.search(raw.replace(b"=\r\n", b"").replace(b"=\n", b"")):
        raise BadFile(
            Problem(source, line, name, "the quoted-printable value is cut off or broken")
        )
    data = codecs.decode(raw, "quopri")
    tried = [charset] if charset else ["utf-8"]
    if not charset and not file_encoding.startswith("utf"):
        tried.append(file_encoding)
    for encoding in tried:
        codec = file_codec(encoding)
        if codec is None:  # unknown, or no text encoding (base64, punycode, ...)
            raise BadFile(Problem(source, line, name, "an unknown CHARSET"))
        try:
            return data.decode(codec).replace("\r\n", "\n")
        except UnicodeError:
            continue
    raise BadFile(
        Problem(
            source,
            line,
            name,
            f"the quoted-printable value is not {' or '.join(tried)} text "
            "(cut off, or a wrong CHARSET)",
        )
    )


def _vcard(source: str, lines: Iterator[str], file_encoding: str = "utf_8") -> Sheet:
    cards: list[tuple[int, dict[str, str]]] = []
    card: _Card | None = None
    for number, logical in _unfold(lines):
        if not logical.strip():
            continue
        parsed = parse_line(logical)
        if parsed is None:
            raise BadFile(Problem(source, number, None, "not a vCard line (NAME:value expected)"))
        name, params, value = parsed
        name = name.upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                raise BadFile(Problem(source, card.line, None, "this card has no END:VCARD"))
            card = _Card(number)
            continue
        if card is None:
            raise BadFile(Problem(source, number, None, f"{name} outside BEGIN:VCARD … END:VCARD"))
        if name == "END":
            cards.append((card.line, card.row()))
            card = None
            continue
        encoding = (_param(params, "ENCODING") or "").upper()
        if encoding in ("QUOTED-PRINTABLE", "Q") or "QUOTED-PRINTABLE" in _types(params):
            charset = _param(params, "CHARSET")
            value = _decode_qp(source, number, name, value, charset, file_encoding)
        _property(source, number, card, name, params, value)
        if name.removeprefix(X_PREFIX) in X_JSON and name.startswith(X_PREFIX):
            _json_value(source, number, card, name, logical)
    if card is not None:
        raise BadFile(Problem(source, card.line, None, "this card has no END:VCARD"))
    header = list(VCARD_COLUMNS)
    extra = {k for _, values in cards for k in values} - set(header)
    header += sorted(extra)
    rows = [(line, [values.get(c, "") for c in header]) for line, values in cards]
    return Sheet(source, header, rows, [])


_VERSION_LIKE = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")


def _property(
    source: str, number: int, card: _Card, name: str, params: list[list[str]], value: str
) -> None:
    v = card.values
    if name == "VERSION" and value.strip() not in VERSIONS:
        given = value.strip()
        # a version number is worth naming; anything else is the file's content, which a
        # message never repeats (and which may span lines, once unfolded)
        said = f"vCard {given}" if _VERSION_LIKE.fullmatch(given) else "this vCard VERSION"
        raise BadFile(Problem(source, number, None, f"{said} is not supported (2.1, 3.0, 4.0)"))
    if name == "FN":
        v["name"] = _unescape(value).strip()
    elif name == "N":
        parts = [*_split(value), "", ""]
        card.family, card.given = parts[0], parts[1]
    elif name == "ORG":
        company, *units = _split(value)
        v.setdefault("customer", company)
        if any(units):  # the department: a custom field of its own
            v.setdefault("department", " / ".join(u for u in units if u))
    elif name == "TITLE":
        v.setdefault("title", _unescape(value).strip())
    elif name == "ROLE":
        card.role = card.role or _unescape(value).strip()
    elif name == "TEL":
        phone = _unescape(value).strip().removeprefix("tel:")
        if phone:
            types = _types(params)
            card.phones.append(("PREF" in types, _label(types), phone))
    elif name == "EMAIL":
        email = _unescape(value).strip().removeprefix("mailto:")
        if email:
            types = _types(params)
            card.emails.append(("PREF" in types, _label(types - {"FAX"}), email))
    elif name == "ADR":
        _address(card, params, value)
    elif name == "URL":
        url = _unescape(value).strip()
        if url:
            card.urls.append(url)
    elif name == "BDAY":
        v.setdefault("birthday", _birthday(value.strip()))
    elif name == "NOTE":
        note = _unescape(value).strip()
        if note:
            card.notes.append(note)
    elif name.startswith(X_PREFIX) and name.removeprefix(X_PREFIX) in X_JSON:
        pass  # read by _json_value, which knows the whole line
    elif name.startswith(X_PREFIX):
        key = name.removeprefix(X_PREFIX)
        v[X_COLUMNS.get(key, key.lower().replace("-", "_"))] = _unescape(value).strip()
    elif name == "UID":
        uid = value.strip().removeprefix("urn:uuid:")
        try:
            v["id"] = str(uuid.UUID(uid))
        except ValueError:
            v["external_id"] = uid


def _json_value(source: str, number: int, card: _Card, name: str, logical: str) -> None:
    """An X-SALESBENCH-* property holding JSON (see X_JSON), checked here so that a
    value that is not what it must be is told at its line and column."""
    key = name.removeprefix(X_PREFIX)
    head, _, raw = logical.partition(":")
    while head.count('"') % 2:  # a colon inside a quoted parameter value
        more, _, raw = raw.partition(":")
        head += ":" + more
    value = _unescape(raw)
    kind = X_JSON[key]
    what = "a JSON object" if kind is dict else "a JSON string"
    try:
        found = json.loads(value)
    except json.JSONDecodeError as exc:
        column = len(head) + 2 + _escaped_offset(raw, exc.pos)
        raise BadFile(
            Problem(source, number, name, f"is not {what} ({exc.msg})", column=column)
        ) from None
    if not isinstance(found, kind):
        raise BadFile(Problem(source, number, name, f"is not {what}", column=len(head) + 2))
    card.values[key.lower()] = value.strip() if kind is dict else str(found)


def _escaped_offset(raw: str, pos: int) -> int:
    """The offset in `raw` (vCard-escaped) of character `pos` of its unescaped value."""
    i = n = 0
    while i < len(raw) and n < pos:
        i += 2 if raw[i] == "\\" and i + 1 < len(raw) else 1
        n += 1
    return i


def _address(card: _Card, params: list[list[str]], value: str) -> None:
    parts = [*_split(value), *[""] * 7]
    pobox, extended, street, city, region, postcode, country = parts[:7]
    street_text = ", ".join(p for p in (street, extended, pobox) if p)
    if not any((street_text, city, region, postcode, country)):
        return
    types = _types(params)
    kind = vcard_address_kind(types)  # home, work, or ours as x-billing
    if kind == "other":
        kind = next((k for t, k in _ADDRESS_KINDS.items() if t in types), "other")
    card.addresses.append(
        {
            "kind": kind,
            "street": street_text,
            "city": city,
            "region": region,
            "postcode": postcode,
            "country": country,
        }
    )


def _birthday(value: str) -> str:
    """`19800517`, `1980-05-17`, `1980-05-17T00:00:00Z` as 1980-05-17 (`--0517`, a day
    without a year, as written)."""
    day = value.split("T")[0]
    if len(day) == 8 and day.isdigit():
        return f"{day[:4]}-{day[4:6]}-{day[6:]}"
    return day
