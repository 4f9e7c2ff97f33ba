"""From one parsed sentence to its casualty mentions: figure, outcome and victim.

A figure counts people when the dependency parse ties it to an outcome word:
the counted noun is the subject or object of an outcome verb ("30 people were
killed", "killing four civilians"), is itself an outcome noun ("1,500
corpses", "3.7 million refugees"), carries an outcome adjective ("28
militants dead"), or sits under one ("the bodies of 1,500 soldiers", "the
death toll rose to 30"). A figure with no such tie, or whose counted noun is
a thing (tanks, years, dollars), is dropped with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tolltrack.extract.words import Words
from tolltrack.model import Figure, Outcome, Qualifier, VictimType
from tolltrack.numbers import find_figures

# Dependency labels through which a counted noun reaches the word that says
# what happened to it.
_UP = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "npadvmod", "oprd",
       "dative", "nmod", "compound", "prep", "pcomp", "nummod", "quantmod", "amod", "acl",
       "advcl", "xcomp", "agent", "obj", "dep", "relcl", "ccomp", "acomp", "poss"}
_MODAL_SKIP = {"have", "be"}


@dataclass(frozen=True)
class RawMention:
    """A figure tied to an outcome in one sentence, before attribution."""

    figure: Figure
    outcome: Outcome
    start: int  # offsets of the figure within the sentence
    end: int
    trigger: int  # token index of the outcome word
    victim_text: str
    victim_type: VictimType
    victim_tokens: tuple[int, int]  # token span of the victim phrase
    hypothetical: bool
    bare: bool = False  # no noun says who: "six were wounded", "40 others"


def _outcome_of_token(tok: Token, w: Words) -> Outcome | None:
    lemma = tok._.lemma.lower()
    text = tok.lower_
    if tok.pos_ in ("VERB", "AUX") or tok.tag_ in ("VBN", "VBD", "VBG"):
        if lemma == "shoot":
            return _shoot_outcome(tok, w)
        if lemma in w.verb_outcome:
            return w.verb_outcome[lemma]
    if text in w.adj_outcome and tok.pos_ in ("ADJ", "VERB", "NOUN"):
        return w.adj_outcome[text]
    if tok.pos_ in ("NOUN", "PROPN", "ADJ"):
        if lemma == "toll" or text == "toll":
            return Outcome.KILLED if _has_word(tok, {"death", "casualty"}) else None
        if lemma in ("life", "live") and (tok.head._.lemma in w.grammar.life_verbs or any(
                t._.lemma in w.grammar.life_verbs for t in tok.doc[max(0, tok.i - 3):tok.i])):
            return Outcome.KILLED  # "claimed the lives of", even when the parse strays
        if lemma in w.noun_outcome and lemma not in ("toll", "killing"):
            return w.noun_outcome[lemma]
        if text in w.noun_outcome:
            return w.noun_outcome[text]
    return None


def _has_word(tok: Token, lemmas: set[str]) -> bool:
    return any(c._.lemma.lower() in lemmas for c in tok.children)


def _shoot_outcome(tok: Token, w: Words) -> Outcome:
    """'shot dead' and 'shot and killed' kill; a plain 'shot' wounds."""
    for near in list(tok.children) + list(tok.doc[tok.i + 1:tok.i + 4]):
        if near.lower_ in ("dead", "killed", "kill", "death") or near._.lemma in ("kill", "die"):
            return Outcome.KILLED
    return Outcome.INJURED


def _verb_outcome(verb: Token, w: Words) -> Token | None:
    """The outcome word a verb carries: itself, or its complement ('found dead')."""
    if verb.pos_ in ("VERB", "AUX", "ADJ") and _outcome_of_token(verb, w) is not None:
        return verb
    for child in verb.children:
        complement = child.dep_ in ("acomp", "oprd", "xcomp", "attr", "advmod")
        if complement and (child.lower_ in w.adj_outcome
                           or (child.pos_ == "VERB" and child._.lemma in w.verb_outcome)):
            return child
        if child.dep_ in ("dobj", "attr", "oprd", "xcomp", "advmod"):
            if child._.lemma == "life" and verb._.lemma in w.grammar.life_verbs:
                return child
            if child._.lemma in w.grammar.captive_nouns \
                    and verb._.lemma in ("take", "hold", "keep"):
                return child
        if child.lower_ == "missing":
            return child
        if child.dep_ == "prep" and child.lower_ == "into" \
                and verb._.lemma in w.grammar.motion_verbs:
            for pobj in child.children:  # "two went into exile"
                if _outcome_of_token(pobj, w) is not None:
                    return pobj
    return None


def _among(verb: Token, w: Words) -> Token | None:
    """'Three children were among the wounded', '80 soldiers were treated for injuries'."""
    treated = verb._.lemma in ("treat", "hospitalise", "hospitalize", "admit")
    for prep in verb.children:
        if prep.dep_ == "prep" and (prep.lower_ == "among" or (treated and prep.lower_ == "for")):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and _outcome_of_token(pobj, w) is not None:
                    return pobj
    return None


def _level_outcome(verb: Token, skip: Token, w: Words) -> Token | None:
    """'the death toll rose to 30', 'put the number of soldiers killed at 7,000'."""
    if verb._.lemma not in w.grammar.level_verbs:
        return None
    for child in verb.children:
        if child.dep_ not in ("nsubj", "nsubjpass", "dobj", "expl") or child.i == skip.i:
            continue
        for tok in child.subtree:
            if _outcome_of_token(tok, w) is not None and tok._.lemma not in ("victim",):
                return tok
    return None


def find_outcome(x: Token, w: Words) -> Token | None:
    """The token that says what happened to the people counted at ``x``, or None."""
    own = _outcome_of_token(x, w)
    if own is not None and x._.lemma not in ("life", "live") \
            and x._.lemma not in w.grammar.state_nouns:
        return x
    for child in x.children:
        if child.dep_ in ("amod", "acl", "relcl", "appos") and _outcome_of_token(child, w):
            if child.dep_ == "relcl" and any(c.dep_ in ("nsubj",) for c in child.children):
                continue
            return child
    for nxt in x.doc[x.i + 1:x.i + 3]:
        if nxt.lower_ in w.adj_outcome and nxt.tag_ in ("JJ", "VBN", "NNS", "NN"):
            return nxt
        if nxt.pos_ not in ("ADJ", "ADV"):
            break
    governed = _walk_up(x, w)
    if governed is not None:
        return governed
    # "53 prisoners of war were killed": a state noun counts only when no verb
    # above it says what happened.
    return x if own is not None and x._.lemma in w.grammar.state_nouns else None


def _walk_up(x: Token, w: Words) -> Token | None:
    cur = x
    for _ in range(8):
        if cur.dep_ not in _UP or cur.head.i == cur.i:
            return None
        came_from, cur = cur, cur.head
        if cur.pos_ in ("VERB", "AUX") or (cur.pos_ == "ADJ" and cur.dep_ == "ROOT"):
            found = (_verb_outcome(cur, w) or _level_outcome(cur, came_from, w)
                     or _among(cur, w))
            if found is not None:
                return found
            if cur._.lemma in ("include", "leave", "be") and came_from.dep_ in ("dobj", "attr"):
                continue
            return None
        if cur.pos_ in ("NOUN", "PROPN", "ADJ") and _outcome_of_token(cur, w) is not None:
            return cur
    return None


def _killed_or_wounded(trigger: Token, w: Words) -> bool:
    """'400 troops were killed or wounded': one figure for both outcomes."""
    own = _outcome_of_token(trigger, w)
    for other in trigger.conjuncts:
        has_own_count = any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in other.children)
        theirs = _outcome_of_token(other, w)
        if not has_own_count and theirs in (Outcome.KILLED, Outcome.INJURED) and theirs != own:
            return True
    return False


def _phrase_outcome(trigger: Token, text: str, w: Words) -> Outcome | None:
    """An outcome phrase of the lexicon that holds the trigger word decides:
    "sanitary losses" are the wounded, "lives lost" the dead."""
    start = max(0, trigger.idx - 40)
    window = text[start:trigger.idx + len(trigger) + 40]
    at = trigger.idx - start
    for pattern, outcome in w.phrases:
        for m in pattern.finditer(window):
            if m.start() <= at < m.end():
                return outcome
    return None


def _anchor(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _counted_noun(span: Span) -> Token:
    """The noun a figure counts: the head of the figure when it modifies one, or an
    editor's insertion right after it ("400-500 [soldiers]")."""
    doc = span.doc
    if span.end + 2 < len(doc) and doc[span.end].text == "[" and doc[span.end + 2].text == "]" \
            and doc[span.end + 1].pos_ in ("NOUN", "PROPN"):
        return doc[span.end + 1]
    top = span.root
    if top.dep_ in ("nummod", "quantmod", "amod", "compound", "det", "nmod", "npadvmod") \
            and top.head.i >= span.end and top.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        return top.head
    return top


