"""The main screen's core: its state, loading the tree, the list, a story and its side
panes in workers, the status line. The screen's actions (app/screens/navigation.py,
story_actions.py, refresh_export.py) and its layout (app/screens/main.py) build on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.screen import Screen
from textual.widgets import Static, Tabs

from app.analysis.sentences import split_sentences
from app.analysis.version import ANALYSIS_VERSION
from storage.models import Story
from widgets.feed_tree import ALL, FeedTree, StorySource, TagCount
from widgets.reader import Reader
from widgets.safe import clean
from widgets.side_panes import HighlightsPane, QuotesPane, RelatedPane
from widgets.story_list import PAGE_SIZE, StoryList

if TYPE_CHECKING:
    from app.tui import BylineApp

NARROW_WIDTH = 110
MEDIUM_WIDTH = 150  # below this the tree and the side panes give the list some room
PANES = ("highlights", "quotes", "related")


@dataclass
class Place:
    """Where the reader was, so back returns there."""

    source: StorySource
    cursor: int
    story_id: int | None
    sentence: int


class ScreenCore(Screen[None]):
    """State and loading shared by the main screen's parts."""

    def __init__(self) -> None:
        super().__init__()
        self.source: StorySource = ALL
        self.story: Story | None = None
        self.history: list[Place] = []
        self.active_pane = "highlights"
        self.related_for: int | None = None
        self.refreshing = False
        self.last_refresh = ""
        self.last_update: Any = None
        self.last_export: Any = None
        self.status_line = ""
        self.seen_data_version: int | None = None

    @property
    def byline(self) -> BylineApp:
        return self.app  # type: ignore[return-value]

    @property
    def library(self) -> Any:
        return self.byline.library

    @property
    def side_ready(self) -> bool:
        """Whether the (lazily mounted) side panes are in the DOM yet."""
        return bool(self.query("#side"))

    @property
    def narrow(self) -> bool:
        return self.has_class("narrow")

    # -- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="tree", exit_on_error=False)
    def load_tree(self) -> None:
        lib = self.library
        feeds = lib.list_feeds()
        # Topics (a rule, the analysis, an accepted suggestion) sit apart from the user's tags.
        topics: set[str] = getattr(lib, "topic_names", set)()
        tags = [
            TagCount(t.name, t.unread_count, t.story_count, topic=bool(t.rule) or t.name in topics)
            for t in lib.tag_summaries()
        ]
        searches = self.byline.saved_searches.items()
        # Counted as the list shows them: one story per duplicate cluster.
        unread = lib.count_stories(unread=True, collapse_duplicates=True)
        saved = lib.count_stories(saved=True, collapse_duplicates=True)
        self.app.call_from_thread(
            self.query_one(FeedTree).populate,
            feeds,
            tags,
            searches,
            total_unread=unread,
            saved=saved,
            selected=self.source,
        )

    def reload_keeping_cursor(self) -> None:
        """Load the current list again; new stories arrive on top, so the cursor stays on the
        story it was on, and the tree's counts follow."""
        story_list = self.query_one(StoryList)
        row = story_list.cached_row(story_list.cursor)
        keep = row.id if row is not None else None
        self.load_source(self.source, story_list.cursor, keep=keep)
        self.load_tree()
        # What this reload shows is seen: the watcher only reacts to writes after it.
        self.seen_data_version = self.library.data_version()

    def watch_library(self) -> None:
        """Reload when another process (`byline refresh` from cron) wrote to the library."""
        version = self.library.data_version()
        if version == self.seen_data_version:
            return
        self.seen_data_version = version
        if not self.refreshing:  # our own refresh reloads when it ends
            self.reload_keeping_cursor()

    def load_source(
        self,
        source: StorySource,
        cursor: int = 0,
        then_open: int | None = None,
        *,
        keep: int | None = None,
    ) -> None:
        """Show a source with the cursor at `cursor`, or on the story `keep` when it is still
        near there (new stories arrived above it)."""
        self.source = source
        self._load_list(source, cursor, then_open, keep)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def _load_list(
        self, source: StorySource, cursor: int, then_open: int | None, keep: int | None = None
    ) -> None:
        lib = self.library
        # Near-duplicates are collapsed: one row per cluster, its other feeds as "also in".
        filters = {**source.filters(), "collapse_duplicates": True}
        try:
            count = lib.count_stories(**filters)
        except Exception as exc:  # a bad saved query: say so, keep the screen
            self.app.call_from_thread(self.notify, clean(str(exc)), severity="error")
            count = 0

        def fetch(offset: int, limit: int, after: tuple[str, int] | None) -> list[Any]:
            rows: list[Any] = lib.list_stories(limit=limit, offset=offset, after=after, **filters)
            return rows

        def also_in(rows: list[Any]) -> dict[int, str]:
            return _also_in(lib, rows)

        if keep is not None:
            start = max(0, cursor - 100)
            ids = [r.id for r in lib.list_stories(limit=600, offset=start, **filters)]
            cursor = start + ids.index(keep) if keep in ids else cursor
        # The page under the cursor is read here, so the list is painted with its rows.
        cursor = min(max(0, cursor), max(0, count - 1))
        first = fetch((cursor // PAGE_SIZE) * PAGE_SIZE, PAGE_SIZE, None) if count else []
        extra = also_in(first)

        def show() -> None:
            story_list = self.query_one(StoryList)
            story_list.empty_message = (
                "No stories yet: press R to refresh, or run byline add URL."
                if source.kind == "all"
                else "Nothing here."
            )
            story_list.load(
                count, fetch, cursor, also_in=also_in, pages={cursor // PAGE_SIZE: first}
            )
            story_list.also_in.update(extra)
            self._status(f"{source.title}: {count} stories")
            if then_open is not None:
                self.open_story(then_open)

        self.app.call_from_thread(show)

    def open_story(self, story_id: int, *, sentence: int = 0, mark_read: bool = True) -> None:
        self._load_story(story_id, sentence, mark_read)

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _load_story(self, story_id: int, sentence: int, mark_read: bool) -> None:
        lib = self.library
        if mark_read:
            lib.set_read(story_id, True)
            # Its near-duplicates in other feeds are the same story: read once, read all.
            for copy in getattr(lib, "cluster_members", lambda _: [])(story_id):
                lib.set_read(copy, True)
            self.app.call_from_thread(self.load_tree)  # the unread counts changed
        story = lib.get_story(story_id)
        if story.analysis_version < ANALYSIS_VERSION:
            # Left for later by a refresh (or made stale by an upgrade): analyse it now, so
            # its quotes and highlights are there when it shows.
            from app.analysis.pipeline import ensure_analysed

            try:
                story = ensure_analysed(lib, story)
            except Exception as exc:  # the story shows anyway
                self.app.call_from_thread(
                    self.notify, f"Analysis failed: {clean(str(exc))}", severity="warning"
                )
        sentences = split_sentences(story.text)
        self.app.call_from_thread(self._show_story, story, sentences, sentence)

    def _show_story(self, story: Story, sentences: list[tuple[int, int]], sentence: int) -> None:
        self.story = story
        reader = self.query_one(Reader)
        reader.show_story(story, sentences)
        if sentence:
            reader.move_to_sentence(sentence)
        self._fill_panes(story)
        self.query_one(StoryList).reload()
        self.related_for = None
        self._maybe_load_related()

    def _fill_panes(self, story: Story) -> None:
        if not self.side_ready:
            return
        self.query_one(HighlightsPane).set_items(story.highlights)
        quotes = self.query_one(QuotesPane)
        quotes.set_items(story.quotes, speaker=quotes.speaker)

    def reload_story(self) -> None:
        """Marks, tags or annotations changed: show them, keep the reader's place."""
        if self.story is None:
            return
        story = self.library.get_story(self.story.id)
        self.story = story
        self.query_one(Reader).refresh_header(story)
        self._fill_panes(story)
        self.query_one(StoryList).reload()

    def _maybe_load_related(self) -> None:
        # The Related pane costs a search: only compute it when it can be seen.
        if self.story is None or self.related_for == self.story.id or not self.side_ready:
            return
        if self.narrow and self.active_pane != "related":
            return
        self.related_for = self.story.id
        self.query_one(RelatedPane).show_message("Looking for related stories…")
        self._load_related(self.story.id)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _load_related(self, story_id: int) -> None:
        finder: Any = self.byline.find_related
        if finder is None:
            from app.analysis.related import find_related as finder
        try:
            related = finder(self.library, story_id, limit=10)
        except Exception as exc:
            self.app.call_from_thread(
                self.query_one(RelatedPane).show_message,
                f"Related stories failed: {clean(str(exc))}",
            )
            return
        if self.story is not None and self.story.id == story_id:
            self.app.call_from_thread(self.query_one(RelatedPane).set_items, related)

    def _status(self, message: str) -> None:
        line = clean(message)
        if line == self.status_line:
            return
        self.status_line = line
        # The status line has a fixed size: repaint it without laying out the whole screen
        # (a layout on every cursor move cost more than the move itself).
        self.query_one("#status-text", Static).update(Text(line), layout=False)

    def _remember_place(self) -> None:
        reader = self.query_one(Reader)
        self.history.append(
            Place(
                self.source,
                self.query_one(StoryList).cursor,
                self.story.id if self.story else None,
                reader.sentence,
            )
        )

    def show_pane(self, name: str) -> None:
        self.active_pane = name
        if not self.side_ready:
            return
        for pane in PANES:
            self.query_one(f"#{pane}").set_class(pane == name, "-active")
        tabs = self.query_one("#side-tabs", Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        self._maybe_load_related()

    def run_search(self, query: str) -> None:
        if not query:
            self.load_source(ALL)
            return
        self.history.clear()
        self.load_source(StorySource("search", query, query=query))
        self.query_one(StoryList).focus()


def _also_in(lib: Any, rows: list[Any]) -> dict[int, str]:
    """For stories with near-duplicates, the other feeds that carry them ("also in")."""
    peers_of = getattr(lib, "cluster_peers", None)
    if peers_of is None or not rows:
        return {}
    peers = peers_of([r.id for r in rows])
    stubs = lib.story_stubs(sorted({p for group in peers.values() for p in group}))
    own = {r.id: r.feed_title for r in rows}
    out: dict[int, str] = {}
    for story_id, group in peers.items():
        feeds = list(
            dict.fromkeys(
                stubs[p].feed_title
                for p in group
                if p in stubs and stubs[p].feed_title != own.get(story_id)
            )
        )
        if feeds:
            out[story_id] = ", ".join(feeds)
    return out
