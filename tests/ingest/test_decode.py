"""Tests for tolltrack.ingest.decode: bytes to text, and the reasons bytes are not text."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tolltrack.ingest.decode import MAX_BYTES, NotText, decode_text, is_binary

STORY = "Police in Zürich said two people were killed at a café on Friday."
QUOTED = ("The mayor said \u201cat least 12 people\u201d were killed \u2013 and dozens hurt "
          "\u2013 when the roof of the market gave way.")
RUSSIAN = "Взрыв в Москве: погибли 5 человек, сообщили в МЧС."


def not_text(data: bytes, declared: str | None = None, max_bytes: int = MAX_BYTES) -> NotText:
    with pytest.raises(NotText) as caught:
        decode_text(data, declared, max_bytes)
    return caught.value


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(("data", "text"), [
    (STORY.encode(), STORY),
    (b"\xef\xbb\xbf" + STORY.encode(), STORY),  # the BOM is dropped
    (STORY.encode("utf-16"), STORY),  # little-endian, BOM first
    (b"\xff\xfe" + STORY.encode("utf-16-le"), STORY),
    (b"\xfe\xff" + STORY.encode("utf-16-be"), STORY),
    (b"\xfe\xff" + RUSSIAN.encode("utf-16-be"), RUSSIAN),
    (b"", ""),
    (b"Line one\r\n\tLine two\n", "Line one\r\n\tLine two\n"),
], ids=["utf8", "utf8-bom", "utf16", "utf16-le-bom", "utf16-be-bom", "utf16-be-cyrillic",
        "empty", "line-ends"])
def test_unicode_text(data: bytes, text: str) -> None:
    assert decode_text(data) == text


@pytest.mark.parametrize("text", [
    QUOTED,
    "\u201cWe heard two explosions,\u201d said a café owner in Zürich.",
    "\u2018Nobody survived,\u2019 he said \u2014 4 killed in Liège.",
    STORY,
])
def test_windows_1252_text_with_curly_quotes_and_dashes(text: str) -> None:
    assert decode_text(text.encode("cp1252")) == text


def test_latin1_text() -> None:
    data = "Firefighters in Genève said 3 people died, among them a café owner.".encode(
        "latin-1")
    text = decode_text(data)
    assert "Genève" in text and "café" in text


def test_a_declared_charset_is_used_where_utf8_fails() -> None:
    data = RUSSIAN.encode("koi8-r")
    assert decode_text(data, "koi8-r") == RUSSIAN
    assert decode_text(RUSSIAN.encode("cp1251"), "windows-1251") == RUSSIAN


def test_valid_utf8_wins_over_a_declared_charset() -> None:
    # Pages often declare Latin-1 and are saved as UTF-8: the bytes decide.
    assert decode_text(STORY.encode(), "iso-8859-1") == STORY


def test_an_unknown_declared_charset_is_passed_over() -> None:
    assert decode_text(b"caf\xe9 owner killed in Z\xfcrich", "no-such-charset") == (
        "café owner killed in Zürich")


# --------------------------------------------------------------------------- not text


@pytest.mark.parametrize("data", [
    random.Random(11).randbytes(2048),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08",
    b"Officials said 10 were killed\x00\x00\x00",
    "Three killed".encode("utf-16-le"),  # UTF-16 without a byte-order mark
    bytes(range(1, 9)) * 20 + STORY.encode(),
])
def test_binary_data_is_not_text(data: bytes) -> None:
    error = not_text(data)
    assert error.code == "binary"
    assert str(error) == "binary data, not text"


def test_too_large_is_told_before_anything_else() -> None:
    data = ("Twelve people were killed. " * 100).encode()
    error = not_text(data, max_bytes=1024)
    assert error.code == "too_large"
    assert "MB" in str(error)
    assert decode_text(data, max_bytes=len(data)) == data.decode()


def test_too_large_wins_over_binary() -> None:
    assert not_text(b"\x00" * 2000, max_bytes=1000).code == "too_large"


def test_broken_utf16_is_undecodable() -> None:
    # A byte-order mark, then an odd number of bytes: a lone high surrogate.
    error = not_text(b"\xff\xfeA\x00\x00\xd8")
    assert error.code == "undecodable"


def test_not_text_is_a_value_error() -> None:
    assert isinstance(not_text(b"\x00\x01\x02"), ValueError)


# --------------------------------------------------------------------------- is_binary


@pytest.mark.parametrize(("head", "binary"), [
    (b"", False),
    (STORY.encode(), False),
    (b"\xff\xfe\x00\x00\x00", False),  # a UTF-16 BOM excuses NUL bytes
    (b"a\x00b", True),
    (b"\x1b" * 6 + b"x" * 94, True),  # 6% control characters
    (b"\x1b" * 5 + b"x" * 95, False),  # 5% is still text
    (b"\t\n\x0b\x0c\r" * 20, False),
])
def test_is_binary(head: bytes, binary: bool) -> None:
    assert is_binary(head) is binary


# --------------------------------------------------------------------------- properties

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=300)


@given(TEXT)
def test_any_utf8_text_decodes_to_itself(text: str) -> None:
    # A leading U+FEFF is a byte-order mark, dropped on purpose.
    expected = text.removeprefix("\ufeff")
    assert decode_text(text.encode()) == expected


@given(TEXT.filter(lambda t: t[:1] != "\ufeff"))
def test_any_text_with_a_utf16_bom_decodes_to_itself(text: str) -> None:
    assert decode_text(text.encode("utf-16")) == text
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == text


@settings(deadline=None)  # charset_normalizer takes its time on some byte strings
@given(st.binary(max_size=2048), st.sampled_from([None, "utf-8", "latin-1", "koi8-r", "nope"]))
def test_decode_gives_text_or_not_text(data: bytes, declared: str | None) -> None:
    try:
        text = decode_text(data, declared)
    except NotText as exc:
        assert exc.code in {"binary", "undecodable"}
    else:
        assert isinstance(text, str)
        assert not any(unicodedata.category(ch) == "Cs" for ch in text)


# --------------------------------------------------------------------------- damaged text

LONG = (STORY + " " + QUOTED + " The council declared three days of mourning.").encode()


@pytest.mark.parametrize("text", [
    QUOTED,
    "\u201cWe heard two explosions,\u201d said a café owner in Zürich.",
    STORY,
])
@pytest.mark.parametrize("declared", [None, "windows-1252", "utf-8"])
def test_a_utf8_mark_on_windows_1252_bytes_is_dropped(text: str, declared: str | None) -> None:
    decoded = decode_text(b"\xef\xbb\xbf" + text.encode("cp1252"), declared)
    assert "ï»¿" not in decoded and "\ufeff" not in decoded
    assert decoded == text


@pytest.mark.parametrize("at", [0, 40, len(LONG) // 2, len(LONG) - 1])
def test_a_stray_nul_byte_is_removed(at: int) -> None:
    assert decode_text(LONG[:at] + b"\x00" + LONG[at:]) == LONG.decode()


@pytest.mark.parametrize(("head", "binary"), [
    (LONG[:100] + b"\x00" + LONG[100:], False),  # one NUL in 200 bytes: damage
    (b"\x00" + LONG, False),
    (LONG.replace(b" ", b"\x00"), True),  # NUL between every word
    (random.Random(5).randbytes(8192), True),
    (random.Random(6).randbytes(300), True),
])
def test_a_stray_nul_is_damage_but_nuls_throughout_are_binary(head: bytes, binary: bool) -> None:
    assert is_binary(head) is binary
