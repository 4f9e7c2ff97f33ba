"""Casualty-claim extraction: screen, parse, tie figures to outcomes, attribute, merge."""

from tolltrack.extract.pipeline import extract, extract_many, iter_extract

# Stored with every claim. Raise it whenever a change to the rules, lexicon or
# model changes what extract() returns, so `tolltrack reextract` knows which
# stored articles to read again.
EXTRACTOR_VERSION = "1.0"

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_many", "iter_extract"]
