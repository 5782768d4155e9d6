"""Suggested topics: specific labels such as "Ukraine arms" built from the story itself.

A label is the place or actor at the centre of the story (capitalised names, by frequency and
position, demonyms folded into their place: "Ukrainian" counts for Ukraine) and the action or
object at stake (a curated vocabulary of news actions, else the story's most salient common
word). Labels are worded canonically so stories of one thread share them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from app.analysis.names import ORG_WORDS, word_set
from app.analysis.textstats import STOPWORDS

MAX_LABELS = 3
# Enough of a story to know its subject; the tail adds time, not signal.
MAX_CHARS = 6000

# Action/object word forms -> the label's wording.
_ACTIONS = {
    "arms": "arms weapons weapon armaments munitions ammunition javelin javelins howitzers",
    "sanctions": "sanction sanctions sanctioned embargo embargoes",
    "ceasefire": "ceasefire ceasefires cease-fire truce armistice",
    "talks": "talks negotiation negotiations negotiators negotiate negotiating summit summits",
    "election": "election elections elected vote votes voting ballot ballots polls runoff",
    "strikes": "strike strikes airstrike airstrikes air-strike bombing bombings shelling",
    "de-confliction": "de-confliction deconfliction de-conflict deconflict",
    "airspace": "airspace no-fly",
    "tariffs": "tariff tariffs",
    "trade": "trade exports imports",
    "protests": "protest protests protesters demonstrators demonstrations rally rallies",
    "aid": "aid humanitarian",
    "refugees": "refugee refugees migrants migrant asylum",
    "nuclear": "nuclear uranium enrichment warhead warheads",
    "invasion": "invasion invade invaded offensive incursion",
    "troops": "troops soldiers deployment deployed",
    "coup": "coup",
    "impeachment": "impeachment impeach impeached",
    "budget": "budget spending deficit",
    "taxes": "tax taxes taxation",
    "inflation": "inflation",
    "oil": "oil crude opec",
    "gas": "gas pipeline pipelines",
    "energy": "energy electricity power-grid",
    "climate": "climate emissions warming",
    "earthquake": "earthquake quake tremor aftershocks",
    "floods": "flood floods flooding",
    "wildfires": "wildfire wildfires",
    "storm": "storm storms hurricane typhoon cyclone",
    "hostages": "hostage hostages captives",
    "trial": "trial court verdict indictment indicted lawsuit",
    "investigation": "investigation inquiry probe investigators",
    "merger": "merger acquisition takeover",
    "layoffs": "layoffs redundancies",
    "strike action": "walkout walkouts",
    "immigration": "immigration border deportation deportations",
    "cyberattack": "cyberattack cyberattacks hack hackers hacking ransomware",
    "drones": "drone drones",
    "missiles": "missile missiles",
    "outbreak": "outbreak epidemic pandemic virus vaccine vaccines",
    "debate": "debate debates",
    "campaign": "campaign campaigning rally",
    "referendum": "referendum",
    "corruption": "corruption bribery bribes",
    "espionage": "spy spies espionage",
    "blockade": "blockade",
    "annexation": "annexation annex annexed",
}
# Actions that a single word would name wrongly ("exchange" is mostly a stock exchange,
# "peace" and "rates" alone say little): only these phrases name them.
_ACTION_PHRASES = [
    (
        "prisoner",
        re.compile(r"\bprisoners?[ -](?:swaps?|exchanges?)\b|\b(?:swap|exchange) of prisoners\b"),
        "prisoner swap",
    ),
    (
        "peace",
        re.compile(r"\bpeace (?:deal|deals|agreement|accord|accords|talks|plan|treaty|process)\b"),
        "peace deal",
    ),
    ("interest", re.compile(r"\binterest[ -]rates?\b"), "interest rates"),
]
ACTION_FORMS: dict[str, str] = {
    form: label for label, forms in _ACTIONS.items() for form in forms.split()
}

# Demonyms and short forms folded into the place they name.
_PLACES = {
    "Ukraine": "Ukrainian Ukrainians Kyiv Kiev",
    "Russia": "Russian Russians Moscow Kremlin",
    "Syria": "Syrian Syrians Damascus",
    "Israel": "Israeli Israelis",
    "Gaza": "Gazan Gazans",
    "Iran": "Iranian Iranians Tehran",
    "Iraq": "Iraqi Iraqis Baghdad",
    "China": "Chinese Beijing",
    "Taiwan": "Taiwanese Taipei",
    "Japan": "Japanese Tokyo",
    "North Korea": "Pyongyang",
    "South Korea": "Seoul",
    "United States": "U.S. US USA America American Americans Washington",
    "United Kingdom": "U.K. UK Britain British London",
    "European Union": "EU E.U. Brussels",
    "France": "French Paris",
    "Germany": "German Germans Berlin",
    "Turkey": "Turkish Ankara",
    "India": "Indian Indians",
    "Pakistan": "Pakistani Pakistanis",
    "Afghanistan": "Afghan Afghans Kabul",
    "Saudi Arabia": "Saudi Saudis Riyadh",
    "Egypt": "Egyptian Egyptians Cairo",
    "Lebanon": "Lebanese Beirut",
    "Yemen": "Yemeni Yemenis",
    "Libya": "Libyan Libyans",
    "Mexico": "Mexican Mexicans",
    "Canada": "Canadian Canadians Ottawa",
    "Brazil": "Brazilian Brazilians",
    "Venezuela": "Venezuelan Venezuelans",
    "Poland": "Polish Warsaw",
    "Belarus": "Belarusian Minsk",
    "Italy": "Italian Italians Rome",
    "Spain": "Spanish Madrid",
    "Greece": "Greek Greeks Athens",
    "Sudan": "Sudanese Khartoum",
    "Ethiopia": "Ethiopian Ethiopians",
    "Nigeria": "Nigerian Nigerians",
    "Kenya": "Kenyan Kenyans",
    "Australia": "Australian Australians",
    "NATO": "Nato",
    "Europe": "European Europeans",
    "Africa": "African Africans",
    "Palestine": "Palestinian Palestinians",
}
PLACE_FORMS: dict[str, str] = {
    form: place for place, forms in _PLACES.items() for form in forms.split()
}
PLACE_FORMS.update({place: place for place in _PLACES})

# Capitalised words that are not names of anything (sentence openers, calendar words).
NOT_NAMES = frozenset(
    """
    The A An And But Or If In On At As By For From Of To With This That These Those It Its
    He She They We I You His Her Their Our My Your There Here When While After Before Since
    Although Though However Meanwhile Also Yet So Then Now Still Even Just Only Some Many
    Most Much More Several Both Each Every All Any No Not Nor What Which Who Whom Whose Why
    How Where Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Today Yesterday Tomorrow Last Next New First Second Third One Two Three Four Five
    According Asked Speaking Under Over About Against Among Between During Despite Without
    Read More Photo Video Image Getty Reuters AP AFP Associated Press Copyright Updated Latest
    Advertisement Click Share Follow Sign Subscribe Like Please Breaking Live Analysis Opinion
    President Minister Prime Secretary Senator Governor General Chief Officials Official
    """.split()  # noqa: SIM905 - a word list reads better as text
)
TITLE_WORDS = frozenset(
    """
    president minister prime secretary senator sen rep governor gov general gen chief
    spokesman spokeswoman ambassador foreign deputy defence defense state mayor judge
    justice commissioner director colonel captain admiral chancellor
    """.split()  # noqa: SIM905 - a word list reads better as text
)

NAME = re.compile(r"[A-Z][\w'’.-]*[\w]|[A-Z]")
SEQ = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w’'-]*\w|[A-Z]\.(?:[A-Z]\.)+|[A-Z]{2,})"
    r"(?:[ ](?:of[ ]the[ ]|of[ ]|al-|de[ ]|bin[ ])?(?:[A-Z][\w’'-]*\w|[A-Z]\.(?:[A-Z]\.)+))*"
)
# Whole lower-case words only: never the tail of a capitalised name ("ldermark").
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z](?![\w'’-])")
SENTENCE_START = re.compile(r"(?:[.!?]['\"”’)]?\s+|\n\s*|[\"“‘]\s*)$")


@dataclass(slots=True)
class Suggestion:
    name: str
    score: float


_NEW_PLACES = word_set("york jersey hampshire mexico zealand delhi orleans england haven guinea")


_SPOKESPERSON = re.compile(r"\bspokes(?:man|woman|person|people|men|women)\b", re.IGNORECASE)
# An organisation's last word, alone: the story's "the Center" or "the council".
_GENERIC_HEADS = word_set(
    """
    center centre council house times post journal party committee department office group
    company foundation institute association board commission agency bureau fund network
    project service
    """
)


def _canonical_actor(phrase: str) -> str | None:
    phrase = phrase.replace("’", "'")
    if phrase.endswith("'s"):
        phrase = phrase[:-2]
    if phrase in PLACE_FORMS:
        return PLACE_FORMS[phrase]
    parts = phrase.split()
    while parts and (parts[0] in NOT_NAMES or parts[0].lower() in TITLE_WORDS):
        if parts[0] == "New" and len(parts) > 1 and parts[1].lower() in _NEW_PLACES:
            break  # "New York", not "York"
        parts = parts[1:]
    if not parts:
        return None
    phrase = " ".join(parts)
    if phrase in PLACE_FORMS:
        return PLACE_FORMS[phrase]
    if len(phrase) < 2 or phrase.lower() in STOPWORDS or phrase.lower() in _GENERIC_HEADS:
        return None  # "Center", "Council", "Times" alone say nothing of which one
    if "'" in phrase and phrase.split("'")[0].lower() in STOPWORDS:
        return None  # "I've", "It'll": a contraction, nobody's name
    return phrase


def _opens_sentence(body: str, at: int) -> bool:
    before = body[max(0, at - 3) : at]
    return at == 0 or SENTENCE_START.search(before) is not None


def _actors(title: str, text: str, where: dict[str, list[int]]) -> dict[str, float]:
    """Names weighted by frequency and position (early mentions and the title count more);
    `where` collects the offsets of each name's mentions in the text."""
    weights: dict[str, float] = {}
    places = set(PLACE_FORMS.values())
    written: set[str] | None = None  # the text's capitalised words, read when first needed
    for m in SEQ.finditer(text):
        raw = m.group(0)
        if raw.isupper() and len(raw) > 4 and " " not in raw:
            # A transcript's label ("MENDEZ:") is the speaker written in capitals; a stage
            # direction ("(CROSSTALK.)") is nobody.
            if text[m.start() - 1 : m.start()] == "(":
                continue
            if written is None:
                written = set(_CAPITALISED.findall(text))
            if raw.title() in written:
                raw = raw.title()
        name = _canonical_actor(raw)
        if name is None:
            continue
        # A lone capitalised word opening a sentence is usually not a name.
        lone = " " not in raw and name not in places and name not in weights
        if lone and _opens_sentence(text, m.start()):
            continue
        weights[name] = weights.get(name, 0.0) + (2.0 if m.start() < 400 else 1.0)
        where.setdefault(name, []).append(m.start())
    # Headlines capitalise every word: a title's name counts only if the story uses it too.
    for m in SEQ.finditer(title):
        for name in {_canonical_actor(w) for w in [m.group(0), *m.group(0).split()]}:
            if name is not None and (name in weights or name in places):
                weights[name] = weights.get(name, 0.0) + 3.0
    # A spokesperson speaks for the actor; the story is not about them ("said Dana Holt, a
    # spokesperson for the emergency service").
    for name in [n for n in weights if n in where]:
        if all(
            _SPOKESPERSON.search(text, max(0, at - 25), at + len(name) + 45) for at in where[name]
        ):
            del weights[name]
    # "Sergei Ryabkov" and "Ryabkov" are one actor, named by the surname alone: every story
    # of a thread says "Ryabkov", not all spell out the first name or the title.
    singles = {n for n in weights if " " not in n}
    for name in [n for n in weights if " " in n]:
        last = name.split()[-1]
        if last in singles and last.lower() not in ORG_WORDS:  # not "Tax Policy Center"
            weights[last] += weights.pop(name)
            where[last] = sorted(where.get(last, []) + where.pop(name, []))
    return weights


