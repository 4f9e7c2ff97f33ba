"""Numbers and quantity phrases in news text: parse them, find them, tell counts from non-counts.

The words live in ``lexicon/numbers.json``; this module turns them into regexes once
and does the arithmetic. Matching is ASCII case-insensitive: MUC articles are ALL
CAPS, and Unicode case folding would let odd letters (the Kelvin sign, long s) pass
for "k" and "s".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from tolltrack.lexicon import load, reading
from tolltrack.model import Figure, Qualifier

__all__ = ["FigureSpan", "find_figures", "parse_figure", "parse_number"]

_FLAGS = re.IGNORECASE | re.ASCII
_MAX_DIGITS = 15  # longer digit runs are ids or phone numbers, and int() of huge strings is slow
# More people than have ever lived at once: such a figure counts something else.
_MAX_PEOPLE = 10**10
_GROUP_SPACE = "[ \u00a0\u2009\u202f]"  # "1 500": plain, no-break and thin spaces


@dataclass(frozen=True, slots=True)
class FigureSpan:
    """A number or quantity phrase in a text.

    ``text[start:end] == figure.text``; the span includes qualifier words. ``reject``
    is None for a possible count of people, else why not: "year", "date", "age",
    "ordinal", "money", "percent", "unit", "time", "vote", "fraction", "designation".
    """

    start: int
    end: int
    figure: Figure
    reject: str | None = None


@dataclass(slots=True)
class _Atom:
    """One number or vague quantity as matched, before qualifiers and ranges."""

    start: int
    end: int
    kind: str  # "num", "ordinal" or "vague"
    value: Decimal = Decimal(0)
    scale: int = 1  # the trailing scale word: 1000 for "117 thousand", so "98-117 thousand" works
    plain: bool = False  # bare digits: only these can be years or days of the month
    tail: str = ""  # letters glued to digits: "th", "s", "km", "pm"
    low: int | None = None
    high: int | None = None


class _Range(NamedTuple):
    start: int
    low: int
    high: int
    reject: str | None


def _alt(phrases: Iterable[str], glued: bool = False) -> str:
    """A regex alternation of phrases: longest first, words on word boundaries (``glued``:
    none before, for "1.5million"), any spacing between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    words = not glued and all(phrase[0].isalnum() for phrase in ordered)
    parts = []
    for phrase in ordered:
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        if phrase[0].isalnum() and not words and not glued:
            body = r"\b" + body
        if phrase[-1].isalnum():
            body += r"\b"
        parts.append(body)
    # one \b before the group rather than in each branch: fails fast inside words
    return (r"\b" if words else "") + "(?:" + "|".join(parts) + ")"


def _norm(text: str) -> str:
    return " ".join(text.lower().strip("- ").split())


