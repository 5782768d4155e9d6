"""Suggested topics: specific labels from the story itself, worded alike across a thread."""

from __future__ import annotations

import re

from app.analysis.topics.suggested import MAX_LABELS, suggest_topics

SYRIA_1 = (
    "Russia and US extend channel over Syria air operations",
    "Russian and American military officers agreed on Tuesday to extend a de-confliction "
    "line for air operations over Syria, officials said. The de-confliction arrangement is "
    "meant to stop aircraft from the two countries coming too close in Syrian airspace.\n\n"
    '"The channel works, and both sides want to keep it working," a Pentagon spokesman said. '
    "Moscow said its pilots would keep flying missions near Deir ez-Zor.",
)
SYRIA_2 = (
    "PENTAGON SAYS DECONFLICTION CALLS ROSE IN MARCH",
    "Calls over the deconfliction line between US and Russian commanders in Syria rose "
    "sharply in March, the Pentagon said on Friday.\n\nOfficers used the line more than forty "
    'times as Russian jets flew near American troops in eastern Syria. "De-confliction has '
    'kept pilots safe," Colonel Dana Fisk said. Syrian air defence units were also on alert.',
)
UKRAINE_1 = (
    "Ukraine asks allies for more arms",
    "Ukraine's defence minister asked allies for more arms at a meeting in Brussels on "
    "Thursday, saying Kyiv needed air defence before winter. Ukrainian officials said arms "
    "deliveries had slowed.",
)
UKRAINE_2 = (
    "Allies Promise Weapons To Ukraine",
    "Western allies promised new weapons to Ukraine after the Brussels meeting. The arms "
    "include artillery and air defence, and Ukraine's president thanked them.",
)


def names(story: tuple[str, str]) -> list[str]:
    return [s.name for s in suggest_topics(*story)]


def test_place_and_action_make_the_label() -> None:
    assert names(SYRIA_1)[0] == "Syria de-confliction"
    assert names(UKRAINE_1)[0] == "Ukraine arms"


def test_one_thread_gets_the_same_wording() -> None:
    # Different spellings, demonyms and headline casing still land on one label.
    assert names(SYRIA_1)[0] == names(SYRIA_2)[0]
    assert names(UKRAINE_1)[0] == names(UKRAINE_2)[0]
    # Headline capitals are not names: "Allies" and "Promise" make no label.
    assert not any(n.startswith(("Allies", "Promise")) for n in names(UKRAINE_2))


def test_stable_across_runs_and_scored() -> None:
    first = suggest_topics(*SYRIA_1)
    assert first == suggest_topics(*SYRIA_1)
    assert 1 <= len(first) <= MAX_LABELS
    assert all(0 < s.score <= 1 for s in first)
    assert [s.score for s in first] == sorted((s.score for s in first), reverse=True)


def test_salient_word_when_no_curated_action() -> None:
    story = (
        "Lisbon trams return",
        "Lisbon brought its old trams back to the hills on Monday. The trams had been away "
        "for repairs, and Lisbon residents cheered as the first trams climbed the streets.",
    )
    assert names(story)[0] == "Lisbon trams"


def test_nothing_to_say_gives_no_labels() -> None:
    assert suggest_topics("", "") == []
    assert suggest_topics("", "it rained. then it stopped. nobody minded much.") == []


def test_hostile_inputs_never_raise() -> None:
    huge = "Ukraine arms. " * 80_000
    assert names(("", huge))[0] == "Ukraine arms"
    suggest_topics('"""', "“ ” \" ' ’ ‘ \x00 \x1b[2J A. B. C. D.")


def test_salient_term_is_a_whole_word_never_the_tail_of_a_name() -> None:
    title = "Dravian jets intercept Aldermark patrol plane over Skerran Sea"
    text = (
        "Two Dravian fighter jets intercepted an Aldermark patrol plane over the Skerran Sea "
        "on Tuesday, Aldermark officials said. Aldermark said the patrol was routine. "
        "Dravia said the Aldermark plane had flown too close to its coast."
    )
    labels = [s.name for s in suggest_topics(title, text)]
    assert labels
    words = set(re.findall(r"[\w-]+", f"{title} {text}".lower()))
    for label in labels:
        assert set(label.lower().split()) <= words, label


def test_transcript_labels_are_their_speakers_and_stage_directions_nobody() -> None:
    title = "Harbour chief on the pier delay"
    text = (
        "Harbour master Ines Cardoso spoke to Karl Mendez about the pier on Sunday.\n\n"
        '"MENDEZ: Will the pier open in May?\n\n"CARDOSO: It will. The pier timber is here.\n\n'
        '"(CROSSTALK.)\n\n"MENDEZ: And the pier cranes?\n\n"CARDOSO: Next week."'
    )
    labels = names((title, text))
    assert labels, "a story about a pier names its people"
    assert not any("CROSSTALK" in label or "MENDEZ" in label for label in labels), labels


