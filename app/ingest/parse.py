"""Bytes of a feed to normalised entries: feedparser for RSS/Atom (plain, well-formed ones take
the lxml fast path in app/ingest/fastparse/), our reader for JSON Feed.

feedparser only ever sees bytes we already have (never a URL it could fetch itself), and its
HTML sanitiser is off: our cleaner turns every body into plain text anyway.
"""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

from app.ingest.clean import html_to_text, plain_to_text, safe_text, safe_url
from app.ingest.fastparse import parse_fast
from app.ingest.jsonfeed import parse_json_feed
from app.ingest.parse_types import NotAFeed, ParsedFeed, finish_entry
from storage.models import Entry

__all__ = ["NotAFeed", "ParsedFeed", "parse_feed"]

_LEADING_JUNK = re.compile(rb"^(?:\xef\xbb\xbf|\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I)
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|rdf|channel)[\s>/]", re.I)


def parse_feed(
    data: bytes, *, url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse a feed document. Raises NotAFeed for an HTML page, garbage or an empty body;
    a feed that is slightly broken but still yields entries is accepted."""
    head = _LEADING_JUNK.sub(b"", data[:4096], count=1)
    if not head.strip():
        raise NotAFeed("not a feed: the document is empty")
    if head[:1] in (b"{", b"["):
        return _parse_json(data)
    if _HTML_START.match(head) and not _FEED_ROOT.search(data[:65536]):
        advertised = advertised_feed(data, url)
        hint = f" (it names a feed: {advertised})" if advertised else ""
        raise NotAFeed(f"not a feed: the page is HTML{hint}")
    # The feed's own URL resolves relative links, for feedparser too (see _parse_xml).
    base = url if url and url.startswith(("http://", "https://")) else None
    fast = parse_fast(data, content_type=content_type, url=base)
    if fast is not None:  # plain, well-formed RSS/Atom: read by lxml as feedparser would
        return fast
    return _parse_xml(data, url=url, content_type=content_type)


def warm_up() -> None:
    """Load what parsing needs (each worker process runs this as it starts, so its first
    feed does not wait for imports)."""
    import feedparser

    parse_fast(b'<rss version="2.0"><channel><item><title>.</title></item></channel></rss>')
    html_to_text("<p>.</p>")
    del feedparser


_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FEED_TYPES = (b"application/rss+xml", b"application/atom+xml", b"application/feed+json")


def advertised_feed(page: bytes, url: str | None = None) -> str | None:
    """The feed an HTML page names in <link rel="alternate" type="...">, if any."""
    from urllib.parse import urljoin

    for tag in _LINK_TAG.finditer(page[:262144]):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or b"")
            for m in _ATTR.finditer(tag.group(0))
        }
        if b"alternate" in attrs.get(b"rel", b"").lower().split() and (
            attrs.get(b"type", b"").strip().lower() in _FEED_TYPES
        ):
            href = safe_text(attrs.get(b"href", b"").decode("utf-8", "replace"))
            if href:
                return safe_url(urljoin(url or "", href)) or href
    return None


def _parse_json(data: bytes) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotAFeed(f"not a feed: broken JSON ({exc})") from None
    return parse_json_feed(doc)


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_ENTITY_DECL = re.compile(rb"<!ENTITY([^>]*?)>")
_ENTITY_VALUE = re.compile(rb"""\s+([\w.:-]+)\s+(["'])(.*?)\2""", re.S)
ENTITY_BUDGET = 1 << 20
"""How many bytes a DOCTYPE's entities may expand to in all. feedparser keeps declarations
without "&" and the XML parser expands them: one long value referenced thousands of times is
a quadratic blow-up (a 300 KB feed became 2.5 GB). Feeds really declare a few short ones."""


def _defuse_entities(data: bytes) -> bytes:
    """Drop the DOCTYPE's entity declarations once their expansion (value length times the
    references to it) passes ENTITY_BUDGET; their references are then left as literal text."""
    first = _FIRST_ELEMENT.search(data)
    end = first.start() if first else len(data)
    if b"<!ENTITY" not in data[:end]:
        return data
    spent = 0

    def keep(match: re.Match[bytes]) -> bytes:
        nonlocal spent
        value = _ENTITY_VALUE.match(match.group(1))
        if value is None:
            return b""  # parameter or external entities: feedparser drops them too
        spent += len(value.group(3)) * data.count(b"&" + value.group(1) + b";", end)
        return match.group(0) if spent <= ENTITY_BUDGET else b""

    return _ENTITY_DECL.sub(keep, data[:end]) + data[end:]


def _parse_xml(data: bytes, *, url: str | None, content_type: str | None) -> ParsedFeed:
    import feedparser

    data = _defuse_entities(data)
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if url and url.startswith(("http://", "https://")):
        headers["content-location"] = url  # relative links resolve against the feed
    parsed: Any = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    feed = parsed.get("feed") or {}
    entries = []
    for raw in raw_entries:
        entry = _entry(raw)
        if entry is not None:
            entries.append(entry)
    # No known format and nothing usable in it: garbage or some other XML, not a feed.
    if not version and not entries and (parsed.get("bozo") or not feed):
        raise NotAFeed(f"not a feed: {_describe_problem(parsed.get('bozo_exception'))}")
    return ParsedFeed(
        kind=version or "unknown",
        title=safe_text(feed.get("title")),
        site_url=safe_url(feed.get("link")),
        entries=entries,
    )


def _entry(raw: Any) -> Entry | None:
    title = _detail_text(raw, "title", single_line=True)
    url = safe_url(raw.get("link"))
    published = _iso(raw.get("published_parsed"))
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed.
    updated = _iso(dict.get(raw, "updated_parsed"))
    return finish_entry(
        title=title,
        url=url,
        uid=safe_text(raw.get("id") or raw.get("guid")),
        body=_best_content(raw),
        summary=_detail_text(raw, "summary"),
        published=published,
        updated=updated,
        author=lambda: _author(raw),
    )


def _detail_text(raw: Any, key: str, *, single_line: bool = False) -> str:
    value = raw.get(key)
    if not value:
        return ""
    kind = (raw.get(f"{key}_detail") or {}).get("type") or "text/html"
    text = plain_to_text(value) if "html" not in kind else html_to_text(value)
    return safe_text(text) if single_line else text


def _best_content(raw: Any) -> str:
    """The richest body the entry carries (content:encoded or atom:content)."""
    best = ""
    for part in raw.get("content") or []:
        value = part.get("value") or ""
        kind = part.get("type") or "text/html"
        text = html_to_text(value) if "html" in kind else plain_to_text(value)
        if len(text) > len(best):
            best = text
    return best


def _author(raw: Any) -> str | None:
    names = []
    for person in raw.get("authors") or []:
        name = person.get("name") or person.get("email") if hasattr(person, "get") else None
        if name:
            names.append(safe_text(name))
    if not names and raw.get("author"):
        names.append(safe_text(raw.get("author")))
    names = [n for n in dict.fromkeys(names) if n]
    return ", ".join(names) if names else None


def _iso(value: time.struct_time | None) -> str | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None


def _describe_problem(problem: Any) -> str:
    get_message = getattr(problem, "getMessage", None)
    if get_message is not None:  # an XML syntax error from the SAX parser
        line = problem.getLineNumber()
        return f"malformed XML ({safe_text(str(get_message()))} on line {line})"
    return "no RSS, Atom or JSON Feed found"
