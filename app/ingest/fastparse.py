"""A fast path for plain, well-formed RSS 2.0, RSS 1.0 and Atom 1.0: lxml instead of feedparser.

feedparser costs about 1 ms per item on the machines we measure on; most feeds are ordinary,
well-formed XML that lxml reads in a fraction of that. This path reads only those, the way
feedparser reads them: its fields and precedences, in the order it meets the elements (a
second description becomes the content, a title blocks deeper ones, the last date wins), with
its finishing of every value (trimmed, mojibake mended, C1 controls as Windows-1252). It
declines -- returns None, so the caller uses feedparser -- at the first thing it is not sure
of: XML that is not well-formed (feedparser recovers what it can from broken feeds), an unknown
root or version, a charset disagreement, a DTD that declares entities, XHTML content, an
element feedparser has a handler for that this path does not read, a link the feed's URL
would change when none was given. Where feedparser's rule is a small function of a string (a
date, whether plain text looks like HTML, an author's name and email, joining a link to a
base) it asks feedparser itself rather than imitate it.
tests/test_parse_differential.py checks it against feedparser over the corpora, and
tests/test_fastparse.py on the shapes it learned, plus random feeds built from them.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from app.ingest.clean import html_to_text, plain_to_text, safe_text, safe_url
from app.ingest.parse_types import ParsedFeed
from storage.models import Entry

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
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
# A DOCTYPE naming no DTD and declaring nothing: <!DOCTYPE html>.
_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[A-Za-z_][\w:.-]*\s*>", re.I)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
# The encodings lxml and Python decode alike; feedparser's charset detection has its own
# rules beyond the XML's for anything else.
_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
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
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")
# The date forms read here; both agree with feedparser's reading of them (zones by number or
# by the names both know, four-digit years from 1900; "+0530" without its colon feedparser
# reads as +05:00, so only whole hours go without one).
_ISO = re.compile(
    r"^(?:19|20)\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d(?::\d\d|00))?$"
)
_RFC822 = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:19|20)\d\d "
    r"\d\d:\d\d(?::\d\d)? (?:[+-]\d{4}|GMT|UTC?|Z|[ECMP][SD]T)$"
)
# Characters 128-159 as Windows-1252 reads them: feedparser maps C1 controls in any value so.
_CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(128, 160)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_C1 = re.compile("[\x80-\x9f]")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ATOM_URI = "http://www.w3.org/2005/atom"
_RSS1_URI = "http://purl.org/rss/1.0/"
_FORMAT_NAMESPACES = {_ATOM_URI, _RSS1_URI, "http://my.netscape.com/rdf/simple/0.9/"}


class Decline(Exception):
    """Something this path is not sure to read as feedparser does."""


def parse_fast(
    data: bytes, *, content_type: str | None = None, url: str | None = None
) -> ParsedFeed | None:
    """The feed, or None when feedparser should read it. `url` is where the feed came from,
    as app.ingest.parse gives it to feedparser: relative links and ids resolve against it.
    Without it, a feed whose links or ids feedparser would resolve declines."""
    try:
        return _parse(data, content_type, url)
    except Decline:
        return None


def _parse(data: bytes, content_type: str | None, url: str | None = None) -> ParsedFeed:
    try:
        from lxml import etree  # comes with trafilatura; without it feedparser does it all
    except ImportError as exc:
        raise Decline from exc

    _check_doctype(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=False, huge_tree=False, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:  # not well-formed, or not what lxml reads
        raise Decline from exc
    declared = root.getroottree().docinfo.encoding
    if (declared or "utf-8").lower() not in _ENCODINGS:
        raise Decline
    _check_charset(data, declared, content_type)
    if url is not None and not url.startswith(("http://", "https://")):
        url = None  # app.ingest.parse gives feedparser web addresses only
    if url and content_type is None and declared is None and not data.isascii():
        raise Decline  # with a URL but no media type feedparser decodes as ISO-8859-1
    doc = _Doc(data, _base(data, url) if url else None)
    tag = root.tag if isinstance(root.tag, str) else ""
    # feedparser takes the version from the first feed namespace the root declares.
    declared_formats = {uri.lower() for uri in root.nsmap.values()} & _FORMAT_NAMESPACES
    if tag == "rss":
        channel = root.find("channel")
        if channel is None or declared_formats - {_ATOM_URI}:
            raise Decline
        if any(isinstance(c.tag, str) and c is not channel for c in root):
            raise Decline  # items outside the channel are still items to feedparser
        kind = _rss_version(root.get("version") or "")
        feed_title, site = _rss_channel(channel, "", doc)
        items = channel.findall("item")
        entries = [_rss_entry(item, "", doc) for item in items]
    elif tag == f"{ATOM}feed":
        if declared_formats - {_ATOM_URI}:
            raise Decline
        kind = "atom10"
        feed_title, site = _atom_feed(root, doc)
        entries = [_atom_entry(e, doc) for e in root.findall(f"{ATOM}entry")]
    elif tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        if (
            declared_formats != {_RSS1_URI}
            or channel is None
            or _first_element(root) is not channel
        ):
            raise Decline  # an image or item before the channel changes feedparser's title
        kind = "rss10"
        feed_title, site = _rss_channel(channel, RSS1, doc)
        _check_image_and_textinput(root)
        entries = [_rss_entry(item, RSS1, doc) for item in root.findall(f"{RSS1}item")]
    else:
        raise Decline
    return ParsedFeed(
        kind=kind,
        title=safe_text(feed_title),  # as the feedparser path keeps it: the text as given
        site_url=safe_url(site),
        entries=[e for e in entries if e is not None],
    )


def _rss_version(version: str) -> str:
    """The version feedparser names an <rss> root by (0.9x and 2.x read alike)."""
    known = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
    return known.get(version) or ("rss20" if version.startswith("2.") else "rss")


def _check_doctype(data: bytes) -> None:
    """feedparser strips a DOCTYPE and keeps only simple entity declarations. A bare one
    (no DTD named, nothing declared) reads the same either way; with an external DTD lxml lets
    undefined entities pass where feedparser's parser stops, so those decline."""
    first = _FIRST_ELEMENT.search(data)
    head = data[: first.start() if first else len(data)]  # what feedparser looks at, all of it
    if b"<!" not in head:
        return
    if len(_DOCTYPE.findall(head)) != len(_BARE_DOCTYPE.findall(head)) or b"<!ENTITY" in head:
        raise Decline


