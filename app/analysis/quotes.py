"""Direct quotations in a story and the people who said them.

Pure Python and regular expressions, linear in the length of the text:

1. pair double quote marks (curly or straight) paragraph by paragraph, a quote inside a
   quote staying part of the outer one; a quote left open at the end of a paragraph
   continues when the next paragraph opens with a quote mark;
2. read the attribution next to each quote ("...," X said / X said: "..." / according to X /
   a credit after a dash, "..." ― X / a transcript's label, "X: ...");
3. resolve pronouns and descriptions to a person met earlier in the story (see names.py);
   a quote nobody is said to speak, with no attributed quote shortly before it, gets a
   speaker only when the name nearby is plainly a person's (a first name or a title);
4. let a learned scorer choose the speaker among the people and outlets named around the
   quote, the rules' pick being one feature among several (attribution.py; he/she stays
   with the rules);
5. drop quoted words nobody says: titles of works, handles, and lone scare-quoted words
   with no speaker (short fragments are kept: in PolNeAR most are somebody's words).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from app.analysis.attribution import (
    Candidate,
    Organisations,
    QuoteSite,
    candidates,
    choose,
)
from app.analysis.attribution_model import WEIGHTS
from app.analysis.names import (
    ORG_WORDS,
    People,
    Person,
    Run,
    abbreviation_before,
    collect_people,
    looks_like_name_word,
    name_runs,
    norm,
    word_set,
)
from app.analysis.sentences import code_spans, split_sentences
from app.analysis.speakers import (
    INDEFINITE,
    SPEECH_VERBS,
    UNNAMED_SUBJECTS,
    Attribution,
    find_after,
    find_before,
    find_intro,
    find_owner,
    find_subject,
    parse_subject,
)


@dataclass(slots=True)
class QuoteSpan:
    text: str  # the quoted words, without the quote marks
    start: int  # character offsets into the input text of the quoted words
    end: int
    speaker: str | None  # the named person, resolved from pronouns/descriptions when possible
    speaker_title: str | None  # "deputy foreign minister", kept apart from the name
    partial: bool  # a fragment quoted inside a sentence


# (start, end, speaker candidates) of one quote, for training the attribution model.
Traced = tuple[int, int, list[Candidate]]


@dataclass(slots=True)
class _Raw:
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or the end of the paragraph when left open
    closed: bool
    para: int


_MARK = re.compile(r'["“”„«»]')
_OPENERS = "“„«"
_INVISIBLE = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"
_CLOSERS = "”»"
_PARA = re.compile(r"\n")
_PAREN = re.compile(r"\([^()\n\x00]{1,40}\)")
_HEADLINE_CAPS = re.compile(
    r"^[A-Z0-9][\w'’\-.&]*[,:]?(?:\s+(?:(?:the|of|a|an|and|in|on|with|for|to|is|at|or|from|"
    r"by)\s+)*[A-Z0-9][\w'’\-.&!?]*[,:]?)*$"
)
_DATELINE = re.compile(
    r"(?m)^(?:[A-Z][A-Z.'\- ]{2,40},[^\n—–\x00]{0,60}?(?:[—–]|\s-\s)"
    r"|[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*\s+[-—–]\s"
    r"|[A-Z][\w.'\-]+(?:,? [A-Z][\w.'\-]+){0,3} \([A-Za-z]{2,10}\)\s*[-—–]\s)"
)
# Handles, links and labels in quote marks: never speech.
_NOT_SPEECH = re.compile(
    r"^(?:@\w+|#\w+|\S*(?:https?:|www\.|pic\.twitter|\.com)\S*|\w+:|\([A-Z][A-Z .,’'\-]*\)\.?"
    r"|Follow [^\n]{1,60} on (?:Twitter|Facebook|Instagram|X)\b[^\n]{0,40})$"
)
# A transcript's turn: a paragraph opening with its speaker's name in capitals and a colon
# (`"WALLACE: Let's start with ...`); the words after the label are the speaker's.
_TURN = re.compile(r"([A-Z][A-Z.’'\-]+(?:[^\S\n][A-Z][A-Z.’'\-]+){0,3}):\s+(?=\S)")
# Quoted words after these are a name for something, not speech. ("the term", "the phrase",
# "the words" and "titled" were here too, but in PolNeAR train 21 of 23 such quotes are
# somebody's words: a headline or a coinage is attributed to its author. So were "dubbed",
# "nicknamed", "known as" and "slogan": 9 of 11 on train, "who he dubbed “the little
# senator”".)
_NAMING = re.compile(r"(?:so[- ]called|hashtag)\s*$", re.IGNORECASE)
_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
# A work named right before a quote in title case: the quote is its title.
_WORK_BEFORE = re.compile(
    r"(?:\b(?:book|memoir|film|movie|play|show|series|program|programme|podcast|song|album|"
    r"novel|documentary|musical|sketch|newsletter|segment|thriller|drama|comedy|sitcom|"
    r"autobiography|biography|opera|ad|spot|column|blog)|['’]s?),?\s*$",
    re.IGNORECASE,
)
# A quote credited to its speaker below it or after a dash ending its line (vox pops,
# epigraphs): `"Great speech."⏎- President Obama`, `“We are scared.” ― Ana Ruiz, 34`.
_CREDIT = re.compile(
    r"[ \t]*\n\s*[-—–―]\s*((?:[A-Z][\w.’'\-]*\s+){0,4}[A-Z][\w’'\-]*)"
    r"|[^\S\n]*(?:[—–―]|--?)[^\S\n]*((?:[A-Z][\w.’'\-]*[^\S\n]+){0,4}[A-Z][\w’'\-]*)"
    r"\.?[^\S\n]*(?=\n|$|,[^\n]{0,80}$)",
    re.M,
)
# A sentence that is only a name and a speech verb (`Clinton said.`, `said Tom.`).
_BARE_ATTRIBUTION = re.compile(
    r"(?:[A-Z][\w.’'\-]*[^\S\n]+){1,3}([a-z]+)\.(?=\s|$)|([a-z]+)(?:[^\S\n]+[A-Z][\w.’'\-]*){1,3}\.(?=\s|$)"
)


def _bare_attribution(text: str, at: int) -> bool:
    m = _BARE_ATTRIBUTION.match(text, at)
    return m is not None and (m.group(1) or m.group(2)) in SPEECH_VERBS


_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,400}>")
# A double quotation mark typed as two apostrophes, or opened with two backquotes, as archive
# and wire text writes them (`''It is,'' Mr. Kamin said.`, ``It is,'' ...): an opening pair
# touches the word after it, a closing pair the word before it; `'''` closes a single and
# a double quote (`''had me at 'independence,''' he wrote`). A pair standing alone or
# inside a word, and four or more apostrophes in a row, are left alone.
_TYPED_OPEN = re.compile(r"(?<![\w'’`])(?:''|``)(?=[^\s'’`])")
_TYPED_CLOSE = re.compile(r"(?<=[^\s’`])(?<!'')''(?![\w'’`])|(?<=[^\s'’`]' )''(?=\s)")
# After a closing mark, these make the quoted words a title: `"Hamilton to tour," by
# Variety's Gordon Cox`, `“Broad City” star Arturo Castro`.
_TITLE_AFTER = re.compile(r"(,?)\s*(?:(by)\s+(?:the\s+)?[A-Z]|(?:star|stars|actress|actor|host)\b)")
# A quote in title case that opens its sentence and is then its subject is a name for
# something: `“Sons of Trump” is an adaptation of ...`, `''Friends'' has been a surprise hit`,
# `''Tales From the Crypt,'' an HBO series that first aired in 1989, ...`.
_NAMED_SUBJECT = re.compile(
    r"\s*(?:is|was|are|were|has|had|have|will|would|became|becomes|remains|follows|aired|airs|"
    r"premiered|premieres|debuted|debuts)\b"
    r"|,?\s+(?:an?|the)\s+(?:[\w’'\-]+\s+){0,4}(?:series|show|movie|film|book|drama|comedy|"
    r"sitcom|thriller|novel|memoir|play|musical|album|song|documentary|podcast|program|"
    r"programme)\b"
)
# Capitalised words after these are still spoken: "chanted “USA!”", "refers to him as “Mr.
# Trump”", and a piece "titled “Why The Pier Must Stay”" is its author's words (PolNeAR
# train attributes all 7 such).
_SPOKEN_BEFORE = frozenset({"chanting", "chanted", "as", "titled", "entitled", "headlined"})
# A verb and its object before a quote: `calling Christie “...”`, `called him “...”`.
_CALLING = frozenset({"calling", "called", "calls", "call", "labeled", "labelled", "branded"})
_CALLED_SOMEONE = re.compile(
    r"\b(?:called|calling|calls|labeled|labelled|branded)\s+(?:the|his|her|their|a|an)\s+"
    r"(?:[\w’'\-]+\s+){0,3}(?:winner|rival|candidate|opponent|senator|governor|president|"
    r"nominee|woman|man|host|anchor|reporter|judge|mayor|leader|secretary|congressman|"
    r"congresswoman|master|champion|chairman|chief|minister|official|activist|critic|"
    r"former\s+\w+)\s*$"
)
_OBJECT = re.compile(r"^(?:[A-Z][\w’'\-]*|him|her|them|it|himself|herself)$")


def _kind(text: str, i: int) -> str:
    """'o' for an opening mark, 'c' for a closing one, '?' when the context cannot tell."""
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    if before in _INVISIBLE:
        before = " "  # a direction mark or zero-width space before the mark
    after = text[i + 1] if i + 1 < len(text) else " "
    # Curly marks are trusted unless the spacing says plainly they were typed the wrong way.
    if ch in _OPENERS:
        return "c" if not before.isspace() and (after.isspace() or after in ".,;") else "o"
    if ch in _CLOSERS:
        # A closing mark opening a paragraph opens a quote (`” … what I learned`).
        return "o" if (before.isspace() and after.isalnum()) or before == "\n" or i == 0 else "c"
    if before.isspace() or before in "([{—–-/":
        return "o" if not after.isspace() else "?"
    if after.isspace() or after in ".,;:!?)]}—–-'’":
        return "c"
    return "?"


def _pair_marks(text: str) -> list[_Raw]:
    """Pair quote marks within paragraphs; linear in the number of marks."""
    raws: list[_Raw] = []
    para_bounds: list[tuple[int, int]] = []
    start = 0
    for m in _PARA.finditer(text):
        if m.start() > start:
            para_bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        para_bounds.append((start, len(text)))
    # Marks inside markup left in the text (`<tweet author="...">`) are attribute values.
    tags = [(m.start(), m.end()) for m in _TAG.finditer(text)] if "<" in text else []
    tag_starts = [a for a, _ in tags]
    pending: _Raw | None = None  # a quote left open at the end of the previous paragraph
    for index, (p_start, p_end) in enumerate(para_bounds):
        first = p_start
        while first < p_end and text[first].isspace():
            first += 1
        if pending is not None:
            opens_with_mark = first < p_end and _kind(text, first) == "o"
            if opens_with_mark or (
                text[pending.open - 1 : pending.open] in ("", "\n") or pending.open == 0
            ):
                # A multi-paragraph quote (the open part stands), or a paragraph-long quote
                # that lost its closing mark; quotes inside it are part of its words.
                _append_holding(raws, pending)
            pending = None
        # Open marks waiting for their closing one, each with whether a quote closed inside
        # it: `“... what he calls “hell” than ...”` is one quote holding another.
        opened: list[tuple[int, bool]] = []
        for m in _MARK.finditer(text, p_start, p_end):
            i = m.start()
            if tags:
                t = bisect_right(tag_starts, i) - 1
                if t >= 0 and i < tags[t][1]:
                    continue
            kind = _kind(text, i)
            if not opened:
                if kind != "c":
                    opened.append((i, False))
            elif kind == "o":
                opened.append((i, False))
            else:
                open_at, _ = opened.pop()
                while raws and raws[-1].open > open_at:
                    raws.pop()  # quotes inside this one are part of its words
                raws.append(_Raw(open_at, i, True, index))
                if opened:
                    opened[-1] = (opened[-1][0], True)
        # An open mark left with no quote closed inside it may run on into the next
        # paragraph; one that held a quote is a stray (`“The plan. “Go,” he said.`) or opens
        # an excerpt whose own quotes are the speech worth keeping (`"Melanie said, “...”`).
        if opened and (not opened[-1][1] or _opens_turn(text, opened[-1][0], first)):
            pending = _Raw(opened[-1][0], p_end, False, index)
    if pending is not None and (pending.open == 0 or text[pending.open - 1] == "\n"):
        _append_holding(raws, pending)
    return raws


def _opens_turn(text: str, mark: int, first: int) -> bool:
    """Whether the mark opens its paragraph and a transcript turn (`"MENDEZ: ...`): the
    quotes inside are the speaker's words too."""
    return mark == first and _TURN.match(text, mark + 1) is not None