def _victim(noun: Token, span: Span, w: Words) -> tuple[Token, bool]:
    """The person noun counted, and whether the phrase counts things instead."""
    target = noun
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            if pobj and (noun.i < span.end or noun._.lemma in w.grammar.of_nouns
                         or noun.lower_ in w.grammar.of_nouns):
                target = pobj[0]
    lemma = target._.lemma.lower()
    is_thing = target.i >= span.end and (lemma in w.not_people or target.lower_ in w.not_people)
    return target, is_thing


def _kind_of(tok: Token, w: Words) -> VictimType | None:
    """The victim kind a noun names; title-case headlines ("Russian Soldiers Killed")
    tag nouns as proper nouns with no lemma, so plural forms are tried too."""
    lower = tok.lower_
    for form in (tok._.lemma.lower(), lower, lower.removesuffix("s"), lower.removesuffix("es")):
        if form and form in w.victim_type:
            return w.victim_type[form]
    return None


def victim_kind(target: Token, w: Words) -> VictimType:
    """Military, civilian, mixed or unknown, from the counted noun and its conjuncts."""
    kinds = set()
    conjuncts = [c for c in target.conjuncts
                 if not any(k.dep_ == "nummod" for k in c.children)]  # "2 women and 2 soldiers"
    for tok in [target, *conjuncts]:
        kind = _kind_of(tok, w)
        if kind is not None:
            kinds.add(kind)
    for tok in target.children:
        if tok.dep_ in ("relcl", "acl") and any(
                t.dep_ in ("attr", "oprd", "xcomp", "dobj", "ccomp", "pobj")
                and _kind_of(t, w) is VictimType.MILITARY for t in tok.subtree):
            kinds.add(VictimType.MILITARY)  # "people that he called terrorists"
        if tok.dep_ in ("amod", "compound") and tok.lower_ in ("civilian", "military"):
            kinds.add(VictimType(tok.lower_))
        if tok.dep_ == "prep" and tok.lower_ == "of" and target._.lemma == "prisoner" and any(
                c.lower_ == "war" for c in tok.children):
            kinds.add(VictimType.MILITARY)  # prisoners of war
    holders = [target, *([target.head.head] if target.head.lower_ == "of" else [])]
    for tok in target.children:
        if target._.lemma == "member" and tok.dep_ == "prep" and tok.lower_ == "of" and any(
                w.victim_type.get(t._.lemma.lower()) is VictimType.MILITARY
                or t.lower_ in w.grammar.armed for t in tok.subtree):
            kinds.add(VictimType.MILITARY)  # "members of the Daesh terrorist group"
    for holder in holders[1:]:
        # "a military recon group of nine people"
        if any(c.dep_ in ("amod", "compound") and c.lower_ in w.grammar.armed_modifiers
               for c in holder.children) or \
                w.victim_type.get(holder._.lemma.lower()) is VictimType.MILITARY:
            kinds.add(VictimType.MILITARY)
    for prep in (c for holder in holders for c in holder.children
                 if c.dep_ == "prep" and c.lower_ in ("including", "among")):
        # "five people including two children" leaves the rest unknown; only
        # "people, including civilians" says the rest were not civilians.
        if target._.lemma in ("people", "person", "hundred", "thousand", "dozen") and any(
                pobj._.lemma == "civilian" for pobj in prep.children):
            return VictimType.MIXED
    definite = kinds - {VictimType.UNKNOWN}
    if {VictimType.CIVILIAN, VictimType.MILITARY} <= definite:
        return VictimType.MIXED
    if len(definite) == 1:
        return definite.pop()
    return VictimType.UNKNOWN


