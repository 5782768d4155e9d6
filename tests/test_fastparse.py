"""The lxml fast path on the feed shapes it learned to read as feedparser does: each document
here is read by both, and must come out the same (and be taken, not declined)."""

from __future__ import annotations

import random

import pytest

from app.ingest.fastparse import parse_fast
from app.ingest.parse import _parse_xml, parse_feed
from app.ingest.parse_types import ParsedFeed

NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)


def rss(items: str, channel: str = "<title>Harbour Courier</title>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" {NAMESPACES}><channel>'
        f"{channel}<link>https://courier.example/</link>{items}</channel></rss>"
    ).encode()


def atom(entries: str, head: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:gd="http://schemas.google.com/g/2005">'
        f'<title>Courier</title><link href="https://courier.example/"/>{head}{entries}</feed>'
    ).encode()


def agrees(document: bytes) -> ParsedFeed:
    """The fast path takes the document and reads it exactly as feedparser does."""
    fast = parse_fast(document)
    assert fast is not None, "declined"
    assert fast == _parse_xml(document, url=None, content_type=None)
    return fast


ITEM = "<title>Ferry strike ends</title><link>https://courier.example/a</link>"


# -- descriptions, wherever Media RSS puts them ----------------------------------------------
def test_a_media_caption_after_the_description_becomes_the_body() -> None:
    # feedparser: a second description while there is no content is the content.
    feed = agrees(
        rss(
            f"<item>{ITEM}<description>Crews return to work.</description>"
            '<media:content url="https://courier.example/p.jpg">'
            "<media:description>Crews at the quay, Tuesday.</media:description>"
            "</media:content></item>"
        )
    )
    assert feed.entries[0].text == "Crews at the quay, Tuesday."
    assert feed.entries[0].summary == "Crews return to work."


def test_a_direct_media_description_after_the_content_replaces_the_summary() -> None:
    feed = agrees(
        rss(
            f"<item>{ITEM}<description>Short.</description>"
            "<content:encoded><![CDATA[<p>The long story.</p>]]></content:encoded>"
            '<media:description type="plain">Caption &lt;b&gt;x&lt;/b&gt;</media:description>'
            "</item>"
        )
    )
    assert feed.entries[0].text == "The long story."


def test_youtube_style_atom_reads_the_group_description_as_the_summary() -> None:
    feed = agrees(
        atom(
            "<entry><id>yt:video:1</id><title>Lathe repair</title>"
            '<link rel="alternate" href="https://video.example/watch?v=1"/>'
            "<media:group><media:title>Lathe repair</media:title>"
            '<media:content url="https://video.example/v/1" type="application/x-shockwave-flash"/>'
            "<media:description>Part one &amp; more.\n\nLinks below.</media:description>"
            '<media:community><media:starRating count="3"/></media:community>'
            "</media:group></entry>"
        )
    )
    assert feed.entries[0].text.startswith("Part one & more.")


def test_a_nested_media_title_is_the_title_only_when_the_item_has_none() -> None:
    feed = agrees(
        rss(
            "<item><link>https://courier.example/b</link><media:group>"
            "<media:title>From the group</media:title></media:group></item>"
            f"<item>{ITEM}<media:group><media:title>Ignored</media:title></media:group></item>"
        )
    )
    assert [e.title for e in feed.entries] == ["From the group", "Ferry strike ends"]


# -- links, ids, authors -----------------------------------------------------------------------
def test_atom_links_inside_rss_items_count_only_when_alternate_html() -> None:
    feed = agrees(
        rss(
            f'<item>{ITEM}<atom:link rel="standout" href="https://other.example/s"/></item>'
            '<item><title>T</title><link>https://courier.example/c</link><atom:link rel="alternate"'
            ' type="text/html" href="https://courier.example/c2"/></item>'
        )
    )
    assert [e.url for e in feed.entries] == [
        "https://courier.example/a",
        "https://courier.example/c2",
    ]


def test_an_atom_entry_without_a_link_takes_its_id() -> None:
    feed = agrees(atom("<entry><id>https://courier.example/n#1</id><title>Note</title></entry>"))
    assert feed.entries[0].url == "https://courier.example/n#1"


def test_rss_authors_split_as_feedparser_splits_them() -> None:
    feed = agrees(
        rss(
            f"<item>{ITEM}<author>jo@courier.org (Jo Lind)</author></item>"
            f"<item>{ITEM}<author>desk@courier.org</author></item>"
            f"<item>{ITEM}<author>hidden (night desk)</author></item>"
            f"<item>{ITEM}<dc:creator>Ana Ruiz</dc:creator><dc:creator>Bo Chen</dc:creator></item>"
        )
    )
    assert [e.author for e in feed.entries] == [
        "Jo Lind",
        "desk@courier.org",
        "hidden (night desk)",
        "Ana Ruiz, Bo Chen",
    ]


