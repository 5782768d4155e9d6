"""Refresh: fetch every feed concurrently, parse off the event loop, store one feed per
transaction, and report how each feed went."""

from __future__ import annotations

import asyncio
import functools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from app.ingest.fetch import Fetcher, FetchResult, FetchSettings, read_local
from app.ingest.parse import NotAFeed, ParsedFeed, parse_feed, warm_up
from app.ingest.sources import classify
from app.workers import process_pool
from storage.library import Library
from storage.models import Entry, Feed

OnStored = Callable[[int, list[int], list[int]], None]
"""Called after a feed's stories are committed: (feed id, new story ids, updated story ids).
It runs on refresh's writer thread, the one that stores, so it may use the library."""

Progress = Callable[["FeedResult", int, int], None]
"""Called as each feed finishes: (its result, feeds done so far, feeds in this refresh)."""


@dataclass(slots=True)
class FeedResult:
    feed_id: int
    url: str
    title: str | None
    status: str  # "ok", "not modified" or "error"
    error: str | None = None
    new_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "error"

    def to_json(self) -> dict[str, Any]:
        return {
            "feed_id": self.feed_id,
            "url": self.url,
            "title": self.title,
            "status": self.status,
            "error": self.error,
            "new_ids": self.new_ids,
            "updated_ids": self.updated_ids,
            "moved_to": self.moved_to,
        }


@dataclass(slots=True)
class RefreshReport:
    results: list[FeedResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def feeds(self) -> int:
        return len(self.results)

    @property
    def feeds_ok(self) -> int:
        """Feeds fetched without trouble, including those that had not changed."""
        return sum(1 for r in self.results if not r.failed)

    @property
    def feeds_not_modified(self) -> int:
        return sum(1 for r in self.results if r.status == "not modified")

    @property
    def feeds_failed(self) -> int:
        return sum(1 for r in self.results if r.failed)

    @property
    def stories_new(self) -> int:
        return sum(len(r.new_ids) for r in self.results)

    @property
    def stories_updated(self) -> int:
        return sum(len(r.updated_ids) for r in self.results)

    @property
    def nothing_fetched(self) -> bool:
        """True when there were feeds and every one of them failed."""
        return bool(self.results) and self.feeds_failed == self.feeds

    @property
    def failures(self) -> list[FeedResult]:
        return [r for r in self.results if r.failed]

    def summary(self) -> str:
        """One line, e.g. "12 feeds: 11 ok, 1 failed; 240 new, 3 updated stories"."""
        unchanged = self.feeds_not_modified
        ok = f"{self.feeds_ok} ok" + (f" ({unchanged} not modified)" if unchanged else "")
        noun = "feed" if self.feeds == 1 else "feeds"
        return (
            f"{self.feeds} {noun}: {ok}, {self.feeds_failed} failed; "
            f"{self.stories_new} new, {self.stories_updated} updated stories"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "feeds": self.feeds,
            "ok": self.feeds_ok,
            "not_modified": self.feeds_not_modified,
            "failed": self.feeds_failed,
            "new": self.stories_new,
            "updated": self.stories_updated,
            "seconds": round(self.seconds, 3),
            "results": [r.to_json() for r in self.results],
        }


def _select_feeds(library: Library, feeds: Iterable[Feed | int | str] | None) -> list[Feed]:
    if feeds is None:
        return library.list_feeds()
    chosen: dict[int, Feed] = {}
    for item in feeds:
        feed = item if isinstance(item, Feed) else library.find_feed(item)
        chosen.setdefault(feed.id, feed)
    return list(chosen.values())


async def refresh(
    library: Library,
    settings: FetchSettings,
    feeds: Iterable[Feed | int | str] | None = None,
    progress: Progress | None = None,
    on_stored: OnStored | None = None,
) -> RefreshReport:
    """Refresh `feeds` (Feed records, ids or URLs; default all). Per-feed trouble is reported
    in the result, never raised; a library that cannot be written raises."""
    started = time.perf_counter()
    chosen = _select_feeds(library, feeds)
    report = RefreshReport()
    if not chosen:
        return report
    parsers = _Parsers(len(chosen))
    # One writer thread: SQLite has one writer, and a big feed's transaction (FTS indexing)
    # must not pause the event loop, which keeps fetching meanwhile.
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="byline-store")
    loop = asyncio.get_running_loop()
    async with Fetcher(settings) as fetcher:
        tasks = [
            asyncio.create_task(_fetch_and_parse(fetcher, settings, f, parsers)) for f in chosen
        ]
        try:
            for done, next_task in enumerate(asyncio.as_completed(tasks), start=1):
                feed, fetched, parsed, parse_error = await next_task
                store = functools.partial(
                    _store, library, feed, fetched, parsed, parse_error, on_stored
                )
                result = await loop.run_in_executor(writer, store)
                report.results.append(result)
                if progress is not None:
                    progress(result, done, len(chosen))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            writer.shutdown(wait=True)
            parsers.close()
    order = {f.id: i for i, f in enumerate(chosen)}
    report.results.sort(key=lambda r: order[r.feed_id])
    report.seconds = time.perf_counter() - started
    return report


def refresh_sync(
    library: Library,
    settings: FetchSettings,
    feeds: Iterable[Feed | int | str] | None = None,
    progress: Progress | None = None,
    on_stored: OnStored | None = None,
) -> RefreshReport:
    """`refresh` for code that is not async (the CLI, a thread worker)."""
    return asyncio.run(refresh(library, settings, feeds, progress, on_stored))


POOL_MIN_FEEDS = 8
"""From this many feeds on, parsing runs in worker processes (below, starting them costs
more than it saves)."""

