"""What a feed source may be: an http(s) URL, or a local file (a path or a file:// URL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


class SourceError(ValueError):
    """The source cannot be subscribed to; the message says why."""


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # "http" or "file"
    location: str  # the URL, or the absolute path of the file

    @property
    def is_file(self) -> bool:
        return self.kind == "file"


def classify(stored: str) -> Source:
    """How to read a feed whose stored URL is `stored` (no checks that the file exists)."""
    lowered = stored.lower()
    if lowered.startswith(("http://", "https://")):
        return Source("http", stored)
    if lowered.startswith("file:"):
        return Source("file", file_url_to_path(stored))
    return Source("file", stored)


def file_url_to_path(url: str) -> str:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise SourceError(f"file URLs on another host are not supported: {url}")
    return url2pathname(unquote(parts.path))


def normalise_source(text: str, *, must_exist: bool = True) -> Source:
    """Check a source a person typed and give the form to store.

    http(s) URLs need a host; local files are stored as absolute paths. Anything else (ftp:,
    javascript:, newsboat's "|command" and "exec:" sources) is refused."""
    text = text.strip()
    if not text:
        raise SourceError("the source is empty: give a feed URL or a file path")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise SourceError("the source contains control characters")
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        parts = urlsplit(text)
        if not parts.hostname:
            raise SourceError(f"not a valid URL (no host): {text}")
        if " " in text:
            raise SourceError(f"not a valid URL (it contains a space): {text}")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise SourceError(f"not a valid URL (bad port): {text}") from None
        return Source("http", text)
    if text.startswith("|") or lowered.startswith(("exec:", "filter:", "query:")):
        raise SourceError(f"commands are not feed sources: {text}")
    if lowered.startswith("file:"):
        path = Path(file_url_to_path(text))
    else:
        scheme = text.split(":", 1)[0]
        if ":" in text and scheme.isalpha() and len(scheme) > 1 and not Path(text).exists():
            raise SourceError(
                f"unsupported source {text!r}: use an http(s) URL or a local file path"
            )
        path = Path(text)
    path = path.expanduser().resolve()
    if must_exist:
        if not path.exists():
            raise SourceError(f"no such file: {path}")
        if not path.is_file():
            raise SourceError(f"not a file: {path}")
    return Source("file", str(path))
