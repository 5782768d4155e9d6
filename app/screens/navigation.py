"""The main screen's navigation: back, next/previous unread, moving between panes and side
tabs, help, search and saved searches."""

from __future__ import annotations

from typing import Any

from textual import work

from app.screens.base import PANES, ScreenCore
from widgets.feed_tree import FeedTree, StorySource
from widgets.reader import Reader
from widgets.safe import clean
from widgets.story_list import StoryList


class NavigationActions(ScreenCore):
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
            # At once, not on the next turn of the loop as widget.focus() does: "q q" typed
            # quickly goes back to the list and then quits, as in newsboat.
            self.set_focus(self.query_one(StoryList))

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

        byline = self.byline
        self.app.push_screen(HelpDialog(byline.binding_rows(), byline.pane_binding_rows()))

    # -- search ---------------------------------------------------------------------------
    def action_search(self) -> None:
        from app.screens.dialogs import SearchDialog

        current = self.source.query if self.source.kind == "search" else ""

        def done(query: str | None) -> None:
            if query is not None:
                self.run_search(query)

        self.app.push_screen(SearchDialog(current or ""), done)

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
