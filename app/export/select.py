"""Which stories an export takes when the user names no filter, and with filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage import Library

DEFAULT_SELECTION_HELP = (
    "With no filter, exports what you kept: every saved story and every story you "
    "highlighted or wrote a note on. Filters combine (all must match); "
    '--query "" takes every story.'
)


def select_story_ids(
    library: Library,
    *,
    saved: bool = False,
    tags: Iterable[str] = (),
    query: str | None = None,
) -> list[int]:
    """Story ids, newest first. No filter at all means saved or annotated stories."""
    tags = list(tags)
    if not saved and not tags and query is None:
        rows = {r.id: r for r in library.list_stories(saved=True, limit=None)}
        for r in library.list_stories(query="is:annotated", limit=None):
            rows.setdefault(r.id, r)
        ordered = sorted(rows.values(), key=lambda r: (r.published or "", r.id), reverse=True)
        return [r.id for r in ordered]
    return [r.id for r in library.list_stories(query=query, tags=tags, saved=saved, limit=None)]
