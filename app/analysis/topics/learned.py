"""Learned topics: a tag the user put on 3+ stories by hand is offered for similar stories.

Each such tag becomes a TF-IDF centroid of its stories. A story's score for a tag is its cosine
to that centroid, relative to how close the tag's own stories sit to it, so one threshold
works for tight and loose tags alike. Above SUGGEST the tag is suggested; above APPLY it is
applied (source "learned"). A tag the user took off a story is never put back (storage
enforces that too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.analysis.textstats import DocumentFrequencies, Vector, cosine, normalise, term_counts

MIN_EXAMPLES = 3
SUGGEST = 0.5
APPLY = 0.75
# Stories sampled for document frequencies: enough for stable IDF, cheap to read.
DF_SAMPLE = 2000
# Self-training, measured on BBC News (bench/topics_bbc.py): two rounds, the clearest 80% of
# the stories nearest each tag, weighing together nine times its hand-tagged examples.
SELF_TRAIN_ROUNDS = 2
SELF_TRAIN_LIMIT = 2000
SELF_TRAIN_KEEP = 0.8
SELF_TRAIN_WEIGHT = 9.0
SELF_TRAIN_GUARD = 0.8
# A small library has too few stories to find a tag's middle; its examples are all there is.
SELF_TRAIN_MIN_STORIES = 100


@dataclass(slots=True)
class TagModel:
    name: str
    centroid: Vector
    typical: float  # mean cosine of the tag's own stories to the centroid
    examples: set[int] = field(default_factory=set)


class LearnedTopics:
    def __init__(self, df: DocumentFrequencies, tags: list[TagModel]) -> None:
        self.df = df
        self.tags = tags

    @classmethod
    def train(
        cls,
        examples: Mapping[str, Iterable[tuple[int, str, str]]],
        background: Iterable[tuple[str, str]] = (),
    ) -> LearnedTopics:
        """examples: tag -> (story id, title, text) put on by hand; background: other stories
        (title, text) that give the words their weights."""
        df = DocumentFrequencies()
        others = []
        for title, text in background:
            counts = term_counts(f"{title}\n{text}")
            df.add(counts)
            others.append(counts)
        prepared: dict[str, list[tuple[int, Counter[str]]]] = {}
        for name, stories in examples.items():
            rows = [(sid, term_counts(f"{title}\n{text}")) for sid, title, text in stories]
            if len(rows) < MIN_EXAMPLES:
                continue
            prepared[name] = rows
            for _, counts in rows:
                df.add(counts)
        names = sorted(prepared)
        positives = {name: [df.vector(c) for _, c in prepared[name]] for name in names}
        sums = {name: _sum(positives[name]) for name in names}
        centroids = {name: normalise(sums[name]) for name in names}
        # Self-training: a few examples are a noisy centre. Library stories clearly closest to
        # one tag (and closer to it than to the library's average story) pull its centroid
        # towards the middle of its stories; the most ambiguous fifth is left out.
        unlabelled = [df.vector(c) for c in others[:SELF_TRAIN_LIMIT]] if names else []
        average = normalise(_sum(unlabelled))
        enough = names and len(unlabelled) >= SELF_TRAIN_MIN_STORIES
        for _ in range(SELF_TRAIN_ROUNDS if enough else 0):
            pulled: dict[str, list[tuple[float, Vector]]] = {n: [] for n in names}
            for vec in unlabelled:
                ranked = sorted(((cosine(vec, centroids[n]), n) for n in names), reverse=True)
                best, name = ranked[0]
                floor = SELF_TRAIN_GUARD * cosine(vec, average)
                if best < floor:
                    continue
                runner_up = max(ranked[1][0] if len(ranked) > 1 else 0.0, floor)
                pulled[name].append((best - runner_up, vec))
            for n in names:
                kept = sorted(pulled[n], key=lambda mv: -mv[0])
                kept = kept[: int(len(kept) * SELF_TRAIN_KEEP)]
                total = dict(sums[n])
                if kept:
                    scale = SELF_TRAIN_WEIGHT * len(positives[n]) / len(kept)
                    for term, w in _sum(v for _, v in kept).items():
                        total[term] = total.get(term, 0.0) + scale * w
                centroids[n] = normalise(total)
        models = [
            TagModel(
                n,
                centroids[n],
                max(_typical(positives[n], centroids[n]), 1e-6),
                {sid for sid, _ in prepared[n]},
            )
            for n in names
        ]
        return cls(df, models)

    def scores(self, title: str, text: str) -> dict[str, float]:
        """Each learned tag's score for a story: ~1.0 means as close as the tag's own stories."""
        vec = self.df.vector(term_counts(f"{title}\n{text}"))
        return {m.name: cosine(vec, m.centroid) / m.typical for m in self.tags}

    def classify(
        self, title: str, text: str, story_id: int | None = None
    ) -> list[tuple[str, float, str]]:
        """(tag, score, source) for tags that reach SUGGEST; source 'learned' from APPLY."""
        out = []
        vec = self.df.vector(term_counts(f"{title}\n{text}"))
        for model in self.tags:
            if story_id is not None and story_id in model.examples:
                continue  # the user's own choice stands; nothing to learn about it
            score = cosine(vec, model.centroid) / model.typical
            name = model.name
            if score >= APPLY:
                out.append((name, round(score, 3), "learned"))
            elif score >= SUGGEST:
                out.append((name, round(score, 3), "suggested"))
        return out

    @classmethod
    def from_library(cls, library: Any) -> LearnedTopics:
        """The model for a library: cached until the user's hand-made tags change."""
        signature = _signature(library)
        key = str(library.path)
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == signature:
            return cached[1]
        examples_ids = {name: ids for name, ids in signature if len(ids) >= MIN_EXAMPLES}
        if not examples_ids:  # nothing tagged by hand often enough: nothing to learn
            model = cls(DocumentFrequencies(), [])
            _CACHE[key] = (signature, model)
            return model
        wanted = {sid for ids in examples_ids.values() for sid in ids}
        sample = [r.id for r in library.list_stories(limit=DF_SAMPLE)]
        texts = library.story_texts(wanted | set(sample))
        examples = {
            name: [(sid, *texts[sid]) for sid in ids if sid in texts]
            for name, ids in examples_ids.items()
        }
        background = [texts[sid] for sid in sample if sid in texts and sid not in wanted]
        model = cls.train(examples, background)
        _CACHE[key] = (signature, model)
        return model


_CACHE: dict[str, tuple[Any, LearnedTopics]] = {}


def _sum(vectors: Iterable[Vector]) -> dict[str, float]:
    out: dict[str, float] = {}
    for vec in vectors:
        for term, w in vec.items():
            out[term] = out.get(term, 0.0) + w
    return out


def _typical(vectors: list[Vector], centroid: Vector) -> float:
    return sum(cosine(v, centroid) for v in vectors) / len(vectors)


def _signature(library: Any) -> tuple[tuple[str, tuple[int, ...]], ...]:
    out = []
    for summary in library.tag_summaries():
        if summary.story_count < MIN_EXAMPLES:
            continue
        ids = library.stories_tagged(summary.name, ("user",))
        if len(ids) >= MIN_EXAMPLES:
            out.append((summary.name, tuple(ids)))
    return tuple(out)
