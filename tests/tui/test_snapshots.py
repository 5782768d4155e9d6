"""Snapshots of every screen: main (wide), narrow 80x24, help, tag input, note editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.conftest import open_first, settle
from tests.tui.snapshot_app import make_app


async def _open_story(pilot: Any) -> None:
    await open_first(pilot)
    await pilot.press("j", "j")
    await settle(pilot)


def _no_blink(pilot: Any) -> None:
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def test_main_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(140, 40), run_before=_open_story)


def test_narrow_layout(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=_open_story)


def test_help(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_tag_input(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _open_story(pilot)
        await pilot.press("t", "U")
        _no_blink(pilot)
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=(120, 36), run_before=run_before)


def test_note_editor(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _open_story(pilot)
        await pilot.press("a")
        _no_blink(pilot)
        await pilot.press("N", "o", "t", "e")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=(120, 36), run_before=run_before)
