"""Keeping stories from the shell: `byline export`, and the scripting twins of the reader's
keys (`save`, `unsave`, `note`, `highlight`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from app.cli import UserFacingError
from app.commands.output import plain
from app.export.select import DEFAULT_SELECTION_HELP

FORMAT_CHOICES = ["markdown", "json", "html", "csv"]


@click.command(
    "export",
    help=(
        "Export stories as Markdown, JSON, HTML or CSV.\n\n"
        + DEFAULT_SELECTION_HELP
        + "\n\nMarkdown writes one file per story into the folder given with -o (an Obsidian "
        "vault as it is); exporting again updates Byline's files and keeps any you edited "
        "unless --force. --single writes one digest instead. JSON keeps everything (stories, "
        "feeds, tags, topics, highlights, notes, quotes) and `byline import` reads it back. "
        "JSON, HTML, CSV and --single Markdown go to standard output without -o."
    ),
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    required=True,
    help="markdown, json (lossless), html (one printable page) or csv (for spreadsheets).",
)
@click.option("--saved", is_flag=True, help="Only saved stories.")
@click.option(
    "--tag", "tags", multiple=True, help="Only stories with this tag or topic (repeatable)."
)
@click.option("--query", "-q", help="Only stories matching this search (as in `byline stories`).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to write (a folder for per-story Markdown).",
)
@click.option("--single", is_flag=True, help="Markdown: one digest file instead of a folder.")
@click.option("--force", is_flag=True, help="Replace existing or edited files.")
@click.pass_obj
def export_command(
    ctx: Any,
    fmt: str,
    saved: bool,
    tags: tuple[str, ...],
    query: str | None,
    output: Path | None,
    single: bool,
    force: bool,
) -> None:
    from app.export import ExportError, export_stories
    from app.export.select import select_story_ids

    library = ctx.library
    ids = select_story_ids(library, saved=saved, tags=tags, query=query)
    if not ids:
        click.echo("byline: no stories to export (nothing matches); nothing written", err=True)
        return
    if output is None:
        if fmt == "markdown" and not single:
            raise UserFacingError(
                "Markdown export writes one file per story: give a folder with -o "
                "(or use --single for one file)"
            )
        from app.export.common import load_stories
        from app.export.writer import render_text

        try:
            text = render_text(library, load_stories(library, ids), fmt)
        except ExportError as exc:
            raise UserFacingError(str(exc)) from None
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        result = export_stories(library, ids, fmt, output, single=single, force=force)
    except ExportError as exc:
        raise UserFacingError(str(exc)) from None
    click.echo(f"exported to {output}: {result.summary()}")
    for path in result.skipped_edited:
        click.echo(f"kept (you edited it): {path}", err=True)


@click.command("save")
@click.argument("story_id", type=int)
@click.pass_obj
def save_command(ctx: Any, story_id: int) -> None:
    """Save a story (saved stories are what `byline export` takes by default)."""
    ctx.library.set_saved(story_id, True)
    click.echo(f"saved {story_id}: {plain(ctx.library.get_story(story_id).title)}")


@click.command("unsave")
@click.argument("story_id", type=int)
@click.pass_obj
def unsave_command(ctx: Any, story_id: int) -> None:
    """Take a story off the saved list (its highlights and notes stay)."""
    ctx.library.set_saved(story_id, False)
    click.echo(f"unsaved {story_id}: {plain(ctx.library.get_story(story_id).title)}")


@click.command("note")
@click.argument("story_id", type=int)
@click.argument("text")
@click.option(
    "--highlight",
    "highlight_id",
    type=int,
    help="Attach the note to this highlight (ids from `byline show ID --json`).",
)
@click.pass_obj
def note_command(ctx: Any, story_id: int, text: str, highlight_id: int | None) -> None:
    """Write a note on a story, or on one of its highlights. Prints the note's id."""
    if not text.strip():
        raise UserFacingError("a note needs some text")
    note_id = ctx.library.add_note(story_id, text, highlight_id=highlight_id)
    click.echo(str(note_id))


def find_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Every place the passage occurs: exactly, else with any run of whitespace matching
    any other (a passage copied from a terminal wraps differently)."""
    spans = []
    pos = text.find(passage)
    while pos != -1:
        spans.append((pos, pos + len(passage)))
        pos = text.find(passage, pos + 1)
    if spans:
        return spans
    words = passage.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@click.command("highlight")
@click.argument("story_id", type=int)
@click.argument("passage")
@click.option("--note", help="A note on the highlight.")
@click.pass_obj
def highlight_command(ctx: Any, story_id: int, passage: str, note: str | None) -> None:
    """Highlight a passage of a story, given as its exact text. Prints the highlight's id."""
    library = ctx.library
    story = library.get_story(story_id)
    if not passage.strip():
        raise UserFacingError("give the passage to highlight, copied from the story's text")
    spans = find_passage(story.text, passage)
    if not spans:
        raise UserFacingError(
            f"that passage is not in story {story_id}'s text; copy it exactly "
            f"(`byline show {story_id}` prints the text)"
        )
    start, end = spans[0]
    if len(spans) > 1:
        click.echo(
            f"byline: the passage occurs {len(spans)} times; highlighted the first "
            "(give a longer passage to choose another)",
            err=True,
        )
    for h in story.highlights:
        if h.kind == "user" and (h.start, h.end) == (start, end):
            if note:
                library.set_highlight_note(h.id, note)
            click.echo(str(h.id))
            return
    highlight_id = library.add_highlight(story_id, start, end, note=note or None)
    click.echo(str(highlight_id))


COMMANDS = [
    export_command,
    save_command,
    unsave_command,
    note_command,
    highlight_command,
]