BIG_BODY = 1 << 20
"""A body this large is parsed in a worker process whatever the feed count: cleaning it
runs long C calls (lxml, regexes) that would hold the GIL and pause the event loop."""


class _Parsers:
    """Where parsing and cleaning run: worker processes (started on first need) or a thread.

    Parsing is pure Python (feedparser, the HTML cleaner). In threads it holds the GIL, which
    both serialises it and stalls the event loop and the SQLite writes behind it; in
    processes it runs on every core (bench/refresh.py --parse: cold refresh of 200 real
    feeds)."""

    def __init__(self, feeds: int) -> None:
        self.cpus = os.cpu_count() or 1
        self.many = feeds >= POOL_MIN_FEEDS and self.cpus >= 2
        self.workers = max(1, min(self.cpus, 8))
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False

    def _executor(self, size: int) -> ProcessPoolExecutor | None:
        if self.broken or not (self.many or size >= BIG_BODY):
            return None
        if self.pool is None:
            self.pool = process_pool(self.workers)  # the workers import only the parser
            # Start every worker now, with the first feed to parse: started one per parse,
            # the second came up a few hundred milliseconds later. Not before the first
            # body arrives: a refresh where every feed answers 304 needs none.
            for _ in range(self.workers - 1 if self.many else 0):
                self.pool.submit(warm_up)
        return self.pool

    async def parse(self, body: bytes, url: str | None, kind: str | None) -> ParsedFeed:
        call = functools.partial(parse_feed, body, url=url, content_type=kind)
        try:
            # Making the pool and submitting start multiprocessing's helpers and workers: that
            # fails at once where processes cannot start (see app/workers.py), and the feed
            # is parsed in a thread instead.
            pool = self._executor(len(body))
            future = (
                None if pool is None else asyncio.get_running_loop().run_in_executor(pool, call)
            )
        except (OSError, ValueError, BrokenProcessPool):
            self.broken = True
            future = None
        if future is not None:
            try:
                return await future
            except BrokenProcessPool:
                # A worker died (killed, out of memory): parse here from now on.
                self.broken = True
        return await asyncio.to_thread(call)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


async def _fetch_and_parse(
    fetcher: Fetcher, settings: FetchSettings, feed: Feed, parsers: _Parsers
) -> tuple[Feed, FetchResult, ParsedFeed | None, str | None]:
    source = classify(feed.url)
    if source.is_file:
        fetched = await asyncio.to_thread(
            read_local, source.location, etag=feed.etag, max_bytes=settings.max_bytes
        )
    else:
        fetched = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.status != "ok":
        return feed, fetched, None, None
    try:
        # Parsing and cleaning are CPU work: keep them off the event loop.
        parsed = await parsers.parse(fetched.body, fetched.final_url, fetched.content_type)
    except NotAFeed as exc:
        return feed, fetched, None, str(exc)
    except Exception as exc:  # a parser bug on one feed must not end the whole refresh
        return feed, fetched, None, f"could not parse the feed ({type(exc).__name__}: {exc})"
    finally:
        fetched.body = b""  # the parsed entries are all we keep
    return feed, fetched, parsed, None


def _unique(entries: list[Entry]) -> list[Entry]:
    """The first entry of each uid: a feed repeating an item must not count it twice."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.uid not in seen:
            seen.add(entry.uid)
            kept.append(entry)
    return kept


def _keep_identity(library: Library, feed_id: int, entries: list[Entry]) -> list[Entry]:
    """Some feeds give every item a new guid on every fetch, which would store each story
    again at each refresh. An entry with an unknown guid keeps the identity of the one stored
    story with the same link and title, when that story's guid is not in this fetch."""
    links = Counter(e.url for e in entries if e.url)
    single = [url for url, n in links.items() if n == 1]
    stored = library.stories_by_link(feed_id, single) if single else {}
    if not stored:
        return entries
    fetched = {e.uid for e in entries}
    for entry in entries:
        link = entry.url or ""
        known = stored.get(link, [])
        if not known or links[link] != 1 or any(uid == entry.uid for uid, _ in known):
            continue
        same = [uid for uid, title in known if title == entry.title and uid not in fetched]
        if len(same) == 1:
            entry.uid = same[0]
            fetched.add(same[0])
    return entries


def _store(
    library: Library,
    feed: Feed,
    fetched: FetchResult,
    parsed: ParsedFeed | None,
    parse_error: str | None,
    on_stored: OnStored | None,
) -> FeedResult:
    result = FeedResult(feed.id, feed.url, feed.title, fetched.status, moved_to=fetched.moved_to)
    if fetched.status == "not modified":
        library.update_feed_fetch(
            feed.id, status="not modified", keep_validators=True, new_url=fetched.moved_to
        )
        return result
    if fetched.status != "ok" or parsed is None:
        result.status = "error"
        result.error = fetched.error or parse_error or "unknown error"
        result.moved_to = None
        library.update_feed_fetch(feed.id, status="error", error=result.error, keep_validators=True)
        return result
    with library.transaction():
        entries = _keep_identity(library, feed.id, _unique(parsed.entries))
        stored = library.upsert_entries(feed.id, entries)
        library.update_feed_fetch(
            feed.id,
            status="ok",
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            title=parsed.title or None,
            site_url=parsed.site_url,
            new_url=fetched.moved_to,
        )
    result.title = feed.title or parsed.title or None
    result.new_ids = stored.new
    result.updated_ids = stored.updated
    if on_stored is not None and (stored.new or stored.updated):
        try:
            on_stored(feed.id, stored.new, stored.updated)
        except Exception as exc:  # the stories are stored; say what went wrong after
            result.error = f"stored, but the after-store hook failed: {exc}"
    return result
