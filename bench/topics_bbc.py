"""Learned topics on BBC News: tag k stories per category by hand, score the val set.

Run by hand from the project root:  .venv/bin/python bench/topics_bbc.py
Reads ../shared/corpora/bbc-news/{train,val}.csv. For each k and seed, k train stories per
category are "tagged by hand"; every train and val story is in the library (untagged ones
give the words their weights, as in a real library); each val story gets the learned tag
with the highest score. Prints accuracy averaged over the seeds.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis.topics.learned import APPLY, SUGGEST, LearnedTopics  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "bbc-news"
SEEDS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
KS = (5, 20)


def load(name: str) -> list[tuple[str, str]]:
    with (CORPUS / name).open(newline="", encoding="utf-8") as fh:
        return [(row["text"], row["category"]) for row in csv.DictReader(fh)]


Result = tuple[float, float, float, float, float]


def run(k: int, seed: int, train: list[tuple[str, str]], val: list[tuple[str, str]]) -> Result:
    """accuracy of the best tag; precision and recall of tags applied ("learned") and of
    tags at least suggested, per (story, tag) pair."""
    rng = random.Random(seed)
    by_cat: dict[str, list[int]] = {}
    for i, (_, cat) in enumerate(train):
        by_cat.setdefault(cat, []).append(i)
    examples = {
        cat: [(i, "", train[i][0]) for i in rng.sample(sorted(ids), k)]
        for cat, ids in sorted(by_cat.items())
    }
    chosen = {i for rows in examples.values() for i, _, _ in rows}
    background = [("", t) for i, (t, _) in enumerate(train) if i not in chosen]
    background += [("", t) for t, _ in val]
    model = LearnedTopics.train(examples, background)
    right = applied = applied_ok = offered = offered_ok = 0
    for text, cat in val:
        scores = model.scores("", text)
        best = max(sorted(scores), key=lambda name: scores[name])
        right += best == cat
        for name, score in scores.items():
            if score >= APPLY:
                applied += 1
                applied_ok += name == cat
            if score >= SUGGEST:
                offered += 1
                offered_ok += name == cat
    n = len(val)
    return (
        right / n,
        applied_ok / max(1, applied),
        applied_ok / n,
        offered_ok / max(1, offered),
        offered_ok / n,
    )


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"needs {CORPUS}")
    train, val = load("train.csv"), load("val.csv")
    print(f"BBC News: {len(train)} train, {len(val)} val stories; seeds {list(SEEDS)}")
    for k in KS:
        started = time.perf_counter()
        results = [run(k, seed, train, val) for seed in SEEDS]
        accs = [r[0] for r in results]
        mean = [sum(col) / len(col) for col in zip(*results, strict=True)]
        spread = f"min {min(accs):.3f} max {max(accs):.3f}"
        took = (time.perf_counter() - started) / len(SEEDS)
        print(f"k={k:>2} per category: accuracy {mean[0]:.3f} ({spread}), {took:.1f} s per draw")
        print(
            f"      applied (score >= {APPLY}): precision {mean[1]:.3f} recall {mean[2]:.3f}; "
            f"suggested (>= {SUGGEST}): precision {mean[3]:.3f} recall {mean[4]:.3f}"
        )
    print("command: .venv/bin/python bench/topics_bbc.py")


if __name__ == "__main__":
    main()
