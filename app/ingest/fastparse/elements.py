"""Elements by name: the namespaces read, the names feedparser knows an element by, and the
checks that decline at an element it would read that this path does not.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.links import _Doc

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
MEDIA = "{http://search.yahoo.com/mrss/}"
# Media RSS elements feedparser keeps apart from the fields we read; media:title and
# media:description are read (feedparser takes them for the entry's title and summary).
_MEDIA_APART = {
    MEDIA + name
    for name in ("content", "thumbnail", "group", "keywords", "credit", "category", "rating",
                 "player", "restriction", "license")
}  # fmt: skip
# Elements feedparser has a handler for that only touch fields we do not read.
_HARMLESS = {
    *_MEDIA_APART,
    *(ITUNES + name for name in ("image", "explicit", "block", "keywords", "category",
                                 "subtitle", "duration", "episode", "season", "episodetype")),
    f"{DC}subject", f"{DC}language", f"{DC}rights", f"{DC}publisher",
}  # fmt: skip
# Namespaces none of whose elements feedparser maps to a field we read.
_SAFE_NAMESPACES = (
    "http://purl.org/rss/1.0/modules/slash/",
    "http://wellformedweb.org/CommentAPI/",
    "http://purl.org/syndication/thread/1.0",
    "com-wordpress:feed-additions:1",
    "http://www.georss.org/georss",
    "http://www.youtube.com/xml/schemas/2015",
)
# Local names feedparser maps to the fields we read (or that change which entry or context
# it is in), in any namespace: met anywhere this path does not expect them, it declines.
_FIELD_NAMES = {
    "title", "link", "id", "guid", "description", "summary", "subtitle", "content", "encoded",
    "creator", "author", "date", "pubdate", "published", "updated", "issued", "modified",
    "name", "email", "body", "fullitem", "info", "tagline", "abstract", "lastbuilddate",
    "managingeditor", "item", "entry", "channel", "feed", "image", "textinput", "source",
    "authors", "links", "published_parsed", "updated_parsed", "title_detail", "summary_detail",
}  # fmt: skip


@lru_cache(maxsize=1024)
def _handled(name: str) -> bool:
    """Whether feedparser has a handler for the element it names `name` ("media_title")."""
    from feedparser.mixin import _FeedParserMixin

    return hasattr(_FeedParserMixin, "_start_" + name) or hasattr(_FeedParserMixin, "_end_" + name)


@lru_cache(maxsize=256)
def _known_prefix(namespace: str) -> str | None:
    """The prefix feedparser gives a namespace it knows ("" for the feed formats' own)."""
    from feedparser.mixin import _FeedParserMixin

    for uri, prefix in _FeedParserMixin.namespaces.items():
        if uri.lower() == namespace.lower():
            return str(prefix)
    return None


def _names(element: Any, doc: _Doc) -> tuple[tuple[str, str], ...]:
    """The (prefix, name) pairs feedparser may know an element by; prefix "" for the feed
    formats' own elements, which it dispatches by bare name."""
    tag = element.tag
    if not tag.startswith("{"):
        return (("", tag.lower()),)
    namespace, local = tag[1:].split("}", 1)
    local = local.lower()
    if namespace in _SAFE_NAMESPACES:
        return ()
    prefix = _known_prefix(namespace)
    if prefix is not None:
        return ((prefix, local),)
    given = element.prefix or ""  # a namespace it does not know: it uses the document's prefix
    if not given:
        return (("", local),)
    if doc.prefix_is_unique(given, namespace):
        return ((given.lower(), local),)
    return ((given.lower(), local), ("", local))  # another declaration may win


def _check_other(element: Any, doc: _Doc) -> None:
    """An element this path does not read: decline unless feedparser ignores it too."""
    if element.tag in _HARMLESS:
        return
    for prefix, local in _names(element, doc):
        if prefix == "" and local in _FIELD_NAMES:
            raise Decline
        if _handled(f"{prefix}_{local}" if prefix else local):
            raise Decline


def _check_nested(element: Any, doc: _Doc) -> None:
    for inner in element.iterdescendants():
        if isinstance(inner.tag, str):
            _check_other(inner, doc)


_FEED_LEVEL = {"title", "link", "id", "guid", "item", "entry", "image", "textinput", "source"}


def _check_channel_other(element: Any, doc: _Doc) -> None:
    """Anything at the feed's level (or inside what is there) feedparser could take for the
    feed's title or link, or for an entry."""
    for inner in element.iter():
        if not isinstance(inner.tag, str):
            continue
        for prefix, local in _names(inner, doc):
            if prefix == "" and local in _FEED_LEVEL:
                raise Decline
            if prefix and local == "title" and _handled(f"{prefix}_title"):
                raise Decline
