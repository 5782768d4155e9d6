"""The Textual App of the reader: holds the library and settings, applies the keymap and
shows the main screen. Run it with `byline` (no subcommand) or `run_reader(library, settings)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from app.screens.main import MainScreen
from app.screens.palette import BylineCommands
from app.screens.saved_searches import SavedSearches
from widgets.safe import clean_lines

TERMINAL_CHECK_SECONDS = 2.0
_STDIN = 0


def _terminal_alive(fd: int) -> bool:
    """Whether `fd` is a terminal that is still there (a hung-up one fails with EIO)."""
    import termios

    try:
        termios.tcgetattr(fd)
    except (OSError, termios.error):
        return False
    return True


class BylineApp(App[None]):
    TITLE = "Byline"
    COMMANDS: ClassVar[Any] = App.COMMANDS | {BylineCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands"),
    ]

    def __init__(
        self,
        library: Any,
        settings: Any = None,
        *,
        clock: Callable[[], datetime] | None = None,
        find_related: Callable[..., Any] | None = None,
        background_analysis: bool = True,
    ) -> None:
        super().__init__()
        self.library = library
        # Stories a `--no-analysis` refresh (cron), a quit during analysis or an upgrade left
        # behind are analysed in the background after start-up.
        self.background_analysis = background_analysis
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        # None: use app.analysis.related (imported when first needed)
        self.find_related = find_related
        self.saved_searches = SavedSearches.beside(str(library.path))
        theme = getattr(settings, "theme", None)
        if theme and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        keymap = getattr(self.settings, "keymap", None) or {}
        if keymap:
            self.set_keymap(keymap)
        self.push_screen(MainScreen())
        if not self.is_headless and _terminal_alive(_STDIN):
            # A terminal can go away without a SIGHUP reaching the reader (started under
            # `make run`, an ssh session that died, a closed tmux pane): its input then reads
            # end-of-file for ever and Textual's input thread spins a core. Leave instead.
            self.set_interval(TERMINAL_CHECK_SECONDS, self._check_terminal, name="terminal")

    def _check_terminal(self) -> None:
        if not _terminal_alive(_STDIN):
            self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages carry tag names, queries and feed errors,
        so markup is never parsed (Textual's default, and Widget.notify's, is to parse it)."""
        super().notify(
            clean_lines(message),
            title=clean_lines(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def binding_rows(self) -> list[tuple[str, str]]:
        """(keys, description) for every binding that works on the current screen."""
        return self._rows(a.binding for a in self.screen.active_bindings.values() if a.enabled)

    def pane_binding_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of each pane that does not have focus, by pane, for the help: the keys
        that work in the reader are worth knowing before the reader has focus."""
        from widgets.feed_tree import FeedTree
        from widgets.reader import Reader
        from widgets.side_panes import QuotesPane
        from widgets.story_list import StoryList

        screen = self.screen
        here = set(self.binding_rows())
        in_focus = (
            {id(node) for node in screen.focused.ancestors_with_self} if screen.focused else set()
        )
        sections = []
        for title, kind in (
            ("In the feed tree", FeedTree),
            ("In the story list", StoryList),
            ("In the reader", Reader),
            ("In the side panes", QuotesPane),
        ):
            pane = next(iter(screen.query(kind)), None)
            if pane is None or id(pane) in in_focus:
                continue
            bindings = pane._bindings.copy()
            bindings.apply_keymap(self._keymap)
            rows = [row for row in self._rows(b for _, b in bindings) if row not in here]
            if rows:
                sections.append((title, rows))
        return sections

    def _rows(self, bindings: Iterable[Binding]) -> list[tuple[str, str]]:
        rows: dict[str, list[str]] = {}
        for binding in bindings:
            keys = rows.setdefault(binding.description or binding.action, [])
            key = self.get_key_display(binding)
            if key not in keys:
                keys.append(key)
        return sorted(((" ".join(keys), desc) for desc, keys in rows.items()), key=lambda r: r[1])

    def _handle_exception(self, error: Exception) -> None:
        # A failing worker or handler becomes a notification, not a traceback on screen.
        from widgets.safe import clean

        try:
            self.notify(
                f"Something went wrong: {clean(str(error)) or type(error).__name__}",
                severity="error",
            )
        except Exception:
            super()._handle_exception(error)


def run_reader(library: Any, settings: Any) -> None:
    BylineApp(library, settings).run()
