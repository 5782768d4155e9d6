"""Full text: when a feed carries only a summary, fetch the story's page and extract it.

Extraction is trafilatura's (imported inside the functions: it is heavy). A publisher's
highlights block on the page ("STORY HIGHLIGHTS" and its bullets) is returned apart from the
body. When the text is stored, the block is written ahead of the body as a heading and bullet
lines, the plain-text shape the highlights analysis takes out of the body and keeps as
publisher highlights, so they survive until the story is analysed.

Whether a story's page is fetched: the feed's own switch (`feeds.full_text`) if set, else
`Settings.full_text`; pages on this machine (localhost, 127.0.0.1, ::1) only when the feed's
switch or the caller asks. Only http(s) links are ever fetched.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

    from app.config import Settings
    from storage import Library
    from storage.models import Story

# A stored body shorter than this many words is taken for a summary.
SUMMARY_WORDS = 150
# An extraction must bring at least this many words, and more than the feed gave, to be kept.
MIN_EXTRACTED_WORDS = 40
HIGHLIGHTS_HEADING = "Story highlights"
HTML_TYPES = ("text/html", "application/xhtml+xml")

Outcome = Literal["stored", "skipped", "error"]


@dataclass(slots=True)
class ExtractedArticle:
    text: str  # paragraphs separated by a blank line, without the highlights block
    title: str | None = None
    author: str | None = None
    highlights: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FullTextResult:
    story_id: int
    outcome: Outcome
    detail: str = ""


def is_fetchable(url: str | None) -> bool:
    """Only http(s) links with a host: never javascript:, file:, data: and the like."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _paragraphs(text: str) -> str:
    """trafilatura puts one block per line; Byline separates paragraphs by a blank line."""
    from app.ingest.clean import plain_to_text

    lines = [line.strip() for line in plain_to_text(text).split("\n")]
    return "\n\n".join(line for line in lines if line)


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """The article in a page: body text, title, author and the publisher's highlights."""
    import trafilatura

    from app.ingest.clean import safe_text

    highlights = _publisher_highlights(html)
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True
    )
    if document is None:
        return ExtractedArticle("", highlights=highlights)
    title = safe_text(getattr(document, "title", None)) or None
    text = _paragraphs(getattr(document, "text", None) or "")
    text = _drop_leading(text, lambda p: title is not None and _same_words(p, title))
    if highlights:
        from app.analysis.highlights import HEADING, remove_items

        text = remove_items(text, highlights)
        text = _drop_leading(text, lambda p: HEADING.fullmatch(p.strip(" :")) is not None)
    return ExtractedArticle(
        text=text,
        title=title,
        author=safe_text(getattr(document, "author", None)) or None,
        highlights=highlights,
    )


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def _drop_leading(text: str, unwanted: Callable[[str], bool], within: int = 3) -> str:
    """Drop the first paragraph among the first `within` that is `unwanted` (the headline
    repeated above the body, a highlights heading left behind by its bullets)."""
    paragraphs = text.split("\n\n")
    for i, paragraph in enumerate(paragraphs[:within]):
        if unwanted(paragraph):
            del paragraphs[i]
            break
    return "\n\n".join(paragraphs)


def _publisher_highlights(html: str) -> list[str]:
    from app.analysis.highlights import publisher_items_from_html
    from app.ingest.clean import safe_text

    return [item for item in (safe_text(i) for i in publisher_items_from_html(html)) if item]


def stored_text(article: ExtractedArticle) -> str:
    """The body as stored: a highlights block (heading + bullets) ahead of it, if any."""
    if not article.highlights:
        return article.text
    block = "\n".join([HIGHLIGHTS_HEADING, *(f"• {item}" for item in article.highlights)])
    return f"{block}\n\n{article.text}"


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def needs_full_text(story: Story) -> bool:
    """A story whose feed gave only a summary (or nothing) to read."""
    body = story.text or story.summary
    return _words(body) < SUMMARY_WORDS or story.text.strip() == story.summary.strip()


def wants_full_text(library: Library, story: Story, settings: Settings) -> bool:
    """The feed's switch wins; the global one never reaches pages on this machine."""
    own = library.feed_full_text(story.feed_id)
    if own is not None:
        return own
    return bool(settings.full_text) and not (story.url and is_local(story.url))


async def _download(client: httpx.AsyncClient, url: str, settings: Settings) -> str:
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml"}
    async with client.stream(
        "GET", url, headers=headers, follow_redirects=True, timeout=settings.timeout
    ) as response:
        if response.status_code >= 400:
            raise _FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and kind not in HTML_TYPES:
            raise _FetchError(f"not an HTML page ({kind})")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > settings.max_bytes:
                raise _FetchError("page larger than the byte limit")
        encoding = response.charset_encoding or _meta_charset(bytes(body[:4096])) or "utf-8"
    try:
        return bytes(body).decode(encoding, errors="replace")
    except LookupError:
        return bytes(body).decode("utf-8", errors="replace")


def _meta_charset(head: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", head, re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


class _FetchError(Exception):
    pass


async def fetch_full_text(
    client: httpx.AsyncClient,
    library: Library,
    story_ids: Iterable[int],
    settings: Settings,
    *,
    force: bool = False,
) -> list[FullTextResult]:
    """Fetch and store the full text of the stories that need it.

    `force` fetches every story with an http(s) link, whatever the switches and however long
    its text already is (the user asked for this story's page). Each story's outcome is
    returned; nothing raises for a network or page problem.
    """
    limit = asyncio.Semaphore(max(1, int(settings.concurrency)))

    async def one(story_id: int) -> FullTextResult:
        try:
            story = library.get_story(story_id)
        except Exception as exc:  # the story went away meanwhile
            return FullTextResult(story_id, "skipped", str(exc))
        if not is_fetchable(story.url):
            return FullTextResult(story_id, "skipped", "no http(s) link")
        if not force and not wants_full_text(library, story, settings):
            return FullTextResult(story_id, "skipped", "full text is off for this feed")
        if not force and not needs_full_text(story):
            return FullTextResult(story_id, "skipped", "the feed carries the full text")
        url = str(story.url).strip()
        try:
            async with limit:
                html = await _download(client, url, settings)
        except _FetchError as exc:
            return FullTextResult(story_id, "error", str(exc))
        except Exception as exc:  # httpx transport errors, timeouts, bad redirects
            return FullTextResult(story_id, "error", _describe(exc))
        article = await asyncio.to_thread(extract_article, html, url)
        have = _words(story.text or story.summary)
        got = _words(article.text)
        if got < MIN_EXTRACTED_WORDS or got <= have:
            return FullTextResult(story_id, "skipped", "the page held no longer article")
        library.set_story_text(story_id, stored_text(article))
        # The body changed: quotes, highlights and topics are computed again.
        library.set_analysis_version(story_id, 0)
        return FullTextResult(story_id, "stored", f"{got} words")

    return list(await asyncio.gather(*(one(sid) for sid in story_ids)))


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc).strip()
    if "Timeout" in name:
        return "timed out"
    return f"{name}: {text}" if text else name


def fetch_full_text_sync(
    library: Library, story_ids: Iterable[int], settings: Any, *, force: bool = False
) -> list[FullTextResult]:
    """Run `fetch_full_text` with its own client (for the CLI and workers in a thread)."""
    import httpx

    async def run() -> list[FullTextResult]:
        async with httpx.AsyncClient() as client:
            return await fetch_full_text(client, library, story_ids, settings, force=force)

    return asyncio.run(run())
