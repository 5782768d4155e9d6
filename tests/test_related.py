"""Related stories: same-thread stories rank first, with reasons a person can read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.analysis.duplicates import index_stories
from app.analysis.related import (
    SPEAKER_BONUS,
    TOPIC_BONUS,
    RelatedStory,
    find_related,
    salient_terms,
)
from storage import Library, open_library
from storage.models import Entry, Quote
from tests.test_duplicates import (
    THREAD_TEXT,
    THREAD_TITLE,
    UNRELATED_TEXT,
    UNRELATED_TITLE,
    UPDATE_TEXT,
    UPDATE_TITLE,
    WIRE_TEXT,
    WIRE_TITLE,
    _add,
)

SPORT_TITLE = "Harbour Rovers win the coastal cup final"
SPORT_TEXT = """\
Harbour Rovers won the coastal cup final on Saturday, beating Northgate 3-1 in front of a \
sold-out crowd at the old quay ground. Two late goals from the substitute Ilse Marek settled \
a tense second half after Northgate had equalised from a corner.

The Rovers captain lifted the cup for the first time since the club was promoted, and the \
manager thanked the supporters who had travelled along the coast for the match."""


def _library_with_thread(library: Library) -> dict[str, int]:
    ids = {
        "wire": _add(library, "https://wire.example/feed", "w1", WIRE_TITLE, WIRE_TEXT),
        "update": _add(library, "https://gazette.example/rss", "g1", UPDATE_TITLE, UPDATE_TEXT),
        "thread": _add(library, "https://wire.example/feed", "w2", THREAD_TITLE, THREAD_TEXT),
        "unrelated": _add(
            library, "https://farm.example/feed", "f1", UNRELATED_TITLE, UNRELATED_TEXT
        ),
        "sport": _add(library, "https://sport.example/feed", "s1", SPORT_TITLE, SPORT_TEXT),
    }
    index_stories(library, ids.values())
    return ids


def _by_id(related: list[RelatedStory]) -> dict[int, RelatedStory]:
    return {r.id: r for r in related}


def test_same_thread_story_ranks_above_unrelated(library: Library) -> None:
    ids = _library_with_thread(library)
    related = [r for r in find_related(library, ids["wire"]) if not r.duplicate]
    assert related, "the thread story should be related"
    assert related[0].id == ids["thread"]
    others = _by_id(related)
    for far in ("unrelated", "sport"):
        if ids[far] in others:
            assert others[ids[far]].score < others[ids["thread"]].score
    terms_reason = [r for r in related[0].reasons if r.startswith("shared terms: ")]
    assert terms_reason, related[0].reasons
    shared = terms_reason[0].removeprefix("shared terms: ").split(", ")
    assert {"barrier", "lowmoor"} & set(shared)
    assert related[0].title == THREAD_TITLE
    assert related[0].feed_title == "wire.example"


def test_duplicates_are_flagged_first_and_not_counted(library: Library) -> None:
    ids = _library_with_thread(library)
    related = find_related(library, ids["wire"], limit=1)
    assert [r.id for r in related] == [ids["update"], ids["thread"]]
    assert related[0].duplicate and not related[1].duplicate
    assert related[0].reasons == ["same story, also in gazette.example"]


def test_shared_topic_and_speaker_are_reasons(library: Library) -> None:
    ids = _library_with_thread(library)
    before = next(r for r in find_related(library, ids["wire"]) if not r.duplicate)
    assert not any(r.startswith(("shared topic", "both quote")) for r in before.reasons)
    for key in ("wire", "thread"):
        library.tag_story(ids[key], "Lowmoor floods", source="suggested", score=0.8)
        start = library.get_story(ids[key]).text.find("Hanna Voss")
        library.store_quotes(
            ids[key],
            [Quote(0, ids[key], start, start + 10, "grilles", "Hanna Voss", "chief engineer")],
        )
    top = next(r for r in find_related(library, ids["wire"]) if not r.duplicate)
    assert top.id == ids["thread"]
    assert "shared topic: Lowmoor floods" in top.reasons
    assert "both quote Hanna Voss" in top.reasons
    assert top.score == pytest.approx(before.score + TOPIC_BONUS + SPEAKER_BONUS, abs=0.002)


def test_topic_alone_makes_a_story_related(library: Library) -> None:
    ids = _library_with_thread(library)
    library.tag_story(ids["wire"], "coast", source="user")
    library.tag_story(ids["sport"], "coast", source="user")
    related = _by_id(find_related(library, ids["wire"]))
    assert ids["sport"] in related
    assert "shared topic: coast" in related[ids["sport"]].reasons


def test_salient_terms_skip_function_words(library: Library) -> None:
    ids = _library_with_thread(library)
    story = library.get_story(ids["wire"])
    chosen = salient_terms(library, story.title, story.text)
    assert chosen
    assert not {"the", "and", "said", "of"} & set(chosen)
    # Terms only this story uses cannot relate it to another and are left out.
    assert "cellars" in chosen or "barrier" in chosen
    assert "fish" not in chosen


def test_missing_story_and_lonely_story(library: Library) -> None:
    assert find_related(library, 999) == []
    lonely = _add(library, "https://a.example/feed", "x", "Alone", "Nothing else shares words.")
    assert find_related(library, lonely) == []


def test_hostile_titles_are_plain_data(library: Library) -> None:
    a = _add(library, "https://a.example/feed", "a", '[bold]barrier[/] "OR" NEAR(', WIRE_TEXT)
    b = _add(library, "https://b.example/feed", "b", "barrier [/]", THREAD_TEXT)
    related = find_related(library, a)
    assert [r.id for r in related] == [b]
    assert related[0].title == "barrier [/]"


def _bbc_precision(library: Library, rows: list[tuple[int, str]], k: int = 5) -> float:
    hits = total = 0
    category = dict(rows)
    for story_id, cat in rows[::15]:
        related = [r for r in find_related(library, story_id, limit=k) if not r.duplicate]
        hits += sum(category[r.id] == cat for r in related)
        total += len(related)
    return hits / total


def test_bbc_related_stories_share_the_category(corpora: Path, tmp_path: Path) -> None:
    """BBC News train split, every 15th story: related stories mostly share its category."""
    with (corpora / "bbc-news" / "train.csv").open(encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    library = open_library(tmp_path / "bbc.db")
    feed = library.add_feed("bbc-news-train", title="BBC")
    # The corpus runs the headline into the body: its first words stand in for a title.
    entries = [
        Entry(uid=str(i), title=" ".join(r["text"].split()[:8]), text=r["text"])
        for i, r in enumerate(records)
    ]
    new = library.upsert_entries(feed.id, entries).new
    index_stories(library, new)
    rows = [(sid, r["category"]) for sid, r in zip(new, records, strict=True)]
    precision = _bbc_precision(library, rows)
    print(f"BBC precision@5 {precision:.3f}")
    assert precision >= 0.88
    library.close()


def test_document_counts_from_the_snapshot_match_the_vocabulary(library: Library) -> None:
    ids = _library_with_thread(library)
    words = ["barrier", "lowmoor", "harvest", "nosuchword"]
    direct = library.term_document_counts(words)
    assert direct == {"barrier": 3, "lowmoor": 3, "harvest": 1}
    assert library.term_document_counts(words, snapshot_from=0) == direct
    # A story added after the snapshot: its new word is counted, and the library grew by
    # more than a tenth, so the snapshot is taken again and sees the new story too.
    _add(library, "https://farm.example/feed", "f2", "Harvest fair", "Zorblat harvest barrier.")
    counts = library.term_document_counts([*words, "zorblat"], snapshot_from=0)
    assert counts == {"barrier": 4, "lowmoor": 3, "harvest": 2, "zorblat": 1}
    assert len(ids) == 5


def test_document_counts_while_another_writer_holds_the_library(
    library: Library, tmp_path: Path
) -> None:
    _library_with_thread(library)
    other = open_library(tmp_path / "library.db")
    other.conn.execute("BEGIN IMMEDIATE")  # a refresh in another process, mid-write
    try:
        library.conn.execute("PRAGMA busy_timeout = 50")
        counts = library.term_document_counts(["barrier", "harvest"], snapshot_from=0)
    finally:
        other.conn.execute("ROLLBACK")
        other.close()
    assert counts == {"barrier": 3, "harvest": 1}
    assert library.conn.execute("SELECT count(*) FROM term_stats").fetchone()[0] == 0
