"""Byte streams in chunks, decompressed: gzip member by member (surviving a corrupt
member), zstd frame by frame (noticing a truncated one), anything else as it comes.

A chunker yields ``bytes`` and, where data was lost, a ``Break`` saying how; the
archive reader resumes after a Break, the other readers stop there.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


class Break:
    """Marks a gap in a decompressed byte stream: data was lost there (a corrupt or
    truncated gzip member); ``message`` says how."""

    def __init__(self, message: str) -> None:
        self.message = message


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


def zstd_chunks(stream: BinaryIO) -> Iterator[bytes | Break]:
    """Decompressed bytes of a zstd stream of one or more frames, a megabyte at a
    time; a frame that declares its size and ends short gives a Break (truncated),
    as does corrupt data (reading stops there)."""
    import zstandard

    head = stream.read(18)  # the longest frame header
    try:
        declared = zstandard.frame_content_size(head)
    except zstandard.ZstdError:
        declared = -1
    reader = zstandard.ZstdDecompressor().stream_reader(_Prefixed(head, stream),
                                                        read_across_frames=True)
    total = 0
    try:
        while chunk := reader.read(CHUNK):
            total += len(chunk)
            yield chunk
    except zstandard.ZstdError as exc:
        yield Break(f"corrupt zstd data ({exc})")
        return
    # A stream cut inside a frame just ends: only a frame's declared size tells.
    if declared >= 0 and total < declared:
        yield Break("zstd data ends early (truncated file)")


class _Prefixed:
    """A readable stream with bytes already read from it put back in front."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self.first = first
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.first:
            n = len(self.first) if size < 0 else min(size, len(self.first))
            out, self.first = self.first[:n], self.first[n:]
            return out
        return self.rest.read(size)
