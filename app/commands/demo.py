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
    from app.update import update_library

    library = ctx.library
    try:
        feeds = subscribe_demo(library)
    except DemoMissing as exc:
        raise UserFacingError(f"{exc}; reinstall Byline") from None
    # The same sequence as `byline refresh`: store, then analyse, so every pane has something.
    report = update_library(library, ctx.settings, feeds).refresh
    if report.failures:
        # The demo is local files we ship: any failure means a broken install, not the network.
        failed = "; ".join(f"{r.title or r.url}: {r.error}" for r in report.failures)
        raise UserFacingError(f"the demo feeds could not be read ({failed})")
    if quiet:
        return
    stories = sum(f.story_count for f in library.list_feeds(feed_ids=[f.id for f in feeds]))
    click.echo(
        f"demo: {len(feeds)} feeds, {stories} stories "
        f"({report.stories_new} new, {report.stories_updated} updated)"
    )
    click.echo(f"open it with: byline --db {shlex.quote(str(library.path))}")


COMMANDS = [demo_command]
