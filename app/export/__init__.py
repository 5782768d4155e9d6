"""Exports and imports of saved stories: Markdown, lossless JSON, HTML, CSV (and OPML).

Kept light on purpose: the CLI and the TUI import this package on start-up, so each format
module is imported only when a file in that format is written or read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.export.errors import ExportError
from app.export.result import FORMATS, ExportResult

if TYPE_CHECKING:
    from storage import Library

__all__ = ["FORMATS", "ExportError", "ExportResult", "export_stories"]


def export_stories(
    library: Library,
    story_ids: list[int],
    fmt: str,
    dest: Path,
    *,
    single: bool = False,
    force: bool = False,
) -> ExportResult:
    """Write the given stories in `fmt` to `dest` (a folder for per-story Markdown, else a
    file). Files the user edited since the last export are skipped unless `force`."""
    from app.export.writer import export_stories as run

    return run(library, story_ids, fmt, dest, single=single, force=force)
