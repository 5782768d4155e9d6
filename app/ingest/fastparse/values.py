"""Values as feedparser finishes them: an element's text, its type and attributes, a stored
value read as text, an RSS author's name and email, and dates.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from app.ingest.clean import html_to_text, plain_to_text
from app.ingest.fastparse.decline import Decline

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
