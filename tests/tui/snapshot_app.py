"""The app the snapshot tests photograph: a fixed library, a fixed clock, fixed related
stories, so a picture changes only when the reader's look does."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.tui import BylineApp
from tests.tui.factory import NOW, build_library


@dataclass
class FixedRelated:
    id: int
    title: str
    feed_title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    duplicate: bool = False


def fixed_related(library: Any, story_id: int, limit: int = 10) -> list[FixedRelated]:
    others = [r for r in library.list_stories(limit=3) if r.id != story_id]
    return [
        FixedRelated(
            r.id, r.title, r.feed_title, 0.9 - i / 10, ["shared topic: defence"], duplicate=i == 0
        )
        for i, r in enumerate(others[:2])
    ]


def make_app(folder: Path | None = None) -> BylineApp:
    folder = folder or Path(tempfile.mkdtemp(prefix="byline-snap-"))
    library = build_library(folder / "library.db")
    return BylineApp(
        library, None, clock=lambda: NOW, find_related=fixed_related, background_analysis=False
    )
