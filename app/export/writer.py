"""Runs one export: loads the stories, renders the format, writes files atomically."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.export.atomic import check_new_file, ensure_folder, write_text_atomic
from app.export.common import load_stories
from app.export.errors import ExportError
from app.export.result import FORMATS, ExportResult
from storage.models import Story

if TYPE_CHECKING:
    from storage import Library

EXTENSIONS = {"markdown": "md", "json": "json", "html": "html", "csv": "csv"}


def render_text(library: Library, stories: list[Story], fmt: str) -> str:
    """The whole export as one text (every format but per-story Markdown)."""
    if fmt == "markdown":
        from app.export.markdown import render_digest

        return render_digest(stories)
    if fmt == "json":
        from app.export import jsonfmt

        return jsonfmt.render(library, stories)
    if fmt == "html":
        from app.export import htmlfmt

        return htmlfmt.render(stories)
    if fmt == "csv":
        from app.export import csvfmt

        return csvfmt.render(stories)
    raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _free_name(folder: Path, extension: str, *, force: bool) -> Path:
    """byline-export.json in the folder, or byline-export-2.json (-3, ...) when an earlier
    export is there: exporting again into a folder never needs --force; with it, the first
    name is replaced."""
    first = folder / f"byline-export.{extension}"
    if force or not first.exists():
        return first
    n = 2
    while (folder / f"byline-export-{n}.{extension}").exists():
        n += 1
    return folder / f"byline-export-{n}.{extension}"


def export_stories(
    library: Library,
    story_ids: list[int],
    fmt: str,
    dest: Path,
    *,
    single: bool = False,
    force: bool = False,
) -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    stories = load_stories(library, story_ids)
    dest = Path(dest).expanduser()
    if fmt == "markdown" and not single:
        from app.export.markdown import export_folder

        if dest.exists() and not dest.is_dir():
            raise ExportError(
                f"{dest} is a file; Markdown export writes a folder (or use --single)"
            )
        return export_folder(library, stories, dest, force=force)
    if dest.is_dir():
        dest = _free_name(dest, EXTENSIONS[fmt], force=force)
    ensure_folder(dest.parent)
    check_new_file(dest, force=force)
    text = render_text(library, stories, fmt)
    write_text_atomic(dest, text, bom=fmt == "csv")
    return ExportResult(written=[dest], stories=len(stories))
