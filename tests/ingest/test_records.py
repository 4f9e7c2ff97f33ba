"""JSONL and CSV dumps: one article per record, its parts found by configurable field names."""

from __future__ import annotations

import datetime as dt
import io
import json
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tolltrack.ingest import Reject, read_sources
from tolltrack.ingest.records import (
    BadRecord,
    Record,
    csv_records,
    jsonl_records,
    parse_loose_date,
    to_record,
)
from tolltrack.model import Article
from tolltrack.options import Fields, ReadOptions

STORY = "Officials said 10 soldiers were killed in the raid on Tuesday."
OTHER = "Rescuers pulled four survivors from the rubble of the school on Wednesday."
THIRD = "The governor said three civilians were wounded by shelling overnight."


def jsonl(path: Path, *records: dict[str, Any] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, options: ReadOptions | None = None) -> list[Article | Reject]:
    return list(read_sources([str(path)], options))


def summary(items: list[Article | Reject]) -> list[tuple[str, str, int | None]]:
    """(kind, id or reason, line) for each item, in order."""
    return [("reject", i.reason, i.line) if isinstance(i, Reject) else ("article", i.id, None)
            for i in items]


# --------------------------------------------------------------------------- default fields


@pytest.mark.parametrize(("record", "expected"), [
    ({"id": "a1", "text": STORY, "date": "2022-04-14", "title": "Raid", "url": "https://x.org/a1",
      "outlet": "Wire"},
     ("a1", STORY, dt.date(2022, 4, 14), "Raid", "https://x.org/a1", "Wire")),
    ({"id": "a2", "content": STORY, "published": "2022-04-15T08:00:00Z", "headline": "Raid",
      "link": "https://x.org/a2", "source_name": "Wire"},
     ("a2", STORY, dt.date(2022, 4, 15), "Raid", "https://x.org/a2", "Wire")),
    ({"id": "a3", "body": STORY, "date": "Sat, 16 Apr 2022 10:00:00 GMT", "site": "Wire"},
     ("a3", STORY, dt.date(2022, 4, 16), None, None, "Wire")),
    # the first present, non-empty name wins
    ({"id": "a4", "text": "", "content": STORY, "date": "", "published": "2022-04-17"},
     ("a4", STORY, dt.date(2022, 4, 17), None, None, None)),
])
def test_default_field_names(tmp_path: Path, record: dict[str, Any],
                             expected: tuple[Any, ...]) -> None:
    [article] = read(jsonl(tmp_path / "dump.jsonl", record))
    assert isinstance(article, Article)
    assert (article.id, article.text, article.date, article.title, article.url,
            article.outlet) == expected
    assert article.date_source == "record"
    assert article.source == str(tmp_path / "dump.jsonl")


def test_a_record_without_an_id_gets_its_content_hash(tmp_path: Path) -> None:
    from tolltrack.ingest import content_hash

    [article] = read(jsonl(tmp_path / "dump.jsonl", {"text": STORY}))
    assert isinstance(article, Article)
    assert article.id == content_hash(STORY)
    assert (article.date, article.date_source) == (None, None)


def test_a_numeric_id_and_title_become_strings(tmp_path: Path) -> None:
    [article] = read(jsonl(tmp_path / "dump.jsonl", {"id": 7, "title": 2024, "text": STORY}))
    assert isinstance(article, Article)
    assert (article.id, article.title) == ("7", "2024")


def test_record_text_is_kept_as_given_by_default(tmp_path: Path) -> None:
    text = f"{STORY}\nRead more: Another story\nOops!\nPhoto: Reuters"
    [article] = read(jsonl(tmp_path / "dump.jsonl", {"id": "k", "text": text}))
    assert isinstance(article, Article)
    assert article.text == text
    assert article.furniture == ()


def test_record_text_is_cleaned_when_asked(tmp_path: Path) -> None:
    text = f"{STORY}\nRead more: Another story\nOops!"
    [article] = read(jsonl(tmp_path / "dump.jsonl", {"id": "k", "text": text}),
                     ReadOptions(clean=True))
    assert isinstance(article, Article)
    assert article.text == STORY + "\n"
    assert article.furniture == ("Read more: Another story", "Oops!")


