"""Plain records passed between the library and the rest of Byline (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TagSource = Literal["user", "rule", "learned", "suggested"]
HighlightKind = Literal["publisher", "summary", "user"]


@dataclass(slots=True)
class Entry:
    """One story as a feed describes it, normalised from RSS, Atom or JSON Feed."""

    uid: str
    title: str = ""
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, UTC
    updated: str | None = None
    summary: str = ""  # cleaned plain text
    text: str = ""  # cleaned plain text, paragraphs separated by a blank line


@dataclass(slots=True)
class Feed:
    id: int
    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    last_fetched: str | None = None
    added: str = ""
    tags: list[str] = field(default_factory=list)
    story_count: int = 0
    unread_count: int = 0

    @property
    def display_title(self) -> str:
        return self.title or self.url


@dataclass(slots=True)
class StoryRow:
    """What a story list needs to draw one line, without the body."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    url: str | None
    author: str | None
    published: str | None
    read: bool
    saved: bool
    tags: list[str] = field(default_factory=list)
    annotated: bool = False


@dataclass(slots=True)
class TagInfo:
    name: str
    source: TagSource
    score: float | None = None


@dataclass(slots=True)
class Highlight:
    id: int
    story_id: int
    start: int
    end: int
    text: str
    kind: HighlightKind
    prefix: str = ""
    suffix: str = ""
    note: str | None = None
    created: str = ""

    @property
    def anchored(self) -> bool:
        """False when the story's text changed and the passage could not be found again."""
        return self.start >= 0


@dataclass(slots=True)
class Quote:
    id: int
    story_id: int
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_title: str | None = None
    partial: bool = False


def speaker_label(speaker: str | None, title: str | None) -> str:
    """How a quote's speaker reads: "Ines Cardoso, mayor"; "One voter" for somebody the
    story describes but does not name; "" when nobody is said to speak."""
    if speaker:
        return f"{speaker}, {title}" if title else speaker
    if title:
        return title[:1].upper() + title[1:]
    return ""


@dataclass(slots=True)
class Note:
    id: int
    story_id: int
    body: str
    highlight_id: int | None = None
    created: str = ""
    updated: str = ""


@dataclass(slots=True)
class Story:
    """A whole story: the row, its body and everything attached to it."""

    id: int
    feed_id: int
    feed_title: str
    uid: str
    title: str
    url: str | None
    author: str | None
    published: str | None
    updated: str | None
    summary: str
    text: str
    read: bool
    saved: bool
    analysis_version: int = 0
    tags: list[TagInfo] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass(slots=True)
class UpsertResult:
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
