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
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from app.analysis.names import (
    ORG_WORDS,
    PLACES,
    Mention,
    People,
    Person,
    Run,
    name_runs,
    norm,
    word_set,
)
from app.analysis.speakers import SPEECH_VERBS

# How far back (characters) and how many mentions back a candidate may come from.
_WINDOW = 2500
_MAX_MENTIONS = 60
_MAX_BEFORE = 6  # distinct people before the quote
_MAX_LATER = 4  # distinct people after it
_MAX_ORGS = 2  # distinct organisations on each side


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
    pronoun: str | None  # "he"/"she": the attribution, or the last he/his/she/her before
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
    orgs: Organisations | None = None,
    last_at: int = -1,
    salience: dict[int, int] | None = None,
    looks_seen: dict[tuple[int, bool], tuple[str, ...]] | None = None,
) -> list[Candidate]:
    """Every plausible speaker of the quote at `site`, each with its features. The rule's
    proposal, when there is one, comes first (it wins ties). `looks_seen` keeps what each
    name looks like across the quotes of one story."""
    if looks_seen is None:
        looks_seen = {}
    near = _Nearby()
    near.gather(people.mentions, people.starts, site, _MAX_BEFORE, _MAX_LATER)
    if orgs is not None and orgs.mentions:
        near.gather(orgs.mentions, orgs.starts, site, _MAX_ORGS, _MAX_ORGS)
    order = near.order
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
    nearest_before, after_seen, later = near.before, near.after, near.later
    for person in order:
        key = id(person)
        f: dict[str, float] = {}
        # An outlet or body ("CNN reported", "according to the Sentinel") has features of
        # its own; for it "subject" means a speech verb follows its name.
        state_of = state + ":org" if orgs is not None and key in orgs.ids else state
        if person is proposed:
            f["rule"] = 1.0
            f["rule:" + site.path] = 1.0
            f["rule:" + site.kind] = 1.0
        if person is last:
            f[state_of + ":last"] = 1.0
            if 0 <= site.open - last_at < 400:
                f[state_of + ":last_near"] = 1.0
        if salience:
            named = salience.get(key, 0)
            if named:
                f[state_of + ":named"] = math.log1p(named)  # how often the story names them
        count = spoken.get(key, 0)
        if count:
            f[state_of + ":spoke"] = math.log1p(count)
        mention = nearest_before.get(key)
        if mention is not None:
            f[state_of + ":dist" + _distance_bin(site.open - mention.start)] = 1.0
            if mention.start >= site.sentence_start:
                f[state_of + ":same_sentence"] = 1.0
            elif mention.start >= site.paragraph_start:
                f[state_of + ":same_paragraph"] = 1.0
            if mention.opens:
                f[state_of + ":opens"] = 1.0
            elif mention.subject:
                f[state_of + ":subject"] = 1.0
        else:
            f[state_of + ":not_before"] = 1.0
        if key in after_seen:
            f[state_of + ":after"] = 1.0
        elif key in later:
            f[state_of + ":later_" + later[key]] = 1.0
        if site.pronoun is not None:
            gender = "m" if site.pronoun in ("he", "him") else "f"
            if person.gender is None:
                f[state_of + ":gender_unknown"] = 1.0
            elif person.gender != gender:
                f[state_of + ":gender_conflict"] = 1.0
        for name in _looks(person, people.common_words, looks_seen):
            f[state_of + ":" + name] = 1.0
            if person is proposed:
                f["rule:" + name] = 1.0  # a rule's pick that looks like no person
        out.append(Candidate(person, f))
    return out


def _looks(
    person: Person, common: frozenset[str], seen: dict[tuple[int, bool], tuple[str, ...]]
) -> tuple[str, ...]:
    """What a name looks like, apart from where it is (the same for every quote)."""
    key = (id(person), person.title is not None)
    found = seen.get(key)
    if found is not None:
        return found
    looks: list[str] = []
    if not (person.can_be("m") or person.can_be("f")):
        looks.append("orgish")
    words = person.name.split()
    if len(words) == 1:
        looks.append("one_word")
        if words[0].lower() in common:
            looks.append("common")  # "Audiences", "Guns": ordinary words opening a sentence
    if person.name.isupper():
        looks.append("caps")
    if person.title:
        looks.append("title")
    seen[key] = found = tuple(looks)
    return found


