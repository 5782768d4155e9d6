"""The fast query plans of a large library give exactly what the plain ones give.

A text search that matches many stories pages along the date index (against the list of
matches, or checking each story when matches are dense), and a text-only count is read from the
full-text index; each plan is forced here on a small library and compared with the plain plan.
"""

from __future__ import annotations

import random

import pytest

import storage.stories
from storage import Library
from storage.models import Entry

WORDS = [
    "harbour",
    "ferry",
    "strike",
    "budget",
    "vote",
    "storm",
    "flood",
    "court",
    "judge",
    "council",
    "port",
]
QUERIES = [
    "harbour",
    "ferry strike",
    "harb*",
    '"storm flood"',
    "budget -vote",
    "-court",
    "port is:unread",
    "tag:coast",
    "council tag:coast",
    "since:2024-03-01 judge",
]


@pytest.fixture
def filled(library: Library) -> Library:
    rng = random.Random(5)
    for f in range(3):
        feed = library.add_feed(f"https://example.org/{f}")
        entries = [
            Entry(
                uid=str(i),
                title=" ".join(rng.choices(WORDS, k=3)),
                text=" ".join(rng.choices(WORDS, k=12)),
                # Repeated dates: the id breaks ties, and must do so the same way in both plans.
                published=f"2024-0{rng.randint(1, 4)}-1{rng.randint(0, 2)}T08:00:00+00:00",
            )
            for i in range(120)
        ]
        library.insert_new_entries(feed.id, entries)
    ids = [r.id for r in library.list_stories(limit=None)]
    library.tag_stories(rng.sample(ids, 60), "coast")
    for story_id in rng.sample(ids, 200):
        library.set_read(story_id)
    return library


# (BROAD_MATCH, ROW_CHECKS): the date index against the list of matches; each story checked.
PLANS = {"index": (1, 1), "rows": (1, 10**9)}


@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize("query", QUERIES)
def test_broad_plans_match_the_plain_ones(
    filled: Library, query: str, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_count = filled.count_stories(query=query)
    pages = [filled.list_stories(query=query, limit=25, offset=o) for o in (0, 25, 200)]
    everything = filled.list_stories(query=query, limit=None)
    monkeypatch.setattr(storage.stories, "BROAD_MATCH", PLANS[plan][0])
    monkeypatch.setattr(storage.stories, "ROW_CHECKS", PLANS[plan][1])
    assert filled.count_stories(query=query) == plain_count == len(everything)
    assert [filled.list_stories(query=query, limit=25, offset=o) for o in (0, 25, 200)] == pages
    assert filled.list_stories(query=query, limit=None) == everything
    assert plain_count > 0  # every query finds something, so the comparison means something


@pytest.mark.parametrize(
    ("query", "plan", "expected"),
    [
        ("harbour", "index", "IN (SELECT rowid FROM stories_fts"),
        ("harbour", "rows", "stories_fts.rowid = s.id"),
        ("harb*", "rows", "IN (SELECT rowid FROM stories_fts"),  # never per row for a prefix
    ],
)
def test_the_broad_plans_are_taken(
    filled: Library, query: str, plan: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.stories, "BROAD_MATCH", PLANS[plan][0])
    monkeypatch.setattr(storage.stories, "ROW_CHECKS", PLANS[plan][1])
    traced: list[str] = []
    filled.conn.set_trace_callback(traced.append)
    filled.list_stories(query=query, limit=10)
    filled.conn.set_trace_callback(None)
    page = [sql for sql in traced if "INDEXED BY stories_published" in sql]
    assert len(page) == 1
    assert expected in page[0]
