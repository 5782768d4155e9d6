"""Choose a quote's speaker among the people near it, with a learned linear scorer.

The rules in speakers.py and quotes.py read the attribution next to a quote and propose a
speaker; here that proposal becomes one feature among several, and every person mentioned
near the quote (plus the previous quote's speaker) is a candidate. Each candidate gets a
few sparse features (which rule proposed it, how far away it was last mentioned, whether
it opens the sentence, whether it spoke before, gender agreement with a "he"/"she" cue,
whether it looks like an organisation), and the candidate with the highest weighted sum
wins. The weights live in attribution_model.py and are fitted by bench/train_attribution.py.

Linear in the number of quotes: each quote looks at a bounded window of mentions.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from app.analysis.names import People, Person

# How far back (characters) and how many mentions back a candidate may come from.
_WINDOW = 2500
_MAX_MENTIONS = 60
_MAX_BEFORE = 6  # distinct people before the quote
_MAX_LATER = 4  # distinct people after it


@dataclass(slots=True)
class Candidate:
    person: Person
    features: dict[str, float]


@dataclass(slots=True)
class QuoteSite:
    """Where a quote sits and what the rules made of it."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark (or paragraph end)
    sentence_start: int
    paragraph_start: int
    after_end: int  # end of the words read after the quote for its attribution
    paragraph_end: int  # end of the quote's paragraph
    later_end: int  # end of the paragraph after it (a speaker named only further on)
    path: str  # which rule proposed the speaker ("after", "before", ..., "none")
    kind: str  # what that rule read: "name", "pronoun", "description" or "none"
    pronoun: str | None  # "he"/"she" when the attribution is a pronoun
    partial: bool


def _distance_bin(distance: int) -> str:
    if distance < 60:
        return "0"
    if distance < 200:
        return "1"
    if distance < 600:
        return "2"
    if distance < 1500:
        return "3"
    return "4"


def candidates(
    people: People,
    site: QuoteSite,
    proposed: Person | None,
    last: Person | None,
    spoken: dict[int, int],
) -> list[Candidate]:
    """Every plausible speaker of the quote at `site`, each with its features. The rule's
    proposal, when there is one, comes first (it wins ties)."""
    order: list[Person] = []
    nearest_before: dict[int, int] = {}  # index into people.mentions
    after_seen: set[int] = set()
    mentions = people.mentions
    i = bisect_left(people.starts, site.open) - 1
    looked = 0
    while i >= 0 and looked < _MAX_MENTIONS:
        mention = mentions[i]
        if mention.start < site.open - _WINDOW:
            break
        key = id(mention.person)
        if key not in nearest_before:
            if len(nearest_before) >= _MAX_BEFORE:
                i -= 1
                looked += 1
                continue
            nearest_before[key] = i
            order.append(mention.person)
        i -= 1
        looked += 1
    later: dict[int, str] = {}  # people named after the attribution's words: where
    j = bisect_left(people.starts, site.close)
    while j < len(mentions) and mentions[j].start < site.later_end and len(later) < _MAX_LATER:
        mention = mentions[j]
        j += 1
        key = id(mention.person)
        if key in after_seen or key in later:
            continue
        if mention.start < site.after_end:
            after_seen.add(key)
        else:
            later[key] = "para" if mention.start < site.paragraph_end else "next"
        if key not in nearest_before:
            order.append(mention.person)
    if last is not None and all(p is not last for p in order):
        order.append(last)
    if proposed is not None:
        order = [proposed, *(p for p in order if p is not proposed)]
    # Features of position mean different things with and without an attribution, and for
    # a fragment inside a sentence: keep them apart.
    # "P" is a he/she attribution: choosing among antecedents is a problem of its own.
    if site.kind == "pronoun":
        state = "P"
    elif site.kind != "none":
        state = "A"
    else:
        state = "F" if site.partial else "N"
    out: list[Candidate] = []
    for person in order:
        key = id(person)
        f: dict[str, float] = {}
        if person is proposed:
            f["rule"] = 1.0
            f["rule:" + site.path] = 1.0
            f["rule:" + site.kind] = 1.0
        if person is last:
            f[state + ":last"] = 1.0
        count = spoken.get(key, 0)
        if count:
            f[state + ":spoke"] = math.log1p(count)
        index = nearest_before.get(key)
        if index is not None:
            mention = mentions[index]
            f[state + ":dist" + _distance_bin(site.open - mention.start)] = 1.0
            if mention.start >= site.sentence_start:
                f[state + ":same_sentence"] = 1.0
            elif mention.start >= site.paragraph_start:
                f[state + ":same_paragraph"] = 1.0
            if mention.opens:
                f[state + ":opens"] = 1.0
            elif mention.subject:
                f[state + ":subject"] = 1.0
        else:
            f[state + ":not_before"] = 1.0
        if key in after_seen:
            f[state + ":after"] = 1.0
        elif key in later:
            f[state + ":later_" + later[key]] = 1.0
        if site.pronoun is not None:
            gender = "m" if site.pronoun in ("he", "him") else "f"
            if person.gender is None:
                f[state + ":gender_unknown"] = 1.0
            elif person.gender != gender:
                f[state + ":gender_conflict"] = 1.0
        if not (person.can_be("m") or person.can_be("f")):
            f[state + ":orgish"] = 1.0
        if len(person.name.split()) == 1:
            f[state + ":one_word"] = 1.0
        if person.title:
            f[state + ":title"] = 1.0
        out.append(Candidate(person, f))
    return out


def score(features: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def choose(cands: list[Candidate], weights: dict[str, float]) -> Person | None:
    """The best-scoring candidate (the first one on a tie), or None when there is none."""
    best: Person | None = None
    best_score = -math.inf
    for cand in cands:
        s = score(cand.features, weights)
        if s > best_score:
            best, best_score = cand.person, s
    return best
