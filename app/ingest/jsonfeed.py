"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read by our own code."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from app.ingest.clean import html_to_text, plain_to_text, safe_text, safe_url
from app.ingest.parse_types import NotAFeed, ParsedFeed
from storage.models import Entry

VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json_feed(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    version = doc.get("version")
    if isinstance(version, str) and version.startswith(VERSION_PREFIX):
        return True
    # Some publishers drop the version; a list of items with ids is still a JSON Feed.
    return isinstance(doc.get("items"), list) and "title" in doc


def parse_json_feed(doc: Any) -> ParsedFeed:
    if not looks_like_json_feed(doc):
        raise NotAFeed("not a feed: JSON, but not a JSON Feed")
    items = doc.get("items")
    if not isinstance(items, list):
        raise NotAFeed("not a feed: a JSON Feed without an items list")
    feed_author = _authors(doc)
    entries = []
    for item in items:
        if isinstance(item, dict):
            entry = _entry(item, feed_author)
            if entry is not None:
                entries.append(entry)
    return ParsedFeed(
        kind="json",
        title=safe_text(_str(doc.get("title"))),
        site_url=safe_url(_str(doc.get("home_page_url"))),
        entries=entries,
    )


def _entry(item: dict[str, Any], feed_author: str | None) -> Entry | None:
    url = safe_url(_str(item.get("url")))
    title = safe_text(_str(item.get("title")))
    published = iso_utc(_str(item.get("date_published")))
    updated = iso_utc(_str(item.get("date_modified")))
    raw_id = item.get("id")
    uid = safe_text(str(raw_id)) if isinstance(raw_id, str | int) and str(raw_id) else ""
    if not uid:
        uid = url or _hash_uid(title, published or updated or "")
    if content_html := _str(item.get("content_html")):
        text = html_to_text(content_html)
    else:
        text = plain_to_text(_str(item.get("content_text")))
    summary = plain_to_text(_str(item.get("summary")))
    if not text and not title and not summary and not url:
        return None
    return Entry(
        uid=uid,
        title=title,
        url=url,
        author=_authors(item) or feed_author,
        published=published,
        updated=updated,
        summary=summary or text[:500],
        text=text or summary,
    )


def _authors(obj: dict[str, Any]) -> str | None:
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]  # JSON Feed 1.0 had a single author
    names = [
        safe_text(_str(p.get("name"))) for p in people if isinstance(p, dict) and p.get("name")
    ]
    names = [n for n in names if n]
    return ", ".join(names) if names else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _hash_uid(title: str, date: str) -> str:
    return "sha1:" + hashlib.sha1(f"{title}\x00{date}".encode()).hexdigest()


def iso_utc(value: str) -> str | None:
    """An RFC 3339 date as ISO 8601 in UTC, or None when it cannot be read."""
    value = value.strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")
