"""Upgrading an old library in place, through the CLI: with the user's marks kept, when the
disk fills up halfway through the upgrade, and when two processes open it at once (cron and
the reader after installing a new version). tests/test_migrations.py covers the storage
side (ordering, a broken migration, a library from a newer version)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from storage import open_library
from storage.connect import connect
from storage.migrations import MIGRATIONS, applied, apply_migrations
from tests.reliability.test_crash import BYLINE, byline_env, start_byline
from tests.test_migrations import _old_library


def _user_state(path: Path) -> tuple[object, ...]:
    with open_library(path) as library:
        (row,) = library.list_stories()
        story = library.get_story(row.id)
        assert library.integrity_ok()
        return (
            story.title, story.text, story.saved, story.read,
            sorted(t.name for t in story.tags),
            [(h.start, h.end, h.text) for h in story.highlights if h.kind == "user"],
            sorted(n.body for n in story.notes),
            [(f.url, f.title, f.tags) for f in library.list_feeds()],
        )  # fmt: skip


def _byline(db: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BYLINE, "--db", str(db), *args],
        env=byline_env(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_an_old_library_upgrades_in_place_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_library(db)
    result = _byline(db, tmp_path, "feeds")
    assert result.returncode == 0, result.stderr
    assert "Wire" in result.stdout
    conn = sqlite3.connect(db)
    assert applied(conn) == [name for name, _ in MIGRATIONS]
    conn.close()
    state = _user_state(db)
    assert state[2:7] == (True, True, ["keep"], [(0, 5, "Alpha")], ["a note"])


def test_a_full_disk_halfway_through_an_upgrade_keeps_every_step_whole(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_library(db)
    conn = connect(db)
    first = applied(conn)
    # Room for a few pages only: some steps fit, one does not (SQLITE_FULL).
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        apply_migrations(conn)
    done = applied(conn)
    conn.close()
    assert done[: len(first)] == first and len(done) < len(MIGRATIONS)
    # The library is at a whole step (never half of one): it opens, checks, and upgrades.
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    result = _byline(db, tmp_path, "feeds")
    assert result.returncode == 0, result.stderr
    state = _user_state(db)
    assert state[2:7] == (True, True, ["keep"], [(0, 5, "Alpha")], ["a note"])


def test_a_read_only_old_library_is_left_as_it_was(tmp_path: Path) -> None:
    from tests.reliability.test_concurrency import read_only

    folder = tmp_path / "lib"
    folder.mkdir()
    db = folder / "old.db"
    _old_library(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with read_only(db):
        result = _byline(db, tmp_path, "feeds")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("byline: ") and len(result.stderr.splitlines()) == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert _byline(db, tmp_path, "feeds").returncode == 0


def test_two_processes_upgrading_at_once(tmp_path: Path) -> None:
    for attempt in range(3):  # the race needs both to start together: try a few times
        db = tmp_path / f"old-{attempt}.db"
        _old_library(db)
        procs = [start_byline(db, byline_env(tmp_path), "feeds") for _ in range(3)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "Wire" in out
        state = _user_state(db)
        assert state[2:7] == (True, True, ["keep"], [(0, 5, "Alpha")], ["a note"])


def test_an_upgrade_waiting_for_another_does_not_redo_its_steps(tmp_path: Path) -> None:
    # Deterministic form of the race above: B reads which steps are done, then waits for the
    # lock while A upgrades; B must not run a step A has applied meanwhile.
    db = tmp_path / "old.db"
    _old_library(db)
    a, b = connect(db), connect(db)
    a.execute("BEGIN IMMEDIATE")
    errors: list[BaseException] = []

    def upgrade_b() -> None:
        try:
            apply_migrations(b)
        except BaseException as exc:
            errors.append(exc)

    waiting = threading.Thread(target=upgrade_b)
    waiting.start()
    time.sleep(0.3)  # B has read its list of applied steps and waits for the write lock
    a.execute("ROLLBACK")
    apply_migrations(a)
    waiting.join(timeout=30)
    assert errors == []
    assert applied(a) == applied(b) == [name for name, _ in MIGRATIONS]
    a.close()
    b.close()
    assert _user_state(db)[2:7] == (True, True, ["keep"], [(0, 5, "Alpha")], ["a note"])
