"""Which encoding a text file is in, and reading it as text a line at a time.

The candidates are the ones people's exports use: UTF-8, UTF-16 and UTF-32 (with a
byte-order mark or without), GB18030 (Excel in China), Big5 (Taiwan, Hong Kong),
cp1252 (Excel in Western Europe and America) and Latin-1. The choice is made from a
bounded sample at the start of the file: a byte-order mark decides; otherwise
UTF-8 when the sample is UTF-8; otherwise the candidates that decode the sample
cleanly (no control characters) are ranked by charset-normalizer, and when two of
them read it about as well and give different text, the file is refused naming
both. The rest of the file is checked while it is read: a byte that does not
decode is an error naming its line and column, never a replacement character.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from salesbench.core.errors import BadInput
from salesbench.core.importing import Problem
from salesbench.io.bounded import Bounded, open_binary
from salesbench.io.sheets import MAX_FILE_BYTES, MAX_LINE_CHARS, BadFile

SAMPLE = 1 << 20  # bytes read to decide the encoding
CANDIDATES = ("gb18030", "big5", "cp1252", "latin_1")
NAMES = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "utf_32": "UTF-32",
    "utf_32_le": "UTF-32",
    "utf_32_be": "UTF-32",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp1252": "cp1252",
    "latin_1": "Latin-1",
}
_BOMS = (  # UTF-32's little-endian mark starts with UTF-16's: test it first
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
# How much better (in charset-normalizer's "chaos", 0..1) the best candidate must
# read than another one giving different text, for the choice to be made alone.
_MARGIN = 0.1


@dataclass(frozen=True)
class Choice:
    encoding: str  # a Python codec name
    note: str | None  # what the import summary says about it, if anything


def choose(source: str, sample: bytes, given: str | None, *, whole: bool) -> Choice:
    """The encoding of a file that starts with `sample` (all of it when `whole`)."""
    if given:
        name = given_encoding(given)
        if name == "utf_8":
            name = "utf_8_sig"  # a byte-order mark is not part of the text
        return Choice(name, None)
    for bom, name in _BOMS:
        if sample.startswith(bom):
            note = None if name == "utf_8_sig" else f"read as {NAMES[name]} (byte-order mark)"
            return Choice(name, note)
    wide = _wide_unicode(sample, whole)
    if wide:
        return Choice(wide, f"read as {NAMES[wide]} (detected)")
    if not sample:
        return Choice("utf_8", None)
    if b"\x00" in sample:
        start = sample.index(b"\x00")
        raise BadFile(byte_problem(source, sample, start, "", what="a binary file, not text"))
    if _decodes(sample, "utf_8", whole) is not None:
        return _utf8(source, sample, whole)
    return _ranked(source, sample, whole)


# Text codecs Python has that are no file's encoding: they decode names (IDNA,
# Punycode) or escape sequences, not a file's bytes.
NOT_FILE_ENCODINGS = frozenset(
    ("punycode", "idna", "unicode_escape", "raw_unicode_escape", "undefined", "mbcs", "oem")
)


def file_codec(name: str) -> str | None:
    """The codec `name` names when it is a text encoding of files, else None."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    codec = info.name.replace("-", "_")
    if not getattr(info, "_is_text_encoding", True) or codec in NOT_FILE_ENCODINGS:
        return None
    return codec


def given_encoding(given: str) -> str:
    """The codec `--encoding` names, refused unless it is a text encoding of files."""
    codec = file_codec(given)
    if codec is None:
        try:
            codecs.lookup(given)
        except LookupError:
            raise BadInput(f"unknown encoding {given!r}", field="--encoding") from None
        raise BadInput(
            f"{given!r} is not a text encoding of files (e.g. utf-8, gb18030, cp1252)",
            field="--encoding",
        )
    return codec


