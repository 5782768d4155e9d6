"""People mentioned in a story: names, titles and the mentions that refer back to them.

Rule-based and single-pass: capitalised runs are read as names, leading titles ("Foreign
Minister", "Sen.") and appositives ("X, the foreign minister,") are kept apart from the
name, and later surname-only mentions are joined to the full name seen first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from app.analysis.sentences import ABBREVIATIONS


def word_set(block: str) -> frozenset[str]:
    """A word set written as a block of text (easier to read and edit than a literal)."""
    return frozenset(block.split())


# Honorifics and offices that precede a name; they belong in the title, never in the name.
TITLE_WORDS = word_set(
    """
    mr mrs ms miss dr prof sir dame lord lady rev reverend father sister pope president
    vice prime minister secretary senator sen rep representative congressman
    congresswoman gov governor mayor judge justice chief chairman chairwoman chair
    general gen col colonel lt sgt capt captain adm admiral commissioner director
    ambassador speaker leader deputy attorney state foreign defense defence interior treasury
    house senate majority minority whip former acting candidate nominee presidential
    democratic republican gop dem democrat spokesman spokeswoman spokesperson press
    assistant adviser advisor aide strategist pollster analyst professor economist ceo
    founder executive manager campaign chief-of-staff sheriff officer detective agent
    trooper king queen prince princess sheikh ayatollah rabbi imam bishop cardinal
    archbishop councilman councilwoman assemblyman assemblywoman superintendent host
    anchor correspondent editor columnist author activist billionaire businessman
    businesswoman mogul first lady u.s. us american british russian french german
    chinese israeli iranian mexican canadian independent libertarian conservative
    liberal progressive then-candidate then-senator then-secretary retired ranking
    longtime veteran pastor reporter donor hacker staffer rev. dr. mr. mrs. ms.
    sen. rep. gov. gen. lt. col. sgt. capt. adm. prof. pres. atty. supt. hon. sec. the
    """
)
# Offices that end a title ("Ohio Gov.", "Defence Minister"): what follows them is the name.
OFFICE_WORDS = word_set(
    """
    president minister secretary senator sen sen. rep rep. representative congressman
    congresswoman gov gov. governor mayor judge chairman chairwoman counsel gen gen.
    colonel col col. lt lt. sgt sgt. capt capt. captain admiral adm adm. commissioner
    director ambassador speaker leader attorney whip spokesman spokeswoman spokesperson
    adviser advisor aide strategist pollster analyst professor prof prof. economist ceo
    founder executive manager sheriff officer detective chancellor premier councillor
    councilman councilwoman superintendent correspondent editor columnist chief dr dr.
    mr mr. mrs mrs. ms ms. rev rev. head general lieutenant brigadier marshal commander
    """
)
# Capitalised words that start sentences or name things, never people.
NOT_NAME = word_set(
    """
    the a an and but or so yet if when while as at in on of for to from by with without
    after before during since until because though although this that these those there
    here it its he she they we i you his her their our my your him them us me who what
    which where why how also still then now just only even not no yes all some many most
    more both each every any monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november
    december today tonight yesterday tomorrow thanks meanwhile however instead indeed
    moreover asked earlier later last next first one two three four five according mr.
    mrs. ms. dr. speaking like unlike under over about several few other others another
    such nobody everyone someone anyone western eastern northern southern early
    immediately amid amidst specifically adding asked ask wait beyond much multiple couple
    signs perhaps maybe clearly certainly obviously apparently finally recently currently
    initially eventually ultimately notably similarly separately additionally still given
    ever never always instantly soon again already often once is are was were has have had
    do does did can could would should must might eleven twelve thirteen fourteen
    fifteen twenty thirty forty fifty hundred thousand million billion dozens hundreds
    catholic catholics protestant protestants evangelical evangelicals mormon mormons
    baptist baptists despite among alongside toward towards across throughout via said top
    transcript excerpt excerpts unless whether whereas whenever wherever nor lest besides
    therefore thus hence furthermore nevertheless nonetheless otherwise likewise accordingly
    consequently regardless against within upon behind beneath beside inside outside
    around near into onto through underneath let please imagine consider remember
    """
)
# Last words that mark an organisation or place rather than a person.
ORG_WORDS = word_set(
    """
    house news party committee department university college times post journal network
    street city county state states america campaign council association institute
    center centre foundation fund group company corp inc co union agency bureau office
    court church school hall club society board commission administration senate
    congress assembly project pac network channel magazine review tribune herald gazette
    daily press radio tv television bank capital island islands republic kingdom nation
    nations square avenue tower airport hospital party's coalition alliance caucus
    convention organization organisation service services police army navy force forces
    guard ministry government movement network today show program report politics media
    reuters cnn msnbc abc nbc cbs fox breitbart politico street wall initiative act
    amendment bill plan hotel restaurant district valley mountain river lake beach park
    road way point institute inc. corp. co. ltd. llc trust watch poll polls survey
    network's agreement treaty accord pact energy holdings partners systems technologies
    airlines motors pharmaceuticals foods industries networks
    """
)
PLACES = word_set(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode
    tennessee texas utah vermont virginia washington wisconsin wyoming america
    washington russia china iran iraq syria israel france germany britain england europe
    ukraine cuba canada japan korea afghanistan libya egypt turkey india pakistan moscow
    beijing london paris brussels berlin chicago boston philadelphia cleveland detroit
    miami houston dallas atlanta denver orlando vegas angeles francisco diego manhattan
    brooklyn iowa benghazi kremlin pentagon twitter facebook youtube instagram google
    apple microsoft amazon christmas easter ramadan god islam muslim muslims christian
    christians jewish democrats republicans americans obamacare medicare medicaid isis
    isil al-qaeda taliban hamas hezbollah nato un eu gop dnc rnc fbi cia nsa ala fla calif
    ariz ark colo conn ga ill kan ky md mass mich minn mont neb nev okla ore pa tenn tex va
    vt wis wyo
    """
)
FEMALE_NAMES = word_set(
    """
    hillary chelsea melania ivanka tiffany kellyanne megyn nancy elizabeth sarah sara
    carly nikki susan mary maria marie anna ann anne hannah huma donna debbie deborah
    debra loretta condoleezza madeleine michelle sasha malia barbara laura jill karen
    linda lisa patricia jennifer jessica ashley emily emma olivia sophia julia julie
    katie kate katherine kathleen kathy catherine cathy christine christina kristen
    kirsten kelly kelli amy amanda rachel rebecca rosa rose ruth samantha sandra sharon
    stephanie tammy tina theresa teresa victoria virginia wendy cecile joni shelley
    gloria diane dianne heidi hope jane janet jean jeanne joan joanne judy judith kamala
    kim lori lynn marsha martha maxine meghan melissa michele mia molly monica nina
    norma pam pamela paula peggy phyllis rachael robin sheila sonia sue suzanne tara
    tulsi valerie vanessa yvonne zoe alicia alison allison andrea angela angie beth
    betsy betty brenda brittany carol carolyn carrie cheryl claire claudia connie
    cynthia dana dawn denise dolores doris dorothy eileen elaine ellen erin eva evelyn
    frances geraldine grace harriet helen irene jacqueline jamie joyce juanita kay
    keisha lauren leah marilyn marcia marianne margaret nicole rhonda roxanne shannon
    stacey tamara tanya tracy gwen omarosa katrina dana kayleigh sheryl lena jenna rosie
    oprah beyonce madonna
    abigail adriana aisha alexa alexandra alexis alice alyssa amber amelia anita annie
    ariana audrey ava barbra bella bernadette beverly bianca bonnie brandy briana
    bridget caitlin camila candace carla carmen caroline cassandra charlotte chloe
    christy cindy clara colleen daisy danielle daphne darlene deanna delia diana dina
    dolly edith eleanor elena elise ella elsa emilia esther eva felicia fiona florence
    francesca gabriela gabrielle genevieve gina ginger gretchen heather helena hilary
    ingrid isabel isabella jackie jade jasmine jeanette jenny jessie joanna jocelyn jodi
    josephine juliana julianne kaitlyn kara karla kathryn katy kayla kendra kristin
    kristina kylie latoya leila lila lillian lily lucia lucy lydia mabel mandy marcy
    margarita marian marina marisa marjorie marlene maureen maya megan mildred mindy
    miranda miriam misty monique nadia naomi natalie natasha nell nora olga patrice
    patsy paulette priscilla raquel regina renee rita roberta rochelle sabrina sally
    salma sasha selena serena shana sherry shirley simone sofia sonya stella susanna
    sylvia tabitha tamika tasha tatiana terri tonya tracey trisha ursula vera veronica
    vicki viola vivian wilma yolanda yvette zara zoe
    """
)
MALE_NAMES = word_set(
    """
    donald bernie bernard ted marco jeb barack mike michael john paul rand chris
    christopher ben scott bill william joe joseph tim timothy jim james bob robert newt
    rudy rudolph reince corey jeff jeffrey mitt mitch harry jason lindsey george dick
    richard ronald reed martin kevin brian david dan daniel steve steven stephen mark
    matt matthew tom thomas eric jared frank gary greg gregory jack jake jerry larry lou
    mario nick pat patrick peter ray rick roger sean sam samuel tony vince walter wayne
    al alan allen andrew andy anthony barry bobby bruce carl charles charlie craig
    dennis doug douglas ed edward fred gerald glenn henry ian jesse jon jonathan jose
    juan justin keith ken kenneth kyle lawrence luis marcus martin max nathan neil
    nicholas norm oliver omar orrin phil philip ralph randy reggie rob ron ross roy
    russell ryan seth stanley stuart terry todd travis trey troy tyler victor vladimir
    warren willie xi benjamin bibi francois emmanuel angelo jorge sergei boris dmitry
    hassan mahmoud bashar recep elijah colin cory sherrod chuck tammy-no darrell cornel
    jesse bret sean hugh howard herman lyndon jimmy franklin abraham grover woodrow
    dwight calvin
    aaron adam adrian ahmed alberto alejandro alex alexander alfred alfredo ali alvin
    amir antonio arthur ben benny bernie billy brad bradley brandon brendan caleb carlos
    cesar chad clarence claude conor connor danny darren dave derek desmond devin
    dominic don donnie dustin dwayne eddie edgar eduardo edwin elmer emilio enrique
    ernie ethan eugene evan fernando francisco frankie fred freddie gabriel gavin
    geoffrey gerard gustavo hector isaac ivan jacob jaime jamal jared javier jeremiah
    jeremy jerome joel joey johnny jonah josh joshua juan julio kareem karl kelvin kurt
    leroy lester lonnie louis manuel marc marco marvin miguel mohammed muhammad
    nathaniel oscar pablo pedro pete rafael ralph ramon randall raul raymond reginald
    ricardo richie ricky roberto rodney rogelio ronnie rudolph salvador sammy santiago
    sergio shaun steve sylvester ted teddy terrence theodore tommy tristan tyrone vernon
    vincent william xavier zachary zack
    """
)

