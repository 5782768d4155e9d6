"""Byline's library: the only place SQL lives.

`storage` imports nothing else of Byline's. Open a library with :func:`open_library`.
Names are loaded on first use so that `import storage.models` stays cheap at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.connect import LibraryError, open_library
    from storage.library import Library

__all__ = ["Library", "LibraryError", "open_library"]


def __getattr__(name: str) -> Any:
    if name in ("LibraryError", "open_library"):
        from storage import connect

        return getattr(connect, name)
    if name == "Library":
        from storage.library import Library

        return Library
    raise AttributeError(name)