class _Patterns:
    """Everything compiled from the lexicon, built once by :func:`_patterns`."""

    def __init__(self, lex: dict[str, Any]) -> None:
        words, quals, vague, ctx = lex["words"], lex["qualifiers"], lex["vague"], lex["not_people"]
        self.small: dict[str, int] = {**words["units"], **words["tens"]}
        self.hundred: dict[str, int] = words["hundred"]
        self.scales: dict[str, int] = words["scales"]
        self.digit_scales: dict[str, int] = {**self.hundred, **self.scales,
                                             **words["abbreviations"]}
        self.ordinals: dict[str, int] = words["ordinals"]
        self.table: dict[str, list[int | None]] = vague["table"]
        self.adjectives: set[str] = set(vague["adjectives"])
        self.prefix = {_norm(p): Qualifier(q) for q, ps in quals["prefix"].items() for p in ps}
        self.suffix = {_norm(p): Qualifier(q) for q, ps in quals["suffix"].items() for p in ps}
        self.ordinal_tails = set(words["ordinal_suffixes"])
        self.time_tails = {t.replace(".", "") for t in ctx["time_after"]}
        self.tails = self.ordinal_tails | self.time_tails | set(ctx["units"]) | {"s"}

        units = _alt(words["units"])
        ones = _alt(k for k, v in words["units"].items() if 0 < v < 10)
        small = rf"(?:{_alt(words['tens'])}(?:[\s-]+{ones})?|{units})"
        big = _alt(self.scales)
        big_or_hundred = _alt([*self.scales, *self.hundred])
        # "and" ends a number ("one hundred and five") but never joins two numbers that each
        # have a scale word: that "and" is a range ("between one hundred and two hundred")
        last = rf"(?:,?\s+and\s+|\s+){small}(?!\s+{big_or_hundred})"
        inner = rf"(?:,?\s+and\s+|\s+){small}(?!\s+hundred\b)"  # but "hundred and five million"
        group = rf"(?:(?:{small}|\ba)\s+hundred\b(?:{inner})?|{small})"
        fraction = r"\bhalf\s+a|\b(?:a|one)\s+quarter\s+of\s+a"  # "a quarter of a million"
        word = (rf"(?:(?:{group}|\ba|{fraction})\s+{big}(?:,?\s+{group}\s+{big})*(?:{last}|"
                rf",?\s+{group}(?!\s+{big_or_hundred}))?|{group})\b")
        abbr = _alt(words["abbreviations"], glued=True)  # "3m", "2.5bn"
        digit_scale = _alt([*self.scales, *self.hundred], glued=True)  # "1.5million"
        digits = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?!\d)|\d+)"
                  rf"(?:\.\d+)?")
        digit = (rf"(?<![\w.])(?<!\d[,:/])(?P<digits>{digits})"
                 rf"(?:\s*(?P<dscale>{digit_scale})|(?P<abbr>{abbr}))?"
                 rf"(?P<tail>[a-z]+)?(?!\w)")
        ord_ones = _alt(k for k, v in self.ordinals.items() if v < 10)
        ordinal = rf"(?:{_alt(words['tens'])}[\s-]+{ord_ones}|{_alt(self.ordinals)})"

        scale_words = _alt([*self.hundred, *self.scales])
        mult = rf"(?:{_alt(vague['multipliers'])}(?:\s+of)?\s+{scale_words}s?\b)"
        plural = rf"(?:(?:{_alt(vague['intensifiers'])}\s+)?{_alt(vague['plurals'])})"
        phrases = []
        for phrase in sorted(self.table, key=len, reverse=True):
            rule = vague["context"].get(phrase, {})
            before = "".join(rf"(?<!\b{re.escape(w)}\s)" for w in rule.get("not_preceded_by", []))
            after = ""
            if "followed_by" in rule:
                after += rf"(?=\s+{_alt(rule['followed_by'])})"
            if "not_followed_by" in rule:
                after += rf"(?!\s+{_alt(rule['not_followed_by'])})"
            phrases.append(before + _alt([phrase]) + after)
        adj = (rf"{_alt(vague['adjectives'])}(?=\s+(?:[a-z-]+\s+)?"
               rf"{_alt(vague['adjective_nouns'])})")
        self.atom = re.compile(
            rf"(?P<iso>\b\d{{4}}-\d\d?-\d\d?\b)|{digit}|(?P<mult>{mult})|"
            rf"(?P<vague>{plural}|{'|'.join(phrases)}|{adj})|(?P<ord>{ordinal})|(?P<word>{word})",
            _FLAGS)
        # every atom starts with a digit or one of these words; trying the big pattern only
        # there is several times faster than finditer over every position
        self.triggers = {phrase.split()[0].lower() for phrase in (
            *self.small, *self.ordinals, *self.table, *vague["multipliers"],
            *vague["intensifiers"], *vague["plurals"], *self.adjectives, "a", "half")}
        self.tokens = re.compile(r"[a-z]+|\d+", _FLAGS)
        self.number = re.compile(rf"(?P<digits>{digits})(?:\s*(?P<dscale>{digit_scale})|"
                                 rf"(?P<abbr>{abbr}))?|(?P<word>{word})",
                                 _FLAGS)

        word_quals = [p for ps in quals["prefix"].values() for p in ps if p[0].isalnum()]
        sym_quals = [p for ps in quals["prefix"].values() for p in ps if not p[0].isalnum()]
        self.qual_before = re.compile(
            rf"(?:(?P<w>{_alt(word_quals)})\s+|(?P<s>{_alt(sym_quals)})\s*)$", _FLAGS)
        word_sufs = [p for ps in quals["suffix"].values() for p in ps if p[0].isalnum()]
        sym_sufs = [p for ps in quals["suffix"].values() for p in ps if not p[0].isalnum()]
        self.suffix_after = re.compile(
            rf"(?:\s*(?P<s>{_alt(sym_sufs)})|[\s-]+(?P<w>{_alt(word_sufs)}))(?![\s-]*\d)", _FLAGS)
        rng = lex["ranges"]
        self.gap = re.compile(
            rf"\s*(?:{'|'.join(re.escape(c) for c in rng['connectors'] if not c.isalpha())})\s*"
            rf"|\s+(?P<word>{_alt(c for c in rng['connectors'] if c.isalpha())})\s+"
            rf"|\s+(?P<and>{re.escape(rng['between_connector'])})\s+", _FLAGS)
        self.between_before = re.compile(rf"\b{rng['between']}\s+$", _FLAGS)
        self.from_before = re.compile(rf"\b{rng['not_after']}\s+$", _FLAGS)
        self.no_before = re.compile(r"\bno[\s-]+$", _FLAGS)

        may = rf"(?-i:May|MAY)(?!\s+{_alt(ctx['may_not_before'])})"
        months = rf"(?:{_alt(ctx['months'])}|\b{may}\b)"
        self.month_before = re.compile(rf"{months}\.?\s+(?:the\s+)?$", _FLAGS)
        self.month_after = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{months}", _FLAGS)
        self.slash_after = re.compile(r"/\d", _FLAGS)
        self.age_before = re.compile(rf"{_alt(ctx['age_before'])}\s+$", _FLAGS)
        self.age_after = re.compile(rf"[\s-]*{_alt(ctx['age_after_units'])}[\s-]*old\b", _FLAGS)
        self.time_after = re.compile(rf"(?::\d|\s*{_alt(ctx['time_after'])}(?!\w))", _FLAGS)
        codes = [c for c in ctx["currency_codes"] if c[-1].isalnum()]
        self.money_before = re.compile(
            rf"(?:{_alt(ctx['currency_symbols'])}|{_alt(codes)})\s*$", _FLAGS)
        self.money_after = re.compile(rf"[\s-]*(?:of\s+)?{_alt(ctx['currency_words'])}", _FLAGS)
        self.percent_after = re.compile(rf"\s*{_alt(ctx['percent'])}", _FLAGS)
        self.fraction_after = re.compile(rf"[\s-]*{_alt(ctx['fractions'])}", _FLAGS)
        self.unit_after = re.compile(rf"[\s-]*(?:of\s+)?{_alt(ctx['units'])}", _FLAGS)
        self.vote_before = re.compile(rf"{_alt(ctx['vote_before'])}(?:\s+\w+){{0,2}}\s+$", _FLAGS)
        self.vote_after = re.compile(rf"\s*{_alt(ctx['vote_after'])}", _FLAGS)
        self.designation_before = re.compile(r"[a-z]-$", _FLAGS)


