"""The main screen's actions on a story: tags and topics, saved and read marks, the
browser, notes, highlights and the speakers of quotes."""

from __future__ import annotations

from textual import work

from app.screens.base import ScreenCore
from storage.models import Story
from widgets.feed_tree import StorySource
from widgets.reader import Reader
from widgets.safe import clean
from widgets.side_panes import HighlightsPane, QuotesPane, highlight_at
from widgets.story_list import StoryList


class StoryActions(ScreenCore):
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
        scores = {t.name: t.score for t in story.tags if t.source == "suggested"}
        names = list(scores)
        if not names:
            self.notify("No suggested topics for this story.")
            return

        def done(name: str | None) -> None:
            if name:
                # The user's tag keeps the suggestion's score: the mark of an accepted topic.
                score = scores.get(name)
                self.library.tag_story(story.id, name, "user", 1.0 if score is None else score)
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
