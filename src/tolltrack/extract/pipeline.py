"""extract(article) -> claims: the cascade from text to merged casualty claims."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from spacy.tokens import Doc

from tolltrack.extract import gazetteer
from tolltrack.extract.attribution import Attribution, attribute, perpetrator
from tolltrack.extract.circumstances import dates_of, hedged, scope_of, verification_hedge
from tolltrack.extract.claimants import Known, find_speakers, resolve
from tolltrack.extract.mentions import RawMention, mentions_in
from tolltrack.extract.merge import merge_claims
from tolltrack.extract.parse import Parser, parser
from tolltrack.extract.quotes import Quote, find_quotes, quote_at
from tolltrack.extract.sentences import Sentence, in_capitals, split_sentences
from tolltrack.extract.words import Words, words
from tolltrack.model import (
    OUTLET,
    Actor,
    Article,
    Claim,
    ClaimantType,
    Mention,
    Outcome,
    Place,
    Status,
    Victim,
    VictimType,
)
from tolltrack.options import Options


@dataclass
class _Context:
    """What the whole article tells about each sentence: places, quotes, named bodies."""

    article: Article
    places: list[tuple[int, int, Place]]
    quotes: list[Quote]
    speakers: list[Known]
    bodies: list[Known]

    @cached_property
    def place_starts(self) -> list[int]:
        """Offsets of the places, for bisecting (places come sorted by offset)."""
        return [start for start, _, _ in self.places]

    @cached_property
    def main_place(self) -> Place | None:
        """The first mention of the country the article names most often."""
        counts = Counter(p.country for _, _, p in self.places if p.country)
        if not counts:
            return None
        top = counts.most_common(1)[0][0]
        return next(p for _, _, p in self.places if p.country == top)


def candidates(article: Article, options: Options) -> list[Sentence]:
    """Sentences worth parsing: story text (not furniture) with an outcome word near a
    quantity."""
    return _screen(split_sentences(article.text, options.lexicon_dir), options)


def _screen(sentences: list[Sentence], options: Options) -> list[Sentence]:
    w = words(options.lexicon_dir)
    return [s for s in sentences if not s.furniture and _near(s.text, w)]


def _near(text: str, w: Words, reach: int = 90) -> bool:
    """An outcome word and a quantity within ``reach`` characters of each other:
    figures and the words that say what happened stand close together."""
    outcomes = [m.start() for m in w.screen.finditer(text)]
    if not outcomes:
        return False
    return any(abs(q.start() - o) <= reach for q in w.quantity.finditer(text) for o in outcomes)


def extract(article: Article, options: Options | None = None) -> list[Claim]:
    """Find every casualty claim in one article.

    Stages, cheapest first:
    1. split the text into sentences and set page furniture aside;
    2. screen: keep sentences with an outcome word ("killed", "bodies", ...);
    3. parse only those with spaCy;
    4. tie each figure to an outcome and a victim (mentions);
    5. attribute each to a claimant, and find status, hedges, scope, place, dates;
    6. merge mentions of the same claim.
    Takes an Article, returns its claims in order of first mention.
    """
    return extract_many([article], options)[0] if article.text.strip() else []


OnError = Callable[[Article, Exception], None]


def extract_many(articles: Iterable[Article], options: Options | None = None,
                 batch_size: int = 64, on_error: OnError | None = None) -> list[list[Claim]]:
    """extract() over many articles, parsing their candidate sentences in batches."""
    return list(iter_extract(articles, options, batch_size, on_error))


def iter_extract(articles: Iterable[Article], options: Options | None = None,
                 batch_size: int = 64, on_error: OnError | None = None
                 ) -> Iterator[list[Claim]]:
    """Lazily yield the claims of each article, in input order.

    With ``on_error``, an article whose extraction fails is reported to it and
    yields no claims, and the batch goes on; without it, the error is raised.
    """
    options = options or Options()
    pipeline = parser(options.model)
    batch: list[_Item] = []
    for article in articles:
        sentences = split_sentences(article.text, options.lexicon_dir)
        batch.append(_Item(article, sentences, _screen(sentences, options)))
        if len(batch) >= batch_size:
            yield from _run(batch, pipeline, options, on_error)
            batch = []
    if batch:
        yield from _run(batch, pipeline, options, on_error)


@dataclass(frozen=True)
class _Item:
    article: Article
    sentences: list[Sentence]
    candidates: list[Sentence]


def _run(batch: list[_Item], pipeline: Parser, options: Options, on_error: OnError | None
         ) -> Iterator[list[Claim]]:
    texts = [_parseable(s.text) for item in batch for s in item.candidates]
    docs = iter(pipeline.pipe(texts, batch_size=64))
    for item in batch:
        parsed = [(s, next(docs)) for s in item.candidates]
        if on_error is None:
            yield _claims(item, parsed, options)
            continue
        try:
            yield _claims(item, parsed, options)
        except Exception as exc:  # one odd article must not stop a batch
            on_error(item.article, exc)
            yield []


def _parseable(text: str) -> str:
    """Sentence case for text set in capitals (old wire copy): the tagger reads
    capitalised words as proper nouns. Offsets stay valid: the length is kept."""
    if in_capitals(text):
        lowered = text[:1] + text[1:].lower()
        if len(lowered) == len(text):
            return lowered
    return text


def _claims(item: _Item, parsed: list[tuple[Sentence, Doc]], options: Options) -> list[Claim]:
    lexdir = options.lexicon_dir
    w = words(lexdir)
    # A question asserts nothing ("20 million losses?").
    found = [(sentence, doc, raw) for sentence, doc in parsed
             if not sentence.text.rstrip("\"”’' )").endswith("?")
             for raw in mentions_in(doc, w, sentence.text) if not raw.hypothetical]
    if not found:
        return []
    # Article-wide context is only worth building once there is something to attribute.
    article = item.article
    ctx = _Context(article, gazetteer.find_places(article.text, lexdir),
                   find_quotes(article.text), find_speakers(article.text, lexdir),
                   [Known(h.start, Actor(article.text[h.start:h.end], h.code,
                                         ClaimantType(h.kind)))
                    for h in gazetteer.organisations_in(article.text, lexdir)])
    claims: list[Claim] = []
    figure_at: list[int] = []
    by_sentence: dict[int, list[int]] = {}
    known = sorted(ctx.speakers, key=lambda k: k.at)
    for sentence, doc, raw in found:
        claim = _claim(article, sentence, doc, raw, ctx, known, w, options)
        claim = _continue(claim, raw, claims[-1] if claims else None,
                          claims[-1] if sentence.start in by_sentence else None, w)
        if claim.figure.low is None and claim.claimant.type is ClaimantType.OUTLET:
            # "heavy losses" with no number and no one saying it is colour,
            # not a claim anyone could be held to.
            continue
        by_sentence.setdefault(sentence.start, []).append(len(claims))
        claims.append(claim)
        figure_at.append(sentence.start + raw.start)
    claims = _apply_verification(item.sentences, claims, figure_at, by_sentence, w)
    return merge_claims(claims)




def _continue(claim: Claim, raw: RawMention, previous: Claim | None,
              same_sentence: Claim | None, w: Words) -> Claim:
    """Carry what a figure leaves unsaid from the figure before it.

    "Four civilians died and six were wounded": the six are civilians too.
    "Another 73 were injured" (after "Moscow claims a strike killed 53
    prisoners"): the same people, and the same claimant.
    """
    if raw.bare and same_sentence is not None and claim.victim.text == raw.figure.text:
        claim = replace(claim, victim=replace(
            claim.victim, type=same_sentence.victim.type,
            country=same_sentence.victim.country or claim.victim.country))
    if previous is not None and w.grammar.additive.search(raw.figure.text):
        if claim.claimant.type is ClaimantType.OUTLET:
            claim = replace(claim, claimant=previous.claimant, status=previous.status)
        if raw.bare and same_sentence is None:
            claim = replace(claim, victim=replace(
                claim.victim, type=previous.victim.type,
                country=previous.victim.country or claim.victim.country))
    return claim


def _place_for(ctx: _Context, sentence: Sentence) -> Place | None:
    """Where a sentence's figures happened: a town it names, else a country it names,
    else the last place named earlier in its paragraph, else the article's main country."""
    starts = ctx.place_starts
    first = bisect_left(starts, sentence.start)
    inside = [p for s, e, p in ctx.places[first:bisect_left(starts, sentence.end)]
              if e <= sentence.end]
    towns = [p for p in inside if p.geonames_id is not None]
    if towns or inside:
        return (towns or inside)[0]
    paragraph_start = ctx.article.text.rfind("\n", 0, sentence.start) + 1
    if first and starts[first - 1] >= paragraph_start:
        return ctx.places[first - 1][2]
    return ctx.main_place


def _speaker_before(known: list[Known], start: int, figure_at: int) -> Attribution | None:
    """A named speaker earlier in the same sentence ("SORH said Sunday adding that the
    explosion took the lives of 2 women"), for when the parse misses the link."""
    spoken = known[bisect_left(known, start, key=lambda k: k.at):
                   bisect_left(known, figure_at, key=lambda k: k.at)]
    if not spoken:
        return None
    return Attribution(spoken[-1].actor.text, Status.CLAIMED, None, spoken[-1].at)


def _claim(article: Article, sentence: Sentence, doc: Doc, raw: RawMention, ctx: _Context,
           known: list[Known], w: Words, options: Options) -> Claim:
    """One claim from one mention. ``known`` (claimants so far, by offset) grows
    with the claimant found here, as context for the claims after it."""
    lexdir = options.lexicon_dir
    trigger = doc[raw.trigger]
    place = _place_for(ctx, sentence)
    place_country = place.country if place else None
    figure_at = sentence.start + raw.start
    quote = quote_at(figure_at, ctx.quotes)
    found: Attribution | None
    if quote is not None:
        found = Attribution(quote.speaker, Status.CLAIMED, None, quote.speaker_at)
    else:
        found = attribute(doc, trigger, w, sentence.start) or _speaker_before(
            known, sentence.start, figure_at)
        if found is not None:
            # The parse may have seen a recased sentence: take the words as written.
            found = replace(found, text=article.text[found.at:found.at + len(found.text)])
    if found is None:
        claimant, status = OUTLET, Status.CLAIMED
    else:
        claimant = resolve(found.text, found.at, known, ctx.bodies, article.text,
                           place_country, lexdir)
        status = found.status
        insort(known, Known(found.at, claimant), key=lambda k: k.at)
    vstart, vend = raw.victim_tokens
    victim_words = sentence.text[doc[vstart].idx:doc[vend - 1].idx + len(doc[vend - 1])]
    victim_country = gazetteer.country_of(victim_words, lexdir)
    if victim_country is None and any(t.lower_ in ("its", "their") for t in doc[vstart:vend]):
        hits = gazetteer.country_hits(sentence.text[:doc[vstart].idx], lexdir)
        victim_country = hits[-1].code if hits else claimant.code
    victim_type = raw.victim_type
    if raw.outcome is Outcome.CAPTURED and victim_type is VictimType.UNKNOWN \
            and w.grammar.combat.search(sentence.text):
        victim_type = VictimType.MILITARY  # "taken prisoner", "captured fighting"
    if victim_country is None and victim_type is not VictimType.MILITARY:
        victim_country = place_country
    if (status is Status.CLAIMED and victim_type is VictimType.MILITARY
            and claimant.code and claimant.code == victim_country
            and claimant.type in (ClaimantType.GOVERNMENT, ClaimantType.MILITARY)):
        status = Status.ACKNOWLEDGED
    as_of, period_start = dates_of(sentence.text, article.date or options.default_date)
    return Claim(
        outcome=raw.outcome,
        figure=raw.figure,
        victim=Victim(raw.victim_text, victim_country, victim_type),
        claimant=claimant,
        status=status,
        unverified=hedged(sentence.text, w),
        scope=scope_of(sentence.text, raw.figure, w),
        location=place,
        as_of=as_of or article.date or options.default_date,
        period_start=period_start,
        perpetrator=perpetrator(doc, trigger, found.accused if found else None,
                                raw.victim_tokens, lexdir),
        mentions=(Mention(sentence.text, sentence.start, sentence.end),),
        article_id=article.id,
    )


def _apply_verification(sentences: list[Sentence], claims: list[Claim], figure_at: list[int],
                        by_sentence: dict[int, list[int]], w: Words) -> list[Claim]:
    """'While the number has not been independently verified, ...' hedges the figure
    stated just before it, or the figures of its own sentence that come first."""
    story = [s for s in sentences if not s.furniture]
    for n, sentence in enumerate(story):
        at = verification_hedge(sentence.text, w)
        if at is None:
            continue
        targets = [i for i in by_sentence.get(sentence.start, [])
                   if figure_at[i] < sentence.start + at]
        if not targets and n:
            # Only the sentence right before: a hedge speaks of the figure just given.
            targets = by_sentence.get(story[n - 1].start, [])
        for i in targets:
            claims[i] = replace(claims[i], unverified=True)
    return claims
