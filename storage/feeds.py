"""Feeds: subscribe, unsubscribe, list, and record how each fetch went."""

from __future__ import annotations

import sqlite3

from storage._base import LibraryBase, from_row, now_iso, split_names
from storage.models import Feed


class FeedExists(Exception):
    pass


class FeedNotFound(Exception):
    pass


class FeedsMixin(LibraryBase):
    def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        folder: str | None = None,
        tags: list[str] | tuple[str, ...] = (),
        site_url: str | None = None,
        exist_ok: bool = False,
    ) -> Feed:
        with self.transaction():
            existing = self._one("SELECT id FROM feeds WHERE url = ?", (url,))
            if existing is not None:
                if not exist_ok:
                    raise FeedExists(f"already subscribed to {url}")
                feed_id = int(existing["id"])
                if title:
                    self.conn.execute(
                        "UPDATE feeds SET title = ?, title_from_user = 1 "
                        "WHERE id = ? AND (title IS NULL OR NOT title_from_user)",
                        (title, feed_id),
                    )
            else:
                cur = self.conn.execute(
                    "INSERT INTO feeds (url, title, title_from_user, folder, site_url, added) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (url, title, int(bool(title)), folder, site_url, now_iso()),
                )
                feed_id = int(cur.lastrowid or 0)
            for tag in tags:
                self.conn.execute(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, name) VALUES (?, ?)", (feed_id, tag)
                )
        return self.get_feed(feed_id)

    def remove_feed(self, url_or_id: str | int) -> Feed:
        feed = self.find_feed(url_or_id)
        with self.transaction():
            self.conn.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
        return feed

    def find_feed(self, url_or_id: str | int) -> Feed:
        """A feed by id, exact URL, or (case-insensitive) exact title."""
        key = str(url_or_id)
        row = None
        if key.isdigit():
            row = self._one("SELECT id FROM feeds WHERE id = ?", (int(key),))
        if row is None:
            row = self._one("SELECT id FROM feeds WHERE url = ?", (key,))
        if row is None:
            row = self._one("SELECT id FROM feeds WHERE title = ? COLLATE NOCASE", (key,))
        if row is None:
            raise FeedNotFound(f"no feed matches {key!r}")
        return self.get_feed(int(row["id"]))

    def get_feed(self, feed_id: int) -> Feed:
        feeds = self.list_feeds(feed_ids=[feed_id])
        if not feeds:
            raise FeedNotFound(f"no feed with id {feed_id}")
        return feeds[0]

    def list_feeds(self, feed_ids: list[int] | None = None) -> list[Feed]:
        where = ""
        params: list[object] = []
        if feed_ids is not None:
            where = f"WHERE f.id IN ({','.join('?' * len(feed_ids))})"
            params = list(feed_ids)
        rows = self.conn.execute(
            f"""
            SELECT f.*,
                   (SELECT count(*) FROM stories s WHERE s.feed_id = f.id) AS story_count,
                   (SELECT count(*) FROM stories s WHERE s.feed_id = f.id AND s.read = 0)
                       AS unread_count,
                   (SELECT group_concat(name, char(31)) FROM
                       (SELECT name FROM feed_tags t WHERE t.feed_id = f.id ORDER BY name))
                       AS tag_list
            FROM feeds f {where}
            ORDER BY coalesce(f.folder, ''), lower(coalesce(f.title, f.url))
            """,
            params,
        ).fetchall()
        return [_feed_from_row(r) for r in rows]

    def update_feed_fetch(
        self,
        feed_id: int,
        *,
        status: str,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        keep_validators: bool = False,
        title: str | None = None,
        site_url: str | None = None,
        new_url: str | None = None,
    ) -> None:
        """Record one fetch: its status, error, validators and what the feed says of itself."""
        sets = ["last_status = ?", "last_error = ?", "last_fetched = ?"]
        params: list[object] = [status, error, now_iso()]
        if not keep_validators:
            sets += ["etag = ?", "last_modified = ?"]
            params += [etag, last_modified]
        if title:  # the feed's own title follows the feed; one the user gave stays
            sets.append("title = CASE WHEN title_from_user THEN title ELSE ? END")
            params.append(title)
        if site_url:
            sets.append("site_url = ?")
            params.append(site_url)
        if new_url:
            sets.append("url = ?")
            params.append(new_url)
        params.append(feed_id)
        with self.transaction():
            try:
                self.conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", params)
            except sqlite3.IntegrityError:
                # The permanent redirect points at a feed we already have: keep the old URL.
                sets.pop()
                params.pop(-2)
                self.conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", params)

    def set_feed_title(self, feed_id: int, title: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE feeds SET title = ?, title_from_user = 1 WHERE id = ?", (title, feed_id)
            )


def _feed_from_row(row: sqlite3.Row) -> Feed:
    return from_row(Feed, row, tags=split_names(row["tag_list"]))
