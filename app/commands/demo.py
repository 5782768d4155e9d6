"""`byline demo`: subscribe the bundled demo feeds and read them in, offline."""

from __future__ import annotations

import shlex
from typing import Any

import click


@click.command("demo")
@click.option("--quiet", is_flag=True, help="Print nothing when all goes well.")
@click.pass_obj
def demo_command(ctx: Any, quiet: bool) -> None:
    """Fill the library with the bundled demo feeds (original fiction), offline.

    Running it again adds nothing new and keeps everything you did to the stories.
    """
    from app.cli import UserFacingError
    from app.demo import DemoMissing, subscribe_demo
    from app.ingest.refresh import refresh_sync

    library = ctx.library
    try:
        feeds = subscribe_demo(library)
    except DemoMissing as exc:
        raise UserFacingError(f"{exc}; reinstall Byline") from None
    report = refresh_sync(library, ctx.settings, feeds=feeds)
    if report.failures:
        # The demo is local files we ship: any failure means a broken install, not the network.
        failed = "; ".join(f"{r.title or r.url}: {r.error}" for r in report.failures)
        raise UserFacingError(f"the demo feeds could not be read ({failed})")
    changed = [i for r in report.results for i in (*r.new_ids, *r.updated_ids)]
    _analyse_pending(library, changed)
    if quiet:
        return
    stories = sum(f.story_count for f in library.list_feeds(feed_ids=[f.id for f in feeds]))
    click.echo(
        f"demo: {len(feeds)} feeds, {stories} stories "
        f"({report.stories_new} new, {report.stories_updated} updated)"
    )
    click.echo(f"open it with: byline --db {shlex.quote(str(library.path))}")


def _analyse_pending(library: Any, story_ids: list[int]) -> None:
    """Give the reader's panes their quotes, highlights and topics right away. Stories the
    refresh already analysed (when it runs analysis on ingest) are not done twice."""
    if not story_ids:
        return
    from app.analysis import pipeline

    pending = [
        i for i in story_ids if library.get_story(i).analysis_version < pipeline.ANALYSIS_VERSION
    ]
    if pending:
        pipeline.analyse_stories(library, pending)


COMMANDS = [demo_command]
