"""Fixtures for the reader's Pilot tests: a filled library file and a way to wait."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import Library
from tests.tui.factory import NOW, build_library


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Library]:
    lib = build_library(tmp_path / "library.db")
    yield lib
    lib.close()


@pytest.fixture
def make_app(filled: Library):  # type: ignore[no-untyped-def]
    from app.tui import BylineApp

    def make(settings: object = None, *, background_analysis: bool = False) -> BylineApp:
        # Off unless a test is about it: a story added by a test and left unanalysed would
        # otherwise be analysed while the test looks at it.
        return BylineApp(
            filled, settings, clock=lambda: NOW, background_analysis=background_analysis
        )

    return make


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their results reach the screen."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_first(pilot) -> Any:  # type: ignore[no-untyped-def]
    """Open the newest story (the arms story in the demo-like library) in the reader."""
    from app.screens.main import MainScreen

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type text key by key (brackets and spaces included) as a person would."""
    from textual.keys import _character_to_key

    await pilot.press(*[_character_to_key(c) for c in text])


async def open_feed(pilot, feed_id: int) -> None:  # type: ignore[no-untyped-def]
    """Choose a feed in the tree (Feeds > the feed) with Enter, as a person would."""
    from widgets.feed_tree import FeedTree

    tree = pilot.app.screen.query_one(FeedTree)
    feeds = next(n for n in tree.root.children if str(n.label) == "Feeds")
    node = next(n for n in feeds.children if n.data.feed_id == feed_id)
    tree.focus()
    tree.move_cursor(node)
    await pilot.press("enter")
    await settle(pilot)
