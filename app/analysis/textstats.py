"""Small text statistics shared by highlights and topics: words, stopwords, TF-IDF vectors.

Pure Python on purpose: a story is a few hundred words, and dictionaries of term weights are
fast enough at that size without pulling numpy into start-up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
POSSESSIVE = re.compile(r"'s\b")

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at away back be became because become been before being
    below between both but by can cannot could did do does doing done down during each either
    else enough even ever every few for from further get gets getting given go goes going gone
    got had has have having he her here hers herself him himself his how however i if in
    into is it its itself just last least less like made make makes many may me might more
    most much must my myself neither never new no nor not now of off often on once one only
    onto or other others otherwise our ours ourselves out over own per perhaps put rather
    really said same say says see seen several shall she should since so some something
    still such than that the their theirs them themselves then there these they this those
    though through thus to too toward towards under until up upon us use used very via was
    we well were what whatever when where whether which while who whom whose why will with
    within without would yet you your yours yourself yourselves
    mr mrs ms dr year years time told week weeks day days month months people first two three
    according including added new news'll 's 't 're 've 'd 'm s t
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes and inner hyphens stay inside a word."""
    return WORD.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> list[str]:
    """Words worth counting: no stopwords, no single letters, possessive 's dropped."""
    found = WORD.findall(POSSESSIVE.sub("", text.lower().replace("’", "'")))
    return [w for w in found if len(w) > 1 and w not in STOPWORDS]


Vector = dict[str, float]


def term_counts(text: str) -> Counter[str]:
    return Counter(content_words(text))


def normalise(vec: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm == 0:
        return {}
    return {k: v / norm for k, v in vec.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two already-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class DocumentFrequencies:
    """How many documents hold each term: the 'IDF' half of TF-IDF."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def add(self, terms: Iterable[str]) -> None:
        self.df.update(set(terms))
        self.n_docs += 1

    def idf(self, term: str) -> float:
        # Smoothed, so a term never seen still weighs the most and nothing is negative.
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def vector(self, counts: Mapping[str, int]) -> Vector:
        """Sublinear TF times IDF, unit length."""
        return normalise({t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0})