def _append_holding(raws: list[_Raw], outer: _Raw) -> None:
    """Add a quote left open at its paragraph's end in place of the quotes closed in it."""
    while raws and raws[-1].open > outer.open:
        raws.pop()
    raws.append(outer)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


class _Context:
    """Sentence spans of the text, to bound the words read around a quote."""

    def __init__(self, text: str) -> None:
        self.spans = split_sentences(text)
        self.starts = [s for s, _ in self.spans]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return 0, 0
        return self.spans[i]


def _is_partial(text: str, raw: _Raw, start: int, end: int, before_start: int) -> bool:
    words = text[start:end]
    if not words:
        return True
    lead = text[before_start : raw.open].rstrip()
    if not lead or lead[-1] in ":,—–-(" or lead.endswith("..."):
        return words[0].islower() and not words.endswith((".", "?", "!"))
    return True


def _is_title_case(words: str) -> bool:
    bare = words.rstrip(",.")
    return 0 < len(bare.split()) <= 8 and bool(_HEADLINE_CAPS.match(bare)) and not bare.isupper()


def _looks_like_title(words: str, before: str) -> bool:
    """Quoted words that name a work or coin a term rather than report speech."""
    if _NAMING.search(before) or _NOT_SPEECH.match(words):
        return True
    tail = before.rstrip(" ,:").rsplit(None, 3)[-3:]
    last = tail[-1:]
    if last and (last[0].lower() in SPEECH_VERBS or last[0].lower() in _SPOKEN_BEFORE):
        return False  # `She declared “What a Night!”`: capitals, but spoken
    if len(tail) >= 2 and tail[-2].lower() in _CALLING and _OBJECT.match(tail[-1]):
        return False  # `calling Christie “New Jersey’s Biggest Loser”`: words said of someone
    if _CALLED_SOMEONE.search(before):
        return False  # `called the 1996 pageant winner “Miss Piggy”`: a name for someone
    bare = words.rstrip(",.")
    n_words = len(bare.split())
    return 0 < n_words <= 8 and bool(_HEADLINE_CAPS.match(bare)) and not bare.isupper()


