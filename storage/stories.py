"""Stories: ingest upserts, reading, listing and the reader's marks (read, saved)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable

from storage._base import LibraryBase, chunks, from_row, now_iso, split_names
from storage.anchors import reanchor
from storage.models import Entry, Highlight, Note, Quote, Story, StoryRow, TagInfo, UpsertResult
from storage.search import TAGGED, Compiled, compile_query

BROAD_MATCH = 2000
"""From this many matching stories, a text search pages along the date index instead."""
ROW_CHECKS = 1000
"""Most stories a page of a dense text search checks one by one (see _text_plan)."""


class StoryNotFound(Exception):
    pass


def content_hash(entry: Entry) -> str:
    h = hashlib.sha1()
    for part in (entry.title, entry.url or "", entry.author or "", entry.summary, entry.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


_COLUMNS = (
    "feed_id, uid, url, title, author, published, updated, summary, text, content_hash, "
    "first_seen, last_seen"
)
_COLUMN_NAMES = tuple(_COLUMNS.split(", "))
# What an updated story takes from the feed (identity and first_seen stay).
_CHANGED = tuple(c for c in _COLUMN_NAMES if c not in ("feed_id", "uid", "first_seen"))
_CHANGED_SET = ", ".join(f"{c} = ?" for c in _CHANGED)
_STAGE = "temp.byline_new_stories"


def new_story_values(
    feed_id: int, entry: Entry, published: str, digest: str, seen: str
) -> tuple[object, ...]:
    """A new story's values in _COLUMNS order."""
    return (
        feed_id,
        entry.uid,
        entry.url,
        entry.title,
        entry.author,
        published,
        entry.updated,
        entry.summary,
        entry.text,
        digest,
        seen,
        seen,
    )


def insert_fresh(
    conn: sqlite3.Connection, rows: list[tuple[object, ...]], ignore: bool = False
) -> list[int]:
    """Insert new stories (rows of new_story_values) with ONE statement, returning their ids
    in row order (with `ignore`, rows whose uid is stored already are skipped and left out).

    Inserting story by story, the FTS trigger indexes each in its own statement, and FTS5
    writes its pending index data out per statement: many tiny segments to merge. Staged in
    a temporary table and copied in one INSERT ... SELECT, the 6,554 stories of the 200 real
    feeds (one feed per call) stored in 1.3 s instead of 2.2 s."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (n INTEGER PRIMARY KEY, {_COLUMNS})")
    conn.execute(f"DELETE FROM {_STAGE}")  # left over only from a failed call
    conn.executemany(f"INSERT INTO {_STAGE} ({_COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    top = int(conn.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0])
    conn.execute(f"{verb} INTO stories ({_COLUMNS}) SELECT {_COLUMNS} FROM {_STAGE} ORDER BY n")
    ids = [
        int(r[0])
        for r in conn.execute(
            f"SELECT s.id FROM {_STAGE} AS t JOIN stories s "
            "ON s.feed_id = t.feed_id AND s.uid = t.uid WHERE s.id > ? ORDER BY t.n",
            (top,),
        )
    ]
    conn.execute(f"DELETE FROM {_STAGE}")
    return ids


LIST_COLUMNS = """
    s.id, s.feed_id, coalesce(f.title, f.url) AS feed_title, s.title, s.url, s.author,
    s.published, s.read, s.saved,
    (SELECT group_concat(t.name, char(31)) FROM story_tags st JOIN tags t ON t.id = st.tag_id
        WHERE st.story_id = s.id AND st.source != 'suggested') AS tag_list,
    (EXISTS (SELECT 1 FROM notes n WHERE n.story_id = s.id) OR EXISTS
        (SELECT 1 FROM highlights h WHERE h.story_id = s.id AND h.kind = 'user')) AS annotated