def _actions(title: str, text: str, where: dict[str, list[int]]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for bonus, body in ((3.0, title), (1.0, text)):
        lower = body.lower()
        found = [
            (m.start(), label)
            for m in WORD.finditer(lower)
            if (label := ACTION_FORMS.get(m.group(0).replace("’", "'")))
        ]
        for key, pattern, label in _ACTION_PHRASES:
            if key in lower:  # most stories have none of the phrases' words
                found += [(m.start(), label) for m in pattern.finditer(lower)]
        for at, label in found:
            if bonus == 1.0:
                where.setdefault(label, []).append(at)
            weights[label] = weights.get(label, 0.0) + bonus * (
                1.5 if bonus == 1.0 and at < 400 else 1.0
            )
    for label in where:
        where[label].sort()
    return weights


# Words frequent in any story that say nothing of what it is about ("Parise good",
# "Home Depot percent" were suggested).
_GENERIC = word_set(
    """
    good best better great former latest next second third percent number times thing
    things part today change open high large small little total whole real sure able
    lot lots kind sort sorts following recent according
    """
)


def _salient_term(title: str, text: str, avoid: set[str]) -> tuple[str, float] | None:
    counts: dict[str, float] = {}
    for bonus, body in ((3.0, title), (1.0, text)):
        for m in WORD.finditer(body):  # lower-case only: names are actors, not objects
            w = m.group(0).replace("’", "'")
            if (
                len(w) < 4
                or "'" in w  # "didn't" was suggested
                or w in STOPWORDS
                or w in _GENERIC
                or w.endswith(("ly", "ing", "ed"))
                or w in avoid
            ):
                continue
            counts[w] = counts.get(w, 0.0) + bonus
    if not counts:
        return None
    word, weight = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return (word, weight) if weight >= 3 else None


def _close(mentions: list[int], anchors: list[int], window: int = 100) -> int:
    """How many mentions fall within `window` characters of an anchor."""
    count = 0
    for at in mentions:
        i = bisect.bisect_left(anchors, at - window)
        count += i < len(anchors) and anchors[i] <= at + window
    return count


_LETTERS = re.compile(r"[^\W\d_]+")
# The commonest function words of languages in Latin script that feeds are often written in
# (Spanish, Portuguese, French, German, Italian, Dutch, Indonesian), less any English ones.
_FOREIGN_STOPWORDS = (
    word_set(
        """
        de la que el en y los del se las por un para con una su al lo como más pero sus le
        do da em um é não os na mais dos ao ele das uma também são foi
        et les des du une est pour qui dans par plus pas au sur ne ce il elle nous vous avec
        der die und den von zu das mit sich auf für ist im dem nicht ein eine als auch werden
        aus er hat dass sie nach wird bei einer
        di il che per è della sono gli si con da nel alla
        het een van op te zijn voor niet aan er ook
        yang dan ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh
        """
    )
    - STOPWORDS
)


def _reads_as_english(text: str) -> bool:
    """Whether the labels' word lists apply: not when the text is mostly in another script,
    or uses more function words of another language than of English ("Dan yang", "Filhos
    para" were suggested for Indonesian and Portuguese pages)."""
    opening = text[:3000].lower()  # the opening says which language
    if opening.count(" the ") >= 3:
        return True  # the common case, without reading every word
    words = _LETTERS.findall(opening)
    if not words:
        return True
    latin = [w for w in words if w.isascii() or all(c <= "\u024f" for c in w)]
    if len(latin) * 2 < len(words):
        return False
    english = sum(w in STOPWORDS for w in latin)
    return sum(w in _FOREIGN_STOPWORDS for w in latin) <= english


def suggest_topics(title: str, text: str, limit: int = MAX_LABELS) -> list[Suggestion]:
    """Up to `limit` labels, best first, each with a score in (0, 1]."""
    text = text[:MAX_CHARS]
    if not _reads_as_english(text):
        return []
    where: dict[str, list[int]] = {}
    actors = _actors(title, text, where)
    if not actors:
        return []
    actions = _actions(title, text, where)
    ranked_actions = sorted(actions.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked_actions = [(a, w) for a, w in ranked_actions if w >= 2][:2]
    if ranked_actions:
        # The actor named next to the action is the one at stake ("over Syria" beside
        # "de-confliction"), which settles a story about two countries.
        near = where.get(ranked_actions[0][0], [])
        actors = {n: w + _close(where.get(n, []), near) for n, w in actors.items()}
    ranked_actors = sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))
    top_weight = ranked_actors[0][1]
    if top_weight < 2:
        return []
    ranked_actors = [(n, w) for n, w in ranked_actors if w >= top_weight * 0.4][:2]
    if not ranked_actions:
        avoid = {w.lower() for n in actors for w in n.split()}
        term = _salient_term(title, text, avoid)
        if term:
            ranked_actions = [term]
    if not ranked_actions:
        return []
    act_top = ranked_actions[0][1]
    out: list[Suggestion] = []
    for i, (actor, aw) in enumerate(ranked_actors):
        for j, (action, cw) in enumerate(ranked_actions):
            if (i and j) or action.rstrip("s") in {w.rstrip("s") for w in actor.lower().split()}:
                continue  # one pairing per actor; never "Oil oil" or "Models model"
            score = (aw / top_weight) * 0.5 + (cw / act_top) * 0.5
            score *= min(1.0, (aw + cw) / 8.0)
            out.append(Suggestion(f"{actor} {action}", round(score, 3)))
    out.sort(key=lambda s: (-s.score, s.name))
    return out[:limit]
