"""Tests for tolltrack.ingest.read_sources: good inputs become Articles, bad ones coded Rejects."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

import pytest

from tolltrack.ingest import Reject, read_sources
from tolltrack.model import Article

DATE = dt.date(2024, 3, 14)
SENTENCE = "Officials said 10 soldiers were killed in the raid on Tuesday."
HTML = (Path(__file__).resolve().parents[1] / "data" / "sumy_market.html").read_text(
    encoding="utf-8")


def read(*sources: str | Path, date: dt.date | None = DATE) -> list[Article | Reject]:
    return list(read_sources([str(s) for s in sources], date))


def only_reject(items: list[Article | Reject]) -> Reject:
    assert len(items) == 1
    assert isinstance(items[0], Reject)
    return items[0]


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- good input


def test_text_file_is_one_article_with_the_given_date(tmp_path: Path) -> None:
    path = write(tmp_path / "raid.txt", SENTENCE + "\n")
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.id == "raid"
    assert article.text == SENTENCE + "\n"
    assert article.date == DATE
    assert article.source == str(path)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + "Kyiv \u2013 3 killed".encode())
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.text == "Kyiv \u2013 3 killed"


def test_jsonl_lines_become_articles_with_their_own_fields(tmp_path: Path) -> None:
    records = [{"id": "a1", "text": SENTENCE, "date": "2022-04-14", "title": "Raid",
                "outlet": "Wire", "url": "https://example.org/a1", "claims": []},
               {"text": "No id on this line."}]
    path = write(tmp_path / "batch.jsonl", "\n".join(json.dumps(r) for r in records) + "\n\n")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.text, first.date, first.title, first.outlet, first.url) == (
        "a1", SENTENCE, dt.date(2022, 4, 14), "Raid", "Wire", "https://example.org/a1")
    assert second.id == "batch-2"
    assert second.date is None


def test_html_file_gives_the_story_text_without_page_furniture(tmp_path: Path) -> None:
    path = write(tmp_path / "sumy.html", HTML)
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.id == "sumy"
    assert "at least 14 civilians were killed" in " ".join(article.text.split())
    assert "All rights reserved" not in article.text
    assert "Home" not in article.text
    assert article.date == DATE  # the page states none


def test_stdin_text_and_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SENTENCE.encode())))
    [article] = read("-")
    assert isinstance(article, Article)
    assert (article.id, article.text, article.source) == ("stdin", SENTENCE, "stdin")

    line = json.dumps({"id": "x", "text": SENTENCE}) + "\n{oops\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    article, reject = read("-")
    assert isinstance(article, Article) and article.id == "x"
    assert isinstance(reject, Reject)
    assert (reject.source, reject.reason, reject.line) == ("stdin", "bad_json", 2)


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    reject = only_reject(read(path))
    assert (reject.source, reject.reason, reject.fatal) == (str(path), "missing", True)
    assert str(reject) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    reject = only_reject(read(tmp_path))
    assert (reject.reason, reject.fatal) == ("directory", True)


def test_binary_file(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(600)
    path = write(tmp_path / "photo.txt", noise[:100] + b"\x00" + noise[100:])
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("binary", True)
    assert "binary" in str(reject)


def test_latin1_file(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.txt", b"caf\xe9 \xe9t\xe9")
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("undecodable", True)
    assert "cannot be decoded" in reject.message
    assert "0xe9" in reject.message


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "empty.txt", data)
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("empty", False)
    assert str(reject).startswith(f"{path}: ")


def test_html_with_no_story_text(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.html",
                 "<html><head><title>Nothing here</title></head><body></body></html>")
    reject = only_reject(read(path))
    assert (reject.reason, reject.fatal) == ("no_text", False)
    assert "HTML" in reject.message


def test_bad_jsonl_lines_are_skipped_with_their_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": SENTENCE}),
        "{not json",
        json.dumps({"id": "no-text", "title": "only a title"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "bad-date", "text": SENTENCE, "date": "14/03/2024"}),
        json.dumps({"id": "text-not-str", "text": 42}),
        json.dumps({"id": "ok2", "text": SENTENCE}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    assert [a.id for a in items if isinstance(a, Article)] == ["ok1", "ok2"]
    rejects = [(r.line, r.reason, r.fatal) for r in items if isinstance(r, Reject)]
    assert rejects == [(2, "bad_json", False), (3, "no_text", False), (4, "bad_record", False),
                       (5, "bad_date", False), (6, "no_text", False)]
    bad = next(r for r in items if isinstance(r, Reject))
    assert str(bad).startswith(f"{path}:2: not valid JSON")


def test_good_sources_come_through_around_bad_ones(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", SENTENCE)
    binary = write(tmp_path / "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = write(tmp_path / "latin.txt", b"caf\xe9 \xe9t\xe9")
    empty = write(tmp_path / "empty.txt", b"")
    feed = write(tmp_path / "feed.jsonl",
                 json.dumps({"id": "j1", "text": SENTENCE}) + "\n{bad\n")
    page = write(tmp_path / "page.html", HTML)
    items = read(tmp_path / "missing.txt", good, binary, latin, empty, feed, page)
    summary = [(i.reason if isinstance(i, Reject) else i.id) for i in items]
    assert summary == ["missing", "good", "binary", "undecodable", "empty", "j1", "bad_json",
                       "page"]


@pytest.mark.parametrize("dated", [
    '<meta name="date" content="2024-05-02">',
    '<meta property="article:published_time" content="2024-05-02T08:30:00Z">',
])
def test_html_page_date_wins_over_the_given_date(tmp_path: Path, dated: str) -> None:
    path = write(tmp_path / "dated.html", HTML.replace("<head>", "<head>" + dated))
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.date == dt.date(2024, 5, 2)


def test_utf16_with_a_byte_order_mark_is_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("Twelve people were killed in Kharkiv.".encode("utf-16"))
    [article] = list(read_sources([str(path)]))
    assert isinstance(article, Article)
    assert article.text == "Twelve people were killed in Kharkiv."


def test_a_txt_file_is_never_taken_for_html(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("<p>Ten people were killed.</p>", encoding="utf-8")
    [article] = list(read_sources([str(path)]))
    assert isinstance(article, Article) and article.text.startswith("<p>")


def test_dates_must_be_iso_strings(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "x", "date": 20220101}\n'
                    '{"id": "b", "text": "y", "date": "2022-01-01T10:00:00Z"}\n', encoding="utf-8")
    first, second = list(read_sources([str(path)]))
    assert isinstance(first, Reject) and first.reason == "bad_date" and first.line == 1
    assert isinstance(second, Article) and second.date is not None and second.date.day == 1


def test_a_reject_is_plain_data_for_a_rejects_file(tmp_path: Path) -> None:
    [reject] = list(read_sources([str(tmp_path / "gone.txt")]))
    assert isinstance(reject, Reject)
    assert reject.to_dict() == {"source": str(tmp_path / "gone.txt"), "line": None,
                                "reason": "missing", "message": "no such file"}
    assert str(reject) == f"{tmp_path / 'gone.txt'}: no such file"
