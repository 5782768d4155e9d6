"""Untrusted feed text made safe: HTML to plain paragraphs, control sequences stripped.

Everything a feed says (titles, authors, bodies, URLs) passes through here before it is
stored, so nothing downstream ever sees a terminal escape, a bidi override or markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

# ANSI/VT escape sequences: CSI (ESC [ or the C1 byte 0x9b), OSC/DCS/PM/APC strings
# (ESC ] ... BEL or ST), and two-byte ESC sequences. Removed whole so no parameters leak.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)

_ESCAPE_START = re.compile(r"[\x1b\x90-\x9f]")

# C0 controls but tab and newline, DEL, C1 controls, bidi overrides and isolates, and
# zero-width characters. One regex pass is much faster than str.translate on non-ASCII text.
# Lone surrogates too: JSON's "\ud800" decodes to one, and SQLite cannot store it (the
# whole refresh failed on it).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff"
    "\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("\r\n?|\u2028")

_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_WS_ANY = re.compile(r"\s+")
_BLANK_RUN = re.compile(r"\n{3,}")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control, bidi-override and zero-width characters.

    Keeps newlines and tabs; a carriage return or line separator becomes a newline, a
    paragraph separator a blank line."""
    if not text:
        return ""
    if "\r" in text or "\u2028" in text:
        text = _LINE_BREAKS.sub("\n", text)
    if "\u2029" in text:
        text = text.replace("\u2029", "\n\n")
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def safe_text(text: str | None) -> str:
    """One line of safe text (a title, an author, a URL): controls stripped, whitespace
    collapsed to single spaces, ends trimmed."""
    if not text:
        return ""
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    return _WS_ANY.sub(" ", _CONTROLS.sub("", text)).strip()


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


class _Collector:
    """Builds blocks of lines from start/end/data events; the structure comes from the tags.

    Fed either by the stdlib tokenizer (_StdlibExtractor) or by walking an lxml tree, which
    is about twice as fast on long bodies."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.lines: list[str] = []  # finished lines of the current block
        self.line: list[str] = []  # raw fragments of the current line
        self.dropping: list[str] = []  # open elements whose content is discarded
        self.pre_depth = 0
        self.list_depth = 0

    def _end_line(self) -> None:
        if self.line:
            text = "".join(self.line)
            if self.pre_depth:
                self.lines.extend(text.split("\n"))
            else:
                self.lines.append(_WS_ANY.sub(" ", text))  # HTML: a newline is a space
            self.line = []

    def _end_block(self) -> None:
        self._end_line()
        if self.lines:
            self.blocks.append(self.lines)
            self.lines = []

    def start(self, tag: str) -> None:
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

    def end(self, tag: str) -> None:
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

    def data(self, text: str) -> None:
        if text and not self.dropping:
            self.line.append(text)

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


class _StdlibExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Collector()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.start(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.start(tag)
        if tag not in _VOID:
            self.out.end(tag)

    def handle_endtag(self, tag: str) -> None:
        self.out.end(tag)

    def handle_data(self, data: str) -> None:
        self.out.data(data)


def _stdlib_html_to_text(html: str) -> str:
    parser = _StdlibExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        return safe_text(re.sub(r"<[^>]*>", " ", html))
    return parser.out.result()


_lxml_parser: Any = None


def _lxml_html_to_text(html: str) -> str | None:
    """The same walk over an lxml tree; None when lxml is missing or refuses the input."""
    global _lxml_parser
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml comes with trafilatura
        return None
    if _lxml_parser is None:
        # huge_tree: without it libxml2 silently drops a text node over 10 MB (a long
        # one-line body came out empty); the fetch's byte cap bounds the input instead.
        _lxml_parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
        )
    try:
        root = etree.fromstring(html, _lxml_parser)
    except (etree.LxmlError, ValueError):  # empty document, an encoding declaration
        return None
    if root is None:
        return None
    out = _Collector()
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if isinstance(tag, str):
                out.start(tag)
                if element.text:
                    out.data(element.text)
        else:
            if isinstance(tag, str):
                out.end(tag)
            if element.tail:
                out.data(element.tail)
    return out.result()


_LOOKS_HTML = re.compile(r"<[a-zA-Z!/]|&[#a-zA-Z0-9]+;")


def html_to_text(html: str | None) -> str:
    """HTML to safe plain text: paragraphs separated by a blank line, list items and <br>
    as lines, scripts and styles dropped, entities decoded, whitespace normalised."""
    if not html:
        return ""
    if not _LOOKS_HTML.search(html):
        # No tag and no entity: HTML rules still apply to whitespace (a newline is a space).
        return safe_text(html)
    text = _lxml_html_to_text(html)
    return _stdlib_html_to_text(html) if text is None else text


def safe_url(url: str | None, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """A link worth keeping: safe text with one of `schemes`, else None."""
    text = safe_text(url).replace(" ", "%20")
    if not text:
        return None
    scheme, sep, _rest = text.partition(":")
    if not sep or scheme.lower() not in schemes:
        return None
    return text
