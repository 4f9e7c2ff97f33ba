"""Claimant phrases resolved to codes and types from their words and the article."""

from __future__ import annotations

import pytest

from tolltrack.extract.claimants import Known, find_speakers, resolve
from tolltrack.model import Actor, ClaimantType

ARTICLE = ("Ukrainian authorities claimed on Wednesday that the city had been shelled. "
           "The defence ministry said 40 soldiers had died. Kira Rudik, a Ukrainian MP, "
           "said four civilians were hurt. Rudik said the figure would rise.")


@pytest.mark.parametrize(("phrase", "code", "kind"), [
    ("the Syrian Observatory for Human Rights", "SOHR", ClaimantType.NGO),
    ("a Nato source", "NATO", ClaimantType.INTERNATIONAL),
    ("Ukraine", "UKR", ClaimantType.GOVERNMENT),
    ("the Kremlin", "RUS", ClaimantType.GOVERNMENT),
    ("Russia's defence ministry", "RUS", ClaimantType.MILITARY),
    ("Oleksiy Arestovych, a Ukrainian presidential adviser", "UKR", ClaimantType.GOVERNMENT),
])
def test_phrases_that_name_their_claimant(phrase: str, code: str, kind: ClaimantType) -> None:
    actor = resolve(phrase, 0, [], [], phrase, None, None)
    assert (actor.code, actor.type) == (code, kind)


def test_a_bare_body_takes_the_country_of_the_claimant_before_it() -> None:
    speakers = find_speakers(ARTICLE, None)
    assert speakers[0].actor.code == "UKR"
    at = ARTICLE.index("The defence ministry")
    actor = resolve("The defence ministry", at, speakers, [], ARTICLE, None, None)
    assert (actor.code, actor.type) == ("UKR", ClaimantType.MILITARY)


def test_a_bare_name_takes_role_and_country_from_its_introduction() -> None:
    at = ARTICLE.index("Rudik said")
    actor = resolve("Rudik", at, [], [], ARTICLE, None, None)
    assert (actor.code, actor.type) == ("UKR", ClaimantType.OFFICIAL)


def test_local_officials_speak_for_the_place() -> None:
    actor = resolve("the regional governor", 0, [], [], "", "SYR", None)
    assert (actor.code, actor.type) == ("SYR", ClaimantType.OFFICIAL)


def test_a_pronoun_names_the_subject_of_the_sentence_before() -> None:
    text = "Russia's defence ministry did not comment. It said 300 soldiers were killed."
    known = [Known(0, Actor("Kyiv", "UKR", ClaimantType.GOVERNMENT))]
    actor = resolve("It", text.index("It said"), known, [], text, None, None)
    assert actor.code == "RUS"
