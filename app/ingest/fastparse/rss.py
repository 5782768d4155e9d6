"""RSS 2.0 and 1.0: the channel's title and link, and its items."""

from __future__ import annotations

import re
from typing import Any

from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.elements import (
    _MEDIA_APART,
    ATOM,
    CONTENT,
    DC,
    DCTERMS,
    ITUNES,
    MEDIA,
    RDF,
    RSS1,
    _check_channel_other,
    _check_nested,
    _check_other,
)
from app.ingest.fastparse.fields import _Fields, _walk_media
from app.ingest.fastparse.links import _absolute, _Doc
from app.ingest.fastparse.values import _attribute, _author_parts, _value
from storage.models import Entry

_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")


def _rss_channel(channel: Any, ns: str, doc: _Doc) -> tuple[str | None, str | None]:
    """The feed's title and link. feedparser keeps the first non-empty title-like element
    until an item, image or text input starts; the link is the channel's one <link>."""
    if _attribute(channel, "href") is not None or _attribute(channel, "lastmod") is not None:
        raise Decline  # feedparser reads these attributes as the link and date
    title: str | None = None
    blocked = False
    links = []
    for child in channel:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in (ns + "title", f"{DC}title"):
            if not blocked:
                title = _value(child)
                blocked = bool(title)
        elif tag == ns + "link":
            links.append(child)
        elif tag in (ns + "item", ns + "image", ns + "textinput", ns + "textInput"):
            blocked = False
            if not tag.endswith("item"):
                _check_image_or_textinput(child)
        elif tag == f"{ATOM}link":
            rel = (_attribute(child, "rel") or "alternate").lower()
            if not _attribute(child, "href") or rel == "alternate":
                raise Decline  # an alternate one is the feed's link to feedparser
        else:
            _check_channel_other(child, doc)
    if len(links) > 1:
        raise Decline
    site = None
    if links:
        site = _ENTITY_LIKE.sub(r"&\1", doc.resolve(_value(links[0])))
    return title, _absolute(site)


def _check_image_or_textinput(element: Any) -> None:
    """Inside an image or text input feedparser forgets where it is at the first plain
    element it does not expect there, and reads the rest as the feed's own."""
    allowed = (
        ("title", "link", "description", "url", "href", "width", "height")
        if element.tag.rsplit("}", 1)[-1] == "image"
        else ("title", "link", "description", "name")
    )
    for child in element:
        if not isinstance(child.tag, str):
            continue
        plain = child.tag.removeprefix(RSS1)
        if not plain.startswith("{") and (plain.lower() not in allowed or len(child)):
            raise Decline


def _check_image_and_textinput(root: Any) -> None:
    for child in root:
        if isinstance(child.tag, str) and child.tag in (f"{RSS1}image", f"{RSS1}textinput"):
            _check_image_or_textinput(child)


_RSS_PUBLISHED = {"pubDate", f"{DCTERMS}issued"}
_RSS_UPDATED = {f"{DC}date", f"{DCTERMS}modified", "updated", "lastBuildDate"}
_RSS_AUTHORS = {"author", f"{DC}creator", f"{DC}author", f"{ITUNES}author", "managingEditor"}
_RSS_IGNORED = {"category", "comments", "enclosure", f"{DC}subject"}


def _rss_entry(item: Any, ns: str, doc: _Doc) -> Entry | None:
    if _attribute(item, "href") is not None or _attribute(item, "lastmod") is not None:
        raise Decline  # feedparser reads these attributes as the link and date
    fields = _Fields(atom=False, doc=doc)
    about = item.get(f"{RDF}about")
    if about:
        fields.uid = about  # feedparser: an item's rdf:about is its id (RSS 1.0, and 2.0 too)
    title, link, description = ns + "title", ns + "link", ns + "description"
    guids = links = 0
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in (title, f"{DC}title"):
            fields.add_title(child, 1)
        elif tag == link:
            links += 1
            if links > 1:
                raise Decline  # two links: left to feedparser
            value = _value(child).replace("&amp;", "&")
            fields.link = _ENTITY_LIKE.sub(r"&\1", doc.resolve(value))
        elif tag == "guid":
            guids += 1
            if guids > 1:
                raise Decline
            value = _value(child)
            if (_attribute(child, "ispermalink") or "true") == "true":
                value = doc.resolve(value)
                if fields.link is None:
                    fields.link = value  # feedparser: a permalink guid is the link
            fields.uid = value
        elif tag in (description, f"{DC}description", f"{MEDIA}description"):
            fields.add_description(child, 1, "text/html")
        elif tag == f"{ITUNES}summary":
            fields.add_description(child, 1, "text/plain")
        elif tag == f"{CONTENT}encoded":
            fields.add_content(child, "text/html")
        elif tag in _RSS_PUBLISHED:
            fields.add_date(child, published=True)
        elif tag in _RSS_UPDATED:
            fields.add_date(child, published=False)
        elif tag in _RSS_AUTHORS:
            value = fields.last_author = _value(child)
            name = _rss_author_name(value)
            if name:
                fields.authors.append(name)
        elif tag == f"{MEDIA}title":
            fields.add_title(child, 1, media=True)
        elif tag == f"{ATOM}link":
            fields.add_link_href(child)
        elif tag in _MEDIA_APART:
            _walk_media(fields, child, 2, doc)
        elif tag in _RSS_IGNORED:
            if len(child):
                raise Decline
        elif tag == "image" and not len(child):
            fields.title_block = -1  # feedparser starts titles afresh at an image
        elif tag == "source":
            if len(child):
                raise Decline
            fields.title_block = -1  # feedparser starts titles afresh at a source
        else:
            _check_other(child, doc)
            _check_nested(child, doc)
    return fields.entry()


def _rss_author_name(value: str) -> str | None:
    if not value:
        return None
    if "@" not in value:
        return value  # feedparser only splits off an email address
    name, email = _author_parts(value)
    return name or email
