"""The panes beside the reader: Highlights, Quotes (speaker — quote) and Related.

Each is a short OptionList of one story's items; choosing an item posts a message the
screen turns into a jump in the reader (or opens the related story).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from storage.models import Highlight, Quote, speaker_label
from widgets.safe import clean


class RelatedLike(Protocol):
    id: int
    title: str
    feed_title: str
    score: float
    reasons: list[str]
    duplicate: bool


def _note(message: str) -> Option:
    return Option(Text(message, style="italic dim"), disabled=True)


def highlight_at(
    highlights: Sequence[Highlight], start: int, end: int, *, user_only: bool = False
) -> Highlight | None:
    """The highlight meant at a place in the text: the reader's own before a publisher's or a
    summary's, then the innermost (shortest) one."""
    under = [
        h
        for h in highlights
        if h.anchored and h.start < end and start < h.end and (h.kind == "user" or not user_only)
    ]
    return min(under, key=lambda h: (h.kind != "user", h.end - h.start, h.start), default=None)


class _Pane(OptionList):
    DEFAULT_CSS = """
    _Pane { height: 1fr; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="pane.down"),
        Binding("k", "cursor_up", "Up", show=False, id="pane.up"),
    ]

    def on_focus(self) -> None:
        # Arriving in a pane points at its first item, so enter works without a move first.
        if self.highlighted is None and self.option_count:
            self.action_first()

    def show_message(self, message: str) -> None:
        self.clear_options()
        self.add_option(_note(message))

    def _index_containing(
        self, spans: Sequence[tuple[int, int]], start: int, end: int
    ) -> int | None:
        for i, (a, b) in enumerate(spans):
            if a < end and start < b:
                return i
        return None


class HighlightsPane(_Pane):
    """Highlights of the story: publisher, summary and the reader's own (with notes)."""

    class Chosen(Message):
        def __init__(self, highlight: Highlight) -> None:
            super().__init__()
            self.highlight = highlight

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[Highlight] = []

    def set_items(self, highlights: list[Highlight]) -> None:
        self.items = list(highlights)
        self.clear_options()
        if not self.items:
            self.add_option(_note("No highlights. Press h on a sentence."))
            return
        marks = {"user": "▌", "publisher": "★", "summary": "•"}
        for hl in self.items:
            prompt = Text()
            prompt.append(
                marks.get(hl.kind, "•") + " ", style="bold yellow" if hl.kind == "user" else "green"
            )
            prompt.append(clean(hl.text))
            if not hl.anchored:
                prompt.append(" (text changed)", style="dim")
            if hl.note:
                prompt.append("\n  ✎ " + clean(hl.note), style="italic")
            self.add_option(Option(prompt, id=f"h{hl.id}"))

    @property
    def current(self) -> Highlight | None:
        index = self.highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    def follow(self, start: int, end: int) -> Highlight | None:
        """Point at the highlight the reader's cursor is in, if any (the one a note goes to)."""
        found = highlight_at(self.items, start, end)
        if found is not None:
            self.highlighted = self.items.index(found)
        return found

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.items and 0 <= event.option_index < len(self.items):
            self.post_message(self.Chosen(self.items[event.option_index]))


class QuotesPane(_Pane):
    """Who said what in the story; can be narrowed to one speaker."""

    class Chosen(Message):
        def __init__(self, quote: Quote) -> None:
            super().__init__()
            self.quote = quote

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.all_items: list[Quote] = []
        self.items: list[Quote] = []
        self.speaker: str | None = None

    def set_items(self, quotes: list[Quote], speaker: str | None = None) -> None:
        self.all_items = list(quotes)
        self.speaker = speaker
        self._fill()

    def filter_speaker(self, speaker: str | None) -> None:
        self.speaker = speaker
        self._fill()

    def _fill(self) -> None:
        wanted = (self.speaker or "").lower()
        self.items = [
            q for q in self.all_items if not wanted or (q.speaker or "").lower() == wanted
        ]
        self.clear_options()
        if not self.all_items:
            self.add_option(_note("No quotes found in this story."))
            return
        if self.speaker:
            self.add_option(_note(f"Only {clean(self.speaker)} (f: everyone)"))
        for quote in self.items:
            prompt = Text()
            if quote.speaker:
                prompt.append(clean(quote.speaker), style="bold")
                if quote.speaker_title:
                    prompt.append(", " + clean(quote.speaker_title), style="dim")
            else:
                # Somebody described but not named ("One voter"), or nobody at all.
                unnamed = speaker_label(None, quote.speaker_title)
                prompt.append(clean(unnamed) or "unknown", style="italic")
            prompt.append(" — ")
            prompt.append("“" + clean(quote.text).strip('"“”') + "”")
            self.add_option(Option(prompt, id=f"q{quote.id}"))
        if self.items:
            self.highlighted = self._skip  # the first quote, past the filter's note

    @property
    def _skip(self) -> int:
        return 1 if self.speaker and self.all_items else 0

    @property
    def current(self) -> Quote | None:
        index = self.highlighted
        if index is None:
            return None
        index -= self._skip
        return self.items[index] if 0 <= index < len(self.items) else None

    def follow(self, start: int, end: int) -> Quote | None:
        i = self._index_containing([(q.start, q.end) for q in self.items], start, end)
        if i is not None:
            self.highlighted = i + self._skip
            return self.items[i]
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index - self._skip
        if 0 <= index < len(self.items):
            self.post_message(self.Chosen(self.items[index]))


class RelatedPane(_Pane):
    """Other stories about the same thing, with the reasons they were matched."""

    class Chosen(Message):
        def __init__(self, story_id: int) -> None:
            super().__init__()
            self.story_id = story_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[RelatedLike] = []

    def set_items(self, related: Sequence[RelatedLike]) -> None:
        self.items = list(related)
        self.clear_options()
        if not self.items:
            self.add_option(_note("No related stories found."))
            return
        for item in self.items:
            prompt = Text()
            if item.duplicate:
                prompt.append("≡ ", style="bold magenta")
            prompt.append(clean(item.title) or "(no title)", style="bold")
            prompt.append(f"\n  {clean(item.feed_title)} · {item.score:.2f}", style="dim")
            if item.reasons:
                prompt.append("\n  " + clean("; ".join(item.reasons)), style="italic")
            self.add_option(Option(prompt, id=f"r{item.id}"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.items and 0 <= event.option_index < len(self.items):
            self.post_message(self.Chosen(self.items[event.option_index].id))
