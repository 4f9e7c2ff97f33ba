"""The lexicon's word lists as lookup tables for the extractor, built once per folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tolltrack import lexicon
from tolltrack.model import Outcome, Status, VictimType


@dataclass(frozen=True)
class Grammar:
    """Small word classes (lemmas) that the extraction rules reason with."""

    level_verbs: frozenset[str]
    life_verbs: frozenset[str]
    captive_nouns: frozenset[str]
    state_nouns: frozenset[str]
    of_nouns: frozenset[str]
    not_one_person: frozenset[str]
    armed: frozenset[str]
    armed_modifiers: frozenset[str]
    motion_verbs: frozenset[str]
    kin: frozenset[str]
    attackers: frozenset[str]
    combat: re.Pattern[str]
    additive: re.Pattern[str]


def _grammar(data: dict) -> Grammar:  # type: ignore[type-arg]
    sets = {name: frozenset(data[name]["words"]) for name in (
        "level_verbs", "life_verbs", "captive_nouns", "state_nouns", "of_nouns",
        "not_one_person", "armed", "armed_modifiers", "motion_verbs", "kin", "attackers")}
    patterns = {name: re.compile("|".join(f"(?:{p})" for p in data[name]["patterns"]), re.I)
                for name in ("combat", "additive")}
    return Grammar(**sets, **patterns)


@dataclass(frozen=True)
class Words:
    """Outcome, victim, reporting and context words, ready for lookups."""

    verb_outcome: dict[str, Outcome]
    noun_outcome: dict[str, Outcome]
    adj_outcome: dict[str, Outcome]
    phrases: tuple[tuple[re.Pattern[str], Outcome], ...]
    screen: re.Pattern[str]
    quantity: re.Pattern[str]
    victim_type: dict[str, VictimType]
    not_people: frozenset[str]
    reporting: dict[str, Status]
    according_to: tuple[str, ...]
    hedges: re.Pattern[str]
    verification: re.Pattern[str]
    cumulative: re.Pattern[str]
    incident: re.Pattern[str]
    hypothetical: frozenset[str]
    cumulative_min: int
    local_roles: re.Pattern[str]
    grammar: Grammar
    lexdir: str | None


def _any_of(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)", re.I)


def _quantity(lexdir: str | None, victim_type: dict[str, VictimType]) -> re.Pattern[str]:
    """Anything that can state how many: a digit, a number word, a vague quantity,
    or one person ('a man', 'an elderly woman')."""
    numbers = lexicon.load("numbers", lexdir)
    vocab = numbers["words"]
    terms = [*vocab["units"], *vocab["tens"], *vocab["scales"], "hundred", "dozen",
             *numbers["vague"]["table"], *numbers["vague"]["adjectives"]]
    people = [p for p in victim_type if p.isalpha()]
    alternation = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    persons = "|".join(re.escape(p) for p in sorted(set(people), key=len, reverse=True))
    return re.compile(rf"\d|\b(?:{alternation})\b|\b(?:a|an)\s+(?:[\w-]+\s+){{0,2}}"
                      rf"(?:{persons})\b", re.I)


@cache
def words(lexdir: str | None = None) -> Words:
    """Build the lookup tables from the lexicon folder (packaged when None).

    Raises LexiconError when a file lacks an entry the tables need.
    """
    with lexicon.reading("outcomes", "victims", "reporting", "context", "actors", "grammar"):
        return _build(lexdir)


def _build(lexdir: str | None) -> Words:
    outcomes = lexicon.load("outcomes", lexdir)
    verbs: dict[str, Outcome] = {}
    nouns: dict[str, Outcome] = {}
    adjs: dict[str, Outcome] = {}
    phrases: dict[Outcome, list[str]] = {}
    for name in Outcome:
        group = outcomes[str(name)]
        verbs.update(dict.fromkeys(group["verbs"], name))
        nouns.update(dict.fromkeys(group["nouns"], name))
        adjs.update(dict.fromkeys(group["adjectives"], name))
        if group["phrases"]:
            phrases[name] = group["phrases"]
    victims = lexicon.load("victims", lexdir)
    victim_type: dict[str, VictimType] = {}
    for kind in ("unknown", "civilian", "military"):
        victim_type.update(dict.fromkeys(victims[kind], VictimType(kind)))
    reporting = lexicon.load("reporting", lexdir)
    context = lexicon.load("context", lexdir)
    actors = lexicon.load("actors", lexdir)
    return Words(
        verb_outcome=verbs,
        noun_outcome=nouns,
        adj_outcome=adjs,
        phrases=tuple((_any_of(words), outcome) for outcome, words in phrases.items()),
        screen=re.compile(outcomes["screen"], re.I),
        quantity=_quantity(lexdir, victim_type),
        victim_type=victim_type,
        not_people=frozenset(victims["not_people"]),
        reporting={k: Status(v) for k, v in reporting["verbs"].items()},
        according_to=tuple(reporting["according_to"]),
        hedges=_any_of(context["hedges"]),
        verification=_any_of(context["verification_hedges"]),
        cumulative=_any_of(context["cumulative"]),
        incident=_any_of(context["incident"]),
        hypothetical=frozenset(context["hypothetical"]),
        cumulative_min=int(context["cumulative_min_figure"]),
        local_roles=_any_of(actors["local_roles"]),
        grammar=_grammar(lexicon.load("grammar", lexdir)),
        lexdir=lexdir,
    )
