"""The feed commands of the CLI: add, remove, feeds, refresh, import, export-opml."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.analysis.pipeline import ANALYSIS_VERSION
from app.cli import main
from storage import open_library
from storage.models import Entry
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401

RSS = (
    "<rss version='2.0'><channel><title>{title}</title>"
    "<item><guid>1</guid><title>One</title><description>first</description></item>"
    "<item><guid>2</guid><title>Two</title><description>second</description></item>"
    "</channel></rss>"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings isolated from the machine: no user config, a tiny timeout."""
    return {"BYLINE_CONFIG": str(tmp_path / "none.toml"), "BYLINE_TIMEOUT": "0.5"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib.db"


def run(db: Path, env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env)


def test_add_then_refresh_twice_asks_conditionally(
    db: Path, env: dict[str, str], feed_server: FeedServer
) -> None:
    url = feed_server.feed("/news", RSS.format(title="News"))
    added = run(db, env, "add", url, "--tag", "world", "--title", "My news")
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "added 1: My news; run byline refresh"
    assert feed_server.requests_to("/news") == []  # add does not fetch

    first = run(db, env, "refresh")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        "1 feed: 1 ok, 0 failed; 2 new, 0 updated stories; analysed 2 stories"
    )
    assert first.stderr == ""  # not a TTY: no progress line

    second = run(db, env, "refresh")
    assert second.stdout.strip() == (
        "1 feed: 1 ok (1 not modified), 0 failed; 0 new, 0 updated stories"
    )
    sent = feed_server.requests_to("/news")[1]
    assert sent.headers.get("if-none-match") and sent.headers.get("if-modified-since")
    assert sent.status == 304
    with open_library(db) as library:
        assert library.count_stories() == 2
        (feed,) = library.list_feeds()
        assert (feed.title, feed.tags) == ("My news", ["world"])
        assert library.stories_to_analyse(ANALYSIS_VERSION) == []


def test_refresh_without_analysis_leaves_it_for_later(
    db: Path, env: dict[str, str], feed_server: FeedServer
) -> None:
    run(db, env, "add", feed_server.feed("/later", RSS.format(title="Later")))
    result = run(db, env, "refresh", "--no-analysis")
    assert result.stdout.strip() == "1 feed: 1 ok, 0 failed; 2 new, 0 updated stories"
    with open_library(db) as library:
        pending = library.stories_to_analyse(ANALYSIS_VERSION)
        assert len(pending) == 2
    shown = run(db, env, "show", str(pending[0]), "--json")
    assert json.loads(shown.stdout)["analysis_version"] == ANALYSIS_VERSION


def test_refresh_json_and_failures(db: Path, env: dict[str, str], feed_server: FeedServer) -> None:
    run(db, env, "add", feed_server.feed("/ok", RSS.format(title="Fine")))
    run(db, env, "add", feed_server.url("/missing"))
    result = run(db, env, "refresh", "--json")
    assert result.exit_code == 0  # one feed worked
    report = json.loads(result.stdout)
    assert (report["feeds"], report["ok"], report["failed"], report["new"]) == (2, 1, 1, 2)
    errors = {r["url"]: r["error"] for r in report["results"]}
    assert errors[feed_server.url("/missing")] == "HTTP 404 Not Found"
    assert "HTTP 404 Not Found" in result.stderr


def test_refresh_exits_1_only_when_nothing_could_be_fetched(
    db: Path, env: dict[str, str], feed_server: FeedServer
) -> None:
    run(db, env, "add", feed_server.url("/gone"))
    page = feed_server.feed("/home", "<!DOCTYPE html><html><body>home</body></html>")
    run(db, env, "add", page)
    result = run(db, env, "refresh")
    assert result.exit_code == 1
    assert result.stdout.strip() == "2 feeds: 0 ok, 2 failed; 0 new, 0 updated stories"
    assert f"byline: {page}: not a feed: the page is HTML" in result.stderr
    assert "Traceback" not in result.output


