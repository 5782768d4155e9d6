"""The lossless JSON export: what it holds, the round trip, merging, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.export import ExportError, export_stories
from app.export.jsonfmt import SCHEMA_VERSION, import_library
from storage import Library, open_library
from storage.models import Entry
from tests.support.export_data import HOSTILE_TEXT, build


def _export(library: Library, path: Path, ids: list[int] | None = None) -> dict:
    ids = library.story_ids() if ids is None else ids
    export_stories(library, ids, "json", path, force=True)
    return json.loads(path.read_text(encoding="utf-8"))


def _counts(library: Library) -> dict[str, int]:
    stories = [library.get_story(i) for i in library.story_ids()]
    return {
        "feeds": len(library.list_feeds()),
        "stories": len(stories),
        "highlights": sum(len(s.highlights) for s in stories),
        "notes": sum(len(s.notes) for s in stories),
        "quotes": sum(len(s.quotes) for s in stories),
        "tags": len(library.tag_records()),
        "story_tags": sum(len(s.tags) for s in stories),
    }


def test_export_holds_everything(library: Library, tmp_path: Path) -> None:
    built = build(library)
    doc = _export(library, tmp_path / "out.json")
    assert doc["byline_export"] == SCHEMA_VERSION
    assert {f["url"] for f in doc["feeds"]} == {
        "https://news.example.org/feed.xml",
        "https://defence.example.com/rss",
    }
    topics = {t["name"]: t["rule"] for t in doc["tags"] if t["rule"]}
    assert topics["Syria de-confliction"] == "syria AND deconfliction"
    story = next(s for s in doc["stories"] if s["uid"] == "guid-1")
    assert story["text"] == HOSTILE_TEXT
    assert story["saved"] is True and story["read"] is True and story["saved_at"]
    assert {(t["name"], t["source"]) for t in story["tags"]} == {
        ("Ukraine arms", "user"),
        ("-dangerous", "user"),
        ("suggested one", "suggested"),
    }
    assert [t["name"] for t in story["removed_tags"]] == ["dropped"]
    user = next(h for h in story["highlights"] if h["kind"] == "user")
    start = HOSTILE_TEXT.index("Ukraine will receive")
    assert (user["start"], user["text"]) == (start, HOSTILE_TEXT[start : user["end"]])
    assert user["prefix"] == HOSTILE_TEXT[max(0, start - 32) : start]
    assert user["suffix"] == HOSTILE_TEXT[user["end"] : user["end"] + 32]
    assert user["note"] == "=SUM(A1:A9) is what they paid"
    assert [n["body"] for n in user["notes"]] == ["+1 follow this story\nwith a second line"]
    assert [n["body"] for n in story["notes"]] == ["@channel check the figures"]
    assert any(h["kind"] == "publisher" for h in story["highlights"])
    assert story["quotes"][0]["speaker"] == "Zelensky"
    assert story["quotes"][0]["speaker_title"] == "President"
    # No local row ids anywhere in the document: only stable keys.
    assert built.hostile > 0
    assert not [k for k in _keys(doc) if k == "id" or k.endswith("_id")]


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(k for v in value.values() for k in _keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_round_trip_into_an_empty_library_gives_the_same_file(
    library: Library, tmp_path: Path
) -> None:
    build(library)
    first = tmp_path / "first.json"
    export_stories(library, library.story_ids(), "json", first)
    with open_library(tmp_path / "other.db") as other:
        report = import_library(other, first)
        assert report.stories_added == 3 and report.stories_merged == 0
        second = tmp_path / "second.json"
        export_stories(other, other.story_ids(), "json", second)
        assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
        # The user's removal survives: automation still may not put the tag back.
        hostile = next(
            r.id for r in other.list_stories(limit=None) if r.feed_title != "Defence Desk"
        )
        assert other.tag_story(hostile, "dropped", source="rule") is False


def test_importing_twice_adds_nothing_the_second_time(library: Library, tmp_path: Path) -> None:
    build(library)
    path = tmp_path / "out.json"
    export_stories(library, library.story_ids(), "json", path)
    with open_library(tmp_path / "other.db") as other:
        import_library(other, path)
        once = _counts(other)
        report = import_library(other, path)
        assert _counts(other) == once
        assert report.stories_added == 0 and report.stories_merged == 3
        assert report.highlights_added == report.notes_added == report.quotes_added == 0


def test_merge_into_a_library_that_has_the_story_keeps_local_work(
    library: Library, tmp_path: Path
) -> None:
    built = build(library)
    path = tmp_path / "out.json"
    export_stories(library, [built.hostile], "json", path)
    with open_library(tmp_path / "other.db") as other:
        feed = other.add_feed("https://news.example.org/feed.xml", title="My own title")
        # The same story, whose text changed a little since: highlights must re-anchor.
        changed = "UPDATE: a new first paragraph.\n\n" + HOSTILE_TEXT
        story_id = other.upsert_entries(feed.id, [Entry(uid="guid-1", text=changed)]).new[0]
        other.add_note(story_id, "my local note")
        other.tag_story(story_id, "ukraine ARMS")  # same tag, other case
        report = import_library(other, path)
        assert report.stories_added == 0 and report.stories_merged == 1
        assert report.feeds_added == 0
        story = other.get_story(story_id)
        assert story.text == changed  # the local text is kept
        assert other.get_feed(feed.id).title == "My own title"
        assert len(other.story_ids()) == 1
        assert {n.body for n in story.notes} == {
            "my local note",
            "@channel check the figures",
            "+1 follow this story\nwith a second line",
        }
        user = next(h for h in story.highlights if h.kind == "user")
        assert changed[user.start : user.end] == "Ukraine will receive more Javelin missiles"
        assert [t.name for t in story.tags if t.name.lower() == "ukraine arms"] == ["ukraine ARMS"]
        assert story.saved and story.read


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is not valid JSON (line 1"),
        ({"version": "1.1", "items": []}, "is not a Byline export"),
        ([1, 2, 3], "is not a Byline export"),
        ({"byline_export": SCHEMA_VERSION + 1, "stories": []}, "newer Byline"),
        ({"byline_export": "one"}, "must be 1 or more"),
        ({"byline_export": 1, "stories": {}}, "file.stories must be a list"),
        (
            {"byline_export": 1, "feeds": [], "stories": [{"feed": "x", "uid": "1"}]},
            "is not in the file's feeds",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    library: Library, tmp_path: Path, content: object, message: str
) -> None:
    path = _write(tmp_path / "in.json", content)
    with pytest.raises(ExportError, match=message.replace("(", r"\(")):
        import_library(library, path)
    assert library.list_feeds() == []


def test_not_utf8_is_refused(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(b'{"byline_export": 1, "x": "\xff\xfe"}')
    with pytest.raises(ExportError, match="not UTF-8"):
        import_library(library, path)


def test_a_bad_record_late_in_the_file_leaves_the_library_untouched(
    library: Library, tmp_path: Path
) -> None:
    build(library)
    good = _export(library, tmp_path / "good.json")
    good["stories"][-1]["highlights"] = [{"text": "x", "kind": "user", "start": "twelve"}]
    path = _write(tmp_path / "bad.json", good)
    with open_library(tmp_path / "other.db") as other:
        with pytest.raises(ExportError, match=r"stories\[2\]\.highlights\[0\]\.start"):
            import_library(other, path)
        assert other.list_feeds() == [] and other.story_ids() == []
        assert other.tag_records() == []


def test_missing_file_is_a_clear_error(library: Library, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read"):
        import_library(library, tmp_path / "absent.json")
