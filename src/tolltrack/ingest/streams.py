"""Byte streams in chunks, decompressed: gzip member by member (surviving a corrupt
member), bz2, xz and zstd through their standard file objects, anything else as it
comes.

A chunker yields ``bytes`` and, where data was lost, a ``Break`` saying how; the
archive reader resumes after a Break, the other readers stop there.
"""

from __future__ import annotations

import bz2
import io
import lzma
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from tolltrack.ingest.detect import HEAD, compression_of

CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


@dataclass(frozen=True)
class Break:
    """Marks a gap in a decompressed byte stream: data was lost there (a corrupt or
    truncated member); ``message`` says how."""

    message: str


def plain_chunks(stream: BinaryIO) -> Iterator[bytes | Break]:
    """The bytes of ``stream`` in chunks of a megabyte."""
    while chunk := stream.read(CHUNK):
        yield chunk


def gzip_chunks(stream: BinaryIO) -> Iterator[bytes | Break]:
    """Decompressed bytes of a gzip stream (one member per record, as crawlers
    write, or one for the whole file), a megabyte at most at a time, so a small
    file that inflates hugely never sits in memory whole. A corrupt member gives a
    Break and reading resumes at the next member's magic number."""
    pending = b""
    offset = 0  # compressed offset of ``pending``'s first byte
    inflater = zlib.decompressobj(31)
    fed = False
    while True:
        if not pending:
            pending = stream.read(CHUNK)
            if not pending:
                if fed and not inflater.eof:
                    yield Break("gzip data ends early (truncated file)")
                return
        if not fed and not pending.strip(b"\x00"):
            pending = b""  # zero padding after the last member, as tape tools write
            continue
        try:
            out = inflater.decompress(pending, CHUNK)
            fed = True
        except zlib.error as exc:
            yield Break(f"corrupt gzip member near compressed byte {offset} ({exc})")
            pending, offset = _next_member(pending, offset, stream)
            inflater, fed = zlib.decompressobj(31), False
            continue
        if out:
            yield out
        rest = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        offset += len(pending) - len(rest)
        pending = rest
        if inflater.eof:
            inflater, fed = zlib.decompressobj(31), False


def _next_member(data: bytes, offset: int, stream: BinaryIO) -> tuple[bytes, int]:
    """The bytes from the next gzip magic number after the start of ``data`` on."""
    while True:
        found = data.find(_GZIP_MAGIC, 1)
        if found >= 0:
            return data[found:], offset + found
        more = stream.read(CHUNK)
        if not more:
            return b"", offset + len(data)
        keep = data[-2:]  # a magic number may straddle two reads
        offset += len(data) - len(keep)
        data = keep + more


class Lost(Exception):
    """A document's bytes could not be read to the end; ``code`` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def open_chunks(raw: BinaryIO) -> Iterator[bytes | Break]:
    """Decompressed chunks of ``raw``, whatever its compression."""
    first = raw.read(8)
    compression = compression_of(first)
    body = io.BufferedReader(_Rewound(first, raw), buffer_size=CHUNK)
    if compression == "gzip":
        return gzip_chunks(body)
    if compression is None:
        return plain_chunks(body)
    opener = {"bz2": bz2.BZ2File, "xz": lzma.LZMAFile}.get(compression) or _zstd_file()
    return _guarded(plain_chunks(opener(body)), compression)


def _zstd_file() -> Any:
    """The standard library's ZstdFile (Python 3.14), or its backport."""
    try:
        from compression.zstd import ZstdFile  # type: ignore[import-not-found]
    except ImportError:
        from backports.zstd import ZstdFile
    return ZstdFile


def _guarded(chunks: Iterator[bytes | Break], compression: str) -> Iterator[bytes | Break]:
    """The chunks, with the stdlib decompressor's failure turned into a Break."""
    try:
        yield from chunks
    except EOFError:
        yield Break(f"{compression} data ends early (truncated file)")
    except (OSError, lzma.LZMAError, ValueError) as exc:
        yield Break(f"{compression} data is corrupt ({exc})")
    except Exception as exc:  # ZstdError derives from Exception alone
        if type(exc).__name__ != "ZstdError":
            raise
        yield Break(f"{compression} data is corrupt ({exc})")


class _Rewound(io.RawIOBase):
    """A stream with bytes already read from it put back in front."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self.first = first
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.first:
            n = min(len(buffer), len(self.first))
            buffer[:n] = self.first[:n]
            self.first = self.first[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class ChunkStream(io.RawIOBase):
    """A readable stream over decompressed chunks; a gap in them raises Lost."""

    def __init__(self, chunks: Iterator[bytes | Break]) -> None:
        self.chunks = chunks
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            if isinstance(chunk, Break):
                raise Lost(lost_code(chunk), chunk.message)
            self.pending = chunk
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def read_head(chunks: Iterator[bytes | Break]) -> list[bytes | Break]:
    """The chunks holding the first 64 KB of decompressed bytes (fewer at the end of
    the data), gaps included."""
    first: list[bytes | Break] = []
    size = 0
    while size < HEAD:
        chunk = next(chunks, None)
        if chunk is None:
            break
        first.append(chunk)
        size += 0 if isinstance(chunk, Break) else len(chunk)
    return first


def until_break(chunks: list[bytes | Break]) -> Iterator[bytes]:
    """The byte chunks before the first gap."""
    for chunk in chunks:
        if isinstance(chunk, Break):
            return
        yield chunk


def lost_code(gap: Break) -> str:
    """The reject reason for a gap: ``truncated`` or ``corrupt``."""
    return "truncated" if "truncated" in gap.message else "corrupt"


def prepend(first: list[bytes | Break], chunks: Iterator[bytes | Break]
            ) -> Iterator[bytes | Break]:
    """The chunks already taken (``first``), then the rest."""
    yield from first
    yield from chunks


def read_all(chunks: Iterator[bytes | Break], max_bytes: int) -> bytes:
    """All bytes of a single document; Lost when over ``max_bytes`` or broken. Reading
    stops at the cap, so a huge file costs no more memory than the cap."""
    data = bytearray()
    for chunk in chunks:
        if isinstance(chunk, Break):
            raise Lost(lost_code(chunk), chunk.message)
        data += chunk
        if len(data) > max_bytes:
            raise Lost("too_large", f"larger than {max_bytes / (1024 * 1024):g} MB, the "
                        "limit for one document")
    return bytes(data)
