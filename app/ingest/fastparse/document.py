"""The whole document: the checks that decline before any element is read (well-formedness,
DOCTYPE, charset, root and version), and parse_fast, the entry point.
"""

from __future__ import annotations

import re
from typing import Any

from app.ingest.clean import safe_text, safe_url
from app.ingest.fastparse.atom import _atom_entry, _atom_feed
from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.elements import ATOM, RDF, RSS1
from app.ingest.fastparse.links import _base, _Doc
from app.ingest.fastparse.rss import _check_image_and_textinput, _rss_channel, _rss_entry
from app.ingest.parse_types import ParsedFeed

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
# A DOCTYPE naming no DTD and declaring nothing: <!DOCTYPE html>.
_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[A-Za-z_][\w:.-]*\s*>", re.I)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
# The encodings lxml and Python decode alike; feedparser's charset detection has its own
# rules beyond the XML's for anything else.
_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}


_ATOM_URI = "http://www.w3.org/2005/atom"
_RSS1_URI = "http://purl.org/rss/1.0/"
_FORMAT_NAMESPACES = {_ATOM_URI, _RSS1_URI, "http://my.netscape.com/rdf/simple/0.9/"}


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
