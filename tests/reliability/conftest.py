"""Shared pieces of the reliability tests: a witness feed with things the user made, checked
after every hostile refresh, crash and concurrent write ("nothing else lost")."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.config import Settings
from app.ingest.refresh import refresh_sync
from storage import Library
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401

WITNESS_TEXT = "The harbour reopened on Monday. Ferries run again from Tuesday morning."


def witness_rss(items: int = 3, title: str = "Witness", host: str = "witness.example") -> str:
    body = "".join(
        f"<item><guid>{host}-{i}</guid><title>Witness story {i}</title>"
        f"<link>https://{host}/{i}</link>"
        f"<description>{WITNESS_TEXT} Item {i}.</description></item>"
        for i in range(items)
    )
    return f"<rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>"


@dataclass
class Marks:
    """What the user made on one story, to compare before and after."""

    story_id: int
    tags: list[str]
    highlights: list[tuple[int, int, str]]
    notes: list[str]
    saved: bool
    read: bool


def make_marks(library: Library, story_id: int) -> Marks:
    """Tag, highlight, annotate, save and read one story through the storage API."""
    library.tag_story(story_id, "keep")
    library.tag_story(story_id, "harbour")
    highlight = library.add_highlight(story_id, 4, 11)
    library.add_note(story_id, "check the ferry times", highlight_id=highlight)
    library.add_note(story_id, "a note on the story")
    library.set_saved(story_id)
    library.set_read(story_id)
    return read_marks(library, story_id)


def read_marks(library: Library, story_id: int) -> Marks:
    story = library.get_story(story_id)
    return Marks(
        story_id=story.id,
        tags=sorted(t.name for t in story.tags if t.source == "user"),
        highlights=sorted((h.start, h.end, h.text) for h in story.highlights if h.kind == "user"),
        notes=sorted(n.body for n in story.notes),
        saved=story.saved,
        read=story.read,
    )


@dataclass
class Witness:
    """A well-behaved feed refreshed beside the hostile ones, with a marked story."""

    library: Library
    feed_id: int
    marks: Marks
    stories: int

    def check(self) -> None:
        """Nothing the user made is lost and the witness feed still refreshes fine."""
        assert read_marks(self.library, self.marks.story_id) == self.marks
        assert self.library.count_stories(feed_id=self.feed_id) == self.stories
        feed = self.library.get_feed(self.feed_id)
        assert feed.last_status in ("ok", "not modified"), feed.last_error
        assert self.library.integrity_ok()


def hostile_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "timeout": 0.5, "concurrency": 8, "per_host": 8, "max_bytes": 1 << 20
    }  # fmt: skip
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def witness(library: Library, feed_server: FeedServer) -> Witness:
    url = feed_server.feed("/witness", witness_rss())
    feed = library.add_feed(url)
    report = refresh_sync(library, hostile_settings())
    assert report.stories_new == 3
    story_id = report.results[0].new_ids[0]
    marks = make_marks(library, story_id)
    return Witness(library, feed.id, marks, 3)
