"""Quotes with speakers: one test per pattern, hostile input, and a floor on PolNeAR dev."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.quotes import QuoteSpan, extract_quotes


def _check_offsets(text: str, quotes: list[QuoteSpan]) -> None:
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text


def _checked(text: str) -> list[QuoteSpan]:
    """The quotes of `text`, their offsets checked against it."""
    quotes = extract_quotes(text)
    _check_offsets(text, quotes)
    return quotes


def _one(text: str) -> QuoteSpan:
    quotes = _checked(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_quote_then_name_said() -> None:
    q = _one("“The harbour will reopen on Friday,” Lena Okafor said.")
    assert q.text == "The harbour will reopen on Friday"
    assert q.speaker == "Lena Okafor"
    assert not q.partial


def test_a_sentence_of_name_and_verb_after_a_closed_quote_attributes_it() -> None:
    # The quote ends its sentence (a trailing ellipsis, or a full stop where a comma belongs)
    # and the next sentence is only its attribution.
    for text in (
        '"Well, I am going to look at a lot of different people…" Okafor said.',
        '"We will reopen the pier." Okafor said.',
        '"We will reopen the pier." said Okafor.',
    ):
        q = _one(text)
        assert q.speaker == "Okafor", text
    # A sentence that goes on after the verb is a new statement, not the attribution.
    quotes = _checked('"We will reopen the pier." Okafor said the council had voted.')
    assert [q.speaker for q in quotes] == [None]


def test_name_said_colon_then_quote_with_straight_marks() -> None:
    q = _one('Mayor Tomas Brandt said: "Nobody will lose their home."')
    assert q.text == "Nobody will lose their home."
    assert q.speaker == "Tomas Brandt"
    assert q.speaker_title == "Mayor"


def test_said_name_with_appositive_title() -> None:
    text = "“The numbers do not add up,” said Priya Raman, director of the budget office."
    q = _one(text)
    assert q.speaker == "Priya Raman"
    assert q.speaker_title == "director of the budget office"


def test_a_long_appositive_title_is_not_cut_inside_a_name() -> None:
    text = (
        "“The numbers do not add up,” said Priya Raman, an economist who served as director "
        "of the Kettleby Harbour Budget Office and now runs a fund."
    )
    q = _one(text)
    assert q.speaker == "Priya Raman"
    assert q.speaker_title == "economist who served as director"


def test_name_told_outlet() -> None:
    q = _one("“We expected a longer fight,” Carlos Mendez told Reuters on Tuesday.")
    assert q.speaker == "Carlos Mendez"


def test_according_to_name() -> None:
    q = _one("According to Helen Fisk, “the audit found nothing missing.”")
    assert q.speaker == "Helen Fisk"


def test_quote_split_by_its_attribution() -> None:
    text = "Sergei Ryabkov spoke first. “We will not retreat,” Ryabkov said, “not one step.”"
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["We will not retreat", "not one step."]
    assert [q.speaker for q in quotes] == ["Sergei Ryabkov", "Sergei Ryabkov"]


def test_quote_running_over_two_paragraphs() -> None:
    text = (
        "Anna Berg, the harbour master, spoke at length.\n\n"
        "“The storm took the east pier and most of the boats.\n\n"
        "“We will rebuild it by spring,” Berg said."
    )
    quotes = _checked(text)
    assert len(quotes) == 2
    assert quotes[0].text.startswith("The storm took")
    assert quotes[1].text == "We will rebuild it by spring"
    assert {q.speaker for q in quotes} == {"Anna Berg"}


def test_partial_quote_inside_a_sentence() -> None:
    q = _one("Governor Ruth Hale called the new strategy “reckless and short-sighted” on Monday.")
    assert q.partial
    assert q.text == "reckless and short-sighted"
    assert q.speaker == "Ruth Hale"


def test_pronoun_resolves_to_the_person_named_before() -> None:
    text = (
        "Maria Zakharova, the foreign ministry spokeswoman, said the talks had stalled. "
        "She added, “We are still ready to meet.”"
    )
    q = _one(text)
    assert q.speaker == "Maria Zakharova"
    assert q.speaker_title == "foreign ministry spokeswoman"


def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = "Hillary Clinton met Robert Kane in Ohio.\n\n“It was a good talk,” she said."
    assert _one(text).speaker == "Hillary Clinton"


def test_description_resolves_to_the_titled_person() -> None:
    text = (
        "Deputy Foreign Minister Sergei Ryabkov met the envoys on Monday.\n\n"
        "“There is no deal yet,” the deputy foreign minister warned."
    )
    q = _one(text)
    assert q.speaker == "Sergei Ryabkov"
    assert q.speaker_title is not None and "Foreign Minister" in q.speaker_title


def test_later_surname_mention_joins_the_full_name() -> None:
    text = "Jonas Weber opened the meeting.\n\n“We start with the budget,” Weber said."
    assert _one(text).speaker == "Jonas Weber"


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = (
        "The so-called “peace dividend” never came. Critics dubbed the plan “Operation Calm”. "
        "The town's “new” bridge is forty years old."
    )
    assert extract_quotes(text) == []


def test_a_nickname_somebody_coined_is_their_words() -> None:
    text = "Piet Brandt mocked Ines Cardoso, whom he dubbed “the little mayor”, all week."
    assert [(q.text, q.speaker) for q in _checked(text)] == [("the little mayor", "Piet Brandt")]


def test_a_name_before_a_relative_clause_is_the_subject_after_an_opening_phrase() -> None:
    text = (
        "Two years ago Piet Brandt, who now runs the harbour board, said a new pier was "
        "“impossible” to fund.\n\n"
        "Ines Cardoso said she had worked closely with Ana Ruiz, who ran the old pier: “Ana "
        "knows every plank of it.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt", "Ines Cardoso"]


def test_a_lone_word_in_reported_speech_is_kept_a_scare_quote_is_not() -> None:
    text = (
        "The town’s “new” bridge is forty years old.\n\nA pier poll came out on Monday. "
        "About four in ten said they were “angry” about the closure."
    )
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["angry"]


def test_a_title_as_the_subject_of_its_sentence_or_after_a_work_is_no_quote() -> None:
    text = (
        "Ines Cardoso runs the harbour theatre.\n\n"
        "“Pier Pressure” is a comedy about the council. “Tides of Kettleby,” a drama that "
        "first ran in 1998, returns in May.\n\n"
        "Her autobiography, “Salt and Stone,” came out last year. The town’s new ad, "
        "“Come Ashore,” runs all summer.\n\n"
        "“It is our best season,” she said."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [("It is our best season", "Ines Cardoso")]


def test_quote_inside_a_quote_stays_in_the_outer_one() -> None:
    text = "“He told me, ‘wait here,’ and left,” Ada Novak said."
    q = _one(text)
    assert q.text == "He told me, ‘wait here,’ and left"
    assert q.speaker == "Ada Novak"


def test_quote_inside_a_quote_in_the_same_marks() -> None:
    text = (
        "Residents spoke after the vote.\n\n"
        "“I would rather live in what he calls “chaos” than in his town.” ― Lena Okafor\n\n"
        "“The plan is late. “We will fight it,” Piet Brandt said."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("I would rather live in what he calls “chaos” than in his town.", "Lena Okafor"),
        # the first mark of the last paragraph is a stray: nothing closes it
        ("We will fight it", "Piet Brandt"),
    ]


def test_double_marks_typed_as_two_apostrophes() -> None:
    # Archive and wire text writes a double mark as two apostrophes (or opens with `` ).
    text = (
        "The harbour board met on Monday.\n\n"
        "''The pier stays open,'' said Ines Cardoso, the board's chairwoman. ''We will "
        "not close it for the summer.''\n\n"
        "Piet Brandt called the plan ''reckless.'' ``It is late,'' he said.\n\n"
        "''He told us it was 'settled,''' Mr. Brandt said."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("The pier stays open", "Ines Cardoso"),
        ("We will not close it for the summer.", "Ines Cardoso"),
        ("reckless.", "Piet Brandt"),
        ("It is late", "Piet Brandt"),
        ("He told us it was 'settled,'", "Piet Brandt"),
    ]


def test_apostrophes_that_are_no_quote_marks() -> None:
    # Inches, an empty string in code and wiki bold are not quotes.
    for text in (
        "The board is 12'' wide, Piet Brandt said.",
        "Set name = '' and run it again.",
        "''''Bold'''' text, Piet Brandt said.",
    ):
        assert extract_quotes(text) == [], text


def test_a_closing_mark_opening_a_paragraph_opens_the_quote() -> None:
    text = "Ines Cardoso wrote to the council.\n\n” … the pier must open in May,” she wrote."
    q = _one(text)
    assert q.text == "… the pier must open in May"
    assert q.speaker == "Ines Cardoso"


def test_he_after_a_sentence_naming_its_speaker_last() -> None:
    text = (
        "“People know the pier,” said Karl Mendez, chief of the harbour board.\n\n"
        "Piers alone are not likely to change the vote, noted the Ledger’s Tomas Greer.\n\n"
        "“One might expect them to matter more,” he wrote."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Karl Mendez", "Tomas Greer"]


def test_words_quoted_inside_reported_speech_belong_to_the_reporter() -> None:
    for text, speaker in [
        (
            "Ines Cardoso said Karl Mendez had agreed to the test “as a gesture of good will.”",
            "Ines Cardoso",
        ),
        (
            "Karl Mendez, who led the talks, says that Norland agreed “in good faith.”",
            "Karl Mendez",
        ),
    ]:
        assert _one(text).speaker == speaker, text


def test_a_sentence_opening_word_is_no_speaker() -> None:
    text = (
        "The pier opened late. Fifty-one percent say that “the council should have waited.”\n\n"
        "Former harbour staff called it “a crane crash.” It’ll feature a lift that goes to “S” "
        "when asked.\n\n"
        "Aides have also suggested the pier is “too long for the bay.” The aides declined.\n\n"
        "Police say they have “enough officers” for the opening. The police chief agreed."
    )
    quotes = _checked(text)
    speakers = {q.text: q.speaker for q in quotes}
    assert speakers["the council should have waited."] is None
    assert speakers["a crane crash."] is None
    assert speakers["too long for the bay."] == "Aides"  # a group that speaks stays
    assert speakers["enough officers"] == "Police"


def test_an_office_after_a_dotted_abbreviation_and_a_dateline_with_a_hyphen() -> None:
    q = _one('"Justice has been served in this case," said U.S. Attorney Ana Ruiz.')
    assert (q.speaker, q.speaker_title) == ("Ana Ruiz", "U.S. Attorney")
    text = (
        "PORTLAND, Maine - U.S. District Judge Karl Mendez late Thursday blocked a bill "
        'that would let officials professing a "sincere belief" refuse service.'
    )
    assert _one(text).speaker == "Karl Mendez"


def test_names_ending_like_verbs_and_titles_without_their_clause_punctuation() -> None:
    q = _one("Reed, who will chair the harbour board, told investors it would “pay its way.”")
    assert q.speaker == "Reed"
    q = _one("Reached by phone, Ana Ruiz said the pier was “late.”")
    assert q.speaker == "Ana Ruiz"
    quotes = extract_quotes("“We lost the vote,” said the actor. “It hurt.”")
    assert [q.speaker_title for q in quotes] == ["the actor", "the actor"]
    q = _one("“Go,” said Lt. Col. Ana Ruiz.")
    assert q.speaker_title == "Lt. Col."


def test_he_after_a_subject_with_a_party_tag_in_brackets() -> None:
    text = (
        "Tom Young wants the pier gone. “I see no role for it,” he said.\n\n"
        "At a hearing of the harbour board, Rep. Karl Mendez (R-ME), ranking member of the "
        "board, pushed for the pier. “I understand there is a growing confidence,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Tom Young", "Karl Mendez"]


def test_a_fragment_in_a_clause_with_its_own_he_or_she() -> None:
    text = (
        "Harbour master Ines Cardoso spoke on Monday. Karl Mendez described Cardoso as a "
        "“disgrace” after she attacked the pilots and blamed the delay on “poor seamanship.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Karl Mendez", "Ines Cardoso"]


def test_a_company_is_never_he_or_she() -> None:
    text = (
        "Karl Mendez dismissed the criticism as the voice of the harbour's client, Norland "
        "Energy, the region's largest coal company. “You know, I like them,” he said."
    )
    assert _one(text).speaker == "Karl Mendez"


def test_names_called_someone_are_their_words_and_titles_are_not() -> None:
    text = (
        "Karl Mendez called the former harbour master “Captain Slowboat” and “Lady Delay” "
        "at the rally. The band played “Harbour Lights” as he left."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Captain Slowboat", "Karl Mendez"),
        ("Lady Delay", "Karl Mendez"),
    ]


def test_a_state_code_is_no_speaker_and_a_transcript_heading_is_nobody() -> None:
    text = (
        "Tuesday at the harbour hall in Berea, OH, after winning the vote, Gov. Karl Mendez "
        "(R-OH), said, “I’m getting ready to rent a covered wagon.”\n\n"
        "Transcript as follows:\n\n"
        '"Tonight we arrived in Cleveland."'
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Karl Mendez", "Karl Mendez"]


def test_a_speaker_named_before_a_long_appositive_and_the_verb() -> None:
    text = (
        "Tomas Greer asked about the pier at the hall.\n\n"
        "“Very good question, very good question,” Mendez, the harbour board's chairman and "
        "the town's longest-serving councillor by a wide margin after winning the spring vote, "
        "said when Greer asked him."
    )
    assert _one(text).speaker == "Mendez"


def test_a_participle_after_a_speech_verb_shares_its_subject() -> None:
    text = (
        "Mendez’s “delays” are shameful, Ines Cardoso said Tuesday in Port Ellin, noting the "
        "harbour chief “makes you want to swim.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ines Cardoso", "Ines Cardoso"]


def test_the_age_description_is_the_person_not_the_club() -> None:
    text = (
        "Harbour Football Club appointed Karl Mendez on Wednesday. The coach had been out of work "
        "since December.\n\n"
        'The 56-year-old said after his appointment: "I am excited to be joining the club."'
    )
    q = _one(text)
    assert (q.speaker, q.speaker_title) == ("Karl Mendez", "The 56-year-old")


def test_what_a_colon_introduces_is_the_line_of_the_one_before_it() -> None:
    text = (
        "His Norland counterpart, Major General Ines Cardoso, has stuck to one line: the "
        "ferries arrive late, and Norland pilots guide them in “at a safe speed.”"
    )
    assert _one(text).speaker == "Ines Cardoso"


def test_transcript_turns_belong_to_the_speaker_their_label_names() -> None:
    text = (
        "Harbour master Ines Cardoso spoke to Karl Mendez on the radio. Partial transcript:\n\n"
        '"MENDEZ: Will the pier open in May? We were told “spring.”\n\n'
        '"CARDOSO: It will. The timber is here.\n\n'
        '"And the cranes come next week.\n\n'
        '"(CROSSTALK.)\n\n'
        '"UPDATE: The council met on Monday.\n\n'
        '"MENDEZ: Thank you.\n\n'
        '"Follow Lena Okafor on Twitter @lenaokafor."'
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Will the pier open in May? We were told “spring.”", "Karl Mendez"),
        ("It will. The timber is here.", "Ines Cardoso"),
        ("And the cranes come next week.", "Ines Cardoso"),  # a turn going on
        # a label in capitals that names nobody is no turn: the paragraph goes on the last
        ("UPDATE: The council met on Monday.", "Ines Cardoso"),
        ("Thank you.", "Karl Mendez"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no quotes at all",
        "“",
        "”",
        '"',
        '" " " "',
        "“open and never closed",
        "closed only” here” and ” there",
        "“a “b “c ”d” e",
        '6\'2" tall and "quoted',
        "\n\n\n“\n\n”\n\n",
        "said said said “x” said he she",
        "\x1b[31m“red”\x1b[0m said Bob",
    ],
)
def test_hostile_input_never_raises_and_keeps_offsets(text: str) -> None:
    _checked(text)


def test_a_long_story_keeps_its_quotes_and_speakers() -> None:
    unit = "“We will see,” Tom Reyes said. He left for the airport at noon.\n\n"
    assert [q.speaker for q in extract_quotes(unit * 200)] == ["Tom Reyes"] * 200
    big = unit * 4000  # about 300 KB: read up to the limit on quotes per story
    quotes = extract_quotes(big)
    _check_offsets(big, quotes)
    assert len(quotes) == 1000
    assert {q.speaker for q in quotes} == {"Tom Reyes"}


def test_one_megabyte_without_sentences_or_closing_marks() -> None:
    text = "“" + "word " * 200_000
    _checked(text)


def test_a_story_of_countless_quotes_is_read_up_to_a_limit() -> None:
    # Hostile input: a megabyte of tiny quotes. Only the first MAX_QUOTES are read (the
    # longest PolNeAR article has 80), so one story cannot keep analysis busy for a minute.
    from app.analysis.quotes import MAX_QUOTES

    said = "“Hi,” Ann Lee said. "
    text = said * (MAX_QUOTES + 500)
    quotes = _checked(text)
    assert len(quotes) == MAX_QUOTES
    assert quotes[-1].start == (MAX_QUOTES - 1) * len(said) + 1
    assert {q.speaker for q in quotes} == {"Ann Lee"}
    assert extract_quotes("''a'' " * 170_000) == []  # one-word scare quotes, no owner


def test_polnear_dev_floor(corpora: Path) -> None:
    """PolNeAR dev (all 84 articles take well under a second): floors below the figures
    bench/quotes_polnear.py reports, so a regression fails here first."""
    from bench.quotes_polnear import evaluate, load_split

    articles = load_split("dev", corpora / "polnear")
    assert len(articles) == 84
    figures = evaluate(articles).figures()
    assert figures["f1"] >= 0.957, figures
    assert figures["speaker_accuracy"] >= 0.89, figures
    assert figures["pronoun_resolved"] >= 0.98, figures
    assert figures["pronoun_fair"] >= 0.82, figures


def test_sentence_subject_owns_a_quote_without_a_speech_verb() -> None:
    text = (
        "Councillor Ana Ruiz spoke first.\n\n"
        "In the long debate over the ferry, Tomas Greer dismissed the plan as “a toy boat.”"
    )
    q = _one(text)
    assert q.text == "a toy boat."
    assert q.speaker == "Tomas Greer"


def test_descriptive_words_before_a_name_after_said() -> None:
    q = _one("“The count is too slow,” said Republican campaign consultant Ilse Marten.")
    assert q.speaker == "Ilse Marten"
    assert q.speaker_title is not None and "consultant" in q.speaker_title


def test_place_before_an_office_stays_in_the_title() -> None:
    q = _one("“Bridges first,” said Lakeland Gov. Peter Odum on Monday.")
    assert q.speaker == "Peter Odum"
    assert q.speaker_title == "Lakeland Gov."
    q = _one("Deputy Interior Minister Rosa Klint said: “The border stays open.”")
    assert q.speaker == "Rosa Klint"
    assert q.speaker_title == "Deputy Interior Minister"


def test_a_person_of_a_place_is_named_not_the_place() -> None:
    q = _one("“I came for the fireworks,” said Dora Pike of Marlow, a retired teacher.")
    assert q.speaker == "Dora Pike"


def test_pronoun_skips_the_organisation_in_an_appositive() -> None:
    text = (
        "Ruth Calder, chief economist at Harbour Mutual Bank, sounded calm. "
        "“Rates will fall before the summer,” she said."
    )
    assert _one(text).speaker == "Ruth Calder"


def test_possessive_role_then_appositive_name() -> None:
    text = "Norland’s trade minister, Eva Lindgren, called the deal “a start, not an end.”"
    q = _one(text)
    assert q.speaker == "Eva Lindgren"
    assert q.speaker_title == "Norland’s trade minister"


def test_nationality_or_country_is_not_a_speaker() -> None:
    text = (
        "Marsh officials have long called the dam “a wall against the sea.” "
        "Western diplomats called it “a gamble.”"
    )
    for q in extract_quotes(text):
        assert q.speaker not in ("Marsh", "Western"), q


def test_place_after_a_quote_is_not_a_speaker() -> None:
    text = (
        "Norland accused the fleet of “reckless manoeuvres” over the Grey Strait, "
        "a day after what the coastguard described as a near miss."
    )
    for q in extract_quotes(text):
        assert q.speaker is None or "Strait" not in q.speaker, q
        assert q.speaker_title not in ("over", "and", "its"), q


def test_pronoun_after_a_lone_surname_that_spoke() -> None:
    text = (
        "Mara Voigt chaired the hearing.\n\n"
        "Prices will settle by spring, Tolland said. Buyers want “a calmer market,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Tolland"]


def test_pronoun_refers_to_the_sentence_opener_not_the_reported_subject() -> None:
    text = (
        "Governor Paul Ekberg spoke after the vote. Ekberg said Lars Moen will lead the review.\n\n"
        "“The review starts on Monday,” he said."
    )
    assert _one(text).speaker == "Paul Ekberg"


def test_participle_clause_before_the_subject() -> None:
    text = "Admitting that the count was slow, Greta Holm did call the delay “a lesson for all.”"
    assert _one(text).speaker == "Greta Holm"


def test_subject_verb_object_is_not_a_description() -> None:
    text = "Anders Vik criticised the Harbour Board for “sleeping at the wheel” last year."
    assert _one(text).speaker == "Anders Vik"


def test_conjunction_then_pronoun_subject() -> None:
    text = (
        "Ola Brekke spoke for an hour.\n\n"
        "But he also took aim at the council, which he called “a club for insiders.”"
    )
    assert _one(text).speaker == "Ola Brekke"


def test_show_titles_handles_and_links_are_not_quotes() -> None:
    text = (
        "She told the hosts of “Good Morning with the Fells” that she was tired. "
        "Follow the desk at “@harbourdesk” or read “pic.twitter.com/x1y2z3” for more."
    )
    assert extract_quotes(text) == []


def test_capitalised_words_after_a_speech_verb_are_still_speech() -> None:
    q = _one("The crowd roared as Ivy Lund shouted “Home Again!” from the stage.")
    assert q.speaker == "Ivy Lund"


def test_speaker_after_a_clause_ending_in_a_comma() -> None:
    text = "The vote marks “the start of a long winter” for the coalition, said Pieter Aalst."
    assert _one(text).speaker == "Pieter Aalst"


def test_a_second_clause_with_its_own_speaker_does_not_take_the_first_quote() -> None:
    text = (
        "Runa Dahl accuses the mayor of “hiding the books” and Knut Berg says "
        "he is “tired of waiting.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Runa Dahl", "Knut Berg"]


def test_headline_in_title_case_is_not_a_person() -> None:
    text = (
        "Harbour Board Defends Late Night Dredging Plans Again\n\n"
        "“Nobody was woken up,” a spokesman said."
    )
    q = _one(text)
    assert q.speaker is None or "Harbour" not in q.speaker


def test_dateline_is_not_the_subject() -> None:
    text = (
        "BRAMFORD, Norland (Wire Desk) — Norland recalled its envoy and condemned “reckless games.”"
    )
    q = _one(text)
    assert q.speaker == "Norland"


def test_a_group_of_officials_is_a_description_not_a_nationality() -> None:
    text = "Marsh officials have long described the dam as “a wall against the sea.”"
    q = _one(text)
    assert q.speaker is None
    assert q.speaker_title == "Marsh officials"


def test_name_and_appositive_before_told_outlet() -> None:
    text = (
        "“We let it drift for a decade,” Okonjo, 58, told the Harbour Gazette.\n\n"
        "“Nobody asked the fishermen,” Rosa Delmar, the council’s treasurer, told Reuters."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Okonjo", "Rosa Delmar"]
    assert quotes[1].speaker_title == "council’s treasurer"


def test_place_in_an_opening_clause_is_not_the_speaker() -> None:
    text = (
        "Speaking at a diner in Keene, New Hampshire, Ortega went after the mayor, "
        "calling him “a weathervane.”\n\n"
        "He says, “Every week he points somewhere new.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ortega", "Ortega"]


def test_learned_speech_verbs_and_went_on() -> None:
    text = (
        "“You will not see it built,” Vanya Petrov barked.\n\n"
        "“The funds are gone,” Tomas Lind went on, “and nobody will say where.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Vanya Petrov", "Tomas Lind", "Tomas Lind"]


def test_he_is_never_an_outlet_or_a_group() -> None:
    text = (
        "In an NPR interview Monday, Halvorsen said the count would be slow.\n\n"
        "Later the Evening Ledger reported the same. New Yorkers were unimpressed.\n\n"
        "“We have to be patient,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Halvorsen"]


def test_lone_surname_opening_a_sentence_is_the_antecedent() -> None:
    text = (
        "Magnus Aldana went with the favourite.\n\n"
        "Okafor openly admitted that his pick was about the next vote. "
        "“The northern towns matter more,” he said.\n\n"
        "Opinion polls see Aldana ahead."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Okafor"]


def test_short_fragments_are_kept_and_owned_only_by_the_sentence_opener() -> None:
    text = (
        "Mayor Ines Cardoso spoke at noon.\n\n"
        "First, Magnus Aldana attacked the harbour board for being a “failed builder.” "
        "The plan was described as a “slow disaster” for the port. "
        "He refers to his rival as “Mr. Harbour.”"
    )
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["failed builder.", "slow disaster", "Mr. Harbour."]
    assert all(q.partial for q in quotes)
    assert quotes[0].speaker == "Magnus Aldana"
    assert quotes[1].speaker is None  # nobody opens that sentence: no guess


def test_markup_attributes_related_labels_and_credited_headlines_are_not_quotes() -> None:
    text = (
        '<tweet author="harbourwatch" id="12">The pier is closed again</tweet>.\n\n'
        '"Related:"\n\n'
        'FERRY NEWS—"Night ferry to stop in March," by the Ledger\'s Ana Ruiz: a short note.\n\n'
        "“Harbour Lights” star Tomas Greer opened the festival.\n\n"
        'The plan has been called "a slow leak" by Councillor Ana Ruiz.'
    )
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["a slow leak"]


def test_name_as_a_label_before_a_colon() -> None:
    text = (
        'Okafor: "We will reopen the pier." Lindqvist: "Not before the survey."\n\n'
        "FERRIES MAY STOP IN MARCH - Ana Ruiz: “The timetable cannot hold.”\n\n"
        "“No,” said retired Army Col. Piet Brandt."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Okafor", "Lindqvist", "Ana Ruiz", "Piet Brandt"]


def test_sentence_ending_in_a_speech_verb_introduces_the_next_quote() -> None:
    text = (
        "“The pier must close,” said Tomas Greer, the harbour master.\n\n"
        "Councillor Ines Cardoso agreed. “We cannot wait for another storm.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Tomas Greer", "Ines Cardoso"]


def test_owner_of_a_claim_or_comment_owns_the_quoted_words() -> None:
    text = (
        "Mayor Ines Cardoso spoke first.\n\n"
        "Critics mocked Tomas Greer’s claim that the pier was “never safer.”\n\n"
        "Ana Ruiz’s “toy boat” remark was just as dismissive."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Tomas Greer", "Ana Ruiz"]


def test_gender_learned_from_the_text_guides_he_and_she() -> None:
    text = (
        "Sam Okafor arrived at the harbour first.\n\n"
        "Robin Vale said she would stay until the survey.\n\n"
        "“We leave tonight,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Sam Okafor"]


def test_owner_of_a_role_before_a_name_is_not_the_antecedent() -> None:
    text = (
        "Mayor Ines Cardoso opened the harbour on Monday.\n\n"
        "Cardoso spokesman Piet Brandt, a former sailor, told reporters the pier was safe. "
        "“Nothing moved in the storm,” he said. “Not one plank.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt", "Piet Brandt"]


def test_closing_attribution_names_the_next_speaker() -> None:
    text = (
        "Mayor Ines Cardoso toured the pier.\n\n"
        "The repairs are running late, said Piet Brandt, director of the harbour board.\n\n"
        "“The timber never arrived,” he said.\n\n"
        "But the mayor will face a harder winter, Brandt said.\n\n"
        "“Nobody budgeted for two storms.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt", "Piet Brandt"]


def test_glued_page_furniture_and_number_words_are_not_people() -> None:
    text = (
        "Piet Brandt spoke first.\n\n"
        "Ana RuizFlagShareLikeReplyTom Vale posted at 9:14.\n\n"
        "Thirteen years earlier, the board had voted for the pier.\n\n"
        "“It was a mistake,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt"]


def test_titles_named_by_a_work_noun_or_a_possessive_are_not_quotes() -> None:
    text = (
        "She tossed cold water on the idea, she wrote in her memoir, “Harbour Days.”\n\n"
        "He appeared on the Evening Ledger’s “Morning Tide,” then left.\n\n"
        "“We rebuild in spring,” Ana Ruiz said."
    )
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["We rebuild in spring"]


def test_fragment_owned_by_the_attribution_closing_its_sentence() -> None:
    text = (
        "Mayor Ines Cardoso opened the pier.\n\n"
        "So are a “small handful” of boat owners who usually race in May, Piet Brandt said. "
        "Cardoso did not comment."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt"]


def test_credit_line_put_it_and_reacted() -> None:
    text = (
        "“The pier will be ready in May.”\n\n"
        "- Ines Cardoso, on the radio.\n\n"
        "As the Harbour Ledger put it, “A pier too far.”\n\n"
        "“Not again,” reacted Piet Brandt."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ines Cardoso", "Harbour Ledger", "Piet Brandt"]


def test_dash_credit_ending_the_line_names_the_speaker() -> None:
    text = (
        "Harbour residents on the new pier.\n\n"
        "“It blocks the view. Nobody asked us.” ― Ines Cardoso\n"
        "“We waited ten years for it.”― Piet Brandt \n"
        "“Build it twice.” —\xa0Lena Okafor, 34, pilot.\n"
        'The council said the pier opens in May and would "carry the town."--Karl Mendez.\n'
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == [
        "Ines Cardoso",
        "Piet Brandt",
        "Lena Okafor",
        None,  # after a sentence, a dash and a name is the writer's byline
    ]


def test_clause_subjects_past_openers_appositive_organisations_and_colons() -> None:
    text = (
        "Of Brandt, Ana Ruiz, who once worked for him, said, “He never listens.”\n\n"
        "Tomas Greer, president and CEO of Harbour Traders Association stated, "
        "“Trade is down.”\n\n"
        "The delay does not surprise harbour pilot Lena Okafor: “The timber never came.”\n\n"
        "Okafor quotes former port adviser Karl Mendez: “Build it twice.”"
    )
    quotes = _checked(text)
    speakers = [q.speaker for q in quotes]
    assert speakers[:3] == ["Ana Ruiz", "Tomas Greer", "Lena Okafor"]
    assert speakers[3] != "Karl Mendez"


def test_said_office_of_place_then_name() -> None:
    q = _one("“The pier stays open,” said former secretary of state Ana Ruiz, who built it.")
    assert q.speaker == "Ana Ruiz"
    assert q.speaker_title == "former secretary of state"


def test_headline_verbs_religions_and_characterised_remarks() -> None:
    text = (
        "Praising Okafor Wins The Harbour Vote.\n\n"
        "Lena Okafor won on Sunday. Her Catholic faith matters to her.\n\n"
        "Ines Cardoso denounced Okafor’s remarks as “reckless and vain.” "
        "“She will sink the port,” she said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ines Cardoso", "Ines Cardoso"]


def test_subject_of_the_sentence_before_and_an_office_of_a_place() -> None:
    text = (
        "Former Minister of State Ana Ruiz urged voters to back the pier, saying, "
        "“It pays for itself.”\n\n"
        "Tomas Greer touted his record on the board. “We kept the ferries running.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Tomas Greer"]


def test_role_after_an_opening_adverbial_opens_the_sentence() -> None:
    text = (
        "Ines Cardoso lost the vote on Sunday.\n\n"
        "On Monday night, Cardoso campaign manager Piet Brandt released a memo.\n\n"
        "He writes that the count was “far from over.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt"]


def test_an_opening_clause_before_the_subject_names_nobody() -> None:
    text = (
        "Back in 1999, Mr. Brandt expressed admiration for Mr. Novak's retail political "
        "skills, telling CNBC: “I wish I could be like that.”\n\n"
        "“It is a big moment,” said Ines Cardoso, a councillor for the harbour ward in 2008 "
        "and 2004. Unless further rivals immediately quit the race, “it is hard to see how "
        "the pier is stopped.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Brandt", "Ines Cardoso", "Ines Cardoso"]


def test_appositive_after_a_possessive_role_does_not_open_the_sentence() -> None:
    text = (
        "Ines Cardoso thanked her parents and her campaign manager, Piet Brandt, on Sunday.\n\n"
        "She said the harbour was “finally ours.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ines Cardoso"]


def test_state_abbreviations_party_tags_treaties_and_common_words_are_not_he() -> None:
    text = (
        "Committee Chairman Piet Brandt, R-Utah, opened the hearing.\n\n"
        "Rosa Vale, 29, of Huntsville, Ala., said she was worried. "
        "Contrast that with the North Sea Fishing Agreement, which contrast alone "
        "cannot explain.\n\n"
        "“We will not rush this,” he said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Piet Brandt"]


def test_question_ending_in_an_inner_quote_and_a_later_closing_attribution() -> None:
    text = (
        "Mayor Ines Cardoso spoke first.\n\n"
        "“She asked us, ‘What do you need?’” Tomas Greer said.\n\n"
        "“More boats” would be welcome, harbour master Piet Brandt said after the storm."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Tomas Greer", "Piet Brandt"]


def test_direction_mark_before_a_reversed_closing_mark() -> None:
    text = "Readers wrote back.\n\n\u202a”Sorry, but the pier stays shut!!” posted Rosa Vale."
    q = _one(text)
    assert q.text == "Sorry, but the pier stays shut!!"
    assert q.speaker == "Rosa Vale"


def test_clause_after_a_quote_and_questioned() -> None:
    text = (
        "“We need the pier,” Councillor Lena Okafor said in a statement, calling on the "
        "council to pay its “fair share” of the repairs.\n\n"
        "“Who pays for the second storm?” Piet Brandt questioned."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Lena Okafor", "Lena Okafor", "Piet Brandt"]


def test_military_ranks_are_titles_not_names() -> None:
    text = (
        "“Our crew did everything by the book,” said Lieutenant General Henrik Aas. "
        "“There was no dangerous approach,” Major General Arkady Velin told reporters."
    )
    found = [(q.speaker, q.speaker_title) for q in extract_quotes(text)]
    assert found == [
        ("Henrik Aas", "Lieutenant General"),
        ("Arkady Velin", "Major General"),
    ]


def test_a_name_run_ends_with_its_sentence() -> None:
    text = (
        "The convoy reached Ostrava. Lukas Brandt said the road was open.\n\n"
        "“We drove all night,” he said. Capt. Ana Ruiz agreed: “All night.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Lukas Brandt", "Ana Ruiz"]


def test_a_coined_term_or_a_titled_piece_is_somebodys_words() -> None:
    text = (
        "Ilse Marten used the term “harbour tax” twice on Monday.\n\n"
        "The ferry guild published a leaflet titled “the pier belongs to all of us.”"
    )
    quotes = _checked(text)
    assert [q.text for q in quotes] == ["harbour tax", "the pier belongs to all of us."]
    assert quotes[0].speaker == "Ilse Marten"


def test_a_sentence_ending_inside_a_quote_still_ends_before_the_next_subject() -> None:
    text = (
        "“The pier is safe,” said Mayor Tomas Brandt, adding that “the ferries run.” "
        "Lena Okafor disagreed with the count. For the harbour, she said, "
        "“the cracks are real.”"
    )
    quotes = _checked(text)
    assert quotes[-1].text == "the cracks are real."
    assert quotes[-1].speaker == "Lena Okafor"


def test_an_office_word_can_be_a_surname_after_a_first_name() -> None:
    text = (
        "Tennis great Marta King remembered the final. She saw it in 1971.\n\n"
        "“He always waved at me,” King said."
    )
    assert _one(text).speaker == "Marta King"


def test_sentence_opening_prepositions_and_roles_are_not_part_of_a_name() -> None:
    text = (
        "Despite Ana Ruiz’s warning, the board voted for the pier.\n\n"
        "“It is a mistake,” Ruiz said. “The pews are full,” Pastor Lukas Brandt said."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Lukas Brandt"]
    assert quotes[1].speaker_title == "Pastor"


def test_a_capitalised_adverb_is_neither_a_person_nor_an_organisation() -> None:
    lead = "Mayor Ines Cardoso spoke first.\n\n"
    text = (
        lead + "Hastily changing the subject, Tomas Greer blamed the board and stressed the "
        "threat that “slow disasters” pose to the port."
    )
    assert _one(text).speaker == "Tomas Greer"
    aside = (
        lead + "Hastily changing the subject ― much as he did in May ― Tomas Greer blamed the "
        "board and stressed the threat that “slow disasters” pose to the port."
    )
    assert _one(aside).speaker in (None, "Tomas Greer")


def test_she_is_never_a_group_named_in_capitals() -> None:
    text = (
        "Mara Lind spoke to the crowd at noon.\n\n"
        "Harbour Supporters cheered loudly at the pier.\n\n"
        "“We will not sell it,” she said."
    )
    assert _one(text).speaker == "Mara Lind"


def test_capitalised_words_called_of_someone_are_still_speech() -> None:
    text = "Protesters held signs calling Brandt “The Pier Wrecker” outside the hall."
    assert _one(text).text == "The Pier Wrecker"


def test_a_headline_in_capitals_after_titled_is_its_authors_words() -> None:
    text = "Ines Cardoso wrote a column titled “Why The Pier Must Stay” for the weekend."
    q = _one(text)
    assert q.text == "Why The Pier Must Stay"
    assert q.speaker == "Ines Cardoso"


def test_said_an_owners_long_role_then_the_name() -> None:
    text = "“This is the first time,” said Ruiz’s top foreign policy aide Tomas Greer."
    assert _one(text).speaker == "Tomas Greer"


def test_a_title_quoted_inside_the_sentence_does_not_cut_its_subject_off() -> None:
    text = (
        "Sen. Ana Ruiz visited the Gazette’s “Morning Pier” show to discuss her rival, "
        "Tomas Greer, saying he was “a fine sailor.”"
    )
    quotes = _checked(text)
    assert quotes[-1].text == "a fine sailor."
    assert quotes[-1].speaker == "Ana Ruiz"


def test_a_dateline_with_a_hyphen_is_not_the_subject() -> None:
    text = "KETTLEBY - Mayor Eva Brandt on Saturday called the pier plan “a slow disaster.”"
    assert _one(text).speaker == "Eva Brandt"


def test_a_quoted_phrase_running_on_before_a_closing_attribution() -> None:
    text = "The ferry was renamed “in honour of” Brandt, Ana Ruiz wrote in the newsletter."
    assert _one(text).speaker == "Ana Ruiz"


def test_quotes_joined_in_one_sentence_share_the_closing_attribution() -> None:
    text = "Storms are “a slow disaster” and “a bill nobody reads,” Ana Ruiz said on Monday."
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Ana Ruiz"]


def test_the_subject_of_the_last_main_clause_owns_its_quoted_words() -> None:
    text = (
        "Mayor Eva Brandt on Monday signed the pier order, while Tomas Greer, the harbour "
        "master, proposed that the town “wait for the spring tide.”"
    )
    assert _one(text).speaker == "Tomas Greer"


def test_a_closing_he_or_she_said_after_a_run_on_fragment() -> None:
    text = (
        "Mayor Eva Brandt opened the new pier on Tuesday.\n\n"
        "Voters had made “the biggest leap” yet for the harbour towns, she said in a message."
    )
    assert _one(text).speaker == "Eva Brandt"


def test_said_name_party_tag_then_an_appositive_naming_someone_else() -> None:
    text = (
        "“We sail at dawn,” Tomas Greer said.\n\n"
        "“The pier stays open,” said Rep. Ana Ruiz (D-Kett.), a Greer ally whose district "
        "holds the harbour."
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Tomas Greer", "Ana Ruiz"]


def test_saying_after_a_quote_is_followed_by_what_was_said_not_who() -> None:
    text = (
        "Mayor Eva Brandt gave a defence of “harbour values,” saying the town embodied "
        "the “grit of the coast.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Eva Brandt", "Eva Brandt"]


def test_a_lone_surname_that_is_also_an_office_speaks_when_known() -> None:
    text = (
        "Tennis great Marta King met the players.\n\n"
        "King says Ana Ruiz “played the long game and won it.”"
    )
    assert _one(text).speaker == "Marta King"


def test_until_opens_a_new_clause_not_the_speaker() -> None:
    text = (
        "Mara Lind met the board at noon.\n\n"
        "Lind said she was “tired of waiting” until Tomas Greer said the pier was safe."
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Mara Lind"]


def test_as_described_by_names_the_speaker() -> None:
    text = (
        "Mayor Eva Brandt spoke first.\n\n"
        "The storm left the harbour “a field of broken boats” – as described by harbour "
        "master Lena Okafor – by Monday."
    )
    assert _one(text).speaker == "Lena Okafor"


def test_a_title_case_dateline_with_an_agency_is_not_the_subject() -> None:
    text = (
        "Kettleby (Wire) – Mayor Eva Brandt took a swipe at the board on Monday, saying "
        "that “slow votes” cost the town money."
    )
    assert _one(text).speaker == "Eva Brandt"


def test_more_first_names_carry_a_gender() -> None:
    text = "Vincent Greer met Monique Ruiz at the pier.\n\n“It went well,” she said."
    assert _one(text).speaker == "Monique Ruiz"


def test_a_name_run_ends_with_its_sentence_after_a_no_break_space() -> None:
    text = (
        "The convoy reached Ostrava.\xa0Lukas Brandt said the road was open.\n\n"
        "“We drove,” he said."
    )
    assert _one(text).speaker == "Lukas Brandt"


def test_a_lead_in_clause_speaks_before_a_new_sentence_after_a_question() -> None:
    text = (
        "Ana Ruiz answers Tomas Greer with, “Why now? Why the pier?” Greer then writes "
        "back, “Because it is sinking.”"
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Tomas Greer"]


def test_the_agent_of_a_passive_naming_verb_speaks() -> None:
    text = "Tomas Greer spoke first. The plan was labeled a “slow disaster” by Mayor Eva Brandt."
    assert _one(text).speaker == "Eva Brandt"


def test_a_contracted_pronoun_is_still_the_subject() -> None:
    text = "Mara Lind opened the pier.\n\nShe’s predicting the harbour will be “full by noon.”"
    assert _one(text).speaker == "Mara Lind"


def test_someones_comments_then_saying_are_not_that_persons_words() -> None:
    text = (
        "Engineer Lena Okafor tried to play down Greer’s comments on Monday, saying they were "
        "“not a big deal around here.”"
    )
    assert _one(text).speaker == "Lena Okafor"


def test_an_abbreviated_title_does_not_end_the_sentence_before_a_name() -> None:
    text = (
        "Ana Ruiz spared her rivals, particularly Govs. Tomas Greer and Eva Brandt, who say "
        "she lacks experience.\n\n“I will win the harbour towns,” she said."
    )
    assert extract_quotes(text)[-1].speaker == "Ana Ruiz"


def test_a_he_or_she_subject_in_the_fragments_sentence_owns_it() -> None:
    text = (
        "Tomas Greer rarely speaks to reporters.\n\n"
        "That is why he wanted to “go an extra mile” for the town."
    )
    assert _one(text).speaker == "Tomas Greer"


def test_the_subject_of_a_second_main_clause_is_the_next_he() -> None:
    text = (
        "“We move on,” said Mayor Tomas Brandt.\n\n"
        "The board was ready to adjourn, but Lukas Greer wasn’t having it.\n\n"
        "“You see, everybody, this is our pier,” he said."
    )
    assert extract_quotes(text)[-1].speaker == "Lukas Greer"


def test_an_outlet_named_with_the_keeps_it_in_its_name() -> None:
    # "The" was taken for a title: the reader showed "Atlantic, The".
    text = (
        "Officials have “no plan for what comes next,” said The Atlantic. "
        "Ministers had “no plan at all,” The Atlantic reported."
    )
    assert [(q.speaker, q.speaker_title) for q in extract_quotes(text)] == [
        ("The Atlantic", None),
        ("The Atlantic", None),
    ]


def test_quote_marks_in_a_code_block_are_strings_not_speech() -> None:
    text = (
        "Ines Cardoso wrote the harbour's booking script.\n\n"
        '  it "returns the berth" do\n'
        '    expect(berth.name).must_equal "North Quay"\n'
        "  end\n\n"
        "“It took a weekend,” Cardoso said."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [("It took a weekend", "Ines Cardoso")]


def test_quote_marks_in_an_unindented_line_of_code_are_strings() -> None:
    text = (
        "Ines Cardoso showed the payload the harbour app streams.\n\n"
        '0:["$","$L1",null,{"fallback":"Loading ...","children":["$","ul",null]}]\n'
        'Gate -- "Uses" --> Berth_DB Berth_DB -- "Runs as" --> SA\n\n'
        "“It is smaller than the old one (by half),” Cardoso said [on Monday]."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("It is smaller than the old one (by half)", "Ines Cardoso")
    ]


def test_no_speaker_is_guessed_from_a_heading_or_a_thing() -> None:
    text = (
        "Static Routing\n\n"
        "Routing, put most simply, is the question “where do I send this packet?” and the "
        "answer to it.\n\n"
        "A ReplicaSet is a thing that says “keep three of these running”."
    )
    quotes = _checked(text)
    assert [q.speaker for q in quotes] == [None, None]
    # An unattributed quote right after an attributed one still carries its speaker on.
    text = "“The pier stays open,” Ines Cardoso said on Monday.\n\n“We will not close it.”"
    assert [q.speaker for q in _checked(text)] == ["Ines Cardoso", "Ines Cardoso"]


def test_a_connective_opening_the_sentence_is_no_speaker() -> None:
    text = "The board met. Therefore, the pier is “provisional” for now."
    assert all(q.speaker != "Therefore" for q in _checked(text))
    text = "Besides, the council said the pier was “too long for the bay.”"
    assert [q.speaker for q in _checked(text)] == [None]
    # Nor is a verb telling the reader what to do.
    for text in (
        "Please read “Tweaking the harbour styles” before you start.",
        "Let that sink in, the blog said, which also accused Ines Cardoso of “gatekeeping”.",
    ):
        assert all(q.speaker is None for q in _checked(text)), text


def test_a_preposition_opening_a_name_run_is_not_part_of_the_name() -> None:
    for lead in ("Against", "Within", "Behind", "Inside"):
        text = f"{lead} Ines Cardoso's plan, the council voted 5-2. Cardoso called it “a disgrace”."
        assert [q.speaker for q in _checked(text)] == ["Ines Cardoso"], lead


def test_somebody_the_story_leaves_unnamed_gets_no_name() -> None:
    text = (
        "Ines Cardoso spoke first. “It is fine,” she said. One resident said: “We are "
        "scared.” Another child responded, “Who is she?” “We are scared,” one voter said. "
        "“We have nowhere to go.” Others said: “Go home.”\n\nAnother shouted from the crowd: "
        "“Where were the sandbags?”"
    )
    quotes = _checked(text)
    assert [(q.speaker, q.speaker_title) for q in quotes] == [
        ("Ines Cardoso", None),
        (None, "One resident"),
        (None, "Another child"),
        (None, "one voter"),
        (None, "one voter"),  # the unnamed voter goes on speaking
        (None, "Others"),
        (None, "Another"),
    ]
    # Somebody new, even described by a name they work for, is not that name; an
    # appositive after a name is that name's.
    text = (
        "Ines Cardoso, an aide to the mayor, opened the pier. “It is safe,” one council "
        "aide said. Or, as Piet "
        "Brandt, a former harbour master, put it: “It will hold.”"
    )
    assert [(q.speaker, q.speaker_title) for q in _checked(text)] == [
        (None, "one council aide"),
        ("Piet Brandt", "former harbour master"),
    ]
    # A party, a place or an outlet after "one"/"a" does not make a name; an adjective
    # before a lone name does not unmake one.
    text = (
        "Piet Brandt, the mayor, spoke. “It is over,” said one Republican involved in the "
        "vote. “It is not,” a NY1 representative said. “It is,” an angry Brandt replied."
    )
    assert [q.speaker for q in _checked(text)] == [None, None, "Piet Brandt"]
    # The unnamed woman just quoted is the "she" who goes on; a "he" answering "one
    # questioner" is the man named before.
    text = (
        "Mayor Ines Cardoso opened the pier. “It is safe,” she said.\n\n“I have never seen "
        "the river this high,” said one woman, a retired teacher. She added: “We lost "
        "everything.”\n\nPiet Brandt took questions. One questioner asked about “the sandbags”. "
        "“They are coming,” he said."
    )
    assert [(q.speaker, q.speaker_title) for q in _checked(text)][1:] == [
        (None, "one woman"),
        (None, "one woman"),
        (None, "One questioner"),
        ("Piet Brandt", None),
    ]
    # A description fits a person by whole words: "the leader" is no cheerleader.
    text = "Ines Cardoso, a cheerleader, waved. “Go,” Cardoso said. Then the leader said: “Stop.”"
    assert [q.speaker for q in _checked(text)] == ["Ines Cardoso", None]
    # "a book by tweeting": a noun before a participle is no speaker.
    text = "Ines Cardoso denied she would write a book by tweeting that “I am bound by a deal.”"
    assert [q.speaker for q in _checked(text)] == ["Ines Cardoso"]


def test_a_subordinate_clause_with_its_own_subject_owns_its_quoted_words() -> None:
    text = (
        "The shift was complete when Piet Brandt in his first speech called the pier "
        "“a disgrace” and promised a new one."
    )
    assert [q.speaker for q in _checked(text)] == ["Piet Brandt"]
    # The clause ends at its comma; the verb after it is the sentence's.
    text = (
        "Ines Cardoso, who was mayor when Piet Brandt ran the port, said the pier was “a disgrace”."
    )
    assert [q.speaker for q in _checked(text)] == ["Ines Cardoso"]


def test_a_name_after_of_in_an_appositive_is_not_the_speaker() -> None:
    # The comma closing the appositive is missing, as it often is.
    text = "In 2019, Piet Brandt, the then-coach of the Kettleby Rovers tweeted, “Open it.”"
    assert [q.speaker for q in _checked(text)] == ["Piet Brandt"]
    # But "of" before a name and a participle: the name is the participle's subject.
    text = "What do you think of Cardoso privately saying “pray for him” to the board?"
    assert [q.speaker for q in _checked(text)] == ["Cardoso"]


def test_a_quote_in_a_participle_clause_between_subject_and_verb() -> None:
    text = "Piet Brandt, citing “the unique magic of the harbour,” said the senator could stay."
    assert [q.speaker for q in _checked(text)] == ["Piet Brandt"]


def test_a_name_with_combining_accents_or_decoded_twice_stays_whole() -> None:
    for name in (
        "Ana Sarukha\u0301n",
        "Ana Sarukh\u00c3\u0083\u00c2\u00a1n",
        "Ana SarukhA\u0303\x83A\u0302\u00a1n",
    ):
        text = f"{name}, the ambassador, spoke on Monday.\n\n“There is a clear need,” {name} said."
        assert [q.speaker for q in _checked(text)] == [name], repr(name)


def test_an_honorific_is_no_title() -> None:
    text = (
        "Harbour engineer Piet Brandt spoke on Monday.\n\n"
        "“The pier is sound,” Mr. Brandt said. “It is fine,” said Dr. Ines Cardoso."
    )
    quotes = _checked(text)
    assert [(q.speaker, q.speaker_title) for q in quotes] == [
        ("Piet Brandt", None),
        ("Ines Cardoso", "Dr."),
    ]


def test_a_subject_made_of_the_story_s_own_words_is_no_speaker() -> None:
    text = (
        "A deployment keeps the pods of the harbour app running.\n\n"
        "The Deployment also replaces the pods, using a “rolling” strategy by default.\n\n"
        "Ines Cardoso used the phrase “zero downtime” all week."
    )
    quotes = _checked(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("rolling", None),
        ("zero downtime", "Ines Cardoso"),
    ]


def test_a_capital_that_only_opens_sentences_is_no_speaker() -> None:
    text = (
        "The weave and the unfold look the same.\n\n"
        "Below, we only renamed the “S” suffixes to “L” for clarity.\n\n"
        "Alas, there is no “core curriculum” in origami."
    )
    assert [(q.text, q.speaker) for q in _checked(text)] == [
        ("S", None),
        ("L", None),
        ("core curriculum", None),
    ]
    # A one-word name written mid-sentence, after an abbreviation or as an owner is a name.
    for text in (
        "We asked Okasaki about it. Okasaki presents a “numbering” of the tree.",
        "The memo went to Capt. Brandt on Monday. Brandt called the plan “sound”.",
        "Bornsten’s letter was short. Bornsten predicted “the healthiest” president.",
    ):
        assert all(q.speaker for q in _checked(text)), text


def test_i_or_they_opening_the_sentence_own_its_quote() -> None:
    text = (
        "Jack Conte runs the studio. And so I’m like, “If we can keep ten percent of these.” "
        "They’re like, “Oh, no.”"
    )
    assert [q.speaker for q in _checked(text)] == [None, None]
    # A lone quoted word the writer uses is still a term, not speech.
    assert _checked("Here we factor the pruning out of the “minimax” logic.") == []


def test_in_a_first_person_post_a_product_is_no_speaker() -> None:
    post = (
        "I moved my blog to Harbourline last year, and I have not looked back.\n\n"
        "Harbourline is built on an open protocol, so users have a “credible exit” if the "
        "company goes wrong. My posts moved in an hour."
    )
    assert [(q.text, q.speaker) for q in _checked(post)] == [("credible exit", None)]
    # In a report, the subject of the sentence still owns the words.
    report = "Ines Cardoso said the pier was safe. Cardoso called the repairs “overdue”."
    assert [q.speaker for q in _checked(report)] == ["Ines Cardoso"]


def test_a_lone_word_after_a_speech_verb_in_its_base_form_is_kept() -> None:
    text = "When the pier reopened, all the crowd could do was shout “Hooray!” at the boats."
    assert [q.text for q in _checked(text)] == ["Hooray!"]