def _clean_title(title: str | None) -> str | None:
    """A title without the punctuation that ended its clause: "the actor." is "the actor",
    "the company’s chairman," is "the company’s chairman"; "Gov." and "Lt. Col." keep theirs."""
    if not title or _honorific(title):
        return None  # "Mr." is a form of address, not a title ("Kamin, Mr.")
    title = title.strip().rstrip(",;:")
    last = title.rsplit(None, 1)[-1] if title else ""
    if last.endswith(".") and (last[:1].islower() or len(last) > 5):
        title = title[:-1]
    return title or None


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "mme", "mlle", "messrs"})


def _honorific(title: str | None) -> bool:
    return title is not None and title.strip(" .,;:").lower() in _HONORIFICS


def _ordinary_word(words: list[str], common: frozenset[str]) -> bool:
    """A lone capitalised word that opened a sentence, not a speaker's name: one the story
    also writes in lower case ("Former royal aides", "Consider this") or that no name looks
    like ("It’ll", "Fifty-one"). A group stays: "Aides have suggested", "Police say"."""
    if len(words) != 1 or words[0].isupper():
        return False
    word = words[0]
    if not looks_like_name_word(word):
        return True
    bare = word.lower()
    return bare in common and not bare.endswith("s") and bare not in ORG_WORDS


_BEFORE_LIMIT = 600
# How far after the last attributed quote an unattributed one may carry on its speaker.
_UNATTRIBUTED_REACH = 1500
# Quotes read in one story: the longest PolNeAR article has 80 pairs of marks, and a hostile
# story of 170,000 one-word quotes took a minute (about half a millisecond each).
MAX_QUOTES = 1000
_ENDS_SENTENCE = re.compile(r"[^\S\n]*(?:[.!?]|$)", re.M)


_FEMALE_WORDS = word_set(
    "woman women girl mother wife daughter sister grandmother lady widow mom actress"
)
_MALE_WORDS = word_set("man men boy father husband son brother grandfather dad widower")


def _gender_of_description(description: str) -> str | None:
    """ "m" or "f" when a description says which ("a 29-year-old Berlin woman")."""
    words = {w.lower().strip(".,;:’'") for w in description.split()}
    if words & _FEMALE_WORDS:
        return "f"
    return "m" if words & _MALE_WORDS else None


