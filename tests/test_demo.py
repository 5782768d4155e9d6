"""The bundled demo library: its content supports every pane, and `byline demo` reads it in."""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

import app.demo
from app.cli import main
from app.demo import DEMO_FEEDS, demo_paths
from storage import Library, open_library
from tests.conftest import PROJECT_ROOT

HIGHLIGHT_BLOCK = re.compile(
    r"^\s*<h[1-6]>(Story highlights|Key points|What we know)</h[1-6]>\s*<ul>"
    r"(?:\s*<li>[^<]+</li>){3}\s*</ul>"
)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")


class DemoStory:
    def __init__(
        self, feed: str, uid: str, title: str, link: str, author: str, published: str, html: str
    ) -> None:
        self.feed = feed
        self.uid = uid
        self.title = title
        self.link = link
        self.author = author
        self.published = datetime.fromisoformat(published.replace("Z", "+00:00"))
        self.html = html
        self.paragraphs = [TAG.sub("", p).strip() for p in PARAGRAPH.findall(html)]


def _read_demo() -> list[DemoStory]:
    stories = []
    for feed in DEMO_FEEDS:
        path = feed.path
        if path.suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            assert doc["version"] == "https://jsonfeed.org/version/1.1"
            for item in doc["items"]:
                stories.append(
                    DemoStory(
                        feed.title,
                        item["id"],
                        item["title"],
                        item["url"],
                        ", ".join(a["name"] for a in item["authors"]),
                        item["date_published"],
                        item["content_html"],
                    )
                )
            continue
        parsed = feedparser.parse(str(path))
        assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
        assert parsed.feed.title == feed.title
        for e in parsed.entries:
            published = datetime(*e.published_parsed[:6]).isoformat() + "Z"
            stories.append(
                DemoStory(
                    feed.title,
                    e.id,
                    e.title,
                    e.link,
                    e.author_detail.name,
                    published,
                    e.content[0].value,
                )
            )
    return stories


STORIES = _read_demo()
ALL_PARAGRAPHS = [p for s in STORIES for p in s.paragraphs]


# --- the files ---------------------------------------------------------------------------


def test_the_bundled_files_are_found_in_the_installed_package() -> None:
    package_dir = Path(app.demo.__file__).resolve().parent
    paths = demo_paths()
    assert all(p.is_file() and p.parent == package_dir for p in paths)
    on_disk = {p.name for p in package_dir.iterdir() if p.suffix in (".xml", ".json")}
    assert {p.name for p in paths} == on_disk, "a demo file is missing from DEMO_FEEDS"
    # Each file must be shipped as package data, or an installed Byline has no demo.
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert all(any(fnmatch(p.name, pat) for pat in patterns) for p in paths)


def test_the_demo_says_it_is_fiction() -> None:
    assert "fiction written for Byline" in (app.demo.__doc__ or "")
    for path in demo_paths():
        assert "fiction" in path.read_text(encoding="utf-8")


def test_every_feed_parses_and_carries_full_stories() -> None:
    per_feed = {f.title: [s for s in STORIES if s.feed == f.title] for f in DEMO_FEEDS}
    assert all(len(stories) >= 3 for stories in per_feed.values()), per_feed.keys()
    assert 18 <= len(STORIES) <= 24
    for s in STORIES:
        assert s.title and s.author, s.uid
        assert 5 <= len(s.paragraphs) <= 12, (s.title, len(s.paragraphs))
        assert all(len(p) > 40 for p in s.paragraphs), s.title
        assert s.link.startswith("https://example.com/"), s.link
    assert len({s.uid for s in STORIES}) == len(STORIES), "guids must be unique"


def test_the_dates_spread_over_about_two_weeks_of_2026() -> None:
    dates = sorted(s.published for s in STORIES)
    assert all(d.year == 2026 for d in dates)
    assert 10 <= (dates[-1] - dates[0]).days <= 16
    assert len({d.date() for d in dates}) >= 10


# --- what the reader's panes need ----------------------------------------------------------


def test_some_stories_open_with_a_publisher_highlights_block() -> None:
    headings = [m.group(1) for s in STORIES if (m := HIGHLIGHT_BLOCK.match(s.html))]
    assert len(headings) >= 5
    assert set(headings) == {"Story highlights", "Key points", "What we know"}
    # Most stories have none, so summary highlights have work to do too.
    assert len(headings) < len(STORIES) / 2


QUOTE_FORMS = {
    "“…,” X said": r"“[^“”]+,” (?:[A-Z][\w’-]+ ){1,3}said\b",
    "X said: “…”": r"\b[A-Z][\w’-]+ said: “[^“”]+”",
    "said X, director of …": r"said (?:[A-Z][\w’-]+ ){1,3}?[A-Z][\w’-]+, director of ",
    "X told reporters": r"”,? (?:[A-Z][\w’-]+ ){1,3}[^“”]*\btold reporters\b",
    "according to X": r",” according to (?:[A-Z][\w’-]+ ?){2,}",
    "quote split by its attribution": r"“[^“”]+,” [^“”]{3,80}?, “[a-z][^“”]+”",
    "partial quote inside a sentence": r"\b(?:called|as) (?:[\w’-]+ ){0,3}“[a-z][^“”,.]{2,60}”",
    "he said after a named person with a title": (
        r"(?:[Ss]pokesman|Minister|General|commander|[Mm]anager) (?:[A-Z][\w’-]+ ){1,2}[^“”]*"
        r"“[^“”]+,” (?:he|she) said"
    ),
}


@pytest.mark.parametrize("form", list(QUOTE_FORMS))
def test_quotes_appear_in_every_usual_form(form: str) -> None:
    pattern = re.compile(QUOTE_FORMS[form])
    hits = [p for p in ALL_PARAGRAPHS if pattern.search(p)]
    assert hits, f"no quote of the form {form}"


