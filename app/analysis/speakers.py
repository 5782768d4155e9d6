"""Read the attribution next to a quote: who is said to have said it.

Works on the few words around a quote, token by token: find the speech verb ("said",
"told", "according to"), then the subject before it or after it, and split that subject
into a name, a title or description, or a pronoun. Resolving pronouns and descriptions to
people is left to quotes.py, which knows the whole story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.analysis.names import (
    FEMALE_NAMES,
    MALE_NAMES,
    NOT_NAME,
    ORG_WORDS,
    PLACES,
    SUFFIXES,
    TITLE_WORDS,
    looks_like_adverb,
    looks_like_person,
    looks_like_verb_form,
    name_runs,
    norm,
    split_title,
    word_set,
)

SPEECH_VERBS = word_set(
    """
    said says say saying told tells tell added adds asked asks explained explains wrote
    writes tweeted tweets noted notes argued argues continued continues declared
    declares insisted insists stated states warned warns claimed claims replied replies
    responded responds recalled recalls remarked remarks joked jokes quipped quips
    suggested suggests acknowledged acknowledges admitted admits announced announces
    observed observes conceded concedes concluded concludes emphasized emphasizes
    emphasised stressed stresses urged urges vowed vows promised promises predicted
    predicts complained complains charged charges countered counters shouted shouts
    yelled yells posted posts called calls described describes boasted boasts bragged
    brags blasted blasts slammed slams mused muses lamented laments cautioned cautions
    pledged pledges confirmed confirms maintained maintains contended contends testified
    testifies referred refers praised praises accused accuses thanked thanks reported
    reports wondered wonders exclaimed exclaims chanted chant chants read reads tweeting
    writing adding telling noting calling asking explaining saying arguing warning
    insisting describing answered answers interjected interrupted snapped scoffed sniped
    fired shot retorted offered opined reasoned reiterated reiterates repeated repeats
    assured assures conceded agreed agrees disagreed began begins characterized labeled
    labelled branded dubbed deemed declared announced thundered screamed cried whispered
    proclaimed proclaims pointed explained questioned stating remarking declaring emailed asserted
    asserts asserting elaborated barked pressed retaliated fumed beamed claiming promising
    pledging predicting yelling texted griped gushed marveled marvelled reacted remembered
    concurred
    """
)
# Words allowed between a subject and its verb ("Trump also said", "she has said").
_BRIDGE = word_set(
    """
    also later then once again previously recently repeatedly publicly reportedly has
    had have would will was is had already often frequently simply quickly flatly
    bluntly once twice even further earlier subsequently famously pointedly privately
    then-also long openly widely consistently loudly
    """
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
_CONJUNCTIONS = frozenset({"and", "but", "or", "while", "yet", "then"})
_JOINERS = frozenset({"of", "de", "van", "von", "der", "del", "da", "bin", "al"})
_ROLE_WORDS = word_set(
    """
    spokesman spokeswoman spokesperson official officials aide aides adviser advisor
    strategist pollster manager director chairman chairwoman candidate nominee senator
    governor congressman congresswoman lawmaker president secretary minister businessman
    billionaire mogul tycoon actress actor star host anchor reporter source sources
    statement campaign group organization report email letter memo poll survey voter
    supporter supporters critic critics analyst expert professor economist attorney lawyer
    judge sheriff mayor founder leader frontrunner front-runner spokesmen
    """
)
_APPOSITIVE_START = _ROLE_WORDS | TITLE_WORDS | {"a", "an", "the", "his", "her", "then", "former"}
_TIME_WORDS = frozenset({"later", "ago", "earlier", "after", "before", "afterward", "since"})
_CLAUSE_WORDS = word_set(
    "that which but while because if when with in to for on at as than who whom whose until "
    "unless although though since once whereas whether"
)
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "one", "another"})
_WORD = re.compile(r"\S+")
_STRIP = "\"'“”‘’()[]{}.,;:!?—–"
_ABBREV_END = re.compile(r"^(?:[A-Z]\.|[A-Z][a-z]{0,3}\.|(?:[A-Za-z]\.){2,})$")


_PHRASAL = {"according": "to", "went": "on", "goes": "on", "put": "it", "puts": "it"}


@dataclass(slots=True)
class Attribution:
    offset: int  # where the subject starts, relative to the context string
    after: bool  # found after the quote (True) or before it (False)
    name_words: list[str]
    title: str | None
    pronoun: str | None
    description: str | None


def _tokens(text: str, limit: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word in (",", ";", ":") and out:
            # "O'Rourke (D-Tex.), a ..." with the party tag blanked: the comma is the name's.
            out[-1] = (out[-1][0], out[-1][1] + word)
            continue
        out.append((m.start(), word))
        if len(out) >= limit:
            break
    return out


def _bare(word: str) -> str:
    return word.strip(_STRIP).lower()


_CONTRACTION = re.compile(r"['’](?:s|d|ll|re|ve|m)$")


def _unbound(bare: str) -> str:
    """A pronoun without its contraction: "he’s" -> "he", "she'll" -> "she"."""
    return _CONTRACTION.sub("", bare)


def _ends_sentence(word: str) -> bool:
    if word.endswith(("!", "?", "!”", "?”")):
        return True
    return word.endswith(".") and not _ABBREV_END.match(word)


def _is_verb(tokens: list[tuple[int, str]], i: int) -> bool:
    word = _bare(tokens[i][1])
    if word in SPEECH_VERBS:
        prev_word = tokens[i - 1][1] if i > 0 else ""
        prev = _bare(prev_word)
        if prev in ("another", "one") and (word.endswith("ed") or word in _PAST_IRREGULAR):
            return True  # "Another shouted", "One wrote": somebody unnamed speaks
        if prev in _DETERMINERS or prev_word.endswith(("’s", "'s")):
            return False  # "Okafor’s remarks", "his claims": nouns, not verbs
        return prev not in ("so", "be", "being", "been", "to") and tokens[i][1][:1].islower()
    if word in _PHRASAL and i + 1 < len(tokens):
        # "according to X", "Trump went on", "as Vulture put it": verbs only with the word
        # that follows.
        return _bare(tokens[i + 1][1]) == _PHRASAL[word]
    return False


def parse_subject(words: list[str], offset: int, after: bool) -> Attribution | None:
    """Split a subject phrase into name + title, a pronoun, or a description; None if junk."""
    words = [w for w in words if w.strip(_STRIP)]
    if not words:
        return None
    first = _bare(words[0])
    if len(words) == 1 and first in _PRONOUNS:
        return Attribution(offset, after, [], None, first, None)
    phrase = " ".join(words)
    head, _, rest = phrase.partition(",")
    rest = rest.strip(" ,")
    name_words, title_words = _name_in(head, orgs=first in _DETERMINERS or head[:1].isupper())
    if first in ("a", "an") and len(name_words) == len(head.split()) - 1:
        name_words = []  # "A ReplicaSet ... says": no name takes "a"; a thing, not a speaker
    elif (
        first in INDEFINITE
        and name_words
        and not (len(name_words) >= 2 and norm(name_words[0]) in FIRST_NAMES)
        and not (words[0] == "One" and all(w[:1].isupper() for w in head.split()))
        and not _described_name(head.split())
    ):
        # "one Republican involved in the planning", "another New Hampshire Republican", "a
        # NY1 representative": somebody unnamed (but "a Clinton spokesman Brian Fallon").
        name_words = []
    if name_words:
        title = " ".join(title_words) or None
        if rest and _bare(rest.split()[0]) in _APPOSITIVE_START:
            desc = re.sub(r"^(?:the|a|an)\s+", "", rest, flags=re.IGNORECASE)
            title = title or desc.strip(" ,.;:") or None
        return Attribution(offset, after, name_words, title, None, None)
    if first in _PRONOUNS and len(head.split()) == 1:
        return Attribution(offset, after, [], None, first, None)
    if rest:
        # "the campaign manager, Corey Lewandowski": the name may follow the comma.
        name_words, _ = _name_in(rest)
        if name_words:
            desc = re.sub(r"^(?:the|a|an)\s+", "", head.strip(), flags=re.IGNORECASE)
            return Attribution(offset, after, name_words, desc or None, None, None)
    if first in (_DETERMINERS | INDEFINITE) and 2 <= len(head.split()) <= 7:
        return Attribution(offset, after, [], None, None, head.strip().rstrip(".;:"))
    return None


def _name_in(phrase: str, orgs: bool = False) -> tuple[list[str], list[str]]:
    """(name words, title words) of the last person-like name in the phrase: the head of
    "Clinton campaign spokesman Brian Fallon" is Fallon. With `orgs`, an organisation
    ("The State Department") is accepted when no person is named."""
    found: tuple[list[str], list[str]] = ([], [])
    org: list[str] = []
    for m in name_runs(phrase):
        if found[0] and re.search(r"\s(?:of|from|in|at)\s+(?:the\s+)?$", phrase[: m.start()]):
            break  # "Stephanie Hooton of Derry": the place after "of" is not the speaker
        if _modifies_noun(phrase, m.end()):
            continue  # "Dravian officials", "Aldermark’s foreign minister": not the head
        words = [w.rstrip(",.") if not _ABBREV_END.match(w) else w for w in m.group(0).split()]
        while words and norm(words[0]) in NOT_NAME and norm(words[0]) not in TITLE_WORDS:
            words = words[1:]
        if m.start() == 0 and words and looks_like_verb_form(words[0]):
            words = words[1:]  # "Recalling", "Reached": a sentence-opening verb, not a name
        title, name = split_title(words)
        name = [w[:-2] if w.endswith(("'s", "’s")) else w for w in name]
        while name and name[-1].endswith(".") and len(name[-1]) > 2:
            if norm(name[-1]) in SUFFIXES:
                break
            name[-1] = name[-1][:-1]
        while name and looks_like_verb_form(name[0]) and m.start() == 0:
            name = name[1:]  # "Appearing", "Reached": a sentence-opening verb, not a name
        if looks_like_person(name):
            lead = phrase[: m.start()].split()
            lead_title = [w for w in lead if w.lower() not in _DETERMINERS]
            found = (name, lead_title + title)
        elif orgs and not org:
            while words and norm(words[0]) in NOT_NAME:
                words = words[1:]  # "The" opens "The State Department" but is no name
            if (
                words
                and len(" ".join(words)) > 2
                and norm(words[-1]) not in NOT_NAME
                and not (len(words) == 1 and looks_like_adverb(words[0]))
            ):
                org = words
    if not found[0] and org:
        return org, []
    return found


_NEXT_WORD = re.compile(r"\s+([a-z][\w\-’']*)")


def _modifies_noun(phrase: str, end: int) -> bool:
    """True when the capitalised run ending at `end` is followed by the lower-case noun it
    qualifies, so it is a modifier or an owner rather than the one who speaks."""
    if phrase[end - 1 : end] in (",", ".", ";", ":"):
        return False
    m = _NEXT_WORD.match(phrase, end)
    if m is None:
        return False
    word = m.group(1)
    return not (
        word in _PREPOSITIONS
        or word in _CLAUSE_WORDS
        or word in _CONJUNCTIONS
        or word in _JOINERS
        or word in _BRIDGE
        or word in SPEECH_VERBS
        or word in _PRONOUN_SELF
    ) or phrase[end - 2 : end] in ("’s", "'s")


_PRONOUN_SELF = frozenset({"himself", "herself", "themselves", "itself", "too", "alone"})


def _is_org(words: list[str]) -> bool:
    """An organisation that speaks: "The State Department", "CNN", "Politico"."""
    last = norm(words[-1])
    if last in PLACES:
        return False
    return last in ORG_WORDS or (words[-1].isupper() and len(words[-1]) >= 3)


def _clean_after_subject(words: list[str]) -> bool:
    """Words between a closing quote and its verb that can be the speaker:
    "election law expert Rick Hasen", not "with Florida Sen. Marco Rubio, in a finish that"."""
    if _bare(words[0]) in _CONJUNCTIONS:
        return False  # `“...” and Donald Trump says`: a new clause with its own quote
    if _clean_np(words):
        return True
    head = " ".join(words).split(",")[0].split()
    if not head or len(head) > 8 or not head[-1][:1].isupper():
        return False
    if (
        _bare(head[0]) in _PREPOSITIONS
        or _bare(head[0]) in _CONJUNCTIONS
        or _bare(head[0]) in {"over", "across", "near", "off"}
    ):
        return False  # "over the Skerran Sea, a day after what X described": a place
    return not any(_bare(w) in _CLAUSE_WORDS for w in head)


def _clean_np(words: list[str]) -> bool:
    """True when the words before the first comma read as a noun phrase (a subject)."""
    # After an article, a few plain words make a description: "a young boy", "one council
    # aide".
    plain = 5 if words and _bare(words[0]) in INDEFINITE else 0
    for n, w in enumerate(words):
        bare = _bare(w)
        if w[:1].isupper() or bare in TITLE_WORDS or bare in _DETERMINERS or bare in _PRONOUNS:
            pass
        elif bare.replace("-", "").isalnum() and any(c.isdigit() for c in bare):
            pass  # "17-year-old"
        elif not (bare in _ROLE_WORDS or (n < plain and w.isalpha() and _plain_word(w))):
            return False
        if w.endswith(","):
            return True
    return True


_ROLE_END = re.compile(
    r"(?:er|or|ist|ian|ant|ent|ee|man|woman|chief|host|boss|delegate|voter|member|geon|"
    r"counsel|head|staffer|aide|fellow|editor|scholar|official|anchor|operative|ally|friend|"
    r"insider|veteran|activist|donor|backer|critic|confidant|confidante|pastor|lawmaker)$"
)
_PREPOSITIONS = word_set("of from by after before over about against into onto upon like")


def _describes_name(tokens: list[tuple[int, str]], j: int) -> bool:
    """True when the lower-case word at j opens a description that runs into a name:
    "political consultant Chris Russell", "election lawyer Joe Birkenstock"."""
    for k in range(j, min(len(tokens), j + 6)):
        word = tokens[k][1]
        bare = _bare(word)
        if word[:1].isupper():
            if k == j or _ends_sentence(tokens[k - 1][1]):
                return False
            # The word before the name must name a role: "consultant", "delegate", "boss".
            head = _bare(tokens[k - 1][1])
            if head in _DETERMINERS:
                return False
            return head in _ROLE_WORDS or head in TITLE_WORDS or bool(_ROLE_END.search(head))
        if bare in _DETERMINERS or (
            k == j and bare.endswith(("ed", "es")) and bare not in _ROLE_WORDS
        ):
            return False  # "Clinton decried the GOP": a verb and its object, not a description
        if (
            bare in _CLAUSE_WORDS
            or bare in _BRIDGE
            or bare in _PREPOSITIONS
            or bare in _PRONOUNS
            or bare in _CONJUNCTIONS
            or bare in SPEECH_VERBS
            or not bare.replace("-", "").isalpha()
            or word.endswith((",", ";", ":", "."))
        ):
            return False
    return False


def _subject_after_verb(tokens: list[tuple[int, str]], i: int) -> Attribution | None:
    """`said Sen. Rand Paul, R-Ky.` / `said the senator` / `said he`."""
    words: list[str] = []
    start = tokens[i][0] if i < len(tokens) else 0
    for j in range(i, min(len(tokens), i + 10)):
        word = tokens[j][1]
        bare = _bare(word)
        if not words:
            start = tokens[j][0]
        lower = word[:1].islower()
        if (
            lower
            and bare not in _DETERMINERS
            and bare not in TITLE_WORDS
            and bare not in _ROLE_WORDS
        ):
            if bare in _PRONOUNS and not words:
                words.append(word)
                break
            if bare == "of" and _office_of(words, tokens, j):
                words.append(word)  # "said former secretary of state Hillary Clinton"
                continue
            if words and _bare(words[0]) in INDEFINITE and bare in _DOCUMENTS:
                return None  # "according to a court document filed by X": not a person
            if (
                words
                and _bare(words[0]) in INDEFINITE
                and len(words) < 5
                and _plain_word(word)
                and bare not in _FINITE
                and not (bare.endswith("ed") and len(words) >= 2)  # "a document filed by"
                and not words[-1].endswith((",", ".", ";", ":"))
            ):
                pass  # "said one resident", "said a retired teacher": somebody unnamed
            elif not _describes_name(tokens, j):
                if not words or (bare in _FINITE and not words[-1].endswith(",")):
                    # `“...,” said the candidate could win`: the subject of what was said
                    return None
                break
        words.append(word)
        if word.endswith(","):
            words.extend(_appositive(tokens, j + 1))
            break
        if word.endswith((";", ":")) or _ends_sentence(word):
            break
    return parse_subject(words, start, True)


def _office_of(words: list[str], tokens: list[tuple[int, str]], j: int) -> bool:
    """True at "of" inside a title before a name: "secretary of state Hillary Clinton"."""
    if not words or j + 2 >= len(tokens) or any(w.endswith(",") for w in words):
        return False
    if not all(_bare(w) in TITLE_WORDS or _bare(w) in _ROLE_WORDS for w in words):
        return False
    nxt = tokens[j + 1][1]
    return (_bare(nxt) in TITLE_WORDS or nxt[:1].isupper()) and tokens[j + 2][1][:1].isupper()


def _appositive(tokens: list[tuple[int, str]], i: int) -> list[str]:
    """`director of the budget office` after "said Priya Raman," (empty when not one)."""
    if i >= len(tokens) or _bare(tokens[i][1]) not in _APPOSITIVE_START:
        return []
    out: list[str] = []
    for _, word in tokens[i : i + 10]:
        out.append(word)
        if word.endswith((",", ";", ":")) or _ends_sentence(word):
            return out
    if i + len(out) < len(tokens) and tokens[i + len(out)][1][:1].isupper():
        # The limit fell inside a name ("director of the Congressional Budget | Office"):
        # the title stops before the name rather than in the middle of it.
        while out and (out[-1][:1].isupper() or _bare(out[-1]) in _NAME_JOINERS):
            out.pop()
    return out


_NAME_JOINERS = frozenset({"of", "the", "and", "for", "on", "&"})


def find_after(after: str) -> Attribution | None:
    """Attribution in the words right after a closing quote mark: `," X said`, `," said X`."""
    if not after.strip():
        return None
    tokens = _tokens(after, 24)
    for i in range(min(len(tokens), 14)):
        if i > 0 and _ends_sentence(tokens[i - 1][1]):
            return None
        if "\x00" in tokens[i][1]:
            return None
        if not _is_verb(tokens, i):
            continue
        if _bare(tokens[i][1]) == "according":
            return _subject_after_verb(tokens, i + 2)
        if (
            i > 0
            and _bare(tokens[i - 1][1]) == "as"
            and i + 1 < len(tokens)
            and _bare(tokens[i + 1][1]) == "by"
        ):
            return _subject_after_verb(tokens, i + 2)  # "– as described by FBI Director X"
        subject = [w for _, w in tokens[:i]]
        while subject and _bare(subject[-1]) in _BRIDGE:
            subject.pop()
        if not subject:
            if _bare(tokens[i][1]).endswith("ing"):
                return None  # `“...,” saying the city ...`: what follows is said, not who
            return _subject_after_verb(tokens, i + 1)
        if (
            subject[-1].endswith(",")
            and _bare(subject[0]) not in _CONJUNCTIONS
            and not _named_with_appositive(subject)
        ):
            # `“the end” for the union, said Geert Wilders`: the speaker follows the verb.
            found = _subject_after_verb(tokens, i + 1)
            if found is not None and found.name_words:
                return found
        cut = max((k for k, w in enumerate(subject) if w.endswith(",")), default=-1)
        if 0 <= cut < len(subject) - 1 and _bare(subject[0]) not in _CONJUNCTIONS:
            # `“in homage to” Lazar, Song wrote`: the quoted sentence runs on after the
            # mark; the name right before the verb, after the last comma, is the speaker.
            tail = subject[cut + 1 :]
            if all(w[:1].isupper() for w in tail) and len(tail) <= 4:
                found = parse_subject(tail, tokens[len(subject) - len(tail)][0], True)
                if found is not None and found.name_words:
                    return found
        if not _clean_after_subject(subject):
            return None
        return parse_subject(subject, tokens[0][0], True)
    return _after_long_appositive(after)


# `“...,” Trump, the 2016 GOP frontrunner ... after winning the New Hampshire primaries, said`:
# a name, an appositive too long for the window above, and the verb closing it.
_LONG_APPOSITIVE = re.compile(
    r"^\s*((?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w’'\-]*),\s+(?:the|a|an|who|whose|his|her)\s"
    r"[^.;:!?\x00“”\"\n]{10,300}?,\s+(?:said|says|told|added|adds|wrote|writes)\b"
)


def _after_long_appositive(after: str) -> Attribution | None:
    m = _LONG_APPOSITIVE.match(after)
    if m is None:
        return None
    found = parse_subject(m.group(1).split(), m.start(1), True)
    return found if found is not None and found.name_words else None


# A capitalised name right before a colon that ends the text, after a boundary (the start,
# a dash, a closing quote): a label, not the object of a verb ("told CNN:").
_LABEL = re.compile(
    r"(?:^|\n|[\x00”\"]\s*|\s[-—–]\s*|^[-—–]\s*)((?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*):\s*$"
)


# Words opening an adverbial clause or phrase that ends at a comma before the subject:
# "Back in 1999, Mr. Trump ...", "Unless rivals quit the race, ...".
_CLAUSE_OPENERS = word_set(
    "back unless until amid among following despite although though because once whenever"
    " throughout across"
)
_LEADING_PREPOSITIONS = (
    _PREPOSITIONS | _CLAUSE_OPENERS | word_set("in on at for with during since under")
)
# Verbs whose object, not subject, stands before the colon: "Frank quotes adviser Alfred
# Kahn:", "he told Jane Doe:" (but "explained moderator Nancy Cordes:" names the speaker).
_NOT_SPEAKER_BEFORE = _PREPOSITIONS | word_set(
    """
    quotes quoted quoting cites cited citing to with told tells telling asked asks asking
    thanked thanks praised praises accused accuses called calls blasted slammed urged
    urges warned warns answered interviewed
    """
)
_NAME_COLON = re.compile(r"\s((?:[A-Z][\w.’'\-]*\s+){1,4}[A-Z][\w’'\-]*):\s*$")


def _named_with_appositive(subject: list[str]) -> bool:
    """`Ramos, 58,` / `Morton Blackwell, the committeeman from Virginia,`: a name and its
    appositive before the verb, so what follows the verb ("told AFP") is its object."""
    head = " ".join(subject).split(",")[0].split()
    if not head or not all(w[:1].isupper() for w in head) or len(head) > 5:
        return False
    found = parse_subject(head, 0, True)
    return found is not None and bool(found.name_words)


def find_before(before: str) -> Attribution | None:
    """Attribution in the words of the sentence before an opening quote mark."""
    if not before.strip():
        return None
    labelled = _LABEL.search(before)
    if labelled is not None:
        # `Bush: "..."`, `HEADLINE - Michael P. McDonald: “...”`: a name as a label.
        words = labelled.group(1).split()
        found = parse_subject(words, labelled.start(1), False)
        if found is not None and found.name_words:
            return found
    labelled = _NAME_COLON.search(before)
    if labelled is not None:
        # "doesn't surprise Republican pollster Daron Shaw: “...”": a person (never an
        # outlet, "told CNN:") named right before the colon.
        lead = before[: labelled.start(1)].split()
        words = labelled.group(1).split()
        title, name = split_title(words)
        if (
            looks_like_person(name)
            and len(name) >= 2
            and not any(_bare(w) in _NOT_SPEAKER_BEFORE for w in lead[-4:])
        ):
            return Attribution(labelled.start(1), False, name, " ".join(title) or None, None, None)
    tokens = _tokens(before, 400)[-80:]
    found = _find_before(tokens)
    if found is None and before.rstrip().endswith(":") and tokens:
        # "Kasich resisted: ..." introduces a quote without a speech verb.
        return _clause_subject(tokens, len(tokens) - 1)
    return found


_SAYING_NOUNS = (
    r"(?:claims?|comments?|remarks?|conclusion|statements?|words|pledges?|promises?|call|"
    r"vows?|description|assertions?|dictum|line|slogan|assessment|warnings?|arguments?|"
    r"insistence|suggestion|characterization|phrase|refrain|tweets?|message|mantra|"
    r"charges?|accusations?|complaints?|declaration|boast|quip|retort|answer|response|"
    r"insult|nickname|description|rallying cry|catchphrase)"
)
# "Donald Trump’s claim that ...", "Sanders's clarion call for a": the owner of the words
# (but in "denounced Trump’s remarks as “hurtful”" the words describe the remarks).
_OWNER_BEFORE = re.compile(
    rf"((?:[A-Z][\w.\-]*\s+){{0,3}}[A-Z][\w.\-]*)['’]s?\s+(?:[a-z\-]+\s+){{0,2}}"
    rf"{_SAYING_NOUNS}\b(?!\s+as\b)[^.;:!?\x00]{{0,120}}$"
)
# `Mitt Romney’s “47 percent” comment`: the noun comes after the quote.
_OWNER_AROUND = re.compile(r"((?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*)['’]s?\s*$")
_NOUN_AFTER = re.compile(rf"[,.]?\s+{_SAYING_NOUNS}\b")


_COMMA_SAYING = re.compile(r",\s+(?:[a-z]+ly\s+)?[a-z]+ing\b")


def find_owner(before: str, after: str) -> Attribution | None:
    """The named owner of words called someone's claim, comment or promise."""
    m = _OWNER_BEFORE.search(before)
    if m is not None and _COMMA_SAYING.search(before, m.end(1)):
        # "tried to downplay Ryan’s comments, saying they were “...”": the words are the
        # subject's, said about the comments.
        return None
    if m is None and _NOUN_AFTER.match(after):
        m = _OWNER_AROUND.search(before)
    if m is None:
        return None
    found = parse_subject(m.group(1).split(), m.start(1), False)
    return found if found is not None and found.name_words else None


