"""Ordered, named, recorded schema migrations.

Each migration runs inside one transaction together with the row that records it, so a
migration that fails leaves the library exactly as it was. Never edit a migration that has
shipped: add a new one at the end of MIGRATIONS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = tuple[str, Callable[[sqlite3.Connection], None]]


def _m001_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT,
            site_url TEXT,
            folder TEXT,
            etag TEXT,
            last_modified TEXT,
            last_status TEXT,
            last_error TEXT,
            last_fetched TEXT,
            added TEXT NOT NULL
        );
        CREATE TABLE feed_tags (
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            PRIMARY KEY (feed_id, name)
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            uid TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL DEFAULT '',
            author TEXT,
            published TEXT,
            updated TEXT,
            summary TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            saved INTEGER NOT NULL DEFAULT 0,
            saved_at TEXT,
            analysis_version INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, uid)
        );
        CREATE INDEX stories_published ON stories (published DESC, id DESC);
        CREATE INDEX stories_feed ON stories (feed_id, published DESC);
        CREATE INDEX stories_unread ON stories (read) WHERE read = 0;
        CREATE INDEX stories_saved ON stories (saved) WHERE saved = 1;

        CREATE VIRTUAL TABLE stories_fts USING fts5 (
            title, author, text, content='stories', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
            INSERT INTO stories_fts (rowid, title, author, text)
            VALUES (new.id, new.title, coalesce(new.author, ''), new.text);
        END;
        CREATE TRIGGER stories_ad AFTER DELETE ON stories BEGIN
            INSERT INTO stories_fts (stories_fts, rowid, title, author, text)
            VALUES ('delete', old.id, old.title, coalesce(old.author, ''), old.text);
        END;
        CREATE TRIGGER stories_au AFTER UPDATE OF title, author, text ON stories BEGIN
            INSERT INTO stories_fts (stories_fts, rowid, title, author, text)
            VALUES ('delete', old.id, old.title, coalesce(old.author, ''), old.text);
            INSERT INTO stories_fts (rowid, title, author, text)
            VALUES (new.id, new.title, coalesce(new.author, ''), new.text);
        END;

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            rule TEXT,
            created TEXT NOT NULL
        );
        CREATE TABLE story_tags (
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('user', 'rule', 'learned', 'suggested')),
            score REAL,
            created TEXT NOT NULL,
            PRIMARY KEY (story_id, tag_id)
        );
        CREATE INDEX story_tags_tag ON story_tags (tag_id, source);
        -- A tag the user took off a story: automation never puts it back.
        CREATE TABLE story_tag_removals (
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            created TEXT NOT NULL,
            PRIMARY KEY (story_id, tag_id)
        );

        CREATE TABLE highlights (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('publisher', 'summary', 'user')),
            note TEXT,
            created TEXT NOT NULL
        );
        CREATE INDEX highlights_story ON highlights (story_id, start);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            speaker TEXT,
            speaker_title TEXT,
            partial INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX quotes_story ON quotes (story_id, start);
        CREATE INDEX quotes_speaker ON quotes (speaker COLLATE NOCASE);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            highlight_id INTEGER REFERENCES highlights(id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX notes_story ON notes (story_id);
        """
    )


