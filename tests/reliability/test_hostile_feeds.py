"""Hostile feeds through the real ingest path: a local HTTP server, `refresh`, a library file.

Every case refreshes the hostile feed beside a well-behaved witness feed whose story carries
the user's tags, highlight, notes and marks. Each case checks: no exception, the hostile
feed gets a clear per-feed status, the witness is intact, and the refresh ran in a thread
(as the reader runs it) while the event loop beside it kept ticking.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.analysis.fulltext import fetch_full_text_sync
from app.config import Settings
from app.ingest.refresh import RefreshReport, refresh_sync
from storage import Library
from tests.reliability.conftest import Witness, hostile_settings
from tests.support.feedserver import FeedServer, Reply, Seen

UNSAFE = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0)]}
UNSAFE |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
UNSAFE |= set("\u200b\u200c\u200d\u2060\ufeff")


def rss(items: str, title: str = "Hostile") -> str:
    return f"<rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>"


def item(guid: str, title: str, body: str = "Body.", link: str | None = None) -> str:
    link = link if link is not None else f"https://hostile.example/{guid}"
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>{body}</description></item>"
    )


@dataclass
class Run:
    report: RefreshReport
    longest_pause: float  # the longest the event loop beside the refresh went without a tick

    def result(self, url: str):  # type: ignore[no-untyped-def]
        (found,) = [r for r in self.report.results if r.url == url]
        return found


async def refresh_beside_a_loop(library: Library, settings: Settings) -> Run:
    """Refresh in a worker thread, as the reader does, while this loop keeps a heartbeat."""
    job = asyncio.ensure_future(asyncio.to_thread(refresh_sync, library, settings))
    longest = 0.0
    last = time.perf_counter()
    while not job.done():
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    return Run(await job, longest)


def stored_fields(library: Library, feed_id: int) -> list[str]:
    """Every string a feed put in the library: feed title, story titles, bodies, links."""
    out = [library.get_feed(feed_id).title or ""]
    for row in library.list_stories(feed_id=feed_id, limit=None):
        story = library.get_story(row.id)
        out += [story.title, story.text, story.summary, story.author or "", story.url or ""]
    return out


def assert_clean(values: list[str]) -> None:
    for value in values:
        bad = sorted({hex(ord(c)) for c in value if c in UNSAFE})
        assert not bad, (bad, value[:200])
        value.encode("utf-8")  # no lone surrogates reach the library


# -- markup and control sequences ----------------------------------------------------------
MARKUP = "[bold]x[/] [0] [@click=app.quit]quit[/] [link=file:///etc/passwd]y[/link]"


async def test_markup_is_stored_literally(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    body = f"&lt;p&gt;{MARKUP}&lt;/p&gt;&lt;p&gt;[/]&lt;/p&gt;"
    url = feed_server.feed("/markup", rss(item("m1", MARKUP, body), title=MARKUP))
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert run.result(url).status == "ok"
    (row,) = library.list_stories(feed_id=feed.id)
    story = library.get_story(row.id)
    assert story.title == MARKUP
    assert story.text == f"{MARKUP}\n\n[/]"
    assert library.get_feed(feed.id).title == MARKUP

    # What the reader draws is the same characters, never interpreted as markup.
    from widgets.safe import plain

    assert plain(story.title).plain == MARKUP
    assert not plain(story.title).spans
    witness.check()


ESCAPES = (
    "\x1b[2J\x1b[H"  # clear the screen, cursor home
    "\x1b]0;owned\x07"  # set the window title
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"  # a hyperlink
    "\x1b[31mred\x1b[0m"
    "\x9b1;1H"  # CSI as one C1 byte
    "\x1bP+q544e\x1b\\"  # DCS: ask the terminal something
    "\x07\x08\x7f"
)
BIDI = "\u202eevil\u202c \u2066isolated\u2069 zero\u200bwidth\u200d\u2060\ufeff joined"


@pytest.mark.parametrize("kind", ["json", "rss"])
async def test_escape_sequences_bidi_and_zero_width_are_stripped(
    library: Library, feed_server: FeedServer, witness: Witness, kind: str
) -> None:
    text = f"Title {ESCAPES} {BIDI}"
    if kind == "json":
        # JSON can carry every control character as-is.
        doc = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": text,
            "items": [
                {
                    "id": "e1",
                    "title": text,
                    "content_text": f"Para one {ESCAPES}\n\nPara two {BIDI}",
                    "url": f"https://hostile.example/{ESCAPES}",
                    "authors": [{"name": f"Ann {ESCAPES}"}],
                }
            ],
        }
        url = feed_server.feed("/escapes.json", json.dumps(doc))
    else:
        # XML 1.0 forbids most controls; a hostile server sends them raw anyway.
        url = feed_server.feed(
            "/escapes.xml",
            rss(item("e1", text, f"Para {ESCAPES} {BIDI}") + f"<author>{ESCAPES}</author>"),
        )
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    result = run.result(url)
    assert result.status == "ok", result.error
    (row,) = library.list_stories(feed_id=feed.id)
    story = library.get_story(row.id)
    assert "owned" not in story.title and "evil.example" not in story.title
    assert "red" in story.title and "evil" in story.title and "zerowidth" in story.title
    assert_clean(stored_fields(library, feed.id))
    witness.check()


# -- size ----------------------------------------------------------------------------------
async def test_a_10_mb_single_line_is_stored_whole(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    line = "word " * (2 << 20)  # 10 MB, no newline; in HTML so the cleaner walks it
    url = feed_server.feed("/long-line", rss(item("long", "Long", f"&lt;p&gt;{line}&lt;/p&gt;")))
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings(max_bytes=16 << 20))
    assert run.result(url).status == "ok"
    (row,) = library.list_stories(feed_id=feed.id)
    assert library.get_story(row.id).text == line.strip()
    assert run.longest_pause < 1.0
    witness.check()


async def test_a_body_past_the_byte_cap_is_refused(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    big = rss(item("big", "Big", "x" * (2 << 20)))
    url = feed_server.feed("/big", big)
    chunked = feed_server.plain(  # no Content-Length to refuse on: the count stops it
        "/big-gz", Reply(200, gzip.compress(big.encode()), {"Content-Encoding": "gzip"})
    )
    library.add_feed(url)
    library.add_feed(chunked)
    run = await refresh_beside_a_loop(library, hostile_settings())
    for target in (url, chunked):
        result = run.result(target)
        assert (result.status, result.error) == ("error", "larger than 1 MB")
    assert library.find_feed(url).last_error == "larger than 1 MB"
    witness.check()


async def test_a_gzip_bomb_stops_at_the_cap(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    head = b"<rss version='2.0'><channel><title>Bomb</title><item><title>"
    bomb = gzip.compress(head + b"A" * (48 << 20), compresslevel=9)  # 48 MB in ~50 KB
    assert len(bomb) < 1 << 20
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
    url = feed_server.plain("/bomb", Reply(200, bomb, headers))
    library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert (run.result(url).status, run.result(url).error) == ("error", "larger than 1 MB")
    witness.check()


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "lollollollollollollollollollol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
<!ENTITY big "QUADRATIC_BLOWUP">
]>
<rss version="2.0"><channel><title>Laughs &i;</title>
<item><guid>l1</guid><title>&i;</title><description>&i;&i;&i;</description></item>
<item><guid>l2</guid><title>Quadratic</title><description>BIG_REFS</description></item>
<item><guid>l3</guid><title>Plain item</title><description>Fine.</description></item>
</channel></rss>"""


