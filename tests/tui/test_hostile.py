"""Hostile strings from feeds are shown literally and never crash or steer the reader."""

from __future__ import annotations

from rich.cells import cell_len

from tests.tui.conftest import settle
from tests.tui.factory import HOSTILE_TITLES
from widgets.reader import Reader, wrap_offsets
from widgets.safe import clean, clean_keep_offsets
from widgets.story_list import StoryList

SIZE = (140, 40)


def test_clean_strips_controls_and_keeps_markup_literal() -> None:
    assert clean("[bold]x[/]") == "[bold]x[/]"
    assert clean("Clear \x1b[2J screen \x1b]0;pwned\x07 title") == "Clear screen title"
    assert clean("Bidi \u202eevil\u202c zero\u200bwidth\x00\x7f\x9b") == "Bidi evil zerowidth"
    assert clean("a\nb\tc") == "a b c"
    assert clean(None) == ""


def test_body_cleaning_keeps_offsets() -> None:
    text = "one \x1b[2J two\u202e three\tfour"
    safe = clean_keep_offsets(text)
    assert len(safe) == len(text)
    assert "\x1b" not in safe and "\u202e" not in safe and "\t" not in safe
    assert safe.index("two") == text.index("two")


def test_wrapping_handles_wide_and_long_words() -> None:
    text = "東京 " * 30 + "x" * 50 + " end of the line.\n\nNext paragraph."
    spans = wrap_offsets(text, 20)
    assert (-2, -2) in spans  # the blank line between paragraphs
    covered = "".join(text[s:e] for s, e in spans if s >= 0)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")
    for start, end in spans:
        if start >= 0:
            assert 0 < cell_len(text[start:end].rstrip()) <= 20


def test_wrapping_keeps_the_indentation_of_preformatted_lines() -> None:
    text = "def f(x):\n    if x:\n        return 1\n\nProse that wraps over two lines here."
    lines = [text[s:e].rstrip() if s >= 0 else "" for s, e in wrap_offsets(text, 24)]
    assert lines == [
        "def f(x):",
        "    if x:",
        "        return 1",
        "",
        "Prose that wraps over",
        "two lines here.",
    ]


async def test_hostile_titles_show_literally(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        shown = [
            story_list.row_text(story_list.row_at(i), 120).plain for i in range(story_list.count)
        ]
        for title in HOSTILE_TITLES:
            assert any(clean(title) in line for line in shown), title
        assert not any("\x1b" in line or "\u202e" in line for line in shown)
        # open each hostile story: the reader shows title, author and body as plain text
        for index in range(story_list.count):
            row = story_list.row_at(index)
            if row.title not in HOSTILE_TITLES:
                continue
            story_list.set_cursor(index)
            await pilot.press("enter")
            await settle(pilot)
            reader = app.screen.query_one(Reader)
            lines = [
                line.header.plain if line.header else reader.text[line.start : line.end]
                for line in reader._lines
            ]
            joined = "\n".join(lines)
            assert clean(row.title) in joined
            assert "[b]Mallory[/b]" in joined
            assert "Second [i]paragraph[/i]" in joined
            assert "\x1b" not in joined
            for y in range(reader.size.height):
                assert all("\x1b" not in seg.text for seg in reader.render_line(y))
            await pilot.press("escape")
        assert app.is_running


async def test_click_markup_in_a_title_does_nothing(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        index = next(i for i in range(story_list.count) if "@click" in story_list.row_at(i).title)
        story_list.set_cursor(index)
        await pilot.pause()
        await pilot.click(StoryList, offset=(10, index - int(story_list.scroll_offset.y)))
        await settle(pilot)
        assert app.is_running
        assert "@click" in app.screen.story.title


async def test_a_failing_worker_becomes_a_notification(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        filled.conn.close()  # the library goes away under the reader
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Something went wrong:") for m in messages)


async def test_notifications_never_parse_markup(make_app) -> None:  # type: ignore[no-untyped-def]
    """Tag names, queries and feed errors end up in notifications: they stay plain text."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.notify("Tagged #[bold]x[/] [@click=app.quit]go[/] \x1b[2J")
        app.notify("[/]", title="[red]t")
        await settle(pilot)
        shown = list(app._notifications)
        assert [n.message for n in shown] == [
            "Tagged #[bold]x[/] [@click=app.quit]go[/]",
            "[/]",
        ]
        assert all(not n.markup for n in shown)
        assert shown[1].title == "[red]t"
        assert app.is_running


async def test_dialog_titles_from_story_text_stay_literal(make_app) -> None:  # type: ignore[no-untyped-def]
    """The note dialog is titled with the story's title or the highlighted passage."""
    from textual.containers import Vertical

    from app.screens.dialogs import NoteDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = "Note on: [bold]x[/] [@click=app.quit]go[/]"
        await app.push_screen(NoteDialog(title))
        await settle(pilot)
        box = app.screen.query_one(Vertical)
        assert box._border_title is not None
        assert box._border_title.plain == title
        assert app.is_running
