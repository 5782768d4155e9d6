"""The reader's core: the tree, the virtual story list, the reader pane, j/k/enter/q."""

from __future__ import annotations

from app.screens.main import MainScreen
from tests.tui.conftest import open_first, settle
from widgets.feed_tree import FeedTree
from widgets.reader import Reader
from widgets.story_list import StoryList


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.export_screenshot()


async def test_opens_with_tree_and_list(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        assert story_list.count == filled.count_stories()
        assert story_list.current.title == "Kyiv asks allies for air defence"
        tree = app.screen.query_one(FeedTree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels[0].startswith("All stories")
        assert any(label.startswith("Feeds") for label in labels)
        feeds = next(n for n in tree.root.children if str(n.label) == "Feeds")
        feed_labels = [str(child.label) for child in feeds.children]
        assert any(label.startswith("World Desk") for label in feed_labels)


async def test_j_k_enter_opens_story_and_marks_read(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        await pilot.press("j", "j", "k")
        assert story_list.cursor == 1
        expected = story_list.current
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.story is not None and screen.story.id == expected.id
        assert filled.get_story(expected.id).read is True
        reader = screen.query_one(Reader)
        assert reader.has_focus
        assert "Berlin weighs the Patriot request." in reader.text


async def test_reader_sentence_cursor_moves(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        reader = app.screen.query_one(Reader)
        assert reader.sentence == 0
        await pilot.press("j", "j")
        start, end = reader.cursor_span
        assert reader.text[start:end].startswith('"We need Patriot systems now,"')
        await pilot.press("k")
        assert reader.sentence == 1


async def test_back_then_quit(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        assert app.screen.query_one(Reader).has_focus
        await pilot.press("q")
        assert app.screen.query_one(StoryList).has_focus
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


async def test_tree_selects_a_feed(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(FeedTree)
        feeds = next(n for n in tree.root.children if str(n.label) == "Feeds")
        world = next(n for n in feeds.children if str(n.label).startswith("World Desk"))
        await pilot.press("1")  # the tree, then j/k as everywhere else
        assert tree.has_focus
        while tree.cursor_node is not world:
            before = tree.cursor_line
            await pilot.press("j")
            assert tree.cursor_line == before + 1
        await pilot.press("k", "j", "enter")
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        feed_id = world.data.feed_id
        assert story_list.count == filled.count_stories(feed_id=feed_id)
        assert {story_list.row_at(i).feed_title for i in range(story_list.count)} == {"World Desk"}
