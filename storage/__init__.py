"""Byline's library: the only place SQL lives.

`storage` imports nothing else of Byline's. Open a library with :func:`open_library`.
"""

from storage.connect import LibraryError, open_library
from storage.library import Library

__all__ = ["Library", "LibraryError", "open_library"]
