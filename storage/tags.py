"""Tags and topics. A topic is a tag with a rule; story tags remember where they came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage._base import LibraryBase, now_iso
from storage.models import TagSource


@dataclass(slots=True)
class TagSummary:
    name: str
    rule: str | None
    story_count: int
    unread_count: int
    suggested_count: int = 0


class TagNotFound(Exception):
    pass


class TagsMixin(LibraryBase):
    def ensure_tag(self, name: str, rule: str | None = None) -> int:
        name = name.strip()
        if not name:
            raise ValueError("a tag needs a name")
        with self.transaction():
            row = self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))
            if row is not None:
                if rule is not None:
                    self.conn.execute("UPDATE tags SET rule = ? WHERE id = ?", (rule, row["id"]))
                return int(row["id"])
            cur = self.conn.execute(
                "INSERT INTO tags (name, rule, created) VALUES (?, ?, ?)", (name, rule, now_iso())
            )
            return int(cur.lastrowid or 0)

    def tag_id(self, name: str) -> int | None:
        row = self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))
        return None if row is None else int(row["id"])

    def tag_story(
        self, story_id: int, name: str, source: TagSource = "user", score: float | None = None
    ) -> bool:
        """Put a tag on a story. Automation (rule, learned, suggested) never re-adds a tag the
        user removed and never downgrades one the user set. Returns whether anything changed."""
        with self.transaction():
            tag_id = self.ensure_tag(name)
            if source == "user":
                self.conn.execute(
                    "DELETE FROM story_tag_removals WHERE story_id = ? AND tag_id = ?",
                    (story_id, tag_id),
                )
            elif self._one(
                "SELECT 1 FROM story_tag_removals WHERE story_id = ? AND tag_id = ?",
                (story_id, tag_id),
            ):
                return False
            current = self._one(
                "SELECT source FROM story_tags WHERE story_id = ? AND tag_id = ?",
                (story_id, tag_id),
            )
            rank = {"suggested": 0, "learned": 1, "rule": 2, "user": 3}
            if current is not None and rank[current["source"]] > rank[source]:
                return False
            self.conn.execute(
                """INSERT INTO story_tags (story_id, tag_id, source, score, created)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (story_id, tag_id) DO UPDATE SET source = excluded.source,
                       score = excluded.score""",
                (story_id, tag_id, source, score, now_iso()),
            )
            return True

    def untag_story(self, story_id: int, name: str) -> bool:
        """Take a tag off (by the user): remembered, so automation never puts it back."""
        tag_id = self.tag_id(name)
        if tag_id is None:
            return False
        with self.transaction():
            cur = self.conn.execute(
                "DELETE FROM story_tags WHERE story_id = ? AND tag_id = ?", (story_id, tag_id)
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO story_tag_removals (story_id, tag_id, created) "
                "VALUES (?, ?, ?)",
                (story_id, tag_id, now_iso()),
            )
        return cur.rowcount > 0

    def clear_automatic_tags(self, story_id: int, sources: Iterable[TagSource]) -> None:
        sources = list(sources)
        with self.transaction():
            self.conn.execute(
                f"DELETE FROM story_tags WHERE story_id = ? AND source IN "
                f"({','.join('?' * len(sources))})",
                [story_id, *sources],
            )

    def tag_summaries(self) -> list[TagSummary]:
        return [
            TagSummary(r["name"], r["rule"], r["n"], r["unread"], r["suggested"])
            for r in self._rows(
                """SELECT t.name, t.rule,
                       count(s.id) FILTER (WHERE st.source != 'suggested') AS n,
                       count(s.id) FILTER (WHERE st.source != 'suggested' AND s.read = 0)
                           AS unread,
                       count(s.id) FILTER (WHERE st.source = 'suggested') AS suggested
                   FROM tags t LEFT JOIN story_tags st ON st.tag_id = t.id
                   LEFT JOIN stories s ON s.id = st.story_id
                   GROUP BY t.id ORDER BY t.rule IS NULL, lower(t.name)"""
            )
        ]

    def topics(self) -> list[TagSummary]:
        return [t for t in self.tag_summaries() if t.rule]

    def topic_names(self) -> set[str]:
        """Tags that are topics: those with a rule, those the analysis puts on stories (by rule
        or learned), and suggestions the user accepted (a user tag that kept its score)."""
        return {
            r[0]
            for r in self.conn.execute(
                """SELECT DISTINCT t.name FROM tags t
                   LEFT JOIN story_tags st ON st.tag_id = t.id
                   WHERE coalesce(t.rule, '') != '' OR st.source IN ('rule', 'learned')
                      OR (st.source = 'user' AND st.score IS NOT NULL)"""
            )
        }

    def set_topic_rule(self, name: str, rule: str | None) -> int:
        return self.ensure_tag(name, rule=rule if rule else "")

    def remove_tag(self, name: str) -> None:
        tag_id = self.tag_id(name)
        if tag_id is None:
            raise TagNotFound(f"no tag or topic named {name!r}")
        with self.transaction():
            self.conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))

    def stories_tagged(self, name: str, sources: Iterable[TagSource] = ("user",)) -> list[int]:
        sources = list(sources)
        return [
            r[0]
            for r in self.conn.execute(
                f"""SELECT st.story_id FROM story_tags st JOIN tags t ON t.id = st.tag_id
                    WHERE t.name = ? COLLATE NOCASE AND st.source IN
                    ({",".join("?" * len(sources))}) ORDER BY st.story_id""",
                [name, *sources],
            )
        ]

    def removed_tag_story_ids(self, name: str) -> set[int]:
        return {
            r[0]
            for r in self.conn.execute(
                """SELECT r.story_id FROM story_tag_removals r JOIN tags t ON t.id = r.tag_id
                   WHERE t.name = ? COLLATE NOCASE""",
                (name,),
            )
        }
