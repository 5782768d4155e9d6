"""Quotes on real feeds, news and not: how many, how many with a speaker (run by hand).

    .venv/bin/python bench/quotes_realfeeds.py              # counts over the 200 feeds
    .venv/bin/python bench/quotes_realfeeds.py --show 40    # and 40 quotes with a speaker

Reads every feed in ../shared/corpora/real-feeds (blogs, documentation and news sites), parses
it as a refresh does and analyses its first three stories. There is no gold here: the counts
say how much Byline claims, and `--show` prints quotes with their speaker and the words before
them, to read by hand. Blogs quote strings, headings and product names; a speaker given to
those is a visible error, which PolNeAR (news only) cannot show.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis.pipeline import analyse_text  # noqa: E402
from app.ingest.parse import parse_feed  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "real-feeds"
STORIES_PER_FEED = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", type=int, default=0, help="print this many quotes at random")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.iterdir() if p.is_file()) if args.corpus.is_dir() else []
    if not files:
        raise SystemExit(f"no feeds found in {args.corpus}")
    feeds = stories = quotes = spoken = 0
    seen: list[str] = []
    for path in files:
        try:
            feed = parse_feed(path.read_bytes(), url="http://127.0.0.1/")
        except Exception:  # a corpus file that is no feed is counted out, not fatal
            continue
        feeds += 1
        for entry in feed.entries[:STORIES_PER_FEED]:
            result = analyse_text(entry.text or "", title=entry.title or "")
            stories += 1
            for q in result.quotes:
                quotes += 1
                if q.speaker:
                    spoken += 1
                    before = result.text[max(0, q.start - 60) : q.start].replace("\n", " ")
                    seen.append(f"{q.speaker[:24]!r:27} …{before}«{q.text[:50]}»")
    print(f"command: {' '.join(['.venv/bin/python', *sys.argv])}")
    print(f"feeds: {feeds}, stories: {stories} (the first {STORIES_PER_FEED} of each feed)")
    share = spoken / quotes if quotes else 0.0
    print(f"quotes: {quotes}, with a speaker: {spoken} ({share:.2f})")
    for line in random.Random(args.seed).sample(seen, min(args.show, len(seen))):
        print(line)


if __name__ == "__main__":
    main()
