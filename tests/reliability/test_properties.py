"""Property tests over the paths untrusted text takes: parse, clean, analysis, the screen's
safe text and export. Each property is a plain `check_*` function over generated input, so
bench/fuzz.py can run the same checks for minutes instead of seconds.

Properties: nothing raises (but the documented NotAFeed / ExportError), no control, escape,
bidi or zero-width character survives cleaning, every offset lies inside its text, markup is
never interpreted, and every exported file lands directly inside the chosen folder.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analysis.pipeline import analyse_text
from app.analysis.sentences import split_sentences
from app.export import FORMATS, ExportError, export_stories
from app.ingest.clean import html_to_text, plain_to_text, safe_text, safe_url
from app.ingest.parse import NotAFeed, parse_feed
from storage import Library, open_library
from storage.models import Entry
from widgets.reader import wrap_offsets
from widgets.safe import clean, clean_keep_offsets, plain

UNSAFE = frozenset(
    [chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0)]]
    + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff")
)

# Pieces hostile feeds are made of, mixed with arbitrary text by the strategies below.
PIECES = [
    "[bold]", "[/]", "[0]", "[@click=app.quit]", "[link=file:///etc/passwd]", "\\[", "[/bold]",
    "\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;http://e.x\x1b\\", "\x9b31m", "\x1bP1$r\x1b\\",
    "\x1b", "\x07", "\x00", "\r\n", "\r", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b",
    "\ufeff", "\ud800", "&amp;", "&lt;b&gt;", "&#27;", "&#x1b;", "&nbsp;", "&bogus;", "&#0;",
    "<p>", "</p>", "<br>", "<script>alert(1)</script>", "<style>x{}</style>", "<li>", "<pre>",
    "</pre>", "<![CDATA[", "]]>", "<!--", "-->", "<a href='javascript:alert(1)'>", "</a>",
    '"', "\u201c", "\u201d", "'", "''", "``", "said", " Ann Lee", ".", "\n\n", " ", "\t", "\u00a0",
    "e\u0301", "\U0001f600", "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u6587",
]  # fmt: skip

hostile_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(PIECES)), max_size=24).map(
    "".join
)
# Text a library can hold: what the cleaner gives (no lone surrogates).
story_text = hostile_text.map(plain_to_text)


def assert_no_unsafe(value: str, *, lines: bool = True) -> None:
    bad = {hex(ord(c)) for c in value if c in UNSAFE}
    assert not bad, (bad, value)
    assert "\x1b" not in value
    if not lines:
        assert "\n" not in value and "\t" not in value


# -- clean ---------------------------------------------------------------------------------
def check_clean(text: str) -> None:
    one_line = safe_text(text)
    assert_no_unsafe(one_line, lines=False)
    assert one_line == one_line.strip()
    for body in (html_to_text(text), plain_to_text(text)):
        assert_no_unsafe(body)
        assert "\n\n\n" not in body
        # Trimmed, but for the indentation of a first <pre> line (spaces only).
        assert body == body.rstrip() and body.lstrip(" ") == body.lstrip()
    url = safe_url(text)
    if url is not None:
        assert url.lower().startswith(("http:", "https:"))
        assert_no_unsafe(url, lines=False)
        assert " " not in url


# -- parse ---------------------------------------------------------------------------------
@st.composite
def feed_documents(draw: st.DrawFn) -> bytes:
    """An RSS, Atom or JSON feed whose strings are hostile, escaped or raw."""
    kind = draw(st.sampled_from(["rss", "atom", "json", "raw-rss"]))
    strings = draw(st.lists(hostile_text, min_size=4, max_size=12))
    link = draw(st.sampled_from(["https://e.example/a", "javascript:alert(1)", "file:///etc",
                                 "/relative", "", strings[0]]))  # fmt: skip
    if kind == "json":
        doc = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": strings[0],
            "items": [
                {"id": s[:40] or "x", "title": s, "content_html": t, "url": link}
                for s, t in zip(strings[1::2], strings[2::2], strict=False)
            ],
        }
        return json.dumps(doc).encode("utf-8", "surrogatepass")
    esc = (lambda s: s) if kind == "raw-rss" else escape
    if kind == "atom":
        entries = "".join(
            f"<entry><id>{esc(s[:40])}</id><title type='html'>{esc(s)}</title>"
            f"<link href='{esc(link)}'/><content type='html'>{esc(t)}</content>"
            f"<author><name>{esc(t[:30])}</name></author></entry>"
            for s, t in zip(strings[1::2], strings[2::2], strict=False)
        )
        text = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{esc(strings[0])}</title>"
        text += f"{entries}</feed>"
    else:
        items = "".join(
            f"<item><guid>{esc(s[:40])}</guid><title>{esc(s)}</title><link>{esc(link)}</link>"
            f"<description>{esc(t)}</description><author>{esc(t[:30])}</author></item>"
            for s, t in zip(strings[1::2], strings[2::2], strict=False)
        )
        text = f"<rss version='2.0'><channel><title>{esc(strings[0])}</title>{items}"
        text += "</channel></rss>"
    return text.encode("utf-8", "surrogatepass")


def check_parse(data: bytes) -> None:
    try:
        parsed = parse_feed(data, url="https://e.example/feed")
    except NotAFeed as exc:
        assert str(exc).startswith("not a feed")
        return
    assert_no_unsafe(parsed.title, lines=False)
    parsed.title.encode("utf-8")
    for entry in parsed.entries:
        assert entry.uid
        for value in (entry.uid, entry.title, entry.author or ""):
            assert_no_unsafe(value, lines=False)
            value.encode("utf-8")  # a lone surrogate would fail the library's write
        for value in (entry.text, entry.summary):
            assert_no_unsafe(value)
            value.encode("utf-8")
        assert entry.url is None or entry.url.startswith(("http://", "https://"))


_memory: Library | None = None


def check_store(data: bytes) -> None:
    """Whatever parses is stored: nothing a feed holds makes the library refuse a write."""
    global _memory
    try:
        parsed = parse_feed(data, url="https://e.example/feed")
    except NotAFeed:
        return
    if _memory is None:
        _memory = open_library(":memory:")
    feed = _memory.add_feed("https://e.example/feed", exist_ok=True)
    _memory.upsert_entries(feed.id, parsed.entries)
    _memory.update_feed_fetch(feed.id, status="ok", title=parsed.title or None)


# -- analysis ------------------------------------------------------------------------------
def check_analysis(text: str, title: str) -> None:
    spans = split_sentences(text)
    last = 0
    for start, end in spans:
        assert last <= start <= end <= len(text)
        last = end
    result = analyse_text(text, title=title)
    body = result.text
    for quote in result.quotes:
        assert 0 <= quote.start <= quote.end <= len(body)
        assert body[quote.start : quote.end] == quote.text
    for highlight in result.highlights:
        assert 0 <= highlight.start <= highlight.end <= len(body)
    for width in (1, 7, 80):
        for start, end in wrap_offsets(body, width):
            if (start, end) != (-2, -2):  # the blank line between paragraphs
                assert 0 <= start <= end <= len(body)


# -- the screen ----------------------------------------------------------------------------
def check_markup(text: str) -> None:
    shown = plain(text)
    assert shown.plain == clean(text)  # brackets and all: nothing was read as markup
    assert not shown.spans
    assert_no_unsafe(shown.plain, lines=False)
    kept = clean_keep_offsets(text)
    assert len(kept) == len(text)  # highlights and quotes keep their offsets on screen
    assert_no_unsafe(kept)


# -- export --------------------------------------------------------------------------------
def check_export(titles: list[str], bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with open_library(root / "library.db") as library:
            feed = library.add_feed("https://e.example/feed", title=safe_text(titles[0]))
            entries = [
                Entry(uid=f"u{i}", title=safe_text(t), text=b, url="https://e.example/x")
                for i, (t, b) in enumerate(zip(titles, bodies, strict=False))
            ]
            ids = library.upsert_entries(feed.id, entries).new
            for story_id in ids:
                library.tag_story(story_id, safe_text(titles[-1])[:30] or "tag")
            for fmt in FORMATS:
                # Markdown writes one file per story into a folder; the others one file.
                folder = root / "out" / fmt
                dest = folder if fmt == "markdown" else folder / f"export.{fmt}"
                try:
                    result = export_stories(library, ids, fmt, dest)
                except ExportError:
                    continue
                assert result.written
                for path in result.written:
                    assert path.resolve().parent == folder.resolve(), path
                for path in folder.rglob("*"):
                    assert path.resolve().parent == folder.resolve(), path
        leftovers = [p.name for p in root.iterdir()]
        assert set(leftovers) <= {"library.db", "library.db-wal", "library.db-shm", "out"}


# -- the tests (short budgets; bench/fuzz.py runs the same checks for minutes) ---------------
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(hostile_text)
def test_clean_never_leaves_a_control(text: str) -> None:
    check_clean(text)


@QUICK
@given(feed_documents())
def test_parse_never_raises_and_stores_clean_fields(data: bytes) -> None:
    check_parse(data)


@QUICK
@given(feed_documents())
def test_whatever_parses_is_stored(data: bytes) -> None:
    check_store(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_of_any_bytes_is_a_feed_or_not_a_feed(data: bytes) -> None:
    check_parse(data)


@QUICK
@given(story_text, story_text)
def test_analysis_offsets_stay_inside_the_text(text: str, title: str) -> None:
    check_analysis(text, safe_text(title))


@QUICK
@given(hostile_text)
def test_markup_is_never_interpreted(text: str) -> None:
    check_markup(text)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_text, min_size=2, max_size=4), st.lists(story_text, min_size=2, max_size=4))
def test_export_names_stay_inside_the_folder(titles: list[str], bodies: list[str]) -> None:
    check_export(titles, bodies)