_FIRST_PERSON = re.compile(r"(?<![\w’'])(?:I|I’m|I'm|I’ve|I've|my)(?![\w’'])")
# How far after an unnamed speaker's quote a he/she still means them.
_UNNAMED_REACH = 400


def _unnamed_description(description: str) -> bool:
    """A description that introduces somebody the story does not name ("one resident")."""
    words = description.split(maxsplit=1)
    return len(words) == 2 and words[0].lower() in INDEFINITE


# A name and a comma right before a description: the description is that name's appositive.
_APPOSITIVE_AFTER = re.compile(r"[A-Z][\w.’'\-]*,\s*$")


class _Resolver:
    """Turns an attribution's subject into a person, remembering who spoke last."""

    def __init__(self, masked: str, runs: list[re.Match[str] | Run] | None = None) -> None:
        self.people: People = collect_people(masked, runs)
        self.masked = masked
        self.last: Person | None = None
        self.last_at = -1

    def resolve(self, attr: Attribution, at: int) -> tuple[Person | None, str | None, str | None]:
        """(person, name to show, title) for an attribution found at offset `at`."""
        if attr.name_words:
            person = self.people.lookup(attr.name_words)
            if person is None and _ordinary_word(attr.name_words, self.people.common_words):
                return None, None, None  # "Former royal aides", "Consider this entry"
            if person is None:
                # Named only here ("Goff said"): remember them for a later "he said".
                person = self.people.add([], attr.name_words, at, at + 1, True)
            person.spoke = person.spoke or len(attr.name_words) < 4
            title = attr.title if not _honorific(attr.title) else None
            return person, person.name, title or person.title
        if attr.pronoun:
            gender = _PRONOUNS.get(attr.pronoun)
            if gender is None:
                return None, None, None
            person = self.antecedent(at, gender)
            if person is not None:
                return person, person.name, person.title
            return None, None, None
        if attr.description:
            desc = attr.description.strip()
            if _unnamed_description(desc) and not _APPOSITIVE_AFTER.search(
                self.masked, max(0, at - 80), at
            ):
                # "one Clinton aide said", "a young boy shouted": somebody new and unnamed,
                # not anyone named before (but "Tom Ridge, a former secretary, put it").
                return None, None, desc
            # "King says ...": a lone capitalised word read as a role may be a known surname.
            known = self.people.lookup([desc]) if " " not in desc and desc[:1].isupper() else None
            person = known or self.people.by_description(attr.description, at)
            if person is not None:
                return person, person.name, person.title or attr.description
            return None, None, attr.description
        return None, None, None

    def antecedent(self, at: int, gender: str | None) -> Person | None:
        """Who "he"/"she" at `at` most likely is: the latest speaker or sentence subject."""
        limit = max(0, at - 1200)
        subject = self.people.recent(at, gender, limit=limit, subject=True)
        opener = self.people.recent(at, gender, limit=limit, opens=True)
        if opener is not None and (subject is None or not subject.opens):
            # "Pence said Trump will ...": the one who opens the sentence is the antecedent.
            subject = opener
        elif (
            opener is not None
            and subject is not None
            and opener.start > subject.start
            and _ENDS_SENTENCE.match(self.masked, opener.end)
            and self.people.recent(at, gender, limit=limit) is opener
        ):
            # "..., noted NBC’s Dante Chinni.": the speaker a sentence names last, when
            # nobody is named after them.
            subject = opener
        last = self.last
        if last is not None and (
            at - self.last_at > 1500 or (gender is not None and not last.can_be(gender))
        ):
            last = None
        if subject is not None and (last is None or subject.start > self.last_at):
            return subject.person
        if last is not None:
            return last
        mention = self.people.recent(at, gender)
        return mention.person if mention is not None else None


def extract_quotes(text: str) -> list[QuoteSpan]:
    """Direct quotes in `text` with their speakers, sorted by start. Never raises."""
    try:
        return _extract(text)
    except Exception:  # pragma: no cover - a bug must not take the reader down with it
        return []


def _mask(text: str, raws: list[_Raw]) -> str:
    """The text with quoted words blanked out, so names and verbs inside quotes are ignored."""
    parts: list[str] = []
    cursor = 0
    for raw in raws:
        if raw.open < cursor:
            continue
        parts.append(text[cursor : raw.open + 1])
        parts.append("\x00" * (raw.close - raw.open - 1))
        cursor = raw.close
    parts.append(text[cursor:])
    # Parentheticals ("(D-N.Y.)") sit inside names and attributions, and a dateline
    # ("KORSK, Dravia (Wire) —", "Korsk (Wire) –") opens a sentence without being its
    # subject: blank them out (the dateline first, while its agency is still in brackets).
    masked = _DATELINE.sub(lambda m: " " * len(m.group(0)), "".join(parts))
    return _PAREN.sub(lambda m: " " * len(m.group(0)), masked)


def _typed_marks(text: str) -> str:
    """`text` with typed double marks (`''`, ``` `` ```) made curly marks, offsets unchanged:
    the pair's second character becomes a space."""
    text = _TYPED_OPEN.sub("“ ", text)
    return _TYPED_CLOSE.sub("” ", text)


def _without_code_marks(text: str) -> str:
    """`text` with the quote marks inside preformatted blocks and lines of code (code,
    config, JSON: their marks delimit strings, not speech) made spaces, offsets unchanged."""
    parts: list[str] = []
    cursor = 0
    for start, end in code_spans(text):
        parts += [text[cursor:start], _MARK.sub(" ", text[start:end])]
        cursor = end
    return "".join(parts) + text[cursor:] if parts else text


