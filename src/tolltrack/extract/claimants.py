"""Claimants resolved to codes and types: organisations, roles, names, pronouns, context.

A claimant phrase found in a sentence ("the defence ministry", "he", "Kira
Rudik") is given its country or organisation code and its claimant type from
its own words, from where the article introduces it, or from the article's
context (the nearest claimant before it, the place where it happened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tolltrack.extract import gazetteer
from tolltrack.extract.quotes import LEAD, last_sentence
from tolltrack.extract.words import words
from tolltrack.model import Actor, ClaimantType, Place

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
_BASED = re.compile(r"\b[\w.]+-based\b", re.I)


@dataclass(frozen=True)
class Known:
    """A claimant already resolved earlier in the article, for context."""

    at: int
    actor: Actor


def resolve(text: str, at: int, known: list[Known], bodies: list[Known], article: str,
            place_country: str | None, lexdir: str | None) -> Actor:
    """Give a claimant phrase its code and type.

    Named organisations come first; then a role word gives the type and a
    country word in the phrase gives the code. A pronoun takes the last
    claimant named before it. A bare body ("the defence ministry") takes the
    country of the nearest claimant before it (``known``), or, for local
    officials, the country where the event happened; a bare monitor or agency
    stands for the one of its kind the article names (``bodies``).
    """
    words = text.strip()
    lower = words.lower()
    if lower in _PRONOUNS:
        # "Russia's defence ministry did not comment. It said ...": the pronoun
        # names the subject that opens the sentence before it.
        lead = LEAD.match(last_sentence(article[max(0, at - 400):at]))
        if lead and (gazetteer.organisation(lead.group(), lexdir)
                     or gazetteer.country_of(lead.group(), lexdir)):
            return resolve(lead.group().strip(), at - 1, known, bodies, article,
                           place_country, lexdir)
        before = [k for k in known if k.at < at and k.actor.type is not ClaimantType.OUTLET]
        return before[-1].actor if before else Actor(words, None, None)
    clean = _BASED.sub("", words)
    org = gazetteer.organisation(clean, lexdir)
    country = gazetteer.country_of(clean, lexdir)
    role = gazetteer.role_type(clean, lexdir)
    if org is not None and (role is None or org[1] is not ClaimantType.GOVERNMENT
                            or country is None):
        code, kind = org
        if kind is ClaimantType.GOVERNMENT and role is not None and role is not kind:
            kind = role
        return Actor(words, code, kind)
    if role is None and country is not None and _only_country(clean, lexdir):
        role = ClaimantType.GOVERNMENT  # "Ukraine", "Moscow", "the Kremlin"
    if role is None:
        role, introduced = _introduction(words, article, lexdir)
        country = country or introduced
    if role is None:
        role = ClaimantType.GOVERNMENT if country else ClaimantType.OFFICIAL
    if country is None:
        country = _context_code(role, at, known, bodies, place_country, lower, lexdir)
    return Actor(words, country, role)


def _only_country(text: str, lexdir: str | None) -> bool:
    rest = text
    for hit in reversed(gazetteer.country_hits(text, lexdir)):
        rest = rest[:hit.start] + rest[hit.end:]
    return not re.sub(r"(?i)\b(the|'s|’s)\b|\W", "", rest)


def _introduction(words: str, article: str, lexdir: str | None
                  ) -> tuple[ClaimantType | None, str | None]:
    """A bare name's role and country from where the article introduces it:
    the title before the name ("US Assistant Secretary of State ... Victoria
    Nuland") or the apposition after it ("Kira Rudik, a Ukrainian MP")."""
    names = [t for t in re.findall(r"[A-Z][\w’'-]+", words) if len(t) > 2]
    if not names:
        return None, None
    for m in re.finditer(re.escape(names[-1]), article):
        before = article[max(0, m.start() - 80):m.start()]
        before = re.split(r"[.,;:!?\"“”]\s|\n", before)[-1]
        after = article[m.end():m.end() + 100]
        # Only an apposition ("Kira Rudik, a Ukrainian MP, said") describes the name.
        after = re.split(r"[.;!?]\s|,\s(?:said|says|told)\b", after)[0] \
            if after.startswith(", ") else ""
        for window in (before, after):
            kind = gazetteer.role_type(window, lexdir)
            if kind is not None:
                return kind, gazetteer.country_of(window, lexdir)
    return None, None


@lru_cache(maxsize=4096)
def _places_in_name(name: str, lexdir: str | None) -> list[tuple[int, int, Place]]:
    """Places named inside a claimant's own words; names recur, so they are cached."""
    return gazetteer.find_places(name, lexdir)


def _context_code(role: ClaimantType, at: int, known: list[Known], bodies: list[Known],
                  place_country: str | None, lower: str, lexdir: str | None) -> str | None:
    local = words(lexdir).local_roles.search(lower) is not None
    if local or role in (ClaimantType.OFFICIAL, ClaimantType.MEDICAL):
        named = _places_in_name(lower.title(), lexdir)
        if named:
            return named[0][2].country  # "the Donetsk regional government"
        if place_country:
            # Unnamed officials and rescuers speak for the place where it happened.
            return place_country
    same = [k.actor.code for k in known if k.at < at and k.actor.code
            and k.actor.type is role]
    if same:
        return same[-1]
    if role in (ClaimantType.NGO, ClaimantType.INTERNATIONAL):
        # "a monitor said" stands for the monitor the article names elsewhere.
        named = [k.actor.code for k in [*known, *bodies] if k.actor.code and k.actor.type is role]
        if named:
            return named[0]
        return None
    coded = [k.actor.code for k in known if k.at < at and k.actor.code
             and k.actor.type is not ClaimantType.OUTLET and len(k.actor.code) == 3]
    if coded:
        return coded[-1]
    return place_country


_SPEAKER_VERB = re.compile(
    r"\s(?:has |have |had )?(?:said|says|claimed|claims|told|tweeted|announced|stated|"
    r"reported|added|estimated|acknowledged|admitted|confirmed|wrote|posted)\b")
_CLAUSE_BREAK = re.compile(r"[.,;:!?\"“”]")


def find_speakers(text: str, lexdir: str | None) -> list[Known]:
    """Who speaks where in the article ("Ukrainian authorities claimed ..."), by a cheap
    scan of every sentence: context for bare bodies and pronouns named later."""
    out = []
    for m in _SPEAKER_VERB.finditer(text):
        window = text[max(0, m.start() - 80):m.start()]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        who = window[breaks[-1].end():] if breaks else window
        who = who.strip()
        if not who or len(who.split()) > 10 or who.lower() in _PRONOUNS:
            continue
        at = m.start() - len(who)
        org = gazetteer.organisation(who, lexdir)
        if org is not None:
            out.append(Known(at, Actor(who, org[0], org[1])))
        elif (code := gazetteer.country_of(who, lexdir)) is not None:
            kind = gazetteer.role_type(who, lexdir) or ClaimantType.GOVERNMENT
            out.append(Known(at, Actor(who, code, kind)))
    return out
