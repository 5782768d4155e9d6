"""What a parsed feed looks like, shared by the RSS/Atom and JSON Feed readers."""

from __future__ import annotations

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
