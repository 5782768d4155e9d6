"""The main screen: feeds and topics | story list | reader, with Highlights, Quotes and
Related beside the reader. Here are its layout, keys and the messages of its widgets; its
state and loading are in base.py, its actions in navigation.py, story_actions.py and
refresh_export.py. Slow work runs in workers."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.widgets import Footer, ProgressBar, Static, Tab, Tabs, Tree
from textual.worker import Worker, WorkerState

from app.screens.base import MEDIUM_WIDTH, NARROW_WIDTH
from app.screens.navigation import NavigationActions
from app.screens.refresh_export import RefreshExportActions
from app.screens.story_actions import StoryActions
from widgets.feed_tree import ALL, FeedTree, StorySource
from widgets.reader import Reader
from widgets.safe import clean
from widgets.side_panes import HighlightsPane, QuotesPane, RelatedPane
from widgets.story_list import StoryList

__all__ = ["MainScreen", "SidePanes"]


# How often the reader looks for stories another process (cron) has stored.
WATCH_SECONDS = 2.0
PENDING_DELAY = 1.5  # seconds after start-up before stories left unanalysed are analysed


class SidePanes(Vertical):
    """Highlights, Quotes and Related beside the reader (tabs when the terminal is narrow)."""

    def on_mount(self) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.side_mounted()


class MainScreen(StoryActions, NavigationActions, RefreshExportActions):
    CSS_PATH = "main.tcss"

    # The keys that open a dialog are priority bindings: handled as the key arrives, so the
    # dialog is on top before the keys typed after it ("/hotline", "e j Enter" at once) are
    # handed out, and those go to the dialog rather than to the list under it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "back_or_quit", "Back/Quit", id="nav.back_or_quit"),
        Binding("escape", "back", "Back", show=False, id="nav.back"),
        Binding("n", "next_unread", "Next unread", id="nav.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="nav.previous_unread"),
        Binding("tab", "focus_next_pane", "Next pane", show=False, id="focus.next"),
        Binding(
            "shift+tab", "focus_previous_pane", "Previous pane", show=False, id="focus.previous"
        ),
        Binding("1", "focus_pane('tree')", "Feeds", show=False, id="focus.tree"),
        Binding("2", "focus_pane('list')", "Stories", show=False, id="focus.list"),
        Binding("3", "focus_pane('reader')", "Reader", show=False, id="focus.reader"),
        Binding("4", "focus_pane('side')", "Side panes", show=False, id="focus.side"),
        Binding(
            "right_square_bracket", "next_tab", "Next side pane", show=False, id="pane.next_tab"
        ),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Previous side pane",
            show=False,
            id="pane.previous_tab",
        ),
        Binding("t", "tag", "Tag", id="story.tag", priority=True),
        Binding("T", "untag", "Untag", show=False, id="story.untag"),
        Binding("y", "accept_topic", "Accept topic", show=False, id="story.accept_topic"),
        Binding("s", "save", "Save", id="story.save"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="story.toggle_read"),
        Binding("M", "mark_all_read", "Mark all read", show=False, id="story.mark_all_read"),
        Binding("o", "open_browser", "Open in browser", show=False, id="story.open_browser"),
        Binding("a", "annotate", "Note", id="story.annotate", priority=True),
        Binding(
            "A", "annotate_story", "Note on the story", show=False, id="story.note", priority=True
        ),
        Binding("h", "highlight", "Highlight", id="reader.highlight"),
        Binding(
            "d", "delete_highlight", "Delete highlight", show=False, id="reader.delete_highlight"
        ),
        Binding("f", "filter_speaker", "Filter speaker", show=False, id="quotes.filter_speaker"),
        Binding("F", "follow_speaker", "Follow speaker", show=False, id="quotes.follow_speaker"),
        Binding("slash", "search", "Search", id="nav.search", priority=True),
        Binding("S", "save_search", "Save search", show=False, id="nav.save_search"),
        Binding("X", "delete_search", "Delete saved search", show=False, id="nav.delete_search"),
        Binding("r", "refresh", "Refresh", show=False, id="feeds.refresh"),
        Binding("R", "refresh_all", "Refresh all", id="feeds.refresh_all"),
        Binding("e", "export", "Export", show=False, id="story.export", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield FeedTree(id="tree")
            with Vertical(id="middle"):
                yield StoryList(id="list", clock=self.byline.clock)
                yield Reader(id="reader")
            # The side panes are mounted after the first frame: the list is painted sooner.
            with Lazy(SidePanes(id="side")):
                yield Tabs(
                    Tab("Highlights", id="tab-highlights"),
                    Tab("Quotes", id="tab-quotes"),
                    Tab("Related", id="tab-related"),
                    id="side-tabs",
                )
                yield HighlightsPane(id="highlights", classes="pane -active")
                yield QuotesPane(id="quotes", classes="pane")
                yield RelatedPane(id="related", classes="pane")
        with Horizontal(id="status"):
            yield Static("", id="status-text", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Lazy(Footer())

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.query_one(StoryList).focus()
        self.load_source(ALL)
        self.load_tree()
        self.seen_data_version = self.library.data_version()
        self.set_interval(WATCH_SECONDS, self.watch_library)
        if self.byline.background_analysis:
            # Once the first screens are painted and the user can read.
            self.set_timer(PENDING_DELAY, self.analyse_pending_stories)

    def side_mounted(self) -> None:
        panes = ((HighlightsPane, "Highlights"), (QuotesPane, "Quotes"), (RelatedPane, "Related"))
        for pane_type, title in panes:
            pane = self.query_one(pane_type)
            pane.border_title = title
            pane.show_message("—")
        self.show_pane(self.active_pane)
        if self.story is not None:  # a story opened before the panes arrived
            self._fill_panes(self.story)

    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "narrow")
        self.set_class(NARROW_WIDTH <= width < MEDIUM_WIDTH, "medium")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a failure becomes one line, not a traceback.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = clean(str(error)) or type(error).__name__
            self.notify(f"Something went wrong: {message}", severity="error")

    # -- list and tree --------------------------------------------------------------------
    @on(Tree.NodeSelected, "#tree")
    def _tree_selected(self, event: Tree.NodeSelected[StorySource]) -> None:
        if event.node.data is not None:
            self.history.clear()
            self.load_source(event.node.data)
            self.query_one(StoryList).focus()

    @on(StoryList.Selected)
    def _list_selected(self, event: StoryList.Selected) -> None:
        self.history.clear()
        self.open_story(event.row.id)
        self.query_one(Reader).focus()

    # -- reader and panes -----------------------------------------------------------------
    @on(Reader.CursorMoved)
    def _cursor_moved(self, event: Reader.CursorMoved) -> None:
        if not self.side_ready:
            return
        highlight = self.query_one(HighlightsPane).follow(event.start, event.end)
        quote = self.query_one(QuotesPane).follow(event.start, event.end)
        where = []
        if highlight is not None:
            where.append("in a highlight" + (" (with a note)" if highlight.note else ""))
        if quote is not None:
            where.append(f"in a quote by {clean(quote.speaker) or 'unknown'}")
        self._status("Cursor " + ", ".join(where) if where else "")

    @on(HighlightsPane.Chosen)
    def _highlight_chosen(self, event: HighlightsPane.Chosen) -> None:
        if not event.highlight.anchored:
            self.notify("That passage is no longer in the story's text.", severity="warning")
            return
        self.query_one(Reader).jump_to(event.highlight.start, event.highlight.end)

    @on(QuotesPane.Chosen)
    def _quote_chosen(self, event: QuotesPane.Chosen) -> None:
        self.query_one(Reader).jump_to(event.quote.start, event.quote.end)

    @on(RelatedPane.Chosen)
    def _related_chosen(self, event: RelatedPane.Chosen) -> None:
        self._remember_place()
        self.open_story(event.story_id)
        self.query_one(Reader).focus()

    @on(Tabs.TabActivated, "#side-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self.show_pane(event.tab.id.removeprefix("tab-"))
