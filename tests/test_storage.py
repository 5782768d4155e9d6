"""The library keeps what the user made while feeds change underneath it."""

from __future__ import annotations

import pytest

from storage import Library
from storage.anchors import reanchor
from storage.feeds import FeedExists, FeedNotFound
from storage.models import Entry
from storage.stories import StoryNotFound

TEXT = "Kyiv asked for more air defence.\n\nThe ministry said deliveries would start in May."


def _feed_with_story(library: Library) -> tuple[int, int]:
    feed = library.add_feed("https://example.com/a.xml", title="A")
    result = library.upsert_entries(feed.id, [Entry(uid="1", title="Air defence", text=TEXT)])
    return feed.id, result.new[0]


def test_upsert_is_idempotent(library: Library) -> None:
    feed_id, _ = _feed_with_story(library)
    again = library.upsert_entries(feed_id, [Entry(uid="1", title="Air defence", text=TEXT)])
    assert again.new == [] and again.updated == [] and again.unchanged == 1


def test_changed_story_updates_in_place_and_keeps_user_work(library: Library) -> None:
    feed_id, story_id = _feed_with_story(library)
    start = TEXT.index("deliveries")
    hid = library.add_highlight(story_id, start, start + len("deliveries would start in May"))
    library.add_note(story_id, "check the date", highlight_id=hid)
    library.tag_story(story_id, "ukraine arms")
    library.set_saved(story_id)
    library.set_read(story_id)

    changed = "UPDATE: " + TEXT.replace("more air", "more modern air")
    result = library.upsert_entries(
        feed_id, [Entry(uid="1", title="Air defence (updated)", text=changed)]
    )
    assert result.updated == [story_id]
    story = library.get_story(story_id)
    assert story.title == "Air defence (updated)"
    assert story.saved and story.read
    assert [t.name for t in story.tags] == ["ukraine arms"]
    (highlight,) = story.highlights
    assert changed[highlight.start : highlight.end] == "deliveries would start in May"
    assert story.notes[0].highlight_id == highlight.id
    assert story.analysis_version == 0


def test_highlight_whose_passage_vanished_is_kept_detached(library: Library) -> None:
    feed_id, story_id = _feed_with_story(library)
    library.add_highlight(story_id, 0, 4, note="Kyiv!")
    library.upsert_entries(feed_id, [Entry(uid="1", title="Air defence", text="Rewritten.")])
    (highlight,) = library.highlights(story_id)
    assert not highlight.anchored
    assert highlight.text == "Kyiv" and highlight.note == "Kyiv!"


def test_story_dropped_by_feed_is_kept(library: Library) -> None:
    feed_id, story_id = _feed_with_story(library)
    library.set_saved(story_id)
    library.upsert_entries(feed_id, [Entry(uid="2", title="Other", text="Other text.")])
    assert library.get_story(story_id).saved
    assert library.count_stories() == 2


def test_reanchor_prefers_matching_context() -> None:
    text = "said no. Then he said no. Later she said no."
    where = reanchor(text, "said no", "Then he ", ". Later", 0)
    assert where == (17, 24)
    assert text[17:24] == "said no"
    assert reanchor("nothing here", "said no", "", "", 0) is None


def test_tag_removed_by_user_is_never_re_added_by_automation(library: Library) -> None:
    _, story_id = _feed_with_story(library)
    assert library.tag_story(story_id, "Air", "rule")
    assert library.untag_story(story_id, "Air")
    assert not library.tag_story(story_id, "Air", "learned", 0.9)
    assert not library.tag_story(story_id, "Air", "rule")
    assert library.story_tags(story_id) == []
    assert library.tag_story(story_id, "Air", "user")
    assert [t.source for t in library.story_tags(story_id)] == ["user"]


def test_automation_never_downgrades_a_user_tag(library: Library) -> None:
    _, story_id = _feed_with_story(library)
    library.tag_story(story_id, "arms", "user")
    assert not library.tag_story(story_id, "arms", "suggested", 0.4)
    assert library.story_tags(story_id)[0].source == "user"


def test_feed_errors(library: Library) -> None:
    library.add_feed("https://example.com/a.xml")
    with pytest.raises(FeedExists):
        library.add_feed("https://example.com/a.xml")
    with pytest.raises(FeedNotFound):
        library.find_feed("https://nowhere.example/")
    with pytest.raises(StoryNotFound):
        library.get_story(999)


def test_feed_found_by_id_url_or_title(library: Library) -> None:
    feed = library.add_feed("https://example.com/a.xml", title="Harbour Courier")
    assert library.find_feed(str(feed.id)).id == feed.id
    assert library.find_feed("https://example.com/a.xml").id == feed.id
    assert library.find_feed("harbour courier").id == feed.id


def test_permanent_redirect_updates_url(library: Library) -> None:
    feed = library.add_feed("http://old.example/feed")
    library.update_feed_fetch(feed.id, status="ok", etag='"v1"', new_url="https://new.example/f")
    updated = library.get_feed(feed.id)
    assert updated.url == "https://new.example/f" and updated.etag == '"v1"'


def test_mark_all_read_and_counts(library: Library) -> None:
    feed = library.add_feed("https://example.com/a.xml")
    library.upsert_entries(feed.id, [Entry(uid=str(i), title=f"S{i}") for i in range(5)])
    assert library.get_feed(feed.id).unread_count == 5
    assert library.mark_all_read(feed_id=feed.id) == 5
    assert library.count_stories(unread=True) == 0


def test_deleting_a_feed_removes_its_stories(library: Library) -> None:
    feed_id, _ = _feed_with_story(library)
    library.remove_feed(feed_id)
    assert library.count_stories() == 0
    assert library.integrity_ok()