_UPPER = "A-ZÀ-ÖØ-Þ"
# Accents written as combining marks stay in the word. Text decoded twice turns "á" into
# "Ã\x83Â¡" (the A and its tilde may be apart): the bytes after a Ã or Â stay too, so
# "Arturo SarukhÃ\x83Â¡n" is not cut to "Arturo SarukhA".
_LETTER = r"(?:[^\W\d_'’\-]|[\u0300-\u036f]|(?<=[ÃÂ\u0302\u0303])[\x80-\xbf])"
_TOKEN = rf"(?:[{_UPPER}]\.(?:[A-Z]\.)+|[{_UPPER}]{_LETTER}*(?:['’\-][^\W\d_]+)*(?:['’]s)?\.?)"
_JOIN = r"(?:\s(?:de|De|van|von|der|del|da|di|la|le|bin|al|St\.)(?=\s[A-Z]))?"
NAME_RUN = re.compile(rf"{_TOKEN}(?:{_JOIN}\s{_TOKEN})*")
# A capitalised word of four letters or more with a full stop ends a sentence ("... in
# Iowa. Sanders said"), unless it is one of these abbreviations ("Capt. Ana Ruiz").
_DOTTED_WORD = re.compile(r"[^\W\d_]{4,}\.\s")
_LONG_ABBREVIATIONS = word_set(
    "capt sept supt atty pres prof corp dept univ bros assn msgr treas cmdr insp"
)


