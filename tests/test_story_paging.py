"""The story list's storage side: duplicates collapsed to one row per cluster, keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Library
from storage.models import Entry

START = datetime(2024, 5, 1, tzinfo=UTC)


def _entry(uid: str, title: str, hours: int) -> Entry:
    published = (START - timedelta(hours=hours)).isoformat(timespec="seconds")
    return Entry(uid=uid, title=title, published=published, text=f"{title} body.")


def _cluster(lib: Library, ids: list[int]) -> None:
    for story_id in ids:
        lib.store_signature(story_id, b"sig", [story_id], version=1)
    for story_id in ids[1:]:
        lib.merge_clusters(story_id, [ids[0]])


def _library(lib: Library) -> dict[str, int]:
    """Three feeds carrying one wire story (w0 has the lowest id) plus stories of their own."""
    ids: dict[str, int] = {}
    for n, name in enumerate(("Wire", "Daily", "Weekly")):
        feed = lib.add_feed(f"https://example.org/{name}.xml", title=name)
        entries = [_entry(f"wire-{n}", f"Wire story in {name}", 1 + n)]
        entries += [
            _entry(f"{name}-{i}", f"{name} own story {i}", 10 + i * 3 + n) for i in range(4)
        ]
        result = lib.upsert_entries(feed.id, entries)
        ids[f"w{n}"] = result.new[0]
    _cluster(lib, [ids["w0"], ids["w1"], ids["w2"]])
    return ids


def test_collapsed_list_shows_one_story_per_cluster(library: Library) -> None:
    ids = _library(library)
    everything = library.list_stories(limit=None)
    collapsed = library.list_stories(limit=None, collapse_duplicates=True)
    assert len(everything) == 15
    assert [r.id for r in collapsed] == [
        r.id for r in everything if r.id not in (ids["w1"], ids["w2"])
    ]
    assert library.count_stories(collapse_duplicates=True) == len(collapsed) == 13
    # offsets stay right: pages of the collapsed list tile it exactly
    paged = [
        r.id
        for offset in range(0, 13, 4)
        for r in library.list_stories(limit=4, offset=offset, collapse_duplicates=True)
    ]
    assert paged == [r.id for r in collapsed]


def test_the_copy_kept_is_one_the_filter_matches(library: Library) -> None:
    ids = _library(library)
    daily = library.find_feed("Daily")
    rows = library.list_stories(limit=None, feed_id=daily.id, collapse_duplicates=True)
    assert ids["w1"] in [r.id for r in rows]
    assert library.count_stories(feed_id=daily.id, collapse_duplicates=True) == len(rows) == 5
    # a text search that matches only the newer copies keeps the oldest of those
    library.set_read(ids["w0"], True)
    unread = library.list_stories(limit=None, unread=True, collapse_duplicates=True)
    assert [r.id for r in unread if r.id in ids.values()] == [ids["w1"]]
    assert library.count_stories(unread=True, collapse_duplicates=True) == len(unread)
    text = library.list_stories(limit=None, query='"wire story"', collapse_duplicates=True)
    assert [r.id for r in text] == [ids["w0"]]
    assert library.count_stories(query='"wire story"', collapse_duplicates=True) == 1


def test_keyset_pages_equal_offset_pages(library: Library) -> None:
    _library(library)
    for collapse in (False, True):
        expected = [r.id for r in library.list_stories(limit=None, collapse_duplicates=collapse)]
        got: list[int] = []
        after = None
        while True:
            page = library.list_stories(limit=4, after=after, collapse_duplicates=collapse)
            if not page:
                break
            got += [r.id for r in page]
            after = (page[-1].published or "", page[-1].id)
        assert got == expected
