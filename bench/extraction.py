"""Full-text extraction quality on the article-extraction benchmark.

For each page in ../shared/corpora/article-extraction/html, runs Byline's extract_article and
compares the text with ground-truth.json's articleBody. Both texts are cut into word tokens
(runs of letters/digits, case kept); matching is on the multiset of n-grams of those tokens
(n=1: tokens; n=4: the benchmark's shingles). Per page, true positives, false positives and
false negatives are normalised to sum to 1 so a long page weighs no more than a short one;
precision and recall are the means over pages, F1 their harmonic mean.

    .venv/bin/python bench/extraction.py [--ngram N] [--worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analysis.fulltext import extract_article  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "article-extraction"
TOKEN = re.compile(r"\w+")


def grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(truth: str, predicted: str, n: int) -> tuple[float, float, float]:
    """(tp, fp, fn) over n-gram multisets, normalised to sum to 1."""
    want, got = grams(truth, n), grams(predicted, n)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(pages: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in pages if tp + fp]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in pages if tp + fn]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ngram", type=int, default=0, help="only this n (default: 1 and 4)")
    parser.add_argument("--worst", type=int, default=0, help="list the K worst pages")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"needs the corpus at {CORPUS}")
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))

    predicted: dict[str, str] = {}
    started = time.perf_counter()
    for key, item in sorted(truth.items()):
        with gzip.open(CORPUS / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        predicted[key] = extract_article(html, item.get("url")).text
    seconds = time.perf_counter() - started

    print(f"pages: {len(truth)}, extraction {seconds / len(truth) * 1000:.0f} ms/page")
    for n in [args.ngram] if args.ngram else [1, 4]:
        per_page = {
            key: page_counts(item.get("articleBody", ""), predicted[key], n)
            for key, item in truth.items()
        }
        precision, recall, f1 = scores(list(per_page.values()))
        label = "tokens" if n == 1 else f"{n}-gram shingles"
        print(f"{label:<16} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
        if args.worst:
            worst = sorted(per_page, key=lambda k: per_page[k][0])[: args.worst]
            for key in worst:
                tp, fp, fn = per_page[key]
                print(f"    {key[:12]} tp {tp:.2f} fp {fp:.2f} fn {fn:.2f} {truth[key]['url']}")
    print("command: .venv/bin/python bench/extraction.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
