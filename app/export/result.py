"""What an export reports back to the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("markdown", "json", "html", "csv")


@dataclass(slots=True)
class ExportResult:
    written: list[Path] = field(default_factory=list)
    """Files created or replaced."""
    unchanged: list[Path] = field(default_factory=list)
    """Byline's own files whose content was already up to date."""
    skipped_edited: list[Path] = field(default_factory=list)
    """Files left alone because the user edited them since the last export (see `force`)."""
    removed: list[Path] = field(default_factory=list)
    """Byline's old files for a story whose file name changed (its title changed)."""
    stories: int = 0

    def summary(self) -> str:
        parts = [f"{self.stories} stor{'y' if self.stories == 1 else 'ies'}"]
        parts.append(f"{len(self.written)} file{'' if len(self.written) == 1 else 's'} written")
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} unchanged")
        if self.skipped_edited:
            parts.append(f"{len(self.skipped_edited)} edited by you and kept (--force replaces)")
        if self.removed:
            parts.append(f"{len(self.removed)} renamed")
        return ", ".join(parts)
