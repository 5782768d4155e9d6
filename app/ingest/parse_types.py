"""What a parsed feed looks like, shared by the RSS/Atom and JSON Feed readers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from storage.models import Entry


class NotAFeed(ValueError):
    """The document is not a feed (an HTML page, garbage, empty); the message says why."""


@dataclass(slots=True)
class ParsedFeed:
    kind: str  # "rss20", "atom10", "json", ... as detected
    title: str = ""
    site_url: str | None = None
    entries: list[Entry] = field(default_factory=list)


def finish_entry(
    *,
    title: str,
    url: str | None,
    uid: str | None,
    body: str,
    summary: str,
    published: str | None,
    updated: str | None,
    author: Callable[[], str | None],
) -> Entry | None:
    """An RSS/Atom entry finished the one way both readers (feedparser's and the lxml fast
    path) must agree on: a summary that repeats the body is dropped, the text is the body or
    else the summary, an entry with no title, link or text is skipped, and its identity is
    the guid/id, else the link, else a hash of title and date. `author` is asked only for
    an entry that is kept."""
    if body and summary == body:
        summary = ""
    text = body or summary
    if not (title or url or text):
        return None
    uid = uid or url
    if not uid:
        basis = f"{title}\x00{published or updated or ''}"
        uid = "sha1:" + hashlib.sha1(basis.encode()).hexdigest()
    return Entry(
        uid=uid,
        title=title,
        url=url,
        author=author(),
        published=published,
        updated=updated,
        summary=summary,
        text=text,
    )
