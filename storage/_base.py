"""What every mixin of the Library can rely on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """`items` in slices small enough for one `IN (?, ...)` list each."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@cache
def _columns(cls: Any) -> tuple[tuple[str, bool], ...]:
    """A record's field names, each with whether SQLite's 0/1 must become a bool."""
    return tuple((f.name, f.type in (bool, "bool")) for f in fields(cls))


def from_row(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """Build a record from the row's columns of the same names; `given` fills the rest."""
    keys = set(row.keys())
    layout: tuple[tuple[str, bool], ...] = _columns(cls)  # type: ignore[arg-type]
    values = {
        name: (bool(row[name]) if is_bool else row[name])
        for name, is_bool in layout
        if name in keys and name not in given
    }
    return cls(**values, **given)


def split_names(joined: str | None) -> list[str]:
    """Names aggregated with group_concat(name, char(31))."""
    return joined.split("\x1f") if joined else []


class LibraryBase:
    conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:  # provided by Library
        raise NotImplementedError

    def _rows(self, sql: str, params: Any = ()) -> Iterator[sqlite3.Row]:
        return iter(self.conn.execute(sql, params).fetchall())

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row
