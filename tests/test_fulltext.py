"""Full text: extraction quality, fetching from a real local server, links never fetched."""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from app.analysis.fulltext import (
    HIGHLIGHTS_HEADING,
    extract_article,
    fetch_full_text,
    fetch_full_text_sync,
    is_fetchable,
    stored_text,
)
from app.analysis.highlights import split_publisher_block
from app.config import Settings
from storage import Library
from storage.models import Entry

# An original article page: navigation, a highlights block, the body, a footer.
PARAGRAPHS = [
    "Ferry crews on the northern sound returned to work on Thursday after a two-day strike "
    "over rosters ended with an agreement brokered by the regional transport board.",
    "The dispute had stranded hundreds of island residents and left lorries queuing at the "
    "mainland terminal, where the harbour authority opened a car park for drivers who slept "
    "in their cabs.",
    "Under the agreement, crews will work no more than four night shifts in a row, and the "
    "operator will hire twelve more deckhands before the summer timetable begins in May.",
    "Marit Olsen, who leads the seafarers' union branch, said the deal met the crews' main "
    "demand. The operator said sailings would run to the normal timetable from Friday "
    "morning, with two extra crossings to clear the backlog of freight.",
    "Island councillors welcomed the end of the strike but asked the transport board to "
    "publish a plan for keeping at least one ferry running during any future dispute.",
]
BULLETS = [
    "Ferry crews return after a two-day strike over rosters",
    "No more than four night shifts in a row under the deal",
    "Two extra crossings on Friday to clear freight",
]
ARTICLE_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Ferry strike ends | Sound "
    "Gazette</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> "
    "<a href='/sport'>Sport</a></nav><article><h1>Ferry strike ends as crews accept new "
    "rosters</h1><p class='byline'>By Jon Lund</p><div class='story-highlights'>"
    "<h3>Story highlights</h3><ul>"
    + "".join(f"<li>{b}</li>" for b in BULLETS)
    + "</ul></div>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer><p>© Sound Gazette. All rights reserved. Contact us. Privacy "
    "policy.</p></footer></body></html>"
)
SUMMARY = "Ferry crews returned to work after a two-day strike."


