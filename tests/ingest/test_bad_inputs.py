"""The corpus of bad inputs in tests/data/bad/: every file is read, none raises, each gives
its coded reasons, and good inputs next to them still come through."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import re
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from ingest_helpers import articles_of as articles
from ingest_helpers import rejects_of as rejects
from typer.testing import CliRunner

from tolltrack.cli import app
from tolltrack.ingest import Reject, Tally, read_sources
from tolltrack.ingest.streams import Break, gzip_chunks
from tolltrack.model import Article
from tolltrack.options import ReadOptions

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad"
MB = 1024 * 1024


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bad", DATA / "build_bad.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = load_builder()


@dataclass(frozen=True)
class Expect:
    """What reading one file on its own gives: articles, reject reasons in order, and
    whether those rejects are fatal (a file named directly that cannot be read)."""

    articles: int
    rejects: tuple[str, ...] = ()
    fatal: bool = False


ARCHIVE = Expect(4, ("not_html", "http_status", "broken_record"))
EXPECTED: dict[str, Expect] = {
    "README.md": Expect(1),
    "empty.txt": Expect(0, ("empty",)),
    "random.bin": Expect(0, ("binary",), fatal=True),
    "photo.html": Expect(0, ("binary",), fatal=True),
    "no_body.html": Expect(0, ("no_text",)),
    "huge.txt.gz": Expect(0, ("too_large",), fatal=True),
    "latin1.txt": Expect(1),
    "utf16.txt": Expect(1),
    "truncated.txt.gz": Expect(0, ("truncated",), fatal=True),
    "crawl.warc": ARCHIVE,
    "crawl.warc.gz": ARCHIVE,
    "bad_lines.jsonl": Expect(2, ("bad_json", "bad_record", "no_text", "bad_date",
                                  "undecodable", "bad_json", "bad_json")),
    "empty_feed.rss": Expect(0, ("empty_feed",)),
}

def read(*sources: str | Path) -> list[Article | Reject]:
    return list(read_sources([str(s) for s in sources]))


def came_from(item: Article | Reject, path: Path) -> bool:
    """Whether ``item`` was read from ``path`` (archive pages add their URL to the name)."""
    source = item.source or ""
    return source == str(path) or source.startswith(f"{path} ")


def tally(items: list[Article | Reject]) -> Tally:
    counts = Tally()
    for item in items:
        counts.add(item)
    return counts


def outline(items: list[Article | Reject]) -> list[str]:
    """Each item as its reject reason or its article id, in order."""
    return [i.reason if isinstance(i, Reject) else f"article {i.id}" for i in items]


def expected_tally(extra_articles: int = 0) -> Tally:
    counts = Tally(articles=sum(e.articles for e in EXPECTED.values()) + extra_articles)
    for expect in EXPECTED.values():
        counts.rejects.update(expect.rejects)
    return counts


# --------------------------------------------------------------------------- the corpus


def test_every_file_in_the_corpus_has_an_entry() -> None:
    present = {p.name for p in BAD.iterdir()}
    assert not present - set(EXPECTED), f"no entry in EXPECTED for {present - set(EXPECTED)}"
    assert not set(EXPECTED) - present, f"no file for {set(EXPECTED) - present}"
    assert all(p.is_file() for p in BAD.iterdir())


def test_the_corpus_is_small() -> None:
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 300 * 1024


def chunks_of(data: bytes) -> list[str]:
    """A gzip file's decompressed content, as digests of its runs of bytes and gap marks;
    the same whatever zlib compressed it."""
    out: list[str] = []
    run = hashlib.sha256()
    for chunk in gzip_chunks(io.BytesIO(data)):
        if isinstance(chunk, Break):
            out += [run.hexdigest(), "gap"]
            run = hashlib.sha256()
        else:
            run.update(chunk)
    return [*out, run.hexdigest()]


def test_the_builder_makes_the_committed_files() -> None:
    built = builder.build()
    assert set(built) == set(EXPECTED) - {"README.md"}
    for name, data in built.items():
        committed = (BAD / name).read_bytes()
        if name.endswith(".gz"):  # compressed bytes differ between zlib builds
            assert chunks_of(committed) == chunks_of(data), name
        else:
            assert committed == data, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gives_its_articles_and_reasons(name: str) -> None:
    path = BAD / name
    expect = EXPECTED[name]
    items = read(path)
    assert len(articles(items)) == expect.articles
    assert tuple(r.reason for r in rejects(items)) == expect.rejects
    for reject in rejects(items):
        assert reject.source == str(path)
        assert reject.message
        assert reject.fatal is expect.fatal
    for article in articles(items):
        assert came_from(article, path)
        assert article.text.strip()


# --------------------------------------------------------------------------- single files


def test_latin1_text_is_decoded() -> None:
    [article] = read(BAD / "latin1.txt")
    assert isinstance(article, Article)
    assert article.text == builder.LATIN1_TEXT
    assert "Zürich" in article.text and "café" in article.text
    assert article.language == "en"


def test_utf16_text_is_decoded() -> None:
    assert (BAD / "utf16.txt").read_bytes().startswith(b"\xff\xfe")
    [article] = read(BAD / "utf16.txt")
    assert isinstance(article, Article)
    assert article.text == builder.UTF16_TEXT
    assert "Genève" in article.text
    assert "\x00" not in article.text and "\ufeff" not in article.text


@pytest.mark.parametrize(("name", "words"), [
    ("empty.txt", "empty"),
    ("random.bin", "binary data, not text"),
    ("photo.html", "a PNG image, not text"),
    ("no_body.html", "no article text"),
    ("huge.txt.gz", "larger than 10 MB"),
    ("truncated.txt.gz", "truncated"),
    ("empty_feed.rss", "feed has no entries"),
])
def test_reject_messages_say_why(name: str, words: str) -> None:
    [reject] = read(BAD / name)
    assert isinstance(reject, Reject)
    assert words in reject.message


def test_good_json_lines_come_through_around_bad_ones() -> None:
    items = read(BAD / "bad_lines.jsonl")
    assert [a.id for a in articles(items)] == ["jsonl-good-1", "jsonl-good-2"]
    assert [(r.line, r.reason) for r in rejects(items)] == [
        (2, "bad_json"), (3, "bad_record"), (5, "no_text"), (7, "bad_date"),
        (8, "undecodable"), (9, "bad_json"), (10, "bad_json")]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_archive_pages_before_and_after_the_broken_record_come_through(name: str) -> None:
    host = "news.example.org" if name == "crawl.warc" else "wire.example.net"
    pages = builder.PAGES[name]
    items = read(BAD / name)
    kept = [slug for n, (slug, _, _) in enumerate(pages) if n != builder.BROKEN_PAGE]
    assert [a.url for a in articles(items)] == [f"https://{host}/{slug}" for slug in kept]
    for article, (_, headline, paragraphs) in zip(articles(items), [
            p for n, p in enumerate(pages) if n != builder.BROKEN_PAGE], strict=True):
        assert article.title == headline
        assert paragraphs[0] in article.text
        assert article.date_source == "archive"
    reasons = [(r.reason, r.message) for r in rejects(items)]
    assert [reason for reason, _ in reasons] == ["not_html", "http_status", "broken_record"]
    assert "image/png" in reasons[0][1] and "301" in reasons[1][1]


# ------------------------------------------------------------ archives, one bug at a time


def filler(size: int) -> bytes:
    """A metadata record of ``size`` bytes of text: read past silently."""
    text = b"outlink: https://example.org/section/%06d\r\n"
    block = b"".join(text % n for n in range(size // len(text % 0) + 1))
    head = (b"WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Date: 2024-03-14T09:30:00Z\r\n"
            b"Content-Type: application/warc-fields\r\nContent-Length: %d\r\n\r\n" % len(block))
    return head + block + b"\r\n\r\n"


def archive(*parts: int | str) -> list[bytes]:
    """Records: ints are pages, "png" an image response, "fill" 70 KB of metadata."""
    out = []
    for part in parts:
        if part == "fill":
            out.append(filler(70 * 1024))
            continue
        uri = f"https://example.org/{part}"
        if part == "png":
            html, ctype = builder.png_image(), "image/png"
        else:
            html = builder.page_html(f"p{part}", f"Report {part}", (
                f"Officials said {part} people were killed in district {part} on Tuesday.",))
            ctype = "text/html; charset=utf-8"
        block = builder.http_response("200 OK", {"Content-Type": ctype}, html)
        out.append(builder.warc_record("response", len(out) + 1, uri, block,
                                       "application/http; msgtype=response"))
    return out


def urls(items: list[Article | Reject]) -> list[str | None]:
    return [a.url for a in articles(items)]


def test_a_warc_with_an_image_near_its_start(tmp_path: Path) -> None:
    path = tmp_path / "early.warc"
    path.write_bytes(b"".join(archive(1, "png", 2)))
    items = read(path)
    assert urls(items) == ["https://example.org/1", "https://example.org/2"]
    assert [r.reason for r in rejects(items)] == ["not_html"]


def test_a_warc_with_an_image_past_its_first_8_kb(tmp_path: Path) -> None:
    path = tmp_path / "late.warc"
    path.write_bytes(b"".join(archive(1, "fill", "png", 2)))
    items = read(path)
    assert urls(items) == ["https://example.org/1", "https://example.org/2"]
    assert [r.reason for r in rejects(items)] == ["not_html"]


def spoiled(records: list[bytes], index: int) -> bytes:
    members = [gzip.compress(r, mtime=0) for r in records]
    member = members[index]
    members[index] = member[:10] + b"\xff" * (len(member) - 18) + member[-8:]
    return b"".join(members)


def test_a_small_warc_gz_with_a_corrupt_member(tmp_path: Path) -> None:
    path = tmp_path / "small.warc.gz"
    path.write_bytes(spoiled(archive(1, 2, 3), 1))
    items = read(path)
    assert urls(items) == ["https://example.org/1", "https://example.org/3"]
    assert [r.reason for r in rejects(items)] == ["broken_record"]


def test_a_corrupt_member_past_the_first_64_kb(tmp_path: Path) -> None:
    path = tmp_path / "large.warc.gz"
    path.write_bytes(spoiled(archive(1, "fill", 2, 3), 2))
    items = read(path)
    assert urls(items) == ["https://example.org/1", "https://example.org/3"]
    assert [r.reason for r in rejects(items)] == ["broken_record"]


# --------------------------------------------------------------------------- huge files


@pytest.fixture(scope="module")
def huge_txt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 50 MB plain text file, written a megabyte at a time."""
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    block = builder.HUGE_PARAGRAPH.encode() * (MB // len(builder.HUGE_PARAGRAPH) + 1)
    with path.open("wb") as out:
        for _ in range(50):
            out.write(block[:MB])
    assert path.stat().st_size == 50 * MB
    return path


def peak_while(sources: list[str], options: ReadOptions | None = None
               ) -> tuple[list[Article | Reject], int]:
    tracemalloc.start()
    try:
        items = list(read_sources(sources, options))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_50_mb_text_file_is_too_large_and_never_held_whole(huge_txt: Path) -> None:
    items, peak = peak_while([str(huge_txt)])
    [reject] = items
    assert isinstance(reject, Reject)
    assert (reject.reason, reject.fatal) == ("too_large", True)
    assert peak < 25 * MB  # half the file: reading stopped at the 10 MB cap


def test_a_50_mb_text_file_in_a_folder_is_skipped(huge_txt: Path) -> None:
    good = huge_txt.parent / "good.txt"
    good.write_text("Officials said 10 soldiers were killed in the raid on Tuesday.\n",
                    encoding="utf-8")
    items = read(huge_txt.parent)
    assert [(type(i).__name__, Path(i.source or "").name) for i in items] == [
        ("Article", "good.txt"), ("Reject", "huge.txt")]
    assert rejects(items)[0].reason == "too_large"
    assert not rejects(items)[0].fatal


def test_huge_gz_holds_50_mb_of_text() -> None:
    with gzip.open(BAD / "huge.txt.gz", "rb") as stream:
        head = stream.read(4096)
        size = len(head) + sum(len(b) for b in iter(lambda: stream.read(MB), b""))
    assert size >= 50 * MB
    assert head.startswith(builder.HUGE_PARAGRAPH.encode())


def test_a_gzip_file_that_inflates_to_50_mb_is_never_held_whole() -> None:
    items, peak = peak_while([str(BAD / "huge.txt.gz")], ReadOptions(max_bytes=MB))
    assert [r.reason for r in rejects(items)] == ["too_large"]
    assert peak < 16 * MB


# --------------------------------------------------------------------------- all at once


def test_the_whole_folder_in_one_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The interior ministry said 6 police officers were wounded in an "
                    "ambush near the border crossing on Monday.\n", encoding="utf-8")
    items = read(BAD, good)
    *rest, last = items
    assert isinstance(last, Article)
    assert (last.source, last.text) == (str(good), good.read_text(encoding="utf-8"))
    assert not any(r.fatal for r in rejects(items))  # inside a folder a file is skipped
    for name in EXPECTED:
        assert any(came_from(i, BAD / name) for i in rest), name
    # One read of the folder gives what reading each file on its own gives.
    one_by_one = [item for name in sorted(EXPECTED) for item in read(BAD / name)]
    assert outline(rest) == outline(one_by_one)
    counts, separate = tally(items), tally(one_by_one)
    assert (counts.articles, counts.rejects) == (separate.articles + 1, separate.rejects)
    assert counts.articles == len(articles(items))
    assert sum(counts.rejects.values()) == len(rejects(items))
    assert counts.summary().startswith(f"{len(articles(items))} articles, "
                                       f"{len(rejects(items))} rejected: ")


