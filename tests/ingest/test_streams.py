"""Tests for tolltrack.ingest.streams: compressed byte streams in bounded chunks, with the
gaps (truncated or corrupt data) marked where data was lost."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zstandard
from ingest_helpers import only_article, only_reject

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.streams import (
    CHUNK,
    HEAD,
    Break,
    ChunkStream,
    Lost,
    gzip_chunks,
    lost_code,
    open_chunks,
    plain_chunks,
    prepend,
    read_all,
    read_head,
    until_break,
)
from tolltrack.model import Article
from tolltrack.options import ReadOptions

MB = 1024 * 1024
STORY = (b"Officials said 10 soldiers were killed in the raid on Tuesday.\n"
         b"Rescuers searched the rubble of the school into the night.\n")
# Distinct lines, so that compression leaves a few hundred kilobytes to cut into.
LINES = b"".join(f"Officials said {n} soldiers were killed in the raid on the village of "
                 f"Novo-{n} on Tuesday.\n".encode() for n in range(3000))


def chunks_of(chunker: Callable[[io.BufferedReader], Iterator[bytes | Break]],
              data: bytes) -> list[bytes | Break]:
    return list(chunker(io.BufferedReader(io.BytesIO(data))))


def joined(items: list[bytes | Break]) -> bytes:
    return b"".join(item for item in items if isinstance(item, bytes))


def gaps(items: list[bytes | Break]) -> list[Break]:
    return [item for item in items if isinstance(item, Break)]


def zstd_streamed(*parts: bytes) -> bytes:
    """One zstd frame written as a stream: its header does not declare the content size,
    as with ``zstd`` reading a pipe."""
    compressor = zstandard.ZstdCompressor().compressobj()
    return b"".join(compressor.compress(part) for part in parts) + compressor.flush()


def read(path: Path, options: ReadOptions | None = None) -> list[Article | Reject]:
    return list(read_sources([str(path)], options))


# --------------------------------------------------------------------------- zstd


def test_open_chunks_give_the_bytes_a_megabyte_at_most_at_a_time() -> None:
    data = LINES * 20  # several megabytes
    items = chunks_of(open_chunks, zstandard.ZstdCompressor().compress(data))
    assert gaps(items) == []
    assert joined(items) == data
    assert len(items) > 1
    assert all(len(item) <= CHUNK for item in items if isinstance(item, bytes))


def test_open_chunks_read_every_frame_of_a_stream() -> None:
    packed = b"".join(zstandard.ZstdCompressor().compress(LINES[i:i + 50_000])
                      for i in range(0, len(LINES), 50_000))
    items = chunks_of(open_chunks, packed)
    assert gaps(items) == []
    assert joined(items) == LINES


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.75, 0.99])
def test_a_truncated_zstd_frame_ends_in_a_truncated_gap(keep: float) -> None:
    packed = zstandard.ZstdCompressor().compress(LINES)
    assert zstandard.frame_content_size(packed) == len(LINES)
    items = chunks_of(open_chunks, packed[:int(len(packed) * keep)])
    [gap] = gaps(items)
    assert items[-1] is gap
    assert "truncated" in gap.message
    assert lost_code(gap) == "truncated"
    assert LINES.startswith(joined(items))
    assert len(joined(items)) < len(LINES)


def test_a_truncated_zst_file_is_a_fatal_truncated_reject(tmp_path: Path) -> None:
    packed = zstandard.ZstdCompressor().compress(LINES)
    path = tmp_path / "cut.txt.zst"
    path.write_bytes(packed[:len(packed) // 2])
    reject = only_reject(read(path))
    assert (reject.source, reject.reason, reject.fatal) == (str(path), "truncated", True)
    assert "zstd" in reject.message


def test_a_truncated_zstd_stream_without_a_declared_size_is_truncated(tmp_path: Path) -> None:
    packed = zstd_streamed(LINES)
    assert zstandard.frame_content_size(packed) == -1
    path = tmp_path / "cut.txt.zst"
    path.write_bytes(packed[:len(packed) * 3 // 4])
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("truncated", True)


def test_a_zstd_stream_cut_inside_its_second_frame_is_truncated(tmp_path: Path) -> None:
    compressor = zstandard.ZstdCompressor()
    first, second = compressor.compress(LINES[:1000]), compressor.compress(LINES[1000:])
    path = tmp_path / "cut.txt.zst"
    path.write_bytes(first + second[:len(second) // 2])
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("truncated", True)


def test_corrupt_zstd_data_is_a_corrupt_gap(tmp_path: Path) -> None:
    packed = bytearray(zstandard.ZstdCompressor().compress(LINES))
    packed[20:60] = b"\xff" * 40
    items = chunks_of(open_chunks, bytes(packed))
    [gap] = gaps(items)
    assert lost_code(gap) == "corrupt"
    path = tmp_path / "bad.txt.zst"
    path.write_bytes(bytes(packed))
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("corrupt", True)


BOMB_SIZE = 300 * MB
BOMB_LEAD = b"Officials said ten people were killed in the raid.\n"


@pytest.fixture(scope="module")
def zstd_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10 KB .zst file that inflates to 300 MB: a line of story, then spaces. Written a
    megabyte at a time, with the size declared in its frame header as ``zstd FILE`` does."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.txt.zst"
    block = b" " * MB
    with path.open("wb") as out, zstandard.ZstdCompressor().stream_writer(
            out, size=BOMB_SIZE, closefd=False) as writer:
        writer.write(BOMB_LEAD)
        left = BOMB_SIZE - len(BOMB_LEAD)
        while left:
            writer.write(block[:min(left, MB)])
            left -= min(left, MB)
    assert path.stat().st_size < 100_000
    return path


_PEAK_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    import zstandard  # noqa: F401 - loaded before the first measure
    from tolltrack.ingest import read_sources
    from tolltrack.options import ReadOptions

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = list(read_sources([sys.argv[1]], ReadOptions(max_bytes=1_000_000)))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rejects": [[i.reason, i.fatal] for i in items if hasattr(i, "reason")],
                      "items": len(items), "growth_kb": after - before}))
""")