def test_atom_names_are_kept_as_given_where_other_text_is_mended() -> None:
    feed = agrees(
        atom(
            "<entry><id>tag:c,2026:9</id><title>Caf\u00c3\u00a9</title>"
            '<link href="https://courier.example/9"/><author><name>Ren\u00c3\u00a9</name>'
            "</author></entry>"
        )
    )
    assert feed.entries[0].title == "Café"  # UTF-8 once read as Latin-1: feedparser mends it
    assert feed.entries[0].author == "Ren\u00c3\u00a9"  # but leaves names be


def test_rss1_items_are_known_by_rdf_about() -> None:
    document = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://courier.example/"><title>Courier</title>
<link>https://courier.example/</link><dc:creator>Desk</dc:creator></channel>
<item rdf:about="https://courier.example/a?x=1"><title>A</title><link>https://courier.example/a</link>
<dc:date>2026-02-18T02:12:29Z</dc:date></item></rdf:RDF>"""
    assert agrees(document).entries[0].uid == "https://courier.example/a?x=1"


def test_elements_feedparser_ignores_do_not_make_it_decline() -> None:
    agrees(
        rss(
            f"<item>{ITEM}<itunes:title>Episode 4</itunes:title><itunes:duration>12:00"
            "</itunes:duration><updated>Tue, 17 Feb 2026 22:04:15 +0000</updated>"
            "<image>https://courier.example/i.jpg</image></item>",
            channel="<title>Courier</title><dc:title>Courier (dc)</dc:title>"
            "<dc:creator>Desk</dc:creator><itunes:title>Courier pod</itunes:title>",
        )
    )
    agrees(
        atom(
            '<entry><id>tag:c,2026:1</id><title>T</title><link href="https://courier.example/t"/>'
            "<author><name>Herman</name>"
            '<gd:image rel="thumb" src="//img.example/a.png"/></author>'
            '<source><title type="html">Elsewhere</title><id>tag:e,2026:</id></source></entry>'
        )
    )


FEED_URL = "https://courier.example/feeds/main.xml"


def test_relative_links_and_ids_resolve_against_the_feeds_url_as_feedparser_does() -> None:
    document = rss(
        "<item><title>A</title><link>/a?x=1</link><guid>/story/1</guid></item>"
        '<item><title>B</title><guid isPermaLink="false">b-2</guid>'
        "<link>https://courier.example/b?</link></item>"
        "<item><title>C</title><link>https://courier.example/c;</link></item>"
    )
    fast = parse_fast(document, content_type="application/rss+xml", url=FEED_URL)
    assert fast is not None
    assert fast == _parse_xml(document, url=FEED_URL, content_type="application/rss+xml")
    assert [(e.url, e.uid) for e in fast.entries] == [
        ("https://courier.example/a?x=1", "https://courier.example/story/1"),
        ("https://courier.example/b", "b-2"),
        ("https://courier.example/c", "https://courier.example/c"),  # urllib drops the ";"
    ]
    # Without the URL these would get other identities than the feedparser path gives them.
    assert parse_fast(document, content_type="application/rss+xml") is None


def test_with_xml_base_only_links_no_base_can_change_are_read() -> None:
    absolute = atom(
        '<entry xml:base="https://elsewhere.example/"><id>tag:c,2026:5</id><title>T</title>'
        '<link href="https://courier.example/t"/></entry>'
    )
    assert agrees(absolute).entries[0].url == "https://courier.example/t"
    fast = parse_fast(absolute, content_type="application/atom+xml", url=FEED_URL)
    assert fast == _parse_xml(absolute, url=FEED_URL, content_type="application/atom+xml")
    relative = absolute.replace(b'href="https://courier.example/t"', b'href="t"')
    assert parse_fast(relative, url=FEED_URL) is None


def test_rss_09x_feeds_are_read_and_named_as_feedparser_names_them() -> None:
    versions = (("0.91", "rss091u"), ("0.92", "rss092"), ("2.01", "rss20"), ("", "rss"))
    for version, kind in versions:
        document = rss(f"<item>{ITEM}</item>").replace(b'"2.0"', f'"{version}"'.encode())
        assert agrees(document).kind == kind


# -- text as feedparser finishes it ------------------------------------------------------------
def test_titles_that_look_like_html_are_read_as_html_and_others_stay_plain() -> None:
    feed = agrees(
        rss(
            "<item><title>VB.NET &amp;amp; C#</title><link>https://c.example/1</link></item>"
            "<item><title>A &lt;b&gt;bold&lt;/b&gt; move</title><link>https://c.example/2</link>"
            "</item><item><title>&lt;widget&gt;s &lt;/widget&gt; ahead</title>"
            "<link>https://c.example/3</link></item>"
        )
    )
    assert [e.title for e in feed.entries] == [
        "VB.NET & C#",
        "A bold move",
        "<widget>s </widget> ahead",
    ]


def test_c1_controls_and_double_encoded_utf8_are_mended_as_feedparser_does() -> None:
    feed = agrees(
        rss(
            "<item><title>Martine \u00c3\u00a9crit</title><link>https://c.example/1</link>"
            "<description>NEW YORK&#150;&#150;IBM said</description></item>"
        )
    )
    assert feed.entries[0].title == "Martine écrit"
    assert feed.entries[0].text == "NEW YORK––IBM said"


def test_atom_text_bodies_with_markup_characters() -> None:
    agrees(
        atom(
            "<entry><id>tag:c,2026:2</id><title>A &amp; B</title>"
            '<link href="https://courier.example/ab"/>'
            '<content type="text">Fish &amp;nbsp;&amp;amp; chips &lt;3</content></entry>'
        )
    )


@pytest.mark.parametrize(
    "date",
    [
        "Mon, 01 Jan 0001 00:00:00 +0000",
        "Mon, 01 Jan 01 00:00:00 GMT",
        "Tue, 17 Feb 26 22:04:15 PST",
        "Tue, 17 Feb 2026 22:04:15 MET",
        "Tue, 17 Feb 2026 22:04:15 ET",
        "2026-02-17T22:04:15+0530",
        "2026-02-17",
        "17 Feb 2026",
        "not a date",
    ],
)
def test_dates_in_any_form_read_as_feedparser_reads_them(date: str) -> None:
    agrees(rss(f"<item>{ITEM}<pubDate>{date}</pubDate><dc:date>{date}</dc:date></item>"))


def test_the_last_date_wins_even_when_it_does_not_parse() -> None:
    feed = agrees(
        rss(
            f"<item>{ITEM}<pubDate>Tue, 17 Feb 2026 22:04:15 +0000</pubDate>"
            "<dcterms:issued xmlns:dcterms='http://purl.org/dc/terms/'>soon</dcterms:issued></item>"
        )
    )
    assert feed.entries[0].published is None


# -- documents ---------------------------------------------------------------------------------
def test_a_bare_doctype_is_read_and_one_that_declares_or_names_a_dtd_declined() -> None:
    body = atom(
        '<entry><id>tag:c,2026:3</id><title>T</title><link href="https://c.example/"/></entry>'
    )
    bare = body.replace(b"\n<feed", b"\n<!DOCTYPE html><feed")
    assert agrees(bare).entries
    declaring = body.replace(b"\n<feed", b'\n<!DOCTYPE feed [<!ENTITY w "x">]><feed')
    assert parse_fast(declaring) is None
    naming = body.replace(b"\n<feed", b'\n<!DOCTYPE rss SYSTEM "http://dtd.example/rss.dtd"><feed')
    assert parse_fast(naming) is None
    late = declaring.replace(b"\n<!DOCTYPE", b"\n<!--" + b"x" * 70000 + b"-->\n<!DOCTYPE")
    assert parse_fast(late) is None  # however far down the prolog it comes


def test_latin1_feeds_are_read_like_utf8_ones() -> None:
    document = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Café'
        "</title><item><title>Crème brûlée</title><link>https://c.example/1</link>"
        "<description>\x96 dash</description></item></channel></rss>"
    ).encode("latin-1")
    feed = agrees(document)
    assert (feed.title, feed.entries[0].title) == ("Café", "Crème brûlée")
    assert feed.entries[0].text == "– dash"


def test_still_declines_what_only_feedparser_can_read() -> None:
    unsure = [
        b'<rss version="2.0"><channel><item><title>A &nbsp; B</title></item></channel></rss>',
        rss("<item><title>T</title><link>/relative/path</link></item>"),
        rss(f"<item>{ITEM}<Title>Case</Title></item>"),
        atom('<entry><id>x</id><title type="xhtml"><div>T</div></title></entry>'),
        rss(f"<item>{ITEM}<foo xmlns='http://unknown.example/'><title>Nested</title></foo></item>"),
    ]
    for document in unsure:
        assert parse_fast(document) is None, document
        assert parse_feed(document).kind  # feedparser still reads it


def test_never_expands_entities_or_reaches_the_network() -> None:
    laughs = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>"""
    assert parse_fast(laughs) is None
    external = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""
    assert parse_fast(external) is None


