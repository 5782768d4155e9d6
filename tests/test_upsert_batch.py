"""upsert_entries stores a feed's new stories with one statement: ids in entry order, every
story searchable, updates and user data kept as the story-by-story path keeps them."""

from __future__ import annotations

import pytest

from storage import Library
from storage.models import Entry


def _fts_ok(library: Library) -> bool:
    try:
        library.conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")
    except Exception:
        return False
    return True


def test_new_ids_follow_the_entries_and_every_story_is_searchable(library: Library) -> None:
    feed = library.add_feed("https://example.org/feed")
    other = library.add_feed("https://example.org/other")
    library.upsert_entries(other.id, [Entry(uid="b", title="Same uid, other feed")])
    entries = [Entry(uid=u, title=f"Harbour story {u}", text=f"body {u}") for u in "cab"]
    result = library.upsert_entries(feed.id, entries)
    assert [library.get_story(i).uid for i in result.new] == ["c", "a", "b"]
    assert all(library.get_story(i).feed_id == feed.id for i in result.new)
    assert library.count_stories(query="harbour") == 3
    assert _fts_ok(library)


def test_a_mixed_batch_inserts_updates_and_keeps_user_data(library: Library) -> None:
    feed = library.add_feed("https://example.org/feed")
    first = library.upsert_entries(
        feed.id, [Entry(uid="a", title="Ferry", text="old text"), Entry(uid="b", title="Budget")]
    )
    ferry, budget = first.new
    library.set_read(ferry)
    library.set_saved(budget)
    result = library.upsert_entries(
        feed.id,
        [
            Entry(uid="new", title="Strike ends", text="crews return"),
            Entry(uid="a", title="Ferry", text="new text"),
            Entry(uid="b", title="Budget"),
        ],
    )
    assert result.updated == [ferry] and result.unchanged == 1 and len(result.new) == 1
    assert library.get_story(ferry).read and library.get_story(budget).saved
    assert library.count_stories(query='"new text"') == 1
    assert library.count_stories(query='"old text"') == 0
    assert library.count_stories(query="crews") == 1
    assert _fts_ok(library)


def test_a_uid_repeated_in_one_batch_updates_its_first_copy(library: Library) -> None:
    feed = library.add_feed("https://example.org/feed")
    result = library.upsert_entries(
        feed.id, [Entry(uid="a", title="First"), Entry(uid="a", title="Second")]
    )
    assert len(result.new) == 1 and result.updated == result.new
    assert library.get_story(result.new[0]).title == "Second"
    assert library.count_stories() == 1


def test_a_failed_batch_leaves_nothing_behind(library: Library) -> None:
    feed = library.add_feed("https://example.org/feed")
    with pytest.raises(RuntimeError), library.transaction():
        library.upsert_entries(feed.id, [Entry(uid="x", title="Rolled back")])
        raise RuntimeError("the feed's transaction fails after the insert")
    assert library.count_stories() == 0
    result = library.upsert_entries(feed.id, [Entry(uid="y", title="Kept")])
    assert [library.get_story(i).title for i in result.new] == ["Kept"]
    assert library.count_stories() == 1 and _fts_ok(library)
