"""The fast query plans of a large library give exactly what the plain ones give.

A text search that matches many stories pages along the date index, and a text-only count is
read from the full-text index; both are switched on here for a small library (BROAD_MATCH 1)
and compared with the plain plan over the same queries.
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


@pytest.mark.parametrize("query", QUERIES)
def test_broad_plans_match_the_plain_ones(
    filled: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_count = filled.count_stories(query=query)
    pages = [filled.list_stories(query=query, limit=25, offset=o) for o in (0, 25, 200)]
    everything = filled.list_stories(query=query, limit=None)
    monkeypatch.setattr(storage.stories, "BROAD_MATCH", 1)
    assert filled.count_stories(query=query) == plain_count == len(everything)
    assert [filled.list_stories(query=query, limit=25, offset=o) for o in (0, 25, 200)] == pages
    assert filled.list_stories(query=query, limit=None) == everything
    assert plain_count > 0  # every query finds something, so the comparison means something


def test_the_broad_plan_is_taken_for_a_common_word(
    filled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.stories, "BROAD_MATCH", 1)
    traced: list[str] = []
    filled.conn.set_trace_callback(traced.append)
    filled.list_stories(query="harbour", limit=10)
    filled.conn.set_trace_callback(None)
    assert any("INDEXED BY stories_published" in sql for sql in traced)