# -- many small feeds built at random from the parts above -------------------------------------
_TEXTS = [
    "Plain words", "", "A &amp;amp; B", "&lt;b&gt;bold&lt;/b&gt; move", "Caf\u00c3\u00a9",
    "dash&#150;dash", "  spaced  ", "&lt;widget&gt;x&lt;/widget&gt;",
    "<![CDATA[<p>x <i>y</i></p>]]>",
]  # fmt: skip
_DATES = [
    "Tue, 17 Feb 2026 22:04:15 +0000", "Mon, 01 Jan 0001 00:00:00 +0000", "17 Feb 26 10:00 EST",
    "2026-02-17T22:04:15Z", "2026-02-17T22:04:15+0530", "garbage", "",
]  # fmt: skip
_KINDS = ["", ' type="plain"', ' type="html"', ' type="text"']


def _random_item(pick: random.Random) -> str:
    def text() -> str:
        return pick.choice(_TEXTS)

    def kind() -> str:
        return pick.choice(_KINDS)

    parts = [
        f"<title{kind()}>{text()}</title>",
        f"<description{kind()}>{text()}</description>",
        f"<content:encoded>{text()}</content:encoded>",
        f"<media:description{kind()}>{text()}</media:description>",
        f"<media:group><media:title>{text()}</media:title>"
        f"<media:description{kind()}>{text()}</media:description></media:group>",
        f"<link>{pick.choice(['https://c.example/1', '/2', 'https://c.example/3?', ''])}</link>",
        f'<guid isPermaLink="{pick.choice(["true", "false"])}">https://c.example/g</guid>',
        f'<atom:link rel="{pick.choice(["alternate", "self"])}" href="https://c.example/l"/>',
        f"<pubDate>{pick.choice(_DATES)}</pubDate>",
        f"<dc:date>{pick.choice(_DATES)}</dc:date>",
        f"<author>{pick.choice(['jo@c.org (Jo)', 'Jo', '', 'jo@c.org'])}</author>",
        f"<dc:creator>{pick.choice(['Ana', 'Bo', ''])}</dc:creator>",
        '<source url="https://s.example/">Source</source>',
        "<image>https://c.example/i.jpg</image>",
    ]
    return "<item>" + "".join(pick.choice(parts) for _ in range(pick.randint(1, 6))) + "</item>"


