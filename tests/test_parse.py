"""Feeds of every kind normalised to Entry; things that are not feeds refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.ingest.parse import NotAFeed, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Daily &amp; Nightly</title><link>https://news.example/</link>
<item>
  <title>Talks resume</title><link>https://news.example/talks</link>
  <guid isPermaLink="false">story-1</guid>
  <pubDate>Tue, 10 Jun 2025 08:30:00 +0200</pubDate>
  <dc:creator>Ann Reporter</dc:creator>
  <description>Short &lt;b&gt;summary&lt;/b&gt;.</description>
  <content:encoded><![CDATA[<p>First paragraph.</p><p>Second <i>one</i>.</p>]]></content:encoded>
</item>
<item><title>No guid</title><link>https://news.example/no-guid</link></item>
<item><title>Only a title</title><pubDate>Wed, 11 Jun 2025 00:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom wire</title><link href="https://atom.example/"/>
  <id>urn:feed</id><updated>2025-06-10T10:00:00Z</updated>
  <entry>
    <title type="html">Markets &lt;em&gt;rally&lt;/em&gt;</title>
    <id>urn:entry:1</id><link href="https://atom.example/1"/>
    <published>2025-06-10T09:00:00-05:00</published>
    <updated>2025-06-10T12:00:00Z</updated>
    <author><name>Bo Writer</name></author>
    <summary>Stocks up.</summary>
    <content type="html">&lt;p&gt;Stocks rose.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;/ul&gt;
    </content>
  </entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://rdf.example/"><title>RDF</title>
    <link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/a"><title>A</title>
    <link>https://rdf.example/a</link><description>About a.</description></item>
</rdf:RDF>"""


def test_rss2_entries_are_normalised() -> None:
    feed = parse_feed(RSS)
    assert feed.kind == "rss20"
    assert feed.title == "Daily & Nightly"
    assert feed.site_url == "https://news.example/"
    first, second, third = feed.entries
    assert first.uid == "story-1"
    assert first.title == "Talks resume"
    assert first.url == "https://news.example/talks"
    assert first.author == "Ann Reporter"
    assert first.published == "2025-06-10T06:30:00+00:00"
    assert first.text == "First paragraph.\n\nSecond one."
    assert first.summary == "Short summary."
    # Identity falls back to the link, then to a hash of title and date.
    assert second.uid == "https://news.example/no-guid"
    assert third.uid.startswith("sha1:")
    assert third.uid == parse_feed(RSS).entries[2].uid  # stable across parses


def test_atom_entries_are_normalised() -> None:
    feed = parse_feed(ATOM)
    assert feed.kind == "atom10"
    (entry,) = feed.entries
    assert entry.uid == "urn:entry:1"
    assert entry.title == "Markets rally"
    assert entry.author == "Bo Writer"
    assert entry.published == "2025-06-10T14:00:00+00:00"
    assert entry.updated == "2025-06-10T12:00:00+00:00"
    assert entry.text == "Stocks rose.\n\n- a"
    assert entry.summary == "Stocks up."


def test_rss1_rdf_feed() -> None:
    feed = parse_feed(RDF)
    assert feed.kind == "rss10"
    assert [(e.uid, e.title, e.text) for e in feed.entries] == [
        ("https://rdf.example/a", "A", "About a.")
    ]


def _json_feed(version: str, **extra: object) -> bytes:
    doc = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "JSON wire",
        "home_page_url": "https://json.example/",
        "items": [
            {
                "id": 7,
                "url": "https://json.example/7",
                "title": "Seven",
                "content_html": "<p>One.</p><p>Two.</p>",
                "summary": "Numbers.",
                "date_published": "2025-06-10T08:00:00+02:00",
                "date_modified": "2025-06-10T09:00:00Z",
                **extra,
            },
            {"id": "plain", "content_text": "Just text\n\nin two paragraphs."},
        ],
    }
    return json.dumps(doc).encode()


