"""Moving a library's contents out and back in (the JSON export), keeping what local ids
cannot carry: timestamps, tag sources, removals, and highlights re-found by their anchor.

Every `merge_*` method is idempotent: merging the same record twice changes nothing, so an
import can be repeated or run into a library that already holds part of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage._base import LibraryBase, now_iso
from storage.anchors import reanchor
from storage.models import Entry, HighlightKind, TagSource
from storage.stories import content_hash

_TAG_RANK = {"suggested": 0, "learned": 1, "rule": 2, "user": 3}


@dataclass(slots=True)
class TagRecord:
    name: str
    rule: str | None
    created: str


@dataclass(slots=True)
class StoryExtras:
    """What the Story record leaves out but a lossless export keeps."""

    saved_at: str | None = None
    tag_created: dict[str, str] = field(default_factory=dict)
    removed_tags: list[tuple[str, str]] = field(default_factory=list)  # (name, when)


class TransferMixin(LibraryBase):
    # -- reading --------------------------------------------------------------------------
    def tag_records(self) -> list[TagRecord]:
        return [
            TagRecord(r["name"], r["rule"], r["created"])
            for r in self._rows("SELECT name, rule, created FROM tags ORDER BY lower(name), name")
        ]

    def story_extras(self, story_id: int) -> StoryExtras:
        row = self._one("SELECT saved_at FROM stories WHERE id = ?", (story_id,))
        extras = StoryExtras(saved_at=row["saved_at"] if row else None)
        for r in self._rows(
            "SELECT t.name, st.created FROM story_tags st JOIN tags t ON t.id = st.tag_id "
            "WHERE st.story_id = ?",
            (story_id,),
        ):
            extras.tag_created[r["name"]] = r["created"]
        extras.removed_tags = [
            (r["name"], r["created"])
            for r in self._rows(
                "SELECT t.name, r.created FROM story_tag_removals r JOIN tags t ON t.id = r.tag_id "
                "WHERE r.story_id = ? ORDER BY lower(t.name)",
                (story_id,),
            )
        ]
        return extras

    # -- merging (call inside one `transaction()` so a bad file leaves nothing behind) ----
    def merge_feed(
        self,
        url: str,
        *,
        title: str | None,
        site_url: str | None,
        folder: str | None,
        tags: list[str],
        added: str | None,
    ) -> tuple[int, bool]:
        """The feed with this URL, created if missing; local titles and folders win."""
        with self.transaction():
            row = self._one("SELECT id FROM feeds WHERE url = ?", (url,))
            created = row is None
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO feeds (url, title, site_url, folder, added) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (url, title, site_url, folder, added or now_iso()),
                )
                feed_id = int(cur.lastrowid or 0)
            else:
                feed_id = int(row["id"])
                self.conn.execute(
                    "UPDATE feeds SET title = coalesce(title, ?), site_url = coalesce(site_url, ?),"
                    " folder = coalesce(folder, ?) WHERE id = ?",
                    (title, site_url, folder, feed_id),
                )
            for tag in tags:
                self.conn.execute(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, name) VALUES (?, ?)", (feed_id, tag)
                )
        return feed_id, created

    def merge_tag(self, name: str, *, rule: str | None, created: str | None) -> bool:
        """Create the tag if missing; a rule fills an empty local rule, never replaces one."""
        with self.transaction():
            row = self._one("SELECT id, rule FROM tags WHERE name = ? COLLATE NOCASE", (name,))
            if row is None:
                self.conn.execute(
                    "INSERT INTO tags (name, rule, created) VALUES (?, ?, ?)",
                    (name, rule, created or now_iso()),
                )
                return True
            if rule and not row["rule"]:
                self.conn.execute("UPDATE tags SET rule = ? WHERE id = ?", (rule, row["id"]))
        return False

    def merge_story(
        self,
        feed_id: int,
        entry: Entry,
        *,
        read: bool,
        saved: bool,
        saved_at: str | None,
        analysis_version: int,
    ) -> tuple[int, bool]:
        """The story (feed, uid), created if missing. A story already here keeps its text;
        read and saved marks are joined (either library's mark wins)."""
        with self.transaction():
            row = self._one(
                "SELECT id, read, saved FROM stories WHERE feed_id = ? AND uid = ?",
                (feed_id, entry.uid),
            )
            if row is None:
                seen = now_iso()
                cur = self.conn.execute(
                    """INSERT INTO stories (feed_id, uid, url, title, author, published, updated,
                           summary, text, content_hash, first_seen, last_seen, read, saved,
                           saved_at, analysis_version)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        feed_id,
                        entry.uid,
                        entry.url,
                        entry.title,
                        entry.author,
                        entry.published or seen,
                        entry.updated,
                        entry.summary,
                        entry.text,
                        content_hash(entry),
                        seen,
                        seen,
                        int(read),
                        int(saved),
                        saved_at if saved else None,
                        analysis_version,
                    ),
                )
                return int(cur.lastrowid or 0), True
            story_id = int(row["id"])
            if read and not row["read"]:
                self.conn.execute("UPDATE stories SET read = 1 WHERE id = ?", (story_id,))
            if saved and not row["saved"]:
                self.conn.execute(
                    "UPDATE stories SET saved = 1, saved_at = ? WHERE id = ?",
                    (saved_at or now_iso(), story_id),
                )
        return story_id, False

    def merge_story_tag(
        self,
        story_id: int,
        name: str,
        *,
        source: TagSource,
        score: float | None,
        created: str | None,
    ) -> bool:
        """Tag a story as the other library had it, unless the user here removed that tag
        (automatic sources only) or a stronger source already set it."""
        with self.transaction():
            tag_id = self._tag_id_creating(name)
            if source != "user" and self._one(
                "SELECT 1 FROM story_tag_removals WHERE story_id = ? AND tag_id = ?",
                (story_id, tag_id),
            ):
                return False
            current = self._one(
                "SELECT source FROM story_tags WHERE story_id = ? AND tag_id = ?",
                (story_id, tag_id),
            )
            if current is not None and _TAG_RANK[current["source"]] >= _TAG_RANK[source]:
                return False
            self.conn.execute(
                """INSERT INTO story_tags (story_id, tag_id, source, score, created)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (story_id, tag_id) DO UPDATE SET source = excluded.source,
                       score = excluded.score""",
                (story_id, tag_id, source, score, created or now_iso()),
            )
            self.conn.execute(
                "DELETE FROM story_tag_removals WHERE story_id = ? AND tag_id = ?",
                (story_id, tag_id),
            )
        return True

    def merge_tag_removal(self, story_id: int, name: str, *, created: str | None) -> bool:
        """Remember that the user took this tag off, unless the story carries it here."""
        with self.transaction():
            tag_id = self._tag_id_creating(name)
            if self._one(
                "SELECT 1 FROM story_tags WHERE story_id = ? AND tag_id = ?", (story_id, tag_id)
            ):
                return False
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO story_tag_removals (story_id, tag_id, created) "
                "VALUES (?, ?, ?)",
                (story_id, tag_id, created or now_iso()),
            )
        return cur.rowcount > 0

    def merge_highlight(
        self,
        story_id: int,
        *,
        start: int,
        exact: str,
        prefix: str,
        suffix: str,
        kind: HighlightKind,
        note: str | None,
        created: str | None,
    ) -> tuple[int, bool]:
        """The highlight with this anchor (kind, exact text, prefix, suffix), created if
        missing and placed by its anchor in the story's text as it is here."""
        with self.transaction():
            row = self._one(
                "SELECT id, note FROM highlights WHERE story_id = ? AND kind = ? AND text = ? "
                "AND prefix = ? AND suffix = ?",
                (story_id, kind, exact, prefix, suffix),
            )
            if row is not None:
                if note and not row["note"]:
                    self.conn.execute(
                        "UPDATE highlights SET note = ? WHERE id = ?", (note, row["id"])
                    )
                return int(row["id"]), False
            story = self._one("SELECT text FROM stories WHERE id = ?", (story_id,))
            text: str = story["text"] if story else ""
            where = reanchor(text, exact, prefix, suffix, start)
            begin, end = where if where else (-1, -1)
            cur = self.conn.execute(
                """INSERT INTO highlights (story_id, start, "end", text, prefix, suffix, kind,
                       note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (story_id, begin, end, exact, prefix, suffix, kind, note, created or now_iso()),
            )
        return int(cur.lastrowid or 0), True

    def merge_note(
        self,
        story_id: int,
        body: str,
        *,
        created: str,
        updated: str | None,
        highlight_id: int | None = None,
    ) -> bool:
        """Add the note unless this story already has one with the same body and time."""
        with self.transaction():
            if self._one(
                "SELECT 1 FROM notes WHERE story_id = ? AND body = ? AND created = ?",
                (story_id, body, created),
            ):
                return False
            self.conn.execute(
                "INSERT INTO notes (story_id, highlight_id, body, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, highlight_id, body, created, updated or created),
            )
        return True

    def merge_quote(
        self,
        story_id: int,
        *,
        start: int,
        end: int,
        text: str,
        speaker: str | None,
        speaker_title: str | None,
        partial: bool,
    ) -> bool:
        with self.transaction():
            if self._one(
                'SELECT 1 FROM quotes WHERE story_id = ? AND start = ? AND "end" = ? AND text = ?',
                (story_id, start, end, text),
            ):
                return False
            self.conn.execute(
                """INSERT INTO quotes (story_id, start, "end", text, speaker, speaker_title,
                       partial) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (story_id, start, end, text, speaker, speaker_title, int(partial)),
            )
        return True

    def _tag_id_creating(self, name: str) -> int:
        row = self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))
        if row is not None:
            return int(row["id"])
        cur = self.conn.execute(
            "INSERT INTO tags (name, rule, created) VALUES (?, NULL, ?)", (name, now_iso())
        )
        return int(cur.lastrowid or 0)