def _named_after_comma(tokens: list[tuple[int, str]], i: int) -> bool:
    """True when the words between a comma and the verb at i name someone: ", Piet Brandt
    said", ", campaign spokesman Neil Sroka said"."""
    for k in range(i - 1, max(-1, i - 7), -1):
        word = tokens[k][1]
        if word.endswith(","):
            return k < i - 1
        bare = _bare(word)
        if word[:1].isupper() or bare in TITLE_WORDS or bare in _ROLE_WORDS:
            continue
        if (
            not bare.isalpha()
            or bare in _CLAUSE_WORDS
            or bare in _BRIDGE
            or bare in SPEECH_VERBS
            or bare in _PRONOUNS
            or bare in _CONJUNCTIONS
        ):
            return False  # "harbour master" may describe; "which he" or "and then" may not
    return False


def find_intro(sentence: str, closing: bool = False) -> Attribution | None:
    """The speaker of a whole sentence that ends in its speech verb ("Bystrom agreed.",
    "digital consultant Phil Musser says.") and so introduces the quote after it; with
    `closing`, only an attribution set off by a comma at the end (", Gilbert said.")."""
    if "\x00" in sentence or not sentence.rstrip().endswith("."):
        return None
    tokens = _tokens(sentence, 60)
    if not tokens or len(tokens) > 40:
        return None
    last = len(tokens) - 1
    # The verb ends the sentence ("Bystrom agreed.") or opens its closing attribution
    # (", said James Henson, director of the Texas Politics Project.").
    if not any(
        _is_verb(tokens, i)
        and (
            (i >= last - 2 and not closing)
            or tokens[i - 1][1].endswith(",")
            or (i >= last - 4 and _named_after_comma(tokens, i))
            or (i >= 2 and _bare(tokens[i - 1][1]) in _PRONOUNS and tokens[i - 2][1].endswith(","))
        )
        for i in range(1, last + 1)
    ):
        return None
    found = _find_before(tokens)
    return found if found is not None and (found.name_words or found.pronoun) else None


