"""Bulk writes: new stories in one statement, searchable, and tags on many stories at once."""

from __future__ import annotations

from storage import Library
from storage.models import Entry


def test_insert_new_entries_stores_searchable_stories_and_skips_known_uids(
    library: Library,
) -> None:
    feed = library.add_feed("https://example.org/feed")
    library.upsert_entries(feed.id, [Entry(uid="a", title="Old harbour story", text="kept")])
    entries = [
        Entry(uid="a", title="A replacement that must not land", text="ignored"),
        Entry(uid="b", title="Ferry strike ends", text="Crews return to the harbour."),
        Entry(uid="c", title="Budget vote", published="2024-03-01T10:00:00+00:00"),
    ]
    assert library.insert_new_entries(feed.id, entries) == 2
    assert library.count_stories() == 3
    assert {r.title for r in library.list_stories(query="harbour")} == {
        "Ferry strike ends",
        "Old harbour story",
    }
    assert library.count_stories(query="replacement") == 0
    budget = library.list_stories(query="budget")[0]
    assert budget.published == "2024-03-01T10:00:00+00:00"


def test_tag_stories_tags_many_and_respects_a_removal(library: Library) -> None:
    feed = library.add_feed("https://example.org/feed")
    library.insert_new_entries(feed.id, [Entry(uid=str(i), title=f"s{i}") for i in range(5)])
    ids = [r.id for r in library.list_stories(limit=None)]
    library.tag_story(ids[0], "ports")
    library.untag_story(ids[0], "ports")
    assert library.tag_stories(ids, "Ports", source="rule") == 4
    assert set(library.stories_tagged("ports", sources=("rule",))) == set(ids[1:])
    assert library.count_stories(query="tag:ports") == 4
