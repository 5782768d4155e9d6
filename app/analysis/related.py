"""Related stories: the other stories about the same thing, with the reasons why.

A story's most salient terms (TF-IDF, document frequencies from the FTS5 vocabulary) become
one OR query ranked by bm25 over the library; stories sharing a topic or quoting the same
person join the candidates. Each candidate's score is its bm25 relative to the story's own
(1.0 means "as close as the story is to itself"), plus a bonus per shared topic and speaker.
Duplicates (the same story in another feed) come first, flagged, and are not counted.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.analysis.duplicates import duplicates_of, fold_text

if TYPE_CHECKING:
    from storage import Library

QUERY_TERMS = 12
SCORE_TERMS = 30
CANDIDATES = 30
TOPIC_BONUS = 0.25
SPEAKER_BONUS = 0.15
# Two shared topics or speakers say as much as any more would.
MAX_BONUS_COUNT = 2
REASON_TERMS = 4
# Below this a candidate only shares a word or two: noise, not a related story.
MIN_SCORE = 0.05
TITLE_WEIGHT = 3
BM25_K1 = 1.2
BM25_B = 0.75

# Function words the FTS index keeps but that never make two stories related.
_STOPWORD_TEXT = """
    a about above after again against all also although am among an and another any are
    around as at away back be because been before being below between both but by can could
    did do does doing down during each either even ever every few for from further get got
    had has have having he her here hers him his how however i if in into is it its just
    last least less like made make many may me might more most much must my near neither
    never new no nor not now of off often on once one only onto or other our out over own per
    rather said same say says see several she should since so some still such than that the
    their them then there these they this those though through thus to too toward under
    until up upon us very via was we well were what when where whether which while who whom
    whose why will with within without would yet you your mr mrs ms dr s t ll re ve d m
    told year years week day time people first two three according including
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W_]+")
_SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})


@dataclass(slots=True)
class RelatedStory:
    id: int
    title: str
    feed_title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    duplicate: bool = False


def terms(text: str) -> list[str]:
    """Tokens as the FTS5 unicode61 tokenizer makes them (lower case, no diacritics)."""
    return _WORD.findall(fold_text(text))


@dataclass(slots=True)
class _Query:
    """The story's salient terms, each with its weight in the story and its rarity."""

    weights: dict[str, float]  # term -> (1 + log tf) in the story
    idf: dict[str, float]

    @property
    def words(self) -> list[str]:
        return sorted(self.weights, key=lambda w: (-self.weights[w] * self.idf[w], w))


def _counts(title: str, body: str) -> Counter[str]:
    counts: Counter[str] = Counter(terms(body))
    for word in terms(title):
        counts[word] += TITLE_WEIGHT
    return counts


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _query_counts(
    title: str, body: str, pattern: re.Pattern[str] | None
) -> tuple[Counter[str], int]:
    """Occurrences of the query's words in a candidate, and its length in words; cheaper
    than tokenizing the whole candidate, which is most of a lookup's time otherwise."""
    length = len(body.split()) + TITLE_WEIGHT * len(title.split())
    if pattern is None:
        return Counter(), length
    counts = Counter(pattern.findall(fold_text(body)))
    for word in pattern.findall(fold_text(title)):
        counts[word] += TITLE_WEIGHT
    return counts, length


def _salient(library: Library, counts: Counter[str], k: int = QUERY_TERMS) -> _Query:
    candidates = {
        w: tf for w, tf in counts.items() if w not in STOPWORDS and len(w) >= 3 and not w.isdigit()
    }
    if not candidates:
        return _Query({}, {})
    total = max(library.indexed_story_count(), 1)
    docs = library.term_document_counts(candidates, total=total)
    weights: dict[str, float] = {}
    idf: dict[str, float] = {}
    for word, tf in candidates.items():
        df = docs.get(word, 0)
        if df < 2:  # only this story has it: it cannot relate to another
            continue
        # The BM25 idf that never goes negative, so common words weigh little, not less
        # than nothing, even in a small library.
        idf[word] = math.log(1 + (total - df + 0.5) / (df + 0.5))
        weights[word] = 1 + math.log(tf)
    ranked = sorted(weights, key=lambda w: (-weights[w] * idf[w], w))[:k]
    return _Query({w: weights[w] for w in ranked}, {w: idf[w] for w in ranked})


def salient_terms(library: Library, title: str, body: str, k: int = QUERY_TERMS) -> list[str]:
    """The story's top TF-IDF terms that other stories could share, best first."""
    return _salient(library, _counts(title, body), k).words


