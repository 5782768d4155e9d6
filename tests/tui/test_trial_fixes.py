"""Bugs found by trying the reader in a real terminal (tmux), each pinned by a check."""

from __future__ import annotations

import webbrowser
from typing import Any

from textual.containers import Vertical

from app.screens.dialogs import NoteDialog
from app.screens.main import MainScreen
from storage import Library
from storage.models import Entry
from tests.tui.conftest import open_first, settle, type_text
from tests.tui.factory import NOW
from widgets.reader import Reader
from widgets.side_panes import QuotesPane

PARAGRAPH = (
    "Officials said the talks would resume next week after a pause that lasted most of the "
    "winter, and that both delegations had agreed to bring technical experts along."
)


def add_long_story(lib: Library) -> int:
    """The newest story, long enough that the reader needs its scrollbar."""
    feed = lib.find_feed("World Desk")
    text = "\n\n".join(f"{i}. {PARAGRAPH}" for i in range(12))
    entry = Entry(
        uid="long-1",
        # at 120 columns its first line fills the reader's width exactly
        title="Week in review: shells, sirens and a hotline that finally rings",
        url="https://example.org/long-1",
        author="Ana Ruiz, Tom Bell and the rest of the World Desk team",
        published=NOW.isoformat(),
        text=text,
    )
    return lib.upsert_entries(feed.id, [entry]).new[0]


