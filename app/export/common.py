"""What every format needs: the chosen stories loaded whole, and feed text made safe."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storage.models import Highlight, Note, Story

if TYPE_CHECKING:
    from storage import Library

# Terminal escape sequences (CSI, OSC, two-byte) first, so their printable tails go too.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides that can make
# a title read differently from what it is.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """Feed text without control or escape sequences (newlines and tabs kept)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def one_line(text: str | None) -> str:
    """Clean text with every run of whitespace made one space (titles, names)."""
    return " ".join(clean(text).split())


def load_stories(library: Library, story_ids: Iterable[int]) -> list[Story]:
    from app.export.errors import ExportError
    from storage.stories import StoryNotFound

    try:
        return [library.get_story(story_id) for story_id in story_ids]
    except StoryNotFound as exc:  # the TUI catches one kind of error from an export
        raise ExportError(f"cannot export: {exc}") from None


def visible_tags(story: Story) -> list[str]:
    """The tags a person sees on the story (suggestions are not tags yet)."""
    return [t.name for t in story.tags if t.source != "suggested"]


def highlight_notes(story: Story, highlight: Highlight) -> list[str]:
    """The highlight's own note, then the notes written against it, in order."""
    notes = [highlight.note] if highlight.note else []
    notes += [n.body for n in story.notes if n.highlight_id == highlight.id]
    return notes


def story_notes(story: Story) -> list[Note]:
    """Notes on the story as a whole (not on one highlight)."""
    return [n for n in story.notes if n.highlight_id is None]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in clean(text).split("\n\n") if p.strip()]
