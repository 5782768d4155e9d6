"""Bulk writes for large imports and benchmark libraries: many new stories in one statement.

`upsert_entries` looks every story up before writing it, which an update needs; a feed that is
known to be new (an import, a generated library) can skip the lookups and let SQLite insert
the rows in one `executemany`. The FTS triggers still run, so the stories are searchable.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage._base import LibraryBase, now_iso
from storage.models import Entry, TagSource
from storage.stories import content_hash


class BulkMixin(LibraryBase):
    def insert_new_entries(self, feed_id: int, entries: Iterable[Entry]) -> int:
        """Insert a feed's entries that are not stored yet, in one transaction, without the
        per-story lookup of `upsert_entries` (an entry whose uid is already stored is left as
        it is). Returns how many stories were inserted."""
        seen = now_iso()
        rows = (
            (
                feed_id,
                e.uid,
                e.url,
                e.title,
                e.author,
                e.published or e.updated or seen,
                e.updated,
                e.summary,
                e.text,
                content_hash(e),
                seen,
                seen,
            )
            for e in entries
        )
        count = "SELECT count(*) FROM stories WHERE feed_id = ?"
        with self.transaction():
            before = self.conn.execute(count, (feed_id,)).fetchone()[0]
            self.conn.executemany(
                """INSERT OR IGNORE INTO stories (feed_id, uid, url, title, author, published,
                       updated, summary, text, content_hash, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                rows,
            )
            after = self.conn.execute(count, (feed_id,)).fetchone()[0]
        return int(after - before)

    def tag_stories(self, story_ids: Iterable[int], name: str, source: TagSource = "user") -> int:
        """Put one tag on many stories at once (kept where the user removed it or set it
        already). Returns how many stories gained the tag."""
        name = name.strip()
        if not name:
            raise ValueError("a tag needs a name")
        created = now_iso()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO tags (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, created),
            )
            tag_id = self.conn.execute(
                "SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)
            ).fetchone()[0]
            before = self.conn.total_changes
            self.conn.executemany(
                """INSERT OR IGNORE INTO story_tags (story_id, tag_id, source, score, created)
                   SELECT ?, ?, ?, NULL, ? WHERE NOT EXISTS (SELECT 1 FROM story_tag_removals
                       WHERE story_id = ? AND tag_id = ?)""",
                ((sid, tag_id, source, created, sid, tag_id) for sid in story_ids),
            )
            return self.conn.total_changes - before