async def test_entity_expansion_is_not_performed(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    doc = LAUGHS.replace("QUADRATIC_BLOWUP", "x" * 50_000).replace("BIG_REFS", "&big;" * 50_000)
    url = feed_server.feed("/laughs", doc)  # fully expanded: ~3 GB of "lol" and 2.5 GB of x
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert run.result(url).status == "ok"
    stories = {r.title: library.get_story(r.id) for r in library.list_stories(feed_id=feed.id)}
    assert "Plain item" in stories and stories["Plain item"].text == "Fine."
    stored = sum(len(s) for s in stored_fields(library, feed.id))
    assert stored < 1 << 20  # nothing was expanded
    witness.check()


# -- the network misbehaving ---------------------------------------------------------------
async def test_a_redirect_loop_and_an_endless_chain_are_per_feed_errors(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    loop = feed_server.redirect("/loop-a", "/loop-b")
    feed_server.redirect("/loop-b", "/loop-a", code=302)
    hops = {"n": 0}

    def endless(seen: Seen) -> Reply:
        hops["n"] += 1
        return Reply(302, b"", {"Location": feed_server.url(f"/chain?hop={hops['n']}")})

    chain = feed_server.route("/chain", endless)
    library.add_feed(loop)
    library.add_feed(chain)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert run.result(loop).error == "redirect loop"
    assert run.result(chain).error == "too many redirects (more than 10)"
    assert len(feed_server.requests_to("/chain")) <= 2 * 11  # gave up, with one retry at most
    witness.check()


async def test_a_server_that_trickles_bytes_times_out(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    # Each byte arrives well within the read timeout; only the whole fetch's limit stops it.
    url = feed_server.trickle("/trickle", rss(item("t", "Trickle") * 200), seconds_per_byte=0.05)
    library.add_feed(url)
    started = time.perf_counter()
    run = await refresh_beside_a_loop(library, hostile_settings(timeout=0.3))
    result = run.result(url)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("timed out after")
    assert time.perf_counter() - started < 30  # bounded, not the ~10 minutes of trickle
    assert run.longest_pause < 1.0
    witness.check()


LATIN1_JSON = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1",
        "title": "J",
        "items": [{"id": "1", "title": "Caf\xe9", "content_text": "x"}],
    },
    ensure_ascii=False,
)
ENCODINGS = {
    # The header says UTF-8; the bytes are Latin-1.
    "/lying-header": (
        "text/xml; charset=utf-8",
        rss(item("1", "Caf\xe9 cr\xe8me", "Na\xefve r\xe9sum\xe9")).encode("latin-1"),
    ),
    # The declaration says UTF-16; the bytes are UTF-8.
    "/lying-declaration": (
        "application/rss+xml",
        ('<?xml version="1.0" encoding="utf-16"?>' + rss(item("1", "Zo\u00eb"))).encode(),
    ),
    # An encoding that does not exist.
    "/bogus-encoding": (
        "application/rss+xml; charset=x-no-such-thing",
        ('<?xml version="1.0" encoding="x-bogus"?>' + rss(item("1", "Bogus"))).encode(),
    ),
    # Invalid UTF-8 in the middle of a title and a body.
    "/invalid-bytes": (
        "application/rss+xml; charset=utf-8",
        rss(item("1", "Bad \xff\xfe bytes", "Body \xc3\x28 \xed\xa0\x80 end")).encode("latin-1"),
    ),
    # UTF-16 without a BOM, labelled UTF-8.
    "/utf16-as-utf8": (
        "application/rss+xml; charset=utf-8",
        rss(item("1", "Sixteen")).encode("utf-16-le"),
    ),
    # A JSON Feed that is not UTF-8.
    "/latin1.json": ("application/feed+json", LATIN1_JSON.encode("latin-1")),
}


async def test_invalid_and_lying_encodings(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    urls = {
        path: feed_server.plain(path, Reply(200, body, {"Content-Type": kind}))
        for path, (kind, body) in ENCODINGS.items()
    }
    for url in urls.values():
        library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    outcomes = {}
    for path, url in urls.items():
        result = run.result(url)
        # Either the stories are stored, or the feed says clearly why not.
        assert result.status == "ok" or (result.error or "").startswith("not a feed"), result
        feed_id = library.find_feed(url).id
        assert_clean(stored_fields(library, feed_id))
        outcomes[path] = (result.status, library.count_stories(feed_id=feed_id))
    # Where the bytes are readable, the story is there with its words.
    assert outcomes["/lying-header"] == ("ok", 1)
    assert outcomes["/lying-declaration"] == ("ok", 1)
    assert outcomes["/invalid-bytes"] == ("ok", 1)
    latin = library.list_stories(feed_id=library.find_feed(urls["/lying-header"]).id)[0]
    assert "cr" in latin.title and "Caf" in latin.title
    witness.check()


# -- volume and identity -------------------------------------------------------------------
async def many_items(library: Library, feed_server: FeedServer, n: int) -> None:
    items = "".join(item(f"n{i}", f"Story number {i}", f"Body {i}.") for i in range(n))
    # No validators: the second fetch is a full download and a full comparison.
    url = feed_server.feed("/many", rss(items), etag=False, last_modified=False)
    feed = library.add_feed(url)
    settings = hostile_settings(max_bytes=4 << 20)
    first = await refresh_beside_a_loop(library, settings)
    assert len(first.result(url).new_ids) == n
    second = await refresh_beside_a_loop(library, settings)
    assert (second.result(url).new_ids, second.result(url).updated_ids) == ([], [])
    assert library.count_stories(feed_id=feed.id) == n
    assert first.longest_pause < 1.0 and second.longest_pause < 1.0


async def test_thousands_of_items_in_one_feed(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    await many_items(library, feed_server, 3_000)
    witness.check()


@pytest.mark.slow
async def test_ten_thousand_items_in_one_feed(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    await many_items(library, feed_server, 10_000)
    witness.check()


async def test_javascript_and_file_links_are_never_opened_or_fetched(
    library: Library, feed_server: FeedServer, witness: Witness, tmp_path
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<html><body><p>" + "secret words " * 200 + "</p></body></html>")
    links = [
        "javascript:alert(1)",
        "JaVaScRiPt:fetch('//evil')",
        f"file://{secret}",
        f"FILE:{secret}",
        f"file://localhost{secret}",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        " javascript:alert(2)",
    ]
    items = "".join(
        item(f"j{i}", f"Link {i}", "Short.", link=link.replace("&", "&amp;").replace("<", "&lt;"))
        for i, link in enumerate(links)
    )
    url = feed_server.feed("/links", rss(items))
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert run.result(url).status == "ok"
    rows = library.list_stories(feed_id=feed.id, limit=None)
    assert len(rows) == len(links)
    assert all(r.url is None for r in rows), [r.url for r in rows]

    requests_before = len(feed_server.log)
    ids = [r.id for r in rows]
    settings = Settings(full_text=True)
    results = await asyncio.to_thread(fetch_full_text_sync, library, ids, settings, force=True)
    assert {r.outcome for r in results} == {"skipped"}
    assert len(feed_server.log) == requests_before
    assert all("secret" not in library.get_story(r.id).text for r in rows)
    witness.check()


async def test_lone_surrogates_in_a_json_feed_are_dropped(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    # JSON escapes can name half of a UTF-16 pair; SQLite cannot store one (found by the
    # property tests: it failed the whole refresh).
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Half \\ud800 pair",'
        ' "items": [{"id": "s\\udfff1", "title": "Broken \\ud83d here",'
        ' "content_text": "Whole \\ud83d\\ude00 pair, broken \\udc00 one.",'
        ' "authors": [{"name": "Ann \\ud800"}]}]}'
    )
    url = feed_server.feed("/surrogates.json", body)
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert run.result(url).status == "ok", run.result(url).error
    (row,) = library.list_stories(feed_id=feed.id)
    story = library.get_story(row.id)
    assert (story.title, story.text, story.author) == (
        "Broken here",
        "Whole \U0001f600 pair, broken one.",
        "Ann",
    )
    assert_clean(stored_fields(library, feed.id))
    witness.check()


async def test_a_feed_that_changes_every_guid_does_not_pile_up(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    fetches = {"n": 0}

    def rotating(seen: Seen) -> Reply:
        fetches["n"] += 1
        n = fetches["n"]
        items = "".join(
            item(f"rot-{n}-{i}", f"Story {i}", f"Body {i}.", link=f"https://rot.example/{i}")
            for i in range(5)
        )
        return Reply(200, rss(items).encode(), {"Content-Type": "application/rss+xml"})

    url = feed_server.route("/rotating", rotating)
    feed = library.add_feed(url)
    run = await refresh_beside_a_loop(library, hostile_settings())
    assert len(run.result(url).new_ids) == 5
    (first,) = [r for r in library.list_stories(feed_id=feed.id) if r.title == "Story 0"]
    library.set_saved(first.id)
    library.tag_story(first.id, "rotating")
    for _ in range(3):
        again = await refresh_beside_a_loop(library, hostile_settings())
        assert again.result(url).status == "ok"
        assert again.result(url).new_ids == []
    # The same links and titles under new guids are the same stories, marks and all.
    assert library.count_stories(feed_id=feed.id) == 5
    story = library.get_story(first.id)
    assert story.saved and [t.name for t in story.tags] == ["rotating"]
    witness.check()


async def test_a_new_item_at_an_old_link_is_still_a_new_story(
    library: Library, feed_server: FeedServer
) -> None:
    # A daily digest at one address: new guid, new title, same link. Not a rotating guid.
    fetches = {"n": 0}

    def digest(seen: Seen) -> Reply:
        fetches["n"] += 1
        body = rss(item(f"day-{fetches['n']}", f"Digest {fetches['n']}", link="https://d.example"))
        return Reply(200, body.encode(), {"Content-Type": "application/rss+xml"})

    feed = library.add_feed(feed_server.route("/digest", digest))
    for _ in range(3):
        await refresh_beside_a_loop(library, hostile_settings())
    titles = sorted(r.title for r in library.list_stories(feed_id=feed.id))
    assert titles == ["Digest 1", "Digest 2", "Digest 3"]


def test_the_cli_reports_each_hostile_failure_on_one_clean_line(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    from tests.reliability.test_crash import BYLINE, byline_env

    evil = f"Evil {ESCAPES} {BIDI} [bold]title[/]"
    flips = {"n": 0}

    def good_then_bomb(seen: Seen) -> Reply:
        flips["n"] += 1
        if flips["n"] == 1:  # first a feed with a hostile title, then a gzip bomb
            return Reply(200, rss(item("g", "fine"), title=evil).encode(), {})
        bomb = gzip.compress(b"<rss>" + b" " * (8 << 20))
        return Reply(200, bomb, {"Content-Encoding": "gzip"})

    urls = [
        feed_server.route("/evil-then-bomb", good_then_bomb),
        feed_server.redirect("/loop-1", "/loop-1"),
        feed_server.plain(
            "/html", Reply(200, b"<html><body>" + ESCAPES.encode() + b"</body></html>")
        ),
        feed_server.trickle("/slow", rss(item("s", "slow") * 50), seconds_per_byte=0.05),
        feed_server.feed("/ok", rss(item("ok", "Fine story"))),
    ]
    db = tmp_path / "library.db"
    env = {**byline_env(tmp_path), "BYLINE_TIMEOUT": "0.3", "BYLINE_MAX_BYTES": str(1 << 20)}
    for url in urls:
        assert (
            subprocess.run([BYLINE, "--db", str(db), "add", url], env=env, check=False).returncode
            == 0
        )
    first = subprocess.run(
        [BYLINE, "--db", str(db), "refresh"], env=env, capture_output=True, text=True, check=False
    )
    second = subprocess.run(
        [BYLINE, "--db", str(db), "refresh"], env=env, capture_output=True, text=True, check=False
    )
    for done in (first, second):
        assert done.returncode == 0  # some feeds worked
        assert "Traceback" not in done.stderr
        assert_clean([done.stdout, done.stderr.replace("\n", " ")])
        assert all(line.startswith("byline: ") for line in done.stderr.splitlines())
    errors = second.stderr.splitlines()
    assert len(errors) == 4, errors
    joined = "\n".join(errors)
    for expected in ("larger than 1 MB", "redirect loop", "not a feed: the page is HTML",
                     "timed out after"):  # fmt: skip
        assert expected in joined
    assert "Evil" in joined and "[bold]title[/]" in joined  # the feed's name, made safe
    assert second.stdout.startswith("5 feeds: 1 ok")


async def test_the_reader_stays_responsive_while_refreshing_hostile_feeds(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    from app.tui import BylineApp
    from storage import open_library
    from tests.reliability.conftest import witness_rss
    from tests.tui.conftest import settle
    from widgets.story_list import StoryList

    db = tmp_path / "library.db"
    library = open_library(db)
    library.add_feed(feed_server.feed("/witness", witness_rss(items=20)))
    settings = hostile_settings(db=db, timeout=0.3, max_bytes=4 << 20)
    await asyncio.to_thread(refresh_sync, library, settings)
    hostile = [
        feed_server.feed("/markup", rss(item("m", MARKUP, f"Body {ESCAPES}"), title=MARKUP)),
        feed_server.trickle("/slow", rss(item("s", "slow") * 50), seconds_per_byte=0.05),
        feed_server.redirect("/loop", "/loop"),
        feed_server.feed("/long", rss(item("l", "Long", "&lt;p&gt;" + "word " * 400_000))),
    ]
    for url in hostile:
        library.add_feed(url)

    app = BylineApp(library, settings)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        story_list = screen.query_one(StoryList)
        story_list.focus()
        start = story_list.cursor
        await pilot.press("R")
        await pilot.pause(0.2)
        assert screen.refreshing
        await pilot.press("j", "j", "j")
        await pilot.pause()
        # Keys were handled while the refresh (held up by the trickling feed) went on.
        assert screen.refreshing and story_list.cursor == start + 3
        while screen.refreshing:
            await pilot.pause(0.1)
        await settle(pilot)
        assert screen.last_refresh.endswith("2 failed")
        titles = {story_list.row_at(i).title for i in range(story_list.count)}  # type: ignore[union-attr]
        assert MARKUP in titles and "Long" in titles
        assert app.is_running
    feeds = {f.url: f for f in library.list_feeds()}
    assert feeds[hostile[1]].last_error.startswith("timed out")  # type: ignore[union-attr]
    assert feeds[hostile[2]].last_error == "redirect loop"
    library.close()
