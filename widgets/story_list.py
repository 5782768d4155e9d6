"""The story list: a virtual list paged from the library, so 100,000 stories cost one page.

Only the rows on screen are rendered (`render_line`); rows come from a `fetch_page(offset,
limit, after)` callable in pages of PAGE_SIZE, kept in a small LRU cache. Pages are read in
a thread worker: a row whose page has not arrived is painted as a placeholder, so the UI loop
never waits for SQLite. When the page before is cached, the next one is asked for by keyset
(`after` = the previous page's last (published, id)), which costs the same at any depth.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.models import StoryRow
from widgets.safe import clean

PAGE_SIZE = 100
MAX_PAGES = 24

FetchPage = Callable[[int, int, "tuple[str, int] | None"], list[StoryRow]]
"""(offset, limit, after) -> rows; with `after`, the rows after that (published, id)."""
AlsoIn = Callable[[list[StoryRow]], dict[int, str]]
"""Rows -> for stories with near-duplicates, the other feeds that carry them."""


def age(published: str | None, now: datetime | None = None) -> str:
    """A short age such as 5m, 3h, 2d, 6w, 1y."""
    if not published:
        return ""
    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0.0, ((now or datetime.now(UTC)) - when).total_seconds())
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds // 60)}m"


class StoryList(ScrollView, can_focus=True):
    """Stories of the current source, one line each: marks, title, tags, feed, age."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("space,pagedown", "page_down", "Page", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--cursor",
        "story-list--unread",
        "story-list--read",
        "story-list--meta",
        "story-list--tag",
        "story-list--mark",
    }

    DEFAULT_CSS = """
    StoryList { overflow-x: hidden; overflow-y: auto; }
    StoryList > .story-list--cursor { background: $accent 40%; }
    StoryList:focus > .story-list--cursor { background: $accent; color: $text; }
    StoryList > .story-list--unread { text-style: bold; }
    StoryList > .story-list--read { color: $text-muted; }
    StoryList > .story-list--meta { color: $text-muted; }
    StoryList > .story-list--tag { color: $secondary; }
    StoryList > .story-list--mark { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved onto a story."""

        def __init__(self, story_list: StoryList, row: StoryRow | None, index: int) -> None:
            super().__init__()
            self.story_list = story_list
            self.row = row
            self.index = index

        @property
        def control(self) -> StoryList:
            return self.story_list

    class Selected(Message):
        """A story was chosen (enter or click)."""

        def __init__(self, story_list: StoryList, row: StoryRow, index: int) -> None:
            super().__init__()
            self.story_list = story_list
            self.row = row
            self.index = index

        @property
        def control(self) -> StoryList:
            return self.story_list

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch: FetchPage | None = None
        self._also_of: AlsoIn | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[StoryRow]] = OrderedDict()
        # Pages of before a reload, painted until their fresh copy arrives (no flicker).
        self._stale: dict[int, list[StoryRow]] = {}
        self._pending: set[int] = set()
        # Bumped by load/reload: a page read for an older generation is dropped on arrival.
        self._generation = 0
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now = self._clock()
        self.empty_message = "No stories here yet."
        # story id -> feeds that carry a near-duplicate, filled as pages are fetched
        self.also_in: dict[int, str] = {}

    # -- data -----------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return self._count

    def load(
        self,
        count: int,
        fetch_page: FetchPage,
        cursor: int = 0,
        *,
        also_in: AlsoIn | None = None,
        pages: dict[int, list[StoryRow]] | None = None,
    ) -> None:
        """Show a new source: `count` stories, fetched a page at a time. `pages` are pages
        already read (the one under the cursor, read by the caller's worker)."""
        self._fetch = fetch_page
        self._also_of = also_in
        self._count = count
        self._generation += 1
        self._pages.clear()
        self._stale.clear()
        self._pending.clear()
        self.also_in.clear()
        for page_no, rows in (pages or {}).items():
            self._store_page(page_no, rows)
        self._now = self._clock()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        self.set_cursor(min(max(0, cursor), max(0, count - 1)), center=True)
        self.refresh()

    def reload(self, count: int | None = None) -> None:
        """Marks changed: read the pages again; keep the cursor, and paint the old rows until
        the new ones arrive."""
        if count is not None:
            self._count = count
            self.virtual_size = Size(self.scrollable_content_region.width, count)
        self._generation += 1
        self._stale.update(self._pages)
        self._pages.clear()
        self._pending.clear()
        self._now = self._clock()
        if self._count and self.cursor >= self._count:
            self.cursor = self._count - 1
        self.refresh()

    def fetch_pages(self, page_numbers: Iterable[int]) -> dict[int, list[StoryRow]]:
        """Read pages now (call it from a worker thread); the result can go to `load`."""
        if self._fetch is None:
            return {}
        return {n: self._fetch(n * PAGE_SIZE, PAGE_SIZE, None) for n in page_numbers}

    def _store_page(self, page_no: int, rows: list[StoryRow]) -> None:
        self._pages[page_no] = rows
        self._pages.move_to_end(page_no)
        self._stale.pop(page_no, None)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def _after_of(self, page_no: int) -> tuple[str, int] | None:
        before = self._pages.get(page_no - 1)
        if before and len(before) == PAGE_SIZE and before[-1].published:
            return before[-1].published, before[-1].id
        return None

    def row_at(self, index: int) -> StoryRow | None:
        """The row at `index`, read now if its page is not cached (for actions, not drawing)."""
        if self._fetch is None or not 0 <= index < self._count:
            return None
        page_no, slot = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            after = self._after_of(page_no)
            offset = 0 if after else page_no * PAGE_SIZE
            page = self._fetch(offset, PAGE_SIZE, after)
            self._store_page(page_no, page)
        else:
            self._pages.move_to_end(page_no)
        return page[slot] if slot < len(page) else None

    def cached_row(self, index: int) -> StoryRow | None:
        """The row at `index` if its page is here (fresh or stale); otherwise None, and the
        page is asked for in a worker."""
        if self._fetch is None or not 0 <= index < self._count:
            return None
        page_no, slot = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            self._request(page_no)
            page = self._stale.get(page_no)
            if page is None:
                return None
        return page[slot] if slot < len(page) else None

    def find_row(
        self, start: int, step: int, wanted: Callable[[StoryRow], bool], limit: int = 5000
    ) -> tuple[int, StoryRow] | None:
        """The first row after `start` (step 1) or before it (step -1) that is `wanted`, read
        fresh from the library and never from the cache: call it from a worker thread."""
        fetch, count = self._fetch, self._count
        if fetch is None:
            return None
        pages: dict[int, list[StoryRow]] = {}
        index, checked = start + step, 0
        while 0 <= index < count and checked < limit:
            page_no, slot = divmod(index, PAGE_SIZE)
            page = pages.get(page_no)
            if page is None:
                before = pages.get(page_no - 1)
                if before and len(before) == PAGE_SIZE and before[-1].published:
                    page = fetch(0, PAGE_SIZE, (before[-1].published, before[-1].id))
                else:
                    page = fetch(page_no * PAGE_SIZE, PAGE_SIZE, None)
                pages[page_no] = page
            if slot >= len(page):
                break
            if wanted(page[slot]):
                return index, page[slot]
            index += step
            checked += 1
        return None

    def page_ready(self, index: int) -> bool:
        """Whether the page holding `index` has been read (for tests and benchmarks)."""
        return index // PAGE_SIZE in self._pages

    def _request(self, page_no: int) -> None:
        if page_no in self._pending or self._fetch is None:
            return
        self._pending.add(page_no)
        after = self._after_of(page_no)
        self._read_page(self._generation, page_no, self._fetch, self._also_of, after)

    @work(thread=True, group="story-pages", exit_on_error=False)
    def _read_page(
        self,
        generation: int,
        page_no: int,
        fetch: FetchPage,
        also_of: AlsoIn | None,
        after: tuple[str, int] | None,
    ) -> None:
        rows = fetch(0 if after else page_no * PAGE_SIZE, PAGE_SIZE, after)
        extra = also_of(rows) if also_of is not None else {}
        self.app.call_from_thread(self._page_arrived, generation, page_no, rows, extra)

    def _page_arrived(
        self, generation: int, page_no: int, rows: list[StoryRow], extra: dict[int, str]
    ) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page_no)
        self.also_in.update(extra)
        self._store_page(page_no, rows)
        first = page_no * PAGE_SIZE
        if first <= self.cursor < first + PAGE_SIZE:
            self.post_message(self.Highlighted(self, self.cached_row(self.cursor), self.cursor))
        self.refresh()

    @property
    def current(self) -> StoryRow | None:
        return self.row_at(self.cursor)

    # -- cursor ---------------------------------------------------------------------------
    def set_cursor(self, index: int, *, center: bool = False) -> None:
        if self._count == 0:
            self.cursor = 0
            return
        self.cursor = min(max(0, index), self._count - 1)
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, center=center, immediate=True
        )

    def watch_cursor(self, old: int, new: int) -> None:
        # Only the two rows that changed are painted again (a scroll repaints on its own).
        top = int(self.scroll_offset.y)
        width = self.size.width
        for index in {old, new}:
            if top <= index < top + self.size.height:
                self.refresh(Region(0, index - top, width, 1))
        self.post_message(self.Highlighted(self, self.cached_row(new), new))

    def action_cursor_down(self) -> None:
        self.set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.set_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.set_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.set_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.set_cursor(0)

    def action_last(self) -> None:
        self.set_cursor(self._count - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self._count:
            self.set_cursor(index)
            self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._count)

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if self._count == 0:
            if y == 0:
                text = Text(
                    self.empty_message, style=self.get_component_rich_style("story-list--meta")
                )
                return Strip(text.render(self.app.console), text.cell_len).adjust_cell_length(width)
            return Strip.blank(width)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("story-list--cursor")
        row = self.cached_row(index)
        if row is None:
            if index >= self._count:
                return Strip.blank(width)
            # The page is on its way from a worker.
            text = Text("   …", style=self.get_component_rich_style("story-list--meta"))
            return Strip(text.render(self.app.console)).adjust_cell_length(width, base)
        text = self.row_text(row, width)
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def row_text(self, row: StoryRow, width: int) -> Text:
        """One row as plain Text: marks, title, tags, feed and age (feed text never markup)."""
        style = self.get_component_rich_style
        mark = ("●" if not row.read else " ") + ("★" if row.saved else " ")
        mark += "✎" if row.annotated else " "
        tail = Text()
        also = self.also_in.get(row.id)
        if also:
            room = max(10, width // 6)  # the title keeps most of the line
            tail.append(" ≡ also in: " + _fit(clean(also), room), style("story-list--tag"))
        if row.tags:
            tail.append(
                " " + " ".join("#" + clean(t) for t in row.tags[:3]), style("story-list--tag")
            )
        feed = clean(row.feed_title)
        when = age(row.published, self._now)
        # The feed's name fits in all but the narrowest list, shortened as the list narrows.
        feed_width = 18 if width >= 80 else 12 if width >= 50 else 0
        meta = f"  {feed[:feed_width]:<{feed_width}} {when:>4}" if feed_width else f" {when:>4}"
        tail.append(meta, style("story-list--meta"))
        title_width = max(8, width - len(mark) - 1 - tail.cell_len)
        title = Text(clean(row.title) or "(no title)", no_wrap=True, overflow="ellipsis")
        title.stylize(style("story-list--read" if row.read else "story-list--unread"))
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(mark, style("story-list--mark"))
        line.append(" ")
        line.append_text(title)
        line.append_text(tail)
        line.truncate(width, overflow="ellipsis")
        return line


def _fit(value: str, room: int) -> str:
    return value if len(value) <= room else value[: room - 1] + "…"
