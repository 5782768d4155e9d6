"""OPML import (newsboat's test files, folders, tags) and export (OPML 2.0, round trip)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.export.opml import OpmlError, export_opml, import_opml, read_outlines
from storage import Library, open_library


def test_nested_outlines_become_folders(library: Library, corpora: Path) -> None:
    added, skipped = import_opml(library, corpora / "newsboat-tests" / "example.opml")
    assert (added, skipped) == (7, 0)
    feeds = {f.url: f for f in library.list_feeds()}
    top = feeds["https://example.com/feed.xml"]
    assert (top.title, top.folder) == ("example.com website", None)
    john = feeds["https://blogs.example.com/~john/posts.rss"]
    assert (john.title, john.folder) == ("John's musings", "Blogs")
    mike = feeds["https://blogs.example.com/~mike/.rss"]
    assert mike.folder == "Blogs/friends"
    assert feeds["https://fred.example.com/writing/index.php?type=rss"].folder == "eloquent"


def test_category_becomes_feed_tags(library: Library, corpora: Path) -> None:
    assert import_opml(library, corpora / "newsboat-tests" / "category.opml") == (1, 0)
    (feed,) = library.list_feeds()
    assert sorted(feed.tags) == ["tag one", "tag/three", "tag_two"]


def test_text_only_outline_keeps_its_title(library: Library, corpora: Path) -> None:
    import_opml(library, corpora / "newsboat-tests" / "example2.opml")
    titles = {f.url: f.title for f in library.list_feeds()}
    assert titles["https://example.com/five.atom"] == "another title"


def test_command_sources_are_skipped(library: Library, corpora: Path) -> None:
    assert import_opml(library, corpora / "newsboat-tests" / "piped.opml") == (1, 1)
    assert [f.url for f in library.list_feeds()] == ["https://example.com/feed.atom"]


def test_feeds_already_present_are_skipped(library: Library, corpora: Path) -> None:
    path = corpora / "newsboat-tests" / "test-urls+.opml"
    first = import_opml(library, path)
    assert first == (4, 0)
    assert import_opml(library, path) == (0, 4)
    folders = {f.title: f.folder for f in library.list_feeds()}
    assert folders["CC Test"] == "tag1/tag2"
    assert folders["One more feed"] == "tag1/tag3"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("body-element-missing.opml", "broken OPML: it has no <body>"),
        ("opml-element-missing.opml", "not OPML: the root element is <not-opml>, not <opml>"),
    ],
)
def test_broken_opml_is_a_clear_error(corpora: Path, name: str, message: str) -> None:
    with pytest.raises(OpmlError) as caught:
        read_outlines(corpora / "newsboat-tests" / name)
    assert str(caught.value) == message


def test_every_newsboat_opml_file_imports_or_is_refused_clearly(
    tmp_path: Path, corpora: Path
) -> None:
    imported = 0
    for path in sorted((corpora / "newsboat-tests").glob("*.opml")):
        with open_library(tmp_path / f"{path.stem}.db") as library:
            try:
                added, _skipped = import_opml(library, path)
            except OpmlError as exc:
                assert path.name in {"body-element-missing.opml", "opml-element-missing.opml"}
                assert str(exc)
                continue
            assert len(library.list_feeds()) == added
            imported += 1
    assert imported == 6


def test_malformed_xml_and_entities(library: Library, tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml version='1.0'><body><outline></body></opml>")
    with pytest.raises(OpmlError, match=r"^broken OPML: mismatched tag"):
        import_opml(library, broken)
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>')
    with pytest.raises(OpmlError, match="entity declarations"):
        import_opml(library, bomb)
    with pytest.raises(OpmlError, match=r"^no such file"):
        import_opml(library, tmp_path / "missing.opml")
    assert library.list_feeds() == []


def test_export_is_opml_2_with_folders_and_categories(library: Library, tmp_path: Path) -> None:
    library.add_feed("https://a.example/feed", title="A & B", folder="News/World", tags=["x", "y"])
    library.add_feed("https://b.example/feed", title="Top level", site_url="https://b.example/")
    local = tmp_path / "local feed.xml"
    library.add_feed(str(local), title="Local")
    text = export_opml(library)
    root = ET.fromstring(text)
    assert root.get("version") == "2.0"
    body = root.find("body")
    assert body is not None
    news = next(o for o in body if o.get("text") == "News")
    world = news.find("outline")
    assert world is not None and world.get("text") == "World"
    feed = world.find("outline")
    assert feed is not None
    assert feed.attrib == {
        "type": "rss",
        "text": "A & B",
        "title": "A & B",
        "xmlUrl": "https://a.example/feed",
        "category": "x,y",
    }
    urls = {o.get("xmlUrl"): o.attrib for o in body.iter("outline") if o.get("xmlUrl")}
    assert urls["https://b.example/feed"]["htmlUrl"] == "https://b.example/"
    assert local.as_uri() in urls


def test_export_then_import_keeps_everything(library: Library, tmp_path: Path) -> None:
    library.add_feed("https://a.example/feed", title="A", folder="News/World", tags=["t1", "t2"])
    library.add_feed("https://b.example/feed", title="B")
    path = tmp_path / "subs.opml"
    path.write_text(export_opml(library), encoding="utf-8")
    with open_library(tmp_path / "copy.db") as copy:
        assert import_opml(copy, path) == (2, 0)

        def shape(lib: Library) -> list[tuple[str, str | None, str | None, list[str]]]:
            return sorted((f.url, f.title, f.folder, f.tags) for f in lib.list_feeds())

        assert shape(copy) == shape(library)


def test_export_survives_control_characters_stored_by_anyone(library: Library) -> None:
    library.add_feed("https://c.example/feed", title="Bad\x01title\x1b[2J", tags=["t\x00ag"])
    root = ET.fromstring(export_opml(library))
    (outline,) = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert (outline.get("title"), outline.get("category")) == ("Badtitle", "tag")
