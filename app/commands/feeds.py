"""Subscribing and refreshing from the shell: add, remove, feeds, refresh, import,
export-opml."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from app.cli import AppContext, UserFacingError
from app.commands.output import plain


@click.command("add")
@click.argument("source")
@click.option("--title", help="The feed's title (default: the title the feed gives itself).")
@click.option("--tag", "tags", multiple=True, help="A tag for the feed (repeat for more).")
@click.option(
    "--full-text/--no-full-text",
    default=None,
    help="Fetch each story's page when the feed carries only a summary (default: the "
    "full_text setting).",
)
@click.pass_obj
def add(
    ctx: AppContext, source: str, title: str | None, tags: tuple[str, ...], full_text: bool | None
) -> None:
    """Subscribe to SOURCE: an http(s) feed URL or a local feed file.

    Nothing is fetched yet: run `byline refresh` to get the stories. A local file is
    checked to be a feed right away.
    """
    from app.ingest.sources import SourceError, normalise_source
    from storage.feeds import FeedExists

    try:
        src = normalise_source(source)
    except SourceError as exc:
        raise UserFacingError(str(exc)) from None
    if src.is_file:
        _check_local_feed(src.location)
    clean_tags = [t for t in (plain(t) for t in tags) if t]
    try:
        feed = ctx.library.add_feed(src.location, title=plain(title) or None, tags=clean_tags)
    except FeedExists as exc:
        raise UserFacingError(str(exc)) from None
    if full_text is not None:
        ctx.library.set_feed_full_text(feed.id, full_text)
    click.echo(f"added {feed.id}: {plain(feed.display_title)}; run byline refresh")


def _check_local_feed(path: str) -> None:
    from app.ingest.parse import NotAFeed, parse_feed

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        parse_feed(data, url=None)
    except NotAFeed as exc:
        raise UserFacingError(f"{path}: {exc}") from None


@click.command("remove")
@click.argument("source")
@click.pass_obj
def remove(ctx: AppContext, source: str) -> None:
    """Unsubscribe from a feed given by URL, id or title (its stories go too)."""
    from storage.feeds import FeedNotFound

    library = ctx.library
    try:
        feed = library.find_feed(source)
    except FeedNotFound:
        feed = _find_local(library, source)
    removed = library.remove_feed(feed.id)
    stories = "story" if removed.story_count == 1 else "stories"
    click.echo(
        f"removed {removed.id}: {plain(removed.display_title)} ({removed.story_count} {stories})"
    )


def _find_local(library: Any, source: str) -> Any:
    """A local feed named by a relative path or file:// URL, as it was stored (absolute)."""
    from app.ingest.sources import SourceError, normalise_source
    from storage.feeds import FeedNotFound

    try:
        src = normalise_source(source, must_exist=False)
        return library.find_feed(src.location)
    except (SourceError, FeedNotFound):
        raise UserFacingError(f"no feed matches {source!r} (give its URL, id or title)") from None


