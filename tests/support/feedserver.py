"""A real HTTP server on 127.0.0.1 for fetch and refresh tests (and the refresh bench).

Routes are registered per path; every request is logged with its headers and the status it
got, so tests can assert what a client really sent (conditional headers, retries).
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall_after: int | None = None  # send this many body bytes, then stall
    stall_seconds: float = 0.0
    trickle: float | None = None  # send the body one byte at a time, this many seconds apart


@dataclass
class Seen:
    """One request as the server saw it, and what it answered."""

    path: str
    headers: dict[str, str]
    status: int = 0


Handler = Callable[[Seen], Reply]


def sniff_content_type(body: bytes) -> str:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "application/feed+json"
    if b"<feed" in head:
        return "application/atom+xml; charset=utf-8"
    if b"<html" in head or head.startswith(b"<!doctype html"):
        return "text/html; charset=utf-8"
    return "application/rss+xml; charset=utf-8"


def conditional_reply(
    seen: Seen,
    body: bytes,
    content_type: str,
    *,
    etag: bool = True,
    last_modified: bool = True,
    mtime: float = 1_700_000_000.0,
    gzipped: bool = False,
) -> Reply:
    """200 with validators, or 304 when the request's validators still match."""
    tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    stamp = email.utils.formatdate(mtime, usegmt=True)
    headers = {"Content-Type": content_type}
    if etag:
        headers["ETag"] = tag
    if last_modified:
        headers["Last-Modified"] = stamp
    if etag and seen.headers.get("if-none-match") == tag:
        return Reply(304, headers={"ETag": tag})
    if (
        not (etag and "if-none-match" in seen.headers)
        and last_modified
        and seen.headers.get("if-modified-since") == stamp
    ):
        return Reply(304, headers={"Last-Modified": stamp})
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return Reply(200, body, headers)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up early (a timeout, a refused oversize body) is expected.
        pass


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.log.append(seen)
                handler = server.routes.get(self.path.split("?", 1)[0])
                reply = handler(seen) if handler else Reply(404, b"not here")
                seen.status = reply.status
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(reply)

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                headers = dict(reply.headers)
                if reply.status != 304:
                    headers.setdefault("Content-Length", str(len(reply.body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if reply.status == 304:
                    return
                if reply.trickle is not None:
                    for i in range(len(reply.body)):
                        self.wfile.write(reply.body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                elif reply.stall_after is not None:
                    self.wfile.write(reply.body[: reply.stall_after])
                    self.wfile.flush()
                    time.sleep(reply.stall_seconds)
                    self.wfile.write(reply.body[reply.stall_after :])
                else:
                    self.wfile.write(reply.body)

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.log if s.path.split("?", 1)[0] == path]

    # -- routes ---------------------------------------------------------------------------
    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def feed(
        self,
        path: str,
        body: bytes | str,
        content_type: str | None = None,
        *,
        etag: bool = True,
        last_modified: bool = True,
        gzipped: bool = False,
    ) -> str:
        """A feed with ETag and/or Last-Modified that answers 304 to a matching request."""
        data = body.encode() if isinstance(body, str) else body
        kind = content_type or sniff_content_type(data)
        return self.route(
            path,
            lambda seen: conditional_reply(
                seen, data, kind, etag=etag, last_modified=last_modified, gzipped=gzipped
            ),
        )

    def plain(self, path: str, reply: Reply) -> str:
        return self.route(path, lambda seen: reply)

    def status(self, path: str, code: int, body: bytes = b"") -> str:
        return self.plain(path, Reply(code, body, {"Content-Type": "text/plain"}))

    def redirect(self, path: str, to: str, code: int = 301) -> str:
        target = to if to.startswith("http") else self.url(to)
        return self.plain(path, Reply(code, b"", {"Location": target}))

    def flaky(self, path: str, body: bytes | str, failures: int = 1, code: int = 500) -> str:
        """Fails `failures` times with `code`, then serves the feed."""
        data = body.encode() if isinstance(body, str) else body
        count = {"n": 0}

        def handler(seen: Seen) -> Reply:
            count["n"] += 1
            if count["n"] <= failures:
                return Reply(code, b"try again", {"Content-Type": "text/plain"})
            return Reply(200, data, {"Content-Type": sniff_content_type(data)})

        return self.route(path, handler)

    def slow(self, path: str, body: bytes | str, seconds: float) -> str:
        """Sends the headers and a little of the body, then stalls for `seconds`."""
        data = body.encode() if isinstance(body, str) else body
        return self.plain(
            path,
            Reply(
                200,
                data,
                {"Content-Type": sniff_content_type(data)},
                stall_after=10,
                stall_seconds=seconds,
            ),
        )

    def trickle(self, path: str, body: bytes | str, seconds_per_byte: float) -> str:
        """Sends the body one byte at a time: every read succeeds, the whole never ends."""
        data = body.encode() if isinstance(body, str) else body
        return self.plain(
            path,
            Reply(200, data, {"Content-Type": sniff_content_type(data)}, trickle=seconds_per_byte),
        )

    def directory(self, prefix: str, folder: Path) -> list[str]:
        """Serve every file of `folder` under `prefix` (content type sniffed, since the
        files may have no extension) with ETag and Last-Modified; returns their URLs."""
        urls = []
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            data = path.read_bytes()
            kind = sniff_content_type(data)
            mtime = path.stat().st_mtime
            route = f"{prefix.rstrip('/')}/{path.name}"
            self.route(route, functools.partial(_serve_file, data=data, kind=kind, mtime=mtime))
            urls.append(self.url(route))
        return urls


def _serve_file(seen: Seen, *, data: bytes, kind: str, mtime: float) -> Reply:
    return conditional_reply(seen, data, kind, mtime=mtime)


@pytest.fixture(name="feed_server")
def feed_server_fixture() -> Iterator[FeedServer]:
    """A started FeedServer on 127.0.0.1, stopped after the test. Import this function into
    a test module (`from tests.support.feedserver import feed_server_fixture`) and ask for
    the `feed_server` fixture."""
    server = FeedServer().start()
    yield server
    server.stop()
