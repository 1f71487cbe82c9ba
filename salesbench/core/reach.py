"""How a contact is reached, as text: list cells of labelled phones and emails
(`mobile: +86 138 0000 0001; work: 010-6552 1234`), the JSON list of postal
addresses, the words for labels (English, Chinese, vCard TYPE) and when two points
or addresses are the same one.

Pure: shared by import, export, the CLI and the TUI, so a list written by one is
read the same way by all the others."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesbench.core import fields as f
from salesbench.core import labels
from salesbench.core.enums import AddressKind, PointKind, PointLabel
from salesbench.core.import_identity import norm_email, norm_phone
from salesbench.core.text_cells import pad

Point = tuple[str, str]  # (label, value)

LABELS = tuple(label.value for label in PointLabel)
LABEL_WORDS: dict[str, str] = {
    **{label: label for label in LABELS},
    "cell": "mobile",
    "cellphone": "mobile",
    "mob": "mobile",
    "voice": "other",
    "business": "work",
    "office": "work",
    "personal": "home",
    "手机": "mobile",
    "移动电话": "mobile",
    "工作": "work",
    "办公": "work",
    "家庭": "home",
    "住宅": "home",
    "传真": "fax",
    "其他": "other",
    "其它": "other",
    # words that say what it is, not which: the column's (or `other`) label
    **{w: "" for w in ("tel", "phone", "telephone", "电话", "mailto", "email", "e-mail", "邮箱")},
}
PHONE_LIMIT = 64  # contact.phone's width: the first phone must fit there too
EMAIL_LIMIT = 320
ADDRESS_FIELDS: dict[str, int] = {  # address part -> longest allowed value
    "street": 500,
    "city": 200,
    "region": 200,
    "postcode": 32,
    "country": 100,
}
ADDRESS_KEYS = ("kind", *ADDRESS_FIELDS)
ADDRESS_KINDS = tuple(k.value for k in AddressKind)
# A contact's phones and emails as import columns: field -> label (a row's points keep
# the order of its columns in the file, then the list cells').
PHONE_FIELDS = {
    "phone": "other",
    "mobile_phone": "mobile",
    "work_phone": "work",
    "home_phone": "home",
    "fax": "fax",
    "other_phone": "other",
}
EMAIL_FIELDS = {
    "email": "other",
    "work_email": "work",
    "home_email": "home",
    "other_email": "other",
}
POINT_FIELDS = (*PHONE_FIELDS, "phones", *EMAIL_FIELDS, "emails")
# An address as import columns, or the `addresses` JSON list cell.
ADDRESS_COLUMNS = (*ADDRESS_FIELDS, "address_kind", "addresses")
_LIST_MARKS = re.compile(r"[;；:：]")
_SEPARATOR = re.compile(r"\s*[;；]\s*")
_LABEL_MARK = re.compile(r"^\s*([^\d:：+()]{1,20}?)\s*[:：]\s*(.*)$", re.DOTALL)
_SPACE = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")
_KIND_MARK = re.compile(r"^\s*([^\W\d_]{1,20})\s*[:：]\s*(.*)$", re.DOTALL)


def label_word(word: str) -> str:
    """Our label for a word people (or vCard TYPE) use; ValueError if there is none;
    "" for a word such as `tel` that names no label."""
    folded = unicodedata.normalize("NFKC", word).strip().casefold().replace(" ", "")
    found = LABEL_WORDS.get(folded)
    if found is None:
        raise ValueError(f"unknown label {word.strip()!r} (one of: {', '.join(LABELS)})")
    return found


def vcard_label(types: Iterable[str]) -> str:
    """The label of a vCard TEL or EMAIL from its TYPE values (`CELL`, `WORK,FAX`, ...);
    a fax or a mobile says more than where it is, so those win."""
    seen = set()
    for t in types:
        for part in str(t).split(","):
            seen.add(part.strip().strip('"').casefold())
    for word, label in (("fax", "fax"), ("cell", "mobile"), ("mobile", "mobile")):
        if word in seen:
            return label
    for word in ("work", "home"):
        if word in seen:
            return word
    return PointLabel.OTHER.value


VCARD_TYPES = {"mobile": "cell", "work": "work", "home": "home", "fax": "fax", "other": "voice"}


def vcard_type(label: str) -> str:
    """The vCard TYPE of one of our labels (read back by vcard_label)."""
    return VCARD_TYPES.get(label, "voice")


def vcard_address_kind(types: Iterable[str]) -> str:
    """An ADR's kind from its TYPE values: home, work, or ours as `x-billing`."""
    seen = {p.strip().strip('"').casefold() for t in types for p in str(t).split(",")}
    for kind in ADDRESS_KINDS:
        if kind in seen or f"x-{kind}" in seen:
            return kind
    return AddressKind.OTHER.value


