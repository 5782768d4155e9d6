"""The shared corpora go through the real ingest path: feedparser's and newsboat's test
suites from disk, and 200 real feeds from a local HTTP server."""

from __future__ import annotations

import re
from pathlib import Path

from app.config import Settings
from app.ingest.refresh import refresh_sync
from storage import Library
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401


def settings() -> Settings:
    return Settings(timeout=10.0, concurrency=16, per_host=16, max_bytes=20 << 20)


def _refresh_folder(library: Library, folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """Subscribe to every file under `folder` as a local feed and refresh them all."""
    files = [
        p for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "LICENSE" and p.suffix != ".opml"
    ]  # fmt: skip
    for path in files:
        library.add_feed(str(path))
    report = refresh_sync(library, settings())
    assert report.feeds == len(files)
    refused = [(r.url, r.error or "") for r in report.results if r.failed]
    assert report.stories_new == library.count_stories()
    return len(files), refused


def test_feedparser_suite_ingests_without_a_crash(library: Library, corpora: Path) -> None:
    total, refused = _refresh_folder(library, corpora / "feedparser-tests")
    assert total > 2000
    # The only refusals are clean "not a feed" errors (an empty document, CDF items that
    # carry nothing but a date), never a crash of the parser.
    assert all(error.startswith("not a feed: ") for _, error in refused), refused
    assert len(refused) <= total // 200
    for url, _ in refused:
        assert "/wellformed/rss/" not in url and "/wellformed/atom" not in url
    assert library.count_stories() > 500


def test_newsboat_suite_ingests_without_a_crash(library: Library, corpora: Path) -> None:
    total, refused = _refresh_folder(library, corpora / "newsboat-tests")
    assert refused == [(str(corpora / "newsboat-tests" / "empty.xml"),
                        "not a feed: the document is empty")]  # fmt: skip
    assert total == 18
    # Items without titles are kept (identified by link or hash), authors are readable.
    feed = library.find_feed(str(corpora / "newsboat-tests" / "items_without_titles.xml"))
    assert library.count_stories(feed_id=feed.id) > 0
    authors = {r.author for r in library.list_stories(limit=None) if r.author}
    assert authors and all("\x1b" not in a and a == a.strip() for a in authors)


def test_real_feeds_refresh_from_a_local_server(
    library: Library, corpora: Path, feed_server: FeedServer
) -> None:
    urls = feed_server.directory("/real", corpora / "real-feeds")
    assert len(urls) == 200
    for url in urls:
        library.add_feed(url)
    report = refresh_sync(library, settings())
    assert report.feeds_failed == 0, [(r.url, r.error) for r in report.failures]
    assert report.stories_new == library.count_stories() > 6000
    feeds = library.list_feeds()
    assert all(f.last_status == "ok" for f in feeds)
    assert sum(1 for f in feeds if f.title) >= 195  # a few real feeds have no title

    # Stored stories are searchable: each sampled title finds its own story.
    rows = library.list_stories(limit=None)
    for row in rows[:: max(1, len(rows) // 40)]:
        words = [w for w in re.findall(r"[^\W\d_]{5,}", row.title)]
        if words:
            word = max(words, key=len)
            assert library.count_stories(query=word) >= 1, (word, row.title)

    warm = refresh_sync(library, settings())
    assert warm.feeds_not_modified == 200
    assert (warm.stories_new, warm.stories_updated) == (0, 0)