def test_the_record_date_wins_over_the_given_date(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "dump.jsonl", {"id": "d", "text": STORY, "date": "2022-04-14"},
                 {"id": "u", "text": OTHER})
    dated, undated = read(path, ReadOptions(date=dt.date(2024, 1, 1)))
    assert isinstance(dated, Article) and isinstance(undated, Article)
    assert (dated.date, dated.date_source) == (dt.date(2022, 4, 14), "record")
    assert (undated.date, undated.date_source) == (dt.date(2024, 1, 1), "given")


# --------------------------------------------------------------------------- custom fields


def test_custom_field_names(tmp_path: Path) -> None:
    fields = Fields(text=("story",), id=("guid",), date=("pubdate",), title=("hed",),
                    url=("permalink",), outlet=("paper",), language=("locale",))
    record = {"guid": "g-1", "story": STORY, "pubdate": "2023-05-06", "hed": "Raid",
              "permalink": "https://x.org/g-1", "paper": "Gazette", "locale": "en",
              "text": "not this field", "id": "not-this-id"}
    [article] = read(jsonl(tmp_path / "dump.jsonl", record), ReadOptions(fields=fields))
    assert isinstance(article, Article)
    assert (article.id, article.text, article.date, article.title, article.url,
            article.outlet, article.language) == (
        "g-1", STORY, dt.date(2023, 5, 6), "Raid", "https://x.org/g-1", "Gazette", "en")


def test_with_custom_fields_the_default_names_are_not_read(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "dump.jsonl", {"id": "x", "text": STORY})
    [reject] = read(path, ReadOptions(fields=Fields(text=("story",))))
    assert isinstance(reject, Reject)
    assert (reject.reason, reject.line) == ("no_text", 1)
    assert "story" in reject.message


# --------------------------------------------------------------------------- CSV and TSV


def test_csv_rows_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text('id,title,text,date\n'
                    f'c1,Raid,"{STORY}",2024-03-12\n'
                    f'c2,"Rubble, school","{OTHER}",2024-03-13T09:00:00+02:00\n',
                    encoding="utf-8")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.title, first.text, first.date) == (
        "c1", "Raid", STORY, dt.date(2024, 3, 12))
    assert (second.id, second.title, second.date) == ("c2", "Rubble, school",
                                                      dt.date(2024, 3, 13))


def test_tsv_is_told_by_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "dump.tsv"
    path.write_text("guid\tstory\tpublished\n"
                    f"t1\t{STORY}\tTue, 12 Mar 2024 10:00:00 GMT\n"
                    f"t2\t{OTHER}, with a comma\t2024-03-13\n", encoding="utf-8")
    first, second = read(path, ReadOptions(fields=Fields(text=("story",), id=("guid",))))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.text, first.date) == ("t1", STORY, dt.date(2024, 3, 12))
    assert (second.id, second.text) == ("t2", f"{OTHER}, with a comma")


def test_a_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfid,text\n" + f"e1,{STORY}\n".encode())
    [article] = read(path)
    assert isinstance(article, Article) and article.id == "e1"


