"""Which language an article is written in: detected, or taken from the record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolltrack.ingest import read_sources
from tolltrack.ingest.language import detect_language, normalise_language, not_extractable
from tolltrack.model import Article
from tolltrack.options import Fields, ReadOptions

ENGLISH = ("Russian shelling killed five people and wounded 14 in the centre of Kharkiv on "
           "Monday, regional officials said.")
GERMAN = ("Bei einem russischen Raketenangriff auf die Stadt Charkiw sind nach Angaben der "
          "Behörden mindestens neun Menschen getötet worden.")
RUSSIAN = ("В результате ракетного удара по Харькову погибли по меньшей мере девять человек, "
           "сообщили местные власти.")
UKRAINIAN = ("Внаслідок ракетного удару по Харкову загинули щонайменше дев’ять людей, "
             "повідомила обласна влада.")
FRENCH = ("Au moins neuf personnes ont été tuées dans une frappe de missile russe sur un "
          "immeuble de Kharkiv, selon le gouverneur.")


def read(path: Path, options: ReadOptions | None = None) -> list[Article]:
    items = list(read_sources([str(path)], options))
    assert all(isinstance(i, Article) for i in items), items
    return [i for i in items if isinstance(i, Article)]


@pytest.mark.parametrize(("text", "code"), [
    (ENGLISH, "en"),
    (GERMAN, "de"),
    (RUSSIAN, "ru"),
    (UKRAINIAN, "uk"),
    (FRENCH, "fr"),
])
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", [
    "",
    "   \n",
    "Kyiv – 3 killed",
    "12 345 678 / 2024-03-12",
    "Hello world",
])
def test_text_too_short_to_tell_has_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_only_the_start_of_a_long_text_is_read() -> None:
    # A German article with an English block far past the sample is still German.
    assert detect_language((GERMAN + " ") * 40 + (ENGLISH + " ") * 200) == "de"


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (RUSSIAN, "ru"), (ENGLISH, "en")])
def test_read_sources_keeps_an_article_in_any_language(tmp_path: Path, text: str,
                                                       code: str) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text + "\n", encoding="utf-8")
    [article] = read(path)
    assert article.text == text + "\n"
    assert article.language == code


def test_a_short_text_is_read_with_no_language(tmp_path: Path) -> None:
    path = tmp_path / "flash.txt"
    path.write_text("Kyiv – 3 killed\n", encoding="utf-8")
    [article] = read(path)
    assert article.language is None


def test_the_record_language_wins_over_detection(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "tagged", "text": GERMAN, "language": "lb"},
        {"id": "lang", "text": RUSSIAN, "lang": "be"},
        {"id": "untagged", "text": UKRAINIAN},
        {"id": "blank", "text": FRENCH, "language": ""},
    ]) + "\n", encoding="utf-8")
    assert [(a.id, a.language) for a in read(path)] == [
        ("tagged", "lb"), ("lang", "be"), ("untagged", "uk"), ("blank", "fr")]


def test_a_custom_language_field(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(f'id,text,locale\nc1,"{ENGLISH}",en-GB\n', encoding="utf-8")
    [article] = read(path, ReadOptions(fields=Fields(language=("locale",))))
    assert article.language == "en"  # "en-GB" normalised


def test_a_german_page_is_read_as_german(tmp_path: Path) -> None:
    page = tmp_path / "charkiw.html"
    paragraphs = [
        GERMAN,
        "Unter den Trümmern des neunstöckigen Wohnhauses wurden am Freitagmorgen noch "
        "mehrere Bewohner vermutet, teilte der Gouverneur der Region mit.",
        "Die Rettungskräfte konnten zwei Kinder lebend aus dem eingestürzten Treppenhaus "
        "bergen, sagte ein Sprecher des Zivilschutzes.",
    ]
    page.write_text(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        "<title>Raketenangriff auf Charkiw</title></head><body>"
        '<nav><a href="/">Startseite</a> | <a href="/politik">Politik</a></nav><article>'
        "<h1>Raketenangriff auf Charkiw</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article><footer>Impressum | Datenschutz</footer></body></html>",
        encoding="utf-8")
    [article] = read(page)
    assert article.language == "de"
    assert "mindestens neun Menschen getötet" in article.text


# --------------------------------------------------------------------------- record languages


@pytest.mark.parametrize(("value", "code"), [
    ("en", "en"),
    ("en-US", "en"),
    ("en_GB", "en"),
    ("EN", "en"),
    ("En-Au", "en"),
    ("English", "en"),
    ("ENGLISH", "en"),
    ("eng", "en"),
    ("  en-us \n", "en"),
    ("de-DE", "de"),
    ("uk", "uk"),
    ("pt_BR", "pt"),
    ("", None),
    ("   ", None),
])
def test_normalise_language(value: str, code: str | None) -> None:
    assert normalise_language(value) == code


def test_a_record_language_is_read_as_a_bare_code(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "us", "text": ENGLISH, "language": "en-US"},
        {"id": "upper", "text": ENGLISH.replace("five", "six"), "language": "EN"},
        {"id": "name", "text": ENGLISH.replace("five", "seven"), "lang": "English"},
        {"id": "de", "text": GERMAN, "language": "de-AT"},
    ]) + "\n", encoding="utf-8")
    assert [(a.id, a.language) for a in read(path)] == [
        ("us", "en"), ("upper", "en"), ("name", "en"), ("de", "de")]


@pytest.mark.parametrize(("language", "skipped"), [
    ("en", False), (None, False), ("de", True), ("uk", True)])
def test_not_extractable_rejects_only_known_other_languages(language: str | None,
                                                            skipped: bool) -> None:
    article = Article(id="a1", text=ENGLISH, language=language, source="dump.jsonl")
    reject = not_extractable(article)
    assert (reject is not None) == skipped
    if reject is not None:
        assert (reject.source, reject.reason) == ("dump.jsonl", "not_english")
        assert f"'{language}'" in reject.message
