"""The bundled demo library: four small feeds to read on a first, offline run.

The demo is fiction written for Byline. Every country, company, person, fact and quote in
these feeds (Aldermark, Valdria, Dravia, Kettleby, the Skerran Sea and everyone in them) is
invented for the project; no real article text is used. The stories follow three running
threads (arms deliveries to Valdria, air incidents over the Skerran Sea, and what both do
to shipping and energy) so that quotes, highlights, topics, duplicates and related stories
all have something real to show.

The feeds are local files inside the installed package; `byline demo` subscribes them by
their path and reads them in with an ordinary refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage import Library
    from storage.models import Feed

DEMO_FOLDER = "Demo"


class DemoMissing(Exception):
    """A bundled demo file is not on disk (a broken or zipped install)."""


@dataclass(frozen=True, slots=True)
class DemoFeed:
    filename: str
    title: str
    tags: tuple[str, ...]

    @property
    def path(self) -> Path:
        """The file inside the installed package, as an absolute path."""
        resource = resources.files(__name__) / self.filename
        # Subscriptions outlive this call, so the feed needs a real, stable file path: a
        # temporary copy (resources.as_file on a zipped install) would vanish.
        path = Path(str(resource)).resolve()
        if not path.is_file():
            raise DemoMissing(f"the demo feed {self.filename} is missing from {path.parent}")
        return path


DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed("meridian_wire.xml", "Meridian Wire", ("demo", "wire")),
    DemoFeed("harbour_courier.xml", "The Harbour Courier", ("demo", "regional")),
    DemoFeed("northfield_gazette.xml", "Northfield Gazette", ("demo", "regional")),
    DemoFeed("ledger_brief.json", "Ledger Brief", ("demo", "analysis")),
)


def demo_paths() -> list[Path]:
    """The bundled feed files, resolved from the installed package."""
    return [feed.path for feed in DEMO_FEEDS]


def subscribe_demo(library: Library) -> list[Feed]:
    """Subscribe every demo feed (kept as it is when already subscribed); no fetching."""
    return [
        library.add_feed(
            str(feed.path), title=feed.title, folder=DEMO_FOLDER, tags=feed.tags, exist_ok=True
        )
        for feed in DEMO_FEEDS
    ]