class Run:
    """A piece of a NAME_RUN match, with the few Match methods the callers use."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _: int = 0) -> str:
        return self._text[self._start : self._end]


def name_runs(text: str) -> Iterator[re.Match[str] | Run]:
    """NAME_RUN matches, cut where a sentence ends inside one ("Iowa. Sanders")."""
    for m in NAME_RUN.finditer(text):
        run = m.group(0)
        if "." not in run or _DOTTED_WORD.search(run) is None:
            yield m
            continue
        base = m.start()
        cursor = 0
        for d in _DOTTED_WORD.finditer(run):
            if d.group(0)[:-2].lower() in _LONG_ABBREVIATIONS:
                continue
            yield Run(text, base + cursor, base + d.end() - 1)
            cursor = d.end()
        yield Run(text, base + cursor, m.end())


APPOSITIVE = re.compile(
    r",\s+((?:the|a|an|his|her|its|their)\s+[^,.;:“”\"()]{2,80}?|"
    r"(?:former|then|now|longtime|senior|top|chief|deputy)\s[^,.;:“”\"()]{2,80}?)\s*[,.;]"
)
_SENTENCE_END = frozenset('.!?:;\n\x00"”')
# A name followed by a comma (appositive) or a verb-looking word is a clause's subject.
_VERB_NEXT = re.compile(
    r"(?:\s*\([^()\n]{1,20}\))?"  # "Rep. Robert Aderholt (R-AL), ..." (or masked to spaces)
    r"(?:\s*,|\s+(?:[a-z]+ly\s+|also\s+|has\s+|had\s+)?(?:[a-z]+(?:s|ed|ld)|said|told|wrote|"
    r"spoke|went|took|gave|made|came|won|lost|ran|got|is|was|will|would|can|could|did|"
    r"(?:was|is|were|has|had|does|did|would|could|wo|ca)n['’]t)\b)"
)
# A verb after a lone capitalised word that opens a sentence: past tense or a common verb
# ("Cruz openly admitted"), never a plural noun ("Opinion polls see").
_VERB_AFTER = re.compile(
    r"\s+(?:[a-z]+ly\s+|also\s+|has\s+|had\s+)?(?:[a-z]{2,}ed|said|says|told|tells|wrote|"
    r"writes|spoke|went|took|gave|made|came|won|lost|ran|got|is|was|has|had|will|would|did)\b"
)
# "Goff said": a lone surname that speaks is a person even without a title.
_SAID_NEXT = re.compile(
    r",?\s+(?:also\s+)?(?:said|says|told|tells|added|adds|wrote|writes|argued|argues|noted|notes)\b"
)
_AFTER_PREPOSITION = re.compile(r"\b(?:at|of|for|from|with|by|to|in|on|about)\s+(?:the\s+)?$")
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


@lru_cache(maxsize=16384)
def norm(word: str) -> str:
    """Lower-case key for a name word, without possessive or trailing dot."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.rstrip(".,'")


