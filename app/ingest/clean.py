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
                self.lines.extend(_pre_lines(text))
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
            self._end_block()  # the last line of a <pre> keeps its line breaks too
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

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
        return "\n\n".join(paragraphs).replace(_PRE_SPACE, " ")


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

# Tags the collector does nothing with: lxml merges them into their parent's text in C
# (strip_tags), which spares the walk most elements (syntax highlighting alone is spans).
_INLINE = (
    "a", "span", "em", "strong", "b", "i", "u", "s", "img", "small", "sup", "sub", "abbr",
    "cite", "code", "font", "time", "mark", "strike", "del", "ins", "q", "var", "kbd", "samp",
    "label", "big", "tt", "picture", "source", "wbr", "bdi", "data", "dfn", "input",
    "embed",  # dropped, but void: lxml may put the text after it inside it, which is kept
)  # fmt: skip
_DROPPED_TREES = tuple(_DROPPED - _VOID)
# What each structural tag does in the fast walk (the _Collector's start/end, as one lookup).
_BLOCK, _LIST, _PRE, _ITEM, _BREAK = 1, 2, 3, 4, 5
_KIND = {
    **{tag: _BLOCK for tag in _BLOCKS},
    **{tag: _LIST for tag in ("ul", "ol", "dl")},
    "pre": _PRE,
    **{tag: _BREAK for tag in _LINES},
    "li": _ITEM,
    "br": _BREAK,
}


def _lxml_tree(html: str) -> Any:
    """The parsed document's root, None when lxml is missing or refuses the input."""
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
        return etree.fromstring(html, _lxml_parser)
    except (etree.LxmlError, ValueError):  # empty document, an encoding declaration
        return None


def _collect(root: Any) -> str:
    """The reference walk: every element through the _Collector (as the stdlib path does)."""
    from lxml import etree

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


# The fast walk writes one string with NUL as the line separator (two for a paragraph), the
# layout _Collector.result() builds with newlines: libxml2 never puts NUL in a text node (it
# reads U+FFFD), so a separator can never come from the feed, and whitespace collapsing,
# control stripping and trimming then run once over the whole body instead of once per line.
_LINE, _BLOCK_SEP, _PARA = "\x00", "\x00\x00", "\x02"
_CONTROLS_KEEP_NUL = re.compile(_CONTROLS.pattern.replace("\x00-\x08", "\x01-\x08"))
_PRE_DROPPED = re.compile("[\x0b\x0c\x1c-\x1f\x85]")  # controls, not spaces, inside <pre>
_DOUBLE_SPACE = re.compile("  +")
_DASH_LINE = re.compile("([\x00\x02])-(?=[\x00\x02])")
_SEPARATOR_RUN = re.compile("[\x00\x02]{2,}")


def _fast_collect(root: Any) -> str:
    """What _collect returns, with the per-element work done by lxml and the per-line work
    done by whole-string regex passes (bench/refresh.py --parse; tests/test_clean.py checks
    both walks agree over the corpora)."""
    from lxml import etree

    etree.strip_elements(root, *_DROPPED_TREES, with_tail=False)
    etree.strip_tags(root, *_INLINE)
    parts: list[str] = []
    add = parts.append
    started = line_open = brk = False  # any line yet; a line has text; a paragraph ended
    pre = lists = start = 0  # <pre> and list depth; where the open line starts in parts
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        opening = event == "start"
        text = element.tail if not opening else element.text if isinstance(tag, str) else None
        kind = _KIND.get(tag, 0)  # strip_elements left no dropped element but the root
        if kind:
            # Where _Collector.start/end end a line or a paragraph. A line ended inside
            # <pre>, or by its end, keeps its newlines.
            if line_open:
                if pre:
                    _pre_line(parts, start)
                line_open = False
            if kind == _BLOCK:
                brk = started
            elif kind == _LIST:
                lists = lists + 1 if opening else max(0, lists - 1)
                if lists <= 1 if opening else not lists:
                    brk = started
            elif kind == _PRE:
                brk = started
                pre = pre + 1 if opening else max(0, pre - 1)
            elif kind == _ITEM and opening:
                add((_BLOCK_SEP if brk else _LINE) if started else "")
                start = len(parts)
                add("- ")
                started = line_open = True
                brk = False
        if not text:
            continue
        if not line_open:
            if not pre and text.isspace():
                continue  # would only open a line that is trimmed away (not so in <pre>)
            if started:
                add(_BLOCK_SEP if brk else _LINE)
            start = len(parts)
            started = line_open = True
            brk = False
        add(text)
    if line_open and pre:
        _pre_line(parts, start)
    return _finish("".join(parts))


