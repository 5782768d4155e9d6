"""The main screen's slow jobs: export, and refresh through the shared update sequence
(refresh, full text where switched on, analysis), each in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.widgets import ProgressBar

from app.screens.base import ScreenCore
from widgets.safe import clean
from widgets.story_list import StoryList


class RefreshExportActions(ScreenCore):
    def action_export(self) -> None:
        from app.export import FORMATS
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
            if not dest.exists() and not dest.suffix:
                # The dialog offers a folder ("~/Byline exports"); the first export makes it,
                # so a JSON export lands in it rather than in a file of that name.
                dest.mkdir(parents=True)
            result = export_stories(lib, ids, request.fmt, dest)
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, f"Export failed: {clean(str(exc))}", severity="error"
            )
            return
        self.last_export = result
        where = result.written[0] if len(result.written) == 1 else dest
        message = f"Exported {result.summary()} to {clean(str(where))}"
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
        lib = None
        try:
            from app.update import update_library
            from storage import open_library

            # A connection of its own: the update's transactions never take in the screen's
            # writes (one connection shared by two threads shares its transactions), and
            # the screen reads only what the update has committed.
            lib = open_library(self.library.path)
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
                # "fetching full text for …", "analysing …": the status line says which step;
                # the stories are stored by now, so the list shows them meanwhile.
                call(self._status, message[:1].upper() + message[1:] + "…")
                call(self.reload_keeping_cursor)

            def analysis_progress(done: int, of: int) -> None:
                def show() -> None:
                    bar.update(total=of, progress=done)
                    self._status(f"Analysing {done}/{of} stories…")

                call(show)

            settings = self.byline.settings
            if settings is None:
                from pathlib import Path

                from app.config import Settings

                settings = Settings(db=Path(lib.path))
            update = update_library(
                lib,
                settings,
                feeds,
                progress=progress,
                stage=stage,
                analysis_progress=analysis_progress,
            )
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

            call(self.reload_keeping_cursor)
        except Exception as exc:
            call(self.notify, f"Refresh failed: {clean(str(exc))}", severity="error")
        finally:
            if lib is not None:
                lib.close()

            def finish() -> None:
                self.refreshing = False
                self.remove_class("refreshing")

            call(finish)

    @work(thread=True, exclusive=True, group="pending", exit_on_error=False)
    def analyse_pending_stories(self) -> None:
        """Analyse, in the background, the stories a `--no-analysis` refresh (cron), a quit
        during analysis or an upgrade left behind; the story list and the open story follow.
        On its own connection, as a refresh is (its worker processes do the work)."""
        if self.refreshing:
            return  # the refresh analyses what it brings; the rest waits for the next start
        call = self.app.call_from_thread
        lib = None
        try:
            from app.analysis.pipeline import ANALYSIS_VERSION, analyse_stories
            from storage import open_library

            lib = open_library(self.library.path)
            ids = lib.stories_to_analyse(ANALYSIS_VERSION, limit=-1)
            if not ids:
                return

            def progress(done: int, of: int) -> None:
                call(self._status, f"Analysing stories left for later: {done}/{of}…")

            call(self._status, f"Analysing {len(ids)} stories left for later…")
            report = analyse_stories(lib, ids, progress=progress)
            call(self.reload_keeping_cursor)
            call(self.reload_story)
            call(self.notify, f"Analysed {report.analysed} stories left for later")
        except Exception as exc:
            call(self.notify, f"Analysis failed: {clean(str(exc))}", severity="warning")
        finally:
            if lib is not None:
                lib.close()


def _report_line(report: Any, feeds: int) -> str:
    failed = report.feeds_failed
    line = f"Refreshed {feeds} feeds: {report.stories_new} new, {report.stories_updated} updated"
    return line + (f", {failed} failed" if failed else "")
