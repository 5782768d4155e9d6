"""The query language shared by `byline stories --query` and the reader's search."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage import Library
from storage.models import Entry, Quote
from storage.search import QueryError, compile_query, parse_date


@pytest.fixture
def filled(library: Library) -> Library:
    wire = library.add_feed("https://wire.example/rss", title="Meridian Wire")
    paper = library.add_feed("https://paper.example/atom", title="Harbour Courier")
    r1 = library.upsert_entries(
        wire.id,
        [
            Entry(
                uid="a",
                title="Javelin deliveries resume",
                published="2026-03-01T10:00:00+00:00",
                text="Ukraine received javelins. The defence ministry confirmed.",
            ),
            Entry(
                uid="b",
                title="Close pass over the strait",
                published="2026-03-05T10:00:00+00:00",
                text="Two jets passed within metres, the air force said.",
            ),
        ],
    )
    r2 = library.upsert_entries(
        paper.id,
        [
            Entry(
                uid="c",
                title="Harbour dredging [bold]plan[/]",
                published="2026-02-01T10:00:00+00:00",
                text="The council voted on dredging.",
            )
        ],
    )
    a, b = r1.new
    (c,) = r2.new
    library.tag_story(a, "Ukraine arms")
    library.tag_story(b, "Airspace", "suggested", 0.5)
    library.set_saved(c)
    library.set_read(a)
    library.add_note(b, "follow up")
    library.store_quotes(
        b, [Quote(0, b, 0, 10, "within metres", "Gen. Ilse Marrow", "air chief", False)]
    )
    return library


def titles(library: Library, query: str) -> list[str]:
    return sorted(r.title for r in library.list_stories(query=query, limit=None))


def test_free_text_prefix_and_phrase(filled: Library) -> None:
    assert titles(filled, "javelin*") == ["Javelin deliveries resume"]
    assert titles(filled, '"defence ministry"') == ["Javelin deliveries resume"]
    assert titles(filled, "jets -javelins") == ["Close pass over the strait"]


def test_filters(filled: Library) -> None:
    assert titles(filled, 'tag:"ukraine arms"') == ["Javelin deliveries resume"]
    assert titles(filled, "tag:Airspace") == []  # suggested tags are offers, not tags
    assert titles(filled, "feed:courier") == ["Harbour dredging [bold]plan[/]"]
    assert titles(filled, "is:saved") == ["Harbour dredging [bold]plan[/]"]
    assert len(titles(filled, "is:unread")) == 2
    assert titles(filled, "is:annotated") == ["Close pass over the strait"]
    assert titles(filled, 'speaker:"marrow"') == ["Close pass over the strait"]
    assert titles(filled, "since:2026-03-02") == ["Close pass over the strait"]
    assert titles(filled, "before:2026-02-15") == ["Harbour dredging [bold]plan[/]"]
    assert titles(filled, "-feed:wire") == ["Harbour dredging [bold]plan[/]"]


def test_hostile_queries_never_break_sql(filled: Library) -> None:
    for query in [
        '"',
        "AND OR NOT",
        "(",
        "*",
        "NEAR(",
        "'; DROP TABLE stories; --",
        "[bold]",
        "title:x",
        "https://example.com/a?b=c",
        "\x1b[2J",
        '""',
    ]:
        filled.list_stories(query=query)
    assert filled.count_stories() == 3


def test_bad_filters_explain_themselves() -> None:
    with pytest.raises(QueryError, match="is:later"):
        compile_query("is:later")
    with pytest.raises(QueryError, match="cannot read the date"):
        compile_query("since:yesterday")


def test_relative_dates() -> None:
    now = datetime(2026, 3, 10, tzinfo=UTC)
    assert parse_date("7d", now=now) == "2026-03-03T00:00:00+00:00"
    assert parse_date("24h", now=now) == "2026-03-09T00:00:00+00:00"
