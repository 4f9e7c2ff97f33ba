"""Casualty-claim extraction: screen, parse, tie figures to outcomes, attribute, merge."""

from tolltrack.extract.pipeline import extract, extract_many, iter_extract

__all__ = ["extract", "extract_many", "iter_extract"]