def _m002_duplicates(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        -- Document frequencies of indexed terms, read by related-story lookup (TF-IDF).
        CREATE VIRTUAL TABLE stories_fts_vocab USING fts5vocab (stories_fts, row);

        -- One near-duplicate signature per story (minhash bins) and its duplicate cluster.
        -- `bands` keeps the story's LSH keys so they can be removed when the text changes.
        CREATE TABLE story_signatures (
            story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
            signature BLOB NOT NULL,
            bands BLOB NOT NULL,
            cluster_id INTEGER NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX story_signatures_cluster ON story_signatures (cluster_id);
        -- LSH band keys: candidates for a duplicate are found by key, never by a scan.
        -- Rows of a deleted story are ignored (joined against story_signatures) and purged.
        CREATE TABLE story_bands (
            key INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            PRIMARY KEY (key, story_id)
        ) WITHOUT ROWID;

        -- Fetch the article page for this feed's stories: NULL follows the global setting.
        ALTER TABLE feeds ADD COLUMN full_text INTEGER;
        """
    )


def _m003_term_stats(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        -- A snapshot of stories_fts_vocab's document counts. Counting one term in the FTS5
        -- vocabulary reads its whole posting list, too slow for common words in a large
        -- library; the snapshot is re-taken when the library has grown or shrunk by a tenth.
        CREATE TABLE term_stats (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )


def _m004_feed_read_index(conn: sqlite3.Connection) -> None:
    # Unread counts per feed: without it the planner walks the partial `stories_unread`
    # index once per feed (15 s for 200 feeds over 100,000 stories; 13 ms with it).
    conn.execute("CREATE INDEX stories_feed_read ON stories (feed_id, read)")


def _m005_fts_automerge(conn: sqlite3.Connection) -> None:
    # FTS5 merges index segments once 4 of a level exist (its default). A refresh writes a
    # segment per feed, and those merges were a fifth of storing the 200 real feeds (1.01
    # -> 0.82 CPU-s with 16, median of four runs each). Searches read a few more segments;
    # the crisis merge at 16 still bounds how many.
    conn.execute("INSERT INTO stories_fts (stories_fts, rank) VALUES ('automerge', 16)")


def _m006_feed_title_from_user(conn: sqlite3.Connection) -> None:
    # A feed that renames itself was shown under its first title for good: titles were only
    # filled when empty, so that a title the user gave was never overwritten. Now the
    # feed's own title follows the feed, and one the user gave stays. Titles stored before
    # cannot be told apart: they are kept as if the user gave them.
    conn.executescript(
        """
        ALTER TABLE feeds ADD COLUMN title_from_user INTEGER NOT NULL DEFAULT 0;
        UPDATE feeds SET title_from_user = 1 WHERE title IS NOT NULL;
        """
    )


MIGRATIONS: list[Migration] = [
    ("0001_initial", _m001_initial),
    ("0002_duplicates", _m002_duplicates),
    ("0003_term_stats", _m003_term_stats),
    ("0004_feed_read_index", _m004_feed_read_index),
    ("0005_fts_automerge", _m005_fts_automerge),
    ("0006_feed_title_from_user", _m006_feed_title_from_user),
]

TABLE = "_byline_migrations"


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, applied_at TEXT)")
    return [row[0] for row in conn.execute(f"SELECT name FROM {TABLE} ORDER BY rowid")]


def apply_migrations(
    conn: sqlite3.Connection, migrations: list[Migration] | None = None
) -> list[str]:
    """Apply every migration not yet recorded, in order; return the names applied."""
    migrations = MIGRATIONS if migrations is None else migrations
    done = set(applied(conn))
    known = {name for name, _ in migrations}
    unknown = done - known
    if unknown:
        raise sqlite3.DatabaseError(
            "this library was written by a newer version of Byline "
            f"(unknown migrations: {', '.join(sorted(unknown))}); upgrade Byline to open it"
        )
    ran: list[str] = []
    for name, step in migrations:
        if name in done:
            continue
        # executescript() commits any open transaction, so wrap the script ourselves.
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process opening the same old library (cron, a second reader) may have
            # applied this step while this one waited for the lock: `done` was read before.
            if conn.execute(f"SELECT 1 FROM {TABLE} WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")
                continue
            _run_in_transaction(conn, step)
            conn.execute(
                f"INSERT INTO {TABLE} (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran


def _run_in_transaction(
    conn: sqlite3.Connection, step: Callable[[sqlite3.Connection], None]
) -> None:
    """Run a migration whose body may use executescript() without committing early."""

    class _NoCommit:
        def __init__(self, inner: sqlite3.Connection) -> None:
            self._inner = inner

        def executescript(self, script: str) -> None:
            for statement in _split_statements(script):
                self._inner.execute(statement)

        def __getattr__(self, name: str) -> object:
            return getattr(self._inner, name)

    step(_NoCommit(conn))  # type: ignore[arg-type]


def _split_statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