def test_a_quote_runs_over_two_paragraphs() -> None:
    def runs_on(first: str, second: str) -> bool:
        return first.rfind("“") > first.rfind("”") and second.startswith("“")

    assert any(
        runs_on(a, b) for s in STORIES for a, b in zip(s.paragraphs, s.paragraphs[1:], strict=False)
    )


def test_every_quote_mark_is_balanced_within_its_paragraph_or_continues() -> None:
    for s in STORIES:
        for i, p in enumerate(s.paragraphs):
            opened = p.count("“") - p.count("”")
            if opened:
                # Only the two-paragraph convention may leave a quote open.
                assert opened == 1 and s.paragraphs[i + 1].startswith("“"), (s.title, p)


@pytest.mark.parametrize(
    "person", ["Henrik Aas", "Grete Lindqvist", "Samuel Okafor", "Tomas Ekdahl", "Clara Voss"]
)
def test_named_people_recur_across_stories_and_feeds(person: str) -> None:
    surname = person.split()[-1]
    stories = [s for s in STORIES if person in s.html]
    quoted = [s for s in stories if re.search(rf"{surname}[^“”]*said|said {person}", s.html)]
    assert len(stories) >= 3 and len({s.feed for s in stories}) >= 2, person
    assert quoted, f"{person} is never quoted"


def test_one_wire_story_is_republished_verbatim_and_lightly_edited() -> None:
    by_body: dict[str, list[DemoStory]] = {}
    for s in STORIES:
        by_body.setdefault("\n".join(s.paragraphs), []).append(s)
    copies = [group for group in by_body.values() if len(group) > 1]
    assert len(copies) == 1, "exactly one verbatim copy"
    original, verbatim = copies[0]
    assert original.feed != verbatim.feed and original.title == verbatim.title
    edited = [
        s
        for s in STORIES
        if s.feed not in (original.feed, verbatim.feed)
        and difflib.SequenceMatcher(
            None, "\n".join(s.paragraphs), "\n".join(original.paragraphs)
        ).ratio()
        > 0.9
    ]
    assert len(edited) == 1
    assert edited[0].title != original.title
    assert edited[0].paragraphs != original.paragraphs


# --- byline demo ---------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "demo" / "library.db"


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), "demo", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_library(db: Path) -> Iterator[Library]:
    code, _out, err = _run(db)
    assert code == 0, err
    lib = open_library(db)
    yield lib
    lib.close()


def test_byline_demo_stores_every_story(db: Path, demo_library: Library) -> None:
    feeds = demo_library.list_feeds()
    assert sorted(f.title or "" for f in feeds) == sorted(f.title for f in DEMO_FEEDS)
    assert all(f.last_status == "ok" and "demo" in f.tags for f in feeds)
    assert {f.url for f in feeds} == {str(p) for p in demo_paths()}
    assert demo_library.count_stories() == len(STORIES)
    texts = demo_library.story_texts(demo_library.story_ids())
    assert all(title and text.strip() for title, text in texts.values())


def test_byline_demo_tells_where_the_library_is(db: Path) -> None:
    code, out, err = _run(db)
    assert code == 0, err
    assert f"{len(STORIES)} new" in out
    assert f"open it with: byline --db {db}" in out


def test_quiet_prints_nothing(db: Path) -> None:
    assert _run(db, "--quiet") == (0, "", "")


def test_running_it_twice_adds_nothing_and_loses_nothing(db: Path, demo_library: Library) -> None:
    story_id = demo_library.story_ids()[0]
    demo_library.set_saved(story_id)
    demo_library.tag_story(story_id, "keep", "user")
    before = demo_library.story_ids()
    demo_library.close()

    code, out, err = _run(db)
    assert code == 0, err
    assert "0 new" in out

    lib = open_library(db)
    try:
        assert lib.story_ids() == before
        assert len(lib.list_feeds()) == len(DEMO_FEEDS)
        story = lib.get_story(story_id)
        assert story.saved and "keep" in [t.name for t in story.tags]
    finally:
        lib.close()


def test_the_verbatim_copy_is_stored_with_the_same_text_in_two_feeds(
    demo_library: Library,
) -> None:
    texts = demo_library.story_texts(demo_library.story_ids())
    seen: dict[str, int] = {}
    pairs = []
    for story_id, (_title, text) in texts.items():
        if text in seen:
            pairs.append((seen[text], story_id))
        seen[text] = story_id
    assert len(pairs) == 1
    a, b = (demo_library.get_story(i) for i in pairs[0])
    assert a.feed_id != b.feed_id


def test_the_demo_is_analysed_for_the_reader_panes(demo_library: Library) -> None:
    stories = [demo_library.get_story(i) for i in demo_library.story_ids()]
    assert all(s.analysis_version > 0 for s in stories)
    assert sum(1 for s in stories if s.quotes) >= len(stories) - 2
    speakers = {q.speaker for s in stories for q in s.quotes if q.speaker}
    assert any("Henrik Aas" in name for name in speakers)
    publisher = [s for s in stories if any(h.kind == "publisher" for h in s.highlights)]
    blocks = sum(1 for s in STORIES if HIGHLIGHT_BLOCK.match(s.html))
    assert len(publisher) == blocks
    for s in publisher:
        # A publisher's bullets are highlights, not body text.
        assert all(h.text not in s.text for h in s.highlights if h.kind == "publisher")


def test_an_unusable_library_gives_one_line_and_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    db.write_bytes(b"this is not a database" * 100)
    code, out, err = _run(db)
    assert code == 1
    assert err.startswith("byline: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err