@dataclass(slots=True)
class Person:
    name: str
    surname: str
    first: str
    title: str | None = None
    gender: str | None = None  # "m", "f" or None when unknown
    descriptions: list[str] = field(default_factory=list)
    spoke: bool = False  # named as the speaker of a quote
    common_words: frozenset[str] = frozenset()  # lower-case words of the story

    def can_be(self, gender: str) -> bool:
        """Whether "he" (m) or "she" (f) can refer to this person: a known gender must
        match; an unknown one must not look like an outlet, a place or a group ("AP",
        "Der Spiegel", "New Yorkers")."""
        if self.gender is not None:
            return self.gender == gender
        if self.spoke and self.title:
            return True
        words = self.name.split()
        if len(words) == 1 and words[0].lower() in self.common_words:
            return False  # "Contrast", "Netizens": ordinary words that opened a sentence
        last = norm(words[-1]) if words else ""
        return not (
            not words
            or (self.name.isupper() and len(self.name) <= 5)
            or last in ORG_WORDS
            or last in PLACES
            or norm(words[0]) in _NOT_PERSON_FIRST
            or _GROUP_END.search(last) is not None
        )


# Demonyms and groups in the plural: "New Yorkers", "Young Latinos", "Indians".
_GROUP_END = re.compile(
    r"(?:ians|icans|inos|anos|ites|ists|yorkers|voters|leaders|advisers|advisors|supporters|"
    r"members|officials|critics|donors|delegates|workers|protesters|staffers)$"
)
_NOT_PERSON_FIRST = frozenset({"der", "die", "das", "el", "la", "le", "team", "top", "new"})


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    person: Person
    subject: bool  # at a sentence start or before a verb: a likely antecedent for "he"
    opens: bool = False  # the subject of its sentence, not of a clause reported inside it