@click.command("feeds")
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
@click.pass_obj
def feeds(ctx: AppContext, as_json: bool) -> None:
    """List subscriptions: id, title, URL, stories, unread, and how the last fetch went."""
    rows = ctx.library.list_feeds()
    if as_json:
        data = [
            {
                "id": f.id,
                "title": f.title,
                "url": f.url,
                "site_url": f.site_url,
                "folder": f.folder,
                "tags": f.tags,
                "stories": f.story_count,
                "unread": f.unread_count,
                "status": f.last_status,
                "error": f.last_error,
                "last_fetched": f.last_fetched,
            }
            for f in rows
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no feeds yet: add one with byline add URL")
        return
    table: list[tuple[str, ...]] = [("ID", "TITLE", "URL", "STORIES", "UNREAD", "STATUS")]
    for f in rows:
        status = f.last_status or "never fetched"
        if f.last_error:
            status = f"{status}: {f.last_error}"
        table.append(
            (
                str(f.id),
                plain(f.display_title),
                plain(f.url),
                str(f.story_count),
                str(f.unread_count),
                plain(status),
            )
        )
    click.echo(_format_table(table))


def _format_table(rows: list[tuple[str, ...]]) -> str:
    width = shutil.get_terminal_size((120, 24)).columns
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    # Title and URL give way first when the terminal is narrow.
    for col, floor in ((2, 24), (1, 20), (5, 16)):
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        if excess > 0:
            widths[col] = max(floor, widths[col] - excess)
    numeric = {0, 3, 4}
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                cell = cell[: max(1, widths[i] - 1)] + "…"
            cells.append(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@click.command("refresh")
@click.option(
    "--feed",
    "feed_sources",
    multiple=True,
    metavar="SOURCE",
    help="Refresh only this feed (URL, id or title; repeat for more).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "--no-analysis",
    is_flag=True,
    help="Only store the stories; quotes, highlights and topics follow later (in the reader, "
    "on byline show, or with byline reanalyze).",
)
@click.pass_obj
def refresh(
    ctx: AppContext, feed_sources: tuple[str, ...], as_json: bool, no_analysis: bool
) -> None:
    """Fetch new stories from every feed (or only the --feed ones), then fetch full text
    where it is switched on and analyse the new and changed stories.

    Prints a one-line summary; failed feeds are listed on stderr with their error. Exit
    status is 0 even when some feeds fail, and 1 only when nothing could be fetched at all
    (every feed failed).
    """
    from app.ingest.refresh import FeedResult
    from app.update import update_library
    from storage.feeds import FeedNotFound

    library = ctx.library
    settings = ctx.settings
    selected = None
    if feed_sources:
        selected = []
        for source in feed_sources:
            try:
                selected.append(library.find_feed(source))
            except FeedNotFound:
                selected.append(_find_local(library, source))
    elif not library.list_feeds():
        if as_json:
            from app.ingest.refresh import RefreshReport

            click.echo(json.dumps(RefreshReport().to_json(), indent=2))
        else:
            click.echo("no feeds yet: add one with byline add URL")
        return

    show_progress = not as_json and sys.stderr.isatty()

    def progress(result: FeedResult, done: int, total: int) -> None:
        if show_progress:
            name = plain(result.title or result.url)[:50]
            click.echo(f"\r\x1b[K[{done}/{total}] {name}", err=True, nl=False)

    def stage(text: str) -> None:
        if show_progress:
            click.echo(f"\r\x1b[K{text}…", err=True, nl=False)

    def analysis_progress(done: int, total: int) -> None:
        if show_progress and (done % 25 == 0 or done == total):
            click.echo(f"\r\x1b[Kanalysing [{done}/{total}]", err=True, nl=False)

    update = update_library(
        library,
        settings,
        selected,
        progress=progress,
        analyse=not no_analysis,
        analysis_progress=analysis_progress,
        stage=stage,
    )
    report = update.refresh
    if show_progress:
        click.echo("\r\x1b[K", err=True, nl=False)
    if as_json:
        click.echo(json.dumps(update.to_json(), indent=2, ensure_ascii=False))
    else:
        line = report.summary()
        if update.analysed or update.analysis_failed or update.full_text_stored:
            line += "; " + update.analysis_line()
        click.echo(line)
    for story_id, error in update.full_text_failed:
        click.echo(f"byline: full text for story {story_id}: {plain(error)}", err=True)
    for failure in report.failures:
        name = plain(failure.title or failure.url)
        click.echo(f"byline: {name}: {plain(failure.error)}", err=True)
    if report.nothing_fetched:
        raise SystemExit(1)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def import_(ctx: AppContext, file: Path) -> None:
    """Import subscriptions from an OPML file, or a Byline JSON export (detected by
    content)."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise UserFacingError(f"no such file: {file}") from None
    except IsADirectoryError:
        raise UserFacingError(f"not a file: {file}") from None
    except OSError as exc:
        raise UserFacingError(f"cannot read {file}: {exc.strerror or exc}") from None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        _import_json(ctx, file)
        return
    if start != b"<":
        raise UserFacingError(f"{file}: not an OPML file or a Byline JSON export")
    from app.export.opml import OpmlError, import_opml

    try:
        added, skipped = import_opml(ctx.library, file)
    except OpmlError as exc:
        raise UserFacingError(f"{file}: {exc}") from None
    click.echo(f"imported {added} feeds, skipped {skipped}; run byline refresh")


def _import_json(ctx: AppContext, file: Path) -> None:
    from app.export.errors import ExportError
    from app.export.jsonfmt import import_library

    try:
        report = import_library(ctx.library, file)
    except ExportError as exc:
        raise UserFacingError(str(exc)) from None
    summary = getattr(report, "summary", None)
    click.echo(f"imported {file}: {summary()}" if callable(summary) else f"imported {file}")


@click.command("export-opml")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)
@click.pass_obj
def export_opml_command(ctx: AppContext, output: Path | None) -> None:
    """Export subscriptions as OPML 2.0 (folders and tags kept; newsboat can read it)."""
    from app.export.opml import export_opml

    text = export_opml(ctx.library)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomically(output, text)
    click.echo(f"wrote {output}", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserFacingError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserFacingError(f"cannot write {path}: {exc.strerror or exc}") from None


COMMANDS = [add, remove, feeds, refresh, import_, export_opml_command]