def _extract(text: str, trace: list[Traced] | None = None) -> list[QuoteSpan]:
    """The quotes; with `trace`, also each quote's speaker candidates (for training)."""
    marked = text
    if "''" in marked or "``" in marked:
        marked = _typed_marks(marked)
    marked = _without_code_marks(marked)
    if marked == text:
        return _extract_marked(text, trace)
    spans = _extract_marked(marked, trace)
    for span in spans:
        span.text = text[span.start : span.end]
    return spans


def _extract_marked(text: str, trace: list[Traced] | None = None) -> list[QuoteSpan]:
    if not text or ('"' not in text and "“" not in text and "”" not in text):
        return []
    raws = _pair_marks(text)[:MAX_QUOTES]
    if not raws:
        return []
    masked = _mask(text, raws)
    ctx = _Context(text)
    runs = list(name_runs(masked))  # read once, for people and organisations
    resolver = _Resolver(masked, runs)
    orgs = Organisations(masked, runs)
    looks_seen: dict[tuple[int, bool], tuple[str, ...]] = {}
    named: dict[int, int] = {}  # mentions of each person in the story, by id
    for met in resolver.people.mentions:
        named[id(met.person)] = named.get(id(met.person), 0) + 1
    out: list[QuoteSpan] = []
    spoken: dict[int, int] = {}  # quotes given to each person so far, by id
    closing: list[bool] = []  # whether each span's speaker was named right after it
    own: list[bool] = []  # whether each span found its own attribution
    kinds: list[str] = []  # what each span's attribution named: name, pronoun, description, none
    turned: list[bool] = []  # whether each span is a transcript turn named by its label
    chain: list[_Raw] = []
    prev: tuple[_Raw, QuoteSpan] | None = None
    # A writer speaking in the first person (a blog, a letter) names tools and products as
    # the subjects of sentences more than people.
    personal = len(_FIRST_PERSON.findall(masked)) >= 3
    for n, raw in enumerate(raws):
        start, end = _trim(text, raw.open + 1, raw.close)
        if start >= end:
            continue
        para_start = _para_start(text, raw.open)
        turn = _TURN.match(text, start, end) if not text[para_start : raw.open].strip() else None
        turn_attr = _turn_speaker(turn, raw.close + 1) if turn is not None else None
        if turn_attr is None:
            turn = None  # no label, or one that names nobody ("VIDEO:", "UPDATE:")
        if turn is not None:
            start = turn.end()
        words = text[start:end]
        s_start, _ = ctx.sentence(raw.open)
        # The words a quote's attribution can be in; a "sentence" of a hundred kilobytes
        # (no full stops) must not make every quote in it read all of it again.
        before_start = max(min(s_start, raw.open), para_start, raw.open - _BEFORE_LIMIT)
        before = masked[before_start : raw.open]
        if not before.strip() and para_start > 0:
            # "Cruz continued:" closing the previous paragraph introduces this quote.
            lead_end = para_start  # end of the previous paragraph, without copying the text
            while lead_end > 0 and text[lead_end - 1].isspace():
                lead_end -= 1
            if text[lead_end - 1 : lead_end] == ":":
                before_start = max(ctx.sentence(lead_end - 1)[0], lead_end - 300)
                before = masked[before_start:lead_end]
        _, s_end = ctx.sentence(max(raw.close - 1, raw.open))
        next_open = raws[n + 1].open if n + 1 < len(raws) else len(text)
        after_end = max(s_end, raw.close + 1)
        follow = _next_word(text, raw.close + 1)
        if follow < len(text) and (
            text[follow] in ",—–"
            or text[follow].islower()
            or words.rstrip("’'\"”").endswith(("?", "!", "…", "..."))
            or _bare_attribution(text, follow)
        ):
            # `"Really?" she asked.` / `"No!" said Tom.` / `"Maybe…" Clinton said.` / `"Yes."
            # Trump said.`: the attribution is the next sentence.
            after_end = max(after_end, ctx.sentence(follow)[1])
        after_end = min(after_end, next_open, raw.close + 240)
        after = masked[raw.close + 1 : after_end] if raw.closed else ""
        partial = _is_partial(text, raw, start, end, before_start)
        # A title-like fragment joined to a kept one goes as that one did: `called the winner
        # “Miss Piggy” and “Miss Housekeeping”`.
        if (
            partial
            and _looks_like_title(words, before)
            and (
                prev is None
                or not prev[0].closed
                or not prev[1].partial
                or _JOINED.fullmatch(text, prev[0].close + 1, raw.open) is None
            )
        ):
            continue
        if not partial and _WORK_BEFORE.search(before) and _is_title_case(words):
            continue  # `her memoir, "Tough Choices."`, `Fox News Channel’s “Fox & Friends,”`
        if _NOT_SPEECH.match(words) or (raw.closed and _titled_after(text, raw, words)):
            continue  # "Related:", a headline credited to its writer, a show and its star
        if (
            raw.closed
            and not before.strip()
            and _is_title_case(words)
            and _NAMED_SUBJECT.match(text, raw.close + 1)
        ):
            continue
        attr = find_after(after) if turn_attr is None else turn_attr
        path = "after" if turn_attr is None else "turn"
        if (
            attr is not None
            and raw.close + 1 + attr.offset >= s_end
            and before.rstrip().endswith((",", ":"))
        ):
            # `Clinton responds to Mills with, “Why now?” Mills then writes back`: the
            # sentence after a question is a new one; the clause leading in speaks first.
            lead = find_before(before)
            if lead is not None and lead.name_words:
                attr, path = None, "before"
        if attr is None and raw.closed and path == "after" and _PASSIVE_BEFORE.search(before):
            # `often labeled as a “witch hunt” by Democrats`: the agent named after "by".
            agent = _AGENT_AFTER.match(masked, raw.close + 1)
            if agent is not None:
                attr = parse_subject(agent.group(1).split(), 0, True)
                if attr is not None and (attr.name_words or attr.description):
                    attr.offset = agent.start(1) - raw.close - 1
                    path = "agent"
                else:
                    attr = None
        if attr is None and raw.closed and path == "after":
            credit = _CREDIT.match(masked, raw.close + 1)
            if credit is not None and (credit.group(1) or not before.strip()):
                # `"Great speech."⏎⏎- President Obama, tweeting`: a quote credited below, or
                # after a dash when the quote opens its line (after a sentence, `...in Spain."
                # --Kim Hjelmgaard` is the writer's byline).
                group = 1 if credit.group(1) else 2
                attr = parse_subject(credit.group(group).split(), 0, True)
                if attr is not None and not attr.name_words:
                    attr = None
                elif attr is not None:
                    attr.offset = credit.start(group) - raw.close - 1
                    path = "credit"
        if attr is not None:
            at = raw.close + 1 + attr.offset
        else:
            attr = find_before(before)
            path = "before"
            if attr is not None and partial:
                # `X described Clinton as a “disgrace” after she ... blamed shootings on
                # “implicit bias”`: a clause of its own with a he/she subject owns the words.
                clause = _PRONOUN_CLAUSE.search(before, max(attr.offset + 1, len(before) - 300))
                if clause is not None:
                    pronoun = clause.group(1).lower()
                    attr = Attribution(clause.start(1), False, [], None, pronoun, None)
            at = before_start + attr.offset if attr is not None else raw.open
        if attr is None and raw.closed and s_end > raw.close + 1:
            # `a "small handful" of companies who sponsor the event, Gilbert said.`: the
            # sentence closes with its attribution.
            attr = find_intro(masked[raw.close + 1 : s_end], closing=True)
            path = "closing"
            at = raw.close + 1 + attr.offset if attr is not None else raw.open
        if attr is None and before.strip():
            # No speech verb: the named subject of the sentence owns its quoted words.
            # "... Trump’s claim that Obama “founded ISIS”": the owner of the claim first.
            attr = find_owner(before, text[raw.close + 1 : raw.close + 40])
            path = "owner"
            if attr is None:
                attr = _colon_owner(before) or _clause_owner(before) or find_subject(before)
                path = "subject"
                if (
                    attr is not None
                    and attr.pronoun in UNNAMED_SUBJECTS
                    and partial
                    and len(words.split()) <= 1
                    and not _reports_speech(masked, s_start, s_end)
                ):
                    continue  # "we factor it out of the “minimax” logic": a term, not speech
            at = before_start + attr.offset if attr is not None else raw.open
        if attr is None and partial and before.strip():
            # `That’s why he wanted to “go an extra step”`: a he/she that is the subject of
            # a verb in the fragment's own sentence owns it.
            cues = list(_SUBJECT_PRONOUN.finditer(before))
            if cues:
                cue = cues[-1]
                attr = Attribution(cue.start(), False, [], None, cue.group(1).lower(), None)
                path = "pronoun_subject"
                at = before_start + attr.offset
        if attr is None and not before.strip() and raw.open > 0:
            # `Dianne Bystrom agreed. "Mainstream Republicans ..."`: a sentence ending in a
            # speech verb introduces the quote that follows it, in the paragraph or as the
            # last sentence of the paragraph before (", said James Henson, ... .").
            p_start, p_end = ctx.sentence(raw.open - 1)
            if p_end <= raw.open and (
                para_start <= p_start
                or (raw.open == para_start and (prev is None or prev[0].closed))
            ):
                attr = find_intro(masked[p_start:p_end])
                path = "intro"
                if attr is None and para_start <= p_start and "\x00" not in masked[p_start:p_end]:
                    # `Clinton touted her credentials. "We need to ..."`: the named subject
                    # of the sentence just before, in the same paragraph.
                    attr = find_subject(masked[p_start:p_end])
                    path = "intro_subject"
                    if attr is not None and not attr.name_words:
                        attr = None
                at = p_start + attr.offset if attr is not None else raw.open
        person: Person | None = None
        speaker: str | None = None
        title: str | None = None
        kind = "none"
        continues = prev is not None and _continues(prev[0], raw)
        # A fragment in a later sentence than the quote before it does not carry that
        # quote's speaker on (PolNeAR train: most such are a description's or nobody's).
        follows = continues and partial and prev is not None and prev[0].close < s_start
        if attr is not None:
            person, speaker, title = resolver.resolve(attr, at)
            kind = "name" if attr.name_words else "pronoun" if attr.pronoun else "description"
            if (
                kind == "pronoun"
                and attr.pronoun in _PRONOUNS
                and prev is not None
                and kinds[-1] == "description"
                and prev[1].speaker is None
                and _unnamed_description(prev[1].speaker_title or "")
                and _gender_of_description(prev[1].speaker_title or "") == _PRONOUNS[attr.pronoun]
                and at - prev[0].close < _UNNAMED_REACH
                and resolver.people.recent(at, None, limit=prev[0].close) is None
            ):
                # `“...,” said one woman, a retired teacher. She added: “...”`: the he/she
                # is the unnamed speaker just quoted, nobody named before them (when the
                # description says man or woman: after "one questioner asked", the "he"
                # who answers is the one named before).
                person, speaker, title = None, None, prev[1].speaker_title
                kind = "description"
        elif continues and not follows and prev is not None:
            speaker, title = prev[1].speaker, prev[1].speaker_title
            person = resolver.last
            path = "continues"
            if prev[1].speaker is None and kinds[-1] == "description":
                # `“...,” one voter said. “...”`: whoever the story leaves unnamed goes on.
                person, kind = None, "description"
        else:
            path = "antecedent"
            if partial and len(words.split()) <= 4:
                # A short fragment inside a sentence (“a total stiff”) is usually somebody's
                # words (PolNeAR attributes seven in ten), but only the person who opens that
                # sentence may own it; nobody is guessed from further. A lone word with no
                # such owner (the town's “new” bridge) is a scare quote.
                mention = resolver.people.recent(raw.open, None, limit=s_start, opens=True)
                person = mention.person if mention is not None else None
                path = "fragment"
                if (
                    person is None
                    and len(words.split()) <= 1
                    and not follows  # after a quote, a lone word is more likely speech
                    and not _reports_speech(masked, s_start, s_end)
                ):
                    continue
            elif resolver.last is not None and raw.open - resolver.last_at <= _UNATTRIBUTED_REACH:
                person = resolver.antecedent(raw.open, None)
            else:
                # No attribution, and no quote given to anyone shortly before: the model's
                # pick among the names around is kept only if it is plainly a person (below).
                path = "unowned"
            if person is not None:
                speaker, title = person.name, person.title
        para_end = _paragraph_end(text, raw.close, raw.close + 1000)
        site = QuoteSite(
            raw.open,
            raw.close,
            s_start,
            para_start,
            after_end,
            para_end,
            _paragraph_end(text, para_end + 1, raw.close + 1500),
            path if person is not None or attr is not None else "none",
            kind,
            attr.pronoun
            if attr is not None and attr.pronoun in _PRONOUNS
            else _last_pronoun(before),
            partial,
        )
        # He/she stays with the rules: the model, fitted on named speakers, has not learned
        # antecedents (fitted on the bench's proxy referents it did no better). So does a
        # description no person fits ("Dravian officials said") and a fragment no rule
        # gives an owner: hand checks on train found the model's nearest name wrong for
        # most of them (10 of 15 descriptions; 6 of 9 named fragments, and many more
        # fragments are a group's words).
        decided = kind == "pronoun" or (person is None and (kind == "description" or partial))
        chosen = person
        if not decided or trace is not None:
            cands = candidates(
                resolver.people,
                site,
                person,
                resolver.last,
                spoken,
                orgs,
                resolver.last_at,
                named,
                looks_seen,
            )
            if trace is not None:
                trace.append((start, end, cands))
            if not decided:
                chosen = choose(cands, WEIGHTS)
        if chosen is not None and chosen is not person:
            person, speaker, title = chosen, chosen.name, chosen.title
        if (
            person is not None
            and (
                (path in _GUESSED and not _plainly_a_person(person))
                or (
                    path in _SOFT
                    and (
                        _common_phrase(person, resolver.people.common_words)
                        or _only_opens_sentences(person, text)
                        or (personal and not _plainly_a_person(person))
                    )
                )
            )
            and (path == "unowned" or not _reports_speech(masked, s_start, s_end))
        ):
            # No speech verb says who speaks: a name nearby is kept only if it is plainly a
            # person's. A blog's “...” near a heading or a product name had "Static Routing",
            # "Gemini" and "The Deployment" as speakers.
            person, speaker, title = None, None, None
        if person is not None:
            resolver.last = person
            resolver.last_at = raw.close
            spoken[id(person)] = spoken.get(id(person), 0) + 1
        span = QuoteSpan(words, start, end, speaker, _clean_title(title), partial)
        out.append(span)
        own.append(attr is not None)
        kinds.append(kind)
        turned.append(turn is not None)
        closing.append(attr is not None and attr.after and path == "after")
        chain.append(raw)
        prev = (raw, span)
    # A quote running over paragraphs is attributed once, usually in its last part; so are
    # quotes joined in one sentence: `“A” and “B,” X said` gives A to X as well.
    for i in range(len(out) - 2, -1, -1):
        joined = (
            closing[i + 1]
            and not closing[i]
            and chain[i].closed
            and _JOINED.fullmatch(text, chain[i].close + 1, chain[i + 1].open) is not None
        )
        if (
            ((not chain[i].closed and not own[i]) or joined)
            and out[i + 1].speaker
            and not turned[i + 1]  # a turn's label names who speaks from there on
        ):
            out[i].speaker = out[i + 1].speaker
            out[i].speaker_title = out[i + 1].speaker_title
    out.sort(key=lambda q: q.start)
    return out


