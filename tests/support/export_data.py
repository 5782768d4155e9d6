"""A small library with everything an export carries, built through the storage API."""

from __future__ import annotations

from dataclasses import dataclass

from storage import Library
from storage.models import Entry, Quote

HOSTILE_TITLE = (
    '../../CON: <script>alert("x")</script> [bold]red[/] \x1b[31m"quoted" # ---\nnext line. '
)
HOSTILE_TEXT = (
    "Officials said Ukraine will receive more Javelin missiles this spring.\n\n"
    '"We need arms now, not later," Zelensky said on Tuesday.\n\n'
    "The package is worth $5 million and $3 million more may follow.\n\n"
    "<script>alert('body')</script> [a link](javascript:alert(1)) # not a heading"
)
ARMS_TEXT = (
    "The Pentagon confirmed the shipment late on Monday.\n\n"
    '"This is a defensive package," a spokesman said.\n\n'
    "Critics warned the deliveries could escalate the conflict."
)


@dataclass
class Built:
    feed_a: int
    feed_b: int
    hostile: int  # saved, highlighted, noted, tagged, quoted
    arms: int  # not saved, but annotated (a note) and tagged by a rule
    plain: int  # neither saved nor annotated: the default export leaves it out
    highlight: int


def build(library: Library) -> Built:
    feed_a = library.add_feed(
        "https://news.example.org/feed.xml", title="Example [bold]News", tags=["world"]
    )
    feed_b = library.add_feed("https://defence.example.com/rss", title="Defence Desk")
    hostile = library.upsert_entries(
        feed_a.id,
        [
            Entry(
                uid="guid-1",
                title=HOSTILE_TITLE,
                url="javascript:alert(document.cookie)",
                author='=HYPERLINK("http://evil.example")',
                published="2024-03-05T10:00:00+00:00",
                summary="A summary.",
                text=HOSTILE_TEXT,
            )
        ],
    ).new[0]
    arms, plain = library.upsert_entries(
        feed_b.id,
        [
            Entry(
                uid="https://defence.example.com/a/1",
                title="Pentagon confirms Javelin shipment",
                url="https://defence.example.com/a/1",
                author="Dana Reyes",
                published="2024-03-04T08:30:00+00:00",
                text=ARMS_TEXT,
            ),
            Entry(
                uid="https://defence.example.com/a/2",
                title="Weather in Kyiv",
                url="https://defence.example.com/a/2",
                published="2024-03-01T08:30:00+00:00",
                text="Cold and clear.",
            ),
        ],
    ).new
    start = HOSTILE_TEXT.index("Ukraine will receive")
    highlight = library.add_highlight(
        hostile,
        start,
        start + len("Ukraine will receive more Javelin missiles"),
        note="=SUM(A1:A9) is what they paid",
    )
    library.add_note(hostile, "+1 follow this story\nwith a second line", highlight_id=highlight)
    library.add_note(hostile, "@channel check the figures")
    pub = HOSTILE_TEXT.index("The package")
    library.replace_generated_highlights(hostile, [(pub, pub + 30, "publisher")])
    library.tag_story(hostile, "Ukraine arms")
    library.tag_story(hostile, "-dangerous")
    library.tag_story(hostile, "suggested one", source="suggested", score=0.4)
    library.tag_story(hostile, "dropped")
    library.untag_story(hostile, "dropped")
    library.set_saved(hostile)
    library.set_read(hostile)
    quote_start = HOSTILE_TEXT.index('"We need')
    quote = '"We need arms now, not later,"'
    library.store_quotes(
        hostile,
        [
            Quote(
                0,
                hostile,
                quote_start,
                quote_start + len(quote),
                quote,
                "Zelensky",
                "President",
                False,
            )
        ],
    )
    library.set_topic_rule("Javelin deliveries", "javelin AND (shipment OR missiles)")
    library.set_topic_rule("Syria de-confliction", "syria AND deconfliction")
    library.tag_story(arms, "Javelin deliveries", source="rule", score=1.0)
    library.add_note(arms, "Compare with the March figures.")
    s = ARMS_TEXT.index('"This is')
    # Somebody the story describes but does not name: no speaker, a description.
    unnamed = Quote(0, arms, s, s + 33, ARMS_TEXT[s : s + 33], None, "a spokesman", True)
    library.store_quotes(arms, [unnamed])
    return Built(feed_a.id, feed_b.id, hostile, arms, plain, highlight)