async def test_reader_lines_fit_beside_the_scrollbar(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    story_id = add_long_story(filled)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        assert screen.story.id == story_id
        reader = screen.query_one(Reader)
        assert reader.virtual_size.height > reader.size.height  # it scrolls
        for y in range(reader.size.height):
            line = reader._lines[y]
            shown = reader.render_line(y).text.rstrip()
            assert "…" not in shown
            if line.start >= 0:  # every word of the body is on screen
                assert shown == reader.text[line.start : line.end].rstrip()

        # A writes a note on the story even when the cursor is in a highlight; the dialog
        # is a box in the middle, and a multi-line note is saved at once.
        await pilot.press("A")
        assert isinstance(app.screen, NoteDialog)
        box = app.screen.query_one(Vertical)
        assert box.region.x > 0 and box.region.width <= 70
        assert box.region.height < 30
        await type_text(pilot, "line one")
        await pilot.press("enter")
        await type_text(pilot, "line two")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [n.body for n in filled.notes(story_id)] == ["line one\nline two"]


async def test_panes_keys_browser_export(make_app, filled, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    started: list[str] = []

    def console_browser() -> Any:
        return webbrowser.GenericBrowser("w3m")

    monkeypatch.setattr(webbrowser, "get", console_browser)
    monkeypatch.setattr(
        webbrowser.GenericBrowser, "open", lambda self, url, *a: started.append(url)
    )
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        # ] from inside the side panes moves the focus to the next pane (wide layout too)
        await pilot.press("4", "right_square_bracket")
        quotes = app.focused
        assert isinstance(quotes, QuotesPane)
        # the pane points at its first quote on arrival; j moves, enter jumps to the passage
        assert quotes.highlighted == 0
        await pilot.press("j", "enter")
        await settle(pilot)
        second = quotes.items[1]
        assert app.screen.query_one(Reader).marked == (second.start, second.end)
        # f narrows the pane to that speaker and keeps a quote chosen; F follows the pane's
        # speaker, whatever quote the reader's cursor is in
        await pilot.press("k")  # back to the first quote (Olena Kovalenko)
        await pilot.press("f")
        assert quotes.speaker == "Olena Kovalenko"
        assert quotes.current is not None and quotes.current.speaker == "Olena Kovalenko"
        await pilot.press("F")
        await settle(pilot)
        assert app.screen.source.query == 'speaker:"Olena Kovalenko"'
        await pilot.press("escape")
        # o with only a console browser: it is not started (it would take over this
        # terminal); the address is shown instead
        await pilot.press("o")
        await settle(pilot)
        assert started == []
        messages = [str(n.message) for n in app._notifications]
        assert any("https://example.org/arms-1" in m for m in messages)
        # export to a relative folder: written under the folder byline runs in, and the
        # message names the absolute path
        monkeypatch.chdir(tmp_path)
        await pilot.press("e")
        dest = app.screen.query_one("#export-dest")
        dest.value = "out/notes"
        dest.focus()
        await pilot.press("enter")
        await settle(pilot)
        written = list((tmp_path / "out" / "notes").glob("*.md"))
        assert len(written) == 1
        messages = [str(n.message) for n in app._notifications]
        assert any(f"to {tmp_path / 'out' / 'notes'}" in m for m in messages)


WIRE = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title><link>https://wire.example/</link>
<item><guid>w-old</guid><title>Wire story from last week</title><link>https://wire.example/1</link>
<description>Old news. Still news.</description>
<pubDate>Wed, 24 Apr 2024 10:00:00 GMT</pubDate></item>
{fresh}</channel></rss>"""
FRESH = """<item><guid>w-new</guid><title>Wire story just in</title>
<link>https://wire.example/2</link><description>New news.</description>
<pubDate>Wed, 01 May 2024 11:30:00 GMT</pubDate></item>"""


async def test_refresh_keeps_the_cursor_on_its_story(make_app, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from app.config import Settings
    from widgets.story_list import StoryList

    feed_file = tmp_path / "wire.xml"
    feed_file.write_text(WIRE.format(fresh=""), encoding="utf-8")
    wire = filled.add_feed(str(feed_file))
    old_entry = Entry(uid="w-old", title="Wire story from last week", text="Old news.")
    old_entry.published = "2024-04-24T10:00:00+00:00"
    old = filled.upsert_entries(wire.id, [old_entry]).new[0]
    app = make_app(Settings(db=Path(filled.path), timeout=2.0))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        index = next(i for i in range(story_list.count) if story_list.row_at(i).id == old)
        story_list.set_cursor(index)
        await pilot.press("enter")
        await settle(pilot)
        feed_file.write_text(WIRE.format(fresh=FRESH), encoding="utf-8")
        await pilot.press("r")  # the open story's feed: one new story on top of the list
        await settle(pilot)
        await settle(pilot)
        assert story_list.count == filled.count_stories()
        assert story_list.row_at(0).title == "Wire story just in"
        assert story_list.cursor == index + 1
        assert story_list.current.id == old


async def test_the_reader_leaves_when_its_terminal_hangs_up(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Under `make run`, or after an ssh session dies, the terminal can go without a SIGHUP
    # reaching the reader; Textual's input thread then spun a core for ever.
    import os
    import pty

    import app.tui as tui

    master, slave = pty.openpty()
    assert tui._terminal_alive(slave)
    app = make_app()
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
            monkeypatch.setattr(tui, "_STDIN", slave)
            app._check_terminal()  # the terminal is still there: nothing happens
            await pilot.pause()
            assert app.is_running
            os.close(master)  # the terminal goes away
            assert not tui._terminal_alive(slave)
            app._check_terminal()
            await pilot.pause()
            assert not app.is_running
    finally:
        os.close(slave)
    r, w = os.pipe()  # not a terminal at all
    assert not tui._terminal_alive(r)
    os.close(r)
    os.close(w)


async def test_q_q_typed_quickly_goes_back_then_quits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test() as pilot:
        await open_first(pilot)  # open a story: the reader has focus
        assert isinstance(app.screen.focused, Reader)
        # Two q's in one burst: the second is handled before the loop turns again, as when
        # they arrive together from the terminal.
        app.screen.action_back_or_quit()
        app.screen.action_back_or_quit()
        await pilot.pause()
        assert not app.is_running


async def test_a_query_typed_in_one_burst_with_slash_lands_in_the_search_box(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual import events
    from textual.widgets import Input

    from app.screens.dialogs import SearchDialog

    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        # All in the app's queue at once, as a paste or a fast typist delivers them: the
        # dialog must be on top before the letters are handed out.
        app.post_message(events.Key("slash", "/"))
        for letter in "allies":
            app.post_message(events.Key(letter, letter))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SearchDialog)
        assert app.screen.query_one("#search-input", Input).value == "allies"


async def test_export_keys_typed_in_one_burst_choose_the_format(  # type: ignore[no-untyped-def]
    make_app, monkeypatch, tmp_path
) -> None:
    from textual import events

    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app()
    async with app.run_test() as pilot:
        await open_first(pilot)  # open a story
        # "e j Enter" in the app's queue at once: the dialog opens, j moves to the second
        # format (JSON) and Enter exports it, in the order typed.
        for key, char in (("e", "e"), ("j", "j"), ("enter", "\r")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert [p.name for p in (tmp_path / "Byline exports").iterdir()] == ["byline-export.json"]
        # In the folder field a j is a letter, not a move.
        await pilot.press("e", "tab", "tab", "end", "j", "enter")
        await settle(pilot)
        written = sorted(p.name for p in tmp_path.iterdir())
        assert "Byline exportsj" in written