def test_refresh_one_feed(db: Path, env: dict[str, str], feed_server: FeedServer) -> None:
    run(db, env, "add", feed_server.feed("/a", RSS.format(title="A")))
    run(db, env, "add", feed_server.feed("/b", RSS.format(title="B")))
    result = run(db, env, "refresh", "--feed", feed_server.url("/b"))
    assert result.stdout.startswith("1 feed: 1 ok")
    assert feed_server.requests_to("/a") == []
    missing = run(db, env, "refresh", "--feed", "no such feed")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("byline: no feed matches")


def test_refresh_with_no_feeds(db: Path, env: dict[str, str]) -> None:
    result = run(db, env, "refresh")
    assert result.exit_code == 0
    assert "no feeds yet" in result.stdout


def test_add_a_local_file_and_list_feeds(
    db: Path, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "local.xml"
    path.write_text(RSS.format(title="Local [bold]x[/] \x1b[2J"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(db, env, "add", "local.xml").exit_code == 0
    assert run(db, env, "refresh").exit_code == 0
    listing = run(db, env, "feeds")
    assert listing.exit_code == 0
    header, row = listing.stdout.splitlines()
    assert header.split() == ["ID", "TITLE", "URL", "STORIES", "UNREAD", "STATUS"]
    assert "Local [bold]x[/]" in row and "\x1b" not in row
    data = json.loads(run(db, env, "feeds", "--json").stdout)
    assert data[0]["url"] == str(path.resolve())
    assert (data[0]["stories"], data[0]["unread"], data[0]["status"]) == (2, 2, "ok")
    # A relative path or file:// URL names the stored (absolute) feed again.
    removed = run(db, env, "remove", path.as_uri())
    assert removed.stdout.strip() == "removed 1: Local [bold]x[/] (2 stories)"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("ftp://example.org/feed", "byline: unsupported source 'ftp://example.org/feed'"),
        ("https://", "byline: not a valid URL (no host): https://"),
        ("|fetch-tweets", "byline: commands are not feed sources: |fetch-tweets"),
        ("nowhere/feed.xml", "byline: no such file: "),
    ],
)
def test_add_refuses_bad_sources(db: Path, env: dict[str, str], source: str, message: str) -> None:
    result = run(db, env, "add", source)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_add_refuses_local_files_that_are_not_feeds(
    db: Path, env: dict[str, str], tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><body>hi</body></html>")
    broken = tmp_path / "broken.xml"
    broken.write_text("this is not < xml at all")
    assert run(db, env, "add", str(page)).stderr.strip() == (
        f"byline: {page}: not a feed: the page is HTML"
    )
    result = run(db, env, "add", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"byline: {broken}: not a feed: malformed XML")


def test_add_twice_and_remove(db: Path, env: dict[str, str]) -> None:
    url = "https://example.org/feed.xml"
    assert run(db, env, "add", url).exit_code == 0
    again = run(db, env, "add", url)
    assert again.exit_code == 1
    assert again.stderr.strip() == f"byline: already subscribed to {url}"
    assert run(db, env, "remove", "1").stdout.strip() == f"removed 1: {url} (0 stories)"
    gone = run(db, env, "remove", url)
    assert gone.exit_code == 1
    assert gone.stderr.startswith("byline: no feed matches")


def test_remove_by_title(db: Path, env: dict[str, str]) -> None:
    run(db, env, "add", "https://example.org/a.xml", "--title", "Alpha Wire")
    assert run(db, env, "remove", "alpha wire").stdout.startswith("removed 1: Alpha Wire")
    assert json.loads(run(db, env, "feeds", "--json").stdout) == []


def test_import_opml_and_export_round_trip(
    db: Path, env: dict[str, str], tmp_path: Path, corpora: Path
) -> None:
    result = run(db, env, "import", str(corpora / "newsboat-tests" / "example.opml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "imported 7 feeds, skipped 0; run byline refresh"
    out = tmp_path / "subs.opml"
    exported = run(db, env, "export-opml", "-o", str(out))
    assert exported.exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".subs")] == []
    other = tmp_path / "other.db"
    again = run(other, env, "import", str(out))
    assert again.stdout.strip() == "imported 7 feeds, skipped 0; run byline refresh"
    stdout_copy = run(other, env, "export-opml").stdout
    assert stdout_copy.count("xmlUrl=") == 7


def test_import_errors(db: Path, env: dict[str, str], tmp_path: Path, corpora: Path) -> None:
    missing = run(db, env, "import", str(tmp_path / "nope.opml"))
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"byline: no such file: {tmp_path / 'nope.opml'}"
    text = tmp_path / "notes.txt"
    text.write_text("just some notes")
    assert run(db, env, "import", str(text)).stderr.strip() == (
        f"byline: {text}: not an OPML file or a Byline JSON export"
    )
    wrong_root = corpora / "newsboat-tests" / "opml-element-missing.opml"
    result = run(db, env, "import", str(wrong_root))
    assert result.exit_code == 1
    assert "not OPML: the root element is <not-opml>" in result.stderr
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml version='2.0'><body><outline xmlUrl='x'></body>")
    assert "broken OPML" in run(db, env, "import", str(broken)).stderr


def test_import_json_goes_to_the_json_importer(
    db: Path, env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "export.json"
    bad.write_text('{"not": "a byline export"}')
    result = run(db, env, "import", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith("byline: ")
    assert "Traceback" not in result.output


def test_export_opml_to_an_unwritable_place(db: Path, env: dict[str, str], tmp_path: Path) -> None:
    run(db, env, "add", "https://example.org/feed.xml")
    result = run(db, env, "export-opml", "-o", str(tmp_path / "no" / "such" / "dir.opml"))
    assert result.exit_code == 1
    assert result.stderr.startswith("byline: cannot write")


def test_unwritable_library(env: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(blocker / "lib.db", env, "add", "https://example.org/feed.xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("byline: cannot create the library folder")
    assert "Traceback" not in result.output


def test_refresh_json_with_no_feeds(db: Path, env: dict[str, str]) -> None:
    result = run(db, env, "refresh", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["feeds"] == 0


def test_progress_is_shown_on_a_terminal_only(
    db: Path, env: dict[str, str], feed_server: FeedServer
) -> None:
    run(db, env, "add", feed_server.feed("/tty", RSS.format(title="Terminal")))
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "--db", str(db), "refresh"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=slave,
            timeout=60,
            check=False,
        )
        os.close(slave)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the terminal's other end is closed
            while chunk := os.read(master, 4096):
                shown += chunk
    finally:
        os.close(master)
    assert done.returncode == 0
    assert done.stdout.decode().startswith("1 feed: 1 ok, 0 failed; 2 new, 0 updated stories")
    assert b"[1/1] Terminal" in shown


def test_output_cut_short_by_a_pipe_is_quiet(tmp_path: Path) -> None:
    """`byline stories | head -1`: no traceback, no 'Broken pipe' line."""
    import subprocess
    import sys

    db = tmp_path / "lib.db"
    with open_library(db) as library:
        feed = library.add_feed("https://example.com/f.xml", title="F")
        library.upsert_entries(
            feed.id, [Entry(uid=str(i), title=f"Story {i} " + "x" * 80) for i in range(3000)]
        )
    env = {"BYLINE_CONFIG": str(tmp_path / "none.toml"), "PATH": "/usr/bin:/bin"}
    code = "from app.cli import main; main()"
    reader = subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(db), "stories", "--limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # the reader of our output goes away
    err = reader.stderr.read().decode()
    reader.wait(timeout=30)
    assert err == ""
    assert reader.returncode == 1


def test_stories_lists_title_then_feed_in_columns(
    db: Path, env: dict[str, str], tmp_path: Path
) -> None:
    long_name = "Al Jazeera – Breaking News, World News and Video from Al Jazeera"
    path = tmp_path / "long.xml"
    path.write_text(RSS.format(title=long_name), encoding="utf-8")
    assert run(db, env, "add", str(path)).exit_code == 0
    assert run(db, env, "refresh", "--no-analysis").exit_code == 0
    listing = run(db, env | {"COLUMNS": "80"}, "stories")
    assert listing.exit_code == 0
    rows = listing.stdout.splitlines()
    assert len(rows) == 2
    for row in rows:
        # The whole title, a space, then the feed's name cut to fit.
        assert row.split(" N ")[1].split()[1] in ("One", "Two")
        assert row.endswith(f"  [{long_name[:27]}…]"), row
        assert len(row) <= 80
