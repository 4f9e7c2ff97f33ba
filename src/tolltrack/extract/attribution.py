"""Who makes a claim: reporting verbs, 'according to', quoted speakers, the outlet.

The spec's order: the subject of a reporting verb whose clause holds the
figure; 'according to X'; the speaker who introduced a quote that runs over
several sentences; an accuser ("Ukraine accused Russian troops of killing
hundreds" gives claimant Ukraine, perpetrator Russia). Otherwise the outlet
itself asserts the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tolltrack.extract import gazetteer
from tolltrack.extract.words import Words, words
from tolltrack.model import Actor, ClaimantType, Status

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
_SUBJECTS = ("nsubj", "csubj")
_BASED = re.compile(r"\b[\w.]+-based\b", re.I)


@dataclass(frozen=True)
class Quote:
    """A quotation in the article and who introduced it."""

    start: int
    end: int
    speaker: str
    speaker_at: int


@dataclass(frozen=True)
class Attribution:
    """A claimant as found in the sentence, before codes are resolved."""

    text: str
    status: Status
    accused: str | None = None
    at: int = 0  # article offset of the claimant's words


_OPEN = "“\""
_INTRO = re.compile(
    r"(?P<who>[A-Z][^.!?“”\"]{1,150}?)\s+(?:said|says|tweeted|wrote|posted|added|stated|"
    r"claimed|declared|announced|told\s[^:“”\"]{1,60}?|said\s+in\s+a\s+statement)\s*[:,]?\s*$")


def find_quotes(text: str) -> list[Quote]:
    """Quotations introduced by a speaker ("X tweeted: \u201c...") with their extent.

    A quote runs to its closing mark; when a paragraph ends inside it and the
    next paragraph opens with a quote mark, it goes on (the press convention
    for quotes over several paragraphs).
    """
    quotes: list[Quote] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPEN or (i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        end = _quote_end(text, i + 1)
        line_start = text.rfind("\n", 0, i) + 1
        window = text[max(line_start, i - 200):i]
        intro = _INTRO.search(window)
        if intro:
            who = intro.group("who").strip()
            who = re.split(r"[,;]\s+(?=[a-z])", who)[-1] if len(who) > 90 else who
            quotes.append(Quote(i, end, who, i - len(intro.group()) + intro.start("who")))
        elif window.rstrip().endswith(":") and (lead := _LEAD.match(_last_sentence(window))):
            # "Colonel X gave an account to reporters: “...": the speaker is the
            # subject that opens the sentence.
            quotes.append(Quote(i, end, lead.group().strip(), i - len(window)))
        i = max(end, i + 1)
    return quotes


# The words that open a sentence and name a speaker: capitalised names and titles,
# with the small words that join them ("the", "of", "'s").
_LEAD = re.compile(r"(?:(?:[A-Z][\w’'.-]*|the|of|for|'s|’s|spokesman|spokeswoman|"
                   r"spokesperson|minister|ministry|officials?|governor|mayor|defen[cs]e|"
                   r"foreign|interior|health|general|staff|armed|forces|army|military|"
                   r"police|regional|state|media|office|agency|service)\s+)+")


def _last_sentence(window: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", window.strip())
    return parts[-1] + " " if parts else ""


def _quote_end(text: str, i: int) -> int:
    while True:
        close = re.search(r"[”\"]|\n", text[i:])
        if close is None:
            return len(text)
        pos = i + close.start()
        if text[pos] != "\n":
            return pos + 1
        rest = text[pos:].lstrip("\n ")
        if rest[:1] in _OPEN:
            i = len(text) - len(rest) + 1
            continue
        return pos


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head  # "a fighter who said ..." is the fighter
            return child
        if child.dep_ == "agent":
            for pobj in child.children:
                return pobj
    return None


def _text_of(tok: Token) -> Span:
    """The phrase a token heads, without relative clauses ("…, which said …")."""
    end = tok.right_edge.i
    for child in tok.children:
        if child.dep_ in ("relcl", "acl") and child.i > tok.i:
            end = min(end, child.left_edge.i - 1)
    while end > tok.i and tok.doc[end].is_punct:
        end -= 1
    return tok.doc[tok.left_edge.i:end + 1]


def _claims_lives(verb: Token) -> bool:
    """'a shooting that claimed the life of ...' kills; it reports nothing."""
    return any(t._.lemma == "life" for t in verb.doc[verb.i + 1:verb.i + 4])


def _according_to(doc: Doc, w: Words) -> Token | None:
    """The source named by "according to X", "citing X" and the like (reporting.json)."""
    words_lower = [t.lower_ for t in doc]
    for phrase in w.according_to:
        parts = phrase.lower().split()
        for i in range(len(doc) - len(parts) + 1):
            if words_lower[i:i + len(parts)] == parts:
                last = doc[i + len(parts) - 1]
                objects = [c for c in last.children if c.dep_ in ("pobj", "dobj")]
                if objects:
                    return objects[0]
    return None


def attribute(doc: Doc, trigger: Token, w: Words, offset: int) -> Attribution | None:
    """The claimant phrase for an outcome word in a parsed sentence, if one is named.

    ``offset`` is the sentence's start in the article, for the returned ``at``.
    """
    for verb in [trigger, *trigger.ancestors]:
        status = w.reporting.get(verb._.lemma)
        if status is None or verb.pos_ not in ("VERB", "AUX") or verb.i == trigger.i:
            continue
        if _claims_lives(verb):
            continue
        subject = _subject(verb)
        if subject is None:
            continue
        accused = None
        if verb._.lemma == "accuse":
            objs = [c for c in verb.children if c.dep_ == "dobj"]
            if not objs:
                # "Russia accused of abandoning ...": the subject is the accused.
                continue
            accused = _text_of(objs[0]).text
        span = _text_of(subject)
        return Attribution(span.text, status, accused, offset + span.start_char)
    source = _according_to(doc, w)
    if source is not None:
        span = _text_of(source)
        return Attribution(span.text, Status.CLAIMED, None, offset + span.start_char)
    candidates = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb._.lemma not in w.reporting:
            continue
        if verb._.lemma == "accuse" and not any(c.dep_ == "dobj" for c in verb.children):
            continue
        if _claims_lives(verb) or any(c.dep_ == "mark" for c in verb.children):
            continue  # "as the UN reports ...": a side clause, not the figure's source
        trailing = verb.i >= len(doc) - 3  # "... in the attack he said."
        if (verb.dep_ in ("ROOT", "parataxis", "conj", "advcl") or trailing) \
                and (subject := _subject(verb)) is not None:
            if any(t.i == trigger.i for t in subject.subtree):
                continue
            candidates.append((abs(verb.i - trigger.i), verb, subject))
    if candidates:
        _, verb, subject = min(candidates, key=lambda c: c[0])
        span = _text_of(subject)
        return Attribution(span.text, w.reporting[verb._.lemma], None, offset + span.start_char)
    return None


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
        lead = _LEAD.match(_last_sentence(article[max(0, at - 400):at]))
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


def _context_code(role: ClaimantType, at: int, known: list[Known], bodies: list[Known],
                  place_country: str | None, lower: str, lexdir: str | None) -> str | None:
    local = words(lexdir).local_roles.search(lower) is not None
    if local or role in (ClaimantType.OFFICIAL, ClaimantType.MEDICAL):
        named = gazetteer.find_places(lower.title(), lexdir)
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


def claimant_from_quote(start: int, quotes: list[Quote]) -> Quote | None:
    """The quote that holds article offset ``start``, if any."""
    for quote in quotes:
        if quote.start <= start < quote.end:
            return quote
    return None


def perpetrator(doc: Doc, trigger: Token, accused: str | None, victims: tuple[int, int],
                lexdir: str | None) -> Actor | None:
    """Who caused it, where the sentence says: the accused, 'by X', 'Russian shelling'."""
    if accused:
        return Actor(accused, gazetteer.country_of(accused, lexdir), None)
    head = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    for child in head.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                text = _text_of(pobj).text
                code = gazetteer.country_of(text, lexdir)
                if code:
                    return Actor(text, code, None)
    for tok in doc:
        if victims[0] <= tok.i < victims[1]:
            continue  # "Russian troops had been killed": the troops are not the killers
        if tok.pos_ == "NOUN" and tok._.lemma in words(lexdir).grammar.attackers:
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
            for mod in mods:
                code = gazetteer.country_of(mod.text, lexdir)
                if code:
                    return Actor(doc[mod.i:tok.i + 1].text, code, None)
    return None


