"""Migrations are ordered and recorded; old libraries upgrade without loss."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import LibraryError, open_library
from storage.connect import connect
from storage.migrations import MIGRATIONS, applied, apply_migrations
from storage.models import Entry


def _old_library(path: Path) -> None:
    """A library as the first release wrote it, with things the user made."""
    conn = connect(path)
    apply_migrations(conn, MIGRATIONS[:1])
    conn.close()
    from storage.library import Library

    lib = Library(connect(path), str(path))
    # The feeds table as the first release wrote it (today's add_feed writes later columns).
    with lib.transaction():
        feed_id = lib.conn.execute(
            "INSERT INTO feeds (url, title, added) VALUES (?, 'Wire', '2026-01-01T00:00:00')",
            ("https://example.com/feed.xml",),
        ).lastrowid
        lib.conn.execute("INSERT INTO feed_tags (feed_id, name) VALUES (?, 'world')", (feed_id,))
    assert feed_id is not None
    result = lib.upsert_entries(feed_id, [Entry(uid="g1", title="One", text="Alpha beta gamma.")])
    story_id = result.new[0]
    lib.tag_story(story_id, "keep")
    lib.set_saved(story_id)
    lib.set_read(story_id)
    highlight = lib.add_highlight(story_id, 0, 5)
    lib.add_note(story_id, "a note", highlight_id=highlight)
    lib.close()


def test_fresh_library_records_every_migration(tmp_path: Path) -> None:
    lib = open_library(tmp_path / "new.db")
    assert lib.migrations_applied() == [name for name, _ in MIGRATIONS]
    lib.close()


def test_old_library_opens_in_new_version_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_library(path)
    lib = open_library(path)
    assert lib.migrations_applied() == [name for name, _ in MIGRATIONS]
    (row,) = lib.list_stories()
    story = lib.get_story(row.id)
    assert story.saved and story.read
    assert [t.name for t in story.tags] == ["keep"]
    assert [h.text for h in story.highlights if h.kind == "user"] == ["Alpha"]
    assert [n.body for n in story.notes] == ["a note"]
    (feed,) = lib.list_feeds()
    assert feed.tags == ["world"]
    # A title stored before 0006 is kept as the user's: a refresh does not replace it.
    lib.update_feed_fetch(feed.id, status="ok", title="Wire Service International")
    assert lib.get_feed(feed.id).title == "Wire"
    assert lib.integrity_ok()
    lib.close()


def test_failed_migration_leaves_library_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    _old_library(path)
    conn = connect(path)
    before = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        c.execute("ALTER TABLE stories ADD COLUMN extra TEXT")
        c.execute("SELECT * FROM no_such_table")

    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(conn, [*MIGRATIONS, ("9999_broken", broken)])
    after = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert "9999_broken" not in applied(conn)
    # Every real migration may have been applied, but nothing of the broken one remains.
    assert not any(name == "half_done" for name, _ in after)
    assert all("extra" not in (sql or "") for _, sql in after)
    assert {n for n, _ in before} <= {n for n, _ in after}
    conn.close()


def test_library_from_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_library(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _byline_migrations VALUES ('9000_from_the_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="newer version of Byline"):
        open_library(path)


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(LibraryError, match="cannot create the library folder"):
        open_library(blocker / "sub" / "library.db")


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(LibraryError):
        open_library(path)
