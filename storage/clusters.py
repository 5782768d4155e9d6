"""Duplicate clusters, near-duplicate signatures and the lookups behind related stories.

The signatures themselves are computed in `app.analysis.duplicates`; this module only stores
them and answers indexed questions (which stories share a band key, which stories share a
topic or a speaker, how rare a term is).
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage._base import LibraryBase, chunks


@dataclass(slots=True)
class StoryStub:
    """What a related-stories pane needs to name a story, without its body."""

    id: int
    title: str
    feed_title: str


# Below this many stories, asking the FTS5 vocabulary directly is fast enough.
SNAPSHOT_FROM = 3000
SNAPSHOT_DRIFT = 0.1
# The snapshot's own size is kept under the empty term, which the FTS5 tokenizer never makes.
_SNAPSHOT_SIZE = ""


def _pack_keys(keys: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(keys)}q", *keys)


def _unpack_keys(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 8}q", blob))


def _varint(blob: bytes) -> int | None:
    """An SQLite varint: big-endian 7-bit groups, the ninth byte whole."""
    value = 0
    for i, byte in enumerate(blob[:9]):
        if i == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return None


class ClustersMixin(LibraryBase):
    # -- near-duplicate signatures --------------------------------------------------------
    def store_signature(
        self, story_id: int, signature: bytes, band_keys: Sequence[int], version: int
    ) -> None:
        """Record a story's signature and band keys; it starts alone in its own cluster."""
        with self.transaction():
            self._leave_cluster(story_id)
            self.conn.execute(
                """INSERT INTO story_signatures (story_id, signature, bands, cluster_id, version)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (story_id) DO UPDATE SET signature = excluded.signature,
                       bands = excluded.bands, cluster_id = excluded.cluster_id,
                       version = excluded.version""",
                (story_id, signature, _pack_keys(band_keys), story_id, version),
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_bands (key, story_id) VALUES (?, ?)",
                [(key, story_id) for key in band_keys],
            )

    def clear_signature(self, story_id: int) -> None:
        """Forget a story's signature (its text became too short to compare)."""
        with self.transaction():
            self._leave_cluster(story_id)
            self.conn.execute("DELETE FROM story_signatures WHERE story_id = ?", (story_id,))

    def _leave_cluster(self, story_id: int) -> None:
        row = self._one("SELECT bands FROM story_signatures WHERE story_id = ?", (story_id,))
        if row is not None:
            self.conn.executemany(
                "DELETE FROM story_bands WHERE key = ? AND story_id = ?",
                [(key, story_id) for key in _unpack_keys(row["bands"])],
            )
        # The cluster is labelled by its first story: when that story leaves, the others
        # take the label of the next one, so the leaver never stays attached by its label.
        rest = self._one(
            "SELECT min(story_id) FROM story_signatures WHERE cluster_id = ? AND story_id != ?",
            (story_id, story_id),
        )
        if rest is not None and rest[0] is not None:
            self.conn.execute(
                "UPDATE story_signatures SET cluster_id = ? WHERE cluster_id = ? AND story_id != ?",
                (rest[0], story_id, story_id),
            )

    def signature_candidates(
        self, band_keys: Sequence[int], exclude: int
    ) -> list[tuple[int, bytes, int]]:
        """Stories of other feeds sharing at least one band key with `exclude`'s keys:
        (story id, signature, cluster id). Stories of the feed `exclude` belongs to are left
        out: a feed does not carry one story twice, while templated items ("X was newly added
        and is Supported") look alike enough to have made 547 stories of one feed one
        cluster, hidden behind a single row."""
        if not band_keys:
            return []
        marks = ",".join("?" * len(band_keys))
        rows = self.conn.execute(
            f"""SELECT DISTINCT b.story_id, s.signature, s.cluster_id, s.story_id IS NULL AS gone
                FROM story_bands b LEFT JOIN story_signatures s ON s.story_id = b.story_id
                LEFT JOIN stories o ON o.id = b.story_id
                WHERE b.key IN ({marks}) AND b.story_id != ?
                  AND o.feed_id IS NOT (SELECT feed_id FROM stories WHERE id = ?)""",
            [*band_keys, exclude, exclude],
        ).fetchall()
        gone = [r["story_id"] for r in rows if r["gone"]]
        if gone:
            # Keys left behind by deleted stories: purge the ones we tripped over.
            with self.transaction():
                self.conn.executemany(
                    f"DELETE FROM story_bands WHERE story_id = ? AND key IN ({marks})",
                    [(sid, *band_keys) for sid in gone],
                )
        return [(r["story_id"], r["signature"], r["cluster_id"]) for r in rows if not r["gone"]]

    def merge_clusters(self, story_id: int, cluster_ids: Iterable[int]) -> int:
        """Put `story_id` and every story of `cluster_ids` into one cluster; return its id."""
        ids = sorted({*cluster_ids, story_id})
        target = ids[0]
        with self.transaction():
            marks = ",".join("?" * len(ids))
            self.conn.execute(
                f"UPDATE story_signatures SET cluster_id = ? WHERE cluster_id IN ({marks}) "
                "OR story_id = ?",
                [target, *ids, story_id],
            )
        return target

    def cluster_members(self, story_id: int) -> list[int]:
        """The other stories in `story_id`'s duplicate cluster, oldest first."""
        return [
            r[0]
            for r in self.conn.execute(
                """SELECT m.story_id FROM story_signatures s
                   JOIN story_signatures m ON m.cluster_id = s.cluster_id
                   WHERE s.story_id = ? AND m.story_id != s.story_id ORDER BY m.story_id""",
                (story_id,),
            )
        ]

    def cluster_peers(self, story_ids: Sequence[int]) -> dict[int, list[int]]:
        """For each of `story_ids` that has duplicates, the other stories of its cluster
        (oldest first), in two indexed queries whatever the number of stories."""
        clusters: dict[int, int] = {}
        for chunk in chunks(story_ids):
            marks = ",".join("?" * len(chunk))
            for sid, cluster in self.conn.execute(
                f"SELECT story_id, cluster_id FROM story_signatures WHERE story_id IN ({marks})",
                list(chunk),
            ):
                clusters[sid] = cluster
        members: dict[int, list[int]] = {}
        labels = sorted(set(clusters.values()))
        for chunk in chunks(labels):
            marks = ",".join("?" * len(chunk))
            for sid, cluster in self.conn.execute(
                f"""SELECT story_id, cluster_id FROM story_signatures
                    WHERE cluster_id IN ({marks}) ORDER BY story_id""",
                list(chunk),
            ):
                members.setdefault(cluster, []).append(sid)
        return {
            sid: [m for m in members.get(cluster, []) if m != sid]
            for sid, cluster in clusters.items()
            if len(members.get(cluster, [])) > 1
        }

    def signature_version(self, story_id: int) -> int | None:
        row = self._one("SELECT version FROM story_signatures WHERE story_id = ?", (story_id,))
        return None if row is None else int(row["version"])

    # -- related-story lookups ------------------------------------------------------------
    def indexed_story_count(self) -> int:
        """How many stories the full-text index holds. Read from FTS5's own totals record
        (its first varint is the row count), because count(*) over 100k stories costs more
        than the whole related-story lookup may take."""
        row = self._one("SELECT block FROM stories_fts_data WHERE id = 1")
        if row is not None and row[0]:
            total = _varint(bytes(row[0]))
            if total is not None:
                return total
        row = self._one("SELECT count(*) FROM stories")
        return int(row[0]) if row else 0

    def term_document_counts(
        self, terms: Iterable[str], *, snapshot_from: int = SNAPSHOT_FROM, total: int | None = None
    ) -> dict[str, int]:
        """How many stories contain each term (absent terms are left out).

        Small libraries ask the FTS5 vocabulary directly. From `snapshot_from` stories on,
        counts come from the term_stats snapshot (re-taken when the library has changed size
        by more than a tenth); terms new since the snapshot are counted directly, which is
        cheap because they are rare."""
        terms = list(dict.fromkeys(terms))
        if total is None:
            total = self.indexed_story_count()
        if total < snapshot_from:
            return self._vocab_counts(terms)
        row = self._one("SELECT df FROM term_stats WHERE term = ?", (_SNAPSHOT_SIZE,))
        taken = int(row[0]) if row is not None else 0
        if abs(total - taken) > SNAPSHOT_DRIFT * max(taken, 1):
            try:
                self.refresh_term_stats()
            except sqlite3.OperationalError:
                # Another writer holds the library (a refresh): exact counts, slower, today.
                if row is None:
                    return self._vocab_counts(terms)
        counts: dict[str, int] = {}
        for chunk in chunks(terms):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT term, df FROM term_stats WHERE term IN ({marks})", list(chunk)
            ):
                counts[r[0]] = int(r[1])
        missing = [t for t in terms if t not in counts and t != _SNAPSHOT_SIZE]
        counts.update(self._vocab_counts(missing))
        return counts

    def _vocab_counts(self, terms: Sequence[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in chunks(terms):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT term, doc FROM stories_fts_vocab WHERE term IN ({marks})", list(chunk)
            ):
                counts[r[0]] = int(r[1])
        return counts

    def refresh_term_stats(self) -> None:
        """Take a new snapshot of the FTS5 vocabulary's document counts."""
        with self.transaction():
            self.conn.execute("DELETE FROM term_stats")
            self.conn.execute(
                "INSERT INTO term_stats (term, df) SELECT term, doc FROM stories_fts_vocab"
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO term_stats (term, df) SELECT ?, count(*) FROM stories",
                (_SNAPSHOT_SIZE,),
            )

    def fts_ranked(
        self,
        match: str,
        *,
        limit: int,
        only: Sequence[int] | None = None,
        weights: tuple[float, float, float] = (2.0, 0.0, 1.0),
    ) -> list[tuple[int, float]]:
        """Stories matching an FTS5 expression with their bm25 score, best first.

        bm25 is negated so that larger is better; `weights` are per column (title, author,
        text). `only` restricts the ranking to those story ids.
        """
        where = "stories_fts MATCH ?"
        params: list[object] = [*weights, match]
        if only is not None:
            if not only:
                return []
            where += f" AND rowid IN ({','.join('?' * len(only))})"
            params.extend(only)
        rows = self.conn.execute(
            f"SELECT rowid, -bm25(stories_fts, ?, ?, ?) AS score FROM stories_fts "
            f"WHERE {where} ORDER BY score DESC LIMIT ?",
            [*params, limit],
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def stories_sharing_tags(self, story_id: int, per_tag: int = 200) -> dict[int, list[str]]:
        """Other stories carrying one of this story's tags or topics (the newest `per_tag`
        of each tag), mapped to the shared tag names."""
        shared: dict[int, list[str]] = {}
        tags = self.conn.execute(
            """SELECT t.id, t.name FROM story_tags st JOIN tags t ON t.id = st.tag_id
               WHERE st.story_id = ? ORDER BY t.name""",
            (story_id,),
        ).fetchall()
        for tag_id, name in tags:
            for (other,) in self.conn.execute(
                """SELECT story_id FROM story_tags WHERE tag_id = ? AND story_id != ?
                   ORDER BY story_id DESC LIMIT ?""",
                (tag_id, story_id, per_tag),
            ):
                shared.setdefault(other, []).append(name)
        return shared

    def quoted_speakers(self, story_id: int) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                """SELECT speaker FROM quotes WHERE story_id = ? AND speaker IS NOT NULL
                   GROUP BY speaker COLLATE NOCASE ORDER BY min(start)""",
                (story_id,),
            )
        ]

    def stories_quoting(
        self, speakers: Iterable[str], exclude: int, per_speaker: int = 200
    ) -> dict[int, list[str]]:
        """Other stories quoting one of `speakers` (case-insensitive), mapped to the names."""
        shared: dict[int, list[str]] = {}
        for speaker in speakers:
            for (other,) in self.conn.execute(
                """SELECT DISTINCT story_id FROM quotes
                   WHERE speaker = ? COLLATE NOCASE AND story_id != ?
                   ORDER BY story_id DESC LIMIT ?""",
                (speaker, exclude, per_speaker),
            ):
                shared.setdefault(other, []).append(speaker)
        return shared

    def story_stubs(self, story_ids: Sequence[int]) -> dict[int, StoryStub]:
        stubs: dict[int, StoryStub] = {}
        for chunk in chunks(story_ids):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"""SELECT s.id, s.title, coalesce(f.title, f.url) AS feed_title FROM stories s
                    JOIN feeds f ON f.id = s.feed_id WHERE s.id IN ({marks})""",
                list(chunk),
            ):
                stubs[r["id"]] = StoryStub(r["id"], r["title"], r["feed_title"])
        return stubs

    def story_bodies(self, story_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(title, text or summary) of each story, for comparing wording."""
        bodies: dict[int, tuple[str, str]] = {}
        for chunk in chunks(story_ids):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"""SELECT id, title, CASE WHEN text != '' THEN text ELSE summary END AS body
                    FROM stories WHERE id IN ({marks})""",
                list(chunk),
            ):
                bodies[r["id"]] = (r["title"], r["body"])
        return bodies

    # -- full text ------------------------------------------------------------------------
    def feed_full_text(self, feed_id: int) -> bool | None:
        """The feed's own full-text switch: None means it follows the global setting."""
        row = self._one("SELECT full_text FROM feeds WHERE id = ?", (feed_id,))
        if row is None or row["full_text"] is None:
            return None
        return bool(row["full_text"])

    def feeds_wanting_full_text(self) -> list[int]:
        """Feeds whose own switch turns full text on."""
        return [r[0] for r in self.conn.execute("SELECT id FROM feeds WHERE full_text = 1")]

    def set_feed_full_text(self, feed_id: int, value: bool | None) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE feeds SET full_text = ? WHERE id = ?",
                (None if value is None else int(value), feed_id),
            )