"""


class StoriesMixin(LibraryBase):
    # -- ingest ---------------------------------------------------------------------------
    def upsert_entries(self, feed_id: int, entries: Iterable[Entry]) -> UpsertResult:
        """Store a feed's entries in one transaction. A changed story is updated in place;
        read/saved marks, tags, notes and user highlights are kept (highlights re-anchored)."""
        entries = list(entries)
        uids = [e.uid for e in entries]
        if len(set(uids)) != len(uids):
            # A uid repeated in one batch updates the story its first copy stored: row by row.
            return self._upsert_one_by_one(feed_id, entries)
        result = UpsertResult()
        seen = now_iso()
        with self.transaction():
            known = self._stored_hashes(feed_id, uids)
            fresh = []
            for entry in entries:
                digest = content_hash(entry)
                published = entry.published or entry.updated or seen
                row = known.get(entry.uid)
                if row is None:
                    fresh.append(new_story_values(feed_id, entry, published, digest, seen))
                elif row[1] != digest:
                    self._update_story(row[0], entry, published, digest, seen)
                    result.updated.append(row[0])
                else:
                    self.conn.execute(
                        "UPDATE stories SET last_seen = ? WHERE id = ?", (seen, row[0])
                    )
                    result.unchanged += 1
            if fresh:
                result.new = insert_fresh(self.conn, fresh)
        return result

    def _stored_hashes(self, feed_id: int, uids: list[str]) -> dict[str, tuple[int, str]]:
        """(id, content hash) of this feed's stories among `uids`."""
        known: dict[str, tuple[int, str]] = {}
        for chunk in chunks(uids):
            for r in self.conn.execute(
                "SELECT uid, id, content_hash FROM stories WHERE feed_id = ? "
                f"AND uid IN ({','.join('?' * len(chunk))})",
                [feed_id, *chunk],
            ):
                known[r[0]] = (int(r[1]), r[2])
        return known

    def _update_story(
        self, story_id: int, entry: Entry, published: str, digest: str, seen: str
    ) -> None:
        # The same values a new story gets, less its identity and first sighting; a changed
        # story is analysed again.
        row = new_story_values(0, entry, published, digest, seen)
        values = dict(zip(_COLUMN_NAMES, row, strict=True))
        self.conn.execute(
            f"UPDATE stories SET {_CHANGED_SET}, analysis_version = 0 WHERE id = ?",
            [*(values[c] for c in _CHANGED), story_id],
        )
        self._reanchor_user_highlights(story_id, entry.text)

    def _upsert_one_by_one(self, feed_id: int, entries: list[Entry]) -> UpsertResult:
        result = UpsertResult()
        seen = now_iso()
        with self.transaction():
            for entry in entries:
                digest = content_hash(entry)
                row = self._one(
                    "SELECT id, content_hash FROM stories WHERE feed_id = ? AND uid = ?",
                    (feed_id, entry.uid),
                )
                published = entry.published or entry.updated or seen
                if row is None:
                    values = new_story_values(feed_id, entry, published, digest, seen)
                    cur = self.conn.execute(
                        f"INSERT INTO stories ({_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                        values,
                    )
                    result.new.append(int(cur.lastrowid or 0))
                elif row["content_hash"] != digest:
                    story_id = int(row["id"])
                    self._update_story(story_id, entry, published, digest, seen)
                    result.updated.append(story_id)
                else:
                    self.conn.execute(
                        "UPDATE stories SET last_seen = ? WHERE id = ?", (seen, row["id"])
                    )
                    result.unchanged += 1
        return result

    def _reanchor_user_highlights(self, story_id: int, text: str) -> None:
        for h in self._rows(
            "SELECT id, start, text, prefix, suffix FROM highlights "
            "WHERE story_id = ? AND kind = 'user'",
            (story_id,),
        ):
            where = reanchor(text, h["text"], h["prefix"], h["suffix"], h["start"])
            start, end = where if where else (-1, -1)
            self.conn.execute(
                'UPDATE highlights SET start = ?, "end" = ? WHERE id = ?', (start, end, h["id"])
            )

    def set_story_text(self, story_id: int, text: str) -> None:
        """Replace a story's body (full text fetched, a highlight block taken out)."""
        with self.transaction():
            self.conn.execute("UPDATE stories SET text = ? WHERE id = ?", (text, story_id))
            self._reanchor_user_highlights(story_id, text)

    # -- reading --------------------------------------------------------------------------
    def get_story(self, story_id: int) -> Story:
        row = self._one(
            """SELECT s.*, coalesce(f.title, f.url) AS feed_title FROM stories s
               JOIN feeds f ON f.id = s.feed_id WHERE s.id = ?""",
            (story_id,),
        )
        if row is None:
            raise StoryNotFound(f"no story with id {story_id}")
        return from_row(
            Story,
            row,
            tags=self.story_tags(story_id),
            highlights=self.highlights(story_id),
            quotes=self.quotes(story_id),
            notes=self.notes(story_id),
        )

    def story_tags(self, story_id: int) -> list[TagInfo]:
        return [
            TagInfo(r["name"], r["source"], r["score"])
            for r in self._rows(
                """SELECT t.name, st.source, st.score FROM story_tags st
                   JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ?
                   ORDER BY st.source = 'suggested', lower(t.name)""",
                (story_id,),
            )
        ]

    def highlights(self, story_id: int) -> list[Highlight]:
        return [
            from_row(Highlight, r)
            for r in self._rows(
                "SELECT * FROM highlights WHERE story_id = ? ORDER BY start < 0, start, id",
                (story_id,),
            )
        ]

    def quotes(self, story_id: int) -> list[Quote]:
        return [
            from_row(Quote, r)
            for r in self._rows(
                "SELECT * FROM quotes WHERE story_id = ? ORDER BY start", (story_id,)
            )
        ]

    def notes(self, story_id: int) -> list[Note]:
        return [
            from_row(Note, r)
            for r in self._rows("SELECT * FROM notes WHERE story_id = ? ORDER BY id", (story_id,))
        ]

    # -- listing --------------------------------------------------------------------------
    def _story_filter(
        self,
        query: str | None,
        tags: Iterable[str],
        saved: bool,
        unread: bool,
        feed_id: int | None,
    ) -> tuple[str, list[object]]:
        return self._compiled_filter(query, tags, saved, unread, feed_id).sql()

    def _compiled_filter(
        self,
        query: str | None,
        tags: Iterable[str],
        saved: bool,
        unread: bool,
        feed_id: int | None,
    ) -> Compiled:
        compiled = compile_query(query or "")
        for tag in tags:
            compiled.where.append(TAGGED)
            compiled.params.append(tag)
        if saved:
            compiled.where.append("s.saved = 1")
        if unread:
            compiled.where.append("s.read = 0")
        if feed_id is not None:
            compiled.where.append("s.feed_id = ?")
            compiled.params.append(feed_id)
        return compiled

    def list_stories(
        self,
        *,
        query: str | None = None,
        tags: Iterable[str] = (),
        saved: bool = False,
        unread: bool = False,
        feed_id: int | None = None,
        limit: int | None = 50,
        offset: int = 0,
        collapse_duplicates: bool = False,
        after: tuple[str, int] | None = None,
    ) -> list[StoryRow]:
        """Stories newest first. `collapse_duplicates` lists one story per duplicate cluster
        (the oldest one the filter matches); `after` is the (published, id) of the last row of
        the previous page: keyset paging, which costs the same deep in the list as on top."""
        compiled = self._compiled_filter(query, tags, saved, unread, feed_id)
        where, params = compiled.sql()
        hint = ""
        if compiled.match and not compiled.where:
            plan = self._text_plan(compiled.match, offset + (limit or 10**9))
            if plan != "sort":
                # A common word matches thousands of stories: walk the date index until the
                # page is full rather than fetch and sort every match (bench/scale.py).
                hint = "INDEXED BY stories_published"
            if plan == "rows":
                # Dense enough to ask the index about each story in date order, which spares
                # building the list of every match.
                where = (
                    "EXISTS (SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? "
                    "AND stories_fts.rowid = s.id)"
                )
        if collapse_duplicates:
            where, params = _collapsed(where, params)
        if after is not None:
            where = f"({where}) AND (s.published, s.id) < (?, ?)"
            params = [*params, after[0], after[1]]
        # The page's ids first, then its columns: the per-row subqueries of LIST_COLUMNS run
        # for the rows shown, never for every match before the sort.
        sql = (
            f"SELECT {LIST_COLUMNS} FROM (SELECT s.id FROM stories s {hint} WHERE {where} "
            f"ORDER BY s.published DESC, s.id DESC LIMIT ? OFFSET ?) AS page "
            f"JOIN stories s ON s.id = page.id JOIN feeds f ON f.id = s.feed_id "
            f"ORDER BY s.published DESC, s.id DESC"
        )
        rows = self.conn.execute(sql, [*params, -1 if limit is None else limit, offset])
        return [_row_to_story_row(r) for r in rows.fetchall()]

    def _text_plan(self, match: str, span: int) -> str:
        """How to page a text-only search whose page ends at `span`: "sort" the matches,
        walk the date "index" against the list of matches, or check the date-ordered "rows"
        one by one (each check costs about 10 µs, so only when matches are dense)."""
        top = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0])
        # Enough matches that ROW_CHECKS stories in date order hold the page.
        dense = span * top // ROW_CHECKS + 1
        cap = max(BROAD_MATCH, dense if "*" not in match else 0)
        sql = "SELECT count(*) FROM (SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? LIMIT ?)"
        hits = int(self.conn.execute(sql, (match, cap)).fetchone()[0])
        if "*" not in match and hits >= dense:  # a prefix expands again at every check
            return "rows"
        return "index" if hits >= BROAD_MATCH else "sort"

    def count_stories(
        self,
        *,
        query: str | None = None,
        tags: Iterable[str] = (),
        saved: bool = False,
        unread: bool = False,
        feed_id: int | None = None,
        collapse_duplicates: bool = False,
    ) -> int:
        compiled = self._compiled_filter(query, tags, saved, unread, feed_id)
        hidden = self._count_hidden_copies(compiled) if collapse_duplicates else 0
        if compiled.match and not compiled.where:
            # Text alone: the index knows how many stories match (triggers keep it in step)
            # without a lookup per story.
            sql = "SELECT count(*) FROM stories_fts WHERE stories_fts MATCH ?"
            return int(self.conn.execute(sql, (compiled.match,)).fetchone()[0]) - hidden
        where, params = compiled.sql()
        row = self.conn.execute(f"SELECT count(*) FROM stories s WHERE {where}", params).fetchone()
        return int(row[0]) - hidden

    def _count_hidden_copies(self, compiled: Compiled) -> int:
        """How many stories a collapsed list leaves out: counted from the few stories that
        have an older duplicate, so the total keeps its own fast paths."""
        where, params = compiled.sql()
        sql = (
            "SELECT count(*) FROM story_signatures b JOIN stories s ON s.id = b.story_id "
            f"WHERE b.story_id != b.cluster_id AND ({where}) AND "
            + _HAS_OLDER_COPY.format(where=where)
        )
        return int(self.conn.execute(sql, [*params, *params]).fetchone()[0])

    def story_ids(self, **filters: object) -> list[int]:
        return [r.id for r in self.list_stories(limit=None, **filters)]  # type: ignore[arg-type]

    # -- marks ----------------------------------------------------------------------------
    def _require_story(self, story_id: int) -> None:
        if self._one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
            raise StoryNotFound(f"no story with id {story_id}")

    def set_read(self, story_id: int, read: bool = True) -> None:
        self._require_story(story_id)
        with self.transaction():
            self.conn.execute("UPDATE stories SET read = ? WHERE id = ?", (int(read), story_id))

    def set_saved(self, story_id: int, saved: bool = True) -> None:
        self._require_story(story_id)
        with self.transaction():
            self.conn.execute(
                "UPDATE stories SET saved = ?, saved_at = CASE WHEN ? THEN ? END WHERE id = ?",
                (int(saved), int(saved), now_iso(), story_id),
            )

    def mark_all_read(self, *, feed_id: int | None = None, query: str | None = None) -> int:
        where, params = self._story_filter(query, (), False, True, feed_id)
        with self.transaction():
            cur = self.conn.execute(f"UPDATE stories AS s SET read = 1 WHERE {where}", params)
        return cur.rowcount

    # -- analysis -------------------------------------------------------------------------
    def stories_to_analyse(self, version: int, limit: int = 500) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM stories WHERE analysis_version < ? ORDER BY id LIMIT ?",
                (version, limit),
            )
        ]

    def store_quotes(self, story_id: int, quotes: Iterable[Quote]) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM quotes WHERE story_id = ?", (story_id,))
            self.conn.executemany(
                """INSERT INTO quotes (story_id, start, "end", text, speaker, speaker_title,
                       partial) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    (story_id, q.start, q.end, q.text, q.speaker, q.speaker_title, int(q.partial))
                    for q in quotes
                ],
            )

    def stories_by_link(
        self, feed_id: int, urls: Iterable[str]
    ) -> dict[str, list[tuple[str, str]]]:
        """(uid, title) of this feed's stories at each link: lets refresh recognise an item
        a feed re-publishes under a new guid on every fetch."""
        wanted = list(dict.fromkeys(u for u in urls if u))
        out: dict[str, list[tuple[str, str]]] = {}
        for chunk in chunks(wanted):
            for r in self.conn.execute(
                "SELECT uid, url, title FROM stories WHERE feed_id = ? "
                f"AND url IN ({','.join('?' * len(chunk))})",
                [feed_id, *chunk],
            ):
                out.setdefault(r["url"], []).append((r["uid"], r["title"]))
        return out

    def story_texts(self, story_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Title and text of many stories at once (analysis reads bodies in bulk)."""
        out: dict[int, tuple[str, str]] = {}
        for chunk in chunks(list(story_ids)):
            for r in self.conn.execute(
                f"SELECT id, title, text FROM stories WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[int(r[0])] = (r[1] or "", r[2] or "")
        return out

    def set_analysis_version(self, story_id: int, version: int) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE stories SET analysis_version = ? WHERE id = ?", (version, story_id)
            )


# A duplicate cluster is labelled by its oldest story (cluster_id = its lowest story id), so
# only a story whose id differs from its label can have an older copy. `{where}` is the
# list's own filter applied to the copy: the story kept is the oldest one the list shows.
_HAS_OLDER_COPY = (
    "EXISTS (SELECT 1 FROM story_signatures a JOIN stories s ON s.id = a.story_id "
    "WHERE a.cluster_id = b.cluster_id AND a.story_id < b.story_id AND ({where}))"
)


def _collapsed(where: str, params: list[object]) -> tuple[str, list[object]]:
    """The filter, minus every story with an older duplicate that the filter also matches."""
    # Checked per listed story (one primary-key lookup for a story without copies), so a
    # page costs the same whatever the number of clusters; the older copy is matched
    # against the filter with its own `s`, which shadows the listed one.
    hidden = (
        "SELECT 1 FROM story_signatures b WHERE b.story_id = s.id "
        "AND b.story_id != b.cluster_id AND " + _HAS_OLDER_COPY.format(where=where)
    )
    return f"({where}) AND NOT EXISTS ({hidden})", [*params, *params]


def _row_to_story_row(r: sqlite3.Row) -> StoryRow:
    return from_row(StoryRow, r, tags=split_names(r["tag_list"]))
