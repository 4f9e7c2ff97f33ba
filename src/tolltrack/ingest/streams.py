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
# zstd input is fed in small pieces: a frame can inflate a thousandfold.
_ZSTD_INPUT = 16 * 1024


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
    """Decompressed bytes of a zstd stream of one or more frames; a stream that ends
    inside a frame gives a Break, as does corrupt data (reading stops there)."""
    import zstandard

    inflater = zstandard.ZstdDecompressor().decompressobj()
    fed = False
    while True:
        data = stream.read(_ZSTD_INPUT)
        if not data:
            if fed and not inflater.eof:
                yield Break("zstd data ends early (truncated file)")
            return
        while data:
            try:
                out = inflater.decompress(data)
            except zstandard.ZstdError as exc:
                yield Break(f"corrupt zstd data ({exc})")
                return
            fed = True
            if out:
                yield out
            data = b""
            if inflater.eof:
                data = inflater.unused_data
                inflater, fed = zstandard.ZstdDecompressor().decompressobj(), False
