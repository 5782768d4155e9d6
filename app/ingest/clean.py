"""Untrusted feed text made safe: HTML to plain paragraphs, control sequences stripped.

Everything a feed says (titles, authors, bodies, URLs) passes through here before it is
stored, so nothing downstream ever sees a terminal escape, a bidi override or markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# ANSI/VT escape sequences: CSI (ESC [ or the C1 byte 0x9b), OSC/DCS/PM/APC strings
# (ESC ] ... BEL or ST), and two-byte ESC sequences. Removed whole so no parameters leak.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)

_ESCAPE_START = re.compile(r"[\x1b\x90-\x9f]")

_DROP = [
    *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),  # C0, DEL, C1
    *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi overrides and isolates
    0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,  # zero-width characters
]  # fmt: skip
_MULTILINE_TABLE: dict[int, str | None] = dict.fromkeys(_DROP)
_MULTILINE_TABLE.update({0x0D: "\n", 0x2028: "\n", 0x2029: "\n\n", 0xA0: " "})
_SINGLE_LINE_TABLE = dict(_MULTILINE_TABLE)
_SINGLE_LINE_TABLE.update({0x0A: " ", 0x09: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "})

_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control, bidi-override and zero-width characters.

    Keeps newlines and tabs; a lone carriage return becomes a newline."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    return text.translate(_MULTILINE_TABLE)


def safe_text(text: str | None) -> str:
    """One line of safe text (a title, an author, a URL): controls stripped, whitespace
    collapsed to single spaces, ends trimmed."""
    if not text:
        return ""
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    text = text.translate(_SINGLE_LINE_TABLE)
    return _SPACES.sub(" ", text).strip()


def plain_to_text(text: str | None) -> str:
    """Plain (non-HTML) text made safe, keeping its paragraphs and line breaks."""
    if not text:
        return ""
    return _tidy_lines(strip_controls(text))


def _tidy_lines(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines).strip("\n")
    return _BLANK_RUN.sub("\n\n", joined)


_DROPPED = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe",
     "object", "embed", "canvas", "audio", "video", "select", "button"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2",
     "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
     "ul", "ol", "dl", "figure", "figcaption", "hr", "address", "form", "fieldset", "details",
     "summary", "center", "body", "html"}
)  # fmt: skip
_LINES = frozenset({"li", "dt", "dd", "caption"})
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
     "source", "track", "wbr"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    """Collects text as blocks of lines; the structure comes from the tags around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.lines: list[str] = []  # finished lines of the current block
        self.line: list[str] = []  # fragments of the current line
        self.dropping: list[str] = []  # open elements whose content is discarded
        self.pre_depth = 0
        self.list_depth = 0

    # -- structure ------------------------------------------------------------------------
    def _end_line(self) -> None:
        if self.line:
            text = "".join(self.line)
            if self.pre_depth:
                self.lines.extend(text.split("\n"))
            else:
                self.lines.append(text)
            self.line = []

    def _end_block(self) -> None:
        self._end_line()
        if self.lines:
            self.blocks.append(self.lines)
            self.lines = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag in _DROPPED:
            if tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag == "br":
            self._end_line()
        elif tag in _LINES:
            self._end_line()
            if tag == "li":
                self.line.append("- ")
        elif tag in _BLOCKS:
            if tag in ("ul", "ol", "dl"):
                # A nested list continues its parent item's block as more lines.
                if self.list_depth:
                    self._end_line()
                else:
                    self._end_block()
                self.list_depth += 1
            else:
                self._end_block()
            if tag == "pre":
                self.pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in _DROPPED:
            self.handle_starttag(tag, attrs)
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            # Close up to the matching element; stray end tags inside are ignored.
            if tag in self.dropping:
                while self.dropping and self.dropping.pop() != tag:
                    pass
            return
        if tag in _LINES:
            self._end_line()
        elif tag in _BLOCKS:
            if tag in ("ul", "ol", "dl"):
                self.list_depth = max(0, self.list_depth - 1)
                if self.list_depth:
                    self._end_line()
                    return
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self.dropping or not data:
            return
        if self.pre_depth:
            self.line.append(data)
        else:
            self.line.append(_WS_ANY.sub(" ", data))

    def result(self) -> str:
        self._end_block()
        # Controls are stripped once over the whole text (cheaper than per line); the
        # separators are chosen so a stripped character can never merge two paragraphs.
        raw = "\n\n".join("\n".join(block) for block in self.blocks)
        paragraphs = []
        for block in strip_controls(raw).split("\n\n"):
            lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
            lines = [line for line in lines if line and line != "-"]
            if lines:
                paragraphs.append("\n".join(lines))
        return "\n\n".join(paragraphs)


_WS_ANY = re.compile(r"\s+")
_LOOKS_HTML = re.compile(r"<[a-zA-Z!/]|&[#a-zA-Z0-9]+;")


def html_to_text(html: str | None) -> str:
    """HTML to safe plain text: paragraphs separated by a blank line, list items and <br>
    as lines, scripts and styles dropped, entities decoded, whitespace normalised."""
    if not html:
        return ""
    if not _LOOKS_HTML.search(html):
        # No tag and no entity: HTML rules still apply to whitespace (a newline is a space).
        return safe_text(html)
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        return safe_text(re.sub(r"<[^>]*>", " ", html))
    return parser.result()


def safe_url(url: str | None, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """A link worth keeping: safe text with one of `schemes`, else None."""
    text = safe_text(url).replace(" ", "%20")
    if not text:
        return None
    scheme, sep, _rest = text.partition(":")
    if not sep or scheme.lower() not in schemes:
        return None
    return text
