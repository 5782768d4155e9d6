"""Links and ids: the base feedparser resolves them against, which ones no base can change,
and the document as the readers carry it (its bytes, base and namespace prefixes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.ingest.fastparse.decline import Decline

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# feedparser drops slashes after "scheme://" (its URI fixer); rare enough to leave to it.
_EXTRA_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+,.-]*:///")
_LOWER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_EMPTY_PARAMS = re.compile(r";(?=[?#]|$)")  # urllib drops an empty ";" from a joined URL
_URL_CONTROLS = re.compile("[\t\r\n]")  # urllib drops them from a URL it joins
# An attribute named base (xml:base or any prefix): a literal start keeps the search fast.
_BASE_ATTRIBUTE = re.compile(rb"""base\s*=\s*["']""")
_HTTP_NO_HOST = re.compile(r"^https?:(?!//)", re.I)
_XMLNS = re.compile(rb"""xmlns:([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _base(data: bytes, url: str) -> str | None:
    """The base feedparser resolves links against, given the feed's URL. None where the
    document sets its own bases (xml:base): then only links no base can change are read."""
    for match in _BASE_ATTRIBUTE.finditer(data):
        if data[match.start() - 1 : match.start()] in (b" ", b"\t", b"\r", b"\n", b":"):
            return None
    from feedparser.urls import make_safe_absolute_uri

    start = make_safe_absolute_uri("", url)  # as feedparser.api sets it from Content-Location
    return str(make_safe_absolute_uri(start, start) or start)  # and the root element keeps it


def _unchanged_by_joining(url: str) -> bool:
    """Whether joining `url` to any base gives it back as it is: an absolute URL with a
    lower-case scheme, none of the extra slashes feedparser drops, and nothing urllib's
    split-and-join rewrites (an empty query, fragment or ";" parameters, tabs, newlines)."""
    return not (
        _EXTRA_SLASHES.match(url)
        or not _LOWER_SCHEME.match(url)
        or _HTTP_NO_HOST.match(url)
        or url.endswith(("?", "#"))
        or "?#" in url
        or _EMPTY_PARAMS.search(url)
        or _URL_CONTROLS.search(url)
        or (("[" in url or "]" in url) and not _splits(url))
    )


def _splits(url: str) -> bool:
    """Whether urllib can split the URL (a stray bracket in the host makes it raise; feedparser
    then makes the link empty)."""
    from urllib.parse import urlsplit

    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


@dataclass(slots=True)
class _Doc:
    """The document's bytes, for questions the tree does not answer, and its base URL."""

    data: bytes
    base: str | None = None
    prefixes: dict[str, str] | None = None

    def resolve(self, value: str) -> str:
        """A link or id as feedparser resolves it. Most are absolute URLs no base changes;
        the rest are joined to the base with feedparser's own join. With no base (no URL
        given, or xml:base in the document) those decline: the app gives feedparser the
        feed's URL, and reading them unjoined would give a story another identity there."""
        if not value or _unchanged_by_joining(value):
            return value  # feedparser resolves only values there are
        if self.base is None:
            raise Decline
        from feedparser.urls import _urljoin

        return str(_urljoin(self.base, value))

    def prefix_is_unique(self, prefix: str, uri: str) -> bool:
        """Whether `prefix` is declared for `uri` only, and `uri` under `prefix` only: then
        feedparser, which keeps one prefix per namespace for the whole document, names the
        element by it."""
        if self.prefixes is None:
            seen: dict[str, set[str]] = {}
            for match in _XMLNS.finditer(self.data):
                name = match.group(1).decode("utf-8", "replace")
                value = (match.group(2) or match.group(3) or b"").decode("utf-8", "replace")
                seen.setdefault("p:" + name, set()).add(value)
                seen.setdefault("u:" + value, set()).add(name)
            self.prefixes = {
                key[2:]: next(iter(uris))
                for key, uris in seen.items()
                if key.startswith("p:")
                and len(uris) == 1
                and len(seen["u:" + next(iter(uris))]) == 1
            }
        return self.prefixes.get(prefix) == uri


def _absolute(url: str | None) -> str | None:
    if url is None:
        return None
    url = url.strip()
    if url and (not _SCHEME.match(url) or _HTTP_NO_HOST.match(url)):
        raise Decline  # relative links resolve against bases feedparser tracks
    return url or None
