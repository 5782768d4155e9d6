"""Learned topics: three stories tagged by hand teach the tag to similar stories."""

from __future__ import annotations

from app.analysis import pipeline
from app.analysis.topics.learned import APPLY, SUGGEST, LearnedTopics
from storage import Library
from storage.models import Entry

FOOTBALL = [
    (
        "Rovers win the cup final",
        "Rovers beat City two goals to one in the cup final. The "
        "striker scored twice and the goalkeeper saved a penalty as the fans sang in the stadium.",
    ),
    (
        "City sack their manager",
        "City sacked their manager after a run of league defeats. The "
        "club said the coach and the players had lost the dressing room; the striker left too.",
    ),
    (
        "Late goal keeps United up",
        "A late goal from the striker kept United in the league. The "
        "goalkeeper was sent off and the manager praised the fans in the stadium after the match.",
    ),
    (
        "Rovers sign a new striker",
        "Rovers signed a striker from City for the league season. The "
        "manager said the player would score goals and the fans at the stadium would love him.",
    ),
]
OTHER = [
    (
        "Council sets the budget",
        "The council set its budget for schools and roads. Taxes will "
        "rise by two per cent, the treasurer said, and libraries will open fewer hours.",
    ),
    (
        "Storm cuts power",
        "A storm cut power to villages on the coast. Engineers worked through "
        "the night to repair the lines and the ferry was cancelled until the wind dropped.",
    ),
    (
        "Chip maker opens a plant",
        "The chip maker opened a plant making processors for phones. "
        "The company said the factory would hire engineers and build chips for laptops.",
    ),
    (
        "Museum shows old maps",
        "The museum opened an exhibition of old maps of the harbour. "
        "Curators said the maps showed how the town and its streets grew over the centuries.",
    ),
]
NEW_MATCH = (
    "United beat Rovers in the league",
    "United beat Rovers in a league match. Their "
    "striker scored two goals, the goalkeeper saved a penalty and the manager thanked "
    "the fans in the stadium.",
)
NEW_OTHER = (
    "Council repairs the roads",
    "The council will repair roads and schools with the "
    "budget, the treasurer said. Taxes rise next year.",
)


def _store(library: Library, stories: list[tuple[str, str]]) -> list[int]:
    feed = library.add_feed(f"http://feeds.test/{len(library.list_feeds())}")
    entries = [Entry(uid=title, title=title, text=text) for title, text in stories]
    return library.upsert_entries(feed.id, entries).new


def _tags(library: Library, story_id: int) -> dict[str, str]:
    return {t.name: t.source for t in library.story_tags(story_id)}


def test_fewer_than_three_hand_tags_teach_nothing(library: Library) -> None:
    ids = _store(library, FOOTBALL + OTHER)
    for sid in ids[:2]:
        library.tag_story(sid, "football", "user")
    assert LearnedTopics.from_library(library).tags == []
    (new,) = _store(library, [NEW_MATCH])
    pipeline.analyse_stories(library, [new])
    assert "football" not in _tags(library, new)


def test_three_hand_tags_teach_similar_stories(library: Library) -> None:
    ids = _store(library, FOOTBALL + OTHER)
    for sid in ids[:3]:
        library.tag_story(sid, "football", "user")
    new_match, new_other = _store(library, [NEW_MATCH, NEW_OTHER])
    model = LearnedTopics.from_library(library)
    scores = model.scores(*NEW_MATCH)
    assert scores["football"] >= APPLY
    assert model.scores(*NEW_OTHER)["football"] < SUGGEST

    pipeline.analyse_stories(library, [*ids, new_match, new_other])
    assert _tags(library, new_match)["football"] == "learned"
    assert _tags(library, ids[3])["football"] == "suggested"  # the untagged fourth
    for sid in [*ids[4:], new_other]:
        assert "football" not in _tags(library, sid)
    for sid in ids[:3]:
        assert _tags(library, sid)["football"] == "user"  # never downgraded
    learned = next(t for t in library.story_tags(new_match) if t.name == "football")
    assert learned.score is not None and learned.score >= APPLY


def test_suggestion_below_the_threshold(library: Library) -> None:
    ids = _store(library, FOOTBALL + OTHER)
    for sid in ids[:3]:
        library.tag_story(sid, "football", "user")
    model = LearnedTopics.from_library(library)
    # The fourth football story shares less of the examples' words: offered, not applied.
    score = model.scores(*FOOTBALL[3])["football"]
    assert SUGGEST <= score < APPLY
    assert model.classify(*FOOTBALL[3]) == [("football", round(score, 3), "suggested")]
    pipeline.analyse_stories(library, [ids[3]])
    assert _tags(library, ids[3])["football"] == "suggested"
    # Suggestions do not count as the tag in lists; the user accepts one by tagging.
    assert ids[3] not in library.story_ids(tags=["football"])
    library.tag_story(ids[3], "football", "user")
    assert _tags(library, ids[3])["football"] == "user"


def test_a_tag_the_user_removed_is_never_put_back(library: Library) -> None:
    ids = _store(library, FOOTBALL + OTHER)
    for sid in ids[:3]:
        library.tag_story(sid, "football", "user")
    (new,) = _store(library, [NEW_MATCH])
    pipeline.analyse_stories(library, [new])
    assert _tags(library, new)["football"] == "learned"
    library.untag_story(new, "football")
    pipeline.analyse_stories(library, [new])
    assert "football" not in _tags(library, new)
    assert new in library.removed_tag_story_ids("football")
