"""Fetching feeds over HTTP (and reading local ones), politely and within limits.

One `Fetcher` (one httpx.AsyncClient) serves a whole refresh. It sends conditional requests,
follows redirects itself (so it can tell a permanent move from a temporary one and spot
loops), decompresses bodies itself (so the byte cap counts decompressed bytes and a
compression bomb stops early) and retries once on a server error or a timeout.
"""

from __future__ import annotations

import asyncio
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

MAX_REDIRECTS = 10
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)

try:  # brotli is optional: only advertised when we can decode it
    import brotli as _brotli  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None

ACCEPT_ENCODING = "gzip, deflate" + (", br" if _brotli is not None else "")
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)


class FetchSettings(Protocol):
    concurrency: int
    per_host: int
    timeout: float
    max_bytes: int
    user_agent: str


@dataclass(slots=True)
class FetchResult:
    status: str  # "ok", "not modified" or "error"
    url: str  # the URL asked for
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None  # where the body came from, after redirects
    moved_to: str | None = None  # set when every redirect on the way was permanent
    error: str | None = None
    http_status: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _Failure(Exception):
    def __init__(self, message: str, *, retry: bool = False, http_status: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.http_status = http_status


def human_size(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


class Fetcher:
    """Fetches feeds for one refresh. Use as `async with Fetcher(settings) as fetcher:`."""

    def __init__(self, settings: FetchSettings, *, transport: Any = None) -> None:
        self.settings = settings
        self.timeout = float(settings.timeout)
        self.max_bytes = int(settings.max_bytes)
        # Short enough not to stall a refresh, long enough for a hiccup to pass.
        self.retry_delay = min(1.0, self.timeout / 10)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(max(1, settings.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            limits=httpx.Limits(
                max_connections=max(1, self.settings.concurrency),
                max_keepalive_connections=max(1, self.settings.concurrency),
            ),
            transport=self._transport,
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _host_limit(self, url: str) -> asyncio.Semaphore:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # a malformed URL: the request itself will say so
            host = ""
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(max(1, self.settings.per_host))
        return self._hosts[host]

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET a feed, conditionally when validators are given. Never raises for network or
        HTTP trouble: the result carries status "error" and a readable message."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in (1, 2):
            try:
                # Host first: a feed waiting for its busy host must not hold a global slot.
                async with self._host_limit(url), self._global:
                    return await asyncio.wait_for(
                        self._attempt(url, headers), timeout=self.timeout * 3
                    )
            except _Failure as failure:
                if failure.retry and attempt == 1:
                    await asyncio.sleep(self.retry_delay)
                    continue
                return FetchResult(
                    "error", url, error=failure.message, http_status=failure.http_status
                )
            except TimeoutError:
                if attempt == 1:
                    await asyncio.sleep(self.retry_delay)
                    continue
                return FetchResult("error", url, error=f"timed out after {self.timeout * 3:g} s")
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        assert self._client is not None, "use the Fetcher as an async context manager"
        current = url
        seen = {url}
        permanent = True
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise _describe_transport_error(exc, self.timeout) from None
            except (httpx.InvalidURL, ValueError) as exc:  # not HTTPErrors in httpx
                raise _Failure(f"not a valid URL: {_short(str(exc))}") from None
            try:
                code = response.status_code
                location = response.headers.get("location")
                if code in _REDIRECTS and location:
                    target = urljoin(current, location.strip())
                    if not target.lower().startswith(("http://", "https://")):
                        raise _Failure(f"redirected to an unsupported URL: {target[:200]}")
                    if target in seen:
                        raise _Failure("redirect loop")
                    seen.add(target)
                    permanent = permanent and code in _PERMANENT
                    current = target
                    continue
                moved_to = current if permanent and current != url else None
                if code == 304:
                    return FetchResult(
                        "not modified", url, final_url=current, moved_to=moved_to,
                        etag=response.headers.get("etag") or headers.get("If-None-Match"),
                        last_modified=response.headers.get("last-modified")
                        or headers.get("If-Modified-Since"),
                        http_status=code,
                    )  # fmt: skip
                if code >= 400 or code < 200 or code in _REDIRECTS:
                    reason = _reason(code, response.reason_phrase)
                    raise _Failure(f"HTTP {code} {reason}".strip(), retry=code >= 500,
                                   http_status=code)  # fmt: skip
                body = await self._read_capped(response)
                return FetchResult(
                    "ok", url, body=body,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    final_url=current, moved_to=moved_to, http_status=code,
                )  # fmt: skip
            except httpx.HTTPError as exc:
                raise _describe_transport_error(exc, self.timeout) from None
            finally:
                await response.aclose()
        raise _Failure(f"too many redirects (more than {MAX_REDIRECTS})")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        too_large = _Failure(f"larger than {human_size(self.max_bytes)}")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        length = response.headers.get("content-length", "")
        if encoding in ("", "identity") and length.isdigit() and int(length) > self.max_bytes:
            raise too_large
        decoder = _decoder(encoding)
        parts: list[bytes] = []
        total = 0
        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw):
                total += len(piece)
                if total > self.max_bytes:
                    raise too_large
                parts.append(piece)
        for piece in decoder.flush():
            total += len(piece)
            if total > self.max_bytes:
                raise too_large
            parts.append(piece)
        return b"".join(parts)


def _reason(code: int, phrase: str) -> str:
    if phrase:
        return phrase
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _describe_transport_error(exc: httpx.HTTPError, timeout: float) -> _Failure:
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, httpx.TimeoutException):
        return _Failure(f"timed out after {timeout:g} s", retry=True)
    if isinstance(exc, httpx.ConnectError):
        if "refused" in lowered or _caused_by(exc, ConnectionRefusedError):
            return _Failure("connection refused")
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return _Failure("host not found")
        if "ssl" in lowered or "certificate" in lowered:
            return _Failure(f"TLS error: {_short(text)}")
        return _Failure(f"cannot connect: {_short(text) or type(exc).__name__}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _Failure(f"not a valid URL: {_short(text)}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return _Failure(f"the server broke the connection: {_short(text)}", retry=True)
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return _Failure(f"connection lost: {_short(text) or type(exc).__name__}", retry=True)
    return _Failure(f"fetch failed: {_short(text) or type(exc).__name__}")


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):  # httpx wraps httpcore, which wraps the OSError
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _short(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:200]


# -- decompression with bounded output ----------------------------------------------------
class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip or deflate, decompressed at most _CHUNK bytes at a time."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.first = True
        self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                if self.first and not self.gzip:
                    self.first = False
                    try:
                        out = self.obj.decompress(data, _CHUNK)
                    except zlib.error:
                        # Some servers send raw deflate without the zlib header.
                        self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                        out = self.obj.decompress(data, _CHUNK)
                else:
                    out = self.obj.decompress(data, _CHUNK)
                if out:
                    yield out
                data = self.obj.unconsumed_tail
                if not data and self.obj.eof and self.obj.unused_data and self.gzip:
                    data = self.obj.unused_data  # another gzip member follows
                    self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error as exc:
            raise _Failure(f"the compressed body is broken ({exc})") from None

    def flush(self) -> Iterator[bytes]:
        try:
            out = self.obj.flush()
        except zlib.error as exc:  # pragma: no cover - flush rarely fails
            raise _Failure(f"the compressed body is broken ({exc})") from None
        if out:
            yield out


class _Brotli:  # pragma: no cover - only when the optional brotli package is installed
    def __init__(self) -> None:
        assert _brotli is not None
        self.obj = _brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self.obj.process(data)
        except Exception as exc:
            raise _Failure(f"the compressed body is broken ({exc})") from None
        if out:
            yield out

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _decoder(encoding: str) -> _Identity | _Zlib | _Brotli:
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if encoding == "deflate":
        return _Zlib(gzip=False)
    if encoding == "br" and _brotli is not None:  # pragma: no cover
        return _Brotli()
    raise _Failure(f"unsupported content encoding {encoding!r}")


# -- local files --------------------------------------------------------------------------
def file_validator(path: str | os.PathLike[str]) -> str:
    """A stand-in ETag for a local file: changes whenever its size or mtime does."""
    st = os.stat(path)
    return f'"file-{st.st_mtime_ns:x}-{st.st_size:x}"'


def read_local(path: str, *, etag: str | None, max_bytes: int) -> FetchResult:
    """Read a feed file from disk, with the same statuses and limits as a fetch."""
    try:
        validator = file_validator(path)
        if etag and etag == validator:
            return FetchResult("not modified", path, etag=validator, final_url=path)
        if Path(path).is_dir():
            return FetchResult("error", path, error=f"not a file: {path}")
        with open(path, "rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return FetchResult("error", path, error=f"no such file: {path}")
    except OSError as exc:
        return FetchResult("error", path, error=f"cannot read {path}: {exc.strerror or exc}")
    if len(body) > max_bytes:
        return FetchResult("error", path, error=f"larger than {human_size(max_bytes)}")
    return FetchResult("ok", path, body=body, etag=validator, final_url=path)