def _utf8(source: str, sample: bytes, whole: bool) -> Choice:
    """UTF-8, unless its text reads as garbled while another candidate reads cleanly:
    a few GB18030 or Big5 characters can happen to be valid UTF-8 (司 in GB18030 is
    U+02FE in UTF-8). Then the file is refused naming both, never guessed."""
    if sample.isascii():
        return Choice("utf_8", None)
    others = []
    for name in CANDIDATES:
        text = _decodes(sample, name, whole)
        if text is not None and _clean(text):
            others.append(name)
    if not others:
        return Choice("utf_8", None)
    chaos = _chaos(sample, ["utf_8", *others])
    if "utf_8" in chaos:
        return Choice("utf_8", None)
    other = min(others, key=lambda n: chaos.get(n, 1.0))
    raise BadInput(_ambiguous(source, "utf_8", other))


def _ambiguous(source: str, one: str, other: str) -> str:
    return (
        f"{source}: reads as {NAMES[one]} or as {NAMES[other]}, with different text; "
        f"give --encoding {one.replace('_', '-')} or --encoding {other.replace('_', '-')}"
    )


def _decodes(sample: bytes, encoding: str, whole: bool) -> str | None:
    """The sample's text, or None when it does not decode (a sequence cut off at the
    end of a partial sample is fine)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return decoder.decode(sample, final=whole)
    except UnicodeDecodeError:
        return None


def _clean(text: str) -> bool:
    """No control characters but tab and line breaks: text, not mojibake or binary."""
    return not any(
        (ch < " " and ch not in "\t\n\r\f") or "\x7f" <= ch <= "\x9f" or ch == "\ufffd"
        for ch in text
    )


def _wide_unicode(sample: bytes, whole: bool) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark: zero bytes where ASCII characters
    have them (in UTF-16 one in two bytes, in UTF-32 three in four), and the sample
    reads cleanly that way."""
    head = sample[:65536]
    if b"\x00" not in head:
        return None
    zeros = [sum(1 for i in range(k, len(head), 4) if head[i] == 0) for k in range(4)]
    even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
    quarter = len(head) // 4
    order = []
    if zeros[3] >= quarter and zeros[2]:  # a UTF-32 character's top byte is always 0
        order.append("utf_32_le")
    if zeros[0] >= quarter and zeros[1]:
        order.append("utf_32_be")
    order.append("utf_16_le" if odd >= even else "utf_16_be")
    for name in order:
        text = _decodes(sample if whole else sample[: len(sample) // 4 * 4], name, whole)
        if text is not None and _clean(text):
            return name
    return None


def _ranked(source: str, sample: bytes, whole: bool) -> Choice:
    texts: dict[str, str] = {}
    for name in CANDIDATES:
        text = _decodes(sample, name, whole)
        if text is not None and _clean(text) and text not in texts.values():
            texts[name] = text
    if not texts:
        raise BadFile(_first_bad_byte(source, sample))
    if len(texts) == 1:
        (name,) = texts
        return Choice(name, f"read as {NAMES[name]} (detected)")
    chaos = _chaos(sample, list(texts))
    order = sorted(texts, key=lambda n: (chaos.get(n, 1.0), CANDIDATES.index(n)))
    best, second = order[0], order[1]
    if chaos.get(second, 1.0) - chaos.get(best, 1.0) < _MARGIN:
        raise BadInput(_ambiguous(source, best, second))
    return Choice(best, f"read as {NAMES[best]} (detected)")


def _chaos(sample: bytes, names: list[str]) -> dict[str, float]:
    """charset-normalizer's measure of how garbled the sample reads in each encoding
    (lower is better, less for text that reads as a known language), over the
    sample's lines that are not plain ASCII: those are where encodings differ."""
    from charset_normalizer import from_bytes

    evidence = b"".join(line for line in sample.splitlines(keepends=True) if max(line) >= 0x80)
    found = from_bytes(
        evidence[:65536],
        cp_isolation=names,
        threshold=1.0,
        explain=False,
        preemptive_behaviour=False,
    )
    scores: dict[str, float] = {}
    for match in found:
        score = match.chaos - match.coherence / 10
        for alias in (match.encoding, *match.could_be_from_charset):
            scores.setdefault(alias, score)
    return scores


def _first_bad_byte(source: str, data: bytes) -> Problem:
    try:
        data.decode("utf-8")
        start = len(data)
    except UnicodeDecodeError as exc:
        start = exc.start
    return byte_problem(source, data, start, "UTF-8, GB18030, Big5 or cp1252")


def byte_problem(
    source: str,
    data: bytes,
    start: int,
    tried: str,
    newline: bytes = b"\n",
    what: str = "wrong encoding? give --encoding",
    encoding: str = "utf-8",
) -> Problem:
    line = data.count(newline, 0, start) + 1
    line_start = data.rfind(newline, 0, start) + len(newline) if line > 1 else 0
    column = len(data[line_start:start].decode(encoding, "replace")) + 1
    byte = data[start] if start < len(data) else 0
    return Problem(
        source,
        line,
        None,
        f"byte 0x{byte:02X} is not {tried} text ({what})"
        if tried
        else f"byte 0x{byte:02X}: {what}",
        column=column,
    )


# ---------------------------------------------------------------- reading


@dataclass
class Text:
    """A file opened as text in its chosen encoding."""

    source: str
    path: Path
    choice: Choice
    handle: IO[str]
    limit: int = MAX_FILE_BYTES
    apostrophe: bool = False  # a line read since it was last reset holds a "'"

    def lines(self) -> Iterator[str]:
        """Its lines, each ending in "\\n" (CR CR LF, as iPhones write, is one break;
        a file of bare CRs keeps them for the CSV reader to split)."""
        readline, number = self.handle.readline, 0
        try:
            while line := readline(MAX_LINE_CHARS + 1):
                number += 1
                if len(line) > MAX_LINE_CHARS:
                    raise BadFile(
                        Problem(
                            self.source,
                            number,
                            None,
                            f"a line longer than {MAX_LINE_CHARS:,} characters, "
                            "the most an import reads in one line",
                        )
                    )
                if line.endswith("\r\r\n"):
                    line = line[:-3] + "\r\n"
                if "'" in line:
                    self.apostrophe = True
                yield line
        except UnicodeError:  # a decode error, or a codec's own (punycode's)
            raise BadFile(self.undecodable()) from None

    def read(self) -> str:
        try:
            return self.handle.read().replace("\r\r\n", "\r\n")
        except UnicodeError:
            raise BadFile(self.undecodable()) from None

    def undecodable(self) -> Problem:
        """Where the file stops decoding (the file is read again: an error path only;
        a pipe cannot be, and is told without the place)."""
        label = NAMES.get(self.choice.encoding, self.choice.encoding)
        if not self.path.is_file():
            return Problem(self.source, 1, None, f"not {label} text (wrong encoding?)")
        with self.path.open("rb") as raw:
            data = raw.read(self.limit)
        name = self.choice.encoding
        try:
            data.decode(name)
            start = len(data)
        except UnicodeDecodeError as exc:
            start = exc.start
        except UnicodeError:
            start = 0
        if name in ("utf_16", "utf_32"):  # with a byte-order mark
            name += "_le" if data[:1] == b"\xff" else "_be"
        newline = "\n".encode(name.removesuffix("_sig"))
        return byte_problem(self.source, data, start, label, newline, encoding=name)

    def close(self) -> None:
        self.handle.close()


def open_text(
    source: str, path: Path, given: str | None, notes: list[str], limit: int = MAX_FILE_BYTES
) -> Text:
    """`path` as text: the encoding chosen from its first bytes, the note about the
    choice appended to `notes`. Read as a stream (a pipe works too), refused once it
    passes `limit` bytes."""
    raw = Bounded(source, open_binary(path), limit)
    sample = raw.peek_start(SAMPLE)
    whole = len(sample) < SAMPLE
    choice = choose(source, sample, given, whole=whole)
    if choice.note:
        notes.append(choice.note)
    newline = "" if b"\n" not in sample and b"\r" in sample else "\n"
    buffered = io.BufferedReader(raw, buffer_size=1 << 16)
    handle = io.TextIOWrapper(buffered, encoding=choice.encoding, errors="strict", newline=newline)
    return Text(source, path, choice, handle, limit)
