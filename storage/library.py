"""The Library: one open SQLite file and the small API the rest of Byline uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from storage.annotations import AnnotationsMixin
from storage.bulk import BulkMixin
from storage.clusters import ClustersMixin
from storage.feeds import FeedsMixin
from storage.stories import StoriesMixin
from storage.tags import TagsMixin
from storage.transfer import TransferMixin


class Library(
    FeedsMixin,
    StoriesMixin,
    TagsMixin,
    AnnotationsMixin,
    TransferMixin,
    ClustersMixin,
    BulkMixin,
):
    """A Byline library. Methods are grouped by subject in the mixin modules."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.conn.row_factory = sqlite3.Row
        self._db: Any = None

    @property
    def db(self) -> Any:
        """A sqlite_utils.Database on the same connection, made on first use: importing
        sqlite_utils costs about 0.1 s that every command and the reader's start would pay."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One short write transaction; nested calls join the outer one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction, a part that is undone alone when it fails (outside one, a
        transaction of its own)."""
        if not self.conn.in_transaction:
            with self.transaction():
                yield
            return
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO part")
            self.conn.execute("RELEASE part")
            raise
        self.conn.execute("RELEASE part")

    def data_version(self) -> int:
        """Changes whenever another connection (another Byline process) commits a write."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def migrations_applied(self) -> list[str]:
        from storage.migrations import applied

        return applied(self.conn)