def test_a_word_any_story_uses_is_no_topic() -> None:
    title = "Okafor scores twice as Harbour beat Port Ellin 4-1"
    text = (
        "Lena Okafor scored twice as Harbour beat Port Ellin 4-1 on Sunday. It was a good "
        "night for Okafor, who said the team felt good. Okafor has been good all month and "
        "her coach said she looks good. The good run puts Harbour third. Okafor said the "
        "crowd was good too."
    )
    assert not any(label.endswith(" good") for label in names((title, text)))


def test_new_york_keeps_its_new() -> None:
    title = "New York investigates the harbour company"
    text = (
        "New York officials are investigating the harbour company over its pier contracts. "
        "The investigation began in October, New York prosecutors said, and the investigation "
        "will look at the company's former chief."
    )
    labels = names((title, text))
    assert "New York investigation" in labels, labels
    assert not any(label.startswith("York") for label in labels)


def test_ambiguous_words_name_no_action_without_their_phrase() -> None:
    listing = (
        "Kettleby Port to list its shares on the stock exchange",
        "Kettleby Port plans to list its shares on the Valdria stock exchange in May. Kettleby "
        "Port said the exchange listing would raise money for a new quay, and the exchange "
        "expects strong demand. Kettleby Port has been at peace with its unions for years.",
    )
    assert not any(n.endswith(("prisoner swap", "peace deal")) for n in names(listing))
    swap = (
        "Dravia and Aldermark agree prisoner swap",
        "Dravia and Aldermark agreed a prisoner swap on Monday. The prisoner exchange will "
        "take place at the border, Dravia said, and Aldermark confirmed the swap of prisoners.",
    )
    assert any(n.endswith("prisoner swap") for n in names(swap))


def test_no_labels_for_a_story_in_another_language() -> None:
    portuguese = (
        "Uma loja de materiais educativos em Kettleby",
        "A loja de Kettleby vende materiais para os filhos e para a escola. Os pais dizem que "
        "a loja é a melhor da cidade, e que os preços são bons para todos os que vivem em "
        "Kettleby. A loja abre de segunda a sábado, com mais materiais para os filhos.",
    )
    assert names(portuguese) == []
    # An English story that never uses a stopword is still read (headline-like text).
    assert names(("", "Ukraine arms. " * 20))[0] == "Ukraine arms"


def test_no_label_pairs_a_word_with_itself_or_a_contraction() -> None:
    oil = (
        "Oil falls",
        "Traders sold Oil on Monday. Oil fell as Oil supply grew, and oil traders said oil "
        "would stay cheap. The oil glut grew.",
    )
    assert "Oil oil" not in names(oil)
    song = (
        "How Ines Cardoso wrote it",
        "Ines Cardoso didn't plan it. Cardoso didn't want it, and Cardoso didn't mind. She "
        "didn't rush it at all.",
    )
    found = names(song)
    assert found and not any("didn't" in n for n in found)
    diary = (
        "Looking back on the year",
        "I've worked on many things. I've had work to do and I'll work more. I've liked the "
        "work at the Kettleby harbour, and Kettleby liked the work too.",
    )
    assert not any(n.startswith(("I've", "I'll")) for n in names(diary))


def test_an_organisation_is_not_folded_into_its_last_word() -> None:
    # "Sergei Ryabkov" folds into "Ryabkov"; "Harbour Policy Center" is no "Center".
    title = "Harbour tax plan would raise billions, analysts say"
    text = (
        "The Kettleby Harbour Policy Center said the harbour tax plan would raise billions. "
        "The Harbour Policy Center expects tax receipts to double. A report from the Center "
        "for Port Studies agreed that taxes would rise. The Harbour Policy Center said the "
        "tax would fall on shipping firms, and the Kettleby council said taxes were fair."
    )
    names = [s.name for s in suggest_topics(title, text)]
    assert names and not any(n.startswith("Center ") for n in names), names


def test_a_spokesperson_is_no_actor_and_a_title_is_no_part_of_a_name() -> None:
    title = "Levee breached as river peaks"
    text = (
        "Emergency crews were sent to the Kettleby levee before dawn after residents saw "
        'water pouring through the wall. "We are asking people not to wait," said Dana Holt, '
        "a spokesperson for the emergency service. The river will peak on Wednesday, higher "
        "than the 2011 flood. Mayor Tomas Brandt said the river was the worst he had seen."
    )
    names = [s.name for s in suggest_topics(title, text)]
    assert names and not any("Holt" in n or "Mayor" in n for n in names), names
