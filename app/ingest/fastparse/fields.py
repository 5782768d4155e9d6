"""The fields of one entry, in document order, as feedparser stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.ingest.clean import safe_text, safe_url
from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.elements import _MEDIA_APART, MEDIA, _check_other
from app.ingest.fastparse.links import _absolute, _Doc
from app.ingest.fastparse.values import (
    _attribute,
    _content_type,
    _date,
    _looks_like_html,
    _read,
    _value,
)
from app.ingest.parse_types import finish_entry
from storage.models import Entry

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class _Fields:
    """What feedparser would have stored for one entry, built as it meets the elements."""

    atom: bool
    doc: _Doc
    title: str | None = None
    title_type: str = "text/plain"
    title_depth: int | None = None  # depth of the stored title (deeper ones never replace it)
    title_block: int = -1  # depth of the last non-empty title: titles there or deeper are ignored
    summary: str | None = None
    summary_type: str | None = None  # None: copied from a content, read as HTML
    summary_depth: int | None = None
    has_content: bool = False
    contents: list[tuple[str, str]] = field(default_factory=list)
    link: str | None = None
    uid: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    last_author: str = ""  # feedparser's "author" string: the fallback when no name is found

    def plain_or_html(self, value: str, kind: str) -> str:
        if not self.atom and kind == "text/plain" and _looks_like_html(value):
            return "text/html"  # feedparser guesses for RSS
        return kind

    def add_title(self, element: Any, depth: int, *, media: bool = False) -> None:
        value = _value(element)
        kind = _content_type(element, "text/plain")
        if not -1 < self.title_block <= depth:  # else feedparser drops it, type and all
            if self.title_depth is None or depth <= self.title_depth:
                self.title, self.title_depth = value, depth
            self.title_type = self.plain_or_html(value, kind)
        if value and not media:  # media:title leaves the block where it was
            self.title_block = depth

    def add_description(self, element: Any, depth: int, default: str) -> None:
        value = _value(element)
        if self.summary is not None and not self.has_content:
            # A second description while there is no content: feedparser makes it the content.
            self.has_content = True
            kind = self.plain_or_html(value, _content_type(element, "text/plain"))
            self.contents.append((value, kind))
            return
        kind = self.plain_or_html(value, _content_type(element, default))
        if self.summary_depth is None or depth <= self.summary_depth:
            self.summary, self.summary_depth = value, depth
        self.summary_type = kind

    def add_content(self, element: Any, default: str) -> None:
        self.has_content = True
        value = _value(element)
        kind = self.plain_or_html(value, _content_type(element, default))
        self.contents.append((value, kind))
        if self.summary is None:
            self.summary = value  # copied without its type: read as HTML

    def add_date(self, element: Any, *, published: bool) -> None:
        when = _date(_value(element))  # the last one wins, even when it does not parse
        if published:
            self.published = when
        else:
            self.updated = when

    def add_link_href(self, element: Any) -> None:
        """An Atom link: feedparser takes an alternate HTML one for the link, as it meets it."""
        if _attribute(element, "url") is not None or _attribute(element, "uri") is not None:
            raise Decline
        href = _attribute(element, "href")
        if not href or (element.text or "").strip() or len(element):
            raise Decline  # a link without href is read from its text
        rel = (_attribute(element, "rel") or "alternate").lower()
        kind = (_attribute(element, "type") or "").lower()
        if not kind:
            kind = "application/atom+xml" if rel == "self" else "text/html"
        kind = {"html": "text/html", "xhtml": "application/xhtml+xml"}.get(kind, kind)
        if rel == "alternate" and kind in _HTML_TYPES:
            self.link = self.doc.resolve(href)

    def entry(self) -> Entry | None:
        title = safe_text(_read(self.title or "", self.title_type))
        body = ""
        read: dict[tuple[str, bool], str] = {}  # a summary is often a content's copy: clean once
        for value, kind in self.contents:
            text = read[value, "html" in kind] = _read(value, kind)
            if len(text) > len(body):
                body = text
        summary_html = "html" in (self.summary_type or "text/html")
        summary = read.get((self.summary or "", summary_html))
        if summary is None:
            summary = _read(self.summary or "", self.summary_type)
        return finish_entry(
            title=title,
            url=safe_url(_absolute(self.link)),
            uid=safe_text(self.uid),
            body=body,
            summary=summary,
            published=self.published,
            updated=self.updated,
            author=self.author,
        )

    def author(self) -> str | None:
        names = [n for n in dict.fromkeys(safe_text(n) for n in self.authors) if n]
        if not names and self.last_author:
            names = [n for n in (safe_text(self.last_author),) if n]
        return ", ".join(names) if names else None


def _walk_media(fields: _Fields, container: Any, depth: int, doc: _Doc) -> None:
    """Inside Media RSS groups and contents feedparser still reads titles and descriptions."""
    for element in container:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag == f"{MEDIA}title":
            fields.add_title(element, depth, media=True)
        elif tag == f"{MEDIA}description":
            fields.add_description(element, depth, "text/html")
        else:
            if tag not in _MEDIA_APART:
                _check_other(element, doc)
            _walk_media(fields, element, depth + 1, doc)
