"""Kill -9 during a large refresh, many times: the library always opens, passes SQLite's
integrity checks, keeps everything the user made, and the next refresh completes.

The refresh is the real command (`byline refresh`, which also analyses what it stored) in a
subprocess, fetching many feeds from a local server whose feeds change on every fetch (new
stories, edited bodies), so each run has writing to do when the kill lands. Kill moments
are drawn from a seeded generator. The short version runs in CI; the long one (`-m slow`)
kills 60 times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import open_library
from tests.reliability.conftest import WITNESS_TEXT, Marks, make_marks, read_marks
from tests.support.feedserver import FeedServer, Reply, Seen

BYLINE = str(Path(sys.executable).parent / "byline")
SEED = 20261125


class ChangingFeeds:
    """`feeds` feeds of `items` stories each. On every fetch each feed gains a story and its
    first few stories are edited (a new last sentence), so every refresh writes."""

    def __init__(self, server: FeedServer, feeds: int, items: int) -> None:
        self.items = items
        self.fetches: dict[int, int] = {}
        self.urls = [server.route(f"/crash/{n}", self._handler(n)) for n in range(feeds)]

    def _handler(self, n: int):  # type: ignore[no-untyped-def]
        def handle(seen: Seen) -> Reply:
            edition = self.fetches[n] = self.fetches.get(n, 0) + 1
            parts = []
            for i in range(self.items):
                changing = f" Edition {edition}." if i < 3 else ""
                parts.append(
                    f"<item><guid>f{n}-{i}</guid><title>Feed {n} story {i}</title>"
                    f"<link>https://crash.example/{n}/{i}</link>"
                    f"<description>&lt;p&gt;{WITNESS_TEXT}{changing}&lt;/p&gt;"
                    f"&lt;p&gt;Story {i} of feed {n}, with a second paragraph.&lt;/p&gt;"
                    f"</description></item>"
                )
            parts.append(
                f"<item><guid>f{n}-new-{edition}</guid><title>Fresh {edition}</title>"
                f"<description>New in edition {edition}.</description></item>"
            )
            body = f"<rss version='2.0'><channel><title>Feed {n}</title>{''.join(parts)}"
            body += "</channel></rss>"
            return Reply(200, body.encode(), {"Content-Type": "application/rss+xml"})

        return handle


def byline_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BYLINE_CONFIG=str(tmp_path / "no-config.toml"),
        BYLINE_TIMEOUT="10",
        BYLINE_CONCURRENCY="16",
        BYLINE_PER_HOST="16",
    )
    return env


def start_byline(db: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`byline --db DB ARGS...` started, its output captured as text."""
    return subprocess.Popen(
        [BYLINE, "--db", str(db), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_refresh(db: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BYLINE, "--db", str(db), "refresh"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def kill_during_refresh(db: Path, env: dict[str, str], after: float) -> int | None:
    """Start a refresh, SIGKILL it `after` seconds in (with its parse workers); returns its
    exit code, or None when it finished before the kill."""
    proc = subprocess.Popen(
        [BYLINE, "--db", str(db), "refresh"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        proc.wait(timeout=after)
        return None
    except subprocess.TimeoutExpired:
        pass
    # The whole process group: the refresh and any worker processes it spawned.
    os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=30)


def check_library(db: Path, marked: list[Marks], stories_at_least: int) -> None:
    library = open_library(db)
    try:
        assert library.integrity_ok()
        conn = library.conn
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The full-text index agrees with the stories table.
        conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")
        for marks in marked:
            assert read_marks(library, marks.story_id) == marks
        assert library.count_stories() >= stories_at_least
    finally:
        library.close()


def crash_runs(
    tmp_path: Path, feed_server: FeedServer, *, runs: int, feeds: int, items: int
) -> dict[str, int]:
    db = tmp_path / "library.db"
    env = byline_env(tmp_path)
    source = ChangingFeeds(feed_server, feeds, items)
    with open_library(db) as library:
        for url in source.urls:
            library.add_feed(url)

    # Two complete refreshes: the first stores (and analyses) everything, the second is
    # what every later run does (new and edited stories), timed to know where a kill lands.
    first = run_refresh(db, env)
    assert first.returncode == 0, first.stderr
    started = time.perf_counter()
    second = run_refresh(db, env)
    full = time.perf_counter() - started
    assert second.returncode == 0, second.stderr
    baseline = feeds * (items + 1)

    # The user marks stories, including ones every refresh edits (their highlights are
    # re-anchored in the same transaction that rewrites the text).
    with open_library(db) as library:
        library.mark_all_read()
        marked: list[Marks] = []
        for n in (0, feeds // 2, feeds - 1):
            feed = library.find_feed(source.urls[n])
            for row in library.list_stories(feed_id=feed.id, limit=None):
                if row.title in (f"Feed {n} story 0", f"Feed {n} story {items - 1}"):
                    marked.append(make_marks(library, row.id))
        library.set_read(marked[0].story_id, False)
        marked[0] = read_marks(library, marked[0].story_id)
    assert len(marked) == 6

    rng = random.Random(SEED)
    outcomes = {"killed": 0, "finished first": 0}
    for _ in range(runs):
        after = rng.uniform(0.05, full * 1.1)
        code = kill_during_refresh(db, env, after)
        outcomes["finished first" if code is None else "killed"] += 1
        if code is not None:
            assert code == -signal.SIGKILL
        check_library(db, marked, baseline)

    # After all that, a refresh completes and nothing is missing.
    last = run_refresh(db, env)
    assert last.returncode == 0, last.stderr
    assert "0 failed" in last.stdout, last.stdout
    check_library(db, marked, baseline)
    with open_library(db) as library:
        for url in source.urls:
            feed = library.find_feed(url)
            assert feed.last_status == "ok"
            titles = {r.title for r in library.list_stories(feed_id=feed.id, limit=None)}
            n = source.urls.index(url)
            assert {f"Feed {n} story {i}" for i in range(items)} <= titles
            # Every edition a completed refresh stored is still there.
            assert f"Fresh {source.fetches[n]}" in titles
    print(f"kill -9 runs: {outcomes}, full refresh {full:.2f} s")  # shown with -s
    return outcomes


def test_kill_during_refresh_loses_nothing(tmp_path: Path, feed_server: FeedServer) -> None:
    outcomes = crash_runs(tmp_path, feed_server, runs=5, feeds=8, items=40)
    assert outcomes["killed"] >= 3


@pytest.mark.slow
def test_kill_during_refresh_loses_nothing_many_times(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    outcomes = crash_runs(tmp_path, feed_server, runs=60, feeds=30, items=60)
    assert outcomes["killed"] >= 40
