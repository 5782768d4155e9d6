"""Related stories on BBC News: how often do they share the story's category?

Loads ../shared/corpora/bbc-news train.csv + val.csv into a temporary library (spread over
five feeds), indexes duplicates, and for every story (or every Nth with --step) asks
find_related for 5 stories; prints precision@5 (the share of related stories in the same
category), overall and per category, and the time per lookup.

    .venv/bin/python bench/related_bbc.py [--step N] [--limit K]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis.duplicates import duplicate_groups, index_stories  # noqa: E402
from app.analysis.related import find_related  # noqa: E402
from storage import open_library  # noqa: E402
from storage.models import Entry  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "bbc-news"
FEEDS = 5


def split_title(text: str) -> tuple[str, str]:
    """The corpus runs the headline into the body; take the words before the first
    sentence-like capitalised run as a title-sized slice (first 8 words)."""
    words = text.split()
    return " ".join(words[:8]), " ".join(words[8:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=1, help="evaluate every Nth story")
    parser.add_argument("--limit", type=int, default=5, help="related stories per story (k)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"needs the corpus at {CORPUS}")

    records: list[dict[str, str]] = []
    for name in ("train.csv", "val.csv"):
        with (CORPUS / name).open(encoding="utf-8") as f:
            records.extend(csv.DictReader(f))

    with tempfile.TemporaryDirectory() as tmp:
        library = open_library(Path(tmp) / "bbc.db")
        # Spread over a few feeds, as stories arrive from several: duplicates are only looked
        # for across feeds, and the corpus holds some articles twice.
        feeds = [library.add_feed(f"bbc-news-{n}", title=f"BBC News {n}") for n in range(FEEDS)]
        entries = []
        for i, r in enumerate(records):
            title, body = split_title(r["text"])
            entries.append(Entry(uid=str(i), title=title, text=body))
        ids = []
        for n, feed in enumerate(feeds):
            ids += library.upsert_entries(feed.id, entries[n::FEEDS]).new
        records = [r for n in range(FEEDS) for r in records[n::FEEDS]]
        entries = [e for n in range(FEEDS) for e in entries[n::FEEDS]]
        started = time.perf_counter()
        index_stories(library, ids)
        index_seconds = time.perf_counter() - started
        category = {sid: r["category"] for sid, r in zip(ids, records, strict=True)}
        groups = duplicate_groups(library, ids)
        body = {sid: e.text for sid, e in zip(ids, entries, strict=True)}
        exact = sum(all(body[s] == body[o] for o in others) for s, others in groups.items())
        mixed = sum(any(category[s] != category[o] for o in others) for s, others in groups.items())

        hits: dict[str, int] = defaultdict(int)
        seen: dict[str, int] = defaultdict(int)
        timings = []
        duplicates = 0
        for sid in ids[:: args.step]:
            t0 = time.perf_counter()
            related = find_related(library, sid, limit=args.limit)
            timings.append(time.perf_counter() - t0)
            duplicates += sum(r.duplicate for r in related)
            for r in related:
                if not r.duplicate:
                    seen[category[sid]] += 1
                    hits[category[sid]] += category[r.id] == category[sid]
        library.close()

    total_hits, total_seen = sum(hits.values()), sum(seen.values())
    print(f"stories: {len(ids)}, evaluated: {len(timings)}, k = {args.limit}")
    print(f"precision@{args.limit}: {total_hits / max(total_seen, 1):.3f}")
    for cat in sorted(seen):
        print(f"  {cat:<13} {hits[cat] / seen[cat]:.3f}")
    print(f"duplicates flagged in lookups (not counted): {duplicates}")
    print(
        f"stories in duplicate clusters: {len(groups)} ({exact} exact copies only, "
        f"{mixed} with a duplicate of another category)"
    )
    print(
        f"lookup: median {statistics.median(timings) * 1000:.1f} ms, "
        f"duplicate indexing {index_seconds / len(ids) * 1000:.2f} ms/story"
    )
    print("command: .venv/bin/python bench/related_bbc.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
