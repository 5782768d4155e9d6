"""Saved searches: named queries shown as virtual feeds in the tree.

They live in a small JSON file beside the library (`<library>.searches.json`), so they
travel with it and need no schema change; written atomically (temp file + rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class SavedSearches:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._items: dict[str, str] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict):
                self._items = {str(k): str(v) for k, v in data.items()}

    @classmethod
    def beside(cls, library_path: str) -> SavedSearches:
        if library_path == ":memory:":
            return cls(None)
        return cls(Path(library_path + ".searches.json"))

    def items(self) -> list[tuple[str, str]]:
        return sorted(self._items.items(), key=lambda item: item[0].lower())

    def add(self, name: str, query: str) -> None:
        self._items[name] = query
        self._write()

    def remove(self, name: str) -> None:
        self._items.pop(name, None)
        self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".searches.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._items, out, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
