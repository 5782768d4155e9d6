"""OPML 1.0/2.0 subscriptions in and out.

Import: nested outlines without a feed URL are folders (stored as "Outer/Inner"); the
`category` attribute (comma-separated, as newsboat writes it) becomes feed tags, and a
newsboat "~Name" tag names the feed. Export: OPML 2.0 with the same folders and categories.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from storage.feeds import FeedExists
from storage.library import Library


class OpmlError(ValueError):
    """The file is not OPML we can read; the message says why."""


class ImportCounts(NamedTuple):
    added: int
    skipped: int


def import_opml(library: Library, path: str | Path) -> ImportCounts:
    """Subscribe to every feed in the OPML file. Feeds already present, and outlines whose
    URL is not an http(s) URL or a local file (newsboat's "|command" or "exec:"), are
    skipped. Raises OpmlError for a file that is not OPML."""
    from app.ingest.clean import safe_text
    from app.ingest.sources import SourceError, normalise_source

    outlines = list(read_outlines(path))
    added = skipped = 0
    with library.transaction():
        for outline in outlines:
            try:
                source = normalise_source(outline.url, must_exist=False)
            except SourceError:
                skipped += 1
                continue
            try:
                library.add_feed(
                    source.location,
                    title=safe_text(outline.title) or None,
                    folder=safe_text(outline.folder) or None,
                    tags=[t for t in (safe_text(t) for t in outline.tags) if t],
                    site_url=safe_text(outline.site_url) or None,
                )
            except FeedExists:
                skipped += 1
                continue
            added += 1
    return ImportCounts(added, skipped)


class Outline(NamedTuple):
    url: str
    title: str
    folder: str
    tags: list[str]
    site_url: str


def read_outlines(path: str | Path) -> list[Outline]:
    """Every feed outline of an OPML file, with its folder path and tags."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise OpmlError(f"no such file: {path}") from None
    except OSError as exc:
        raise OpmlError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"<!ENTITY" in data:
        raise OpmlError("OPML with entity declarations is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"broken OPML: {exc}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"not OPML: the root element is <{_local(root.tag)}>, not <opml>")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError("broken OPML: it has no <body>")
    found: list[Outline] = []
    _walk(body, [], found)
    return found


def _walk(element: ET.Element, folders: list[str], found: list[Outline]) -> None:
    for child in element:
        if _local(child.tag) != "outline":
            continue
        attrs = {_local(k).lower(): v for k, v in child.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        label = (attrs.get("title") or attrs.get("text") or "").strip()
        if url:
            title = label
            tags = []
            for tag in (attrs.get("category") or "").split(","):
                tag = tag.strip()
                if tag.startswith("~") and len(tag) > 1:
                    title = title or tag[1:]  # newsboat: a "~Name" tag renames the feed
                elif tag:
                    tags.append(tag)
            found.append(
                Outline(url, title, "/".join(folders), tags, (attrs.get("htmlurl") or "").strip())
            )
            continue
        # A folder: OPML 2.0 says "text" is the label shown; fall back to "title".
        name = (attrs.get("text") or attrs.get("title") or "").strip().replace("/", "-")
        _walk(child, [*folders, name] if name else folders, found)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def export_opml(library: Library, title: str = "Byline subscriptions") -> str:
    """Every subscription as an OPML 2.0 document (folders nested, tags as `category`)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}

    def folder_element(path: str) -> ET.Element:
        if not path:
            return body
        if path not in folders:
            parent_path, _, name = path.rpartition("/")
            parent = folder_element(parent_path)
            folders[path] = ET.SubElement(parent, "outline", text=name, title=name)
        return folders[path]

    from app.ingest.clean import safe_text

    for feed in library.list_feeds():
        url = safe_text(feed.url)
        if not url.lower().startswith(("http://", "https://", "file:")):
            url = Path(url).as_uri()  # a local file: a URL any reader can parse
        # XML cannot carry control characters: whatever stored them, they go here.
        title = safe_text(feed.display_title)
        attrs = {"type": "rss", "text": title, "title": title, "xmlUrl": url}
        if feed.site_url:
            attrs["htmlUrl"] = safe_text(feed.site_url)
        if feed.tags:
            attrs["category"] = ",".join(safe_text(t).replace(",", " ") for t in feed.tags)
        ET.SubElement(folder_element(safe_text(feed.folder)), "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
