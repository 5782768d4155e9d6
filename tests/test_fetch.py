"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from pathlib import Path

import pytest

from app.config import Settings
from app.ingest.fetch import Fetcher, FetchResult, file_validator, human_size, read_local
from tests.support.feedserver import FeedServer, Reply, Seen, feed_server_fixture  # noqa: F401

FEED = b"<rss version='2.0'><channel><title>T</title><item><guid>1</guid><title>A</title>" \
       b"</item></channel></rss>"  # fmt: skip


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {"timeout": 0.5, "concurrency": 8, "per_host": 4}
    base["max_bytes"] = 1 << 20
    base.update(overrides)
    return Settings(**base)  # type: ignore[arg-type]


async def fetch(url: str, s: Settings | None = None, **validators: str | None) -> FetchResult:
    async with Fetcher(s or settings()) as fetcher:
        return await fetcher.fetch(url, **validators)


async def test_etag_gives_a_304_and_keeps_the_validator(feed_server: FeedServer) -> None:
    url = feed_server.feed("/etag", FEED, last_modified=False)
    first = await fetch(url)
    assert first.status == "ok" and first.body == FEED and first.etag
    second = await fetch(url, etag=first.etag)
    assert second.status == "not modified"
    assert second.body == b""
    assert second.etag == first.etag
    sent = feed_server.requests_to("/etag")
    assert sent[1].headers["if-none-match"] == first.etag
    assert [s.status for s in sent] == [200, 304]


async def test_last_modified_gives_a_304(feed_server: FeedServer) -> None:
    url = feed_server.feed("/lm", FEED, etag=False)
    first = await fetch(url)
    assert first.etag is None and first.last_modified
    second = await fetch(url, last_modified=first.last_modified)
    assert second.status == "not modified"
    sent = feed_server.requests_to("/lm")
    assert sent[1].headers["if-modified-since"] == first.last_modified
    assert sent[1].status == 304


async def test_permanent_redirect_reports_the_new_url(feed_server: FeedServer) -> None:
    target = feed_server.feed("/new", FEED)
    for code in (301, 308):
        old = feed_server.redirect(f"/old{code}", "/new", code)
        result = await fetch(old)
        assert result.status == "ok" and result.body == FEED
        assert result.moved_to == target
        assert result.final_url == target


async def test_temporary_redirect_keeps_the_url(feed_server: FeedServer) -> None:
    feed_server.feed("/there", FEED)
    for code in (302, 307):
        result = await fetch(feed_server.redirect(f"/temp{code}", "/there", code))
        assert result.status == "ok"
        assert result.moved_to is None


async def test_a_temporary_hop_in_a_chain_keeps_the_url(feed_server: FeedServer) -> None:
    feed_server.feed("/end", FEED)
    feed_server.redirect("/mid", "/end", 302)
    result = await fetch(feed_server.redirect("/start", "/mid", 301))
    assert result.status == "ok" and result.moved_to is None


async def test_redirect_loop(feed_server: FeedServer) -> None:
    feed_server.redirect("/a", "/b", 302)
    result = await fetch(feed_server.redirect("/b", "/a", 302))
    assert result.status == "error"
    assert result.error == "redirect loop"


async def test_http_errors_are_readable(feed_server: FeedServer) -> None:
    result = await fetch(feed_server.url("/missing"))
    assert (result.status, result.error, result.http_status) == (
        "error",
        "HTTP 404 Not Found",
        404,
    )
    assert len(feed_server.requests_to("/missing")) == 1  # a 4xx is not retried


async def test_a_server_error_is_retried_once(feed_server: FeedServer) -> None:
    url = feed_server.flaky("/flaky", FEED, failures=1)
    result = await fetch(url)
    assert result.status == "ok" and result.body == FEED
    assert [s.status for s in feed_server.requests_to("/flaky")] == [500, 200]


