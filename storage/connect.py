"""Open a SQLite library with the settings Byline relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.library import Library

BUSY_TIMEOUT_MS = 5000


class LibraryError(Exception):
    """A library could not be opened or written; the message is meant for a person."""


def connect(path: str | Path) -> sqlite3.Connection:
    """Connect with WAL, a busy timeout and foreign keys on.

    `isolation_level=None` leaves transactions to us (explicit BEGIN/COMMIT), so a refresh
    writes one feed per short transaction and a reader in another process never waits long.
    """
    path = str(path)
    if path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"cannot create the library folder {parent}: {exc.strerror}"
            ) from exc
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                # A read-only file or folder cannot switch to WAL; say so rather than limp.
                conn.close()
                raise LibraryError(f"cannot open {path} for writing (journal mode stays {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"cannot open the library {path}: {exc}") from exc
    return conn


def open_library(path: str | Path, *, migrate: bool = True) -> Library:
    """Open (creating if needed) the library at `path` and bring its schema up to date."""
    from storage.library import Library
    from storage.migrations import apply_migrations

    conn = connect(path)
    if migrate:
        try:
            apply_migrations(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LibraryError(f"cannot use the library {path}: {exc}") from exc
    return Library(conn, str(path))