def _check_charset(data: bytes, declared: str | None, content_type: str | None) -> None:
    if not content_type:
        return
    media_type, _, params = content_type.lower().partition(";")
    if "charset=" not in params:
        # feedparser guesses (chardet, if installed) for text/* served without a charset and
        # a document that declares none; plain ASCII reads the same whatever it guesses.
        if media_type.strip().startswith("text/") and declared is None and not data.isascii():
            raise Decline
        return
    given = params.split("charset=", 1)[1].split(";")[0].strip(" \"'").replace("_", "-")
    if given != (declared or "utf-8").lower().replace("_", "-"):
        raise Decline  # feedparser weighs the HTTP charset against the document's


def _first_element(parent: Any) -> Any:
    for child in parent:
        if isinstance(child.tag, str):
            return child
    return None


# -- values as feedparser finishes them ---------------------------------------------------------
def _value(element: Any) -> str:
    """An element's text as feedparser stores it: trimmed, UTF-8 that was read as Latin-1
    repaired, C1 controls read as Windows-1252. Markup inside: decline."""
    if len(element):
        raise Decline  # child elements or comments: feedparser's reading differs
    text = (element.text or "").strip()
    if not text.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            text = text.encode("iso-8859-1").decode("utf-8")
        if _C1.search(text):  # translate() with a table is slow on long text: only when needed
            text = text.translate(_CP1252)
    return text


def _trimmed(element: Any) -> str:
    if len(element):
        raise Decline
    return (element.text or "").strip()