async def test_a_server_error_twice_fails(feed_server: FeedServer) -> None:
    url = feed_server.flaky("/down", FEED, failures=5, code=503)
    result = await fetch(url)
    assert result.error == "HTTP 503 Service Unavailable"
    assert len(feed_server.requests_to("/down")) == 2


async def test_a_stalled_body_times_out_after_one_retry(feed_server: FeedServer) -> None:
    url = feed_server.slow("/slow", FEED, seconds=1.5)
    result = await fetch(url, settings(timeout=0.2))
    assert result.status == "error"
    assert result.error == "timed out after 0.2 s"
    assert len(feed_server.requests_to("/slow")) == 2


async def test_gzip_and_deflate_bodies_are_decoded(feed_server: FeedServer) -> None:
    url = feed_server.feed("/gz", FEED, gzipped=True)
    result = await fetch(url)
    assert result.body == FEED
    assert "gzip" in feed_server.requests_to("/gz")[0].headers["accept-encoding"]
    for name, body in (
        ("zlib", zlib.compress(FEED)),
        ("raw", zlib.compress(FEED)[2:-4]),  # deflate without the zlib wrapper
    ):
        feed_server.plain(f"/{name}", Reply(200, body, {"Content-Encoding": "deflate"}))
        assert (await fetch(feed_server.url(f"/{name}"))).body == FEED


async def test_an_oversize_body_is_refused(feed_server: FeedServer) -> None:
    url = feed_server.plain("/big", Reply(200, b"x" * 10_000))
    result = await fetch(url, settings(max_bytes=4096))
    assert result.status == "error"
    assert result.error == "larger than 4 KB"


async def test_a_gzip_bomb_stops_at_the_cap(feed_server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (16 << 20), compresslevel=9)  # 16 MB in ~16 KB
    url = feed_server.plain("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    result = await fetch(url, settings(max_bytes=1 << 20))
    assert result.error == "larger than 1 MB"


async def test_connection_refused(feed_server: FeedServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await fetch(f"http://127.0.0.1:{port}/feed")
    assert (result.status, result.error) == ("error", "connection refused")


async def test_requests_to_one_host_are_bounded(feed_server: FeedServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def slow_feed(seen: Seen) -> Reply:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1
        return Reply(200, FEED)

    for i in range(8):
        feed_server.route(f"/c{i}", slow_feed)
    import asyncio

    async with Fetcher(settings(per_host=2, concurrency=8)) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(feed_server.url(f"/c{i}")) for i in range(8))
        )
    assert all(r.ok for r in results)
    assert state["most"] == 2


async def test_user_agent_is_sent(feed_server: FeedServer) -> None:
    url = feed_server.feed("/ua", FEED)
    await fetch(url, settings(user_agent="Byline-test/1"))
    assert feed_server.requests_to("/ua")[0].headers["user-agent"] == "Byline-test/1"


def test_local_files_have_a_validator_that_changes(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    first = read_local(str(path), etag=None, max_bytes=1 << 20)
    assert first.status == "ok" and first.body == FEED
    assert read_local(str(path), etag=first.etag, max_bytes=1 << 20).status == "not modified"
    path.write_bytes(FEED + b"\n<!-- more -->")
    assert file_validator(path) != first.etag
    assert read_local(str(path), etag=first.etag, max_bytes=1 << 20).status == "ok"
    assert read_local(str(path), etag=None, max_bytes=10).error == "larger than 10 bytes"
    missing = read_local(str(tmp_path / "gone.xml"), etag=None, max_bytes=100)
    assert missing.error == f"no such file: {tmp_path / 'gone.xml'}"


@pytest.mark.parametrize(
    ("size", "text"),
    [(20 * 1024 * 1024, "20 MB"), (1536, "1.5 KB"), (999, "999 bytes"), (1 << 30, "1 GB")],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


async def test_a_malformed_stored_url_is_an_error_not_a_crash() -> None:
    result = await fetch("http://[::1/feed")
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("not a valid URL")
