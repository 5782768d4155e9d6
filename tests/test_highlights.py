"""Highlights: a publisher's block leaves the body and becomes highlights; otherwise three
summary sentences, each with offsets into the final text."""

from __future__ import annotations

from pathlib import Path

from app.analysis.highlights import (
    find_highlights,
    publisher_items_from_html,
    split_publisher_block,
    summary_sentences,
)

STORY = """Key points
• Harbour authority halts ferry crossings after the storm
• Repairs to the north pier will take a month

The harbour authority in Port Ellin halted all ferry crossings on Monday after a storm \
damaged the north pier. Engineers said repairs to the pier would take at least a month.

Ferry operators said they would run extra buses along the coast road. "We will get people \
where they need to go," said Mara Voss, who runs the island service.

The storm also cut power to two villages overnight. The harbour authority said the ferry \
timetable would be published again once the pier reopens."""


def test_plain_text_block_leaves_the_body() -> None:
    items, body = split_publisher_block(STORY)
    assert items == [
        "Harbour authority halts ferry crossings after the storm",
        "Repairs to the north pier will take a month",
    ]
    assert body.startswith("The harbour authority in Port Ellin")
    assert "Key points" not in body and "•" not in body


def test_publisher_highlights_point_at_the_passage_they_sum_up() -> None:
    result = find_highlights(STORY)
    assert result.block_removed
    assert [h.kind for h in result.highlights] == ["publisher", "publisher"]
    first, second = result.highlights
    assert first.text == "Harbour authority halts ferry crossings after the storm"
    assert result.text[first.start : first.end].startswith("The harbour authority in Port Ellin")
    assert "repairs to the pier" in result.text[second.start : second.end]


def test_other_headings_publishers_give_their_block() -> None:
    bullets = STORY.split("\n", 1)[1]
    for heading in ("Key takeaways", "KEY POINTS:", "Main points", "What we know so far"):
        items, body = split_publisher_block(f"{heading}\n{bullets}")
        assert len(items) == 2, heading
        assert body.startswith("The harbour authority in Port Ellin"), heading


def test_a_list_in_the_middle_stays_in_the_story() -> None:
    text = (
        "Ministers met on Tuesday to agree the budget for schools.\n\n"
        "They agreed three things:\n- more teachers\n- new roofs\n\nThe vote is next week."
    )
    items, body = split_publisher_block(text)
    assert items == [] and body == text


def test_a_story_that_is_only_a_list_is_not_a_block() -> None:
    text = "- first thing\n- second thing\n- third thing"
    assert split_publisher_block(text) == ([], text)


def test_summary_sentences_have_exact_offsets() -> None:
    _, body = split_publisher_block(STORY)
    spans = summary_sentences(body, title="Storm halts Port Ellin ferries")
    assert len(spans) == 3
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    for span in spans:
        assert span.kind == "summary"
        assert body[span.start : span.end] == span.text
    assert spans[0].start == 0  # the lead sentence of a news story is its summary


def test_story_without_a_block_gets_summaries() -> None:
    _, body = split_publisher_block(STORY)
    result = find_highlights(body)
    assert not result.block_removed
    assert result.text == body
    assert {h.kind for h in result.highlights} == {"summary"}


def test_cnn_story_highlights(corpora: Path) -> None:
    from app.ingest.clean import html_to_text

    html = (corpora / "story-highlights" / "cnn_article.html").read_text(
        encoding="utf-8", errors="replace"
    )
    items = publisher_items_from_html(html)
    assert items == [
        "The worst of holiday travel fears fail to materialize",
        '"Tomorrow will be a quieter day," says CNN meteorologist',
        "Fate of Macy's Thanksgiving Day Parade balloons still up in the air",
    ]
    page_text = html_to_text(html)
    assert "Fate of Macy's Thanksgiving Day Parade balloons" in page_text
    result = find_highlights(page_text, publisher_items=items)
    assert result.block_removed
    assert "STORY HIGHLIGHTS" not in result.text
    for item in items:
        assert item not in result.text
    assert [h.text for h in result.highlights] == items
    anchored = [result.text[h.start : h.end] for h in result.highlights]
    assert "holiday travel fears failed to materialize" in anchored[0]
    assert anchored[1].startswith("Tomorrow will be a quieter day")
    assert "Thanksgiving Day Parade" in anchored[2]


