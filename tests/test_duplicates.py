"""Duplicates: the same story in several feeds is found; another story on the thread is not."""

from __future__ import annotations

from app.analysis.duplicates import (
    duplicate_groups,
    duplicates_of,
    index_stories,
    index_story,
    shingle_hashes,
    similarity,
    story_signature,
)
from storage import Library
from storage.models import Entry

# Original texts written for these tests: a wire story, a second story on the same thread,
# and an unrelated one.
WIRE_TITLE = "Lowmoor flood barrier fails its first winter test"
WIRE_TEXT = """\
The new flood barrier on the river Lowe failed to close fully during Tuesday's storm surge, \
leaving three streets of the old harbour district under half a metre of water, the county \
engineering office said on Wednesday.

Engineers found that one of the six steel gates had jammed on debris carried down by the \
swollen river. The gate was freed by hand after two hours, by which time water had already \
reached the fish market and the lower floors of the customs house.

"The barrier did most of what it was built to do, but most is not enough," said Hanna \
Voss, the county's chief engineer. She said the contractor would be asked to fit grilles \
upstream of the gates before the spring tides in March.

The barrier cost 41 million euros and was opened in October after four years of work. \
Residents of the harbour district had campaigned for it since the floods of 2011, when the \
river rose above the quay walls twice in one month.

Shop owners on Net Street said they had moved stock to upper floors after a warning from \
the harbour master on Tuesday afternoon. Several said the warning came too late for the \
cellars, which flooded within minutes of the surge arriving."""

# The same wire story, re-published by another outlet with a new headline and light edits.
UPDATE_TITLE = "Jammed gate let storm surge into Lowmoor harbour streets"
UPDATE_TEXT = """\
The new flood barrier on the river Lowe failed to close fully during Tuesday's storm surge, \
leaving three streets of the old harbour district under about half a metre of water, the \
county engineering office said on Wednesday.

Engineers found that one of the six steel gates had jammed on debris carried down by the \
swollen river. The gate was freed by hand after two hours, by which time water had already \
reached the fish market and the lower floors of the historic customs house.

"The barrier did most of what it was built to do, but most is not enough," said Hanna \
Voss, the county's chief engineer. She said the contractor would be asked to fit grilles \
upstream of the gates before the spring tides in March.

The barrier cost 41 million euros and opened in October after four years of work. \
Residents of the harbour district had campaigned for it since the floods of 2011, when the \
river rose above the quay walls twice in one month.

Shop owners on Net Street said they had moved stock to upper floors after a warning from \
the harbour master on Tuesday afternoon. Several said the warning came too late for their \
cellars, which flooded within minutes of the surge arriving. The county council will \
discuss the failure at a special meeting on Friday."""

# A different story on the same thread: same place, people and subject, new reporting.
THREAD_TITLE = "Lowmoor council orders inquiry into barrier contractor"
THREAD_TEXT = """\
Lowmoor county council voted on Friday to open an independent inquiry into the contractor \
that built the river Lowe flood barrier, after one of its steel gates jammed during last \
week's storm surge and the harbour district flooded.

Councillors heard that debris grilles had been left out of the final design to save \
money. Hanna Voss, the county's chief engineer, told the meeting the grilles would have \
cost less than a million euros and that she had recommended them in 2019.

The contractor, Brandt Marine Works, said in a statement that the barrier met every \
requirement of its contract and that it would cooperate with the inquiry. The inquiry is \
expected to report before the autumn storm season.

Residents who attended the meeting asked for compensation for flooded cellars. The \
council said a hardship fund would open for claims next month."""

UNRELATED_TITLE = "Orchard growers expect record apple harvest"
UNRELATED_TEXT = """\
Apple growers in the southern valleys expect their largest harvest in a decade after a \
warm spring and a dry late summer, the growers' association said on Monday.

Picking began early on several farms, and packing houses have hired extra seasonal staff. \
Prices at the wholesale market have already fallen by a tenth since August.

The association warned that cold storage space could run short by November if exports do \
not pick up, and asked the regional government to help growers rent refrigerated trucks."""


def _add(library: Library, feed_url: str, uid: str, title: str, text: str) -> int:
    feed = library.add_feed(feed_url, title=feed_url.split("/")[2], exist_ok=True)
    result = library.upsert_entries(feed.id, [Entry(uid=uid, title=title, text=text)])
    return (result.new or result.updated)[0]


def _thread_library(library: Library) -> dict[str, int]:
    ids = {
        "wire": _add(library, "https://wire.example/feed", "w1", WIRE_TITLE, WIRE_TEXT),
        "copy": _add(library, "https://daily.example/feed", "d1", WIRE_TITLE, WIRE_TEXT),
        "update": _add(library, "https://gazette.example/rss", "g1", UPDATE_TITLE, UPDATE_TEXT),
        "thread": _add(library, "https://wire.example/feed", "w2", THREAD_TITLE, THREAD_TEXT),
        "unrelated": _add(
            library, "https://farm.example/feed", "f1", UNRELATED_TITLE, UNRELATED_TEXT
        ),
    }
    index_stories(library, ids.values())
    return ids