def _find_before(tokens: list[tuple[int, str]]) -> Attribution | None:
    for i in range(len(tokens) - 1, -1, -1):
        if not _is_verb(tokens, i):
            continue
        if _bare(tokens[i][1]) == "according":
            found = _subject_after_verb(tokens, i + 2)
            if found is not None:
                return found
            continue
        j = i
        while j > 0 and _bare(tokens[j - 1][1]) in _BRIDGE:
            j -= 1
        if j == 0:
            found = _subject_after_verb(tokens, i + 1)
            if found is not None:
                return found
            continue
        prev = tokens[j - 1][1]
        bare = _bare(prev)
        if bare in SPEECH_VERBS and prev.endswith(","):
            continue  # "Nefzi said, adding,": the subject belongs to the earlier verb
        if (
            prev.endswith(",")
            and _bare(tokens[i][1]).endswith("ing")
            and any(_is_verb(tokens, k) for k in range(max(0, j - 12), j - 1))
        ):
            # "Hollande said Tuesday in Paris, noting the nominee “...”": the participle's
            # subject is the one of the speech verb before it.
            continue
        if _unbound(bare) in _PRONOUNS and not prev.endswith(","):
            # "He’s predicting": a contracted pronoun is still the subject.
            return Attribution(tokens[j - 1][0], False, [], None, _unbound(bare), None)
        if bare in _CONJUNCTIONS:
            # "X took the stage and called it": the subject opens the clause before "and".
            found = _clause_subject(tokens, j - 1)
            if found is not None:
                return found
            continue
        if prev[:1].isupper() and not prev.endswith(","):
            k = j - 1
            while k > 0 and j - k < 8:
                w = tokens[k - 1][1]
                if w.endswith((",", ".", ":", ";")) and not _ABBREV_END.match(w):
                    break
                if not (w[:1].isupper() or _bare(w) in TITLE_WORDS or _bare(w) in _JOINERS):
                    break
                k -= 1
            found = parse_subject([w for _, w in tokens[k:j]], tokens[k][0], False)
            if (
                found is not None
                and _bare(tokens[k][1]) in _PREPOSITIONS
                and not _bare(tokens[i][1]).endswith("ing")  # "of Carson saying" is Carson's
            ):
                # "Daryl Morey, the then-GM of the Houston Rockets tweeted": the name after
                # "of" belongs to the appositive; the subject opens the clause.
                found = None
            if found is not None and _reported(tokens, k):
                # "Velin said Dravia had agreed to ... “...”": the clause is what Velin said,
                # so are the quoted words in it.
                continue
            if found is not None and found.name_words and not looks_like_person(found.name_words):
                # "Anthony Anton, president and CEO of Washington Restaurant Association
                # stated": the organisation ends an appositive; the person opens the clause.
                person = _clause_subject(tokens, j)
                if person is not None and looks_like_person(person.name_words):
                    return person
            if found is not None and (found.name_words or found.description):
                return found
        # An appositive or a longer clause: the subject is the first noun phrase of it.
        found = _clause_subject(tokens, j)
        if found is not None:
            return found
        if bare in _ALONE_DESCRIPTIONS and (j == 1 or _ends_sentence(tokens[j - 2][1])):
            # "Another said ...", "Others wrote": somebody the story does not name.
            return Attribution(tokens[j - 1][0], False, [], None, None, prev.strip(_STRIP))
        if bare in _ROLE_WORDS or bare in TITLE_WORDS or bare in _GROUP_NOUNS:
            k = j - 1
            while k > 0 and j - k < 7 and _bare(tokens[k][1]) not in _DETERMINERS:
                if _ends_sentence(tokens[k - 1][1]) or tokens[k - 1][1].endswith((",", ":", ";")):
                    break
                k -= 1
            head = tokens[k][1]
            # "the campaign spokesman", "Dravian officials", "Norland’s trade ministry".
            if _bare(head) in _DETERMINERS or head[:1].isupper():
                words = [w for _, w in tokens[k:j]]
                if not any(_bare(w) in _CLAUSE_WORDS or _bare(w) in SPEECH_VERBS for w in words):
                    return Attribution(tokens[k][0], False, [], None, None, " ".join(words))
        elif (
            bare == prev.rstrip(_STRIP)
            and _plain_word(prev)
            and not _bare(tokens[i][1]).endswith("ing")
        ):
            # "Another child responded", "a young boy shouted", "One man wrote": a common
            # noun after an indefinite article or a number names nobody.
            k = j - 1
            while k > 0 and j - k < 5 and _bare(tokens[k - 1][1]) not in INDEFINITE:
                w = tokens[k - 1][1]
                if (
                    not w.isalpha()
                    or not w.islower()
                    or _bare(w) in _CLAUSE_WORDS
                    or _bare(w) in _DETERMINERS
                ):
                    return None  # punctuation, a clause word or "the" ends the description
                k -= 1
            if k > 0 and _bare(tokens[k - 1][1]) in INDEFINITE:
                words = [w for _, w in tokens[k - 1 : j]]
                return Attribution(tokens[k - 1][0], False, [], None, None, " ".join(words))
        return None
    return None