def _pre_line(parts: list[str], start: int) -> None:
    """The open line (parts[start:]) ends inside <pre>: see _pre_lines."""
    parts[start:] = [_LINE.join(_pre_lines("".join(parts[start:])))]


# A space of a <pre> line's indentation until the end: whitespace collapsing leaves it be
# (a private-use character; one a feed itself sends reads as a space).
_PRE_SPACE = "\ue001"


def _pre_lines(text: str) -> list[str]:
    """Text ended inside <pre> as lines: its newlines become line breaks (a CR before the
    break merges with it), the controls that count as spaces go, and each line keeps its
    indentation (a tab to the next multiple of four)."""
    if text.endswith("\r"):
        text = text[:-1]
    text = _PRE_DROPPED.sub("", _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n"))
    return [_indented(line) for line in text.split("\n")]


def _indented(line: str) -> str:
    body = line.lstrip(" \t")
    if len(body) == len(line) or not body.strip():
        return line  # nothing to keep: no indentation, or a blank line
    return _PRE_SPACE * len(line[: len(line) - len(body)].expandtabs(4)) + body


def _finish(raw: str) -> str:
    # Whitespace collapsed as HTML reads it (str.split and re's \s agree on what is space;
    # NUL is not); the ends go too, as the first and last lines are trimmed anyway.
    raw = " ".join(raw.split())
    # Escape sequences start with a control character: one scan finds whether there is
    # anything to strip at all (most bodies have nothing).
    if _CONTROLS_KEEP_NUL.search(raw):
        if _ESCAPE_START.search(raw):
            raw = _ESCAPES.sub("", raw)
        raw = _DOUBLE_SPACE.sub(" ", _CONTROLS_KEEP_NUL.sub("", raw))
    # Paragraphs split first, as str.split("\n\n") does; then lines are trimmed (one space at
    # most each side of a separator after collapsing), and empty lines and blocks go.
    raw = raw.replace(_BLOCK_SEP, _PARA)
    for sep in (_LINE, _PARA):
        raw = raw.replace(" " + sep, sep).replace(sep + " ", sep)
    raw = _PARA + raw.strip(" ") + _PARA
    if "\x00-" in raw or "\x02-" in raw:
        raw = _DASH_LINE.sub(r"\1", raw)  # an empty list item's dash
    # Four substring tests are faster than one search for the character class.
    if any(pair in raw for pair in ("\x00\x00", "\x00\x02", "\x02\x00", "\x02\x02")):
        raw = _SEPARATOR_RUN.sub(_one_separator, raw)
    raw = raw.strip(_LINE + _PARA).replace(_PARA, "\n\n").replace(_LINE, "\n")
    return raw.replace(_PRE_SPACE, " ") if _PRE_SPACE in raw else raw


def _one_separator(run: re.Match[str]) -> str:
    return _PARA if _PARA in run.group() else _LINE


def _lxml_html_to_text(html: str) -> str | None:
    """HTML to text through an lxml tree; None when lxml is missing or refuses the input."""
    root = _lxml_tree(html)
    return None if root is None else _fast_collect(root)


_LOOKS_HTML = re.compile(r"<[a-zA-Z!/]|&[#a-zA-Z0-9]+;")


def html_to_text(html: str | None) -> str:
    """HTML to safe plain text: paragraphs separated by a blank line, list items and <br>
    as lines, scripts and styles dropped, entities decoded, whitespace normalised."""
    if not html:
        return ""
    if not _LOOKS_HTML.search(html):
        # No tag and no entity: HTML rules still apply to whitespace (a newline is a space).
        return safe_text(html)
    global _last
    done, text = _last
    if html == done:  # a feed's summary and body are often the same HTML
        return text
    walked = _lxml_html_to_text(html)
    text = _stdlib_html_to_text(html) if walked is None else walked
    _last = (html, text)  # one tuple: threads that parse at once see a matching pair
    return text


_last: tuple[str, str] = ("", "")


def safe_url(url: str | None, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """A link worth keeping: safe text with one of `schemes`, else None."""
    text = safe_text(url).replace(" ", "%20")
    if not text:
        return None
    scheme, sep, _rest = text.partition(":")
    if not sep or scheme.lower() not in schemes:
        return None
    return text