def test_html_without_a_block() -> None:
    html = "<html><body><ul><li>Home</li><li>World</li></ul><p>Text.</p></body></html>"
    assert publisher_items_from_html(html) == []
    assert publisher_items_from_html("<ul><li>unclosed") == []


def test_hostile_inputs_never_raise() -> None:
    huge = ("The council met again. " * 50_000)[:1_000_000]
    for text in [
        "",
        "   \n\n  ",
        "no full stop at all and no capitals",
        huge,
        '"unbalanced “quotes” here "" “ ” ”',
        "\x00\x1b[31mred\x1b[0m",
        "•\n•\n•",
    ]:
        result = find_highlights(text)
        for h in result.highlights:
            assert 0 <= h.start <= h.end <= len(result.text)


def test_page_furniture_lists_are_not_highlights() -> None:
    sidebar = (
        "<h3>IN BRIEF:</h3><ul>"
        '<li><a href="/a">Man dressed as pilot arrested at the gate</a></li>'
        '<li><a href="/b">Ferry crossings halted after the storm hit</a></li>'
        '<li><a href="/c">Council votes on the new harbour budget</a></li></ul>'
    )
    toolbar = '<h2>Summary</h2><ul class="tools"><li>Order Reprints</li><li>Print Article</li></ul>'
    assert publisher_items_from_html(f"<html><body>{sidebar}<p>Body.</p></body></html>") == []
    assert publisher_items_from_html(f"<html><body>{toolbar}<p>Body.</p></body></html>") == []
    text = "- Order Reprints\n- Print Article\n\n" + STORY.split("\n\n", 1)[1]
    assert split_publisher_block(text)[0] == []


def test_key_points_lose_a_closing_link_to_the_homepage() -> None:
    html = (
        '<ul class="summary-list"><li>Harbour authority halts ferry crossings after the storm</li>'
        "<li>Repairs to the north pier will take a month</li>"
        "<li>Visit the Harbour Ledger's homepage for more stories.</li></ul>"
    )
    assert publisher_items_from_html(html) == [
        "Harbour authority halts ferry crossings after the storm",
        "Repairs to the north pier will take a month",
    ]


def test_a_sentence_said_twice_is_one_summary_highlight() -> None:
    line = "Portion Fix Containers: 1 Green, 1 Red, 1 Yellow, 1 tsp of oil for the fish."
    text = f"{line}\n\nCook the fish for ten minutes over a low heat.\n\n{line}\n\nServe it hot."
    texts = [h.text for h in summary_sentences(text)]
    assert len(texts) == len(set(texts))


def test_code_and_lead_in_lines_are_not_summary_highlights() -> None:
    text = (
        "The harbour booking site now shows which berths are free, Ines Cardoso wrote on the "
        "harbour blog this week.\n\n"
        "The berth list is read from the harbour database every minute:\n\n"
        '  berths = db.query("SELECT * FROM berths WHERE free = 1");\n'
        "  render(berths);\n\n"
        "add_filter( 'berth_status', 'show_free_berths' );\n\n"
        "The site is faster than the old harbour board page, and the berth list is always "
        "right, Cardoso said.\n\n"
        "Skippers can book a free berth from the harbour site on their phones."
    )
    found = [h.text for h in summary_sentences(text)]
    assert len(found) == 3
    assert not any(
        ("berths" in t and "=" in t) or "add_filter" in t or t.endswith(":") for t in found
    )