def _plain_word(word: str) -> bool:
    """A lower-case word that can stand in a description of somebody unnamed, between its
    article and the speech verb: "young", "council", "resident" (not "that", "by")."""
    bare = _bare(word)
    return (
        bare.isalpha() and word[:1].islower() and bare not in _CLAUSE_WORDS and bare not in NOT_NAME
    )


FIRST_NAMES = FEMALE_NAMES | MALE_NAMES
_PAST_IRREGULAR = word_set("said told wrote spoke")
# Things, not people, that words are quoted from.
_DOCUMENTS = word_set(
    "document documents report letter memo statement filing complaint study survey poll "
    "transcript release email post tweet article video ad paper book"
)
# Verbs that make the words before them a clause's subject.
_FINITE = word_set("could would will was is has had should may might can must are were")
# Lower-case words that open a clause with its own subject.
_SUBORDINATORS = word_set("when because although though whereas")
# Capitalised words for a group one belongs to, not a name: "a young Republican".
_GROUP_WORD = re.compile(
    r"(?:Democrats?|Republicans?|Muslims?|Jews?|Christians?|Catholics?|Conservatives?|"
    r"Liberals?|Independents?|[A-Z]\w*(?:ans?|ese|ish|is))$"
)


def _described_name(words: list[str]) -> bool:
    """ "an angry Hollande", "A flabbergasted Noah": an article and an adjective or two
    before a lone name; the name is who speaks."""
    return (
        2 <= len(words) <= 4
        and words[-1][:1].isupper()
        and all(w.isalpha() and w.islower() for w in words[1:-1])
        and _GROUP_WORD.fullmatch(words[-1]) is None
    )