def test_a_zstd_bomb_is_too_large_and_never_inflated_whole(zstd_bomb: Path) -> None:
    # Peak resident memory of a fresh process: it counts what the C decompressor holds,
    # which tracemalloc would not see.
    done = subprocess.run([sys.executable, "-W", "error", "-c", _PEAK_SCRIPT, str(zstd_bomb)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["items"], result["rejects"]) == (1, [["too_large", True]])
    assert result["growth_kb"] < 100 * 1024  # well under the 300 MB it inflates to


def test_a_zstd_bomb_stops_at_the_cap_in_process(zstd_bomb: Path) -> None:
    with zstd_bomb.open("rb") as raw, pytest.raises(Lost) as caught:
        read_all(open_chunks(raw), 1_000_000)
    assert caught.value.code == "too_large"


def test_open_chunks_of_a_bomb_stay_a_megabyte_each(zstd_bomb: Path) -> None:
    with zstd_bomb.open("rb") as raw:
        chunks = open_chunks(io.BufferedReader(raw))
        first = [next(chunks) for _ in range(5)]
    assert all(isinstance(c, bytes) and len(c) <= CHUNK for c in first)
    assert isinstance(first[0], bytes) and first[0].startswith(BOMB_LEAD)


# --------------------------------------------------------------------------- gzip


@pytest.mark.parametrize("padding", [1, 512, 10_240, 3 * MB])
def test_zero_padding_after_the_last_gzip_member_is_no_gap(padding: int) -> None:
    packed = gzip.compress(STORY[:40], mtime=0) + gzip.compress(STORY[40:], mtime=0)
    items = chunks_of(gzip_chunks, packed + b"\x00" * padding)
    assert gaps(items) == []
    assert joined(items) == STORY


def test_a_zero_padded_gzip_file_reads_fine(tmp_path: Path) -> None:
    path = tmp_path / "tape.txt.gz"
    path.write_bytes(gzip.compress(STORY, mtime=0) + b"\x00" * 10_240)
    article = only_article(read(path))
    assert article.text == STORY.decode()


def test_a_truncated_gzip_member_is_still_a_truncated_gap() -> None:
    packed = gzip.compress(LINES, mtime=0)
    [gap] = gaps(chunks_of(gzip_chunks, packed[:len(packed) // 2]))
    assert lost_code(gap) == "truncated"


# --------------------------------------------------------------------------- plumbing


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "plain": lambda data: data,
    "gzip": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
    "zstd-streamed": zstd_streamed,
}


@pytest.mark.parametrize("compression", list(COMPRESSORS))
def test_open_chunks_undoes_any_compression(compression: str) -> None:
    data = LINES * 3
    items = list(open_chunks(io.BufferedReader(io.BytesIO(COMPRESSORS[compression](data)))))
    assert gaps(items) == []
    assert joined(items) == data


@pytest.mark.parametrize("compression", ["bz2", "xz"])
def test_open_chunks_marks_a_truncated_stdlib_stream(compression: str) -> None:
    packed = COMPRESSORS[compression](LINES)
    items = list(open_chunks(io.BufferedReader(io.BytesIO(packed[:len(packed) // 2]))))
    [gap] = gaps(items)
    assert items[-1] is gap
    assert (lost_code(gap), compression in gap.message) == ("truncated", True)


def test_read_head_takes_at_least_the_head_and_keeps_gaps() -> None:
    pieces: list[bytes | Break] = [b"a" * 40_000, Break("corrupt gzip member"), b"b" * 40_000,
                                   b"c" * 10]
    rest = iter(pieces)
    first = read_head(rest)
    assert first == pieces[:3]
    assert sum(len(p) for p in first if isinstance(p, bytes)) >= HEAD
    assert list(until_break(first)) == [b"a" * 40_000]
    assert list(prepend(first, rest)) == pieces


def test_read_head_of_a_short_stream_is_all_of_it() -> None:
    assert read_head(iter([b"short", b" story"])) == [b"short", b" story"]
    assert read_head(iter([])) == []


@pytest.mark.parametrize(("pieces", "code"), [
    ([b"abc", Break("zstd data ends early (truncated file)")], "truncated"),
    ([Break("corrupt gzip member near compressed byte 10 (invalid block type)")], "corrupt"),
    ([b"x" * 600, b"y" * 600], "too_large"),
])
def test_read_all_raises_lost_with_a_code(pieces: list[bytes | Break], code: str) -> None:
    with pytest.raises(Lost) as caught:
        read_all(iter(pieces), 1000)
    assert caught.value.code == code


def test_read_all_returns_everything_up_to_the_cap() -> None:
    assert read_all(iter([b"x" * 600, b"y" * 400]), 1000) == b"x" * 600 + b"y" * 400


def test_a_chunk_stream_reads_across_chunks_and_raises_at_a_gap() -> None:
    stream = io.BufferedReader(ChunkStream(iter([b"line one\nline ", b"two\n",
                                                 Break("gzip data ends early (truncated file)"),
                                                 b"never read\n"])))
    assert stream.readline() == b"line one\n"
    assert stream.readline() == b"line two\n"
    with pytest.raises(Lost) as caught:
        stream.readline()
    assert caught.value.code == "truncated"


def test_plain_chunks_are_a_megabyte_each() -> None:
    items = chunks_of(plain_chunks, b"z" * (2 * CHUNK + 5))
    assert [len(i) for i in items if isinstance(i, bytes)] == [CHUNK, CHUNK, 5]
