"""What the user makes: highlights (with re-anchoring context) and notes."""

from __future__ import annotations

from collections.abc import Iterable

from storage._base import LibraryBase, now_iso
from storage.anchors import context_of
from storage.models import HighlightKind


class AnnotationError(ValueError):
    pass


class AnnotationsMixin(LibraryBase):
    def add_highlight(
        self,
        story_id: int,
        start: int,
        end: int,
        *,
        kind: HighlightKind = "user",
        note: str | None = None,
    ) -> int:
        row = self._one("SELECT text FROM stories WHERE id = ?", (story_id,))
        if row is None:
            raise AnnotationError(f"no story with id {story_id}")
        text: str = row["text"]
        if not (0 <= start < end <= len(text)):
            raise AnnotationError(f"offsets {start}..{end} fall outside the story's text")
        exact, prefix, suffix = context_of(text, start, end)
        with self.transaction():
            cur = self.conn.execute(
                """INSERT INTO highlights (story_id, start, "end", text, prefix, suffix, kind,
                       note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (story_id, start, end, exact, prefix, suffix, kind, note, now_iso()),
            )
        return int(cur.lastrowid or 0)

    def replace_generated_highlights(
        self, story_id: int, spans: Iterable[tuple[int, int, HighlightKind]]
    ) -> None:
        """Swap the publisher/summary highlights analysis made; user highlights stay."""
        row = self._one("SELECT text FROM stories WHERE id = ?", (story_id,))
        if row is None:
            return
        text: str = row["text"]
        with self.transaction():
            self.conn.execute(
                "DELETE FROM highlights WHERE story_id = ? AND kind != 'user'", (story_id,)
            )
            for start, end, kind in spans:
                exact, prefix, suffix = context_of(text, start, end)
                self.conn.execute(
                    """INSERT INTO highlights (story_id, start, "end", text, prefix, suffix,
                           kind, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (story_id, start, end, exact, prefix, suffix, kind, now_iso()),
                )

    def replace_generated_highlights_labelled(
        self, story_id: int, spans: Iterable[tuple[int, int, HighlightKind, str | None]]
    ) -> None:
        """Like replace_generated_highlights, but a span may carry its own words: a publisher
        bullet taken out of the body keeps its wording and points at the passage it sums up."""
        row = self._one("SELECT text FROM stories WHERE id = ?", (story_id,))
        if row is None:
            return
        text: str = row["text"]
        with self.transaction():
            self.conn.execute(
                "DELETE FROM highlights WHERE story_id = ? AND kind != 'user'", (story_id,)
            )
            for start, end, kind, label in spans:
                exact, prefix, suffix = context_of(text, start, end)
                self.conn.execute(
                    """INSERT INTO highlights (story_id, start, "end", text, prefix, suffix,
                           kind, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (story_id, start, end, label or exact, prefix, suffix, kind, now_iso()),
                )

    def delete_highlight(self, highlight_id: int) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))

    def set_highlight_note(self, highlight_id: int, note: str | None) -> None:
        with self.transaction():
            cur = self.conn.execute(
                "UPDATE highlights SET note = ? WHERE id = ?", (note or None, highlight_id)
            )
        if cur.rowcount == 0:
            raise AnnotationError(f"no highlight with id {highlight_id}")

    def add_note(self, story_id: int, body: str, highlight_id: int | None = None) -> int:
        if self._one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
            raise AnnotationError(f"no story with id {story_id}")
        if (
            highlight_id is not None
            and self._one(
                "SELECT 1 FROM highlights WHERE id = ? AND story_id = ?", (highlight_id, story_id)
            )
            is None
        ):
            raise AnnotationError(f"story {story_id} has no highlight {highlight_id}")
        stamp = now_iso()
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO notes (story_id, highlight_id, body, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, highlight_id, body, stamp, stamp),
            )
        return int(cur.lastrowid or 0)

    def update_note(self, note_id: int, body: str) -> None:
        with self.transaction():
            if body.strip():
                self.conn.execute(
                    "UPDATE notes SET body = ?, updated = ? WHERE id = ?",
                    (body, now_iso(), note_id),
                )
            else:
                self.conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
