"""Concurrent use and hostile storage: `byline refresh` from cron while the reader is open on
the same library, two refreshes at once, a full disk and a read-only library."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.config import Settings
from app.errors import friendly_error
from app.ingest.refresh import refresh, refresh_sync
from storage import Library, open_library
from tests.reliability.conftest import Witness, hostile_settings, make_marks, read_marks
from tests.reliability.test_crash import BYLINE, ChangingFeeds, byline_env, start_byline
from tests.support.feedserver import FeedServer
from tests.tui.conftest import settle


# -- the reader and cron -------------------------------------------------------------------
async def test_cron_refresh_while_the_reader_is_open(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    from app.tui import BylineApp
    from widgets.story_list import StoryList

    db = tmp_path / "library.db"
    library = open_library(db)
    source = ChangingFeeds(feed_server, feeds=10, items=40)
    first = library.add_feed(source.urls[0])
    await refresh(library, hostile_settings(), feeds=[first])
    for url in source.urls[1:]:
        library.add_feed(url)
    story_ids = [r.id for r in library.list_stories(limit=None)]
    before = len(story_ids)

    app = BylineApp(library, Settings(db=db), clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story_list = app.screen.query_one(StoryList)
        assert story_list.count == before

        cron = await asyncio.create_subprocess_exec(
            BYLINE, "--db", str(db), "refresh",
            env=byline_env(tmp_path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        # While cron writes, the reader keeps moving and the user keeps tagging and saving:
        # every one of those writes waits its turn (busy timeout) and lands.
        made = 0
        while cron.returncode is None:
            await pilot.press("j", "k")
            story_id = story_ids[made % len(story_ids)]
            await asyncio.to_thread(library.tag_story, story_id, f"during-{made}")
            await asyncio.to_thread(library.set_saved, story_id, made % 2 == 0)
            made += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(cron.wait(), 0.05)
        out, err = await cron.communicate()
        assert cron.returncode == 0, err.decode()
        assert "10 feeds: 10 ok" in out.decode() and "0 failed" in out.decode(), out.decode()
        assert made >= 3  # the loop ran while cron was writing

        # The user's writes made during cron's refresh are all there.
        tagged = {t.name for sid in story_ids for t in library.get_story(sid).tags}
        assert {f"during-{n}" for n in range(made)} <= tagged

        # The reader notices cron's commit by itself (it watches the library's data version)
        # and shows the new stories without the user doing anything.
        after = library.count_stories()
        assert after > before
        # Near-duplicate copies across feeds show as one row each (the list collapses them).
        shown = library.count_stories(collapse_duplicates=True)
        for _ in range(100):
            if story_list.count == shown:
                break
            await asyncio.sleep(0.1)
            await pilot.pause()
        # (The reader also analysed the stories stored before in the background, so
        # duplicates among them are collapsed too: compare with the collapsed count.)
        assert story_list.count == shown
        rows = [story_list.row_at(i) for i in range(shown)]
        assert {r.feed_id for r in rows if r is not None} - {first.id}
    assert library.integrity_ok()
    library.close()


def test_two_refreshes_at_once_both_complete(tmp_path: Path, feed_server: FeedServer) -> None:
    db = tmp_path / "library.db"
    source = ChangingFeeds(feed_server, feeds=6, items=30)
    with open_library(db) as library:
        for url in source.urls:
            library.add_feed(url)
    env = byline_env(tmp_path)
    procs = [start_byline(db, env, "refresh") for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "0 failed" in out, out
    with open_library(db) as library:
        assert library.integrity_ok()
        for n, url in enumerate(source.urls):
            feed = library.find_feed(url)
            rows = library.list_stories(feed_id=feed.id, limit=None)
            titles = [r.title for r in rows]
            # No story twice, however the two writers interleaved.
            assert len(titles) == len(set(titles)) == 30 + 2, titles
            assert {f"Fresh {k}" for k in (1, 2)} <= set(titles), n


# -- a full disk ---------------------------------------------------------------------------
def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(
    library: Library, feed_server: FeedServer, witness: Witness
) -> None:
    items = "".join(
        f"<item><guid>big-{i}</guid><title>Big {i}</title>"
        f"<description>{'Filler words for a full disk. ' * 40}</description></item>"
        for i in range(400)
    )
    big = library.add_feed(
        feed_server.feed("/big", f"<rss version='2.0'><channel><title>Big</title>{items}"
                                 "</channel></rss>")
    )  # fmt: skip
    # SQLite's own "disk full" (SQLITE_FULL): the file may grow by a few pages only. A tiny
    # filesystem is the other way (see the slow test below, where mounting is allowed).
    pages = library.conn.execute("PRAGMA page_count").fetchone()[0]
    library.conn.execute(f"PRAGMA max_page_count = {pages + 8}")
    with pytest.raises(sqlite3.OperationalError) as caught:
        refresh_sync(library, hostile_settings())
    assert friendly_error(caught.value) == "the disk is full: the write in progress was undone"

    library.conn.execute("PRAGMA max_page_count = 1073741823")
    # The big feed's transaction was rolled back whole: none of its stories, no half-story.
    assert library.count_stories(feed_id=big.id) == 0
    witness.check()
    report = refresh_sync(library, hostile_settings())
    assert report.feeds_failed == 0
    assert library.count_stories(feed_id=big.id) == 400
    witness.check()


@pytest.mark.slow
def test_a_full_filesystem_through_the_cli(tmp_path: Path, feed_server: FeedServer) -> None:
    """A real full disk: a 2 MB tmpfs (needs permission to mount; CI containers may not)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        db = mount / "library.db"
        source = ChangingFeeds(feed_server, feeds=10, items=300)
        with open_library(db) as library:
            witness_url = source.urls[0]
            refresh_sync(library, hostile_settings(), feeds=[library.add_feed(witness_url)])
            story = library.list_stories(limit=1)[0].id
            marks = make_marks(library, story)
            for url in source.urls[1:]:
                library.add_feed(url)
        result = subprocess.run(
            [BYLINE, "--db", str(db), "refresh"],
            env=byline_env(tmp_path), capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert (
            result.stderr.strip().splitlines()[-1]
            == "byline: the disk is full: the write in progress was undone"
        )
        with open_library(db) as library:
            assert library.integrity_ok()
            assert read_marks(library, story) == marks
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# -- a read-only library -------------------------------------------------------------------
@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make the library and its folder unwritable. As root, permission bits do not stop a
    write, so the files are made immutable (chattr +i) instead."""
    targets = [path, path.parent]
    if os.geteuid() != 0:
        modes = [t.stat().st_mode for t in targets]
        for t in targets:
            t.chmod(0o555 if t.is_dir() else 0o444)
        try:
            yield
        finally:
            for t, mode in zip(targets, modes, strict=True):
                t.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a file unwritable")
    done = subprocess.run(
        ["chattr", "+i", *map(str, targets)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"this filesystem has no immutable files: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, targets)], check=True)


def test_a_read_only_library_is_a_clear_error(tmp_path: Path, feed_server: FeedServer) -> None:
    folder = tmp_path / "lib"
    db = folder / "library.db"
    source = ChangingFeeds(feed_server, feeds=2, items=5)
    with open_library(db) as library:
        for url in source.urls:
            library.add_feed(url)
        refresh_sync(library, hostile_settings())
        story = library.list_stories(limit=1)[0].id
        marks = make_marks(library, story)
    assert sorted(p.name for p in folder.iterdir()) == ["library.db"]  # WAL checkpointed

    env = byline_env(tmp_path)
    with read_only(db):
        for command in (["refresh"], ["feeds"], ["add", feed_server.url("/another")]):
            result = subprocess.run(
                [BYLINE, "--db", str(db), *command],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            assert result.returncode == 1, (command, result.stdout)
            assert "Traceback" not in result.stderr
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("byline: "), result.stderr
            assert "cannot open" in lines[0] or "read-only" in lines[0], lines[0]
    with open_library(db) as library:
        assert library.integrity_ok()
        assert read_marks(library, story) == marks
        assert len(library.list_feeds()) == 2