def test_json_feed_11() -> None:
    feed = parse_feed(_json_feed("1.1", authors=[{"name": "Cy"}, {"name": "Di"}]))
    assert feed.kind == "json"
    assert feed.title == "JSON wire"
    first, second = feed.entries
    assert (first.uid, first.title, first.url) == ("7", "Seven", "https://json.example/7")
    assert first.author == "Cy, Di"
    assert first.published == "2025-06-10T06:00:00+00:00"
    assert first.updated == "2025-06-10T09:00:00+00:00"
    assert first.text == "One.\n\nTwo."
    assert first.summary == "Numbers."
    assert second.text == "Just text\n\nin two paragraphs."


def test_json_feed_10_single_author() -> None:
    feed = parse_feed(_json_feed("1", author={"name": "Old Style"}))
    assert feed.entries[0].author == "Old Style"


def test_shared_json_feed_sample(corpora: Path) -> None:
    (sample,) = (corpora / "jsonfeed").iterdir()
    feed = parse_feed(sample.read_bytes())
    assert feed.title and feed.entries
    assert all(e.uid and e.title for e in feed.entries)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>",
         "not a feed: the page is HTML"),
        (b"\n  <html lang='en'><body><p>home</p></body></html>", "not a feed: the page is HTML"),
        (b"", "not a feed: the document is empty"),
        (b"   \n", "not a feed: the document is empty"),
        (b"hello, this is plain text", "not a feed: malformed XML"),
        (b"<config><item>1</item></config>", "not a feed: no RSS, Atom or JSON Feed found"),
        (b'{"name": "not a feed"}', "not a feed: JSON, but not a JSON Feed"),
        (b"{broken json", "not a feed: broken JSON"),
    ],
)  # fmt: skip
def test_things_that_are_not_feeds_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_feed(body)
    assert str(caught.value).startswith(message)


def test_a_slightly_broken_feed_that_yields_entries_is_accepted() -> None:
    broken = b"<rss version='2.0'><channel><title>T</title><item><title>A &nbsp; B</title>" \
             b"<link>https://x.example/a</link></item><item><title>C</title></channel>"  # fmt: skip
    feed = parse_feed(broken)
    assert [e.title for e in feed.entries][:1] == ["A B"]


def test_hostile_strings_come_out_literal_or_stripped() -> None:
    hostile = (
        "<rss version='2.0'><channel><title>\x1b]0;owned\x07Feed</title><item>"
        "<title>[bold]x[/] \x1b[2Jcleared</title><guid>g\u202e1</guid>"
        "<author>\u200bEve\x1b[31m</author><link>https://h.example/\x1b[2J</link>"
        "<description>&lt;p&gt;body\x1b[0m [red]hi[/red]&lt;/p&gt;</description>"
        "</item></channel></rss>"
    ).encode()
    feed = parse_feed(hostile)
    (entry,) = feed.entries
    assert feed.title == "Feed"
    assert entry.title == "[bold]x[/] cleared"
    assert entry.uid == "g1"
    assert entry.author == "Eve"
    assert entry.url == "https://h.example/"
    assert entry.text == "body [red]hi[/red]"
    for value in (entry.title, entry.author, entry.url, entry.text, entry.uid):
        assert value is not None
        assert not any(ord(c) < 32 and c not in "\n\t" for c in value)


def test_feedparser_never_fetches_a_url_given_as_content() -> None:
    with pytest.raises(NotAFeed):
        parse_feed(b"http://127.0.0.1:9/feed.xml")


def test_an_html_page_that_names_its_feed_says_where() -> None:
    page = (
        b"<!DOCTYPE html><html><head><link rel='stylesheet' href='/s.css'>"
        b'<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">'
        b"</head><body>Home</body></html>"
    )
    with pytest.raises(NotAFeed) as caught:
        parse_feed(page, url="https://site.example/blog/")
    assert str(caught.value) == (
        "not a feed: the page is HTML (it names a feed: https://site.example/feed.xml)"
    )
