"""vCard 3.0 and 4.0: one row of contact columns per card."""

from __future__ import annotations

from collections.abc import Iterator

from salesbench.core.importing import Problem, Sheet
from salesbench.io.sheets import BadFile, ReadOptions, decode


def read(source: str, data: bytes, options: ReadOptions) -> Sheet:
    return _vcard(source, decode(source, data, options))


VCARD_COLUMNS = [
    "id",
    "external_id",
    "name",
    "first_name",
    "last_name",
    "customer",
    "title",
    "phone",
    "email",
    "decision_role",
    "note",
]


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


def _split_unescaped(value: str, sep: str) -> list[str]:
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
    return parts


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical content lines with the number of the physical line each starts on."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], number
    if current:
        yield start, "".join(current)


def _vcard(source: str, text: str) -> Sheet:
    import uuid

    rows: list[tuple[int, list[str]]] = []
    card: dict[str, str] | None = None
    opened = 0
    for number, line in _unfold(text):
        if not line.strip():
            continue
        name_part, sep, value = line.partition(":")
        if not sep:
            raise BadFile(Problem(source, number, None, "not a vCard line (NAME:value expected)"))
        name, *params = name_part.split(";")
        name = name.rsplit(".", 1)[-1].upper()  # Apple's "item1.EMAIL" groups
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                raise BadFile(Problem(source, opened, None, "this card has no END:VCARD"))
            card, opened = {}, number
            continue
        if card is None:
            raise BadFile(Problem(source, number, None, f"{name} outside BEGIN:VCARD … END:VCARD"))
        if name == "END":
            rows.append((opened, [card.get(c, "") for c in VCARD_COLUMNS]))
            card = None
            continue
        upper_params = [p.upper() for p in params]
        if name == "VERSION" and value.strip() not in ("3.0", "4.0"):
            raise BadFile(
                Problem(
                    source, number, None, f"vCard {value.strip()} is not supported (3.0 or 4.0)"
                )
            )
        if any(p.startswith("ENCODING=QUOTED-PRINTABLE") for p in upper_params):
            raise BadFile(
                Problem(source, number, None, "quoted-printable (vCard 2.1) is not supported")
            )
        if name == "FN":
            card["name"] = _unescape(value).strip()
        elif name == "N":
            parts = [_unescape(p).strip() for p in _split_unescaped(value, ";")] + ["", ""]
            card.setdefault("last_name", parts[0])
            card.setdefault("first_name", parts[1])
        elif name == "ORG":
            card.setdefault("customer", _unescape(_split_unescaped(value, ";")[0]).strip())
        elif name == "TITLE":
            card.setdefault("title", _unescape(value).strip())
        elif name == "ROLE":
            card.setdefault("decision_role", _unescape(value).strip())
        elif name == "TEL":
            phone = _unescape(value).strip().removeprefix("tel:").replace("-", " ")
            preferred = any("PREF" in p or "CELL" in p for p in upper_params)
            if "phone" not in card or (preferred and not card.get("_phone_pref")):
                card["phone"] = phone
                card["_phone_pref"] = "1" if preferred else ""
        elif name == "EMAIL":
            card.setdefault("email", _unescape(value).strip().removeprefix("mailto:"))
        elif name == "NOTE":
            card.setdefault("note", _unescape(value).strip())
        elif name == "UID":
            uid = value.strip().removeprefix("urn:uuid:")
            try:
                card["id"] = str(uuid.UUID(uid))
            except ValueError:
                card["external_id"] = uid
    if card is not None:
        raise BadFile(Problem(source, opened, None, "this card has no END:VCARD"))
    return Sheet(source, list(VCARD_COLUMNS), rows, [])