def _phrase(target: Token, span: Span, original: str) -> tuple[str, tuple[int, int]]:
    """The victim phrase as written (from ``original``, the sentence before any case
    change) and its token span."""
    lefts = [t for t in target.lefts if t.dep_ in ("amod", "compound", "poss", "nmod", "nummod",
                                                    "quantmod", "det", "advmod")]
    start = min([target.i, *(t.left_edge.i for t in lefts)])
    tokens = [t for t in target.doc[start:target.i + 1]
              if not (span.start <= t.i < span.end) and t.dep_ != "det"]
    text = " ".join(original[t.idx:t.idx + len(t)] for t in tokens).replace(" 's", "'s").strip()
    if not text or span.start <= target.i < span.end:
        text = original[span.start_char:span.end_char]
    return text, (start, target.i + 1)


def _is_hypothetical(trigger: Token, w: Words) -> bool:
    """'could kill thousands': a modal without 'have' before the outcome verb."""
    head = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    auxes = [c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")]
    if any(a in w.hypothetical for a in auxes) and not any(a in _MODAL_SKIP or a == "been"
                                                           for a in auxes):
        return True
    if any(c.dep_ == "neg" for c in head.children):
        return True
    for verb in [head, *head.ancestors]:
        if verb._.lemma in ("threaten", "risk", "vow", "plan") or verb.lower_ == "if":
            return True
        # "the army would have to kidnap, murder ...": a modal over an infinitive
        modals = [c.lower_ for c in verb.children if c.dep_ == "aux"]
        if any(m in w.hypothetical for m in modals) and verb.i != head.i and not any(
                m in _MODAL_SKIP or m == "been" for m in modals[1:]):
            return True
    return False


def _single_person(doc: Doc, w: Words, text: str) -> list[tuple[Span, Figure]]:
    """'a man was shot', 'the life of a baby girl', 'a man and his wife': people
    counted one by one, with no digit."""
    found = []
    for tok in doc:
        if tok.lower_ in ("a", "an") and tok.dep_ == "det":
            noun = tok.head
            lemma = noun._.lemma.lower()
            kind = w.victim_type.get(lemma)
            if kind is None or noun.tag_ in ("NNS", "NNPS") \
                    or lemma in w.grammar.not_one_person \
                    or noun.dep_ == "appos":  # "Davydova, a mother of seven": a description
                continue
            partners = [c for c in noun.conjuncts if c.i > noun.i
                        and w.victim_type.get(c._.lemma.lower()) and c.tag_ == "NN"]
            end = (partners[-1] if partners else noun).i + 1
            span = doc[tok.i:end]
            found.append((span, Figure(1 + len(partners), 1 + len(partners), Qualifier.EXACT,
                                       text[span.start_char:span.end_char])))
    return found




def partitive_base(doc: Doc) -> Token | None:
    """The noun of a fronted partitive: 'Of the 16 members of the board, three were
    murdered' counts out of 16 members; the 16 themselves are no casualty figure."""
    if len(doc) > 3 and doc[0].lower_ == "of":
        pobj = [c for c in doc[0].children if c.dep_ == "pobj"]
        return pobj[0] if pobj else None
    return None


def _not_a_count(span: Span, text: str, w: Words) -> bool:
    """Numbers that the parse shows count no one: ages in apposition ('Hill, 35,'),
    family sizes ('a father of four'), dates and addresses glued by hyphens, the
    base of a partitive ('Of the 16 members, ...') and partitives of a figure
    already given ('one of them')."""
    doc = span.doc
    base = partitive_base(doc)
    if base is not None and base.i in (span.root.i, span.root.head.i):
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and before.text == "," and span.start > 1 \
            and doc[span.start - 2].pos_ == "PROPN" and after is not None and after.text == ",":
        return True
    if before is not None and before.lower_ == "at" and (after is None or after.is_punct) \
            and any(t._.lemma == "die" for t in doc[max(0, span.start - 8):span.start]):
        return True  # "Hatch died on 23 April at 88": an age
    if before is not None and before.lower_ == "of" and span.start > 1 \
            and w.grammar.kin & {doc[span.start - 2]._.lemma, doc[span.start - 2].lower_}:
        return True
    if re.match(r"-\d|-block", text[span.end_char:span.end_char + 6]) or \
            re.search(r"\d-$", text[max(0, span.start_char - 3):span.start_char]):
        return True
    return after is not None and after.lower_ == "of" and span.end + 1 < len(doc) \
        and doc[span.end + 1].lower_ in ("them", "those", "these", "us", "whom", "which")


def mentions_in(doc: Doc, w: Words, original: str | None = None) -> list[RawMention]:
    """Every casualty mention in a parsed sentence, in order of appearance.

    ``original`` is the sentence as written when the parser was given another
    casing of it (same length); texts in the mentions are taken from it.
    """
    out: list[RawMention] = []
    spans: list[tuple[Span, Figure]] = []
    text = original if original is not None and len(original) == len(doc.text) else doc.text
    for fs in find_figures(text, w.lexdir):
        if fs.reject is None and (span := _anchor(doc, fs.start, fs.end)) is not None:
            spans.append((span, fs.figure))
    taken = {t.i for span, _ in spans for t in span}
    for span, figure in _single_person(doc, w, text):
        if not any(t.i in taken for t in span):
            spans.append((span, figure))
    for span, figure in spans:
        if _not_a_count(span, text, w):
            continue
        noun = _counted_noun(span)
        target, is_thing = _victim(noun, span, w)
        if is_thing:
            continue
        trigger = find_outcome(noun, w)
        if trigger is None and target.i != noun.i:
            trigger = find_outcome(target, w)
        if trigger is None:
            continue
        outcome = _outcome_of_token(trigger, w) or w.adj_outcome.get(trigger.lower_)
        if outcome is None:
            continue
        if outcome in (Outcome.KILLED, Outcome.INJURED) and _killed_or_wounded(trigger, w):
            outcome = Outcome.CASUALTIES
        outcome = _phrase_outcome(trigger, text, w) or outcome
        base = partitive_base(doc)
        if base is not None and span.start <= target.i < span.end:
            target = base  # "three were murdered": three of the members
        elif span.start <= target.i < span.end and trigger.dep_ in ("acl", "amod") \
                and not span.start <= trigger.head.i < span.end:
            # "put the numbers of Russian soldiers killed at 7,000": the people
            # counted are the ones the outcome word describes.
            target = trigger.head
        victim_text, vtoks = _phrase(target, span, text)
        if target.head.lower_ == "of" and target.head.head.i < vtoks[0]:
            # "a Russian military recon group of nine people": the group says whose.
            vtoks = (target.head.head.left_edge.i, vtoks[1])
        out.append(RawMention(
            figure=figure, outcome=outcome,
            start=span.start_char, end=span.end_char, trigger=trigger.i,
            victim_text=victim_text, victim_type=victim_kind(target, w),
            victim_tokens=vtoks, hypothetical=_is_hypothetical(trigger, w),
            bare=span.start <= target.i < span.end or target._.lemma in ("other", "more"),
        ))
    return out
