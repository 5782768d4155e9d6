"""The reader: one story laid out in paragraphs, with a sentence cursor, a selection and the
story's highlights and quotes drawn over the text.

A line-API widget: the text is wrapped once per width into lines that remember their
character offsets, so a highlight, a quote or the cursor maps straight onto screen lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.models import Highlight, Quote, Story
from widgets.safe import clean, clean_keep_offsets

_WORD = re.compile(r"\S+\s*")
_PARAGRAPHS = re.compile(r"[^\n]+")


@dataclass(slots=True)
class _Line:
    start: int = -1  # offsets into the story text; -1 for a header line
    end: int = -1
    header: Text | None = None


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Wrap text into (start, end) spans no wider than `width` cells; lines of the text
    stay lines, blank lines between paragraphs are kept as empty spans."""
    spans: list[tuple[int, int]] = []
    width = max(8, width)
    pos = 0
    for raw in text.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        if not raw.strip():
            if spans and spans[-1] != (-2, -2):
                spans.append((-2, -2))  # one blank line between paragraphs
            continue
        cur_start, cur_width = -1, 0
        for n, m in enumerate(_WORD.finditer(raw)):
            # The first word takes the line's indentation with it (kept in <pre> text).
            word_start = line_start + (m.start() if n else 0)
            word_end = line_start + m.end()
            word_cells = cell_len(text[word_start:word_end].rstrip())
            if cur_start >= 0 and cur_width + word_cells > width:
                spans.append((cur_start, word_start))
                cur_start, cur_width = -1, 0
            if cur_start < 0:
                cur_start = word_start
                while word_cells > width:  # a word longer than the line: cut it
                    cut = word_start
                    used = 0
                    while cut < word_end and used + cell_len(text[cut]) <= width:
                        used += cell_len(text[cut])
                        cut += 1
                    cut = max(cut, word_start + 1)
                    spans.append((word_start, cut))
                    word_start = cur_start = cut
                    word_cells = cell_len(text[word_start:word_end].rstrip())
            cur_width += cell_len(text[word_start:word_end])
        if cur_start >= 0:
            spans.append((cur_start, line_start + len(raw)))
    while spans and spans[-1] == (-2, -2):
        spans.pop()
    return spans


