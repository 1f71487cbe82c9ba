"""The playbook catalog: bundled SOPs plus the ones a team imports into its database."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli

from salesbench.core.errors import BadInput, NotFound
from salesbench.core.playbook import Playbook
from salesbench.core.playbook_load import load_playbook
from salesbench.playbooks import bundled_sources
from salesbench.store.raw import Rows, imported_playbooks, session_rows

if TYPE_CHECKING:
    from sqlmodel import Session

if TYPE_CHECKING:
    from salesbench.core.clock import Clock
    from salesbench.store.engine import Store

DEFAULT_LANGUAGE = "en"


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML parser every playbook is read with: tomli's compiled build of the
    parser the standard library's tomllib was made from (3x as fast, same errors)."""
    return tomli.loads(text)


@lru_cache(maxsize=64)
def _parse(text: str, origin: str) -> Playbook:
    """Parse and validate a playbook, once per process. There is no cache on disk: an
    earlier pickle cache let a planted file run code on a plain `queue` and skip
    validation, and it saved about 25 ms of a 400 ms `queue` (three playbooks), so
    every process reads the TOML itself and nothing it loads can execute."""
    return load_playbook(text, origin, parse_toml)


@dataclass(frozen=True)
class Entry:
    key: str
    language: str
    source: str  # "bundled" or "imported"
    text: str

    def playbook(self) -> Playbook:
        return _parse(self.text, f"{self.key}.{self.language}.toml")


class Catalog:
    """Every playbook by (key, language); imported ones replace bundled ones."""

    def __init__(self, imported: dict[tuple[str, str], str] | None = None) -> None:
        self.entries: dict[tuple[str, str], Entry] = {
            k: Entry(k[0], k[1], "bundled", text) for k, text in bundled_sources().items()
        }
        for k, text in (imported or {}).items():
            self.entries[k] = Entry(k[0], k[1], "imported", text)

    def keys(self) -> list[str]:
        return sorted({k for k, _ in self.entries})

    def get(self, key: str, language: str = DEFAULT_LANGUAGE) -> Playbook:
        """The playbook in this language, else English, else any language it has."""
        for lang in (language, DEFAULT_LANGUAGE):
            if (key, lang) in self.entries:
                return self.entries[(key, lang)].playbook()
        for (k, _lang), entry in sorted(self.entries.items()):
            if k == key:
                return entry.playbook()
        raise NotFound(f"no playbook {key!r} (known: {', '.join(self.keys())})")

    def entry(self, key: str, language: str) -> Entry:
        try:
            return self.entries[(key, language)]
        except KeyError:
            raise NotFound(f"no playbook {key!r} in language {language!r}") from None


def catalog_from_rows(rows: Rows) -> Catalog:
    """The catalog with the team's imported playbooks, read on either stack."""
    return Catalog(imported_playbooks(rows))


def catalog_from_session(session: Session) -> Catalog:
    return catalog_from_rows(session_rows(session))


def read_playbook_file(path: Path) -> tuple[str, Playbook]:
    """Read and validate a playbook file; every problem names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise BadInput(f"{path}: {exc.strerror}") from None
    return text, load_playbook(text, str(path), parse_toml)


def load_catalog(store: Store) -> Catalog:
    """The catalog as the database has it: bundled playbooks and the team's imports."""
    with store.read() as session:
        return catalog_from_session(session)


def import_playbook(store: Store, path: Path, *, clock: Clock) -> Playbook:
    """Validate a playbook file and store it for the team, replacing an earlier import
    of the same key and language."""
    from sqlmodel import select

    from salesbench.store.models import PlaybookFile

    text, pb = read_playbook_file(path)
    now = clock.now()
    with store.write(clock) as session:
        row = session.exec(
            select(PlaybookFile).where(
                PlaybookFile.key == pb.key, PlaybookFile.language == pb.language
            )
        ).first()
        if row is None:
            row = PlaybookFile(
                key=pb.key,
                language=pb.language,
                name=pb.name,
                version=pb.version,
                source=text,
                created_at=now,
            )
        row.name, row.version, row.source, row.updated_at = pb.name, pb.version, text, now
        session.add(row)
    return pb