def test_a_csv_story_may_span_lines(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(f'id,text\nm1,"{STORY}\n\n{OTHER}"\nm2,{THIRD}\n', encoding="utf-8")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == f"{STORY}\n\n{OTHER}"
    assert second.id == "m2"


def test_bad_csv_rows_are_rejected_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(f"id,text,date\nc1,{STORY},2024-03-12\nc2,,2024-03-12\n"
                    f'c3,"{OTHER}",notadate\nc4,"{THIRD}",\n', encoding="utf-8")
    assert summary(read(path)) == [("article", "c1", None), ("reject", "no_text", 3),
                                   ("reject", "bad_date", 4), ("article", "c4", None)]


def test_a_bad_multi_line_csv_row_is_reported_at_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(f'id,text,date\nm1,"{STORY}\n\n{OTHER}",14/03/2024\nm2,{THIRD},\n',
                    encoding="utf-8")
    reject, _ = read(path)
    assert isinstance(reject, Reject) and reject.reason == "bad_date"
    assert reject.line == 2  # the row starts on line 2 (and ends on line 4)


# --------------------------------------------------------------------------- bad lines


def test_bad_jsonl_lines_are_rejected_and_the_rest_go_on(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "mixed.jsonl",
                 {"id": "ok1", "text": STORY},
                 "{not json",
                 {"id": "no-text", "title": "only a title"},
                 '["a", "list"]',
                 {"id": "bad-date", "text": OTHER, "date": "14/03/2024"},
                 {"id": "text-not-str", "text": 42},
                 "",
                 {"id": "ok2", "text": THIRD})
    items = read(path)
    assert summary(items) == [
        ("article", "ok1", None), ("reject", "bad_json", 2), ("reject", "no_text", 3),
        ("reject", "bad_record", 4), ("reject", "bad_date", 5), ("reject", "no_text", 6),
        ("article", "ok2", None)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert all(r.fatal is False and r.source == str(path) for r in rejects)
    assert str(rejects[0]).startswith(f"{path}:2: not valid JSON")
    assert "14/03/2024" in rejects[3].message


def test_a_line_over_the_size_cap_is_rejected_and_the_rest_go_on(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "big.jsonl", {"id": "big", "text": STORY * 20},
                 {"id": "small", "text": OTHER})
    assert summary(read(path, ReadOptions(max_bytes=300))) == [
        ("reject", "too_large", 1), ("article", "small", None)]


def test_a_line_that_is_not_utf8_is_rejected_and_the_rest_go_on(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "q", "text": "caf\xe9 owner hurt"}\n'
                     + json.dumps({"id": "r", "text": STORY}).encode() + b"\n")
    assert summary(read(path)) == [("reject", "undecodable", 1), ("article", "r", None)]


def test_crlf_line_ends_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "w1", "text": STORY}).encode()
                     + b"\r\n" + json.dumps({"id": "w2", "text": OTHER}).encode() + b"\r\n")
    assert summary(read(path)) == [("article", "w1", None), ("article", "w2", None)]


# --------------------------------------------------------------------------- unit level


def test_jsonl_records_streams_records_and_bad_records() -> None:
    data = (json.dumps({"id": "a", "text": STORY}) + "\n\n{oops\n").encode()
    record, bad = jsonl_records(io.BytesIO(data), Fields(), 10_000)
    assert record == Record(line=1, text=STORY, id="a", title=None, date=None, url=None,
                            outlet=None, language=None)
    assert isinstance(bad, BadRecord)
    assert (bad.line, bad.reason) == (3, "bad_json")  # the blank line 2 is passed over
    assert bad.message.startswith("not valid JSON")


def test_csv_records_reads_tab_separated_rows() -> None:
    data = f"id\ttext\nt1\t{STORY}\n".encode()
    [record] = list(csv_records(io.BytesIO(data), Fields(), 10_000, tab=True))
    assert isinstance(record, Record)
    assert (record.line, record.id, record.text) == (2, "t1", STORY)


@pytest.mark.parametrize(("data", "reason"), [
    ([1, 2], "bad_record"),
    ("a string", "bad_record"),
    ({"title": "t"}, "no_text"),
    ({"text": "   "}, "no_text"),
    ({"text": ["a", "list"]}, "no_text"),
    ({"text": STORY, "date": "yesterday"}, "bad_date"),
    ({"text": STORY, "date": "2024-02-30"}, "bad_date"),
])
def test_to_record_reasons(data: Any, reason: str) -> None:
    bad = to_record(data, 9, Fields())
    assert isinstance(bad, BadRecord)
    assert (bad.line, bad.reason) == (9, reason)


# --------------------------------------------------------------------------- parse_loose_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-12", dt.date(2024, 3, 12)),
    ("  2024-03-12\n", dt.date(2024, 3, 12)),
    ("2024-03-12T10:00:00", dt.date(2024, 3, 12)),
    ("2024-03-12T10:00:00Z", dt.date(2024, 3, 12)),
    ("2024-03-12T10:00:00.123456+00:00", dt.date(2024, 3, 12)),
    ("2024-03-12T23:30:00-05:00", dt.date(2024, 3, 12)),  # the local date is kept
    ("2024-03-12 10:00", dt.date(2024, 3, 12)),
    ("Tue, 12 Mar 2024 10:00:00 GMT", dt.date(2024, 3, 12)),
    ("Tue, 12 Mar 2024 10:00:00 +0300", dt.date(2024, 3, 12)),
    ("12 Mar 2024 10:00:00 -0000", dt.date(2024, 3, 12)),
    ("Thu, 29 Feb 2024 23:59:59 GMT", dt.date(2024, 2, 29)),
    ("", None),
    ("yesterday", None),
    ("12/03/2024", None),
    ("2024-13-01", None),
    ("2023-02-29", None),
    ("March 12, 2024", None),
])
def test_parse_loose_date(value: str, expected: dt.date | None) -> None:
    assert parse_loose_date(value) == expected