def _bm25(query: _Query, counts: Counter[str], length: int, average: float) -> float:
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / max(average, 1.0))
    score = 0.0
    for word, weight in query.weights.items():
        tf = counts.get(word, 0)
        if tf:
            score += weight * query.idf[word] * tf * (BM25_K1 + 1) / (tf + norm)
    return score


def _match(words: list[str]) -> str:
    return "{title text} : (" + " OR ".join(f'"{w}"' for w in words) + ")"


def _speaker_worth_naming(name: str) -> bool:
    return name.lower() not in _SPEAKER_PRONOUNS and any(c.isupper() for c in name)


def find_related(library: Library, story_id: int, limit: int = 10) -> list[RelatedStory]:
    """Up to `limit` related stories, best first, after this story's duplicates (flagged
    `duplicate=True`, not counted in the limit)."""
    bodies = library.story_bodies([story_id])
    if story_id not in bodies:
        return []
    title, body = bodies[story_id]
    duplicates = duplicates_of(library, story_id)
    excluded = {story_id, *duplicates}

    own_counts = _counts(title, body)
    # A few terms find the candidates; more of them score the candidates found.
    query = _salient(library, own_counts, SCORE_TERMS)
    scored_words = query.words
    words = scored_words[:QUERY_TERMS]
    found: list[int] = []
    if words:
        # FTS5 finds the candidates fast; they are then scored below with a BM25 whose idf
        # stays positive (FTS5 clamps the idf of words in over half the stories to ~0).
        found = [
            sid
            for sid, _ in library.fts_ranked(_match(words), limit=CANDIDATES + len(excluded))
            if sid not in excluded
        ]

    topics = {
        sid: names
        for sid, names in library.stories_sharing_tags(story_id).items()
        if sid not in excluded
    }
    speakers = [s for s in library.quoted_speakers(story_id) if _speaker_worth_naming(s)]
    quoting = {
        sid: names
        for sid, names in library.stories_quoting(speakers, exclude=story_id).items()
        if sid not in excluded
    }
    candidates = list(dict.fromkeys([*found, *topics, *quoting]))
    other_bodies = library.story_bodies(candidates)
    pattern = _words_pattern(scored_words)
    other_counts: dict[int, Counter[str]] = {}
    lengths: dict[int, int] = {}
    for sid in candidates:
        if sid in other_bodies:
            other_counts[sid], lengths[sid] = _query_counts(*other_bodies[sid], pattern)
    own_length = sum(own_counts.values())
    average = (own_length + sum(lengths.values())) / (1 + len(lengths))
    self_score = _bm25(query, own_counts, own_length, average)
    scores = {
        sid: _bm25(query, c, lengths[sid], average) / self_score if self_score > 0 else 0.0
        for sid, c in other_counts.items()
    }

    combined: dict[int, float] = {}
    for sid in scores:
        similarity = scores[sid]
        bonus = TOPIC_BONUS * min(len(topics.get(sid, ())), MAX_BONUS_COUNT)
        bonus += SPEAKER_BONUS * min(len(quoting.get(sid, ())), MAX_BONUS_COUNT)
        combined[sid] = min(similarity, 1.0) + bonus
    ranked = sorted(combined, key=lambda sid: (-combined[sid], -sid))
    best = [sid for sid in ranked if combined[sid] >= MIN_SCORE][:limit]

    stubs = library.story_stubs([*duplicates, *best])
    result: list[RelatedStory] = []
    for sid in duplicates:
        stub = stubs.get(sid)
        if stub is not None:
            reasons = [f"same story, also in {stub.feed_title}"]
            result.append(RelatedStory(sid, stub.title, stub.feed_title, 1.0, reasons, True))
    for sid in best:
        stub = stubs.get(sid)
        if stub is None:
            continue
        reasons = [f"shared topic: {name}" for name in topics.get(sid, ())[:MAX_BONUS_COUNT]]
        reasons += [f"both quote {name}" for name in quoting.get(sid, ())[:MAX_BONUS_COUNT]]
        common = [w for w in scored_words if w in other_counts[sid]]
        if common:
            reasons.append("shared terms: " + ", ".join(common[:REASON_TERMS]))
        result.append(
            RelatedStory(
                sid, stub.title, stub.feed_title, round(combined[sid], 3), reasons or ["similar"]
            )
        )
    return result
