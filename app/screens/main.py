"""The main screen: feeds and topics | story list | reader, with Highlights, Quotes and
Related beside the reader. It wires widgets to the library; slow work runs in workers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static, Tab, Tabs, Tree
from textual.worker import Worker, WorkerState

from storage.models import Story
from widgets.feed_tree import ALL, FeedTree, StorySource, TagCount
from widgets.reader import Reader
from widgets.safe import clean
from widgets.side_panes import HighlightsPane, QuotesPane, RelatedPane, highlight_at
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


class SidePanes(Vertical):
    """Highlights, Quotes and Related beside the reader (tabs when the terminal is narrow)."""

    def on_mount(self) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.side_mounted()


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"

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
        Binding("t", "tag", "Tag", id="story.tag"),
        Binding("T", "untag", "Untag", show=False, id="story.untag"),
        Binding("y", "accept_topic", "Accept topic", show=False, id="story.accept_topic"),
        Binding("s", "save", "Save", id="story.save"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="story.toggle_read"),
        Binding("M", "mark_all_read", "Mark all read", show=False, id="story.mark_all_read"),
        Binding("o", "open_browser", "Open in browser", show=False, id="story.open_browser"),
        Binding("a", "annotate", "Note", id="story.annotate"),
        Binding("A", "annotate_story", "Note on the story", show=False, id="story.note"),
        Binding("h", "highlight", "Highlight", id="reader.highlight"),
        Binding(
            "d", "delete_highlight", "Delete highlight", show=False, id="reader.delete_highlight"
        ),
        Binding("f", "filter_speaker", "Filter speaker", show=False, id="quotes.filter_speaker"),
        Binding("F", "follow_speaker", "Follow speaker", show=False, id="quotes.follow_speaker"),
        Binding("slash", "search", "Search", id="nav.search"),
        Binding("S", "save_search", "Save search", show=False, id="nav.save_search"),
        Binding("X", "delete_search", "Delete saved search", show=False, id="nav.delete_search"),
        Binding("r", "refresh", "Refresh", show=False, id="feeds.refresh"),
        Binding("R", "refresh_all", "Refresh all", id="feeds.refresh_all"),
        Binding("e", "export", "Export", show=False, id="story.export"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

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

    @property
    def byline(self) -> BylineApp:
        return self.app  # type: ignore[return-value]

    @property
    def library(self) -> Any:
        return self.byline.library

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

    @property
    def side_ready(self) -> bool:
        """Whether the (lazily mounted) side panes are in the DOM yet."""
        return bool(self.query(SidePanes))

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

    @property
    def narrow(self) -> bool:
        return self.has_class("narrow")

    # -- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="tree", exit_on_error=False)
    def load_tree(self) -> None:
        lib = self.library
        feeds = lib.list_feeds()
        tags = [
            TagCount(t.name, t.unread_count, t.story_count, topic=bool(t.rule))
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
        sentences = _split(story.text)
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
            try:
                from app.analysis.related import find_related as finder
            except ImportError:
                self.app.call_from_thread(
                    self.query_one(RelatedPane).show_message, "Related stories: not available"
                )
                return
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

    @on(Tabs.TabActivated, "#side-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self.show_pane(event.tab.id.removeprefix("tab-"))

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

    # -- actions: navigation --------------------------------------------------------------
    def action_back(self) -> None:
        if self.history:
            place = self.history.pop()
            if place.source != self.source:
                self.load_source(place.source, place.cursor)
            else:
                self.query_one(StoryList).set_cursor(place.cursor)
            if place.story_id is not None:
                self.open_story(place.story_id, sentence=place.sentence, mark_read=False)
            return
        focused = self.focused
        reader = self.query_one(Reader)
        if reader.select_from is not None:
            reader.clear_selection()
        elif isinstance(focused, StoryList):
            return
        else:
            self.query_one(StoryList).focus()

    def action_back_or_quit(self) -> None:
        if self.history or not isinstance(self.focused, StoryList):
            self.action_back()
        else:
            self.app.exit()

    def _find_unread(self, step: int) -> None:
        story_list = self.query_one(StoryList)
        skip = self.story.id if self.story is not None else None
        # With nothing open yet, the story under the cursor is the first candidate.
        start = story_list.cursor if skip is not None else story_list.cursor - step
        self._seek_unread(story_list, start, step, skip)

    @work(thread=True, exclusive=True, group="seek", exit_on_error=False)
    def _seek_unread(self, story_list: StoryList, start: int, step: int, skip: int | None) -> None:
        # Thousands of read stories may lie between here and the next unread one: the pages
        # are read in this worker, never on the UI loop.
        found = story_list.find_row(start, step, lambda r: not r.read and r.id != skip)

        def show() -> None:
            if found is None:
                self.notify("No more unread stories here.")
                return
            index, row = found
            story_list.set_cursor(index)
            self.open_story(row.id)

        self.app.call_from_thread(show)

    def action_next_unread(self) -> None:
        self._find_unread(1)

    def action_previous_unread(self) -> None:
        self._find_unread(-1)

    def _focus_order(self) -> list[Any]:
        order: list[Any] = []
        if not self.narrow:
            order.append(self.query_one(FeedTree))
        order += [self.query_one(StoryList), self.query_one(Reader)]
        panes = [self.active_pane] if self.narrow else list(PANES)
        order += [self.query_one(f"#{p}") for p in panes if self.side_ready]
        return order

    def _cycle_focus(self, step: int) -> None:
        order = self._focus_order()
        try:
            index = order.index(self.focused)
        except ValueError:
            index = -1 if step > 0 else 0
        target = order[(index + step) % len(order)]
        if target.id in PANES:
            self.show_pane(target.id)
        target.focus()

    def action_focus_next_pane(self) -> None:
        self._cycle_focus(1)

    def action_focus_previous_pane(self) -> None:
        self._cycle_focus(-1)

    def action_focus_pane(self, name: str) -> None:
        if name == "tree":
            tree = self.query_one(FeedTree)
            self.toggle_class("show-tree") if self.narrow else None
            tree.focus()
        elif name == "list":
            self.remove_class("show-tree")
            self.query_one(StoryList).focus()
        elif name == "reader":
            self.query_one(Reader).focus()
        elif self.side_ready:
            self.query_one(f"#{self.active_pane}").focus()

    def action_next_tab(self) -> None:
        self._step_pane(1)

    def action_previous_tab(self) -> None:
        self._step_pane(-1)

    def _step_pane(self, step: int) -> None:
        name = PANES[(PANES.index(self.active_pane) + step) % len(PANES)]
        in_panes = self.focused is not None and self.focused.id in PANES
        self.show_pane(name)
        if in_panes and self.side_ready:
            # From inside the panes, ] and [ move there too, wide or narrow.
            self.query_one(f"#{name}").focus()

    def action_help(self) -> None:
        from app.screens.dialogs import HelpDialog

        self.app.push_screen(HelpDialog(self.byline.binding_rows()))

    # -- actions: the story ---------------------------------------------------------------
    def _need_story(self) -> Story | None:
        if self.story is None:
            self.notify("Open a story first (enter).", severity="warning")
        return self.story

    def action_tag(self) -> None:
        story = self._need_story()
        if story is None:
            return
        from app.screens.dialogs import TagDialog

        suggested = [t.name for t in story.tags if t.source == "suggested"]
        names = suggested + [t.name for t in self.library.tag_summaries()]

        def done(name: str | None) -> None:
            if name:
                self.library.tag_story(story.id, name, "user")
                self.notify(f"Tagged #{name}")
                self.reload_story()
                self.load_tree()

        self.app.push_screen(TagDialog(names), done)

    def action_untag(self) -> None:
        story = self._need_story()
        if story is None:
            return
        names = [t.name for t in story.tags if t.source != "suggested"]
        if not names:
            self.notify("This story has no tags.")
            return
        from app.screens.dialogs import ChoiceDialog

        def done(name: str | None) -> None:
            if name:
                self.library.untag_story(story.id, name)
                self.notify(f"Removed #{name}")
                self.reload_story()
                self.load_tree()

        self.app.push_screen(ChoiceDialog("Remove a tag", names), done)

    def action_accept_topic(self) -> None:
        story = self._need_story()
        if story is None:
            return
        names = [t.name for t in story.tags if t.source == "suggested"]
        if not names:
            self.notify("No suggested topics for this story.")
            return

        def done(name: str | None) -> None:
            if name:
                self.library.tag_story(story.id, name, "user")
                self.notify(f"Accepted topic #{name}")
                self.reload_story()
                self.load_tree()

        if len(names) == 1:
            done(names[0])
            return
        from app.screens.dialogs import ChoiceDialog

        self.app.push_screen(ChoiceDialog("Accept a suggested topic", names), done)

    def _target_story_id(self) -> int | None:
        """The story an action applies to: the open one, else the one under the list cursor."""
        if isinstance(self.focused, StoryList) or self.story is None:
            row = self.query_one(StoryList).current
            return row.id if row is not None else None
        return self.story.id

    def action_save(self) -> None:
        story_id = self._target_story_id()
        if story_id is None:
            return
        saved = not self.library.get_story(story_id).saved
        self.library.set_saved(story_id, saved)
        self.notify("Saved ★" if saved else "No longer saved")
        self._after_mark(story_id)

    def action_toggle_read(self) -> None:
        story_id = self._target_story_id()
        if story_id is None:
            return
        read = not self.library.get_story(story_id).read
        self.library.set_read(story_id, read)
        self._after_mark(story_id)

    def _after_mark(self, story_id: int) -> None:
        if self.story is not None and self.story.id == story_id:
            self.reload_story()
        else:
            self.query_one(StoryList).reload()
        self.load_tree()

    def action_mark_all_read(self) -> None:
        self._mark_all_read(self.source)

    @work(thread=True, exclusive=True, group="mark-all", exit_on_error=False)
    def _mark_all_read(self, source: StorySource) -> None:
        # Tens of thousands of rows may change: written in a worker, not on the UI loop.
        lib = self.library
        filters = source.filters()
        if source.kind in ("tag", "saved"):
            ids = [r.id for r in lib.list_stories(limit=None, unread=True, **filters)]
            for story_id in ids:
                lib.set_read(story_id, True)
            changed = len(ids)
        else:
            changed = lib.mark_all_read(feed_id=filters.get("feed_id"), query=filters.get("query"))

        def show() -> None:
            self.notify(f"Marked {changed} stories read")
            self.query_one(StoryList).reload()
            self.load_tree()

        self.app.call_from_thread(show)

    def action_open_browser(self) -> None:
        story_id = self._target_story_id()
        if story_id is None:
            return
        url = self.library.get_story(story_id).url or ""
        if not url.lower().startswith(("http://", "https://")):
            self.notify("This story has no web address to open.", severity="warning")
            return
        self._open_url(url)

    @work(thread=True, exclusive=True, group="browser", exit_on_error=False)
    def _open_url(self, url: str) -> None:
        import webbrowser

        call = self.app.call_from_thread
        shown = clean(url)
        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            browser = None
        # A console browser (lynx, w3m, or $BROWSER) would run inside this very terminal and
        # fight the reader for it: only browsers that open their own window are started.
        # webbrowser never goes through a shell; only http(s) addresses get this far.
        if browser is None or type(browser) is webbrowser.GenericBrowser:
            call(self.notify, f"No graphical browser here. The address: {shown}", timeout=10)
            return
        if not browser.open(url):
            call(self.notify, f"No browser could be started. The address: {shown}", timeout=10)

    def action_annotate_story(self) -> None:
        self.action_annotate(on_story=True)

    def action_annotate(self, on_story: bool = False) -> None:
        """A note on the highlight under the reader's cursor, else (or with A) on the story."""
        story = self._need_story()
        if story is None:
            return
        from app.screens.dialogs import NoteDialog

        highlight = None
        if not on_story and isinstance(self.focused, HighlightsPane):
            highlight = self.focused.current
        elif not on_story and isinstance(self.focused, Reader):
            span = self.focused.cursor_span
            highlight = highlight_at(story.highlights, *span) if span is not None else None
        if highlight is not None:

            def done_highlight(body: str | None) -> None:
                if body is not None:
                    self.library.set_highlight_note(highlight.id, body.strip() or None)
                    self.notify("Note saved on the highlight")
                    self.reload_story()

            title = "Note on: " + clean(highlight.text)[:50]
            self.app.push_screen(NoteDialog(title, highlight.note or ""), done_highlight)
            return

        def done_story(body: str | None) -> None:
            if body and body.strip():
                self.library.add_note(story.id, body.strip())
                self.notify("Note saved")
                self.reload_story()

        self.app.push_screen(
            NoteDialog("Note on: " + (clean(story.title)[:50] or "this story")), done_story
        )

    def action_highlight(self) -> None:
        story = self._need_story()
        if story is None:
            return
        reader = self.query_one(Reader)
        span = reader.selection_span
        if span is None:
            self.notify("Nothing to highlight.")
            return
        self.library.add_highlight(story.id, span[0], span[1])
        reader.clear_selection()
        self.notify("Highlighted")
        self.reload_story()

    def action_delete_highlight(self) -> None:
        story = self._need_story()
        if story is None:
            return
        target = None
        if isinstance(self.focused, HighlightsPane):
            index = self.focused.highlighted
            if index is not None and index < len(self.focused.items):
                target = self.focused.items[index]
        else:
            span = self.query_one(Reader).cursor_span
            if span is not None:
                target = highlight_at(story.highlights, *span, user_only=True)
        if target is None:
            self.notify("No highlight here.")
            return
        self.library.delete_highlight(target.id)
        self.notify("Highlight deleted")
        self.reload_story()

    def _current_speaker(self) -> str | None:
        """The speaker f/F act on: the pane's filter, else the quote chosen in the focused
        pane, else the quote under the reader's cursor."""
        quotes = self.query_one(QuotesPane)
        if quotes.speaker:
            return quotes.speaker
        quote = quotes.current if self.focused is quotes else None
        if quote is None:
            span = self.query_one(Reader).cursor_span
            if span is not None and self.story is not None:
                quote = next(
                    (q for q in self.story.quotes if q.start < span[1] and span[0] < q.end), None
                )
        return quote.speaker if quote is not None else None

    def action_filter_speaker(self) -> None:
        quotes = self.query_one(QuotesPane)
        if quotes.speaker:
            quotes.filter_speaker(None)
            return
        speaker = self._current_speaker()
        if not speaker:
            self.notify("Put the cursor on a quote first.")
            return
        quotes.filter_speaker(speaker)
        self.show_pane("quotes")

    def action_follow_speaker(self) -> None:
        speaker = self._current_speaker()
        if not speaker:
            self.notify("Put the cursor on a quote first.")
            return
        name = clean(speaker).replace('"', "")
        self.run_search(f'speaker:"{name}"')

    # -- search ---------------------------------------------------------------------------
    def action_search(self) -> None:
        from app.screens.dialogs import SearchDialog

        current = self.source.query if self.source.kind == "search" else ""

        def done(query: str | None) -> None:
            if query is not None:
                self.run_search(query)

        self.app.push_screen(SearchDialog(current or ""), done)

    def run_search(self, query: str) -> None:
        if not query:
            self.load_source(ALL)
            return
        self.history.clear()
        self.load_source(StorySource("search", query, query=query))
        self.query_one(StoryList).focus()

    def action_save_search(self) -> None:
        if self.source.kind != "search" or not self.source.query:
            self.notify("Search first (/), then save the search.", severity="warning")
            return
        self.byline.saved_searches.add(self.source.query, self.source.query)
        self.notify(f"Saved search: {self.source.query}")
        self.load_tree()

    def action_delete_search(self) -> None:
        """Forget the saved search under the tree's cursor, or the one being shown."""
        source: StorySource | None = self.source
        tree = self.query_one(FeedTree)
        if tree.has_focus and tree.cursor_node is not None:
            source = tree.cursor_node.data
        saved = self.byline.saved_searches.items()
        name = None
        if source is not None and source.kind == "search":
            name = next((n for n, q in saved if q == source.query), None)
        if name is None:
            self.notify("Choose a saved search in the tree first.", severity="warning")
            return
        self.byline.saved_searches.remove(name)
        self.notify(f"Deleted the saved search {clean(name)}")
        self.load_tree()

    # -- export ---------------------------------------------------------------------------
    def action_export(self) -> None:
        try:
            from app.export import FORMATS
        except ImportError:
            self.notify("Export is not available yet.", severity="warning")
            return
        from app.screens.dialogs import ExportDialog, ExportRequest

        story_list = self.query_one(StoryList)
        if self.story is None and story_list.count == 0:
            self.notify("Nothing to export.")
            return

        def done(request: ExportRequest | None) -> None:
            if request is None:
                return
            story = self.story
            self._export(request, None if request.whole_list or story is None else [story.id])

        dest = str(Path("~/Byline exports").expanduser())
        self.app.push_screen(ExportDialog(FORMATS, dest, story_list.count), done)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, request: Any, ids: list[int] | None) -> None:
        from app.export import ExportError, export_stories

        lib = self.library
        if ids is None:
            filters = {**self.source.filters(), "collapse_duplicates": True}
            ids = [r.id for r in lib.list_stories(limit=None, **filters)]
        try:
            # A relative path is taken from the folder byline started in, as on the command
            # line; the message names the absolute path so the files can be found.
            dest = Path(request.dest).expanduser().absolute()
            result = export_stories(lib, ids, request.fmt, dest)
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, f"Export failed: {clean(str(exc))}", severity="error"
            )
            return
        self.last_export = result
        message = f"Exported {result.summary()} to {clean(str(dest))}"
        self.app.call_from_thread(self.notify, message)

    # -- refresh --------------------------------------------------------------------------
    def action_refresh(self) -> None:
        if self.source.kind == "feed" and self.source.feed_id is not None:
            self.start_refresh([self.source.feed_id])
        elif self.story is not None:
            self.start_refresh([self.story.feed_id])
        else:
            self.start_refresh(None)

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def start_refresh(self, feed_ids: list[int] | None) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.")
            return
        self.refreshing = True
        self._refresh(feed_ids)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self, feed_ids: list[int] | None) -> None:
        # The same sequence as `byline refresh` (refresh, full text where switched on, then
        # analysis), run in a thread that reports its progress back to the screen.
        call = self.app.call_from_thread
        bar = self.query_one("#progress", ProgressBar)
        try:
            try:
                from app.update import update_library
            except ImportError:
                call(self.notify, "Refreshing is not available yet.", severity="warning")
                return
            lib = self.library
            feeds = lib.list_feeds() if feed_ids is None else lib.list_feeds(feed_ids=feed_ids)
            if not feeds:
                call(self.notify, "No feeds yet: run byline add URL.", severity="warning")
                return
            total = len(feeds)

            def start() -> None:
                self.add_class("refreshing")
                bar.update(total=total, progress=0)
                self._status(f"Refreshing {total} feeds…")

            call(start)

            def progress(result: Any, done: int, of: int) -> None:
                def show() -> None:
                    bar.update(total=of, progress=done)
                    title = clean(getattr(result, "title", None) or getattr(result, "url", ""))
                    self._status(f"Refreshing {done}/{of}: {title}")

                call(show)

            def stage(message: str) -> None:
                # "fetching full text for …", "analysing …": the status line says which step.
                call(self._status, message[:1].upper() + message[1:] + "…")

            settings = self.byline.settings
            if settings is None:
                from app.config import Settings

                settings = Settings(db=lib.path)
            update = update_library(lib, settings, feeds, progress=progress, stage=stage)
            report = update.refresh
            self.last_update = update
            line = _report_line(report, total)
            if update.full_text_stored:
                line += f", full text for {update.full_text_stored}"
            self.last_refresh = line
            call(
                self.notify,
                line,
                severity="error" if report.feeds_failed == total else "information",
            )

            def reload_list() -> None:
                # New stories arrive on top: the cursor stays on the story it was on.
                story_list = self.query_one(StoryList)
                row = story_list.cached_row(story_list.cursor)
                keep = row.id if row is not None else None
                self.load_source(self.source, story_list.cursor, keep=keep)

            call(reload_list)
            call(self.load_tree)
        except Exception as exc:
            call(self.notify, f"Refresh failed: {clean(str(exc))}", severity="error")
        finally:

            def finish() -> None:
                self.refreshing = False
                self.remove_class("refreshing")

            call(finish)


def _report_line(report: Any, feeds: int) -> str:
    failed = report.feeds_failed
    line = f"Refreshed {feeds} feeds: {report.stories_new} new, {report.stories_updated} updated"
    return line + (f", {failed} failed" if failed else "")


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


def _split(text: str) -> list[tuple[int, int]]:
    try:
        from app.analysis.sentences import split_sentences
    except ImportError:  # without the analysis package, read paragraph by paragraph
        import re

        return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return split_sentences(text)