# Labels in capitals that open a paragraph without naming anyone.
_NOT_TURN = word_set(
    """
    video watch update updated breaking photos photo listen read related note editor
    correction exclusive live analysis opinion source sources transcript
    """
)


def _turn_speaker(turn: re.Match[str], after: int) -> Attribution | None:
    """The speaker a transcript turn's label names ("PENCE" is Pence), placed at the label."""
    words = [w.capitalize() for w in turn.group(1).split()]
    if len(words) == 1 and norm(words[0]) in _NOT_TURN:
        return None
    attr = parse_subject(words, 0, True)
    if attr is None or not attr.name_words:
        return None
    attr.offset = turn.start(1) - after
    return attr


# Where a second main clause starts: "Jindal signed an order, while Huckabee proposed".
_CLAUSE_START = re.compile(r"(?:,\s+(?:while|but|and|whereas)|;)\s+(?=[A-Z])")


def _colon_owner(before: str) -> Attribution | None:
    """The named subject of a clause that a colon ends, when the quote sits in what the colon
    introduces: `Velin has stuck to a consistent line: ..., and Dravian pilots escort them
    “at a safe distance.”` is Velin's line."""
    colon = before.rfind(":")
    if colon < 0 or "\x00" in before[colon:]:
        return None
    if any(w in SPEECH_VERBS for w in before[colon:].lower().split()):
        return None  # a speech verb after the colon brings its own speaker
    found = find_subject(before[:colon])
    return found if found is not None and found.name_words else None


