"""A small library with everything the reader shows, filled through the storage API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Library, open_library
from storage.models import Entry, Quote

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

ARMS_TEXT = (
    "Kyiv asked for more air defence on Monday. The request came after a week of strikes.\n\n"
    '"We need Patriot systems now," said Olena Kovalenko, the deputy minister. '
    "Officials in Berlin said a decision would come soon.\n\n"
    "Analysts expect the package to include Javelin missiles. "
    '"It is a question of weeks," said Mark Hale of the Institute.'
)
SYRIA_TEXT = (
    "Russian and American officers spoke by phone again. The de-confliction line stays open.\n\n"
    '"The channel works," said Colonel Ruiz. Both sides want to avoid incidents over the river.'
)
HOSTILE_TITLES = [
    "[bold]x[/]",
    "[/]",
    "[@click=app.quit]press me[/]",
    "Clear \x1b[2J screen \x1b]0;pwned\x07 title",
    "[0] zero [red]red",
    "Bidi \u202eevil\u202c and zero\u200bwidth",
]


def when(hours: float) -> str:
    return (NOW - timedelta(hours=hours)).isoformat(timespec="seconds")


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def build_library(path: Path, *, hostile: bool = True) -> Library:
    lib = open_library(path)
    world = lib.add_feed("https://example.org/world.xml", title="World Desk")
    defence = lib.add_feed("https://example.org/defence.xml", title="Defence Weekly")
    entries = [
        Entry(
            uid="arms-1",
            title="Kyiv asks allies for air defence",
            url="https://example.org/arms-1",
            author="Ana Ruiz",
            published=when(2),
            text=ARMS_TEXT,
        ),
        Entry(
            uid="syria-1",
            title="Syria de-confliction line stays open",
            url="https://example.org/syria-1",
            author="Tom Bell",
            published=when(5),
            text=SYRIA_TEXT,
        ),
    ]
    for i in range(6):
        entries.append(
            Entry(
                uid=f"brief-{i}",
                title=f"Morning brief number {i}",
                url=f"https://example.org/brief-{i}",
                published=when(10 + i * 24),
                text=f"Brief {i} says little. It has two sentences.",
            )
        )
    lib.upsert_entries(world.id, entries)
    dup = lib.upsert_entries(
        defence.id,
        [
            Entry(
                uid="arms-2",
                title="Allies weigh Patriot request from Kyiv",
                url="https://example.org/arms-2",
                published=when(3),
                text="Berlin weighs the Patriot request. A decision could come soon.",
            )
        ],
    )
    if hostile:
        lib.upsert_entries(
            defence.id,
            [
                Entry(
                    uid=f"hostile-{i}",
                    title=title,
                    author="[b]Mallory[/b] \x1b[31m",
                    url="javascript:alert(1)",
                    published=when(48 + i),
                    text=f"Body with {title} inside.\n\nSecond [i]paragraph[/i] \x1b[2J.",
                )
                for i, title in enumerate(HOSTILE_TITLES)
            ],
        )
    arms_id = lib.story_ids(query="Kyiv asks allies")[0]
    syria_id = lib.story_ids(query="de-confliction")[0]
    s, e = span_of(ARMS_TEXT, '"We need Patriot systems now,"')
    s2, e2 = span_of(ARMS_TEXT, '"It is a question of weeks,"')
    lib.store_quotes(
        arms_id,
        [
            Quote(
                0,
                arms_id,
                s,
                e,
                "We need Patriot systems now",
                "Olena Kovalenko",
                "deputy minister",
            ),
            Quote(0, arms_id, s2, e2, "It is a question of weeks", "Mark Hale"),
        ],
    )
    s3, e3 = span_of(SYRIA_TEXT, '"The channel works,"')
    lib.store_quotes(syria_id, [Quote(0, syria_id, s3, e3, "The channel works", "Colonel Ruiz")])
    lib.replace_generated_highlights(
        arms_id, [(*span_of(ARMS_TEXT, "Kyiv asked for more air defence on Monday."), "publisher")]
    )
    lib.add_highlight(
        arms_id, *span_of(ARMS_TEXT, "Analysts expect the package to include Javelin missiles.")
    )
    lib.tag_story(arms_id, "Ukraine arms", "suggested", 0.8)
    lib.tag_story(arms_id, "defence", "user")
    lib.tag_story(dup.new[0], "defence", "user")
    lib.tag_story(syria_id, "Syria de-confliction", "suggested", 0.7)
    lib.ensure_tag("Ukraine arms", rule="ukraine AND (arms OR patriot)")
    # The quotes and highlights above stand for an analysis already done: the reader would
    # otherwise analyse these stories again (on opening, and in the background).
    mark_analysed(lib)
    return lib


def mark_analysed(lib: Library) -> None:
    from app.analysis.pipeline import ANALYSIS_VERSION

    with lib.transaction():
        lib.conn.execute("UPDATE stories SET analysis_version = ?", (ANALYSIS_VERSION,))