def vcard_cells(
    tels: Iterable[tuple[Iterable[str], str]],
    emails: Iterable[tuple[Iterable[str], str]],
    adrs: Iterable[tuple[Iterable[str], Sequence[str]]],
) -> dict[str, str]:
    """A card's every TEL, EMAIL and ADR (each with its TYPE values; an ADR as its
    seven parts, post office box first) as the `phones`, `emails` and `addresses`
    cells a vCard reader puts in its row, in the card's order."""
    cells = {
        "phones": format_points(
            (vcard_label(types), value.strip().removeprefix("tel:")) for types, value in tels
        ),
        "emails": format_points(
            (vcard_label(types), value.strip().removeprefix("mailto:")) for types, value in emails
        ),
    }
    places = []
    for types, parts in adrs:
        padded = [str(p).strip() for p in parts] + [""] * 7
        street = ", ".join(p for p in (padded[0], padded[1], padded[2]) if p)
        found = dict(zip(ADDRESS_FIELDS, [street, *padded[3:7]], strict=True))
        if any(found.values()):
            places.append({"kind": vcard_address_kind(types), **found})
    cells["addresses"] = format_addresses(places) if places else ""
    return cells


def check_value(kind: str, value: str) -> str:
    """A phone or email as stored: trimmed, within its width, an email that is one."""
    value = value.strip()
    if kind == PointKind.EMAIL:
        if len(value) > EMAIL_LIMIT:
            raise ValueError(f"is longer than {EMAIL_LIMIT} characters")
        try:
            return str(f.email(value))
        except ValueError:
            raise ValueError("the value is not an email address") from None  # not told
    if kind != PointKind.PHONE:
        raise ValueError(f"unknown kind of contact point {kind!r}")
    if len(value) > PHONE_LIMIT:
        raise ValueError(f"is longer than {PHONE_LIMIT} characters")
    if not value:
        raise ValueError("is empty")
    return f.PhoneParser(PHONE_LIMIT)(value)  # one line: never a second vCard property


def parse_points(text: str, kind: str, default: str = PointLabel.OTHER.value) -> list[Point]:
    """A list cell: entries separated by `; `, each `label: value` or just `value`
    (which gets the `default` label, as does a bare `tel:` or `mailto:`)."""
    if not _LIST_MARKS.search(text):  # one value, no label: the usual cell
        return [(default, check_value(kind, text))] if text.strip() else []
    entries = [e for e in _SEPARATOR.split(text.strip()) if e]
    points: list[Point] = []
    for n, entry in enumerate(entries, start=1):
        where = f"entry {n}: " if len(entries) > 1 else ""
        label = default
        marked = _LABEL_MARK.match(entry)
        if marked:
            try:
                label = label_word(marked.group(1)) or default
            except ValueError as exc:
                raise ValueError(f"{where}{exc}") from None
            entry = marked.group(2)
        try:
            points.append((label, check_value(kind, entry)))
        except ValueError as exc:
            raise ValueError(f"{where}{exc}") from None
    return points