@cache
def _patterns(lexdir: str | None = None) -> _Patterns:
    with reading("numbers"):
        return _Patterns(load("numbers", lexdir))


def _integral(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _words_value(text: str, p: _Patterns) -> tuple[Decimal, int] | None:
    """The value of a number in words and its trailing scale (1000 for "ten thousand")."""
    total, current, scale = Decimal(0), Decimal(0), 1
    for token in re.split(r"[\s,-]+", text.lower()):
        if token in ("", "and", "a"):
            continue
        if token == "half":
            current = Decimal("0.5")
        elif token == "quarter":  # "a quarter of a million"
            current = Decimal("0.25")
        elif token == "of" and current:
            continue
        elif token in p.small:
            current, scale = current + p.small[token], 1
        elif token in p.hundred:
            current, scale = (current or 1) * p.hundred[token], p.hundred[token]
        elif token in p.scales:
            scale = p.scales[token]
            total, current = total + (current or 1) * scale, Decimal(0)
        else:
            return None
    return total + current, scale


def _number_value(m: re.Match[str], p: _Patterns) -> tuple[Decimal, int] | None:
    """Value and trailing scale of a match with ``digits``/``dscale``/``abbr`` or ``word``."""
    if m["digits"] is None:
        parsed = _words_value(m["word"], p)
        return parsed if parsed is None or parsed[0] <= _MAX_PEOPLE else None
    raw = re.sub(r"[^\d.]", "", m["digits"])
    if len(raw.partition(".")[0]) > _MAX_DIGITS:
        return None
    scale_word = m["dscale"] or m["abbr"]
    scale = p.digit_scales[scale_word.lower()] if scale_word else 1
    value = Decimal(raw) * scale
    return (value, scale) if value <= _MAX_PEOPLE else None


def parse_number(text: str, lexdir: str | None = None) -> int | None:
    """Parse one number in digits or words ("1,500", "1.5 million", "5k", "one hundred and
    five", "a dozen", "SEVEN") to an int; None when the text is not exactly one whole number."""
    p = _patterns(lexdir)
    m = p.number.fullmatch(text.strip())
    parsed = _number_value(m, p) if m else None
    if parsed is None or not _integral(parsed[0]):
        return None
    return int(parsed[0])


def _atoms(text: str, p: _Patterns) -> list[_Atom]:
    atoms: list[_Atom] = []
    last, triggers, match = 0, p.triggers, p.atom.match  # locals: this loop sees every word
    for token in p.tokens.finditer(text):
        word, pos = token[0], token.start()
        if pos < last or not (word[0] <= "9" or word.lower() in triggers):  # <= "9": digits
            continue
        if (m := match(text, pos)) is None:
            continue
        start, end = m.span()
        last = end
        if m["iso"]:
            continue  # 2022-02-24: a date, and its parts are not worth reporting
        if m["digits"] is not None or m["word"] is not None:
            tail = (m["tail"] or "").lower() if m["digits"] is not None else ""
            if tail and tail not in p.tails:
                continue  # "4G", "3D": a name, not a number
            parsed = _number_value(m, p)
            if parsed is None:
                continue  # a fraction ("1.5") stays: it may be the low end of "1.5-2 million"
            if m[0].lower() == "one" and p.no_before.search(text, max(0, start - 4), start):
                continue  # "no one"
            plain = m["digits"] is not None and m["digits"].isdigit() and m["digits"] == m[0]
            atoms.append(_Atom(start, end, "num", parsed[0], parsed[1], plain, tail))
        elif m["ord"]:
            value = sum(p.ordinals.get(w, p.small.get(w, 0))
                        for w in re.split(r"[\s-]+", m["ord"].lower()))
            atoms.append(_Atom(start, end, "ordinal", Decimal(value)))
        elif m["mult"]:
            *base, scale_word = _norm(m["mult"]).split()
            base = [w for w in base if w != "of"]
            scale = {**p.hundred, **p.scales}[scale_word.rstrip("s")]
            low, high = p.table[" ".join(base)]
            atoms.append(_Atom(start, end, "vague",  # several (3-9) hundred: 300..999
                               low=None if low is None else low * scale,
                               high=None if high is None else (high + 1) * scale - 1))
        else:
            key = _norm(m["vague"])
            if key not in p.table and key.split()[0] not in p.adjectives:
                key = key.split(" ", 1)[1]  # "many thousands" counts as "thousands"
            low, high = p.table.get(key, [None, None])
            atoms.append(_Atom(start, end, "vague", low=low, high=high))
    return atoms


def _is_year(atom: _Atom) -> bool:
    return atom.plain and atom.end - atom.start == 4 and 1900 <= atom.value <= 2099


def _vote(text: str, start: int, end: int, p: _Patterns) -> bool:
    return bool(p.vote_before.search(text, max(0, start - 30), start)
                or p.vote_after.match(text, end))


def _range(text: str, a: _Atom, b: _Atom, floor: int, p: _Patterns) -> _Range | None:
    """Two numbers that form one range ("7,000-15,000", "between 7,000 and 15,000")."""
    if a.kind != "num" or b.kind != "num" or a.tail or b.tail:
        return None
    gap = p.gap.fullmatch(text, a.end, b.start)
    if gap is None:
        return None
    start = a.start
    if gap["and"]:
        between = p.between_before.search(text, max(floor, start - 12), start)
        if between is None:
            return None
        start = between.start()
    elif (gap["word"] or "").lower() == "to" and p.from_before.search(
            text, max(floor, start - 8), start):
        return None  # "rose from 20 to 30": two figures, the last is the news
    low, high = a.value, b.value
    if a.scale == 1 and b.scale > 1 and low < high / b.scale:
        low *= b.scale  # "98-117 thousand": the scale word covers both ends
    if not (_integral(low) and _integral(high)):
        return None
    if _vote(text, start, b.end, p):
        return _Range(start, int(low), int(high), "vote")
    if _is_year(a) and b.plain and (_is_year(b) or b.end - b.start == 2):
        return _Range(start, int(low), int(high), "year")  # 2014-2015, 1941-45
    if low > high:
        return None  # "3-1": a score or two numbers, not a range
    return _Range(start, int(low), int(high), None)


def _reject(text: str, start: int, end: int, a: _Atom, qualified: bool,
            p: _Patterns) -> str | None:
    """Why the figure at text[start:end] (qualifiers excluded) does not count people."""
    day = (a.plain or a.kind == "ordinal" or a.tail in p.ordinal_tails) and 1 <= a.value <= 31
    if day and (p.month_before.search(text, max(0, start - 14), start)
                or p.month_after.match(text, end)):
        return "date"
    if a.tail in p.ordinal_tails or a.kind == "ordinal":
        return "ordinal"
    if a.tail == "s":
        return "age" if a.end - a.start == 3 else "year"  # in their 60s; the 1990s
    if a.tail in p.time_tails:
        return "time"
    if a.tail:
        return "unit"
    checks: tuple[tuple[str, Callable[[], object]], ...] = (  # lazy: most figures pass all
        ("designation", lambda: p.designation_before.search(text, max(0, start - 2), start)),
        ("time", lambda: p.time_after.match(text, end)),
        ("date", lambda: p.slash_after.match(text, end)),
        ("age", lambda: p.age_before.search(text, max(0, start - 16), start)
         or p.age_after.match(text, end)),
        ("year", lambda: _is_year(a) and not qualified),
        ("money", lambda: p.money_before.search(text, max(0, start - 6), start)
         or p.money_after.match(text, end)),
        ("percent", lambda: p.percent_after.match(text, end)),
        ("fraction", lambda: p.fraction_after.match(text, end)),
        ("unit", lambda: p.unit_after.match(text, end)),
        ("vote", lambda: _vote(text, start, end, p)),
    )
    return next((code for code, check in checks if check()), None)


def _span(text: str, atoms: list[_Atom], rng: _Range | None, floor: int,
          p: _Patterns) -> FigureSpan:
    """One figure from one atom or a range of two, with its qualifiers and reject code."""
    a = atoms[0]
    core_start = rng.start if rng else a.start
    start, end, quals = core_start, atoms[-1].end, []
    if q := p.qual_before.search(text, max(floor, start - 30), start):
        start = q.start()
        quals.append(p.prefix[_norm(q["w"] or q["s"])])
    if s := p.suffix_after.match(text, end):
        end = s.end()
        quals.append(p.suffix[_norm(s["w"] or s["s"])])
    qual = next((q for q in quals if q is not Qualifier.EXACT), Qualifier.EXACT)
    if rng:
        low, high, qual = rng.low, rng.high, Qualifier.RANGE
    elif a.kind == "vague" and not (qual is not Qualifier.EXACT and a.low == a.high
                                    and a.low is not None):
        low, high, qual = a.low, a.high, Qualifier.VAGUE
    else:  # a number, or "more than a dozen": the qualifier makes "a dozen" a plain 12
        low = a.low if a.kind == "vague" else int(a.value)
        high = None if qual is Qualifier.AT_LEAST else low
    if rng and rng.reject:
        reject: str | None = rng.reject
    else:
        reject = _reject(text, core_start, end, a, bool(quals), p)
    return FigureSpan(start, end, Figure(low, high, qual, text[start:end]), reject)


def find_figures(text: str, lexdir: str | None = None) -> list[FigureSpan]:
    """Find every number and quantity phrase in a sentence.

    Takes any text (and optionally a lexicon folder overriding ``numbers.json``);
    returns its figures in order, each with character offsets that cover qualifiers
    ("at least 19", "between 7,000 and 15,000", "another five") and a ``reject``
    code when local context shows it counts something other than people.
    """
    p = _patterns(lexdir)
    atoms = _atoms(text, p)
    spans: list[FigureSpan] = []
    floor = i = 0  # floor: end of the last figure, so two figures never share words
    while i < len(atoms):
        if atoms[i].start < floor:
            i += 1
            continue
        pair = atoms[i:i + 2]
        rng = _range(text, pair[0], pair[1], floor, p) if len(pair) == 2 else None
        used = pair if rng else pair[:1]
        if not rng and not _integral(used[0].value):
            i += 1
            continue
        span = _span(text, used, rng, floor, p)
        spans.append(span)
        floor, i = span.end, i + len(used)
    return spans


def parse_figure(text: str, lexdir: str | None = None) -> Figure | None:
    """Parse a whole figure phrase ("more than 20,000", "7,000-15,000", "hundreds", "many")
    to a Figure whose text is the phrase stripped; None unless the phrase is exactly one
    figure. Vague words that need context in a sentence ("scores", "significant") are
    accepted alone here."""
    phrase = text.strip()
    p = _patterns(lexdir)
    key = _norm(phrase)
    if key in p.table or key in p.adjectives:
        low, high = p.table.get(key, [None, None])
        return Figure(low, high, Qualifier.VAGUE, phrase)
    spans = find_figures(phrase)
    if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(phrase):
        return spans[0].figure
    return None