# Words that stand for somebody unnamed, alone before a speech verb.
_ALONE_DESCRIPTIONS = word_set("another others one some many several few both")
# Articles and numbers before a common noun that name nobody ("a man", "one voter").
INDEFINITE = word_set("a an one another some several many few two three four five")


def _reported(tokens: list[tuple[int, str]], k: int) -> bool:
    """Whether the clause starting at token k is reported by a speech verb just before it
    ("said Dravia had ...", "says that Ruiz ...")."""
    if k > 0 and _bare(tokens[k - 1][1]) == "that":
        k -= 1
    if k == 0:
        return False
    verb = tokens[k - 1][1]
    return _bare(verb) in SPEECH_VERBS and not verb.endswith((",", ".", ":", ";"))


def _clause_subject(tokens: list[tuple[int, str]], j: int) -> Attribution | None:
    """The subject at the start of the clause ending at token j (before its verb)."""
    start = j
    while start > 0 and not _ends_sentence(tokens[start - 1][1]) and j - start < 40:
        if tokens[start - 1][1].endswith((";", ":")):
            break
        if "\x00" in tokens[start - 1][1] and _opens_clause(tokens, start - 1):
            break  # a clause starts after a quote ("“...,” Clinton said in a statement,")
        if (
            start < j
            and tokens[start - 1][1] in _SUBORDINATORS
            and not any(w.endswith(",") for _, w in tokens[start:j])
        ):
            break  # "It was complete when Trump ... called": the clause's own subject
        start -= 1
    segment: list[tuple[int, str]] = []
    described: str | None = None  # "Valdria’s deputy defence minister," before the name
    for k in range(start, j + 1):
        if k < j:
            segment.append(tokens[k])
        if k == j or tokens[k][1].endswith(","):
            if segment and k < j and _bare(segment[0][1]) in _LEADING_PREPOSITIONS:
                segment = []  # "Of Carson, Levine ... said": the opening phrase is no subject
                continue
            words = _leading_np([w for _, w in segment])
            if k < j and _bare(tokens[k + 1][1]) in ("who", "whose"):
                # "Two years ago Michael Bloomberg, who is ..., said": the name the relative
                # clause follows is the subject, whatever opens the segment.
                words = _trailing_name([w for _, w in segment]) or words
                segment = segment[len(segment) - len(words) :] if words else segment
            rest = segment[len(words)][1] if len(words) < len(segment) else ""
            if words and _bare(rest) not in _TIME_WORDS:
                found = parse_subject(words, segment[0][0], False)
                if found is not None and found.name_words and described and not found.title:
                    found.title = described
                if found is not None and k < j and _is_place(found.name_words):
                    found = None  # "in Salem, New Hampshire, Trump went after ...": a place
                if found is not None and k < j and _STATE_CODE.fullmatch(" ".join(words)):
                    found = None  # "in Berea, OH, after winning Ohio, Gov. John Kasich said"
                if found is not None and (found.name_words or found.pronoun or k == j):
                    return found
            described = _description(words) if len(words) == len(segment) else None
            segment = []
    return None