# Occupations that open a name run at the start of a sentence ("Engineer Lena Okafor
# said"); only leading words, since some are surnames too (Paul Singer, Ann Farmer).
ROLE_TITLES = word_set(
    """
    engineer consultant lawyer historian scientist researcher organizer organiser
    commentator blogger writer filmmaker teacher student farmer voter lobbyist novelist
    comedian actor actress singer rapper musician designer entrepreneur investor banker
    doctor nurse delegate protester volunteer physician surgeon coach player athlete
    producer journalist photographer artist poet playwright
    """
)


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading title words ("Foreign Minister", "Ohio Gov.") from the name words: the
    title runs to its last title word, so a place or ministry inside it stays in the title."""
    i = 0
    while i < len(words) - 1 and (
        norm(words[i]) in TITLE_WORDS or (norm(words[i]) in ROLE_TITLES and len(words) - i > 2)
    ):
        i += 1
    # "Ohio Gov. John Kasich", "Defence Minister Ingrid Solvang": a title word further on.
    for k in range(len(words) - 2, i - 1, -1):
        if norm(words[k]) in OFFICE_WORDS and any(norm(w) not in SUFFIXES for w in words[k + 1 :]):
            return words[: k + 1], words[k + 1 :]
    if all(norm(w) in _DETERMINERS for w in words[:i]):
        return [], words  # "The Atlantic" is a name; "The" is no title
    return words[:i], words[i:]


_DETERMINERS = frozenset({"the", "a", "an"})


def clean_name_words(words: list[str]) -> list[str]:
    """Drop leading non-name words (sentence openers) and trailing suffix/possessive noise."""
    while words and (norm(words[0]) in NOT_NAME or norm(words[0]) == ""):
        words = words[1:]
    for i in range(len(words) - 2, -1, -1):
        if words[i].endswith(("'s", "’s")):
            words = words[i + 1 :]  # "NBC’s Dante Chinni": the person after the owner
            break
    out = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    out = [w.rstrip(",") for w in out]
    if out and out[-1].endswith(".") and len(out[-1]) > 3 and norm(out[-1]) not in SUFFIXES:
        out[-1] = out[-1][:-1]  # the full stop of the sentence, not an abbreviation
    return out


_ADVERB = re.compile(r"(?:ously|ently|antly|ately|ily|ingly|edly|fully|lessly|tively|ically)$")


def looks_like_adverb(word: str) -> bool:
    """ "Hastily", "Ultimately": a capitalised adverb (but "Emily" is a name)."""
    bare = norm(word)
    return bool(_ADVERB.search(bare)) and bare not in FEMALE_NAMES and bare not in MALE_NAMES


_TITLE_SURNAMES = frozenset({"king", "bishop", "judge", "prince", "cardinal"})


def looks_like_verb_form(word: str) -> bool:
    """ "Reached", "Appearing": a participle opening a sentence, not a name ("Reed", "Ted",
    "Ahmed" and "Alfred" are names)."""
    bare = norm(word)
    return (
        bare.endswith(("ing", "ed"))
        and not bare.endswith("eed")
        and len(bare) > 4
        and bare not in MALE_NAMES
        and bare not in FEMALE_NAMES
    )


def looks_like_name_word(word: str) -> bool:
    """Whether one capitalised word could be a name on its own ("Trump", "Reuters"), not a
    contraction, a number or a nationality ("It’ll", "Fifty-one", "Russian")."""
    head = word.split("-", 1)[0]  # "Fifty-one" is read by "Fifty"
    if norm(head) in NOT_NAME:
        return False
    return not _NOT_A_NAME.search(head) and not _NOT_A_NAME.search(word)


def looks_like_person(words: list[str]) -> bool:
    if not words:
        return False
    last = norm(words[-1])
    if last in ORG_WORDS or last in PLACES or last in NOT_NAME:
        return False
    if last in TITLE_WORDS and not (
        # "Billie Jean King", "Steve King": an office that is also a surname, after a name
        last in _TITLE_SURNAMES
        and len(words) > 1
        and not any(norm(w) in TITLE_WORDS or norm(w) in ORG_WORDS for w in words[:-1])
    ):
        return False
    if len(last) < 2 or not words[-1][0].isupper():
        return False
    if len(words) == 1 and (looks_like_adverb(words[0]) or not looks_like_name_word(words[0])):
        # "Hastily politicizing the tragedy, ...": an adverb opening a sentence; "It’ll",
        # "Fifty-one", "Sentencing", "London-based", "Russian": no one's name either.
        return False
    if len(words) > 4 or (len(words) > 1 and all(w.isupper() for w in words)):
        return False  # a headline in title case or capitals, not a name
    if any(_GLUED.search(w) for w in words):
        return False  # "FoleyFlagShareLikeReplyAni": page furniture glued to a name
    if any(norm(w) in NOT_NAME for w in words[1:-1]) or _PARTY_TAG.match(words[0]):
        return False  # "Controversial Word At Rally" is a headline; "R-Utah" a party tag
    return not any(norm(w) in ORG_WORDS for w in words[1:])


_PARTY_TAG = re.compile(r"^[RDI]-[A-Z]")
# Word forms no name takes; number words and quantifiers are in NOT_NAME.
_NOT_A_NAME = re.compile(
    r"(?:['’](?:ll|d|m|ve|re)|n['’]t|-based|-year-old)$|^(?:sixty|seventy|eighty|ninety|six|"
    r"seven|eight|nine|ten|thousands|millions|american|russian|syrian|british|french|german|"
    r"israeli|iranian|iraqi|afghan|ukrainian|turkish|saudi|mexican|canadian|korean|indian|"
    r"pakistani|european|african|asian|jewish|democratic|republican|federal|national|"
    r"international|former)$",
    re.IGNORECASE,
)
# Three capitals inside one word, past the first letter ("McDonald" has one).
_GLUED = re.compile(r"^.[^\W\d_]*?[A-Z][^\W\d_]*?[A-Z][^\W\d_]*?[A-Z]")


class People:
    """The people met so far in a story, in reading order."""

    def __init__(self, common_words: frozenset[str] = frozenset()) -> None:
        self.common_words = common_words  # lower-case words of the story
        self.by_key: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        self.starts: list[int] = []

    def lookup(self, words: list[str]) -> Person | None:
        """An already-known person named by these words (full name, surname or first name)."""
        if not words:
            return None
        key = " ".join(norm(w) for w in words)
        if key in self.by_key:
            return self.by_key[key]
        last = norm(words[-1])
        if last in SUFFIXES and len(words) > 1:
            last = norm(words[-2])
        found = self.by_key.get(last)
        if found is None and len(words) == 1:
            found = self.by_key.get(last + "#first")
        return found

    def add(
        self, title_words: list[str], name_words: list[str], start: int, end: int, subject: bool
    ) -> Person:
        person = self.lookup(name_words)
        if person is None or (
            len(name_words) > 1
            and norm(name_words[0]) != person.first
            and len(person.name.split()) > 1
        ):
            surname_words = [w for w in name_words if norm(w) not in SUFFIXES] or name_words
            person = Person(
                name=" ".join(name_words),
                surname=norm(surname_words[-1]),
                first=norm(name_words[0]),
                common_words=self.common_words,
            )
            first = person.first
            if first in FEMALE_NAMES:
                person.gender = "f"
            elif first in MALE_NAMES:
                person.gender = "m"
            self._register(person, name_words)
        elif len(name_words) > len(person.name.split()):
            # A fuller form of a name first met by surname alone.
            person.name = " ".join(name_words)
            person.first = norm(name_words[0])
            self._register(person, name_words)
        if title_words:
            self._set_title(person, title_words)
        mention = Mention(start, end, person, subject)
        if self.starts and start < self.starts[-1]:
            # Added late (a speaker read from an attribution): keep mentions in text order.
            i = bisect_right(self.starts, start)
            self.mentions.insert(i, mention)
            self.starts.insert(i, start)
        else:
            self.mentions.append(mention)
            self.starts.append(start)
        return person

    def _register(self, person: Person, name_words: list[str]) -> None:
        self.by_key[" ".join(norm(w) for w in name_words)] = person
        self.by_key.setdefault(person.surname, person)
        if len(name_words) > 1:
            self.by_key.setdefault(norm(name_words[0]) + "#first", person)

    def _set_title(self, person: Person, title_words: list[str]) -> None:
        honor = {norm(w) for w in title_words}
        if honor & {"mrs", "ms", "miss", "lady", "queen", "sister", "congresswoman"}:
            person.gender = "f"
        elif honor & {"mr", "sir", "lord", "king", "father", "congressman"}:
            person.gender = "m"
        words = [w for w in title_words if norm(w) not in {"mr", "mrs", "ms", "miss", "the"}]
        if words and person.title is None:
            person.title = " ".join(words)

    def describe(self, person: Person, description: str) -> None:
        """Record an appositive description ("the foreign minister") for later lookups."""
        desc = description.strip()
        person.descriptions.append(desc.lower())
        if person.title is None:
            person.title = re.sub(r"^(?:the|a|an)\s+", "", desc, flags=re.IGNORECASE)

    def by_description(self, description: str, before: int) -> Person | None:
        """The most recent person mentioned before `before` whose title fits the description."""
        words = [w for w in re.findall(r"[a-z][a-z\-]+", description.lower()) if w != "the"]
        if not words:
            return None
        head = words[-1]
        if head.endswith("year-old"):
            # "The 56-year-old said": the person (not a club or a town) last named as a
            # sentence's subject.
            fallback = None
            for mention in reversed(self.mentions):
                if mention.start >= before:
                    continue
                if mention.start < before - 1500:
                    break
                p = mention.person
                if p.gender is None and (" " not in p.name or not (p.can_be("m") or p.can_be("f"))):
                    continue  # "Tottenham appointed ...": a lone word may be a club
                if mention.subject:
                    return p
                fallback = fallback or p
            return fallback
        for mention in reversed(self.mentions):
            if mention.start >= before:
                continue
            p = mention.person
            known = " ".join([(p.title or "").lower(), *p.descriptions])
            if re.search(rf"\b{re.escape(head)}\b", known):
                return p  # "the spokesman" fits "campaign spokesman", "the resident" no president
        return None

    def recent(
        self,
        before: int,
        gender: str | None,
        limit: int = 0,
        subject: bool = False,
        opens: bool = False,
    ) -> Mention | None:
        """The latest mention before `before` (and from `limit` on) of a compatible gender."""
        i = bisect_left(self.starts, before) - 1
        while i >= 0:
            mention = self.mentions[i]
            i -= 1
            if mention.start < limit:
                return None
            if (subject and not mention.subject) or (opens and not mention.opens):
                continue
            if gender is None or mention.person.can_be(gender):
                return mention
        return None


_LOWER_WORD = re.compile(r"\b[a-z][a-z\-]+\b")


def _opens_here(text: str, pos: int) -> bool:
    """True when `pos` starts a paragraph or follows the end of a sentence."""
    k = pos
    while k > 0 and text[k - 1] in ' \t"“':
        k -= 1
    return k == 0 or text[k - 1] == "\n" or (text[k - 1] in ".!?" and k < pos)


_THE_BEFORE = re.compile(r"\b(?:the|The)\s+(?=\S)")
_SPEAKER_AFTER_VERB = re.compile(
    r"[,”\"]\s*(?:said|says|added|adds|wrote|writes|explained|noted|according\s+to)\s+"
    r"(?:[a-z\-]+\s+){0,2}(?:[A-Z][\w.&\-]*['’]s\s+)?$"  # "noted NBC’s Dante Chinni"
)
_LEAD_IN = re.compile(r"^(?:(?:[A-Z][\w’'.\-]*|the|a|an|former|then|great|veteran|top|chief)\s+)*$")


def _opens_sentence(text: str, pos: int) -> bool:
    """True when the name at `pos` opens its sentence, maybe after titles or an adverbial
    ending in a comma: "Pence said Trump will ..." opens with Pence, not Trump."""
    lo = max(0, pos - 200)
    window = text[lo:pos]
    # One character past `pos`, so a stop right before the name sees the capital after it.
    stops = [m for m in _SENTENCE_STOP.finditer(text, lo, pos + 1) if m.end() <= pos]
    cut = -1
    for stop in reversed(stops):  # the last stop that is not an abbreviation's
        if not abbreviation_before(text, stop.start()):
            cut = stop.end() - lo - 1
            break
    if cut < 0 and lo > 0:
        return False
    lead = window[cut + 1 :].lstrip(" \n\"“”'’")
    if not lead:
        return True
    if _CLAUSE_JOIN.search(lead):
        return True  # "The moderators moved on, but Christie wasn't having it": a main clause
    if lead.rstrip().endswith(","):
        # "In 2009, Trump said" opens with Trump; in "Trump thanked ... his campaign
        # manager, Corey Lewandowski" the name is an appositive deep in the sentence.
        m = _OWNED_ROLE_COMMA.search(lead)
        return m is None or not _is_role(m.group(1))
    # "On Monday night, Clinton campaign manager Robby Mook", "Obama consultant Cornell
    # Belcher" open with the person the role belongs to.
    tail = lead.rsplit(", ", 1)[-1]
    return bool(_LEAD_IN.match(lead)) or (
        bool(tail.strip()) and all(w[:1].isupper() or _is_role(w) for w in tail.split())
    )


_WORD_BEFORE_STOP = re.compile(r"([A-Za-z]+)$")


def abbreviation_before(text: str, stop: int) -> bool:
    """True when the full stop at `stop` ends an abbreviation ("Govs.", "Sen.") or an
    initial ("J."), not a sentence."""
    if text[stop] != ".":
        return False
    m = _WORD_BEFORE_STOP.search(text, max(0, stop - 12), stop)
    if m is None:
        return False
    word = m.group(1)
    return (
        len(word) == 1 or word.lower() in ABBREVIATIONS or word.lower().rstrip("s") in ABBREVIATIONS
    )


_CLAUSE_JOIN = re.compile(r"(?:,\s+(?:but|and|so|yet|while)|;)\s+$")
_OWNED_ROLE_COMMA = re.compile(r"\s(?:his|her|their|its)\s+(?:[a-z\-]+\s+){0,2}([a-z\-]+),\s*$")
# The end of a sentence, closing quote marks included: `long time.” Political analyst`; in
# masked text the stop inside the quote is gone, so a capital after the mark counts too.
_SENTENCE_STOP = re.compile(r"[.!?][\"”’)]*\s|\n|\x00[\"”]\s(?=[A-Z])")
_ROLE_THEN_NAME = re.compile(r"(?:['’]s)?\s+((?:[a-z][a-z\-]+\s+){1,3})[A-Z]")
_ROLE_SUFFIX = re.compile(r"(?:man|woman|er|or|ist|ant|ent|ee|ian|chief|aide|head|counsel)$")


def _is_role(word: str) -> bool:
    """A lower-case word that can be part of a role before a name: "campaign spokesman"."""
    w = word.strip(",").lower()
    return w in TITLE_WORDS or w in _ROLE_MODIFIERS or bool(_ROLE_SUFFIX.search(w))


_ROLE_MODIFIERS = word_set(
    """
    campaign press communications national political policy senior top chief deputy
    former longtime veteran digital legal foreign economic state federal party
    """
)


def collect_people(text: str, runs: list[re.Match[str] | Run] | None = None) -> People:
    """Every person-like name mention in the text, with titles and appositive descriptions.
    `runs` are the text's name_runs when the caller already has them."""
    common = frozenset(_LOWER_WORD.findall(text))  # lower-case words of the text
    people = People(common)
    by_key = people.by_key
    for m in name_runs(text) if runs is None else runs:
        run = m.group(0)
        lone_subject = False
        if " " not in run:
            # Most runs are one capitalised word: a person only when already known, when it
            # speaks ("Goff said") or when it opens a sentence as the subject of a verb and
            # is never written in lower case ("Cruz openly admitted", not "Critics argue").
            key = norm(run)
            if key in NOT_NAME:
                continue
            if (
                key not in by_key
                and key + "#first" not in by_key
                and not _SAID_NEXT.match(text, m.end())
            ):
                if not _opens_here(text, m.start()) or not _VERB_AFTER.match(text, m.end()):
                    continue
                if key in common or key in PLACES or key in ORG_WORDS or key.endswith("s"):
                    continue
                lone_subject = True
        words = clean_name_words(run.split())
        if (
            len(words) > 1
            and (looks_like_verb_form(words[0]) or words[0].lower().endswith("ly"))
            and norm(words[0]) not in MALE_NAMES
            and norm(words[0]) not in FEMALE_NAMES
            and len(words[0]) > 5
            and _opens_here(text, m.start())
        ):
            words = words[1:]  # "Debating Clinton", "Understated Perez": a headline's verb
        if not words:
            continue
        title_words, name_words = split_title(words)
        if not looks_like_person(name_words):
            continue
        if (
            not title_words
            and run.startswith(name_words[0])  # not "the Ledger’s Tomas Greer"
            and _THE_BEFORE.search(text, max(0, m.start() - 5), m.start() + 4)
        ):
            continue  # "the Evening Ledger", "The Hill": a thing or an outlet, not a person
        # A lone capitalised word is a person only with a title ("Sen. Paul").
        if (
            len(name_words) == 1
            and not title_words
            and not lone_subject
            and people.lookup(name_words) is None
            and not _SAID_NEXT.match(text, m.end())
        ):
            continue
        start = text.find(name_words[0], m.start(), m.end())
        lead = text[max(0, m.start() - 3) : m.start()].strip()
        subject = not lead or lead[-1] in _SENTENCE_END or bool(_VERB_NEXT.match(text, m.end()))
        if subject and _AFTER_PREPOSITION.search(text, max(0, m.start() - 8), m.start()):
            subject = False  # "head of marine at Lantern Underwriting, put ...": not the subject
        role = _ROLE_THEN_NAME.match(text, m.end())
        if role and all(_is_role(w) for w in role.group(1).split()):
            subject = False  # "Obama consultant Cornell Belcher": Obama only qualifies the role
        person = people.add(title_words, name_words, start, m.end(), subject)
        if (subject and _opens_sentence(text, m.start())) or _SPEAKER_AFTER_VERB.search(
            text, max(0, m.start() - 60), m.start()
        ):
            # ", said James Henson, director of ..." names the sentence's speaker too (but
            # in "Ryan said Obama is wrong" Obama is inside what was said).
            people.mentions[-1].opens = True
        app = APPOSITIVE.match(text, m.end())
        if app:
            people.describe(person, app.group(1))
    _learn_genders(text, people)
    return people


