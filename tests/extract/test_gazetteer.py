"""Countries, organisations, claimant roles and places from the lexicon and GeoNames."""

from __future__ import annotations

import pytest

from tolltrack.extract.gazetteer import country_of, find_places, organisation, role_type
from tolltrack.model import ClaimantType


@pytest.mark.parametrize(("text", "code"), [
    ("Russian troops", "RUS"), ("the Kremlin", "RUS"), ("Kyiv", "UKR"), ("two Britons", "GBR"),
    ("US-led coalition", "USA"), ("Syrians", "SYR"), ("the regional governor", None),
    ("us and them", None), ("GUATEMALAN STUDENTS", "GTM"),
])
def test_country_of(text: str, code: str | None) -> None:
    assert country_of(text) == code


@pytest.mark.parametrize(("text", "expected"), [
    ("The Britain-based Syrian Observatory for Human Rights", ("SOHR", ClaimantType.NGO)),
    ("a Nato source", ("NATO", ClaimantType.INTERNATIONAL)),
    ("The UNHCR", ("UN", ClaimantType.INTERNATIONAL)),
    ("Western officials", ("WESTERN", ClaimantType.OFFICIAL)),
    ("who said", None),
])
def test_organisation(text: str, expected: tuple[str, ClaimantType] | None) -> None:
    assert organisation(text) == expected


@pytest.mark.parametrize(("text", "kind"), [
    ("The defence ministry", ClaimantType.MILITARY),
    ("the health ministry", ClaimantType.GOVERNMENT),
    ("A source at Aleppo police command", ClaimantType.OFFICIAL),
    ("Kharkiv's regional military administration", ClaimantType.OFFICIAL),
    ("Oleksiy Arestovych, a Ukrainian presidential adviser", ClaimantType.GOVERNMENT),
    ("rescue workers", ClaimantType.MEDICAL),
    ("local residents", ClaimantType.WITNESS),
    ("Anadolu news agency", ClaimantType.MEDIA),
    ("Volodymyr", None),
])
def test_role_type_follows_the_head(text: str, kind: ClaimantType | None) -> None:
    assert role_type(text) == kind


def test_places_need_a_locative_for_towns() -> None:
    text = "Shelling hit the town of Bucha and killed two in Kharkiv. Kirby said Lincoln was calm."
    found = [(p.text, p.country) for _, _, p in find_places(text)]
    assert ("Bucha", "UKR") in found and ("Kharkiv", "UKR") in found
    assert not any(name in ("Kirby", "Lincoln") for name, _ in found)
    place = next(p for _, _, p in find_places(text) if p.text == "Kharkiv")
    assert place.geonames_id and place.lat is not None