def test_verbatim_copy_and_light_edit_are_duplicates(library: Library) -> None:
    ids = _thread_library(library)
    assert duplicates_of(library, ids["wire"]) == sorted([ids["copy"], ids["update"]])
    assert duplicates_of(library, ids["update"]) == sorted([ids["wire"], ids["copy"]])


def test_other_story_on_the_same_thread_is_not_a_duplicate(library: Library) -> None:
    ids = _thread_library(library)
    assert duplicates_of(library, ids["thread"]) == []
    assert duplicates_of(library, ids["unrelated"]) == []
    assert ids["thread"] not in duplicates_of(library, ids["wire"])


def test_signature_similarity_separates_edit_from_thread() -> None:
    wire = story_signature(WIRE_TITLE, WIRE_TEXT)
    update = story_signature(UPDATE_TITLE, UPDATE_TEXT)
    thread = story_signature(THREAD_TITLE, THREAD_TEXT)
    assert wire is not None and update is not None and thread is not None
    assert similarity(wire, wire) == 1.0
    assert similarity(wire, update) >= 0.6
    assert similarity(wire, thread) <= 0.2


def test_shingles_are_stable_across_processes() -> None:
    # Signatures are stored, so hashing must not depend on Python's per-run hash seed.
    assert shingle_hashes("one two three four") == shingle_hashes("One two, three four.")
    assert len(shingle_hashes("one two three four")) == 2


def test_changed_text_leaves_the_cluster(library: Library) -> None:
    ids = _thread_library(library)
    feed = library.find_feed("https://daily.example/feed")
    library.upsert_entries(feed.id, [Entry(uid="d1", title=UNRELATED_TITLE, text=UNRELATED_TEXT)])
    index_story(library, ids["copy"])
    assert duplicates_of(library, ids["copy"]) == [ids["unrelated"]]
    assert duplicates_of(library, ids["wire"]) == [ids["update"]]


def test_leaving_head_does_not_drag_its_old_cluster(library: Library) -> None:
    ids = _thread_library(library)
    feed = library.find_feed("https://wire.example/feed")
    # The wire story labels its cluster; rewriting it must not keep it attached by the label.
    library.upsert_entries(feed.id, [Entry(uid="w1", title=THREAD_TITLE, text=UNRELATED_TEXT)])
    index_story(library, ids["wire"])
    assert duplicates_of(library, ids["copy"]) == [ids["update"]]
    assert duplicates_of(library, ids["wire"]) == [ids["unrelated"]]


def test_short_stories_are_not_compared(library: Library) -> None:
    a = _add(library, "https://a.example/feed", "a", "Briefly", "Markets closed higher.")
    b = _add(library, "https://b.example/feed", "b", "Briefly", "Markets closed higher.")
    index_stories(library, [a, b])
    assert duplicates_of(library, a) == []


def test_deleted_story_leaves_no_duplicate_behind(library: Library) -> None:
    ids = _thread_library(library)
    library.remove_feed("https://daily.example/feed")
    assert duplicates_of(library, ids["wire"]) == [ids["update"]]
    # Its band keys are ignored, and purged when a lookup trips over them: the verbatim copy
    # had exactly the wire story's keys.
    index_stories(library, [ids["update"], ids["wire"]])
    assert duplicates_of(library, ids["update"]) == [ids["wire"]]
    stale = library.conn.execute(
        "SELECT count(*) FROM story_bands WHERE story_id = ?", (ids["copy"],)
    ).fetchone()[0]
    assert stale == 0


def test_duplicate_groups_for_a_story_list(library: Library) -> None:
    ids = _thread_library(library)
    groups = duplicate_groups(library, [ids["wire"], ids["thread"], ids["update"], 999])
    assert groups == {
        ids["wire"]: [ids["copy"], ids["update"]],
        ids["update"]: [ids["wire"], ids["copy"]],
    }


def test_stories_of_one_feed_are_never_duplicates_of_each_other(library: Library) -> None:
    # Templated items of one feed ("X was newly added and is Supported") looked alike
    # enough to become one cluster, which the story list showed as a single row.
    template = "{} was newly added to the compatibility list and is marked {} for now."
    names = [("Eternal Return", "Supported"), ("Deceit Two", "Broken"), ("Arc Raiders", "Running")]
    same_feed = [
        _add(library, "https://tracker.example/feed", f"t{i}", name, template.format(name, state))
        for i, (name, state) in enumerate(names)
    ]
    twin = _add(library, "https://tracker.example/feed", "t9", "Repost", WIRE_TEXT)
    original = _add(library, "https://tracker.example/feed", "t8", WIRE_TITLE, WIRE_TEXT)
    elsewhere = _add(library, "https://daily.example/feed", "d1", WIRE_TITLE, WIRE_TEXT)
    index_stories(library, [*same_feed, twin, original, elsewhere])
    for sid in same_feed:
        assert duplicates_of(library, sid) == []
    # The same text twice in one feed stays two stories; a copy in another feed joins them.
    assert duplicates_of(library, elsewhere) == sorted([twin, original])
    assert twin in duplicates_of(library, original)  # by way of the other feed's copy