class Reader(ScrollView, can_focus=True):
    """One story, read sentence by sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "next_sentence", "Next sentence", show=False, id="reader.down"),
        Binding("k,up", "previous_sentence", "Previous sentence", show=False, id="reader.up"),
        Binding("space,pagedown", "page_down", "Page", show=False, id="reader.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("v", "toggle_selection", "Select", id="reader.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--title",
        "reader--meta",
        "reader--tag",
        "reader--suggested",
        "reader--cursor",
        "reader--selection",
        "reader--highlight",
        "reader--publisher",
        "reader--quote",
        "reader--marked",
    }

    DEFAULT_CSS = """
    Reader { overflow-x: hidden; overflow-y: auto; padding: 0 1; scrollbar-gutter: stable; }
    Reader > .reader--title { text-style: bold; color: $text; }
    Reader > .reader--meta { color: $text-muted; }
    Reader > .reader--tag { color: $secondary; }
    Reader > .reader--suggested { color: $text-muted; text-style: italic; }
    Reader > .reader--cursor { background: $boost; text-style: underline; }
    Reader:focus > .reader--cursor { background: $accent 30%; text-style: none; }
    Reader > .reader--selection { background: $primary 50%; }
    Reader > .reader--highlight { background: $warning 35%; }
    Reader > .reader--publisher { background: $success 25%; }
    Reader > .reader--quote { color: $text-accent; text-style: italic; }
    Reader > .reader--marked { background: $error 40%; text-style: bold; }
    """

    class CursorMoved(Message):
        """The sentence cursor moved: (start, end) of the sentence in the story text."""

        def __init__(self, reader: Reader, start: int, end: int) -> None:
            super().__init__()
            self.reader = reader
            self.start = start
            self.end = end

        @property
        def control(self) -> Reader:
            return self.reader

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.story: Story | None = None
        self.text = ""
        self.sentences: list[tuple[int, int]] = []
        self.sentence = 0
        self.select_from: int | None = None  # the sentence where a selection started
        self.marked: tuple[int, int] | None = None
        self.highlights: list[Highlight] = []
        self.quotes: list[Quote] = []
        self.placeholder = "Choose a story to read it."
        self._lines: list[_Line] = []
        self._line_starts: list[int] = []  # start offset of each body line, for bisect
        self._body_lines: list[int] = []  # index into _lines of each body line
        self._width = 0

    # -- content --------------------------------------------------------------------------
    def show_story(self, story: Story | None, sentences: list[tuple[int, int]]) -> None:
        self.story = story
        self.text = clean_keep_offsets(story.text) if story else ""
        self.sentences = sentences or ([(0, len(self.text))] if self.text.strip() else [])
        self.sentence = 0
        self.select_from = None
        self.marked = None
        self.highlights = list(story.highlights) if story else []
        self.quotes = list(story.quotes) if story else []
        self._layout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        self._announce()

    def set_annotations(self, highlights: list[Highlight], quotes: list[Quote]) -> None:
        self.highlights = list(highlights)
        self.quotes = list(quotes)
        self.refresh()

    def refresh_header(self, story: Story) -> None:
        """Tags or marks changed: redraw the header and keep the place."""
        self.story = story
        self.highlights = list(story.highlights)
        self.quotes = list(story.quotes)
        self._layout()
        self.refresh()

    def _header(self, width: int) -> list[_Line]:
        story = self.story
        if story is None:
            return [_Line(header=Text(self.placeholder, style=self._style("reader--meta")))]
        lines: list[_Line] = []
        title = clean(story.title) or "(no title)"
        for start, end in wrap_offsets(title, width):
            if start >= 0:
                line = title[start:end].rstrip()  # the space a line broke at is not shown
                lines.append(_Line(header=Text(line, self._style("reader--title"))))
        meta = Text(style=self._style("reader--meta"))
        if story.author:
            meta.append("By " + clean(story.author) + " · ")
        meta.append(clean(story.feed_title))
        if story.published:
            meta.append(" · " + clean(story.published)[:16].replace("T", " "))
        marks = ("★ saved" if story.saved else "") + ("" if story.read else " ● unread")
        if marks.strip():
            meta.append("  " + marks.strip())
        lines += self._wrapped(meta, width)
        if story.tags:
            tags = Text()
            for tag in story.tags:
                if tag.source == "suggested":
                    tags.append("+" + clean(tag.name) + "? ", self._style("reader--suggested"))
                else:
                    tags.append("#" + clean(tag.name) + " ", self._style("reader--tag"))
            lines += self._wrapped(tags, width)
        story_notes = [n for n in story.notes if n.highlight_id is None]
        for note in story_notes:
            lines.append(_Line(header=Text("✎ " + clean(note.body), self._style("reader--meta"))))
        lines.append(_Line(header=Text("─" * max(1, width), self._style("reader--meta"))))
        return lines

    def _wrapped(self, text: Text, width: int) -> list[_Line]:
        """A header line wrapped to the width, so a long byline or many tags lose nothing."""
        text.rstrip()
        return [_Line(header=line) for line in text.wrap(self.app.console, width)]

    def _layout(self) -> None:
        width = max(8, self.scrollable_content_region.width)
        self._width = width
        lines = self._header(width)
        self._line_starts = []
        self._body_lines = []
        for start, end in wrap_offsets(self.text, width):
            if start < 0:
                lines.append(_Line(header=Text("")))
                continue
            self._line_starts.append(start)
            self._body_lines.append(len(lines))
            lines.append(_Line(start, end))
        self._lines = lines
        self.virtual_size = Size(width, len(lines))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._layout()
            self._scroll_to_sentence()

    # -- cursor ---------------------------------------------------------------------------
    @property
    def cursor_span(self) -> tuple[int, int] | None:
        if not self.sentences:
            return None
        return self.sentences[self.sentence]

    @property
    def selection_span(self) -> tuple[int, int] | None:
        """The selection (anchor to cursor) or else the current sentence."""
        if not self.sentences:
            return None
        if self.select_from is None:
            return self.sentences[self.sentence]
        low, high = sorted((self.select_from, self.sentence))
        return self.sentences[low][0], self.sentences[high][1]

    def line_of(self, offset: int) -> int:
        if not self._line_starts:
            return 0
        i = max(0, bisect.bisect_right(self._line_starts, offset) - 1)
        return self._body_lines[i]

    def sentence_at(self, offset: int) -> int:
        starts = [s for s, _ in self.sentences]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def move_to_sentence(self, index: int) -> None:
        if not self.sentences:
            return
        before = self.selection_span
        self.sentence = min(max(0, index), len(self.sentences) - 1)
        self._scroll_to_sentence()
        # Only the lines of the old and the new cursor (or selection) are painted again.
        for span in (before, self.selection_span):
            if span is not None:
                top = self.line_of(span[0])
                self.refresh_lines(top, self.line_of(max(span[0], span[1] - 1)) - top + 1)
        self._announce()

    def _scroll_to_sentence(self) -> None:
        span = self.cursor_span
        if span is None:
            return
        top, bottom = self.line_of(span[0]), self.line_of(max(span[0], span[1] - 1))
        self.scroll_to_region(Region(0, top, 1, bottom - top + 1), animate=False, immediate=True)

    def jump_to(self, start: int, end: int) -> None:
        """Scroll to a passage, mark it and put the cursor on its first sentence."""
        self.marked = (start, end)
        self.select_from = None
        self.move_to_sentence(self.sentence_at(start))
        line = self.line_of(start)
        self.scroll_to_region(
            Region(0, line, 1, max(1, self.line_of(end) - line + 1)),
            animate=False,
            immediate=True,
            top=True,
        )
        self.refresh()  # the marked passage

    def _announce(self) -> None:
        span = self.cursor_span
        if span is not None:
            self.post_message(self.CursorMoved(self, *span))

    def action_next_sentence(self) -> None:
        if self.sentences and self.sentence == len(self.sentences) - 1:
            self.scroll_relative(y=self.scrollable_content_region.height // 2, animate=False)
        self.move_to_sentence(self.sentence + 1)

    def action_previous_sentence(self) -> None:
        if self.sentence == 0:
            self.scroll_home(animate=False, immediate=True)
        self.move_to_sentence(self.sentence - 1)

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + height, animate=False, immediate=True)
        self._cursor_to_view()

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, self.scroll_offset.y - height), animate=False, immediate=True)
        self._cursor_to_view()

    def _cursor_to_view(self) -> None:
        top = int(self.scroll_offset.y)
        for line_no in range(top, min(len(self._lines), top + self.size.height)):
            line = self._lines[line_no]
            if line.start >= 0:
                self.sentence = self.sentence_at(line.start)
                break
        self.refresh()
        self._announce()

    def action_toggle_selection(self) -> None:
        self.select_from = None if self.select_from is not None else self.sentence
        self.refresh()

    def clear_selection(self) -> None:
        self.select_from = None
        self.refresh()

    # -- drawing --------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if line.header is not None:
            text = line.header.copy()
        else:
            text = self._body_text(line.start, line.end)
        text.truncate(width, overflow="ellipsis")
        segments = [
            Segment(s.text, base + s.style if s.style else base, s.control)
            for s in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def _body_text(self, start: int, end: int) -> Text:
        text = Text(self.text[start:end].rstrip(), no_wrap=True)

        def paint(a: int, b: int, style_name: str) -> None:
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                text.stylize(self._style(style_name), lo - start, hi - start)

        for quote in self.quotes:
            paint(quote.start, quote.end, "reader--quote")
        for hl in self.highlights:
            if hl.anchored:
                paint(
                    hl.start,
                    hl.end,
                    "reader--highlight" if hl.kind == "user" else "reader--publisher",
                )
        span = self.selection_span
        if span is not None:
            paint(*span, "reader--selection" if self.select_from is not None else "reader--cursor")
        if self.marked is not None:
            paint(*self.marked, "reader--marked")
        return text