_STATE_CODE = re.compile(r"[A-Z]{2},?")


# Words after which a name opens a clause as its subject ("... ago Michael Bloomberg, who",
# "when Mr. Buchanan, who"); after others it is an object ("worked with Chrabaszcz, who").
_BEFORE_SUBJECT = _TIME_WORDS | word_set("that when while as because if and but then so")


def _trailing_name(words: list[str]) -> list[str]:
    """The capitalised words ending a segment when they open a clause there ("Two years ago
    Michael Bloomberg," -> the name), else nothing."""
    k = len(words)
    while k > 0 and k > len(words) - 4 and words[k - 1][:1].isupper():
        k -= 1
    if k == len(words) or (k > 0 and _bare(words[k - 1]) not in _BEFORE_SUBJECT):
        return []
    return words[k:]


def _opens_clause(tokens: list[tuple[int, str]], k: int) -> bool:
    """True when the quote ending at token k opens its sentence ("“...,” Clinton said"),
    not when it sits inside one ("visited NBC’s “Today” to discuss ..., saying")."""
    i = k
    while i > 0 and "\x00" in tokens[i - 1][1]:
        i -= 1  # the quote's own tokens
    return i == 0 or _ends_sentence(tokens[i - 1][1]) or tokens[i - 1][1].endswith((":", ";"))