@given(st.dates())
def test_any_date_round_trips_through_its_iso_form(date: dt.date) -> None:
    assert parse_loose_date(date.isoformat()) == date


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), timezones=st.timezones()))
def test_any_datetime_gives_its_own_date(moment: dt.datetime) -> None:
    assert parse_loose_date(moment.isoformat()) == moment.date()


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 30),
                    timezones=st.just(dt.UTC)))
def test_any_rfc_2822_date_gives_its_own_date(moment: dt.datetime) -> None:
    assert parse_loose_date(format_datetime(moment)) == moment.date()


# --------------------------------------------------------------------------- trailing parts


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-12 10:00:00 +0100", dt.date(2024, 3, 12)),
    ("2024-03-12 23:30:00 -0500", dt.date(2024, 3, 12)),  # the local date is kept
    ("2024-03-12 10:00:00 UTC", dt.date(2024, 3, 12)),
    ("2024-03-12T10:00:00 GMT", dt.date(2024, 3, 12)),
    ("2024-03-12garbage", None),
    ("2024-03-1212", None),
    ("2024-03-12x 10:00", None),
    ("20240312", dt.date(2024, 3, 12)),  # ISO basic format
    ("2024-02-30 10:00:00 +0100", None),  # no such day
])
def test_parse_loose_date_wants_the_date_part_to_stand_alone(value: str,
                                                             expected: dt.date | None) -> None:
    assert parse_loose_date(value) == expected


def test_a_date_with_trailing_garbage_is_a_bad_date_and_the_rest_go_on(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "dates.jsonl",
                 {"id": "garbage", "text": STORY, "date": "2024-03-12garbage"},
                 {"id": "offset", "text": OTHER, "date": "2024-03-12 10:00:00 +0100"})
    items = read(path)
    assert summary(items) == [("reject", "bad_date", 1), ("article", "offset", None)]
    reject, article = items
    assert isinstance(reject, Reject) and "2024-03-12garbage" in reject.message
    assert isinstance(article, Article)
    assert (article.date, article.date_source) == (dt.date(2024, 3, 12), "record")


def test_a_csv_date_with_an_offset_after_a_space(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(f'id,text,published\nc1,"{STORY}",2024-03-12 10:00:00 +0100\n'
                    f'c2,"{OTHER}",2024-03-12garbage\n', encoding="utf-8")
    assert summary(read(path)) == [("article", "c1", None), ("reject", "bad_date", 3)]


def test_a_csv_field_over_the_limit_costs_only_its_row() -> None:
    data = ('id,text\nb1,"' + "x" * 200_000 + '"\nb2,"Officials said 5 died in the fire."\n'
            'b3,"Rescuers said 2 were hurt."\n').encode()
    items = list(csv_records(io.BufferedReader(io.BytesIO(data)), Fields(), 100))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("BadRecord", 2), ("Record", 3), ("Record", 4)]
    assert isinstance(items[0], BadRecord) and items[0].reason == "bad_csv"
    assert [i.id for i in items if isinstance(i, Record)] == ["b2", "b3"]


def test_a_latin1_csv_field_is_read_as_windows_1252() -> None:
    data = 'id,text\na1,"Police said 3 people were killed in Zürich."\n'.encode("latin-1")
    [record] = csv_records(io.BufferedReader(io.BytesIO(data)), Fields(), 10_000)
    assert isinstance(record, Record)
    assert record.text == "Police said 3 people were killed in Zürich."


def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "s1", "text": "Police said 3 people were killed \\ud800 there.",'
                    ' "title": "Blast \\udfff"}\n', encoding="utf-8")
    (article,) = list(read_sources([str(path)]))
    assert article.text == "Police said 3 people were killed \ufffd there."
    assert article.title == "Blast \ufffd"
