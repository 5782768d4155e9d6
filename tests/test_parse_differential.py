"""The lxml fast path against feedparser over the corpora: where it reads a feed, it reads it
exactly as the feedparser path does (every field of every entry, the feed's title and link).

Where it is not sure it declines and feedparser reads the feed; so the robustness on broken
feeds stays feedparser's. It must also take most of the real feeds, or it buys nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.fastparse import parse_fast
from app.ingest.parse import _parse_xml, parse_feed


def _documents(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in (".md", ".txt"))


FEED_URL = "https://feeds.example.org/news/feed.xml"


@pytest.mark.parametrize(
    ("folder", "least_taken", "url", "content_type"),
    [
        # 186 of 200 (153 before Media RSS, dates, C1 and DOCTYPEs); without the feed's URL
        # relative links and ids decline, as the URL would change them on the feedparser path
        ("real-feeds", 0.92, None, None),
        ("real-feeds", 0.95, FEED_URL, "application/rss+xml"),  # 191 of 200, as a refresh reads
        ("newsboat-tests", 0.4, None, None),  # 12 of 27
        # 850 of 2,108: many of feedparser's edge cases are meant to decline
        ("feedparser-tests", 0.4, None, None),
    ],
)
def test_fast_path_agrees_with_feedparser(
    corpora: Path, folder: str, least_taken: float, url: str | None, content_type: str | None
) -> None:
    documents = _documents(corpora / folder)
    assert documents
    taken = 0
    disagreements = []
    for path in documents:
        data = path.read_bytes()
        fast = parse_fast(data, content_type=content_type, url=url)  # reads it or declines
        if fast is None:
            continue
        taken += 1
        slow = _parse_xml(data, url=url, content_type=content_type)
        if fast != slow:
            disagreements.append(path.name)
    assert disagreements == []
    assert taken / len(documents) >= least_taken


def test_declines_broken_feeds_and_reads_unusual_ones_as_feedparser() -> None:
    broken = b'<rss version="2.0"><channel><item><title>A &nbsp; B</title></item></channel></rss>'
    assert parse_fast(broken) is None
    assert parse_feed(broken).entries  # feedparser recovers it
    html_title = (
        b'<rss version="2.0"><channel><item><title>A &lt;b&gt;bold&lt;/b&gt; move</title>'
        b"</item></channel></rss>"
    )
    two_digit_year = (
        b'<rss version="2.0"><channel><item><title>T</title>'
        b"<pubDate>Mon, 01 Jan 01 00:00:00 GMT</pubDate></item></channel></rss>"
    )
    latin1 = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
    latin1 += "<item><title>Café</title></item></channel></rss>"
    read = []
    for document in (html_title, two_digit_year, latin1.encode("latin-1")):
        fast = parse_fast(document)
        assert fast is not None
        assert fast == _parse_xml(document, url=None, content_type=None)
        read.append(fast.entries[0])
    assert read[0].title == "A bold move"  # feedparser takes the escaped markup for HTML
    assert read[1].published == "2001-01-01T00:00:00+00:00"
    assert read[2].title == "Café"


def test_reads_a_plain_feed_with_everything_kept() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Courier</title><link>https://courier.example/</link>
<item><title>Ferry strike ends</title><link>https://courier.example/a</link>
<guid isPermaLink="false">courier-1</guid><dc:creator>Ana Ruiz</dc:creator>
<pubDate>Tue, 11 Nov 2025 09:30:00 +0100</pubDate>
<description>Short &lt;b&gt;summary&lt;/b&gt;.</description>
<content:encoded><![CDATA[<p>Crews return.</p>
<p>"It is over," she said.\xe2\x80\x8b</p>]]></content:encoded>
</item></channel></rss>"""
    fast = parse_fast(feed)
    assert fast is not None
    assert fast == _parse_xml(feed, url=None, content_type=None)
    entry = fast.entries[0]
    assert (entry.uid, entry.author, entry.published) == (
        "courier-1",
        "Ana Ruiz",
        "2025-11-11T08:30:00+00:00",
    )
    assert entry.text == 'Crews return.\n\n"It is over," she said.'
    assert entry.summary == "Short summary."
