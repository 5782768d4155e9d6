"""The analysis commands: analyze, reanalyze, topic add/remove/list, tag and untag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.analysis.pipeline import ANALYSIS_VERSION
from app.cli import main
from storage import open_library
from storage.models import Entry
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401

STORY = """Ferries halted at Port Ellin

Key points
- Storm damage halts every ferry crossing
- Pier repairs will take a month

The harbour authority in Port Ellin halted all ferry crossings on Monday after a storm \
damaged the north pier. Engineers said the pier repairs would take a month.

"We will get people where they need to go," said Mara Voss, who runs the island ferry \
service. The ferry timetable returns when the pier reopens.
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"BYLINE_CONFIG": str(tmp_path / "none.toml"), "BYLINE_TIMEOUT": "2"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib.db"


def run(db: Path, env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env)


def _check_offsets(obj: dict) -> None:  # type: ignore[type-arg]
    text = obj["text"]
    for q in obj["quotes"]:
        assert set(q) == {"text", "speaker", "speaker_title", "start", "end", "partial"}
        assert text[q["start"] : q["end"]] == q["text"]
    for h in obj["highlights"]:
        assert set(h) == {"text", "start", "end", "kind"}
        assert 0 <= h["start"] < h["end"] <= len(text)
        if h["kind"] == "summary":
            assert text[h["start"] : h["end"]] == h["text"]
    for t in obj["topics"]:
        assert set(t) == {"name", "score", "source"}


def test_analyze_json_contract(tmp_path: Path, db: Path, env: dict[str, str]) -> None:
    txt = tmp_path / "ferries.txt"
    txt.write_text(STORY, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(STORY.split("Key points")[0] + STORY.split("month\n\n", 1)[1])
    result = run(db, env, "analyze", "--json", str(txt), str(plain))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"source", "title", "text", "quotes", "highlights", "topics"}
    assert first["source"] == str(txt)
    assert first["title"] == "Ferries halted at Port Ellin"
    assert [h["text"] for h in first["highlights"]] == [
        "Storm damage halts every ferry crossing",
        "Pier repairs will take a month",
    ]
    assert "Key points" not in first["text"]
    for obj in (first, second):
        _check_offsets(obj)
    assert {h["kind"] for h in second["highlights"]} == {"summary"}
    assert not db.exists()  # analyze stores nothing


def test_analyze_text_names_who_speaks(tmp_path: Path, db: Path, env: dict[str, str]) -> None:
    txt = tmp_path / "ferries.txt"
    txt.write_text(STORY + '\n"It was chaos," one ferry worker said.\n', encoding="utf-8")
    result = run(db, env, "analyze", str(txt))
    assert result.exit_code == 0, result.output
    assert "Mara Voss: “We will get people where they need to go”" in result.stdout
    # Somebody described but not named reads as the description, not "unknown".
    assert "One ferry worker: “It was chaos”" in result.stdout


def test_analyze_cnn_page(corpora: Path, db: Path, env: dict[str, str]) -> None:
    page = corpora / "story-highlights" / "cnn_article.html"
    result = run(db, env, "analyze", "--json", str(page))
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    _check_offsets(obj)
    publisher = [h["text"] for h in obj["highlights"] if h["kind"] == "publisher"]
    assert len(publisher) == 3
    for bullet in publisher:
        assert bullet not in obj["text"]
    assert obj["quotes"]


def test_analyze_url(feed_server: FeedServer, db: Path, env: dict[str, str]) -> None:
    html = (
        "<html><head><title>Ferries halted</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")[2:])
        + "</article></body></html>"
    )
    url = feed_server.feed("/story.html", html, content_type="text/html")
    result = run(db, env, "analyze", url)
    assert result.exit_code == 0, result.output
    assert "Highlights" in result.stdout and "Mara Voss" in result.stdout


def test_analyze_bad_inputs(tmp_path: Path, db: Path, env: dict[str, str]) -> None:
    good = tmp_path / "ok.txt"
    good.write_text(STORY)
    result = run(db, env, "analyze", "--json", str(tmp_path / "missing.txt"), str(good))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"byline: {tmp_path / 'missing.txt'}: no such file"
    assert len(result.stdout.splitlines()) == 1  # the good one still printed
    result = run(db, env, "analyze", "ftp://example.org/x")
    assert result.exit_code == 1 and "only files and http(s) URLs" in result.stderr
    assert "Traceback" not in result.output


def _library_with_stories(db: Path) -> list[int]:
    with open_library(db) as library:
        feed = library.add_feed("http://feeds.test/a")
        return library.upsert_entries(
            feed.id,
            [
                Entry(uid="1", title="Ferries halted", text=STORY),
                Entry(uid="2", title="Council budget", text="The council set its budget."),
            ],
        ).new


def test_topic_add_list_remove(db: Path, env: dict[str, str]) -> None:
    ferry, _ = _library_with_stories(db)
    added = run(db, env, "topic", "add", "Ferries", "--rule", 'ferry AND "north pier"')
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "topic Ferries: 1 story match"
    listed = json.loads(run(db, env, "topic", "list", "--json").stdout)
    assert listed == [
        {
            "name": "Ferries",
            "rule": 'ferry AND "north pier"',
            "stories": 1,
            "unread": 1,
            "suggested": 0,
        }
    ]
    assert "Ferries" in run(db, env, "topic", "list").stdout
    with open_library(db) as library:
        assert library.story_ids(tags=["Ferries"]) == [ferry]

    bad = run(db, env, "topic", "add", "Broken", "--rule", "(ferry OR")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("byline: bad rule:") and len(bad.stderr.splitlines()) == 1

    removed = run(db, env, "topic", "remove", "Ferries")
    assert removed.exit_code == 0 and removed.stdout.strip() == "removed topic Ferries"
    assert json.loads(run(db, env, "topic", "list", "--json").stdout) == []
    missing = run(db, env, "topic", "remove", "Ferries")
    assert missing.exit_code == 1 and "no topic named" in missing.stderr


def test_tag_and_untag(db: Path, env: dict[str, str]) -> None:
    ferry, _ = _library_with_stories(db)
    tagged = run(db, env, "tag", str(ferry), "islands", "to read")
    assert tagged.exit_code == 0, tagged.output
    with open_library(db) as library:
        assert {t.name: t.source for t in library.story_tags(ferry)} == {
            "islands": "user",
            "to read": "user",
        }
    untagged = run(db, env, "untag", str(ferry), "islands", "never-there")
    assert untagged.exit_code == 0
    assert "untagged islands" in untagged.stdout and "never-there" in untagged.stderr
    with open_library(db) as library:
        assert [t.name for t in library.story_tags(ferry)] == ["to read"]
        assert ferry in library.removed_tag_story_ids("islands")
    unknown = run(db, env, "tag", "9999", "x")
    assert unknown.exit_code == 1 and "no story with id 9999" in unknown.stderr


def test_reanalyze(db: Path, env: dict[str, str]) -> None:
    ids = _library_with_stories(db)
    result = run(db, env, "reanalyze")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("reanalysed 2 stories:")
    assert result.stderr == ""  # not a TTY: no progress line
    with open_library(db) as library:
        for sid in ids:
            assert library.get_story(sid).analysis_version == ANALYSIS_VERSION
        story = library.get_story(ids[0])
        assert "Key points" not in story.text
        assert [h.kind for h in story.highlights] == ["publisher", "publisher"]
    show = json.loads(run(db, env, "show", str(ids[0]), "--json").stdout)
    assert {"quotes", "highlights", "topics"} <= set(show)
    assert show["highlights"][0]["kind"] == "publisher"
