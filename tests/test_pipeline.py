"""The analysis pipeline on a real library file: what it stores, and that it keeps user work."""

from __future__ import annotations

from app.analysis import pipeline
from storage import Library
from storage.models import Entry

WITH_BLOCK = """Key points
- Ukraine asks allies for more arms before winter
- Russia warns that arms deliveries escalate the war

Ukraine's defence minister asked allies for more arms at a meeting in Brussels on Thursday. \
"We need air defence before the winter comes," Oleksii Marchenko said.

Russia's deputy foreign minister warned that arms deliveries would escalate the war. Western \
officials said the arms would keep flowing to Ukraine."""

PLAIN = """The harbour authority in Port Ellin halted all ferry crossings on Monday after a \
storm damaged the north pier. Engineers said repairs would take a month.

"We will get people where they need to go," said Mara Voss, who runs the island ferry \
service. The storm also cut power to two villages overnight."""


def _add(library: Library, *stories: tuple[str, str]) -> list[int]:
    feed = library.add_feed(f"http://feeds.test/{len(library.list_feeds())}")
    entries = [Entry(uid=t, title=t, text=x) for t, x in stories]
    return library.upsert_entries(feed.id, entries).new


def test_analyse_stories_stores_everything(library: Library) -> None:
    library.set_topic_rule("Ukraine war", "ukraine AND (arms OR weapon*)")
    block_id, plain_id = _add(
        library, ("Ukraine presses allies for arms", WITH_BLOCK), ("Storm halts ferries", PLAIN)
    )
    report = pipeline.analyse_stories(library, [block_id, plain_id])
    assert report.analysed == 2 and report.failed == []
    assert report.blocks_removed == 1

    story = library.get_story(block_id)
    assert story.analysis_version == pipeline.ANALYSIS_VERSION
    assert "Key points" not in story.text and "- Ukraine asks" not in story.text
    assert [h.text for h in story.highlights] == [
        "Ukraine asks allies for more arms before winter",
        "Russia warns that arms deliveries escalate the war",
    ]
    assert all(h.kind == "publisher" for h in story.highlights)
    for h in story.highlights:
        assert 0 <= h.start < h.end <= len(story.text)
    tags = {t.name: t.source for t in story.tags}
    assert tags["Ukraine war"] == "rule"
    assert tags["Ukraine arms"] == "suggested"

    plain = library.get_story(plain_id)
    assert plain.text == PLAIN
    assert [h.kind for h in plain.highlights] == ["summary"] * 3
    for h in plain.highlights:
        assert plain.text[h.start : h.end] == h.text
    assert "Ukraine war" not in {t.name for t in plain.tags}


def test_quotes_are_stored(library: Library) -> None:
    (sid,) = _add(library, ("Storm halts ferries", PLAIN))
    pipeline.analyse_stories(library, [sid])
    story = library.get_story(sid)
    assert [q.speaker for q in story.quotes] == ["Mara Voss"]
    q = story.quotes[0]
    assert story.text[q.start : q.end] == q.text


def test_reanalysis_keeps_publisher_highlights_and_user_work(library: Library) -> None:
    (sid,) = _add(library, ("Ukraine presses allies for arms", WITH_BLOCK))
    pipeline.analyse_stories(library, [sid])
    text = library.get_story(sid).text
    start = text.index("Western officials")
    user_highlight = library.add_highlight(sid, start, start + len("Western officials"))
    library.tag_story(sid, "to read", "user")
    library.untag_story(sid, "Ukraine arms")

    pipeline.analyse_stories(library, [sid])  # the block has already left the body
    story = library.get_story(sid)
    assert story.text == text
    assert [h.text for h in story.highlights if h.kind == "publisher"] == [
        "Ukraine asks allies for more arms before winter",
        "Russia warns that arms deliveries escalate the war",
    ]
    assert user_highlight in [h.id for h in story.highlights if h.kind == "user"]
    tags = {t.name: t.source for t in story.tags}
    assert tags["to read"] == "user"
    assert "Ukraine arms" not in tags  # removed by the user, never put back


def test_analyse_pending_and_changed_stories(library: Library) -> None:
    ids = _add(library, ("Storm halts ferries", PLAIN), ("Ukraine presses allies", WITH_BLOCK))
    assert library.stories_to_analyse(pipeline.ANALYSIS_VERSION) == ids
    report = pipeline.analyse_pending(library)
    assert report.analysed == 2
    assert library.stories_to_analyse(pipeline.ANALYSIS_VERSION) == []
    # A story that changes in its feed is analysed again.
    feed_id = library.get_story(ids[0]).feed_id
    changed = PLAIN.replace("a month", "six weeks")
    result = library.upsert_entries(
        feed_id, [Entry(uid="Storm halts ferries", title="Storm halts ferries", text=changed)]
    )
    assert result.updated == [ids[0]]
    assert library.stories_to_analyse(pipeline.ANALYSIS_VERSION) == [ids[0]]
    assert pipeline.analyse_pending(library).analysed == 1


def test_apply_topic_rule_to_the_library(library: Library) -> None:
    ids = _add(library, ("Storm halts ferries", PLAIN), ("Ukraine presses allies", WITH_BLOCK))
    library.set_topic_rule("Ferries", "ferry OR ferries")
    assert pipeline.apply_topic_rule(library, "Ferries") == 1
    assert library.story_ids(tags=["Ferries"]) == [ids[0]]
    # A changed rule moves the topic; stories it no longer matches lose it.
    library.set_topic_rule("Ferries", "ukraine")
    assert pipeline.apply_topic_rule(library, "Ferries") == 1
    assert library.story_ids(tags=["Ferries"]) == [ids[1]]


def test_hostile_stories_never_raise(library: Library) -> None:
    huge = ("The council met again to discuss the harbour. " * 22_000)[:1_000_000]
    stories = [
        ("Huge", huge),
        ("No sentences", "no full stop no capitals just words and more words"),
        ("Quotes", '"unbalanced “quotes” he said "" “ ” ” and ‘ more'),
        ("Empty", ""),
        ("Controls", "\x1b[31mRed\x1b[0m text \x00 with controls. Another line here."),
    ]
    ids = _add(library, *stories)
    report = pipeline.analyse_stories(library, ids)
    assert report.failed == [] and report.analysed == len(stories)
    for sid in ids:
        story = library.get_story(sid)
        for item in [*story.highlights, *story.quotes]:
            assert 0 <= item.start <= item.end <= len(story.text)


def test_analyse_text_json_shape() -> None:
    result = pipeline.analyse_text(WITH_BLOCK, title="Ukraine presses allies for arms")
    data = result.to_json("story.txt")
    assert set(data) == {"source", "title", "text", "quotes", "highlights", "topics"}
    assert data["text"] == result.text
    for h in data["highlights"]:
        assert set(h) == {"text", "start", "end", "kind"}
    for t in data["topics"]:
        assert set(t) == {"name", "score", "source"}