def format_points(points: Iterable[Point]) -> str:
    """The list cell of `points`, every entry labelled, read back by parse_points."""
    return "; ".join(f"{label}: {value}" for label, value in points)


def point_key(kind: str, value: str) -> str:
    """Two points are the same point when these agree (digits of a phone, an email
    without case)."""
    if kind == PointKind.EMAIL:
        return norm_email(value)
    text = unicodedata.normalize("NFKC", value).strip()
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith(("+", "00")):  # a country code written out: +86 10 ... == 0086 10 ...
        digits = digits.removeprefix("00")
        return digits.removeprefix("86") if digits.startswith("86") else "+" + digits
    return norm_phone(value) or text.casefold()


def new_points(kind: str, stored: Iterable[str], given: Iterable[Point]) -> list[Point]:
    """The points of `given` that are neither stored nor given earlier, in order."""
    seen = {point_key(kind, v) for v in stored}
    fresh: list[Point] = []
    for label, value in given:
        key = point_key(kind, value)
        if key in seen:
            continue
        seen.add(key)
        fresh.append((label, value))
    return fresh


# ---------------------------------------------------------------- addresses


def address(raw: Mapping[str, Any], default_kind: str) -> dict[str, str | None]:
    """An address from its parts: the known keys only, each text within its width,
    a kind among AddressKind; ValueError naming the part otherwise."""
    unknown = sorted(set(raw) - set(ADDRESS_KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (keys: {', '.join(ADDRESS_KEYS)})")
    result: dict[str, str | None] = {}
    for key, limit in ADDRESS_FIELDS.items():
        value = raw.get(key)
        if value is None:
            result[key] = None
            continue
        if not isinstance(value, str | int):
            raise ValueError(f"{key} is not text")
        text = str(value).strip()
        if len(text) > limit:
            raise ValueError(f"{key} is longer than {limit} characters")
        result[key] = text or None
    kind = raw.get("kind") or default_kind
    if not isinstance(kind, str):
        raise ValueError("kind is not text")
    result["kind"] = f.choice(AddressKind)(kind)
    if not any(result[key] for key in ADDRESS_FIELDS):
        raise ValueError("an address needs at least one of street, city, region, postcode, country")
    return result


def parse_addresses(text: str, default_kind: str = AddressKind.OTHER.value) -> list[dict[str, Any]]:
    """The `addresses` cell: a JSON list of objects with keys kind, street, city,
    region, postcode and country."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"is not a JSON list of addresses ({exc.msg} at character {exc.pos + 1})"
        ) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("is not a JSON list of addresses")
    found: list[dict[str, Any]] = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"address {n} is not an object")
        try:
            found.append(address(item, default_kind))
        except ValueError as exc:
            raise ValueError(f"address {n}: {exc}") from None
    return found


def format_addresses(addresses: Sequence[Mapping[str, Any]]) -> str:
    """The `addresses` cell of `addresses` (its parts in a fixed order, empty ones left out)."""
    items = [{k: a[k] for k in ADDRESS_KEYS if a.get(k) not in (None, "")} for a in addresses]
    return json.dumps(items, ensure_ascii=False, separators=(", ", ": "))


def address_key(a: Mapping[str, Any]) -> tuple[str, ...]:
    """Two addresses are the same when kind and every part agree, ignoring case and spacing."""

    def norm(value: Any) -> str:
        text = unicodedata.normalize("NFKC", str(value or ""))
        return _SPACE.sub(" ", text).strip().casefold()

    return tuple(norm(a.get(k)) for k in ADDRESS_KEYS)


def one_line(a: Mapping[str, Any]) -> str:
    """An address on one line, for lists and screens."""
    parts = [a.get(k) for k in ("street", "postcode", "city", "region", "country")]
    return ", ".join(str(p) for p in parts if p)


def import_specs(address_kind: str) -> dict[str, f.FieldSpec]:
    """The import fields of phones, emails and addresses; an address without a kind
    is `address_kind` (a customer's billing address, a contact's other)."""
    specs = {
        name: f.FieldSpec(_points_of(PointKind.PHONE, label))
        for name, label in PHONE_FIELDS.items()
    }
    for name, label in EMAIL_FIELDS.items():
        specs[name] = f.FieldSpec(_points_of(PointKind.EMAIL, label))
    specs["phones"] = f.FieldSpec(_points_of(PointKind.PHONE, PointLabel.OTHER.value))
    specs["emails"] = f.FieldSpec(_points_of(PointKind.EMAIL, PointLabel.OTHER.value))
    for part, limit in ADDRESS_FIELDS.items():
        specs[part] = f.FieldSpec(f.text(limit))
    specs["address_kind"] = f.FieldSpec(f.choice(AddressKind))
    specs["addresses"] = f.FieldSpec(lambda text: parse_addresses(text, address_kind))
    return specs


def parse_point_option(text: str, kind: str) -> Point:
    """One `--phone [label:]value` (or `--email`) option."""
    found = parse_points(text, kind)
    if len(found) != 1:
        raise ValueError("give one value per option (repeat the option for several)")
    return found[0]


def parse_address_option(text: str, default_kind: str) -> dict[str, Any]:
    """One `--address` option: a JSON object, or `[kind:] street; city; region;
    postcode; country` (later parts may be left out, empty ones skipped)."""
    if text.lstrip().startswith("{"):
        found = parse_addresses(text, default_kind)
        return found[0]
    kind = default_kind
    marked = _KIND_MARK.match(text)
    if marked:
        kind, text = f.choice(AddressKind)(marked.group(1)), marked.group(2)
    parts = [p.strip() for p in _SEPARATOR.split(text)]
    if len(parts) > len(ADDRESS_FIELDS):
        raise ValueError("has more than five parts (street; city; region; postcode; country)")
    return address(dict(zip(ADDRESS_FIELDS, parts, strict=False)) | {"kind": kind}, default_kind)


def _shown(point_label: str, width: int) -> str:
    return pad(labels.label(labels.POINT_LABELS, point_label), width)


def _address_kind(a: Mapping[str, Any], width: int) -> str:
    return pad(labels.label(labels.ADDRESS_KINDS, a.get("kind") or "other"), width)


@dataclass(frozen=True)
class Reach:
    """Every way to reach one contact (or a customer's addresses), as shells show it."""

    phones: tuple[Point, ...] = ()
    emails: tuple[Point, ...] = ()
    addresses: tuple[dict[str, Any], ...] = ()

    def lines(self) -> list[str]:
        """One line a point or address: `phone   mobile    +86 138 0000 0001`, its words
        in the language in use (手机 for mobile), padded by terminal cells."""
        kinds = {k: pad(labels.label(labels.POINT_KINDS, k), 8) for k in labels.POINT_KINDS}
        found = [f"{kinds['phone']} {_shown(lb, 8)}  {value}" for lb, value in self.phones]
        found += [f"{kinds['email']} {_shown(lb, 8)}  {value}" for lb, value in self.emails]
        found += [
            f"{kinds['address']} {_address_kind(a, 8)}  {one_line(a)}" for a in self.addresses
        ]
        return found

    def compact_lines(self) -> list[str]:
        """The same, narrow enough for a side panel at 80 columns: `mobile +86 138 …`,
        `work ann@acme.example` (a number or an address says what it is)."""
        found = [f"{_shown(lb, 6)} {value}" for lb, value in (*self.phones, *self.emails)]
        found += [f"{_address_kind(a, 0)}: {one_line(a)}" for a in self.addresses]
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "phones": [{"label": label, "value": value} for label, value in self.phones],
            "emails": [{"label": label, "value": value} for label, value in self.emails],
            "addresses": [dict(a) for a in self.addresses],
        }


def _points_of(kind: str, label: str) -> f.Parser:
    """A phone or email column: its cell may hold several (`138…; 139…`), each with
    the column's label unless it says another."""
    return lambda text: parse_points(text, kind, label)
