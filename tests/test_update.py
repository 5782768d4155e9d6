"""`byline refresh` end to end: store, fetch full text where switched on, analyse."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from storage import open_library
from tests.support.feedserver import FeedServer, Reply, feed_server_fixture  # noqa: F401
from tests.test_fulltext import ARTICLE_HTML, BULLETS, PARAGRAPHS, SUMMARY


def _summary_feed(server: FeedServer) -> str:
    page = server.plain(
        "/article.html",
        Reply(200, ARTICLE_HTML.encode(), {"Content-Type": "text/html; charset=utf-8"}),
    )
    rss = (
        "<rss version='2.0'><channel><title>Sound Gazette</title><item><guid>f1</guid>"
        f"<title>Ferry strike ends</title><link>{page}</link>"
        f"<description>{SUMMARY}</description></item></channel></rss>"
    )
    return server.feed("/summary.xml", rss)


def _run(db: Path, tmp_path: Path, *args: str) -> object:
    env = {"BYLINE_CONFIG": str(tmp_path / "none.toml"), "BYLINE_TIMEOUT": "2"}
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env)


def test_full_text_switched_on_for_a_feed_is_fetched_and_analysed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    db = tmp_path / "lib.db"
    url = _summary_feed(feed_server)
    _run(db, tmp_path, "add", url, "--full-text")
    result = _run(db, tmp_path, "refresh")
    assert result.exit_code == 0, result.output
    assert "full text for 1" in result.stdout
    with open_library(db) as library:
        (row,) = library.list_stories()
    shown = json.loads(_run(db, tmp_path, "show", str(row.id), "--json").stdout)
    assert PARAGRAPHS[2] in shown["text"]
    publisher = [h["text"] for h in shown["highlights"] if h["kind"] == "publisher"]
    assert publisher == BULLETS
    assert not any(b in shown["text"] for b in BULLETS)


def test_full_text_off_by_default_for_local_pages(tmp_path: Path, feed_server: FeedServer) -> None:
    db = tmp_path / "lib.db"
    url = _summary_feed(feed_server)
    _run(db, tmp_path, "add", url)
    result = _run(db, tmp_path, "refresh")
    assert result.exit_code == 0, result.output
    assert feed_server.requests_to("/article.html") == []
    with open_library(db) as library:
        (row,) = library.list_stories()
        assert library.get_story(row.id).text.strip() == SUMMARY