def _random_entry(pick: random.Random) -> str:
    def text() -> str:
        return pick.choice(_TEXTS)

    def kind() -> str:
        return pick.choice(_KINDS[0:1] + _KINDS[2:])

    parts = [
        f"<title{kind()}>{text()}</title>",
        f"<summary{kind()}>{text()}</summary>",
        f"<content{kind()}>{text()}</content>",
        f'<link href="https://c.example/{pick.randint(1, 3)}"/>',
        f'<link rel="alternate" type="{pick.choice(["text/html", "application/json"])}" '
        f'href="https://c.example/t"/>',
        f"<id>{pick.choice(['https://c.example/i', 'tag:c,2026:1', 'i/2', ''])}</id>",
        f"<published>{pick.choice(_DATES)}</published>",
        f"<updated>{pick.choice(_DATES)}</updated>",
        pick.choice(
            [
                "<author><name>Ann</name><email>a@b.org</email></author>",
                "<author><email>c@d.org</email></author>",
                "<author><name></name></author>",
            ]
        ),
        f"<media:group><media:title>{text()}</media:title>"
        f"<media:description>{text()}</media:description></media:group>",
        f"<source><title>{text()}</title><id>tag:s</id></source>",
    ]
    return "<entry>" + "".join(pick.choice(parts) for _ in range(pick.randint(1, 6))) + "</entry>"


def test_random_feeds_read_as_feedparser_reads_them() -> None:
    pick = random.Random(20260217)
    taken = 0
    for number in range(160):
        if number % 2:
            document = rss("".join(_random_item(pick) for _ in range(3)))
        else:
            document = atom("".join(_random_entry(pick) for _ in range(3)))
        url, content_type = (FEED_URL, "application/xml") if number % 4 > 1 else (None, None)
        fast = parse_fast(document, content_type=content_type, url=url)
        if fast is None:
            continue
        taken += 1
        assert fast == _parse_xml(document, url=url, content_type=content_type), document
    assert taken >= 60  # most are taken: a path that declined everything would pass the rest