def _clause_owner(before: str) -> Attribution | None:
    """The named subject of the last main clause before a quote, when the sentence has
    several: `Jindal signed an order, while Huckabee proposed we “wake up”` is Huckabee's."""
    starts = list(_CLAUSE_START.finditer(before))
    if not starts:
        return None
    last = starts[-1]
    found = find_subject(before[last.end() :])
    if found is None or not found.name_words:
        return None
    found.offset += last.end()
    return found


# A passive naming verb before a quote and its agent after it.
_PASSIVE_BEFORE = re.compile(
    r"\b(?:labeled|labelled|called|described|dubbed|branded|characterized|deemed|termed)"
    r"\s+(?:as\s+)?(?:(?:an?|the)\s+)?$"
)
_AGENT_AFTER = re.compile(r",?\s+by\s+((?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,4})")


_JOINED = re.compile(r"[ \t]*(?:,|,? and|,? or)[ \t]+")


def _titled_after(text: str, raw: _Raw, words: str) -> bool:
    """True when the words after the closing mark make the quote a title: `"Hamilton to
    tour," by Variety's Gordon Cox` (a comma before "by": without it, `called "strategic
    ambiguity" by Joshua Hendrick` names who said it), `“Broad City” star Arturo Castro`."""
    if len(words) > 160:
        return False
    m = _TITLE_AFTER.match(text, raw.close + 1)
    if m is None:
        return False
    return not m.group(2) or bool(m.group(1)) or text[raw.close - 1] == ","


