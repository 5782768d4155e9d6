"""Stories left unanalysed (a `--no-analysis` refresh from cron, a quit during analysis, an
upgrade) are analysed by the reader: the one opened at once, the rest in the background."""

from __future__ import annotations

from app.analysis.version import ANALYSIS_VERSION
from storage import Library
from storage.models import Entry
from tests.tui.conftest import settle
from widgets.side_panes import QuotesPane
from widgets.story_list import StoryList

SIZE = (140, 40)
TEXT = (
    "The harbour authority closed the north pier on Monday after a storm.\n\n"
    '"We will reopen it within a month," said Mara Voss, who runs the ferry service. '
    "Engineers began repairs the same day."
)


def _left_unanalysed(library: Library, count: int) -> list[int]:
    feed = library.add_feed("https://cron.example/feed.xml", title="Cron Feed")
    entries = [Entry(uid=f"c{i}", title=f"Pier closed {i}", text=TEXT) for i in range(count)]
    return library.upsert_entries(feed.id, entries).new


def _pending(library: Library) -> int:
    return len(library.stories_to_analyse(ANALYSIS_VERSION, limit=-1))


async def test_the_story_opened_is_analysed_at_once(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    (sid,) = _left_unanalysed(filled, 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.open_story(sid)
        await settle(pilot)
        quotes = filled.get_story(sid).quotes
        assert [q.speaker for q in quotes] == ["Mara Voss"]
        assert app.screen.story is not None and app.screen.story.quotes
        assert app.screen.query_one(QuotesPane).items  # the pane shows it
    assert filled.get_story(sid).analysis_version == ANALYSIS_VERSION


async def test_the_rest_are_analysed_in_the_background(make_app, filled) -> None:  # type: ignore[no-untyped-def]
    _left_unanalysed(filled, 5)
    assert _pending(filled) == 5
    app = make_app(background_analysis=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(100):  # the job starts after a short delay
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            if _pending(filled) == 0:
                break
        assert _pending(filled) == 0
        assert app.screen.query_one(StoryList).count > 0
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert "Analysed 5 stories left for later" in said
