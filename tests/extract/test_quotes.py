"""Quotations, their extent over paragraphs, and who introduced them."""

from __future__ import annotations

from tolltrack.extract.quotes import find_quotes, quote_at

TEXT = ('The defence ministry tweeted: "There are more than 1,500 bodies in the morgue. '
        'They were left behind.\n\n"The city is ready to help," it added.\n\n'
        'Colonel Ivan Petrenko gave an account to reporters: “Our units held the line.”\n\n'
        'Later a reporter wrote that 12 people were "missing".')


def test_quote_over_paragraphs_belongs_to_its_speaker() -> None:
    quotes = find_quotes(TEXT)
    first = quotes[0]
    assert first.speaker == "The defence ministry"
    # The quote goes on in the next paragraph, which opens with a quote mark.
    assert TEXT.index("The city is ready") < first.end
    assert quote_at(TEXT.index("1,500"), quotes) is first


def test_speaker_before_a_colon_without_a_reporting_verb() -> None:
    quotes = find_quotes(TEXT)
    held = quote_at(TEXT.index("Our units"), quotes)
    assert held is not None and held.speaker == "Colonel Ivan Petrenko"


def test_scare_quotes_have_no_speaker() -> None:
    assert quote_at(TEXT.index("missing"), find_quotes(TEXT)) is None