_LOWER_WORD = re.compile(r"[a-z]+")


def _reports_speech(masked: str, start: int, end: int) -> bool:
    """Whether the sentence has a speech verb outside its quotes: a lone quoted word in
    `About four in 10 said they were "angry"` is somebody's word, the town's “new” bridge is a
    scare quote (keeping such words: 16 more gold quotes found on PolNeAR train, 3 false)."""
    words = _LOWER_WORD.findall(masked, start, min(end, start + 600))
    return any(w in SPEECH_VERBS or w in _SPEECH_BASE for w in words)


# Speech verbs in the base form, which SPEECH_VERBS (the forms that attribute) leaves out:
# `all she could do was shout ''Yessss!''`, `afraid to say “yes”`.
_SPEECH_BASE = frozenset({"say", "shout", "tell", "ask", "call", "yell", "scream", "chant"})


# Paths where the speaker is inferred, not read from an attribution.
_GUESSED = frozenset({"unowned", "antecedent"})


# Paths where the sentence's subject or opener is taken for the speaker.
_SOFT = frozenset({"subject", "fragment"})


def _only_opens_sentences(person: Person, text: str) -> bool:
    """A one-word "name" the story writes only as a sentence's first word ("Below, we
    renamed the “S”", "Alas, there’s not a “core curriculum”", "Recent moves ... “put”"):
    a capital that says nothing. A name is written mid-sentence somewhere, in full, or as
    an owner ("Bornstein’s earlier letter")."""
    name = person.name
    if " " in name or name.isupper():
        return False
    for m in re.finditer(rf"(?<![\w’'-]){re.escape(name)}(?![\w-])", text):
        if text.startswith(("’s", "'s"), m.end()):
            return False
        lead_start = max(0, m.start() - 12)
        lead = text[lead_start : m.start()].rstrip(" \t“\"‘'(")
        if not lead or lead[-1] in "!?:;\n—–-":
            continue
        if lead[-1] != ".":
            return False
        if abbreviation_before(text, lead_start + len(lead) - 1):
            return False  # "U.S. Court", "Dr. Kettle": the full stop ends an abbreviation
    return True


def _common_phrase(person: Person, common: frozenset[str]) -> bool:
    """A "name" made of words the story also writes in lower case ("Static Routing", "The
    Deployment", "Spec"), or a heading in capitals: a thing or a heading, not a person."""
    words = [w for w in person.name.split() if w.lower() not in ("the", "a", "an")]
    if len(words) >= 2 and person.name.isupper():
        return True
    return bool(words) and all(w.lower().strip(".,’'") in common for w in words)


def _plainly_a_person(person: Person) -> bool:
    """A first name the name lists know, or a title: "Jared Sexton", "Dr. Ward"."""
    return person.gender is not None or bool(person.title)


def _next_word(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\xa0":
        pos += 1
    return pos


# A clause opened by a conjunction with he/she as the subject of a (non-speech) verb, running
# up to the quote: "... after she attacked officers and blamed shootings on ".
_PRONOUN_CLAUSE = re.compile(
    r"\b(?:after|before|because|when|since|although|though|while|until|whereas)\s+"
    r"(he|she)\s+(?:[a-z]+ly\s+)?[a-z]+ed\b[^.;:!?\x00“”\"]*$"
)
_SUBJECT_PRONOUN = re.compile(r"\b([Hh]e|[Ss]he)\s+(?=(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b)")
_GENDERED = re.compile(r"\b(?:he|she|his|him|her|He|She|His|Her)\b")


def _last_pronoun(before: str) -> str | None:
    """The last he/she/his/her in the words before a quote ("in which he took credit for"):
    a cue to the speaker's gender even when no rule read it as the attribution."""
    words = _GENDERED.findall(before, max(0, len(before) - 200))
    if not words:
        return None
    word = words[-1].lower()
    return "he" if word in ("he", "his", "him") else "she"


def _paragraph_end(text: str, pos: int, limit: int) -> int:
    """End of the paragraph holding `pos` (blank lines skipped first), at most `limit`."""
    while pos < len(text) and text[pos] == "\n":
        pos += 1
    end = text.find("\n", pos, limit)
    return min(limit, len(text)) if end < 0 else end


def _para_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _continues(earlier: _Raw, later: _Raw) -> bool:
    """True when `later` carries on the quote before it (same paragraph or the next one)."""
    if not earlier.closed:
        return True
    return later.para - earlier.para <= 1
