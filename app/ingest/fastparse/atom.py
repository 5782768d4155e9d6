"""Atom 1.0: the feed's title and link, and its entries with their authors."""

from __future__ import annotations

from typing import Any

from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.elements import (
    _MEDIA_APART,
    ATOM,
    DC,
    DCTERMS,
    MEDIA,
    _check_channel_other,
    _check_nested,
    _check_other,
)
from app.ingest.fastparse.fields import _Fields, _walk_media
from app.ingest.fastparse.links import _absolute, _Doc
from app.ingest.fastparse.values import _author_parts, _content_type, _trimmed, _value
from storage.models import Entry


def _atom_feed(root: Any, doc: _Doc) -> tuple[str | None, str | None]:
    """The feed's title and link: its last alternate HTML link, else its id."""
    feed_title = None
    titles = 0
    site = None
    for child in root:
        tag = child.tag
        if not isinstance(tag, str) or tag == f"{ATOM}entry":
            continue
        if tag == f"{ATOM}title":
            titles += 1
            if titles > 1:
                raise Decline
            _content_type(child, "text/plain")
            feed_title = _value(child)
        elif tag == f"{ATOM}link":
            site = _atom_link(child, site, doc)
        elif tag == f"{ATOM}id":
            if site is None:
                site = _IdLink(_value(child))  # feedparser's link until a link comes
        else:
            _check_channel_other(child, doc)
    if isinstance(site, _IdLink):
        site = doc.resolve(site)  # only now: an id a link replaced is not resolved here
    return feed_title, _absolute(site)


class _IdLink(str):
    """A feed's id standing in for its link."""


def _atom_link(element: Any, current: str | None, doc: _Doc) -> str | None:
    holder = _Fields(atom=True, doc=doc, link=current)
    holder.add_link_href(element)
    return holder.link


# What an atom:source may hold: feedparser files all of it under the entry's source.
_ATOM_SOURCE = {
    f"{ATOM}{name}"
    for name in ("title", "id", "updated", "link", "author", "contributor", "subtitle", "rights",
                 "generator", "icon", "logo", "category", "name", "email", "uri")
}  # fmt: skip


def _atom_entry(entry: Any, doc: _Doc) -> Entry | None:
    fields = _Fields(atom=True, doc=doc)
    ids = 0
    for child in entry:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == f"{ATOM}title":
            fields.add_title(child, 1)
        elif tag == f"{ATOM}link":
            fields.add_link_href(child)
        elif tag == f"{ATOM}id":
            ids += 1
            if ids > 1:
                raise Decline
            value = doc.resolve(_value(child))
            fields.uid = value
            if fields.link is None:
                fields.link = value  # feedparser takes the id for the link until one comes
        elif tag == f"{ATOM}summary":
            fields.add_description(child, 1, "text/plain")
        elif tag == f"{MEDIA}description":
            fields.add_description(child, 1, "text/html")
        elif tag == f"{ATOM}content":
            fields.add_content(child, "text/plain")
        elif tag in (f"{ATOM}published", f"{DCTERMS}issued"):
            fields.add_date(child, published=True)
        elif tag in (f"{ATOM}updated", f"{DCTERMS}modified"):
            fields.add_date(child, published=False)
        elif tag == f"{ATOM}author":
            _atom_author(fields, child, doc)
        elif tag == f"{ATOM}contributor":
            _check_contributor(child, doc)
        elif tag == f"{ATOM}source":
            for inner in child.iterdescendants():
                if isinstance(inner.tag, str) and inner.tag not in _ATOM_SOURCE:
                    raise Decline  # a content or summary in it would change the entry's
            # Its titles are filed under the source, but still block titles as deep or deeper.
            fields.title_block = -1
            for title in child.iterchildren(f"{ATOM}title"):
                if _value(title):
                    fields.title_block = 2
        elif tag == f"{MEDIA}title":
            fields.add_title(child, 1, media=True)
        elif tag in _MEDIA_APART:
            _walk_media(fields, child, 2, doc)
        elif tag in (f"{ATOM}category", f"{ATOM}rights", f"{DC}subject"):
            _check_nested(child, doc)
        else:
            _check_other(child, doc)
            _check_nested(child, doc)
    return fields.entry()


_PERSON_KEYS = {f"{ATOM}name": "name", f"{ATOM}email": "email", f"{ATOM}uri": "href"}


def _atom_author(fields: _Fields, element: Any, doc: _Doc) -> None:
    """One atom:author, as feedparser files it. It refreshes the entry's "author" string from
    the person so far before each part is stored; for a person with nothing stored yet that
    means copying the previous author's name and email in (a later part overwrites only its
    own key), so a second author given only by email keeps the first one's name."""
    person: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        key = _PERSON_KEYS.get(child.tag)
        if key is None:
            _check_other(child, doc)  # Blogger's gd:image, say
            _check_nested(child, doc)
            continue
        # feedparser finishes a name or email less than other values: trimmed, nothing mended
        value = _value(child) if key == "href" else _trimmed(child)
        _sync_author(fields, person)
        person[key] = value
    fields.last_author = ""  # the author element's own text, whitespace only
    _sync_author(fields, person)
    fields.authors.append(person.get("name") or person.get("email") or "")


def _sync_author(fields: _Fields, person: dict[str, str]) -> None:
    if person:
        name, email = person.get("name"), person.get("email")
        if name and email:
            fields.last_author = f"{name} ({email})"
        elif name or email:
            fields.last_author = name or email or ""
    elif fields.last_author:
        name, email = _author_parts(fields.last_author)
        if name:
            person["name"] = name
        if email:
            person["email"] = email


def _check_contributor(element: Any, doc: _Doc) -> None:
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _PERSON_KEYS:
            _check_other(child, doc)
            _check_nested(child, doc)
