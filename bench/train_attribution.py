"""Fit the quote-speaker scorer (app/analysis/attribution_model.py) on PolNeAR train.

    .venv/bin/python bench/train_attribution.py            # fit, print figures, write model
    .venv/bin/python bench/train_attribution.py --check    # two-fold figures on train only

Every quote the extractor finds in a train article and that matches a gold direct quote
(same matching as bench/quotes_polnear.py) gives one ranking example: its speaker
candidates (app/analysis/attribution.py) with their features; a candidate is right when
its name holds the last word of the gold named Source. With --pronouns, quotes whose gold
Source is "he"/"she" are labelled by the bench's proxy referent too (off by default: the
proxy is often wrong itself). Quotes where no candidate, or every candidate, is right teach
nothing and are left out.

The model is a conditional logit (a logistic regression over each quote's candidates,
softmax-normalised), L2-regularised, fitted by full-batch gradient descent in pure Python.
The features of a quote depend on who earlier quotes went to, so fitting runs a few rounds:
extract with the current weights, fit, extract again with the new ones.

Only the train split is read. Dev is for the figures bench/quotes_polnear.py reports.
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import app.analysis.quotes as quotes_module  # noqa: E402
from app.analysis import attribution_model  # noqa: E402
from app.analysis.quotes import Traced  # noqa: E402
from bench.quotes_polnear import (  # noqa: E402
    Article,
    fair_referent,
    load_split,
    name_keys,
    source_kind,
    speaker_words,
)

MODEL_PATH = ROOT / "app" / "analysis" / "attribution_model.py"
Example = list[tuple[dict[str, float], bool]]  # one quote: (features, right?) per candidate


def examples(articles: list[Article], pronouns: bool) -> list[tuple[str, str, Example]]:
    """(article name, gold kind, candidates) for every matched quote that can teach."""
    out: list[tuple[str, str, Example]] = []
    for article in articles:
        trace: list[Traced] = []
        quotes_module._extract(article.text, trace)
        for start, end, cands in trace:
            first = cands[0].features if cands else {}
            if len(cands) < 2 or "rule:pronoun" in first:
                continue  # nothing to choose, or he/she (left to the rules)
            if "rule" not in first and any(name[:2] in ("A:", "F:") for name in first):
                continue  # a description or a fragment no rule gave an owner: left so
            length = max(1, end - start)
            hits = [(g.overlap(start, end), i) for i, g in enumerate(article.quotes)]
            overlap, index = max(hits, default=(0, -1))
            if overlap * 2 < length:
                continue
            gold = article.quotes[index]
            kind = source_kind(gold.source)
            if kind == "name":
                keys = name_keys(gold.source or "")
            elif kind == "pronoun" and pronouns:
                referent = fair_referent(article, gold)
                keys = {referent} if referent else set()
            else:
                continue
            if not keys:
                continue
            labelled = [(c.features, bool(keys & speaker_words(c.person.name))) for c in cands]
            n_right = sum(right for _, right in labelled)
            if 0 < n_right < len(labelled):
                out.append((article.name, kind, labelled))
    return out


def fit(data: list[Example], l2: float, rounds: int = 400) -> dict[str, float]:
    """Conditional-logit weights maximising the log-probability of the right candidates."""
    names = sorted({name for ex in data for feats, _ in ex for name in feats})
    index = {name: i for i, name in enumerate(names)}
    rows = [
        [([(index[n], v) for n, v in feats.items()], right) for feats, right in ex] for ex in data
    ]
    w = [0.0] * len(names)
    m = [0.0] * len(names)
    s = [0.0] * len(names)
    rate, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, rounds + 1):
        grad = [l2 * x for x in w]
        for ex in rows:
            scores = [sum(w[i] * v for i, v in feats) for feats, _ in ex]
            top = max(scores)
            exps = [math.exp(x - top) for x in scores]
            total = sum(exps)
            right_total = sum(e for e, (_, right) in zip(exps, ex, strict=True) if right)
            for e, (feats, right) in zip(exps, ex, strict=True):
                # d(-log P(right))/d score = p(candidate) - p(candidate | right)
                g = e / total - (e / right_total if right else 0.0)
                if g:
                    for i, v in feats:
                        grad[i] += g * v
        for i, g in enumerate(grad):
            m[i] = b1 * m[i] + (1 - b1) * g / len(rows)
            s[i] = b2 * s[i] + (1 - b2) * (g / len(rows)) ** 2
            mhat = m[i] / (1 - b1**step)
            shat = s[i] / (1 - b2**step)
            w[i] -= rate * mhat / (math.sqrt(shat) + 1e-8)
    return {name: w[i] for name, i in index.items() if abs(w[i]) >= 0.0005}


def accuracy(data: list[Example], weights: dict[str, float]) -> float:
    """Share of quotes whose best-scoring candidate (first on a tie) is right."""
    good = 0
    for ex in data:
        scores = [sum(weights.get(n, 0.0) * v for n, v in feats.items()) for feats, _ in ex]
        best = max(range(len(ex)), key=lambda k: (scores[k], -k))
        good += ex[best][1]
    return good / len(data) if data else 0.0


def write_model(weights: dict[str, float], n_examples: int, args: argparse.Namespace) -> None:
    lines = [
        '"""Weights of the quote-speaker scorer in app/analysis/attribution.py.',
        "",
        "Generated by bench/train_attribution.py (do not edit by hand): a conditional logit",
        f"fitted on PolNeAR train only ({n_examples} quotes with a named gold Source whose",
        f"candidates were not all right or all wrong), L2 {args.l2}, {args.rounds} gradient steps,",
        f"{args.passes} passes. Figures only: no corpus text is kept here.",
        "Regenerate with `.venv/bin/python bench/train_attribution.py`.",
        '"""',
        "",
        "WEIGHTS: dict[str, float] = {",
    ]
    for name in sorted(weights, key=lambda n: (-abs(weights[n]), n)):
        lines.append(f'    "{name}": {weights[name]:.3f},')
    lines.append("}")
    MODEL_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fold(name: str) -> int:
    return zlib.crc32(name.encode()) % 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--passes", type=int, default=2, help="extract-and-fit rounds")
    parser.add_argument("--pronouns", action="store_true", help="also learn from he/she proxy")
    parser.add_argument("--check", action="store_true", help="two-fold figures, write nothing")
    args = parser.parse_args()
    articles = load_split("train")
    print(f"command: {' '.join(['.venv/bin/python', *sys.argv])}")
    if args.check:
        data = examples(articles, args.pronouns)
        for k in (0, 1):
            fit_on = [ex for name, _, ex in data if _fold(name) != k]
            weights = fit(fit_on, args.l2, args.rounds)
            for kind in ("name", "pronoun"):
                held = [ex for name, kd, ex in data if _fold(name) == k and kd == kind]
                if held:
                    print(
                        f"fold {k} ({kind}): fit on {len(fit_on)}, held-out {len(held)}: "
                        f"rule alone {accuracy(held, {'rule': 1.0}):.3f}, fitted "
                        f"{accuracy(held, weights):.3f}"
                    )
        return
    weights = dict(attribution_model.WEIGHTS)
    for n in range(args.passes):
        attribution_model.WEIGHTS.clear()
        attribution_model.WEIGHTS.update(weights)
        ranked = [ex for _, _, ex in examples(articles, args.pronouns)]
        before = accuracy(ranked, weights)
        weights = fit(ranked, args.l2, args.rounds)
        print(
            f"pass {n + 1}: {len(ranked)} quotes; candidates ranked right {before:.3f} with the "
            f"weights in use, {accuracy(ranked, weights):.3f} after fitting"
        )
    write_model(weights, len(ranked), args)
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({len(weights)} weights)")


if __name__ == "__main__":
    main()
