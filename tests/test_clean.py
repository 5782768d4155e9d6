"""HTML to safe plain text, and the control-character stripping every feed string gets."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.ingest.clean import (
    _collect,
    _fast_collect,
    _lxml_tree,
    _stdlib_html_to_text,
    html_to_text,
    plain_to_text,
    safe_text,
    safe_url,
    strip_controls,
)


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    html = "<p>First  para\ngraph.</p><div>Second</div><h2>Third</h2>"
    assert html_to_text(html) == "First para graph.\n\nSecond\n\nThird"


def test_list_items_and_line_breaks_become_lines() -> None:
    html = "<p>a<br>b<br/>c</p><ul><li>one</li><li>two<ol><li>inner</li></ol></li></ul>"
    assert html_to_text(html) == "a\nb\nc\n\n- one\n- two\n- inner"


def test_scripts_styles_and_comments_are_dropped() -> None:
    html = (
        "<style>p { color: red }</style><p>kept</p><script>alert('x')</script>"
        "<!-- hidden --><noscript>fallback</noscript><p>also kept</p>"
    )
    assert html_to_text(html) == "kept\n\nalso kept"


def test_entities_are_decoded_once() -> None:
    assert html_to_text("<p>Tom &amp; Jerry &lt;3 &#8220;hi&#8221; &amp;amp;</p>") == (
        "Tom & Jerry <3 “hi” &amp;"
    )


def test_markup_like_text_is_kept_literally() -> None:
    assert html_to_text("<p>[bold]x[/] and [0]</p>") == "[bold]x[/] and [0]"
    assert safe_text("[bold]x[/]") == "[bold]x[/]"


def test_plain_text_without_tags_is_one_line_of_html_text() -> None:
    assert html_to_text("a < b and\n c > d") == "a < b and c > d"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("clear\x1b[2Jscreen", "clearscreen"),
        ("red \x1b[31mtext\x1b[0m", "red text"),
        ("title\x1b]0;pwned\x07 ok", "title ok"),
        ("osc st\x1b]8;;http://x\x1b\\link", "osc stlink"),
        ("c1 csi \x9b2J done", "c1 csi done"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("bidi \u202eevil\u202c \u2066iso\u2069", "bidi evil iso"),
        ("zero\u200bwidth\u200d\ufeff joiner\u2060", "zerowidth joiner"),
    ],
)
def test_safe_text_strips_escapes_and_invisible_characters(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected


def test_safe_text_is_one_line() -> None:
    assert safe_text("  two\r\nlines\tand\u2028more  ") == "two lines and more"


def test_strip_controls_keeps_newlines_and_tabs() -> None:
    assert strip_controls("a\tb\r\nc\x1b[1md\x0b") == "a\tb\ncd"


def test_bodies_lose_escape_sequences_even_when_written_as_entities() -> None:
    text = html_to_text("<p>before &#27;[2J after\x1b[31m red</p><p>\u202eflip</p>")
    assert "\x1b" not in text and "\u202e" not in text
    # lxml keeps the decoded ESC so the whole sequence goes; html.parser drops the ESC alone.
    assert text.replace("[2J ", "") == "before after red\n\nflip"


def test_plain_to_text_keeps_paragraphs() -> None:
    assert plain_to_text("one\n\n\n\ntwo  words\nthree\x1b[0m") == "one\n\ntwo words\nthree"


def test_safe_url_keeps_web_links_only() -> None:
    assert safe_url(" https://example.org/a b ") == "https://example.org/a%20b"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("http://x.org/\x1b[2J") == "http://x.org/"
    assert safe_url("") is None


def test_broken_markup_still_gives_text() -> None:
    assert html_to_text("<p>unclosed <b>bold <i>italic") == "unclosed bold italic"
    assert html_to_text("<div><p>a</div>b</p>") == "a\n\nb"


def test_preformatted_text_keeps_its_lines() -> None:
    # Its last line used to be read as ordinary text, so a one-line-per-command block (or
    # any code) came out as a single line.
    html = "<p>Run:</p><pre><code>make build\nmake test\n\nmake run</code></pre><p>Done.</p>"
    assert html_to_text(html) == "Run:\n\nmake build\nmake test\n\nmake run\n\nDone."
    assert _stdlib_html_to_text(html) == html_to_text(html)


def test_preformatted_text_keeps_its_indentation() -> None:
    html = "<pre>def f(x):\n    if x:\n\treturn  1\n   \n    return 0\n</pre><p>after</p>"
    expected = "def f(x):\n    if x:\n    return 1\n    return 0\n\nafter"
    assert html_to_text(html) == expected
    assert _stdlib_html_to_text(html) == expected
    # Outside <pre>, leading spaces are HTML's collapsible whitespace.
    assert html_to_text("<p>    indented?</p>") == "indented?"


@pytest.mark.parametrize(
    "html",
    [
        "<p>First  para\ngraph.</p><div>Second</div><h2>Third</h2>",
        "<p>a<br>b<br/>c</p><ul><li>one</li><li>two<ol><li>inner</li></ol></li></ul>",
        "<style>p {}</style><p>kept</p><script>x()</script><!-- c --><p>also &amp; kept</p>",
        "<pre>line one\n  line two</pre><p>after</p>",
        "text before <b>bold</b> and after",
    ],
)
def test_the_stdlib_fallback_agrees_with_lxml(html: str) -> None:
    assert _stdlib_html_to_text(html) == html_to_text(html)


# -- the fast lxml walk against the reference walk --------------------------------------------
def _both_walks(html: str) -> tuple[str, str]:
    """(reference _Collector walk, fast walk) of one body, each over its own tree (the fast
    walk edits the tree it reads)."""
    return _collect(_lxml_tree(html)), _fast_collect(_lxml_tree(html))


@pytest.mark.parametrize(
    "html",
    [
        "<pre>a\nb</pre>",  # the last line of a <pre> keeps its line breaks too
        "<pre>  a\n\tb\r  c\n \t </pre><p>  d</p><pre>\n  \u2028 e</pre>",
        "<pre>a\r\nb<br>c\rd\u2029e<br>\x0bf</pre><p>after</p>",
        "<pre><pre>x\ny</pre>z\nw<br></pre>",
        "<ul><li></li><li> - </li><li>kept</li></ul><p>-</p>",
        "<p>a \x01 b</p>\n<p> </p><div>\u2028c\x85d\xa0 e</div>",
        "<svg><p>dropped</p></svg>tail<script>x</script><span>in<b>line</b></span><br>end",
        "safe<embed src=x> description",  # lxml puts the text inside the void element
    ],
)
def test_fast_walk_matches_the_collector(html: str) -> None:
    reference, fast = _both_walks(html)
    assert fast == reference


def test_fast_walk_matches_the_collector_on_random_markup() -> None:
    # Escape sequences are left out: where one meets whitespace the two walks may remove a
    # character more or less of it (both outputs are free of escapes; tested above).
    pieces = [
        "<p>", "</p>", "<pre>", "</pre>", "<br>", "<li>", "</li>", "<ul>", "</ul>", "<ol>",
        "</ol>", "<div>", "</div>", "<span>", "</span>", "<b>", "<script>x</script>", "<td>",
        "<svg><p>no</p></svg>", "<blockquote>", "</blockquote>", "<h2>", "</h2>", "<tr>",
        "a", "word", " ", "  ", "\n", "\r\n", "\r", "\t", "\u2028", "\u2029", "\xa0", "-",
        "- ", "&amp;", "&#10;", "&#13;", "\x01", "\x0b", "\x0c", "\x1c", "\x85", "\u200b",
        "</table>", "<dt>", "<dd>", "<code>", "</code>", "<img src=x>", "<!-- c -->", "<hr>",
        "<embed src=x>", "</embed>", "<object>", "</object>",
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(3000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        if _lxml_tree(html) is None:  # nothing lxml reads (html_to_text falls back)
            continue
        reference, fast = _both_walks(html)
        assert fast == reference, html


def test_fast_walk_matches_the_collector_over_the_real_feeds(corpora: Path) -> None:
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    bodies = 0
    for path in sorted((corpora / "real-feeds").iterdir()):
        root = etree.fromstring(path.read_bytes(), parser)
        if root is None:
            continue
        for element in root.iter("{*}description", "{*}encoded", "{*}content", "{*}summary"):
            html = element.text or ""
            if "<" not in html or _lxml_tree(html) is None:
                continue
            bodies += 1
            reference, fast = _both_walks(html)
            assert fast == reference, f"{path.name}: {html[:200]!r}"
    assert bodies > 3000  # the corpus's HTML bodies were read, not skipped
