"""Who makes a claim, as the sentence says: reporting verbs, 'according to', accusers.

The spec's order: the subject of a reporting verb whose clause holds the
figure; 'according to X'; the speaker who introduced a quote that runs over
several sentences (see quotes.py); an accuser ("Ukraine accused Russian troops
of killing hundreds" gives claimant Ukraine, perpetrator Russia). Otherwise the
outlet itself asserts the figure. Codes and types are resolved in claimants.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tolltrack.extract import gazetteer
from tolltrack.extract.words import Words, words
from tolltrack.model import Actor, Status

_SUBJECTS = ("nsubj", "csubj")


@dataclass(frozen=True)
class Attribution:
    """A claimant as found in the sentence, before codes are resolved."""

    text: str
    status: Status
    accused: str | None = None
    at: int = 0  # article offset of the claimant's words


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
