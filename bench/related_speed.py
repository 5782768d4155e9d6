"""Related-story lookup time on a large synthetic library (default 100,000 stories).

Stories are generated from a word distribution: a Zipf-distributed background vocabulary of
pseudo-words plus, for each story, the vocabulary of one of many threads (so related stories
exist and term frequencies look like news). The library is built once in a file and reused
(--db), duplicates are indexed for a sample (--index-duplicates), then find_related is timed
on random stories; prints the median and p95 in milliseconds and the command.

    .venv/bin/python bench/related_speed.py [--stories N] [--lookups K] [--db PATH]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis.duplicates import index_stories  # noqa: E402
from app.analysis.related import find_related  # noqa: E402
from storage import Library, open_library  # noqa: E402
from storage.models import Entry  # noqa: E402

VOCABULARY = 60_000
THREADS = 4_000
THREAD_WORDS = 25
STORY_WORDS = (120, 600)
THREAD_SHARE = 0.25
FEEDS = 50
CONSONANTS = "bcdfghklmnprstvz"
VOWELS = "aeiou"


def pseudo_words(n: int) -> list[str]:
    """n distinct pronounceable words of 2-4 syllables ("kotara", "vimel")."""
    syllables = [c + v for c in CONSONANTS for v in VOWELS]
    words: list[str] = []
    for size in (2, 3, 4):
        for combo in itertools.product(syllables, repeat=size):
            words.append("".join(combo))
            if len(words) == n:
                return words
    return words


def build(path: Path, stories: int, seed: int) -> None:
    rng = random.Random(seed)
    words = pseudo_words(VOCABULARY)
    rng.shuffle(words)
    # Zipf background: word rank r has weight 1 / r^1.07, like running text.
    cumulative = list(itertools.accumulate(1 / (r**1.07) for r in range(1, len(words) + 1)))
    mid = words[2_000:]  # thread vocabularies come from the less common words
    threads = [rng.sample(mid, THREAD_WORDS) for _ in range(THREADS)]
    library = open_library(path)
    per_feed = stories // FEEDS
    started = time.perf_counter()
    for f in range(FEEDS):
        feed = library.add_feed(f"https://feed{f}.example/rss", title=f"Feed {f}")
        entries = []
        for i in range(per_feed):
            thread = threads[rng.randrange(THREADS)]
            length = rng.randint(*STORY_WORDS)
            own = int(length * THREAD_SHARE)
            body = rng.choices(words, cum_weights=cumulative, k=length - own)
            body += rng.choices(thread, k=own)
            rng.shuffle(body)
            title = rng.choices(thread, k=4) + rng.choices(words, cum_weights=cumulative, k=4)
            paragraphs = [" ".join(body[j : j + 60]) for j in range(0, len(body), 60)]
            entries.append(
                Entry(
                    uid=f"{f}-{i}",
                    title=" ".join(title).capitalize(),
                    text="\n\n".join(p.capitalize() + "." for p in paragraphs),
                )
            )
        library.upsert_entries(feed.id, entries)
        print(f"\rbuilding: {(f + 1) * per_feed} stories", end="", file=sys.stderr, flush=True)
    print(f" in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    library.conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('optimize')")
    library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--db", type=Path, help="library file to build once and reuse")
    parser.add_argument(
        "--index-duplicates", type=int, default=2_000, help="stories to index for duplicates"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    scratch = None if args.db else tempfile.TemporaryDirectory()
    path = args.db or Path(scratch.name) / "related-speed.db"  # type: ignore[union-attr]
    try:
        if not path.exists():
            build(path, args.stories, args.seed)
        measure(path, args)
    finally:
        if scratch is not None:  # a library of 100k stories is not left behind in /tmp
            scratch.cleanup()


def measure(path: Path, args: argparse.Namespace) -> None:
    library: Library = open_library(path)
    ids = [r[0] for r in library.conn.execute("SELECT id FROM stories ORDER BY id")]
    rng = random.Random(args.seed + 1)
    if args.index_duplicates:
        started = time.perf_counter()
        sample = rng.sample(ids, min(args.index_duplicates, len(ids)))
        index_stories(library, sample)
        per_story = (time.perf_counter() - started) / len(sample) * 1000
        print(f"duplicate indexing: {per_story:.2f} ms/story ({len(sample)} stories)")

    chosen = rng.sample(ids, min(args.lookups, len(ids)))
    find_related(library, chosen[0])  # warm the page cache once, as a running reader has
    timings = []
    cpu = []
    found = 0
    for story_id in chosen:
        started, started_cpu = time.perf_counter(), time.process_time()
        related = find_related(library, story_id)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        found += len(related)
    library.close()
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"library: {len(ids)} stories ({path})")
    print(f"lookups: {len(timings)}, related per story: {found / len(timings):.1f}")
    print(f"find_related: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    cpu.sort()
    cpu_p95 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.95))]
    # CPU time of this process alone: what the lookup costs on a machine not shared.
    print(f"  cpu time: median {statistics.median(cpu):.1f} ms, p95 {cpu_p95:.1f} ms")
    print("command: .venv/bin/python bench/related_speed.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