def test_the_whole_folder_tally_matches_the_table(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Medics said 3 people were injured when a gas cylinder exploded.\n",
                    encoding="utf-8")
    counts = tally(read(BAD, good))
    assert counts == expected_tally(1)


def test_through_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA.parents[1])
    folder = "tests/data/bad"
    out = tmp_path / "R.jsonl"
    result = CliRunner().invoke(app, ["read", folder, "--format", "jsonl",
                                      "--rejects", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.output  # files inside a folder are skipped
    assert "Traceback" not in result.output
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(a) >= {"id", "text", "source"} for a in printed)
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == {"source", "line", "reason", "message"} for r in written)
    assert all(r["source"].startswith(f"{folder}/") and r["message"] for r in written)
    assert [r["line"] for r in written if r["source"].endswith(".jsonl")] == [
        2, 3, 5, 7, 8, 9, 10]
    assert all(r["line"] is None for r in written if not r["source"].endswith(".jsonl"))
    told = result.stderr.strip().splitlines()
    assert len([line for line in told if line.startswith("tolltrack: skipped: ")]) == len(
        written)
    match = re.fullmatch(r"tolltrack: (\d+) articles?, (\d+) rejected: (.+)", told[-1])
    assert match, told[-1]
    assert int(match[1]) == len(printed)
    assert int(match[2]) == len(written)
    stated = {m[2]: int(m[1]) for m in re.finditer(r"(\d+) ([a-z ]+)", match[3])}
    assert stated == {reason.replace("_", " "): n
                      for reason, n in Counter(r["reason"] for r in written).items()}
    # The command reads what the library reads.
    items = read(folder)
    assert [a["id"] for a in printed] == [a.id for a in articles(items)]
    assert written == [r.to_dict() for r in rejects(items)]


# --------------------------------------------------------------------------- good text kept


def test_a_story_line_starting_with_more_than_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "quake.txt"
    path.write_text("An earthquake struck the coast on Friday night.\n\n"
                    "More than 200 people were killed, the health ministry said.\n",
                    encoding="utf-8")
    [article] = read(path)
    assert isinstance(article, Article)
    assert "More than 200 people were killed" in article.text