def _is_place(words: list[str]) -> bool:
    return bool(words) and norm(words[-1]) in PLACES


def _description(words: list[str]) -> str | None:
    """A role phrase that an appositive name may follow: "Aldermark’s foreign minister,"."""
    if not words or len(words) > 6 or words[-1][:1].isupper():
        return None
    first = words[0]
    if _bare(first) in _DETERMINERS or first.endswith(("’s,", "'s,", "’s", "'s")):
        phrase = " ".join(words).strip(" ,")
        return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE) or None
    return None


def _leading_np(words: list[str]) -> list[str]:
    """The noun phrase a clause opens with: "Trump went after Bush" -> ["Trump"]."""
    out: list[str] = []
    as_tokens = [(0, w) for w in words]
    for n, w in enumerate(words):
        if (
            w == "of"
            and out
            and _bare(out[-1]) in TITLE_WORDS
            and n + 1 < len(words)
            and words[n + 1][:1].isupper()
        ):
            out.append(w)  # "Former Secretary of State Madeleine Albright"
            continue
        if not _clean_np([w]) and not (
            out and (_describes_name(as_tokens, n) or _owned_role(words, n))
        ):
            break
        out.append(w)
        if w.endswith(","):
            break
    return out


def _owned_role(words: list[str], n: int) -> bool:
    """True inside "Norland’s trade minister,": lower-case words after a possessive name that
    run to a comma (an appositive name follows)."""
    k = n
    while k > 0 and words[k - 1][:1].islower():
        k -= 1
    if k == 0 or not words[k - 1].endswith(("’s", "'s")) or n - k > 4:
        return False
    for w in words[n : n + 5 - (n - k)]:
        bare = _bare(w)
        if bare in _CLAUSE_WORDS or bare in SPEECH_VERBS or bare in _BRIDGE or bare in _PRONOUNS:
            return False
        if w.endswith(","):
            return True
        if not w[:1].islower():
            return False
    return False