class _Nearby:
    """People (or organisations) mentioned around a quote, nearest first."""

    def __init__(self) -> None:
        self.order: list[Person] = []
        self.before: dict[int, Mention] = {}  # nearest mention before the quote, by id
        self.after: set[int] = set()  # named in the words read for the attribution
        self.later: dict[int, str] = {}  # named further on: "para" or "next"

    def gather(
        self,
        mentions: list[Mention],
        starts: list[int],
        site: QuoteSite,
        n_before: int,
        n_after: int,
    ) -> None:
        found = 0
        looked = 0
        i = bisect_left(starts, site.open) - 1
        while i >= 0 and looked < _MAX_MENTIONS and found < n_before:
            mention = mentions[i]
            i -= 1
            looked += 1
            if mention.start < site.open - _WINDOW:
                break
            key = id(mention.person)
            if key not in self.before:
                self.before[key] = mention
                self.order.append(mention.person)
                found += 1
        found = 0
        j = bisect_left(starts, site.close)
        while j < len(mentions) and mentions[j].start < site.later_end and found < n_after:
            mention = mentions[j]
            j += 1
            key = id(mention.person)
            if key in self.after or key in self.later:
                continue
            found += 1
            if mention.start < site.after_end:
                self.after.add(key)
            else:
                self.later[key] = "para" if mention.start < site.paragraph_end else "next"
            if key not in self.before:
                self.order.append(mention.person)


# An organisation's name ends in one of these, or is an acronym ("CNN", "DNC").
_BODY_WORDS = ORG_WORDS - word_set(
    """
    street city county state states america island islands square avenue tower airport
    hospital road way point valley mountain river lake beach park district hall capital
    kingdom nation nations republic hotel restaurant act amendment bill plan agreement
    treaty accord pact show program politics house senate congress campaign party's
    network's
    """
)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_SPEAKS_AFTER = re.compile(r"['’]?s?\s+(?:(?:also|has|had|later)\s+)?([a-z]+)")
_ACCORDING_BEFORE = re.compile(r"according\s+to\s+(?:the\s+)?$", re.IGNORECASE)


class Organisations:
    """Outlets and bodies named in a story, as speaker candidates of their own."""

    def __init__(self, text: str, runs: Iterable[re.Match[str] | Run] | None = None) -> None:
        self.mentions: list[Mention] = []
        self.starts: list[int] = []
        self.ids: set[int] = set()
        by_key: dict[str, Person] = {}
        for m in name_runs(text) if runs is None else runs:
            run = m.group(0)
            tail = run[run.rfind(" ") + 1 :].rstrip(".,")
            if norm(tail) not in _BODY_WORDS and not (_ACRONYM.match(tail) and tail == run):
                continue  # most runs: cheap to rule out before splitting
            words = run.split()
            while words and norm(words[0]) in ("the", "a", "an"):
                words = words[1:]
            if not words:
                continue
            last = words[-1].rstrip(".,")
            if last.endswith(("’s", "'s")):
                continue  # "CNN’s Jake Tapper": the person speaks, not the outlet
            if not (_ACRONYM.match(last) and len(words) == 1) and norm(last) not in _BODY_WORDS:
                continue
            if _ACRONYM.match(last) and norm(last) in PLACES and norm(last) not in ("fbi", "cia"):
                continue
            name = " ".join(w.rstrip(".,") for w in words)
            key = name.lower()
            org = by_key.get(key)
            if org is None:
                org = Person(name=name, surname=norm(last), first=norm(words[0]))
                by_key[key] = org
                self.ids.add(id(org))
            verb = _SPEAKS_AFTER.match(text, m.end())
            speaks = (verb is not None and verb.group(1) in SPEECH_VERBS) or bool(
                _ACCORDING_BEFORE.search(text, max(0, m.start() - 20), m.start())
            )
            self.mentions.append(Mention(m.start(), m.end(), org, subject=speaks))
            self.starts.append(m.start())


def score(features: dict[str, float], weights: dict[str, float]) -> float:
    get = weights.get
    total = 0.0
    for name, value in features.items():
        total += get(name, 0.0) * value
    return total


def choose(cands: list[Candidate], weights: dict[str, float]) -> Person | None:
    """The best-scoring candidate (the first one on a tie), or None when there is none."""
    best: Person | None = None
    best_score = -math.inf
    for cand in cands:
        s = score(cand.features, weights)
        if s > best_score:
            best, best_score = cand.person, s
    return best
