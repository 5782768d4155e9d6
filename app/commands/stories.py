"""Reading the library from the shell: `byline stories` and `byline show`."""

from __future__ import annotations

import json
import shutil
from typing import Any

import click

from app.commands.output import plain
from storage.models import Story, StoryRow, speaker_label


def story_row_json(row: StoryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "feed": row.feed_title,
        "feed_id": row.feed_id,
        "title": row.title,
        "url": row.url,
        "author": row.author,
        "published": row.published,
        "tags": row.tags,
        "saved": row.saved,
        "read": row.read,
        "annotated": row.annotated,
    }


def story_json(story: Story) -> dict[str, Any]:
    notes_by_highlight: dict[int, list[str]] = {}
    for note in story.notes:
        if note.highlight_id is not None:
            notes_by_highlight.setdefault(note.highlight_id, []).append(note.body)
    return {
        "id": story.id,
        "feed": story.feed_title,
        "feed_id": story.feed_id,
        "title": story.title,
        "url": story.url,
        "author": story.author,
        "published": story.published,
        "updated": story.updated,
        "tags": [t.name for t in story.tags if t.source != "suggested"],
        "saved": story.saved,
        "read": story.read,
        "summary": story.summary,
        "text": story.text,
        "topics": [{"name": t.name, "score": t.score, "source": t.source} for t in story.tags],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "speaker": q.speaker,
                "speaker_title": q.speaker_title,
                "start": q.start,
                "end": q.end,
                "partial": q.partial,
            }
            for q in story.quotes
        ],
        "highlights": [
            {
                "id": h.id,
                "text": h.text,
                "start": h.start,
                "end": h.end,
                "kind": h.kind,
                "note": h.note,
                "notes": notes_by_highlight.get(h.id, []),
            }
            for h in story.highlights
        ],
        "notes": [
            {
                "id": n.id,
                "body": n.body,
                "highlight_id": n.highlight_id,
                "created": n.created,
                "updated": n.updated,
            }
            for n in story.notes
        ],
        "analysis_version": story.analysis_version,
    }


def _age(published: str | None) -> str:
    return (published or "")[:10]


@click.command("stories")
@click.option(
    "--query", "-q", help='Search: free text plus tag:, feed:, is:, speaker:"…", since:, before:.'
)
@click.option(
    "--tag", "tags", multiple=True, help="Only stories with this tag or topic (repeatable)."
)
@click.option("--saved", is_flag=True, help="Only saved stories.")
@click.option("--unread", is_flag=True, help="Only unread stories.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="At most this many stories (0 for all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def stories_command(
    ctx: Any,
    query: str | None,
    tags: tuple[str, ...],
    saved: bool,
    unread: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List stories, newest first."""
    rows = ctx.library.list_stories(
        query=query, tags=tags, saved=saved, unread=unread, limit=limit or None
    )
    if as_json:
        click.echo(json.dumps([story_row_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    width = shutil.get_terminal_size((100, 24)).columns
    for r in rows:
        mark = ("*" if r.saved else " ") + ("N" if not r.read else " ")
        head = f"{r.id:>6} {mark} {_age(r.published):10} "
        # The feed's name is cut first (a long one left a title of a few letters), then the
        # title; made plain before the brackets go on, which keeps the space before them.
        tail = f"  [{_cut(plain(r.feed_title), FEED_ROOM)}]"
        room = max(10, width - len(head) - len(tail))
        click.echo(f"{head}{_cut(plain(r.title), room)}{tail}")
    if not rows:
        click.echo("no stories match", err=True)


FEED_ROOM = 28  # characters of a feed's name in `byline stories`


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


@click.command("show")
@click.argument("story_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def show_command(ctx: Any, story_id: int, as_json: bool) -> None:
    """Show one story: its text, quotes, highlights, topics and notes."""
    from app.analysis.pipeline import ensure_analysed

    story = ensure_analysed(ctx.library, ctx.library.get_story(story_id))
    data = story_json(story)
    extend_show_json(ctx.library, story, data)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(plain(story.title))
    byline = " · ".join(p for p in (story.author, story.feed_title, story.published) if p)
    click.echo(plain(byline))
    if story.url:
        click.echo(plain(story.url))
    if data["tags"]:
        click.echo("tags: " + ", ".join(plain(t) for t in data["tags"]))
    click.echo()
    for para in story.text.split("\n\n"):
        click.echo("\n".join(plain(line) for line in para.splitlines()))
        click.echo()
    if story.highlights:
        click.echo("Highlights")
        for h in story.highlights:
            click.echo(f"  [{h.id}] ({h.kind}) {plain(h.text)}")
            if h.note:
                click.echo(f"      note: {plain(h.note)}")
    if story.quotes:
        click.echo("Quotes")
        for q in story.quotes:
            who = speaker_label(q.speaker, q.speaker_title) or "unknown"
            click.echo(f"  {plain(who)} — “{plain(q.text)}”")
    if story.notes:
        click.echo("Notes")
        for n in story.notes:
            click.echo(f"  [{n.id}] {plain(n.body)}")
    for item in data.get("related", []):
        kind = "duplicate" if item.get("duplicate") else "related"
        click.echo(f"  {kind}: [{item['id']}] {plain(item['title'])}")


def extend_show_json(library: Any, story: Story, data: dict[str, Any]) -> None:
    """Add what analysis knows beyond the stored rows (related stories, duplicates)."""
    from app.analysis.related import find_related

    data["related"] = [
        {
            "id": r.id,
            "title": r.title,
            "feed": r.feed_title,
            "score": r.score,
            "reasons": r.reasons,
            "duplicate": r.duplicate,
        }
        for r in find_related(library, story.id, limit=10)
    ]


COMMANDS = [stories_command, show_command]