# Nouns for a group or body that speaks: "Dravian officials", "the defence ministry".
_GROUP_NOUNS = word_set(
    """
    officials ministry department office embassy government spokespeople diplomats
    authorities police agency council committee board commission army military navy
    """
)
_OPENERS = frozenset({"but", "and", "so", "yet", "still", "then", "now", "also"})
# Words that open a sentence with an adverbial, not its subject ("In 2009, ...").
_INTRO_WORDS = _CLAUSE_OPENERS | word_set(
    """
    in on at after before during since when while as with without for from by under over
    later earlier meanwhile still yet but and so then now also instead asked speaking
    if last this upon whether wherever unlike like
    """
)


# Pronouns that name nobody the story could show as a speaker.
UNNAMED_SUBJECTS = frozenset({"i", "we", "you", "they"})


def find_subject(before: str) -> Attribution | None:
    """The named subject of the sentence a quote sits in when no speech verb introduces
    it: `Rubio also bemoaned a climate in which people “literally hate each other”`."""
    tokens = _tokens(before, 80)
    if not tokens:
        return None
    i = 0
    for _ in range(4):
        if i >= len(tokens):
            return None
        first = tokens[i][1]
        bare = _bare(first)
        if bare in _OPENERS and not first.endswith(","):
            i += 1  # "But he also took swipes at ...": the conjunction is not the subject
            continue
        if (
            _unbound(bare) in ("he", "she")
            and i + 1 < len(tokens)
            and tokens[i + 1][1][:1].islower()
        ):
            return Attribution(tokens[i][0], False, [], None, _unbound(bare), None)
        if _unbound(bare) in UNNAMED_SUBJECTS:
            # "And so I’m like, “...”", "They’re like, “...”": the writer's or a group's
            # words; the pronoun owns them and names nobody.
            return Attribution(tokens[i][0], False, [], None, _unbound(bare), None)
        if bare in _INTRO_WORDS or (
            first[:1].isupper() and bare.endswith(("ing", "ed")) and bare not in _ROLE_WORDS
        ):
            # Skip an opening adverbial or participle clause up to its comma: "In the depths
            # of the recession,", "Acknowledging that the count was slow,".
            k = i
            while k < len(tokens) and k - i < 24 and not tokens[k][1].endswith(","):
                k += 1
            if k >= len(tokens) or k - i >= 24:
                return None
            i = k + 1
            continue
        words = _leading_np([w for _, w in tokens[i : i + 10]])
        if not words:
            return None
        if words[-1].endswith(",") and _is_place(words) and i + len(words) < len(tokens):
            i += len(words)  # "Speaking in Salem, New Hampshire, Trump ...": the place ends it
            continue
        found = parse_subject(words, tokens[i][0], False)
        if found is None or not found.name_words:
            described = _description(words) if words[-1].endswith(",") else None
            if described is None:
                return None
            # "Aldermark’s foreign minister, Clara Voss, called it ...": the name follows.
            found = (
                find_subject(before[tokens[i + len(words)][0] :])
                if i + len(words) < len(tokens)
                else None
            )
            if found is None:
                return None
            found.offset += tokens[i + len(words)][0]
            found.title = found.title or described
            return found
        nxt = i + len(words)
        if words[-1].endswith(","):
            return found  # an appositive follows: "Mike Huckabee, for his part, is ..."
        if (
            nxt < len(tokens)
            and _bare(words[0]) in ("his", "her", "their", "its")
            and _modifies_noun(before, tokens[nxt - 1][0] + len(words[-1]))
        ):
            # "His Dravian counterpart in these exchanges, Major General Arkady Velin, has
            # stuck to ...": the capitalised word qualifies a noun; the name may follow it.
            comma = next(
                (k for k in range(nxt, min(len(tokens), nxt + 8)) if tokens[k][1].endswith(",")),
                None,
            )
            if comma is None or comma + 1 >= len(tokens):
                return None
            rest = find_subject(before[tokens[comma + 1][0] :])
            if rest is None or not rest.name_words:
                return None
            rest.offset += tokens[comma + 1][0]
            return rest
        if nxt < len(tokens) and tokens[nxt][1][:1].islower():
            if _bare(tokens[nxt][1]) in _CLAUSE_WORDS | _CONJUNCTIONS:
                return None
            return found
        return None
    return None
