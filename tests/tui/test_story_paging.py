"""The story list reads its pages in a worker (never on the UI loop) and pages by keyset."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from storage.models import StoryRow
from tests.tui.conftest import settle
from widgets.story_list import PAGE_SIZE, StoryList

TOTAL = 450
START = datetime(2024, 5, 1, tzinfo=UTC)
ROWS = [
    StoryRow(
        id=TOTAL - i,
        feed_id=1,
        feed_title="Wire",
        title=f"Story number {i}",
        url=None,
        author=None,
        published=(START - timedelta(minutes=i)).isoformat(),
        read=False,
        saved=False,
    )
    for i in range(TOTAL)
]


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[int, tuple[str, int] | None, bool]] = []

    def compose(self) -> ComposeResult:
        yield StoryList(id="list")

    def fetch(self, offset: int, limit: int, after: tuple[str, int] | None) -> list[StoryRow]:
        on_ui = threading.current_thread() is threading.main_thread()
        self.calls.append((offset, after, on_ui))
        if after is not None:
            offset = next(i for i, r in enumerate(ROWS) if (r.published, r.id) < after)
        return ROWS[offset : offset + limit]


async def test_pages_arrive_from_a_worker_and_by_keyset() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 20)) as pilot:
        story_list = app.query_one(StoryList)
        story_list.load(TOTAL, app.fetch, 0, pages={0: ROWS[:PAGE_SIZE]})
        story_list.focus()
        await settle(pilot)
        assert app.calls == []  # the first page came with the list
        await pilot.press("end")
        await settle(pilot)
        # the last page was read in a worker thread (False: not on the UI thread)
        assert story_list.cached_row(TOTAL - 1) == ROWS[-1]
        assert app.calls == [(400, None, False)]
        lines = [story_list.render_line(y).text for y in range(story_list.size.height)]
        assert any(f"Story number {TOTAL - 1}" in line for line in lines)
        assert not any("…" in line and "Story" not in line for line in lines)

        app.calls.clear()
        await pilot.press("home")
        await settle(pilot)
        while story_list.cursor < PAGE_SIZE + 5:
            await pilot.press("pagedown")
        await settle(pilot)
        # page 1 follows page 0, so it is read after page 0's last row, in a worker
        last = ROWS[PAGE_SIZE - 1]
        assert (0, (last.published, last.id), False) in app.calls
        assert all(not on_ui for _, _, on_ui in app.calls)
        assert story_list.current == ROWS[story_list.cursor]

        # n/p look for the next unread story through fresh pages, by keyset after the first
        app.calls.clear()
        unread = ROWS[350]
        found = story_list.find_row(0, 1, lambda r: r.id == unread.id)
        assert found == (350, unread)
        assert [offset for offset, _, _ in app.calls] == [0, 0, 0, 0]
        assert [after for _, after, _ in app.calls][1:] == [
            (ROWS[n * PAGE_SIZE - 1].published, ROWS[n * PAGE_SIZE - 1].id) for n in (1, 2, 3)
        ]
        assert story_list.find_row(350, -1, lambda r: r.id == ROWS[3].id) == (3, ROWS[3])
        assert story_list.find_row(350, 1, lambda r: r.id == ROWS[3].id) is None
