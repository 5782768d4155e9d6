"""The sentence splitter: character spans that respect news-copy abbreviations and quotes."""

from __future__ import annotations

import pytest

from app.analysis.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    spans = split_sentences(text)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    return [text[a:b] for a, b in spans]


def test_plain_sentences() -> None:
    assert _sentences("The vote is today. Polls close at eight! Who will win?") == [
        "The vote is today.",
        "Polls close at eight!",
        "Who will win?",
    ]


def test_titles_and_initials_do_not_end_a_sentence() -> None:
    text = "Sen. J. R. Hale met Dr. Ortiz in the U.S. capital on Jan. 5. They spoke for an hour."
    assert _sentences(text) == [
        "Sen. J. R. Hale met Dr. Ortiz in the U.S. capital on Jan. 5.",
        "They spoke for an hour.",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "“We are ready.” The crowd cheered."
    assert _sentences(text) == ["“We are ready.”", "The crowd cheered."]


def test_attribution_after_a_question_is_not_a_new_sentence() -> None:
    assert _sentences("“Why now?” she asked. Nobody answered.") == [
        "“Why now?” she asked.",
        "Nobody answered.",
    ]


def test_paragraphs_always_split() -> None:
    assert _sentences("First line without a stop\n\nSecond paragraph") == [
        "First line without a stop",
        "Second paragraph",
    ]


def test_decimals_stay_whole() -> None:
    assert _sentences("Turnout rose 3.5 percent. Officials were pleased.") == [
        "Turnout rose 3.5 percent.",
        "Officials were pleased.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "...", "a", "!!!?", "“”"])
def test_degenerate_input(text: str) -> None:
    spans = split_sentences(text)
    assert all(text[a:b].strip() for a, b in spans)


def test_long_text_without_stops_is_one_span() -> None:
    text = "word " * 100_000
    assert split_sentences(text) == [(0, len(text.rstrip()))]


def test_a_line_break_ends_a_sentence_unless_the_line_goes_on_in_lower_case() -> None:
    text = (
        "“It blocks the view.” ― Lena Okafor\n“We waited ten years.”― Piet Brandt\n"
        "The pier\nwill open in May. It is late."
    )
    assert _sentences(text) == [
        "“It blocks the view.” ― Lena Okafor",
        "“We waited ten years.”― Piet Brandt",
        "The pier\nwill open in May.",
        "It is late.",
    ]
