"""Every flow a reader has, by keyboard, asserted on the library and on the screen."""

from __future__ import annotations

from textual.widgets import OptionList

from app.screens.dialogs import ChoiceDialog, NoteDialog, TagDialog
from app.screens.main import MainScreen
from storage import Library
from tests.tui.conftest import open_first, settle, type_text
from tests.tui.factory import ARMS_TEXT, span_of
from widgets.feed_tree import StorySource
from widgets.reader import Reader
from widgets.side_panes import HighlightsPane, QuotesPane, RelatedPane
from widgets.story_list import StoryList

SIZE = (140, 40)


def arms_id(lib: Library) -> int:
    return lib.story_ids(query="Kyiv asks allies")[0]


def sentence_index(reader: Reader, fragment: str) -> int:
    return next(i for i, (s, e) in enumerate(reader.sentences) if fragment in reader.text[s:e])


async def test_tag_with_completion(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"Syr", "right", "enter")
        await settle(pilot)
        tags = {t.name: t.source for t in filled.story_tags(arms_id(filled))}
        assert tags["Syria de-confliction"] == "user"
        assert "#Syria de-confliction" in screen.query_one(Reader)._lines[2].header.plain


async def test_untag(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("T")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.choices == ["defence"]
        await pilot.press("enter")
        await settle(pilot)
        assert "defence" not in {t.name for t in filled.story_tags(arms_id(filled))}
        assert arms_id(filled) in filled.removed_tag_story_ids("defence")


async def test_accept_suggested_topic(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        assert "+Ukraine arms?" in screen.query_one(Reader)._lines[2].header.plain
        await pilot.press("y")
        await settle(pilot)
        tags = {t.name: t.source for t in filled.story_tags(arms_id(filled))}
        assert tags["Ukraine arms"] == "user"
        assert "#Ukraine arms" in screen.query_one(Reader)._lines[2].header.plain


async def test_highlight_current_sentence(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("j")
        await pilot.press("h")
        await settle(pilot)
        start, end = span_of(ARMS_TEXT, "The request came after a week of strikes.")
        spans = {(h.start, h.end, h.kind) for h in filled.highlights(arms_id(filled))}
        assert (start, end, "user") in spans
        pane = screen.query_one(HighlightsPane)
        assert any(h.start == start for h in pane.items)


async def test_select_span_and_highlight(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("v", "j", "j", "h")
        await settle(pilot)
        start = 0
        end = span_of(ARMS_TEXT, '"We need Patriot systems now," said Olena Kovalenko, the deputy')[
            0
        ]
        end = ARMS_TEXT.index("minister.", end) + len("minister.")
        user = [h for h in filled.highlights(arms_id(filled)) if h.kind == "user"]
        assert (start, end) in {(h.start, h.end) for h in user}


async def test_delete_highlight(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        reader = screen.query_one(Reader)
        reader.move_to_sentence(sentence_index(reader, "Javelin"))
        await pilot.press("d")
        await settle(pilot)
        assert [h for h in filled.highlights(arms_id(filled)) if h.kind == "user"] == []


async def test_note_on_story(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("j")  # off the publisher's highlight: the note is on the story
        await pilot.press("a")
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "Check [this] later")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = filled.notes(arms_id(filled))
        assert [(n.body, n.highlight_id) for n in notes] == [("Check [this] later", None)]
        headers = [line.header.plain for line in screen.query_one(Reader)._lines if line.header]
        assert "✎ Check [this] later" in headers


async def test_note_on_highlight_under_cursor(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        reader = screen.query_one(Reader)
        reader.move_to_sentence(sentence_index(reader, "Javelin"))
        await pilot.press("a")
        await type_text(pilot, "arms list")
        await pilot.press("ctrl+s")
        await settle(pilot)
        user = [h for h in filled.highlights(arms_id(filled)) if h.kind == "user"]
        assert user[0].note == "arms list"
        pane = screen.query_one(HighlightsPane)
        assert any("✎ arms list" in str(pane.get_option_at_index(i).prompt) for i in range(2))


async def test_escape_leaves_note_unsaved(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("a", *"draft", "escape")
        await settle(pilot)
        assert filled.notes(arms_id(filled)) == []


async def test_choosing_a_quote_jumps_to_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        quotes = screen.query_one(QuotesPane)
        quotes.focus()
        quotes.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        reader = screen.query_one(Reader)
        start, end = span_of(ARMS_TEXT, '"It is a question of weeks,"')
        assert reader.marked == (start, end)
        s, e = reader.cursor_span
        assert s <= start < e


async def test_choosing_a_highlight_jumps_to_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:  # narrow: the pane is a tab
        screen = await open_first(pilot)
        assert screen.narrow
        await pilot.press("4")
        pane = screen.query_one(HighlightsPane)
        assert pane.has_focus
        pane.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        reader = screen.query_one(Reader)
        start, end = span_of(ARMS_TEXT, "Analysts expect the package to include Javelin missiles.")
        assert reader.marked == (start, end)
        assert reader.line_of(start) >= reader.scroll_offset.y
        assert reader.line_of(start) < reader.scroll_offset.y + reader.size.height


async def test_cursor_shows_which_quote_and_highlight(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        reader = screen.query_one(Reader)
        reader.move_to_sentence(sentence_index(reader, "We need Patriot"))
        await pilot.pause()
        assert screen.query_one(QuotesPane).highlighted == 0
        assert "quote by Olena Kovalenko" in str(screen.query_one("#status-text").render())
        reader.move_to_sentence(sentence_index(reader, "Javelin"))
        await pilot.pause()
        assert screen.query_one(HighlightsPane).highlighted == 1


async def test_filter_and_follow_speaker(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        reader = screen.query_one(Reader)
        reader.move_to_sentence(sentence_index(reader, "question of weeks"))
        await pilot.press("f")
        quotes = screen.query_one(QuotesPane)
        assert [q.speaker for q in quotes.items] == ["Mark Hale"]
        await pilot.press("F")
        await settle(pilot)
        assert screen.source.query == 'speaker:"Mark Hale"'
        story_list = screen.query_one(StoryList)
        assert story_list.count == filled.count_stories(query='speaker:"Mark Hale"') == 1


async def test_open_related_and_come_back(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        first = screen.story.id
        reader = screen.query_one(Reader)
        await pilot.press("j", "j")
        related = screen.query_one(RelatedPane)
        assert related.items, "the related pane lists stories"
        target = related.items[0].id
        related.focus()
        related.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert screen.story.id == target != first
        await pilot.press("escape")
        await settle(pilot)
        assert screen.story.id == first
        assert reader.sentence == 2


async def test_save_and_read_marks(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        story = arms_id(filled)
        await pilot.press("s")
        await settle(pilot)
        assert filled.get_story(story).saved
        assert "★ saved" in app.screen.query_one(Reader)._lines[1].header.plain
        await pilot.press("m")
        await settle(pilot)
        assert filled.get_story(story).read is False
        await pilot.press("s")
        await settle(pilot)
        assert not filled.get_story(story).saved


async def test_mark_all_read(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert filled.count_stories(unread=True) == 0
        assert app.screen.query_one(StoryList).current.read


async def test_next_unread_skips_read(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    rows = filled.list_stories(limit=3)
    filled.set_read(rows[1].id, True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")  # nothing open yet: the unread story under the cursor opens
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.story.id == rows[0].id
        await pilot.press("n")
        await settle(pilot)
        assert screen.story.id == rows[2].id
        await pilot.press("p")  # the stories before are read now: nowhere to go
        await settle(pilot)
        assert screen.story.id == rows[2].id
        filled.set_read(rows[0].id, False)
        screen.query_one(StoryList).reload()
        await pilot.press("p")
        await settle(pilot)
        assert screen.story.id == rows[0].id


async def test_keymap_from_settings(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    from app.config import Settings

    app = make_app(Settings(keymap={"story.save": "z"}))
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert not filled.get_story(arms_id(filled)).saved
        await pilot.press("z")
        await settle(pilot)
        assert filled.get_story(arms_id(filled)).saved
        # the palette and the help name the key in force, not the default one
        from app.screens.dialogs import HelpDialog
        from app.screens.palette import BylineCommands

        commands = {title: key for title, _, key in BylineCommands(app.screen)._commands()}
        assert commands["Story: Save"] == "z"
        assert commands["Story: Tag"] == "t"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        assert dict((d, k) for k, d in app.screen.rows)["Save"] == "z"


async def test_help_lists_active_bindings(make_app) -> None:  # type: ignore[no-untyped-def]
    from app.screens.dialogs import HelpDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        rows = dict((d, k) for k, d in app.screen.rows)
        assert rows["Tag"] == "t"
        assert rows["Highlight"] == "h"
        # The story list has focus; the reader's keys are listed too, under their pane.
        panes = {title: dict((d, k) for k, d in rows) for title, rows in app.screen.panes}
        assert "In the story list" not in panes
        assert panes["In the reader"]["Select"] == "v"
        assert set(panes["In the reader"]["Next sentence"].split()) == {"j", "↓"}
        shown = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "In the reader" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_runs_an_action(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        app.screen.query_one(Reader).focus()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "story: save")
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert filled.get_story(arms_id(filled)).saved


async def test_duplicates_collapse_with_also_in(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    from app.analysis.duplicates import index_story
    from storage.models import Entry

    original = arms_id(filled)
    defence = filled.find_feed("Defence Weekly")
    copy = filled.upsert_entries(
        defence.id,
        [Entry(uid="arms-copy", title="Kyiv asks allies for air defence (wire)", text=ARMS_TEXT)],
    ).new[0]
    index_story(filled, original)
    assert index_story(filled, copy) == [original]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        # one row for the two copies, counted once
        assert story_list.count == filled.count_stories() - 1
        shown = [story_list.row_at(i).id for i in range(story_list.count)]
        assert original in shown and copy not in shown
        index = shown.index(original)
        line = story_list.row_text(story_list.row_at(index), 120).plain
        assert "≡ also in: Defence Weekly" in line
        # the tree counts one story per cluster; opening one copy reads both
        tree = app.screen.query_one("#tree")
        unread = filled.count_stories(unread=True)
        assert str(tree.root.children[0].label) == f"All stories {unread - 1}"
        story_list.set_cursor(index)
        await pilot.press("enter")
        await settle(pilot)
        assert filled.get_story(copy).read
        assert str(tree.root.children[0].label) == f"All stories {unread - 2}"
        # a feed's own list still shows its copy
        app.screen.load_source(StorySource("feed", "Defence Weekly", feed_id=defence.id))
        await settle(pilot)
        assert copy in [story_list.row_at(i).id for i in range(story_list.count)]


async def test_export_open_story_as_json(make_app, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from app.screens.dialogs import ExportDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        radios = list(app.screen.query("RadioButton"))
        json_button = next(r for r in radios if str(r.label) == "json")
        json_button.value = True
        dest = tmp_path / "out.json"
        app.screen.query_one("#export-dest").value = str(dest)
        app.screen.query_one("#export-dest").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.last_export.stories == 1
        data = json.loads(dest.read_text())
        assert "Kyiv asks allies for air defence" in json.dumps(data)
