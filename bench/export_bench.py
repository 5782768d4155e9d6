"""How long exports and the JSON import take for a library of saved, annotated stories.

Run by hand:  .venv/bin/python bench/export_bench.py [--stories 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.export import export_stories
from app.export.jsonfmt import import_library
from storage import open_library
from storage.models import Entry, Quote

PHRASE = (
    "officials said the ministry would deliver more missiles before spring while critics "
    "warned that the talks could stall and the council agreed to meet again on Tuesday"
)
WORDS = PHRASE.split()


def _paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."


def build(path: Path, count: int) -> list[int]:
    rng = random.Random(7)
    library = open_library(path)
    feeds = [
        library.add_feed(f"https://feed{i}.example.org/rss", title=f"Feed {i}") for i in range(20)
    ]
    ids: list[int] = []
    for n in range(count):
        feed = feeds[n % len(feeds)]
        text = "\n\n".join(_paragraph(rng) for _ in range(8))
        entry = Entry(
            uid=f"s{n}",
            title=f"Story {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
            url=f"https://feed.example.org/{n}",
            author="A. Writer",
            published=f"2024-01-{1 + n % 28:02d}T08:00:00+00:00",
            text=text,
        )
        story_id = library.upsert_entries(feed.id, [entry]).new[0]
        ids.append(story_id)
        library.set_saved(story_id)
        for k in range(3):
            start = rng.randrange(0, len(text) - 80)
            h = library.add_highlight(story_id, start, start + 60, note=f"note {k}")
            library.add_note(story_id, f"a thought on {k}", highlight_id=h)
        library.add_note(story_id, "story note")
        library.tag_story(story_id, f"topic {n % 12}")
        library.store_quotes(story_id, [Quote(0, story_id, 10, 50, text[10:50], "Speaker")])
    library.close()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        ids = build(root / "lib.db", args.stories)
        print(
            f"built {len(ids)} saved stories (3 highlights, 4 notes, 1 quote each) "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        library = open_library(root / "lib.db")
        cases = [
            ("markdown", root / "vault", False),
            ("markdown (re-export)", root / "vault", False),
            ("markdown --single", root / "digest.md", True),
            ("json", root / "out.json", False),
            ("html", root / "out.html", False),
            ("csv", root / "out.csv", False),
        ]
        for label, dest, single in cases:
            fmt = label.split()[0]
            t0 = time.perf_counter()
            result = export_stories(library, ids, fmt, dest, single=single, force=True)
            took = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in [*result.written, *result.unchanged])
            print(
                f"{label:22} {took:6.2f}s  {len(ids) / took:7.0f} stories/s  {size / 1e6:6.1f} MB"
            )
        other = open_library(root / "other.db")
        t0 = time.perf_counter()
        report = import_library(other, root / "out.json")
        took = time.perf_counter() - t0
        print(
            f"{'json import (empty)':22} {took:6.2f}s  {len(ids) / took:7.0f} stories/s  "
            f"({report.stories_added} added)"
        )
        t0 = time.perf_counter()
        report = import_library(other, root / "out.json")
        took = time.perf_counter() - t0
        print(
            f"{'json import (again)':22} {took:6.2f}s  {len(ids) / took:7.0f} stories/s  "
            f"({report.stories_merged} merged, {report.notes_added} notes added)"
        )
    print(f"command: .venv/bin/python bench/export_bench.py --stories {args.stories}")


if __name__ == "__main__":
    main()
