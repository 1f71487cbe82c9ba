"""A file read once, as a stream, and never past a limit: what every import reads
through, so /dev/zero, an endless pipe or a file larger than --max-size stops with
a clear error instead of filling memory."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from salesbench.core.errors import BadInput
from salesbench.io.sheets import size_text


class Bounded(io.RawIOBase):
    """A file read once from its start, its first bytes kept to be read again (the
    encoding is chosen from them), stopped with a clear error past `limit` bytes:
    /dev/zero and an endless pipe end there, and nothing is read whole."""

    def __init__(self, source: str, raw: IO[bytes], limit: int) -> None:
        self.source, self.raw, self.limit = source, raw, limit
        self.start = b""
        self.taken = 0  # bytes of the file read so far
        self.pos = 0  # bytes handed on so far

    def peek_start(self, size: int) -> bytes:
        while len(self.start) < size:
            chunk = self._read(size - len(self.start))
            if not chunk:
                break
            self.start += chunk
        return self.start

    def _read(self, size: int) -> bytes:
        chunk = self.raw.read(size)
        self.taken += len(chunk)
        if self.taken > self.limit:
            raise BadInput(too_big(self.source, self.limit))
        return chunk

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self.pos < len(self.start):
            piece = self.start[self.pos : self.pos + len(view)]
        else:
            piece = self._read(min(len(view), 1 << 20))
        view[: len(piece)] = piece
        self.pos += len(piece)
        return len(piece)

    def close(self) -> None:
        self.raw.close()
        super().close()


def too_big(source: str, limit: int) -> str:
    return (
        f"{source}: larger than {size_text(limit)}, the most an import reads "
        "(give --max-size to raise it)"
    )


def open_binary(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise BadInput(f"{path}: cannot be read (permission denied)") from None
