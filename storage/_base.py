"""What every mixin of the Library can rely on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LibraryBase:
    conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:  # provided by Library
        raise NotImplementedError

    def _rows(self, sql: str, params: Any = ()) -> Iterator[sqlite3.Row]:
        return iter(self.conn.execute(sql, params).fetchall())

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row