def _content_type(element: Any, default: str) -> str:
    """The element's type attribute as feedparser maps it; only plain text and HTML are read."""
    raw = _attribute(element, "type")
    kind = (raw if raw is not None else default).lower()
    kind = {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(kind, kind)
    if kind not in ("text/plain", "text/html"):
        raise Decline  # XHTML is serialised its own way; other types may be base64
    if _attribute(element, "mode") is not None or _attribute(element, "src") is not None:
        raise Decline
    return kind


def _attribute(element: Any, name: str) -> str | None:
    """An attribute by its name in any case (feedparser lowercases attribute names)."""
    value = element.get(name)
    if value is not None or not element.attrib:
        return value
    for key, found in element.attrib.items():
        if key.lower() == name:
            return str(found)
    return None


def _looks_like_html(text: str) -> bool:
    """feedparser's test for plain text that is really HTML (only for RSS). Its cheap first
    condition is checked here; the rest is asked of feedparser itself."""
    if "</" not in text and "&" not in text:
        return False
    from feedparser.mixin import _FeedParserMixin

    return bool(_FeedParserMixin.looks_like_html(text))


def _read(value: str, kind: str | None) -> str:
    """A stored value to text, as app.ingest.parse reads a detail of this type."""
    if not value:
        return ""
    return plain_to_text(value) if "html" not in (kind or "text/html") else html_to_text(value)


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


# -- the fields of one entry, in document order ------------------------------------------------
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
        if body and summary == body:
            summary = ""
        text = body or summary
        url = safe_url(_absolute(self.link))
        if not (title or url or text):
            return None
        uid = safe_text(self.uid) or url
        if not uid:
            basis = f"{title}\x00{self.published or self.updated or ''}"
            uid = "sha1:" + hashlib.sha1(basis.encode()).hexdigest()
        return Entry(
            uid=uid,
            title=title,
            url=url,
            author=self.author(),
            published=self.published,
            updated=self.updated,
            summary=summary,
            text=text,
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


# -- RSS 2.0 and 1.0 ----------------------------------------------------------------------------
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


@lru_cache(maxsize=1024)
def _author_parts(value: str) -> tuple[str | None, str | None]:
    """feedparser's split of an RSS author ("jo@example.com (Jo)") into name and email."""
    from feedparser.mixin import _FeedParserMixin
    from feedparser.util import FeedParserDict

    class Context:
        # the one method _sync_author_detail uses, over a context holding just this author
        def __init__(self) -> None:
            self.context = FeedParserDict(author=value, authors=[FeedParserDict()])

        def _get_context(self) -> Any:
            return self.context

    holder = Context()
    _FeedParserMixin._sync_author_detail(holder)
    person = holder.context["authors"][-1]
    return person.get("name"), person.get("email")


def _rss_author_name(value: str) -> str | None:
    if not value:
        return None
    if "@" not in value:
        return value  # feedparser only splits off an email address
    name, email = _author_parts(value)
    return name or email


# -- Atom 1.0 -----------------------------------------------------------------------------------
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


# -- shared ------------------------------------------------------------------------------------
def _absolute(url: str | None) -> str | None:
    if url is None:
        return None
    url = url.strip()
    if url and (not _SCHEME.match(url) or _HTTP_NO_HOST.match(url)):
        raise Decline  # relative links resolve against bases feedparser tracks
    return url or None


def _date(value: str) -> str | None:
    """A date as feedparser reads it. The two forms nearly every feed uses are read here;
    anything else (other zones, two-digit years, odd layouts) is asked of feedparser."""
    if not value:
        return None
    try:
        if _RFC822.match(value):
            when = parsedate_to_datetime(value)
        elif _ISO.match(value):
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            return _feedparser_date(value)
    except (TypeError, ValueError, IndexError):
        return _feedparser_date(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat(timespec="seconds")


@lru_cache(maxsize=4096)
def _feedparser_date(value: str) -> str | None:
    """A date as feedparser reads it, in the form app.ingest.parse stores."""
    from feedparser.datetimes import _parse_date

    parsed = _parse_date(value)
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6]).replace(tzinfo=UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None
