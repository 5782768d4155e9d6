"""The learned speaker scorer: candidates around a quote and the choice among them."""

from __future__ import annotations

from app.analysis.attribution import Organisations, QuoteSite, candidates, choose
from app.analysis.attribution_model import WEIGHTS
from app.analysis.names import collect_people
from app.analysis.quotes import extract_quotes

# Quoted words are blanked (as quotes.py masks them) so names inside never count.
_TEXT = (
    "Ines Cardoso chaired the harbour meeting on Monday.\n\n"
    "Later the engineer Tomas Greer spoke about the “\x00\x00\x00\x00\x00” for an hour, "
    "Paul Ortiz said.\n\n"
)


def _site(path: str, kind: str) -> QuoteSite:
    q_open = _TEXT.index("“")
    sentence = _TEXT.index("Later")
    end = len(_TEXT)
    return QuoteSite(q_open, q_open + 6, sentence, sentence, end, end, end, path, kind, None, False)


def test_without_a_rule_the_person_in_the_quotes_sentence_beats_an_earlier_one() -> None:
    people = collect_people(_TEXT)
    cands = candidates(people, _site("none", "none"), None, None, {})
    assert {c.person.name for c in cands} == {"Ines Cardoso", "Tomas Greer", "Paul Ortiz"}
    chosen = choose(cands, WEIGHTS)
    assert chosen is not None and chosen.name in ("Tomas Greer", "Paul Ortiz")


def test_a_named_attribution_after_the_quote_outranks_nearer_mentions() -> None:
    people = collect_people(_TEXT)
    ortiz = people.lookup(["Ortiz"])
    assert ortiz is not None
    cands = candidates(people, _site("after", "name"), ortiz, None, {})
    assert cands[0].person is ortiz  # the rule's proposal comes first
    assert choose(cands, WEIGHTS) is ortiz


def test_no_candidates_means_no_speaker() -> None:
    people = collect_people("“\x00\x00\x00” was all.")
    site = QuoteSite(0, 4, 0, 0, 12, 12, 12, "none", "none", None, partial=False)
    assert choose(candidates(people, site, None, None, {}), WEIGHTS) is None


def test_an_unattributed_quote_goes_to_the_person_named_in_its_sentence() -> None:
    text = (
        "Mayor Ines Cardoso opened the session on Monday.\n\n"
        "The harbour engineer Tomas Greer was blunt about the delays: "
        "“We have waited ten years for this bridge.”"
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Tomas Greer"]


def test_weights_are_a_small_readable_table() -> None:
    assert 10 <= len(WEIGHTS) <= 400
    assert all(isinstance(k, str) and isinstance(v, float) for k, v in WEIGHTS.items())
    assert WEIGHTS["rule"] > 0  # the rules' proposal counts for its speaker


def test_outlets_and_bodies_are_candidates_and_speak_before_a_verb() -> None:
    text = "The Harbour Gazette reported on Monday that the pier had closed. Tomas Greer left."
    orgs = Organisations(text)
    assert [m.person.name for m in orgs.mentions] == ["Harbour Gazette"]
    assert orgs.mentions[0].subject  # "reported" follows it
    quiet = Organisations("Tomas Greer read the Harbour Gazette on the train.")
    assert [m.subject for m in quiet.mentions] == [False]
    assert Organisations("CNN’s Ana Ruiz asked first.").mentions == []


def test_an_outlet_that_reported_the_words_speaks_them() -> None:
    text = (
        "Mayor Ines Cardoso opened the pier in May.\n\n"
        "The Harbour Gazette reported that the work had cost “twice what anyone was told.”"
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Harbour Gazette"]


def test_a_rule_pick_that_looks_like_no_person_is_marked() -> None:
    text = "WASHINGTON spoke first. Guns were everywhere, and guns sold.\n\n“\x00\x00” Guns said."
    people = collect_people(text)
    guns = people.lookup(["Guns"])
    assert guns is not None
    q_open = text.index("“")
    site = QuoteSite(
        q_open,
        q_open + 3,
        q_open,
        q_open,
        len(text),
        len(text),
        len(text),
        "after",
        "name",
        None,
        partial=False,
    )
    cands = candidates(people, site, guns, None, {})
    assert cands[0].person is guns
    assert cands[0].features.get("rule:common") == 1.0


def test_a_description_no_person_fits_keeps_no_speaker() -> None:
    text = (
        "Valdria asked for more shells on Monday.\n\n"
        "Dravian officials have described the deliveries to Valdria as “fuel on a fire.”"
    )
    quotes = extract_quotes(text)
    assert [(q.speaker, q.speaker_title) for q in quotes] == [(None, "Dravian officials")]
