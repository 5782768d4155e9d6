"""Bulk writes for large imports and benchmark libraries: many new stories in one statement.

`upsert_entries` looks every story up before writing it, which an update needs; a feed that is
known to be new (an import, a generated library) can skip the lookups and let SQLite insert
the rows in one statement. The FTS triggers still run, so the stories are searchable.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage._base import LibraryBase, now_iso
from storage.models import Entry, TagSource
from storage.stories import content_hash, insert_fresh, new_story_values


class BulkMixin(LibraryBase):
    def insert_new_entries(self, feed_id: int, entries: Iterable[Entry]) -> int:
        """Insert a feed's entries that are not stored yet, in one transaction, without the
        per-story lookup of `upsert_entries` (an entry whose uid is already stored is left as
        it is). Returns how many stories were inserted."""
        seen = now_iso()
        rows = [
            new_story_values(feed_id, e, e.published or e.updated or seen, content_hash(e), seen)
            for e in entries
        ]
        with self.transaction():
            # One statement for all (see insert_fresh); a uid given twice counts once.
            return len(set(insert_fresh(self.conn, rows, ignore=True)))

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
