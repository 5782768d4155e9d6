"""CSV for spreadsheets: one row per highlight, per quote and per story note, each with the
story's title, URL and tags. Cells that a spreadsheet would run as a formula are defused."""

from __future__ import annotations

import csv
import io

from app.export.common import clean, highlight_notes, one_line, story_notes, visible_tags
from storage.models import Story, speaker_label

COLUMNS = [
    "kind",
    "text",
    "note",
    "speaker",
    "story_title",
    "story_url",
    "feed",
    "author",
    "published",
    "tags",
    "story_id",
    "position",
]

# A leading = + - @ (or tab / carriage return, which some spreadsheets skip first) makes
# the cell a formula; a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def rows(stories: list[Story]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for story in stories:
        common = {
            "story_title": one_line(story.title),
            "story_url": one_line(story.url),
            "feed": one_line(story.feed_title),
            "author": one_line(story.author),
            "published": story.published or "",
            "tags": "; ".join(one_line(t) for t in visible_tags(story)),
            "story_id": str(story.id),
        }
        for h in story.highlights:
            out.append(
                {
                    "kind": "highlight" if h.kind == "user" else f"highlight ({h.kind})",
                    "text": clean(h.text),
                    "note": "\n\n".join(clean(n) for n in highlight_notes(story, h)),
                    "speaker": "",
                    "position": str(h.start) if h.anchored else "",
                    **common,
                }
            )
        for q in story.quotes:
            speaker = one_line(speaker_label(q.speaker, q.speaker_title))
            out.append(
                {
                    "kind": "quote",
                    "text": clean(q.text),
                    "note": "",
                    "speaker": speaker,
                    "position": str(q.start),
                    **common,
                }
            )
        for n in story_notes(story):
            out.append(
                {
                    "kind": "note",
                    "text": "",
                    "note": clean(n.body),
                    "speaker": "",
                    "position": "",
                    **common,
                }
            )
    return out


def render(stories: list[Story]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(stories):
        writer.writerow({key: defuse(value) for key, value in row.items()})
    return buffer.getvalue()
