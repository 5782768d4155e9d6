"""Search with the query language, saved searches, and refresh with progress."""

from __future__ import annotations

import json
from pathlib import Path

from app.screens.dialogs import SearchDialog
from app.screens.main import MainScreen
from tests.tui.conftest import open_feed, settle, type_text
from widgets.feed_tree import FeedTree
from widgets.story_list import StoryList

SIZE = (140, 40)

QUERIES = [
    "Patriot",
    '"question of weeks"',
    "tag:defence",
    'feed:"Defence Weekly"',
    "is:saved",
    "is:annotated",
    'speaker:"Colonel Ruiz"',
    "since:2024-04-30",
    "before:2024-04-28",
    "-tag:defence feed:world",
]


async def test_search_each_filter(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    filled.set_saved(filled.story_ids(query="Syria")[0], True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in QUERIES:
            expected = filled.story_ids(query=query)
            assert expected, f"the factory has stories for {query}"
            await pilot.press("slash")
            assert isinstance(app.screen, SearchDialog)
            field = app.screen.query_one("#search-input")
            if query == QUERIES[0]:
                await type_text(pilot, query)
            else:  # typing costs a repaint per key: type one query, paste the others
                field.value = query
            await pilot.press("enter")
            await settle(pilot)
            story_list = app.screen.query_one(StoryList)
            shown = [story_list.row_at(i).id for i in range(story_list.count)]
            assert shown == expected, query
            status = str(app.screen.query_one("#status-text").render())
            assert f"{query}: {len(expected)} stories" in status


async def test_bad_query_is_explained_not_raised(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "is:purple")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchDialog)
        assert "is:purple is not known" in str(app.screen.query_one("#search-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_saved_search_becomes_a_virtual_feed(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "tag:defence")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        stored = json.loads(Path(filled.path + ".searches.json").read_text())
        assert stored == {"tag:defence": "tag:defence"}
        tree = app.screen.query_one(FeedTree)
        searches = next(n for n in tree.root.children if str(n.label) == "Searches")
        node = searches.children[0]
        assert str(node.label) == "⌕ tag:defence"
        # choosing it lists its stories
        await pilot.press("escape")  # back to all stories first
        app.screen.load_source(app.screen.source.__class__("all", "All stories"))
        await settle(pilot)
        tree.focus()
        tree.move_cursor(node)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(StoryList).count == filled.count_stories(tags=["defence"])
        # X on the saved search in the tree deletes it, from the file and from the tree
        searches = next(n for n in tree.root.children if str(n.label) == "Searches")
        tree.focus()
        tree.move_cursor(searches.children[0])
        await pilot.press("X")
        await settle(pilot)
        assert json.loads(Path(filled.path + ".searches.json").read_text()) == {}
        assert "Searches" not in [str(n.label) for n in tree.root.children]


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title><link>https://wire.example/</link>
<item><guid>w1</guid><title>Wire story one</title><link>https://wire.example/1</link>
<description>First wire story. It has words.</description>
<pubDate>Tue, 30 Apr 2024 10:00:00 GMT</pubDate></item>
<item><guid>w2</guid><title>[bold]Wire[/] story two</title><link>https://wire.example/2</link>
<description>Second wire story.</description>
<pubDate>Tue, 30 Apr 2024 11:00:00 GMT</pubDate></item>
</channel></rss>
"""


async def test_refresh_all_with_progress(make_app, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.config import Settings

    feed_file = tmp_path / "wire.xml"
    feed_file.write_text(RSS, encoding="utf-8")
    wire = filled.add_feed(str(feed_file))
    # The two example.org feeds cannot be reached offline; only refresh the local one.
    app = make_app(Settings(db=Path(filled.path), timeout=2.0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await open_feed(pilot, wire.id)
        assert screen.query_one(StoryList).count == 0
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert filled.count_stories(feed_id=wire.id) == 2
        story_list = screen.query_one(StoryList)
        assert story_list.count == 2
        titles = {story_list.row_at(i).title for i in range(2)}
        assert titles == {"Wire story one", "[bold]Wire[/] story two"}
        bar = screen.query_one("#progress")
        # The bar counts the feeds, then the stories analysed: it ends on the 2 new ones.
        assert (bar.total, bar.progress) == (2, 2)
        assert screen.last_refresh == "Refreshed 1 feeds: 2 new, 0 updated"
        assert screen.last_refresh in [n.message for n in app._notifications]
        assert not screen.refreshing
