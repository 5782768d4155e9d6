"""The reader's last polish: refresh runs the shared update sequence, the export dialog
exports on Enter from any field, notes go to the user's own highlight."""

from __future__ import annotations

from pathlib import Path

from app.screens.main import MainScreen
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401
from tests.test_fulltext import ARTICLE_HTML, PARAGRAPHS
from tests.tui.conftest import open_feed, open_first, settle
from widgets.feed_tree import FeedTree
from widgets.story_list import StoryList

SIZE = (140, 40)

SUMMARY_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sound Gazette</title><link>{base}/</link>
<item><guid>ferry-1</guid><title>Ferry strike ends</title><link>{base}/article.html</link>
<description>Ferry crews returned to work after a two-day strike.</description>
<pubDate>Tue, 30 Apr 2024 10:00:00 GMT</pubDate></item>
</channel></rss>
"""


async def test_refresh_in_the_reader_fetches_full_text(  # type: ignore[no-untyped-def]
    make_app, filled, feed_server: FeedServer
) -> None:
    from app.config import Settings

    base = feed_server.url("")
    feed_server.feed("/article.html", ARTICLE_HTML, "text/html; charset=utf-8")
    url = feed_server.feed("/feed.xml", SUMMARY_FEED.format(base=base))
    gazette = filled.add_feed(url)
    # A page on this machine is fetched only when the feed's own switch asks for it.
    filled.set_feed_full_text(gazette.id, True)
    app = make_app(Settings(db=Path(filled.path), timeout=5.0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        shown: list[str] = []
        status = screen._status

        def record(message: str) -> None:
            shown.append(message)
            status(message)

        screen._status = record  # type: ignore[method-assign]
        await open_feed(pilot, gazette.id)
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert not screen.refreshing
        story_id = filled.story_ids(feed_id=gazette.id)[0]
        story = filled.get_story(story_id)
        # The page's body replaced the feed's one-line summary ...
        assert PARAGRAPHS[2] in story.text
        # ... and the story was analysed after that, on the full text.
        assert any(h.kind == "publisher" for h in story.highlights)
        assert screen.last_refresh == "Refreshed 1 feeds: 1 new, 0 updated, full text for 1"
        assert any(s.startswith("Fetching full text for up to 1 stories") for s in shown)
        assert any(s.startswith("Analysing 1 stories") for s in shown)
        assert screen.query_one(StoryList).count == 1


async def open_export(pilot, dest: Path):  # type: ignore[no-untyped-def]
    """Press `e` and point the export dialog at `dest`."""
    from textual.widgets import Input

    from app.screens.dialogs import ExportDialog

    await pilot.press("e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-dest", Input).value = str(dest)
    return dialog


async def test_enter_exports_from_any_field_of_the_export_dialog(  # type: ignore[no-untyped-def]
    make_app, tmp_path: Path
) -> None:
    import json

    from textual.widgets import Checkbox, RadioSet

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)  # open the newest story
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Enter on the format list exports in the format under its cursor.
        dest = tmp_path / "one.json"
        dialog = await open_export(pilot, dest)
        dialog.query_one(RadioSet).focus()
        await pilot.press("down", "enter")  # markdown -> json
        await settle(pilot)
        assert app.screen is screen
        assert screen.last_export.stories == 1
        assert "Kyiv asks allies for air defence" in json.dumps(json.loads(dest.read_text()))
        # Enter on the checkbox exports too (space is what ticks it).
        dialog = await open_export(pilot, tmp_path / "all")
        dialog.query_one(Checkbox).focus()
        await pilot.press("space", "enter")
        await settle(pilot)
        assert app.screen is screen
        listed = screen.query_one(StoryList).count
        assert screen.last_export.stories == listed > 1
        assert len(list((tmp_path / "all").glob("*.md"))) == listed


async def test_the_dialogs_folder_is_made_and_exports_never_clash(  # type: ignore[no-untyped-def]
    make_app, tmp_path: Path
) -> None:
    from textual.widgets import RadioSet

    folder = tmp_path / "Byline exports"  # a folder that does not exist yet, as on day one
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        for _ in range(2):
            dialog = await open_export(pilot, folder)
            dialog.query_one(RadioSet).focus()
            await pilot.press("j", "enter")  # json: j moves as down does
            await settle(pilot)
            assert app.screen is screen
        assert folder.is_dir()
        assert sorted(p.name for p in folder.iterdir()) == [
            "byline-export-2.json",
            "byline-export.json",
        ]


async def test_note_goes_to_the_users_own_highlight_then_the_innermost(  # type: ignore[no-untyped-def]
    make_app, filled
) -> None:
    from app.screens.dialogs import NoteDialog
    from tests.tui.conftest import type_text
    from tests.tui.factory import ARMS_TEXT, span_of
    from widgets.reader import Reader
    from widgets.side_panes import HighlightsPane

    arms = filled.story_ids(query="Kyiv asks allies")[0]
    # The publisher's highlight is the first sentence; the reader's own spans two sentences.
    first_two = ARMS_TEXT[: ARMS_TEXT.index("strikes.") + len("strikes.")]
    broad = filled.add_highlight(arms, *span_of(ARMS_TEXT, first_two))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        assert isinstance(screen, MainScreen)
        reader = screen.query_one(Reader)
        assert reader.has_focus and reader.sentence == 0
        await pilot.press("a")
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = {h.id: h.note for h in filled.highlights(arms)}
        assert notes[broad] == "mine"
        assert [n for i, n in notes.items() if i != broad and n] == []
        # A shorter highlight of the reader's inside it is the one meant there.
        inner = filled.add_highlight(arms, *span_of(ARMS_TEXT, "more air defence"))
        screen.reload_story()
        await settle(pilot)
        reader.move_to_sentence(0)
        await settle(pilot)
        pane = screen.query_one(HighlightsPane)
        assert pane.current is not None and pane.current.id == inner
        await pilot.press("a")
        await type_text(pilot, "inner")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = {h.id: h.note for h in filled.highlights(arms)}
        assert notes[inner] == "inner" and notes[broad] == "mine"


def _tree_group(tree: FeedTree, title: str) -> list[str]:
    group = next((n for n in tree.root.children if str(n.label) == title), None)
    return [] if group is None else [n.data.tag for n in group.children if n.data is not None]


async def test_an_accepted_topic_sits_under_topics_not_tags(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    syria = filled.story_ids(query="de-confliction")[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tree = screen.query_one(FeedTree)
        assert "Syria de-confliction" not in _tree_group(tree, "Topics")
        screen.open_story(syria)
        await settle(pilot)
        await pilot.press("y")  # its one suggested topic
        await settle(pilot)
        assert "Syria de-confliction" in [t.name for t in filled.story_tags(syria)]
        assert "Syria de-confliction" in _tree_group(tree, "Topics")
        assert "Syria de-confliction" not in _tree_group(tree, "Tags")
        # A tag the user made stays a tag; a topic with a rule stays a topic.
        assert _tree_group(tree, "Tags") == ["defence"]
        assert "Ukraine arms" in _tree_group(tree, "Topics")


async def test_the_focused_side_pane_shows_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await open_first(pilot)  # open a story, then go to the side panes
        screen = app.screen
        panes = {name: screen.query_one(f"#{name}") for name in ("highlights", "quotes")}

        def rule(name: str) -> object:
            return panes[name].styles.border_top[1]

        resting = rule("quotes")
        await pilot.press("4")
        await settle(pilot)
        assert panes["highlights"].has_focus
        assert rule("highlights") != resting and rule("quotes") == resting
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert panes["quotes"].has_focus
        assert rule("quotes") != resting and rule("highlights") == resting