# "Sarandon said she ...", "King and her husband": the text itself says who is he or she.
_GENDER_CUE = re.compile(
    r"(?:['’]s)?\s+(?:(?:(?:also|later|then|has|had)\s+)?(?:said|says|told\s+\S+|added|adds|"
    r"noted|notes|insisted|insists|argued|argues|wrote|writes|explained|claimed|claims|thinks|"
    r"thought|believes|believed|hopes|hoped|knows|knew|felt|feels|admitted|admits|"
    r"acknowledged|warned|stressed|conceded)\s+(?:that\s+)?(he|she)\b|(?:and|with)\s+(his|her)"
    r"\s+(?:wife|husband|son|daughter|family|children|mother|father)\b)"
)


def _learn_genders(text: str, people: People) -> None:
    """Give a gender to people the name lists and honorifics left open, from what the text
    says right after their mentions; a person with mixed evidence stays unknown."""
    votes: dict[int, list[int]] = {}
    unknown: dict[int, Person] = {}
    for mention in people.mentions:
        person = mention.person
        if person.gender is not None:
            continue
        m = _GENDER_CUE.match(text, mention.end)
        if m is None:
            continue
        word = m.group(1) or m.group(2)
        counts = votes.setdefault(id(person), [0, 0])
        counts[0 if word in ("he", "his") else 1] += 1
        unknown[id(person)] = person
    for key, person in unknown.items():
        counts = votes[key]
        if (counts[0] == 0) != (counts[1] == 0):
            person.gender = "m" if counts[0] else "f"
