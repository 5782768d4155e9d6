"""The story list: a virtual list paged from the library, so 100,000 stories cost one page.

Only the rows on screen are rendered (`render_line`); rows come from a `fetch_page(offset,
limit)` callable in pages of PAGE_SIZE, kept in a small LRU cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
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

FetchPage = Callable[[int, int], list[StoryRow]]


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
        self._count = 0
        self._pages: OrderedDict[int, list[StoryRow]] = OrderedDict()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now = self._clock()
        self.empty_message = "No stories here yet."
        # story id -> feeds that carry a near-duplicate, filled as pages are fetched
        self.also_in: dict[int, str] = {}

    # -- data -----------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return self._count

    def load(self, count: int, fetch_page: FetchPage, cursor: int = 0) -> None:
        """Show a new source: `count` stories, fetched a page at a time."""
        self._fetch = fetch_page
        self._count = count
        self._pages.clear()
        self.also_in.clear()
        self._now = self._clock()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        self.set_cursor(min(max(0, cursor), max(0, count - 1)), center=True)
        self.refresh()

    def reload(self, count: int | None = None) -> None:
        """Drop cached pages (marks changed); keep the cursor where it is."""
        if count is not None:
            self._count = count
            self.virtual_size = Size(self.scrollable_content_region.width, count)
        self._pages.clear()
        self._now = self._clock()
        if self._count and self.cursor >= self._count:
            self.cursor = self._count - 1
        self.refresh()

    def row_at(self, index: int) -> StoryRow | None:
        if self._fetch is None or not 0 <= index < self._count:
            return None
        page_no, slot = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no * PAGE_SIZE, PAGE_SIZE)
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[slot] if slot < len(page) else None

    @property
    def current(self) -> StoryRow | None:
        return self.row_at(self.cursor)

    def index_of(self, story_id: int) -> int | None:
        """The index of a story among the cached pages (the ones seen recently)."""
        for page_no, page in self._pages.items():
            for slot, row in enumerate(page):
                if row.id == story_id:
                    return page_no * PAGE_SIZE + slot
        return None

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
        self.refresh()
        self.post_message(self.Highlighted(self, self.row_at(new), new))

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
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width)
        text = self.row_text(row, width)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("story-list--cursor")
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
            tail.append(" ≡ also in " + clean(also)[:24], style("story-list--tag"))
        if row.tags:
            tail.append(
                " " + " ".join("#" + clean(t) for t in row.tags[:3]), style("story-list--tag")
            )
        feed = clean(row.feed_title)
        when = age(row.published, self._now)
        meta = f"  {feed[:18]:<18} {when:>4}" if width >= 60 else f" {when:>4}"
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
