"""Known failures, worded for a person (used by the CLI and the reader)."""

from __future__ import annotations

import sqlite3


def friendly_error(exc: BaseException) -> str | None:
    """One readable line for an exception we understand, or None to let it propagate."""
    from storage.annotations import AnnotationError
    from storage.connect import LibraryError
    from storage.feeds import FeedExists, FeedNotFound
    from storage.search import QueryError
    from storage.stories import StoryNotFound
    from storage.tags import TagNotFound

    known = (
        LibraryError,
        FeedExists,
        FeedNotFound,
        QueryError,
        StoryNotFound,
        TagNotFound,
        AnnotationError,
    )
    if isinstance(exc, known):
        return str(exc)
    from app.export.errors import ExportError

    if isinstance(exc, ExportError):
        return str(exc)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            return "the library is read-only: check the file's permissions"
        if "locked" in text:
            return "the library is busy (another Byline is writing); try again"
        if "disk" in text and "full" in text:
            return "the disk is full: the write in progress was undone"
        return f"the library could not be used: {text}"
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the library file is damaged or not a Byline library: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return None