class _Pages(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        if self.path == "/article.html":
            body = ARTICLE_HTML.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/feed.json":
            body = b'{"not": "a page"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1; yields its base URL and the paths it was asked for."""
    _Pages.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Pages.requests
    httpd.shutdown()
    httpd.server_close()


def _story(library: Library, url: str, *, full_text: bool | None, uid: str = "s1") -> int:
    feed = library.add_feed("https://gazette.example/feed", title="Sound Gazette", exist_ok=True)
    library.set_feed_full_text(feed.id, full_text)
    result = library.upsert_entries(
        feed.id, [Entry(uid=uid, title="Ferry strike ends", url=url, summary=SUMMARY, text=SUMMARY)]
    )
    return result.new[0]


SETTINGS = Settings(timeout=5.0, concurrency=4)


async def _fetch(library: Library, ids: list[int], settings: Settings = SETTINGS, **kw: bool):
    async with httpx.AsyncClient() as client:
        return await fetch_full_text(client, library, ids, settings, **kw)


async def test_fetches_and_stores_the_article(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/article.html", full_text=True)
    library.set_analysis_version(story_id, 3)
    results = await _fetch(library, [story_id])
    assert [r.outcome for r in results] == ["stored"], results
    assert requests == ["/article.html"]
    story = library.get_story(story_id)
    items, body = split_publisher_block(story.text)
    assert items == BULLETS  # kept as a block the highlights analysis turns into highlights
    for paragraph in PARAGRAPHS:
        assert paragraph in body
    assert "All rights reserved" not in story.text and "Sport" not in body
    assert body.count("\n\n") == len(PARAGRAPHS) - 1
    assert story.analysis_version == 0  # analysed again with the new body


async def test_global_switch_leaves_local_pages_alone(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/article.html", full_text=None)
    results = await _fetch(library, [story_id], replace(SETTINGS, full_text=True))
    assert results[0].outcome == "skipped"
    assert requests == []
    assert library.get_story(story_id).text == SUMMARY


async def test_feed_switch_off_wins_over_global(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/article.html", full_text=False)
    await _fetch(library, [story_id], replace(SETTINGS, full_text=True))
    assert requests == []
    await _fetch(library, [story_id], force=True)
    assert requests == ["/article.html"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<p>x</p>", "ftp://x/y", ""],
)
async def test_other_links_are_never_fetched(library: Library, server, url: str) -> None:
    _base, requests = server
    story_id = _story(library, url, full_text=True)
    results = await _fetch(library, [story_id], force=True)
    assert results[0].outcome == "skipped"
    assert results[0].detail == "no http(s) link"
    assert requests == []
    assert not is_fetchable(url)


async def test_redirect_to_a_file_link_is_not_followed(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/to-file", full_text=True)
    results = await _fetch(library, [story_id])
    assert results[0].outcome == "error"
    assert requests == ["/to-file"]
    assert library.get_story(story_id).text == SUMMARY


async def test_http_errors_and_non_html_keep_the_summary(library: Library, server) -> None:
    base, _requests = server
    missing = _story(library, f"{base}/gone.html", full_text=True, uid="a")
    json_page = _story(library, f"{base}/feed.json", full_text=True, uid="b")
    results = {r.story_id: r for r in await _fetch(library, [missing, json_page])}
    assert results[missing].outcome == "error"
    assert results[missing].detail.startswith("HTTP 404")
    assert results[json_page].outcome == "error"
    assert "not an HTML page" in results[json_page].detail
    assert library.get_story(missing).text == SUMMARY


async def test_story_with_full_text_is_not_fetched_again(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/article.html", full_text=True)
    assert (await _fetch(library, [story_id]))[0].outcome == "stored"
    assert (await _fetch(library, [story_id]))[0].outcome == "skipped"
    assert requests == ["/article.html"]


def test_extract_article_parts() -> None:
    article = extract_article(ARTICLE_HTML, "https://gazette.example/ferry")
    assert article.title == "Ferry strike ends as crews accept new rosters"
    assert article.highlights == BULLETS
    assert not any(b in article.text for b in BULLETS)
    assert article.text.startswith(PARAGRAPHS[0])
    assert stored_text(article).startswith(HIGHLIGHTS_HEADING + "\n• " + BULLETS[0])


def test_extracted_text_is_data_not_control_sequences() -> None:
    html = ARTICLE_HTML.replace(PARAGRAPHS[1], "\x1b[2J[bold]boom[/] " + PARAGRAPHS[1])
    article = extract_article(html, None)
    assert "\x1b" not in article.text
    assert "[bold]boom[/]" in article.text  # literal text, for the reader to show as text


def test_cnn_highlights_are_not_body_text(corpora: Path) -> None:
    html = (corpora / "story-highlights" / "cnn_article.html").read_text(
        encoding="utf-8", errors="replace"
    )
    article = extract_article(html, None)
    assert len(article.highlights) == 3
    assert "Thanksgiving" in article.title if article.title else False
    for item in article.highlights:
        assert item not in article.text
    assert "We dodged a bullet" in article.text


def _token_f1(truth: str, predicted: str) -> float:
    want = Counter(re.findall(r"\w+", truth))
    got = Counter(re.findall(r"\w+", predicted))
    tp = sum((want & got).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(got.values()), tp / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def test_extraction_quality_on_benchmark_pages(corpora: Path) -> None:
    folder = corpora / "article-extraction"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:12]
    scores = []
    for key in keys:
        with gzip.open(folder / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        text = extract_article(html, truth[key].get("url")).text
        scores.append(_token_f1(truth[key]["articleBody"], text))
    assert sum(scores) / len(scores) >= 0.9, scores


async def test_page_over_the_byte_limit_is_refused(library: Library, server) -> None:
    base, _requests = server
    story_id = _story(library, f"{base}/article.html", full_text=True)
    results = await _fetch(library, [story_id], replace(SETTINGS, max_bytes=500))
    assert results[0].outcome == "error"
    assert "byte limit" in results[0].detail
    assert library.get_story(story_id).text == SUMMARY


def test_sync_wrapper_for_commands_and_threads(library: Library, server) -> None:
    base, requests = server
    story_id = _story(library, f"{base}/article.html", full_text=None)
    results = fetch_full_text_sync(library, [story_id], SETTINGS, force=True)
    assert [r.outcome for r in results] == ["stored"]
    assert PARAGRAPHS[2] in library.get_story(story_id).text
    assert requests == ["/article.html"]
