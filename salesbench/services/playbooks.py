"""The playbook catalog: bundled SOPs plus the ones a team imports into its database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

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


@lru_cache(maxsize=64)
def _parse(text: str, origin: str) -> Playbook:
    """Parse a playbook, through an on-disk cache keyed by the text's hash: parsing
    and validating the TOML costs more than the whole queue query."""
    import hashlib
    import pickle

    from platformdirs import user_cache_path

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    path = user_cache_path("salesbench", appauthor=False) / "playbooks" / f"{digest}.pickle"
    try:
        cached = pickle.loads(path.read_bytes())
        if isinstance(cached, Playbook):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    playbook = load_playbook(text, origin)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(playbook, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, just slower
    return playbook


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
    return text, load_playbook(text, str(path))


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
