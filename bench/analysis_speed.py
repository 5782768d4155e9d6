"""Analysis speed: quotes + highlights + topics (rules, suggested) per story, on one core.

Run by hand from the project root:  .venv/bin/python bench/analysis_speed.py
Reads the .txt files of ../shared/corpora/polnear/dev/text (only those) and runs
pipeline.analyse_text on each, as ingest does, with a few topic rules. Prints stories/s for
the whole and for each part. Target: >= 200 stories/s.

Rates are taken from CPU time (the fastest of a few rounds), which is what one core does; on
this shared machine wall time also counts the moments another job held the core. The wall
rate of the whole is printed beside it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis import pipeline  # noqa: E402
from app.analysis.highlights import find_highlights  # noqa: E402
from app.analysis.quotes import extract_quotes  # noqa: E402
from app.analysis.topics.rules import RuleDocument, compile_rule  # noqa: E402
from app.analysis.topics.suggested import suggest_topics  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "polnear" / "dev" / "text"
ROUNDS = 5
RULES = [
    ("Election", "election* OR vote* OR ballot*"),
    ("Clinton health", 'clinton AND (health OR "medical" OR pneumonia)'),
    ("Debates", "debate* AND NOT sport*"),
]


def load() -> list[tuple[str, str]]:
    stories = []
    for path in sorted(CORPUS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8").strip()
        title, _, body = raw.partition("\n\n")
        stories.append((title, body))
    return stories


def rate(label: str, n: int, seconds: float) -> None:
    print(f"{label:<28} {n / seconds:8.0f} stories/s")


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"needs {CORPUS}")
    stories = load()
    rules = [(name, compile_rule(expr)) for name, expr in RULES]
    n = len(stories) * ROUNDS
    words = sum(len(body.split()) for _, body in stories) // len(stories)
    print(f"PolNeAR dev: {len(stories)} stories (mean {words} words), best of {ROUNDS} rounds")

    def timed(
        fn: Callable[[str, str], object], clock: Callable[[], float] = time.process_time
    ) -> float:
        """Seconds for all rounds, at the pace of the fastest round (the machine is shared)."""
        best = float("inf")
        for _ in range(ROUNDS):
            started = clock()
            for title, body in stories:
                fn(title, body)
            best = min(best, clock() - started)
        return best * ROUNDS

    def whole(t: str, b: str) -> None:
        pipeline.analyse_text(b, title=t, rules=rules)

    rate("quotes+highlights+topics", n, timed(whole))
    rate("  (wall clock)", n, timed(whole, time.perf_counter))
    rate("  quotes", n, timed(lambda t, b: extract_quotes(b)))
    rate("  highlights", n, timed(lambda t, b: find_highlights(b, title=t)))
    rate("  rules (3)", n, timed(lambda t, b: [r.matches(RuleDocument(t, b)) for _, r in rules]))
    rate("  suggested topics", n, timed(lambda t, b: suggest_topics(t, b)))
    print("command: .venv/bin/python bench/analysis_speed.py")


if __name__ == "__main__":
    main()
